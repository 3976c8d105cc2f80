"""The rules of innbyggerforslag, without HTTP: who may do what, when, and what it changes."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from app.core.db import utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotAuthenticated, NotFound
from app.extensions import db
from app.ideas.models import Idea
from app.initiatives import services
from app.initiatives.models import (
    TRANSITIONS,
    Actor,
    Initiative,
    InitiativeStatus,
    Signature,
    can_move,
)
from tests.factories import make_service_area, make_user
from tests.initiatives.factories import (
    make_collecting,
    make_moderator,
    make_proposal,
    make_staff,
    proposal_input,
    sign_many,
    verify,
)

S = InitiativeStatus


def _stored(initiative_id: int) -> Initiative:
    db.session.expire_all()
    return db.session.get(Initiative, initiative_id)


def _submitted(app, signatures: int = 2) -> Initiative:
    app.config["POPULATION"] = 50 * signatures  # threshold = signatures
    initiative = make_collecting()
    sign_many(initiative.id, signatures)
    return services.submit_initiative(initiative.proposer, initiative.id)


# --- the transition table ---------------------------------------------------------------


def test_every_status_is_in_the_one_transition_table():
    assert set(TRANSITIONS) == set(InitiativeStatus)


@pytest.mark.parametrize(("from_status", "to_status", "actor", "allowed"), [
    (S.AWAITING_MODERATION, S.COLLECTING, Actor.MODERATOR, True),
    (S.AWAITING_MODERATION, S.REFUSED, Actor.MODERATOR, True),
    (S.AWAITING_MODERATION, S.COLLECTING, Actor.PROPOSER, False),
    (S.COLLECTING, S.SUBMITTED, Actor.PROPOSER, True),
    (S.COLLECTING, S.SUBMITTED, Actor.STAFF, False),
    (S.COLLECTING, S.EXPIRED, Actor.TIME, True),
    (S.SUBMITTED, S.DECIDED, Actor.STAFF, True),
    (S.SUBMITTED, S.REJECTED_SAME_CONTENT, Actor.STAFF, True),
    (S.COLLECTING, S.DECIDED, Actor.STAFF, False),
    (S.EXPIRED, S.SUBMITTED, Actor.PROPOSER, False),
    (S.REFUSED, S.COLLECTING, Actor.MODERATOR, False),
    (S.DECIDED, S.DECIDED, Actor.STAFF, False),
])
def test_transitions(from_status, to_status, actor, allowed):
    assert can_move(from_status, to_status, actor) is allowed


# --- propose ------------------------------------------------------------------------------


def test_resident_proposes_and_it_waits_for_moderation(app):
    person = make_user()
    initiative = make_proposal(person)
    assert initiative.status == S.AWAITING_MODERATION
    assert initiative.proposer_id == person.id
    assert initiative.contact_email == "forslag@example.no"
    assert initiative.signature_threshold is None and initiative.collection_started_at is None


def test_visitor_cannot_propose(app):
    area = make_service_area()
    with pytest.raises(NotAuthenticated):
        services.propose_initiative(None, proposal_input([area.id]))


def test_blocked_person_cannot_propose(app):
    person = make_user(is_blocked=True)
    area = make_service_area()
    with pytest.raises(NotAllowed, match="blokkert"):
        services.propose_initiative(person, proposal_input([area.id]))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "Gi forslaget en tittel"),
    ("title", "Kort", "minst 10 tegn"),
    ("title", "x" * 151, "høyst 150 tegn"),
    ("title", "Tittel med \x00 i seg", "tegn vi ikke kan lagre"),
    ("proposal", "", "Skriv hva kommunestyret skal ta stilling til"),
    ("proposal", "for kort", "minst 20 tegn"),
    ("proposal", "x" * 3001, "høyst 3000 tegn"),
    ("reasons", "  \n ", "Skriv hvorfor du foreslår dette"),
    ("reasons", "x" * 6001, "høyst 6000 tegn"),
    ("contact_email", "", "Skriv e-postadressen"),
    ("contact_email", "ikke-en-adresse", "gyldig e-postadresse"),
    ("contact_email", "a@b\x00.no", "gyldig e-postadresse"),
    ("service_area_ids", [], "minst ett tema"),
    ("service_area_ids", [2**31 - 1], "Velg temaer fra listen"),
    ("service_area_ids", [2**40], "minst ett tema"),
    ("service_area_ids", ["1"], "minst ett tema"),
])
def test_proposal_input_is_checked_field_by_field(app, field, value, message):
    person = make_user()
    area = make_service_area()
    with pytest.raises(InvalidInput) as error:
        services.propose_initiative(person, proposal_input([area.id], **{field: value}))
    assert field in error.value.fields
    assert message in " ".join(error.value.fields[field])
    assert db.session.scalar(select(func.count(Initiative.id))) == 0


def test_every_problem_is_reported_at_once(app):
    person = make_user()
    with pytest.raises(InvalidInput) as error:
        services.propose_initiative(person, services.InitiativeInput("", "", "", [], ""))
    assert set(error.value.fields) == {"title", "proposal", "reasons", "service_area_ids", "contact_email"}


def test_at_most_three_service_areas(app):
    person = make_user()
    areas = [make_service_area().id for _ in range(4)]
    with pytest.raises(InvalidInput, match="høyst 3"):
        services.propose_initiative(person, proposal_input(areas))
    initiative = services.propose_initiative(person, proposal_input(areas[:3]))
    assert [a.id for a in initiative.service_areas] == areas[:3]


def test_an_idea_s_author_makes_it_an_initiative_and_the_link_is_kept(app):
    author = make_user()
    area = make_service_area()
    idea = Idea(title="Tryggere skolevei", body="Fortau langs hele Skoleveien, nå.", author_id=author.id,
                service_area_id=area.id)
    db.session.add(idea)
    db.session.commit()
    initiative = services.propose_initiative(author, proposal_input([area.id], from_idea_id=idea.id))
    assert initiative.from_idea_id == idea.id


def test_nobody_can_make_someone_else_s_idea_an_initiative(app):
    author, other = make_user(), make_user()
    area = make_service_area()
    idea = Idea(title="Tryggere skolevei", body="Fortau langs hele Skoleveien, nå.", author_id=author.id,
                service_area_id=area.id)
    db.session.add(idea)
    db.session.commit()
    with pytest.raises(InvalidInput) as error:
        services.propose_initiative(other, proposal_input([area.id], from_idea_id=idea.id))
    assert "Bare den som foreslo idéen" in error.value.fields["from_idea_id"][0]
    with pytest.raises(InvalidInput, match="Fant ikke idéen"):
        services.propose_initiative(author, proposal_input([area.id], from_idea_id=2**31 - 1))


# --- moderation ---------------------------------------------------------------------------


def test_moderator_approves_and_collection_starts_with_today_s_threshold(app):
    app.config["POPULATION"] = 5_000
    app.config["INITIATIVE_COLLECTION_DAYS"] = 180
    initiative = make_proposal()
    before = utcnow()
    services.approve_initiative(make_moderator(), initiative.id)
    stored = _stored(initiative.id)
    assert stored.status == S.COLLECTING
    assert stored.signature_threshold == 100
    assert stored.collection_started_at >= before
    # 180 whole days in Oslo's calendar after the day it started, to the midnight ending the last.
    assert services.collection_last_day(stored) == services.local_today(stored.collection_started_at) + timedelta(days=180)
    assert stored.collection_ends_at.astimezone(services.site_timezone()).time() == time(0)
    # A later POPULATION does not move the threshold under those signing.
    app.config["POPULATION"] = 700_000
    assert _stored(initiative.id).signature_threshold == 100


@pytest.mark.parametrize("role", ["resident", "portfolio_manager"])
def test_only_moderators_approve_or_refuse(app, role):
    initiative = make_proposal()
    actor = make_user(role=role)
    with pytest.raises(NotAllowed):
        services.approve_initiative(actor, initiative.id)
    with pytest.raises(NotAllowed):
        services.refuse_initiative(actor, initiative.id, "Bryter debattreglene om personangrep.")
    assert _stored(initiative.id).status == S.AWAITING_MODERATION


def test_proposer_cannot_approve_their_own(app):
    initiative = make_proposal()
    with pytest.raises(NotAllowed):
        services.approve_initiative(initiative.proposer, initiative.id)


def test_refusal_needs_a_reason_the_proposer_reads(app):
    initiative = make_proposal()
    moderator = make_moderator()
    with pytest.raises(InvalidInput, match="Skriv en begrunnelse"):
        services.refuse_initiative(moderator, initiative.id, "   ")
    services.refuse_initiative(moderator, initiative.id, "Forslaget navngir en ansatt. Fjern navnet.")
    stored = _stored(initiative.id)
    assert stored.status == S.REFUSED
    assert stored.refusal_reason == "Forslaget navngir en ansatt. Fjern navnet."


def test_a_decided_proposal_cannot_be_moderated_again(app):
    initiative = make_collecting()
    with pytest.raises(InvalidState, match="allerede behandlet"):
        services.approve_initiative(make_moderator(), initiative.id)
    with pytest.raises(InvalidState, match="allerede behandlet"):
        services.refuse_initiative(make_moderator(), initiative.id, "For sent, men la oss prøve.")


def test_unknown_and_huge_ids_are_not_found(app):
    moderator = make_moderator()
    for bad in (0, -1, 2**31 - 1, 2**31, 2**63):
        with pytest.raises(NotFound):
            services.approve_initiative(moderator, bad)
        with pytest.raises(NotFound):
            services.sign(make_user(), bad, confirmed_resident=True)


# --- signatures ---------------------------------------------------------------------------


def test_resident_signs_once_and_signing_again_changes_nothing(app):
    initiative = make_collecting()
    person = make_user()
    first = services.sign(person, initiative.id, confirmed_resident=True)
    again = services.sign(person, initiative.id, confirmed_resident=True, show_name=True)
    assert first.signed and first.signature_count == 1
    assert again.signature_count == 1
    signature = db.session.scalar(select(Signature).where(Signature.user_id == person.id))
    assert signature.show_name is False  # the first choice stands
    assert signature.confirmed_resident is True
    assert _stored(initiative.id).signature_count == 1


def test_signing_needs_the_residence_confirmation_next_to_its_field(app):
    app.config["MUNICIPALITY_NAME"] = "Medvik kommune"
    initiative = make_collecting()
    person = make_user()
    for value in (False, None, "on", 1):
        with pytest.raises(InvalidInput) as error:
            services.sign(person, initiative.id, confirmed_resident=value)
        assert "folkeregistrert som bosatt i Medvik kommune" in error.value.fields["confirmed_resident"][0]
    assert _stored(initiative.id).signature_count == 0


def test_the_name_is_hidden_unless_the_signer_chooses_to_show_it(app):
    initiative = make_collecting()
    hidden, shown = make_user(), make_user()
    services.sign(hidden, initiative.id, confirmed_resident=True)
    services.sign(shown, initiative.id, confirmed_resident=True, show_name=True)
    rows = dict(db.session.execute(select(Signature.user_id, Signature.show_name)).all())
    assert rows == {hidden.id: False, shown.id: True}


@pytest.mark.parametrize("state", ["awaiting", "refused", "expired", "submitted"])
def test_signing_only_while_collecting(app, state):
    app.config["POPULATION"] = 50
    if state == "awaiting":
        initiative = make_proposal()
    elif state == "refused":
        initiative = make_proposal()
        services.refuse_initiative(make_moderator(), initiative.id, "Bryter debattreglene.")
    else:
        initiative = make_collecting()
        if state == "expired":
            services.expire_collections(utcnow() + timedelta(days=181))
        else:
            sign_many(initiative.id, 1)
            services.submit_initiative(initiative.proposer, initiative.id)
    person = make_user()
    error = NotFound if state in ("awaiting", "refused") else InvalidState
    with pytest.raises(error):
        services.sign(person, initiative.id, confirmed_resident=True)


def test_a_collection_whose_time_ran_out_takes_no_signature_before_the_job_has_run(app):
    initiative = make_collecting()
    initiative.collection_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _stored(initiative.id).status == S.COLLECTING
    assert _stored(initiative.id).current_status == S.EXPIRED
    with pytest.raises(InvalidState, match="fristen for å samle underskrifter har gått ut"):
        services.sign(make_user(), initiative.id, confirmed_resident=True)


def test_blocked_unconfirmed_and_anonymous_people_cannot_sign(app):
    initiative = make_collecting()
    with pytest.raises(NotAuthenticated):
        services.sign(None, initiative.id, confirmed_resident=True)
    with pytest.raises(NotAllowed, match="blokkert"):
        services.sign(make_user(is_blocked=True), initiative.id, confirmed_resident=True)
    with pytest.raises(NotAllowed, match="Bekreft e-postadressen"):
        services.sign(make_user(confirmed=False), initiative.id, confirmed_resident=True)
    assert _stored(initiative.id).signature_count == 0


def test_with_sign_required_only_verified_people_sign(app):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "sign"
    initiative = make_collecting()
    person = make_user()
    with pytest.raises(NotAllowed, match="ID-porten før du signerer"):
        services.sign(person, initiative.id, confirmed_resident=True)
    verify(person)
    state = services.sign(person, initiative.id, confirmed_resident=True)
    assert state.signature_count == 1
    assert db.session.scalar(select(Signature.verified)) is True


def test_a_second_account_of_the_same_person_cannot_sign_again(app):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "sign"
    initiative = make_collecting()
    first, second = make_user(), make_user()
    verify(first, "same-person")
    # The same national identity number through another provider: the same keyed hash.
    from app.accounts.models import Identity

    db.session.add(Identity(user_id=second.id, provider="other", kind="resident", issuer="https://other.test",
                            person_hash="same-person".ljust(64, "0"), level="high"))
    db.session.commit()
    db.session.refresh(second)
    services.sign(first, initiative.id, confirmed_resident=True)
    with pytest.raises(InvalidState, match="med en annen konto"):
        services.sign(second, initiative.id, confirmed_resident=True)
    assert _stored(initiative.id).signature_count == 1


def test_no_age_limit_and_no_identity_needed_by_default(app):
    initiative = make_collecting()
    state = services.sign(make_user(), initiative.id, confirmed_resident=True)
    assert state.signature_count == 1
    assert db.session.scalar(select(Signature.identity_hash)) is None


def test_withdraw_before_submission_and_the_count_follows(app):
    initiative = make_collecting()
    person, other = make_user(), make_user()
    services.sign(person, initiative.id, confirmed_resident=True)
    services.sign(other, initiative.id, confirmed_resident=True)
    state = services.withdraw_signature(person, initiative.id)
    assert not state.signed and state.signature_count == 1
    # Withdrawing twice, or without a signature, changes nothing.
    assert services.withdraw_signature(person, initiative.id).signature_count == 1
    assert services.withdraw_signature(make_user(), initiative.id).signature_count == 1
    assert db.session.scalar(select(func.count(Signature.id))) == 1


def test_withdrawing_needs_no_verified_identity(app):
    initiative = make_collecting()
    person = make_user()
    services.sign(person, initiative.id, confirmed_resident=True)
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "sign"
    assert services.withdraw_signature(person, initiative.id).signature_count == 0


def test_no_withdrawal_after_submission(app):
    initiative = _submitted(app)
    signer = db.session.scalar(select(Signature.user_id).where(Signature.initiative_id == initiative.id))
    with pytest.raises(InvalidState, match="sendt inn"):
        services.withdraw_signature(db.session.get(type(initiative.proposer), signer), initiative.id)
    assert _stored(initiative.id).signature_count == 2


# --- paper signatures --------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_staff_register_paper_signatures_with_a_scan_and_they_count(app):
    app.config["POPULATION"] = 5_000  # 100 needed
    initiative = make_collecting()
    staff = make_staff()
    batch = services.register_paper_signatures(staff, initiative.id, 99, PDF, "Fra biblioteket")
    assert batch.count == 99 and batch.registered_by_id == staff.id and batch.created_at
    assert batch.scan_content_type == "application/pdf"
    stored = _stored(initiative.id)
    assert stored.paper_signature_count == 99 and stored.total_signatures == 99
    sign_many(initiative.id, 1)
    assert _stored(initiative.id).total_signatures == 100
    services.submit_initiative(initiative.proposer, initiative.id)
    assert _stored(initiative.id).submitted_signatures == 100


@pytest.mark.parametrize(("count", "field"), [
    (0, "count"), (-5, "count"), (100_001, "count"), ("12", "count"), (None, "count"), (True, "count"),
])
def test_paper_count_must_be_a_sensible_whole_number(app, count, field):
    initiative = make_collecting()
    with pytest.raises(InvalidInput) as error:
        services.register_paper_signatures(make_staff(), initiative.id, count, PDF)
    assert field in error.value.fields
    assert _stored(initiative.id).paper_signature_count == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"", "tom"),
    (b"<html><script>alert(1)</script></html>", "ikke en PDF, PNG eller JPEG"),
    (b"%PDF-1.4\nno end", "Vi klarte ikke å lese filen"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "Vi klarte ikke å lese filen"),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 10, "Vi klarte ikke å lese filen"),
    (b"GIF89a" + b"\x00" * 20, "ikke en PDF, PNG eller JPEG"),
])
def test_scans_are_checked_by_content_not_by_name(app, content, message):
    initiative = make_collecting()
    with pytest.raises(InvalidInput) as error:
        services.register_paper_signatures(make_staff(), initiative.id, 10, content)
    assert message in error.value.fields["scan"][0]


def test_a_scan_over_the_size_limit_is_refused(app):
    app.config["INITIATIVE_SCAN_MAX_MB"] = 1
    initiative = make_collecting()
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(InvalidInput, match="større enn 1 MB"):
        services.register_paper_signatures(make_staff(), initiative.id, 10, big)


def test_real_png_and_jpeg_scans_are_taken(app):
    import io

    from PIL import Image

    initiative = make_collecting()
    staff = make_staff()
    for fmt, content_type in (("PNG", "image/png"), ("JPEG", "image/jpeg")):
        out = io.BytesIO()
        Image.new("RGB", (20, 30), "white").save(out, fmt)
        batch = services.register_paper_signatures(staff, initiative.id, 3, out.getvalue())
        assert batch.scan_content_type == content_type
    assert _stored(initiative.id).paper_signature_count == 6


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_only_case_workers_register_paper_signatures(app, role):
    initiative = make_collecting()
    with pytest.raises(NotAllowed):
        services.register_paper_signatures(make_user(role=role), initiative.id, 10, PDF)


def test_no_paper_signatures_after_submission(app):
    initiative = _submitted(app)
    with pytest.raises(InvalidState):
        services.register_paper_signatures(make_staff(), initiative.id, 10, PDF)


# --- submission and expiry ----------------------------------------------------------------


def test_proposer_submits_once_the_threshold_is_reached(app):
    app.config["POPULATION"] = 100  # 2 needed
    initiative = make_collecting()
    sign_many(initiative.id, 1)
    with pytest.raises(InvalidState, match="mangler 1 underskrift"):
        services.submit_initiative(initiative.proposer, initiative.id)
    sign_many(initiative.id, 1)
    submitted = services.submit_initiative(initiative.proposer, initiative.id)
    assert submitted.status == S.SUBMITTED
    assert submitted.deadline == services.decision_deadline(submitted.submitted_at)
    assert submitted.submitted_signatures == 2


def test_only_the_proposer_submits(app):
    app.config["POPULATION"] = 50
    initiative = make_collecting()
    signers = sign_many(initiative.id, 1)
    for actor in (signers[0], make_staff(), make_moderator()):
        with pytest.raises(NotAllowed, match="Bare den som fremmet forslaget"):
            services.submit_initiative(actor, initiative.id)
    with pytest.raises(NotAuthenticated):
        services.submit_initiative(None, initiative.id)


def test_no_one_else_learns_of_an_unpublished_initiative_by_submitting_it(app):
    initiative = make_proposal()
    with pytest.raises(NotFound):
        services.submit_initiative(make_user(), initiative.id)


def test_submitting_twice_or_after_expiry_is_refused(app):
    initiative = _submitted(app)
    with pytest.raises(InvalidState):
        services.submit_initiative(initiative.proposer, initiative.id)
    app.config["POPULATION"] = 50
    other = make_collecting()
    sign_many(other.id, 1)
    other.collection_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(InvalidState, match="fristen"):
        services.submit_initiative(other.proposer, other.id)


def test_expire_marks_ended_collections_once_and_leaves_others(app):
    ended, running = make_collecting(), make_collecting()
    ended.collection_ends_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert services.expire_collections() == 1
    assert services.expire_collections() == 0
    assert _stored(ended.id).status == S.EXPIRED and _stored(ended.id).expired_at is not None
    assert _stored(running.id).status == S.COLLECTING


def test_expire_never_touches_a_submitted_initiative(app):
    initiative = _submitted(app)
    assert services.expire_collections(utcnow() + timedelta(days=400)) == 0
    assert _stored(initiative.id).status == S.SUBMITTED


# --- the council's decision, same content, measures ---------------------------------------


def _decision(**overrides) -> services.DecisionInput:
    values = {"case_number": "2026/1234", "meeting_date": services.local_today(),
              "text": "Kommunestyret vedtar forslaget.", "url": "https://einnsyn.no/saksmappe?id=1"}
    values.update(overrides)
    return services.DecisionInput(**values)


def test_staff_record_the_decision(app):
    initiative = _submitted(app)
    services.record_decision(make_staff(), initiative.id, _decision())
    stored = _stored(initiative.id)
    assert stored.status == S.DECIDED
    assert stored.council_case_number == "2026/1234"
    assert stored.decision_url == "https://einnsyn.no/saksmappe?id=1"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("case_number", "", "Skriv saksnummeret"),
    ("case_number", "1" * 61, "høyst 60 tegn"),
    ("meeting_date", None, "ÅÅÅÅ-MM-DD"),
    ("meeting_date", "2026-01-01", "ÅÅÅÅ-MM-DD"),
    ("meeting_date", date(2999, 1, 1), "fram i tid"),
    ("meeting_date", date(2020, 1, 1), "før forslaget ble sendt inn"),
    ("text", "", "Skriv vedtaket"),
    ("url", "javascript:alert(1)", "https://"),
    ("url", "ftp://einnsyn.no/x", "https://"),
    ("url", "https://", "https://"),
    ("url", "https://exa mple.no", "https://"),
    ("url", "https://[::1", "https://"),
    ("url", "https://einnsyn.no/" + "a" * 500, "høyst 500 tegn"),
])
def test_decision_input_is_checked(app, field, value, message):
    initiative = _submitted(app)
    with pytest.raises(InvalidInput) as error:
        services.record_decision(make_staff(), initiative.id, _decision(**{field: value}))
    assert message in " ".join(error.value.fields[field])
    assert _stored(initiative.id).status == S.SUBMITTED


def test_decision_only_on_a_submitted_initiative_and_only_by_staff(app):
    collecting = make_collecting()
    with pytest.raises(InvalidState):
        services.record_decision(make_staff(), collecting.id, _decision())
    submitted = _submitted(app)
    with pytest.raises(NotAllowed):
        services.record_decision(make_moderator(), submitted.id, _decision())
    with pytest.raises(NotAllowed):
        services.record_decision(submitted.proposer, submitted.id, _decision())
    services.record_decision(make_staff(), submitted.id, _decision())
    with pytest.raises(InvalidState):
        services.record_decision(make_staff(), submitted.id, _decision(case_number="2026/9"))


def test_same_content_only_for_a_case_in_this_election_period(app):
    app.config["ELECTION_PERIOD_START_YEAR"] = 2023
    initiative = _submitted(app)
    staff = make_staff()
    with pytest.raises(InvalidInput) as error:
        services.reject_same_content(staff, initiative.id, services.SameContentInput(
            "2022/77", "Gratis buss for unge", date(2023, 9, 30)))
    assert "før denne valgperioden begynte" in error.value.fields["case_date"][0]
    services.reject_same_content(staff, initiative.id, services.SameContentInput(
        "2024/77", "Gratis buss for unge", date(2023, 10, 1), "Samme forslag ble vedtatt i 2024."))
    stored = _stored(initiative.id)
    assert stored.status == S.REJECTED_SAME_CONTENT
    assert (stored.earlier_case_number, stored.earlier_case_title) == ("2024/77", "Gratis buss for unge")
    with pytest.raises(InvalidState):
        services.record_decision(staff, initiative.id, _decision())


def test_same_content_names_the_earlier_case(app):
    initiative = _submitted(app)
    with pytest.raises(InvalidInput) as error:
        services.reject_same_content(make_staff(), initiative.id, services.SameContentInput("", "", None))
    assert set(error.value.fields) == {"case_number", "case_title", "case_date"}


def test_measures_are_recorded_as_often_as_needed_once_decided(app):
    initiative = _submitted(app)
    staff = make_staff()
    with pytest.raises(InvalidState, match="når kommunestyret har fattet vedtak"):
        services.record_measure(staff, initiative.id, "Busskort bestilt.", services.local_today())
    services.record_decision(staff, initiative.id, _decision())
    services.record_measure(staff, initiative.id, "Busskort bestilt til alle skoler.", date(2026, 1, 5))
    services.record_measure(staff, initiative.id, "Busskortene er delt ut.", services.local_today())
    assert [m.text for m in _stored(initiative.id).measures] == [
        "Busskort bestilt til alle skoler.", "Busskortene er delt ut."]
    with pytest.raises(InvalidInput) as error:
        services.record_measure(staff, initiative.id, "", date(2999, 1, 1))
    assert set(error.value.fields) == {"text", "carried_out_on"}
    with pytest.raises(NotAllowed):
        services.record_measure(make_user(), initiative.id, "Noe ble gjort.", services.local_today())
