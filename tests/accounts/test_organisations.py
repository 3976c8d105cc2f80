"""Organisations: registration, organisation numbers, members, verification."""

import pytest

from app.accounts import services
from app.accounts.models import Organisation, Role, VerificationStatus
from app.accounts.permissions import can_act_for_organisation
from app.core.errors import InvalidInput, NotAllowed
from app.extensions import db
from tests.factories import login, make_organisation, make_user


def _form(**overrides):
    data = {"name": "Nordbygda velforening", "kind": "voluntary", "org_number": "",
            "description": "Vi jobber for et trygt nabolag.", "website": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("number", ["974760673", "974 760 673", ""])
def test_resident_registers_organisation_with_valid_or_no_number(client, number):
    user = make_user()
    login(client, user)
    response = client.post("/organisations/new", data=_form(org_number=number))
    assert response.status_code == 302
    organisation = db.session.scalar(db.select(Organisation))
    assert organisation.org_number == (number.replace(" ", "") or None)
    assert organisation.status == VerificationStatus.PENDING
    assert organisation.memberships[0].user_id == user.id
    assert organisation.memberships[0].role.value == "admin"


@pytest.mark.parametrize("number", ["974760674", "12345678", "abcdefghi"])
def test_invalid_organisation_number_is_refused_next_to_the_field(client, number):
    login(client, make_user())
    response = client.post("/organisations/new", data=_form(org_number=number))
    html = response.get_data(as_text=True)
    assert "Organisasjonsnummeret er ikke gyldig" in html
    assert 'id="org_number-error"' in html
    assert 'value="Nordbygda velforening"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0


def test_duplicate_organisation_number_is_refused(app):
    make_organisation(org_number="974760673")
    with pytest.raises(InvalidInput) as error:
        services.register_organisation(
            make_user(), services.OrganisationInput("Et annet lag", "voluntary", "974760673")
        )
    assert "allerede registrert" in error.value.fields["org_number"][0]


def test_unconfirmed_person_cannot_register_organisation(app):
    with pytest.raises(NotAllowed):
        services.register_organisation(
            make_user(confirmed=False), services.OrganisationInput("Lag", "voluntary")
        )


def test_admin_removes_a_member(client):
    admin = make_user()
    member = make_user(email="ola@example.no")
    organisation = make_organisation(admin=admin, members=(member,))
    login(client, admin)
    response = client.post(f"/organisations/{organisation.id}", data={"action": "remove", "user_id": member.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert {m.user_id for m in organisation.memberships} == {admin.id}


def test_member_who_is_not_admin_cannot_add_members(client):
    admin = make_user()
    member = make_user()
    organisation = make_organisation(admin=admin, members=(member,))
    login(client, member)
    invite = client.post(f"/organisations/{organisation.id}/invitations", data={"email": "ny@example.no"})
    assert invite.status_code == 403
    remove = client.post(f"/organisations/{organisation.id}", data={"action": "remove", "user_id": admin.id})
    assert remove.status_code == 403


def test_last_admin_cannot_be_removed(app):
    admin = make_user()
    organisation = make_organisation(admin=admin)
    with pytest.raises(Exception, match="minst én administrator"):
        services.remove_member(admin, organisation, admin.id)


def test_moderator_verifies_and_only_then_members_can_act(client):
    admin = make_user()
    organisation = make_organisation(admin=admin, verified=False)
    assert not can_act_for_organisation(admin, organisation)
    moderator = make_user(role=Role.MODERATOR)
    login(client, moderator)
    page = client.get("/staff/organisations").get_data(as_text=True)
    assert organisation.name in page
    response = client.post(f"/staff/organisations/{organisation.id}", data={"action": "verify"})
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert organisation.is_verified
    assert organisation.verified_by_id == moderator.id
    assert can_act_for_organisation(admin, organisation)


def test_rejection_needs_a_reason_and_is_shown_to_members(client):
    admin = make_user()
    organisation = make_organisation(admin=admin, verified=False)
    login(client, make_user(role=Role.MODERATOR))
    empty = client.post(f"/staff/organisations/{organisation.id}", data={"action": "reject", "reason": ""})
    assert empty.status_code == 422
    assert "Skriv en begrunnelse" in empty.get_data(as_text=True)
    client.post(f"/staff/organisations/{organisation.id}",
                data={"action": "reject", "reason": "Fant ikke laget i Frivillighetsregisteret."})
    client.post("/logout")
    login(client, admin)
    html = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    assert "Fant ikke laget i Frivillighetsregisteret." in html


def test_resident_cannot_verify(app):
    organisation = make_organisation(verified=False)
    with pytest.raises(NotAllowed):
        services.verify_organisation(make_user(), organisation)
