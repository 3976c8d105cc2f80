"""Who hears what about an innbyggerforslag: proposer and signers, by their preferences, never the actor."""

from sqlalchemy import select

from app.extensions import db
from app.initiatives import services
from app.notifications import kinds
from app.notifications.models import Notice, NoticePreference, OutboxMessage
from tests.factories import make_user
from tests.initiatives.factories import make_collecting, make_moderator, make_proposal, make_staff


def _notices(kind: str) -> dict[int, Notice]:
    return {n.user_id: n for n in db.session.scalars(select(Notice).where(Notice.kind == kind))}


def _decided(app):
    app.config["POPULATION"] = 100  # 2 needed
    proposer = make_user()
    initiative = make_collecting(proposer)
    signers = [make_user(), make_user()]
    for person in signers:
        services.sign(person, initiative.id, confirmed_resident=True)
    # The proposer signs their own too: told once, as the proposer.
    services.sign(proposer, initiative.id, confirmed_resident=True)
    services.submit_initiative(proposer, initiative.id)
    return proposer, signers, initiative


def test_every_initiative_kind_belongs_to_a_group():
    for kind in ("initiatives.approved", "initiatives.refused", "initiatives.decided", "initiatives.rejected",
                 "initiatives.measure"):
        assert kinds.group_of(kind) == "own_initiatives"
    for kind in ("initiatives.signed_submitted", "initiatives.signed_decided", "initiatives.signed_rejected",
                 "initiatives.signed_measure"):
        assert kinds.group_of(kind) == "signed_initiatives"


def test_proposer_hears_of_approval(app):
    proposer = make_user()
    initiative = make_proposal(proposer)
    moderator = make_moderator()
    services.approve_initiative(moderator, initiative.id)
    notice = _notices("initiatives.approved")[proposer.id]
    assert "er godkjent" in notice.subject and initiative.title in notice.subject
    assert notice.url == f"/initiatives/{initiative.id}"
    assert moderator.id not in _notices("initiatives.approved")
    assert db.session.scalar(select(OutboxMessage.to_address)) == proposer.email


def test_proposer_hears_the_reason_of_a_refusal(app):
    proposer = make_user()
    initiative = make_proposal(proposer)
    services.refuse_initiative(make_moderator(), initiative.id, "Forslaget navngir en ansatt. Fjern navnet.")
    notice = _notices("initiatives.refused")[proposer.id]
    assert "Forslaget navngir en ansatt. Fjern navnet." in notice.body


def test_signers_hear_of_submission_but_not_the_proposer_who_did_it(app):
    proposer, signers, _initiative = _decided(app)
    told = _notices("initiatives.signed_submitted")
    assert set(told) == {s.id for s in signers}
    assert "er sendt inn med 3 underskrifter" in told[signers[0].id].body
    assert proposer.id in _notices("initiatives.approved")  # approval, earlier


def test_decision_reaches_proposer_and_signers_once_each(app):
    proposer, signers, initiative = _decided(app)
    staff = make_staff()
    services.record_decision(staff, initiative.id, services.DecisionInput(
        "2026/77", services.local_today(), "Kommunestyret vedtar forslaget.", "https://einnsyn.no/sak/77"))
    own = _notices("initiatives.decided")
    signed = _notices("initiatives.signed_decided")
    assert set(own) == {proposer.id}
    assert set(signed) == {s.id for s in signers}
    assert "Kommunestyret vedtar forslaget." in own[proposer.id].body
    assert "https://einnsyn.no/sak/77" in signed[signers[0].id].body
    assert "som du signerte" in signed[signers[0].id].body
    assert staff.id not in own and staff.id not in signed


def test_measures_and_same_content_reach_them_too(app):
    proposer, signers, initiative = _decided(app)
    services.record_decision(make_staff(), initiative.id, services.DecisionInput(
        "2026/77", services.local_today(), "Vedtatt.", ""))
    services.record_measure(make_staff(), initiative.id, "Busskortene er delt ut.", services.local_today())
    assert set(_notices("initiatives.measure")) == {proposer.id}
    assert set(_notices("initiatives.signed_measure")) == {s.id for s in signers}
    assert "Busskortene er delt ut." in _notices("initiatives.signed_measure")[signers[1].id].body

    app.config["ELECTION_PERIOD_START_YEAR"] = 2023
    other_proposer, other_signers, other = _decided(app)
    services.reject_same_content(make_staff(), other.id, services.SameContentInput(
        "2024/5", "Gratis buss for unge", services.local_today()))
    assert set(_notices("initiatives.rejected")) == {other_proposer.id}
    assert set(_notices("initiatives.signed_rejected")) == {s.id for s in other_signers}
    assert "Gratis buss for unge" in _notices("initiatives.rejected")[other_proposer.id].body


def test_preferences_are_respected(app):
    proposer, signers, initiative = _decided(app)
    db.session.add(NoticePreference(user_id=signers[0].id, kind="signed_initiatives", channel="off"))
    db.session.add(NoticePreference(user_id=proposer.id, kind="own_initiatives", channel="weekly"))
    db.session.commit()
    before = db.session.query(OutboxMessage).count()
    services.record_decision(make_staff(), initiative.id, services.DecisionInput(
        "2026/77", services.local_today(), "Vedtatt.", ""))
    assert set(_notices("initiatives.signed_decided")) == {signers[1].id}
    own = _notices("initiatives.decided")[proposer.id]
    assert own.channel == "weekly" and own.emailed_at is None
    # One e-mail now: to the signer who kept the default.
    assert db.session.query(OutboxMessage).count() == before + 1
