"""A person with something of every kind, and a neighbour whose data must never leak into it."""

import io
import json
import zipfile
from dataclasses import dataclass

from app.accessibility.models import AccessibilityReport
from app.accounts.models import ApiToken, Identity, Invitation, SignIn, User
from app.comments.services import post_comment
from app.core.db import utcnow
from app.extensions import db
from app.ideas import images
from app.ideas import services as ideas
from app.ideas.models import Idea, Visibility
from app.moderation.models import AuditAction, AuditTarget, ModerationAction
from app.moderation.models import TargetType as ReportTarget
from app.moderation.services import report_content
from app.notifications.models import Follow, Notice, NoticePreference, OutboxMessage
from app.privacy import export
from tests.factories import make_organisation, make_service_area, make_user
from tests.ideas.factories import image_bytes

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SECRET_TITLE = "Naboens skjulte idé om Storgata 5"
NEIGHBOUR_COMMENT = "Naboens kommentar som ikke skal med i eksporten"


@dataclass
class World:
    person: User
    neighbour: User
    idea: Idea
    neighbour_idea: Idea
    hidden_idea: Idea
    picture: str
    token_hash: str
    person_hash: str


def _idea(author: User, title: str, body: str = "En lang nok beskrivelse av idéen, med detaljer.",
          picture: images.StoredImage | None = None, sdgs=()) -> Idea:
    return ideas.submit_idea(author, ideas.IdeaInput(
        title=title, body=body, service_area_id=make_service_area().id, sdgs=list(sdgs),
        images=[ideas.ImageInput(image=picture, alt_text="Veien ved skolen")] if picture else [],
    ))


def make_world() -> World:
    person = make_user(name="Kari Eksportsen", email="kari.eksport@example.no")
    neighbour = make_user(name="Nils Naboen", email="nils.nabo@example.no")
    organisation = make_organisation(admin=person)

    picture = images.store_image(image_bytes())
    idea = _idea(person, "Fortau langs skoleveien " + HOSTILE, body="Beskrivelse " + HOSTILE,
                 picture=picture, sdgs=(3, 11))
    neighbour_idea = _idea(neighbour, "Benker langs turstien")
    hidden_idea = _idea(neighbour, SECRET_TITLE)
    # Before the person follows anything: what others write is not sent to them (notices).
    neighbour_comment = post_comment(neighbour, neighbour_idea, NEIGHBOUR_COMMENT)

    ideas.vote_for_idea(person, neighbour_idea.id)
    ideas.vote_for_idea(person, hidden_idea.id)
    ideas.vote_for_idea(neighbour, neighbour_idea.id)
    ideas.endorse_idea(person, neighbour_idea.id, organisation.id)
    post_comment(person, neighbour_idea, "Kari sin kommentar " + HOSTILE)
    report_content(person, ReportTarget.COMMENT, neighbour_comment.id, "spam", "Ser ut som reklame")

    hidden_idea.visibility = Visibility.HIDDEN
    hidden_idea.hidden_reason = "Personopplysninger"
    raw_token_hash = "f" * 64
    person_hash = "a1b2c3" * 10 + "abcd"
    now = utcnow()
    db.session.add_all([
        ApiToken(user_id=person.id, name="Min app", token_hash=raw_token_hash, prefix="mv_abcdefg"),
        ApiToken(user_id=neighbour.id, name="Naboens app", token_hash="e" * 64, prefix="mv_zzzzzzz"),
        SignIn(user_id=person.id, method="password", address="203.0.113.9", created_at=now),
        SignIn(user_id=neighbour.id, method="password", address="198.51.100.77", created_at=now),
        Identity(user_id=person.id, provider="idporten", kind="resident", issuer="https://idp.example",
                 person_hash=person_hash, subject_hash="b" * 64, level="idporten-loa-substantial",
                 verified_at=now),
        Notice(user_id=person.id, kind="test", subject="Svar på idéen din", body="Kommunen har svart."),
        Notice(user_id=neighbour.id, kind="test", subject="Naboens melding", body="Til naboen."),
        OutboxMessage(to_address="KARI.EKSPORT@example.no", subject="Bekreft e-posten", body="Hei Kari"),
        OutboxMessage(to_address=neighbour.email, subject="Naboens e-post", body="Hei Nils"),
        AccessibilityReport(page="/ideas", description="Knappen mangler fokus", email="kari.eksport@example.no"),
        Invitation(organisation_id=organisation.id, email="venn@example.no", invited_by_id=person.id,
                   expires_at=now),
        Follow(user_id=person.id, target_type="organisation", target_id=organisation.id),
        NoticePreference(user_id=person.id, kind="comments", channel="daily"),
        ModerationAction(actor_id=neighbour.id, action=AuditAction.HIDE, target_type=AuditTarget.COMMENT,
                         target_id=1, subject_user_id=person.id, reason="Hets",
                         note="Internt: rapportert av Nils Naboen"),
    ])
    db.session.commit()
    return World(person, neighbour, idea, neighbour_idea, hidden_idea, picture.filename,
                 raw_token_hash, person_hash)


def zip_of(person: User) -> zipfile.ZipFile:
    out = io.BytesIO()
    export.write_zip(person, out)
    out.seek(0)
    return zipfile.ZipFile(out)


def kind_file(archive: zipfile.ZipFile, kind: str) -> dict:
    return json.loads(archive.read(f"{kind}.json"))


def all_text(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                     if not name.startswith("images/"))
