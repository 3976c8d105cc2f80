"""Organisation invitations: the same answer for any address, membership only by consent, leaving."""

import re
from datetime import timedelta

import pytest

from app.accounts import services
from app.accounts.models import Invitation, InvitationStatus, Membership, MembershipRole
from app.core.errors import InvalidState, NotFound
from app.extensions import db
from app.notifications.models import Notice, OutboxMessage
from tests.factories import login, make_organisation, make_user

SENT = "Vi har sendt en invitasjon til"


def _members(organisation) -> set[int]:
    return set(db.session.scalars(
        db.select(Membership.user_id).where(Membership.organisation_id == organisation.id)
    ))


def _invitation(organisation, email: str) -> Invitation:
    return db.session.scalar(
        db.select(Invitation).where(Invitation.organisation_id == organisation.id,
                                    Invitation.email == email)
    )


def _flash(client) -> list:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def _invite(client, organisation, email: str):
    return client.post(f"/organisations/{organisation.id}/invitations", data={"email": email})


def test_invite_answers_the_same_for_a_registered_an_unknown_and_a_member_address(client):
    admin = make_user()
    known = make_user(email="kjent@example.no")
    member = make_user(email="medlem@example.no")
    organisation = make_organisation(admin=admin, members=(member,))
    login(client, admin)
    answers = []
    for email in ("kjent@example.no", "ukjent@example.no", "medlem@example.no"):
        response = _invite(client, organisation, email.upper())
        flashes = _flash(client)
        client.get("/")  # shows (and so clears) the flashed message
        answers.append((response.status_code, response.headers["Location"],
                        [(kind, text.replace(email, "<e-post>")) for kind, text in flashes]))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 302 and SENT in answers[0][2][0][1]
    # Nobody joins by being invited.
    assert _members(organisation) == {admin.id, member.id}
    assert known.id not in _members(organisation)


def test_registered_person_gets_a_notice_and_an_email_with_an_absolute_link(client):
    admin = make_user(name="Ola Nordmann")
    person = make_user(email="kari@example.no")
    organisation = make_organisation(admin=admin, name="Nordbygda velforening")
    login(client, admin)
    _invite(client, organisation, "kari@example.no")
    invitation = _invitation(organisation, "kari@example.no")
    notice = db.session.scalar(db.select(Notice).where(Notice.user_id == person.id))
    assert notice.kind == "accounts.invitation"
    assert "Nordbygda velforening" in notice.subject
    mail = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.to_address == "kari@example.no"))
    assert f"http://medvirk.test/invitations/{invitation.id}" in mail.body
    assert "Ola Nordmann" in mail.body
    assert person.id not in _members(organisation)


def test_unknown_address_is_asked_to_register_then_finds_the_invitation_once_confirmed(client, smtp):
    admin = make_user()
    organisation = make_organisation(admin=admin, name="Nordbygda velforening")
    login(client, admin)
    _invite(client, organisation, "ny@example.no")
    assert smtp.link_to("ny@example.no", r"http://medvirk\.test/register")
    answer = smtp.link_to("ny@example.no", r"http://medvirk\.test/invitations/\d+")
    client.post("/logout")
    newcomer = make_user(email="ny@example.no", confirmed=False)
    login(client, newcomer)
    path = answer.replace("http://medvirk.test", "")
    # Until the address is confirmed, nobody has shown they own it.
    assert "Bekreft e-postadressen din" in client.get(path).get_data(as_text=True)
    assert client.post(path, data={"answer": "accept"}).status_code == 409
    assert newcomer.id not in _members(organisation)
    newcomer.confirmed_at = newcomer.created_at
    db.session.commit()
    assert "Nordbygda velforening" in client.get("/invitations").get_data(as_text=True)
    response = client.post(path, data={"answer": "accept"})
    assert response.status_code == 302
    assert newcomer.id in _members(organisation)


def test_only_the_invited_person_can_see_or_accept(client):
    admin = make_user()
    make_user(email="kari@example.no")
    intruder = make_user()
    organisation = make_organisation(admin=admin)
    services.invite_member(admin, organisation, "kari@example.no")
    invitation = _invitation(organisation, "kari@example.no")
    login(client, intruder)
    assert client.get(f"/invitations/{invitation.id}").status_code == 404
    assert client.post(f"/invitations/{invitation.id}", data={"answer": "accept"}).status_code == 404
    assert intruder.id not in _members(organisation)
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.PENDING
    with pytest.raises(NotFound):
        services.accept_invitation(admin, invitation.id)


def test_accepting_twice_gives_one_membership(client):
    admin = make_user()
    person = make_user(email="kari@example.no")
    organisation = make_organisation(admin=admin)
    services.invite_member(admin, organisation, "kari@example.no")
    invitation = _invitation(organisation, "kari@example.no")
    login(client, person)
    page = client.get(f"/invitations/{invitation.id}").get_data(as_text=True)
    assert "Godta og bli medlem" in page
    assert client.post(f"/invitations/{invitation.id}", data={"answer": "accept"}).status_code == 302
    again = client.post(f"/invitations/{invitation.id}", data={"answer": "accept"})
    assert again.status_code == 409
    assert "allerede godtatt" in again.get_data(as_text=True)
    count = db.session.scalar(db.select(db.func.count()).select_from(Membership).where(
        Membership.organisation_id == organisation.id, Membership.user_id == person.id))
    assert count == 1


def test_two_invitations_to_one_person_give_one_membership(app):
    admin = make_user()
    other_admin = make_user()
    person = make_user(email="kari@example.no")
    organisation = make_organisation(admin=admin, members=(other_admin,))
    db.session.add_all([
        Invitation(organisation_id=organisation.id, email=person.email, invited_by_id=by.id,
                   expires_at=person.created_at + timedelta(days=30))
        for by in (admin, other_admin)
    ])
    db.session.commit()
    first, second = db.session.scalars(db.select(Invitation.id).order_by(Invitation.id)).all()
    services.accept_invitation(person, first)
    services.accept_invitation(person, second)
    assert _members(organisation) == {admin.id, other_admin.id, person.id}


def test_invitee_declines_and_cannot_accept_afterwards(client):
    admin = make_user()
    person = make_user(email="kari@example.no")
    organisation = make_organisation(admin=admin)
    services.invite_member(admin, organisation, "kari@example.no")
    invitation = _invitation(organisation, "kari@example.no")
    login(client, person)
    assert client.post(f"/invitations/{invitation.id}", data={"answer": "decline"}).status_code == 302
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.DECLINED
    late = client.post(f"/invitations/{invitation.id}", data={"answer": "accept"})
    assert late.status_code == 409 and "allerede avslått" in late.get_data(as_text=True)
    assert person.id not in _members(organisation)


def test_expired_invitation_says_so(client):
    admin = make_user()
    person = make_user(email="kari@example.no")
    organisation = make_organisation(admin=admin)
    services.invite_member(admin, organisation, "kari@example.no")
    invitation = _invitation(organisation, "kari@example.no")
    invitation.expires_at = invitation.created_at - timedelta(minutes=1)
    db.session.commit()
    login(client, person)
    assert "er utløpt" in client.get(f"/invitations/{invitation.id}").get_data(as_text=True)
    response = client.post(f"/invitations/{invitation.id}", data={"answer": "accept"})
    assert response.status_code == 409 and "er utløpt" in response.get_data(as_text=True)
    assert person.id not in _members(organisation)


def test_admin_sees_and_withdraws_a_pending_invitation(client):
    admin = make_user()
    person = make_user(email="kari@example.no")
    organisation = make_organisation(admin=admin)
    login(client, admin)
    _invite(client, organisation, "kari@example.no")
    page = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    assert "Trekk tilbake invitasjonen til kari@example.no" in page
    invitation = _invitation(organisation, "kari@example.no")
    response = client.post(f"/organisations/{organisation.id}/invitations/{invitation.id}/withdraw")
    assert response.status_code == 302
    assert "Trekk tilbake invitasjonen til" not in client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    with pytest.raises(InvalidState, match="trukket tilbake"):
        services.accept_invitation(person, invitation.id)


def test_inviting_again_renews_the_open_invitation_instead_of_adding_one(app):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    services.invite_member(admin, organisation, "ny@example.no")
    services.invite_member(admin, organisation, "NY@example.no")
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 1


def test_malformed_address_is_refused_next_to_the_field_and_kept(client):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    login(client, admin)
    response = _invite(client, organisation, "ikke-en-adresse")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv en gyldig e-postadresse" in html
    assert 'value="ikke-en-adresse"' in html


def test_invitations_are_rate_limited(client, app):
    app.config["RATELIMIT_INVITATIONS"] = "2 per hour"
    admin = make_user()
    organisation = make_organisation(admin=admin)
    login(client, admin)
    codes = [_invite(client, organisation, f"person{n}@example.no").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 2


def test_member_leaves_an_organisation(client):
    admin = make_user()
    member = make_user()
    organisation = make_organisation(admin=admin, members=(member,))
    login(client, member)
    response = client.post(f"/organisations/{organisation.id}/leave")
    assert response.status_code == 302
    assert _members(organisation) == {admin.id}


def test_last_admin_cannot_leave_without_handing_over(client):
    admin = make_user()
    member = make_user()
    organisation = make_organisation(admin=admin, members=(member,))
    login(client, admin)
    response = client.post(f"/organisations/{organisation.id}/leave", follow_redirects=True)
    assert "Du er den eneste administratoren" in response.get_data(as_text=True)
    assert _members(organisation) == {admin.id, member.id}
    # Handing over: make the member an administrator, then leave.
    client.post(f"/organisations/{organisation.id}", data={"action": "make_admin", "user_id": member.id})
    assert client.post(f"/organisations/{organisation.id}/leave").status_code == 302
    assert _members(organisation) == {member.id}
    role = db.session.scalar(db.select(Membership.role).where(Membership.user_id == member.id))
    assert role == MembershipRole.ADMIN


def test_last_admin_cannot_step_down(app):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    with pytest.raises(InvalidState, match="minst én administrator"):
        services.set_member_role(admin, organisation, admin.id, MembershipRole.MEMBER)


def test_email_link_needs_login_and_comes_back(client):
    admin = make_user()
    make_user(email="kari@example.no")
    organisation = make_organisation(admin=admin)
    services.invite_member(admin, organisation, "kari@example.no")
    invitation = _invitation(organisation, "kari@example.no")
    response = client.get(f"/invitations/{invitation.id}")
    assert response.status_code == 302
    assert re.search(r"/login\?next=", response.headers["Location"])


def test_ten_simultaneous_accepts_give_one_membership(app):
    import threading

    admin = make_user()
    person = make_user(email="kari@example.no")
    organisation = make_organisation(admin=admin)
    services.invite_member(admin, organisation, "kari@example.no")
    invitation_id = _invitation(organisation, "kari@example.no").id
    person_id, organisation_id = person.id, organisation.id
    db.session.remove()
    outcomes: list[str] = []
    start = threading.Barrier(10)

    def accept():
        with app.app_context():
            user = db.session.get(type(person), person_id)
            start.wait()
            try:
                services.accept_invitation(user, invitation_id)
                outcomes.append("accepted")
            except InvalidState:
                outcomes.append("already")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted"] + ["already"] * 9
    count = db.session.scalar(db.select(db.func.count()).select_from(Membership).where(
        Membership.organisation_id == organisation_id, Membership.user_id == person_id))
    assert count == 1
