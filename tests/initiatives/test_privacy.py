"""A person's initiatives and signatures: in their export, and what erasure does to them."""

import io
import json
import zipfile

from sqlalchemy import func, select

from app.accounts.models import FORMER_PARTICIPANT_EMAIL, User
from app.extensions import db
from app.initiatives import queries, services
from app.initiatives.models import Initiative, InitiativeStatus, Signature
from app.privacy import export
from app.privacy.deletion import erase_user
from tests.factories import make_user
from tests.initiatives.factories import make_collecting, make_moderator, make_proposal, verify

INITIATIVE_FIELDS = {
    "id", "title", "proposal", "reasons", "contact_email", "from_idea_id", "status", "refusal_reason",
    "collection_started_at", "collection_ends_at", "signature_threshold", "signature_count",
    "paper_signature_count", "submitted_at", "deadline", "council_case_number", "council_meeting_date",
    "decision_text", "decision_url", "earlier_case_number", "earlier_case_title", "earlier_case_date",
    "created_at"}
SIGNATURE_FIELDS = {"initiative_id", "initiative_title", "verified", "confirmed_resident", "show_name", "created_at"}


def _kind(person: User, kind: str) -> dict:
    out = io.BytesIO()
    export.write_zip(person, out)
    out.seek(0)
    return json.loads(zipfile.ZipFile(out).read(f"{kind}.json"))


def _erase(person: User, keep_content: bool) -> None:
    erase_user(person, keep_content=keep_content, actor=None, reason="test")
    db.session.commit()
    db.session.expire_all()


def _count(initiative_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Initiative, initiative_id).signature_count


def test_export_holds_the_person_s_initiatives_and_signatures_and_nothing_else(app):
    person, other = make_user(), make_user()
    verify(person)
    mine = make_proposal(person, title="Mitt eget forslag om lysløypa")
    theirs = make_collecting(other, title="Et annet forslag om fortau")
    services.sign(person, theirs.id, confirmed_resident=True, show_name=True)
    services.sign(make_user(), theirs.id, confirmed_resident=True)
    initiatives = _kind(person, "initiatives")["initiatives"]
    assert [row["id"] for row in initiatives] == [mine.id]
    assert set(initiatives[0]) == INITIATIVE_FIELDS
    assert initiatives[0]["contact_email"] == "forslag@example.no"
    signatures = _kind(person, "signatures")["signatures"]
    assert len(signatures) == 1 and set(signatures[0]) == SIGNATURE_FIELDS
    assert signatures[0]["initiative_title"] == "Et annet forslag om fortau"
    assert signatures[0]["show_name"] is True and signatures[0]["verified"] is True
    # The identity hash is never exported.
    assert "person-" not in json.dumps(signatures)
    counts = {k.kind: k.count for k in export.summary(person)}
    assert counts["initiatives"] == 1 and counts["signatures"] == 1


def test_erasure_before_submission_removes_the_signature_and_the_count_drops(app):
    initiative = make_collecting()
    person = make_user()
    services.sign(person, initiative.id, confirmed_resident=True)
    services.sign(make_user(), initiative.id, confirmed_resident=True)
    _erase(person, keep_content=True)
    assert _count(initiative.id) == 1
    assert db.session.scalar(select(func.count(Signature.id))) == 1


def test_erasure_after_submission_keeps_an_anonymous_signature_so_the_council_s_count_holds(app):
    app.config["POPULATION"] = 100  # 2 needed
    initiative = make_collecting()
    person, other = make_user(), make_user()
    verify(person)
    services.sign(person, initiative.id, confirmed_resident=True, show_name=True)
    services.sign(other, initiative.id, confirmed_resident=True)
    services.submit_initiative(initiative.proposer, initiative.id)
    _erase(person, keep_content=False)
    assert _count(initiative.id) == 2
    left = db.session.execute(select(Signature.user_id, Signature.identity_hash, Signature.show_name)
                              .order_by(Signature.id)).all()
    assert left[0] == (None, None, False)
    assert left[1][0] == other.id
    names, shown = queries.public_signer_names(initiative.id)
    assert names == [] and shown == 0


def test_public_initiatives_stay_under_the_placeholder_without_the_contact_address(app):
    person = make_user()
    public = make_collecting(person)
    waiting = make_proposal(person)
    refused = make_proposal(person)
    services.refuse_initiative(make_moderator(), refused.id, "Bryter debattreglene om personangrep.")
    _erase(person, keep_content=False)
    kept = db.session.get(Initiative, public.id)
    assert kept.proposer.email == FORMER_PARTICIPANT_EMAIL and kept.contact_email == ""
    assert db.session.get(Initiative, waiting.id) is None
    assert db.session.get(Initiative, refused.id) is None


def test_keeping_content_keeps_even_the_unpublished_ones_under_the_placeholder(app):
    person = make_user()
    waiting = make_proposal(person)
    _erase(person, keep_content=True)
    kept = db.session.get(Initiative, waiting.id)
    assert kept is not None and kept.status == InitiativeStatus.AWAITING_MODERATION
    assert kept.proposer.email == FORMER_PARTICIPANT_EMAIL and kept.contact_email == ""
