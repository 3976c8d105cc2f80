"""Erasing an account (GDPR art. 17): nothing of the person left, everyone else's data intact.

The proof walks every String/Text column of every table in the metadata (not a hand-kept
list) for the person's name, address and identity hash, looks in the upload folder and asks
the search; counters are compared with COUNT(*).
"""

import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import String, func, select

from app.accounts.models import (
    ApiToken,
    Identity,
    Invitation,
    Membership,
    MembershipRole,
    Role,
    SignIn,
    User,
)
from app.accounts.services import create_api_token, record_sign_in
from app.comments import services as comment_services
from app.comments.models import Comment, CommentVisibility
from app.core.db import utcnow
from app.core.errors import NotAllowed
from app.extensions import db
from app.ideas import services as idea_services
from app.ideas.images import path_of, store_image
from app.ideas.models import Endorsement, Idea, IdeaImage, Vote
from app.ideas.search import matches
from app.moderation import services as moderation
from app.moderation.models import AuditAction, ModerationAction, ModerationCase, Report
from app.notifications.models import Notice, OutboxMessage
from app.portfolio.answers import change_idea_status
from app.portfolio.models import Project, ProjectIdea
from app.privacy import deletion
from app.privacy.deletion import (
    FORMER_PARTICIPANT_EMAIL,
    FORMER_PARTICIPANT_NAME,
    complete_due_deletions,
    erase_user,
)
from tests.factories import make_organisation, make_service_area, make_user
from tests.ideas.factories import image_bytes

NAME = "Solveig Kvernmoen-Aasheim"
EMAIL = "solveig.kvernmoen@example.no"
PERSON_HASH = "f" * 20 + "0123456789abcdef" * 2 + "e" * 12
REMOVED_WORD = "Trollsteinbekken"


# --- helpers ---------------------------------------------------------------------------------


def places_holding(needle: str) -> list[str]:
    """Every table.column (String or Text, from the metadata) whose value contains `needle`."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String):
                continue
            n = db.session.scalar(
                select(func.count()).select_from(table)
                .where(func.lower(column).contains(needle.lower(), autoescape=True))
            )
            if n:
                found.append(f"{table.name}.{column.name}")
    return found


def assert_counters_exact() -> None:
    db.session.expire_all()
    for idea in db.session.scalars(select(Idea)):
        votes = db.session.scalar(select(func.count(Vote.id)).where(Vote.idea_id == idea.id))
        endorsements = db.session.scalar(select(func.count(Endorsement.id)).where(Endorsement.idea_id == idea.id))
        comments = db.session.scalar(select(func.count(Comment.id)).where(
            Comment.idea_id == idea.id, Comment.visibility == CommentVisibility.VISIBLE))
        assert (idea.vote_count, idea.endorsement_count, idea.comment_count) == (votes, endorsements, comments), idea


def search_ids(text: str) -> set[int]:
    return set(db.session.scalars(select(matches(text).c.idea_id)))


def submit(author: User, title: str, body: str = "Benker og lys langs turstien ved fjorden.", **fields) -> Idea:
    return idea_services.submit_idea(author, idea_services.IdeaInput(
        title=title, body=body, service_area_id=make_service_area().id, **fields))


def with_picture(author: User, title: str, body: str) -> Idea:
    stored = store_image(image_bytes(colour=(1, 2, 3)))
    return submit(author, title, body, images=[idea_services.ImageInput(image=stored, alt_text="Bekken om våren")])


@pytest.fixture
def world(app):
    """The person with a bit of everything, and other people whose data must stay."""
    person = make_user(NAME, EMAIL)
    other = make_user("Ola Bakkestuen", "ola@example.no")
    third = make_user("Randi Fjellheim", "randi@example.no")
    staff = make_user("Saksbehandler Berit", "berit@medvik.kommune.no", role=Role.ADMIN)
    make_user("Andre Admin", "admin2@medvik.kommune.no", role=Role.ADMIN)
    org = make_organisation(admin=person, members=(other,))

    removed = with_picture(person, f"Bru over {REMOVED_WORD}", f"Vi trenger en bru over {REMOVED_WORD} ved skolen.")
    answered = submit(person, "Lys i lysløypa", "Lysløypa på Haugen er mørk om kvelden.")
    change_idea_status(staff, answered, "accepted", "Vi setter opp lys i løpet av høsten.")
    linked = submit(person, "Benk ved badeplassen", "En benk ved badeplassen på Nesodden.")
    area = make_service_area()
    project = Project(title="Badeplasser", owner_service_area_id=area.id)
    db.session.add(project)
    db.session.flush()
    db.session.add(ProjectIdea(project_id=project.id, idea_id=linked.id))
    db.session.commit()
    others_idea = submit(other, "Sykkelparkering ved stasjonen", "Tak over sykkelstativene.")

    # Votes (the person's and others'), an endorsement by the person for the organisation.
    for voter in (person, other, third):
        idea_services.vote_for_idea(voter, others_idea.id)
    idea_services.vote_for_idea(other, removed.id)
    idea_services.vote_for_idea(person, answered.id)
    idea_services.endorse_idea(person, others_idea.id, org.id)

    # Comments: one with a reply by someone else, one alone, one on their own idea.
    replied = comment_services.post_comment(person, others_idea, f"Enig, {REMOVED_WORD} også.")
    reply = comment_services.post_comment(other, others_idea, "Takk for innspillet!", parent=replied)
    alone = comment_services.post_comment(person, others_idea, "Og gjerne en sykkelpumpe.")
    comment_services.post_comment(other, removed, "God idé, bruen trengs.")

    # Reports: one open, one a moderator decided on.
    bad = comment_services.post_comment(third, others_idea, "Dette er reklame for billige klokker.")
    moderation.report_content(person, "comment", bad.id, "spam", "Reklame.")
    worse = comment_services.post_comment(third, others_idea, "Kjøp billige klokker her nå.")
    moderation.report_content(person, "comment", worse.id, "spam", f"Meld fra, hilsen {NAME}")
    moderation.moderate_item(staff, "comment", worse.id, "hide", "spam")

    # What only concerns the person.
    create_api_token(person, "Skript")
    record_sign_in(person, "password", "192.0.2.7")
    db.session.add(Identity(user_id=person.id, provider="idporten", kind="resident",
                            issuer="https://idporten.test", person_hash=PERSON_HASH, subject_hash="a" * 64))
    db.session.add(Invitation(organisation_id=org.id, email=EMAIL, invited_by_id=other.id,
                              expires_at=utcnow() + timedelta(days=3)))
    db.session.add(Notice(user_id=other.id, kind="test.kind", subject=f"{NAME} svarte deg", body=f"{NAME} svarte."))
    db.session.add(OutboxMessage(to_address=EMAIL, subject="Hei", body=f"Hei {NAME}"))
    db.session.add(OutboxMessage(to_address="ola@example.no", subject="Svar", body=f"{NAME} svarte deg."))
    db.session.commit()
    return dict(person=person, other=other, third=third, staff=staff, org=org, removed=removed,
                answered=answered, linked=linked, others_idea=others_idea, replied=replied,
                reply=reply, alone=alone, worse=worse, bad=bad)


def erase(person: User, keep_content: bool, actor: User | None = None) -> None:
    erase_user(person, keep_content=keep_content, actor=actor, reason="test")
    db.session.commit()
    db.session.expire_all()


# --- what is left --------------------------------------------------------------------------


@pytest.mark.parametrize("keep_content", [False, True])
def test_after_erasure_name_email_and_identity_hash_are_nowhere(app, world, keep_content):
    person = world["person"]
    uid = person.id
    assert places_holding(NAME) and places_holding(EMAIL) and places_holding(PERSON_HASH)
    erase(person, keep_content)

    assert places_holding(NAME) == []
    assert places_holding(EMAIL) == []
    assert places_holding(PERSON_HASH) == []
    assert db.session.get(User, uid) is None
    for model, column in ((SignIn, SignIn.user_id), (ApiToken, ApiToken.user_id), (Identity, Identity.user_id),
                          (Notice, Notice.user_id), (Membership, Membership.user_id), (Vote, Vote.user_id)):
        assert db.session.scalar(select(func.count()).select_from(model).where(column == uid)) == 0, model
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert_counters_exact()


def test_removing_content_removes_ideas_pictures_and_search_but_keeps_answered_and_linked(app, world):
    person, removed = world["person"], world["removed"]
    files = [path_of(i.filename) for i in removed.images]
    assert all(os.path.exists(f) for f in files)
    assert search_ids(REMOVED_WORD) == {removed.id}
    answered_id, linked_id, removed_id = world["answered"].id, world["linked"].id, removed.id

    erase(person, keep_content=False)

    assert db.session.get(Idea, removed_id) is None
    assert db.session.scalar(select(func.count(IdeaImage.id))) == 0
    assert not any(os.path.exists(f) for f in files)
    upload_root = app.config["UPLOAD_DIR"]
    leftover = [f for _d, _s, names in os.walk(upload_root) for f in names]
    assert leftover == []
    assert search_ids(REMOVED_WORD) == set()
    placeholder = db.session.scalar(select(User).where(User.email == FORMER_PARTICIPANT_EMAIL))
    for idea_id, text in ((answered_id, "Lysløypa på Haugen"), (linked_id, "badeplassen på Nesodden")):
        kept = db.session.get(Idea, idea_id)
        assert text in kept.body
        assert kept.author_id == placeholder.id
        assert placeholder.full_name == FORMER_PARTICIPANT_NAME
    assert_counters_exact()


def test_keeping_content_keeps_every_idea_and_comment_under_the_placeholder(app, world):
    person = world["person"]
    ids = [world[k].id for k in ("removed", "answered", "linked")]
    comment_ids = [world["replied"].id, world["alone"].id]
    erase(person, keep_content=True)

    placeholder = db.session.scalar(select(User).where(User.email == FORMER_PARTICIPANT_EMAIL))
    for idea_id in ids:
        assert db.session.get(Idea, idea_id).author_id == placeholder.id
    assert search_ids(REMOVED_WORD) == {ids[0]}
    for comment_id in comment_ids:
        comment = db.session.get(Comment, comment_id)
        assert comment.author_id == placeholder.id and comment.is_visible and comment.body
    # Votes go in both modes.
    assert db.session.scalar(select(func.count(Vote.id)).where(Vote.idea_id == world["answered"].id)) == 0
    assert_counters_exact()


def test_removed_comment_with_replies_stays_as_deleted_and_alone_is_gone(app, world):
    replied_id, alone_id = world["replied"].id, world["alone"].id
    erase(world["person"], keep_content=False)
    replied = db.session.get(Comment, replied_id)
    assert replied is not None and replied.is_deleted and replied.body == ""
    reply = db.session.get(Comment, world["reply"].id)
    assert reply.is_visible and reply.parent_id == replied_id
    assert db.session.get(Comment, alone_id) is None
    assert_counters_exact()


def test_reports_open_go_decided_stay_without_reporter(app, world):
    person = world["person"]
    uid = person.id
    erase(person, keep_content=False)
    reports = list(db.session.scalars(select(Report)))
    assert len(reports) == 1
    assert reports[0].reporter_id is None and reports[0].target_id == world["worse"].id
    assert NAME not in reports[0].note
    case = db.session.scalar(select(ModerationCase).where(ModerationCase.target_id == world["bad"].id))
    assert case.open_report_count == 0 and case.report_count == 0
    row = db.session.scalar(select(ModerationAction).where(ModerationAction.action == AuditAction.ACCOUNT_DELETED))
    assert row.target_id == uid and row.actor_id is None


def test_other_people_and_their_data_are_untouched(app, world):
    other, third, org = world["other"], world["third"], world["org"]
    before = {
        "ideas": db.session.scalar(select(func.count(Idea.id)).where(Idea.author_id == other.id)),
        "comments": db.session.scalar(select(func.count(Comment.id)).where(Comment.author_id.in_([other.id, third.id]))),
        "votes": db.session.scalar(select(func.count(Vote.id)).where(Vote.user_id.in_([other.id, third.id]))),
        "mail": db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_address == "ola@example.no")),
    }
    # The removed idea carried one of other's comments and one of other's votes: those go with it.
    erase(world["person"], keep_content=True)
    after = {
        "ideas": db.session.scalar(select(func.count(Idea.id)).where(Idea.author_id == other.id)),
        "comments": db.session.scalar(select(func.count(Comment.id)).where(Comment.author_id.in_([other.id, third.id]))),
        "votes": db.session.scalar(select(func.count(Vote.id)).where(Vote.user_id.in_([other.id, third.id]))),
        "mail": db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_address == "ola@example.no")),
    }
    assert after == before
    assert db.session.get(User, other.id).full_name == "Ola Bakkestuen"
    # The organisation lost its only admin: its remaining member became admin.
    membership = db.session.scalar(select(Membership).where(Membership.organisation_id == org.id))
    assert membership.user_id == other.id and membership.role == MembershipRole.ADMIN


def test_the_last_admin_cannot_be_erased(app):
    admin = make_user(role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        erase_user(admin, keep_content=False, actor=None, reason="test")
    db.session.rollback()
    assert db.session.get(User, admin.id) is not None


# --- the grace period ----------------------------------------------------------------------


def test_due_deletions_are_erased_once_and_a_recent_request_waits(app, world):
    person = world["person"]
    later = make_user("Venter Vennesla", "venter@example.no")
    deletion.request_deletion(person, keep_content=False, password="korrekt-hest-batteri")
    deletion.request_deletion(later, keep_content=True, password="korrekt-hest-batteri")
    assert complete_due_deletions() == 0
    person_id, later_id = person.id, later.id
    db.session.execute(db.update(User).where(User.id == person_id)
                       .values(deletion_requested_at=utcnow() - timedelta(days=7, minutes=1)))
    db.session.commit()
    assert complete_due_deletions() == 1
    assert complete_due_deletions() == 0
    db.session.expire_all()
    assert db.session.get(User, person_id) is None
    assert db.session.get(User, later_id) is not None
    assert places_holding(NAME) == []
    assert_counters_exact()


def test_request_sends_one_email_with_the_date_and_ends_sessions(app):
    person = make_user(NAME, EMAIL)
    token = person.session_token
    due = deletion.request_deletion(person, keep_content=True, password="korrekt-hest-batteri")
    again = deletion.request_deletion(person, keep_content=False, password="korrekt-hest-batteri")
    assert again == due
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.session_token != token and person.deletion_keep_content is True
    mails = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == EMAIL)))
    assert len(mails) == 1
    # The date as the person reads it: the site's time zone (after 23:00 UTC it is tomorrow there).
    from zoneinfo import ZoneInfo

    local_day = due.astimezone(ZoneInfo(app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Oslo")).day
    assert f"{local_day}." in mails[0].body and "Logg inn" in mails[0].body


def test_cancel_deletion_clears_the_request(app):
    person = make_user()
    deletion.request_deletion(person, keep_content=True, password="korrekt-hest-batteri")
    assert deletion.cancel_deletion(person) is True
    assert deletion.cancel_deletion(person) is False
    db.session.expire_all()
    assert db.session.get(User, person.id).deletion_requested_at is None
    assert complete_due_deletions(utcnow() + timedelta(days=30)) == 0


@pytest.mark.postgres
def test_two_erasures_at_once_erase_once(app, backend):
    if backend != "postgresql":
        pytest.skip("row locks across connections: PostgreSQL")
    make_user(role=Role.ADMIN)
    people = [make_user() for _ in range(3)]
    for person in people:
        person.deletion_requested_at = utcnow() - timedelta(days=8)
        person.deletion_keep_content = False
    db.session.commit()
    ids = [p.id for p in people]
    results: list[int] = []
    barrier = threading.Barrier(2)

    def run():
        with app.app_context():
            barrier.wait()
            results.append(complete_due_deletions())
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and sum(results) == 3
    assert db.session.scalar(select(func.count(User.id)).where(User.id.in_(ids))) == 0
    assert db.session.scalar(select(func.count(ModerationAction.id)).where(
        ModerationAction.action == AuditAction.ACCOUNT_DELETED)) == 3
