"""Demo step: reports, one comment hidden by three reports and appealed, one decision, so the
queue, the log and the transparency page have something to show. Through the same services."""

from sqlalchemy import select

from app.accounts.models import Role, User
from app.comments.models import Comment, CommentVisibility
from app.core.errors import ServiceError
from app.demo import DEMO_STEPS
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.moderation import services

# Comments posted for the demo's moderation, each by a resident on a visible idea.
SPAM_COMMENT = (
    "Tjen 5000 kroner i uka hjemmefra! Helt sikkert og lovlig. "
    "Send meg en melding for å høre mer, bare noen få plasser igjen."
)
HEATED_COMMENT = (
    "De som bor i Nordbygda klager alltid på alt. Typisk. "
    "Kommunen burde slutte å høre på dem."
)
PERSONAL_COMMENT = (
    "Naboen min i Lia-veien 12 kjører alltid for fort her. Han heter Per og har en rød Tesla."
)
APPEAL_TEXT = (
    "Jeg mente ikke å fornærme noen. Jeg er selv fra Nordbygda og ville bare si at vi "
    "også må se på helheten i kommunen. Jeg kan gjerne formulere meg annerledes."
)


def _post(author: User, idea: Idea, text: str) -> Comment | None:
    from app.comments.services import post_comment

    try:
        return post_comment(author, idea, text)
    except ServiceError:
        return None


def _report(reporters: list[User], kind: str, target_id: int, reason: str, notes=()) -> int:
    made = 0
    for index, person in enumerate(reporters):
        note = notes[index] if index < len(notes) else ""
        try:
            services.report_content(person, kind, target_id, reason, note)
        except ServiceError:
            continue
        made += 1
    return made


def seed_moderation(content, people: list[User]) -> dict:
    """Fill the queue: returns what was made, by kind, for the seeding command's log."""
    residents = [p for p in people if p.role == Role.RESIDENT and p.is_confirmed]
    moderator = next((p for p in people if p.role == Role.MODERATOR), None)
    ideas = list(db.session.scalars(
        select(Idea).where(Idea.visibility == Visibility.VISIBLE).order_by(Idea.id).limit(6)
    ))
    if len(residents) < 8 or moderator is None or len(ideas) < 3:
        return {}
    made = {"reports": 0, "auto_hidden": 0, "appeals": 0, "decisions": 0}
    authors = residents[-4:]
    reporters = residents[:6]

    # 1. Three people report a heated comment: it is hidden at once, and its author appeals.
    heated = _post(authors[0], ideas[0], HEATED_COMMENT)
    if heated is not None:
        made["reports"] += _report(reporters[:3], "comment", heated.id, "offensive",
                                   ("Generaliserer om en hel bygd.", "", "Uhøflig."))
        db.session.refresh(heated)
        if heated.visibility == CommentVisibility.HIDDEN:
            made["auto_hidden"] += 1
            services.submit_appeal(authors[0], "comment", heated.id, APPEAL_TEXT)
            made["appeals"] += 1

    # 2. Spam, reported twice: waits in the queue, still visible.
    spam = _post(authors[1], ideas[1], SPAM_COMMENT)
    if spam is not None:
        made["reports"] += _report(reporters[3:5], "comment", spam.id, "spam", ("Ren reklame.",))

    # 3. A comment naming a neighbour: one report, and a moderator hides it at once.
    personal = _post(authors[2], ideas[2], PERSONAL_COMMENT)
    if personal is not None:
        made["reports"] += _report(reporters[5:6], "comment", personal.id, "personal_data",
                                   ("Navn og adresse på en privatperson.",))
        services.moderate_item(moderator, "comment", personal.id, "hide", "personal_data",
                               "Skriv gjerne om trafikken, men uten navn og adresse på naboen.")
        made["decisions"] += 1

    # 4. An idea someone thought off topic: a moderator keeps it visible.
    critic = [p for p in reporters if p.id != ideas[-1].author_id][:1]
    made["reports"] += _report(critic, "idea", ideas[-1].id, "off_topic", ("Hører ikke hjemme her?",))
    try:
        services.moderate_item(moderator, "idea", ideas[-1].id, "dismiss", "no_violation")
        made["decisions"] += 1
    except ServiceError:
        pass

    return made


def _step(content, people: list[User]) -> None:
    seed_moderation(content, people)


DEMO_STEPS.append(_step)
