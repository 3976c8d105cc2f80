"""Answering ideas: the status moves staff make, and merging duplicates.

The allowed moves are the one table in app/ideas/models.py (STAFF_TRANSITIONS,
EXPLANATION_REQUIRED); the page, the API, the CLI and the tests all come through here.
"""

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from werkzeug.routing import BuildError

from app.accounts.models import User
from app.core.db import is_postgres, utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.extensions import db
from app.ideas.models import (
    EXPLANATION_REQUIRED,
    STAFF_TRANSITIONS,
    Endorsement,
    Idea,
    IdeaStatus,
    StatusChange,
    Visibility,
    Vote,
)
from app.portfolio import signals
from app.portfolio.permissions import can_answer_idea, can_answer_ideas

MAX_EXPLANATION = 5000


def site_path(endpoint: str, **values) -> str:
    """A page's path, in a request or not (the demo seeder and the CLI notify people too)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def idea_path(idea_id: int) -> str:
    """The idea page's address (the ideas domain owns the page)."""
    try:
        return site_path("ideas.detail", idea_id=idea_id)
    except BuildError:
        return f"/ideas/{idea_id}"


def get_idea(idea_id: int) -> Idea:
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        raise NotFound(_("Fant ikke idéen."))
    return idea


def get_idea_to_answer(actor: User, idea_id: int) -> Idea:
    """The idea, for the answer page. Raises NotFound, NotAllowed (not a portfolio manager,
    or the idea belongs to another municipal area than the actor's)."""
    if not can_answer_ideas(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan endre status på idéer."))
    idea = get_idea(idea_id)
    _require_idea_area(actor, idea)
    return idea


def _require_idea_area(actor: User, *ideas: Idea) -> None:
    """After the capability: staff limited to some municipal areas answer their areas' ideas."""
    if not all(can_answer_idea(actor, idea) for idea in ideas):
        raise NotAllowed(_("Idéen hører til et annet kommunalområde enn ditt."))


def staff_moves(idea: Idea) -> list[IdeaStatus]:
    """The statuses staff may move the idea to now, in lifecycle order (merging included)."""
    allowed = STAFF_TRANSITIONS.get(idea.status, frozenset())
    return [status for status in IdeaStatus if status in allowed]


def parse_status(value) -> IdeaStatus:
    try:
        return IdeaStatus(value)
    except ValueError:
        message = _("Ukjent status.")
        raise InvalidInput(message, fields={"status": [message]}) from None


def _clean_explanation(to_status: IdeaStatus, explanation: str | None) -> str:
    explanation = (explanation or "").strip()
    if to_status in EXPLANATION_REQUIRED and not explanation:
        message = _("Skriv en offentlig begrunnelse. Den er kommunens svar på idéen.")
        raise InvalidInput(message, fields={"explanation": [message]})
    if len(explanation) > MAX_EXPLANATION:
        message = _("Begrunnelsen kan være høyst %(n)d tegn.", n=MAX_EXPLANATION)
        raise InvalidInput(message, fields={"explanation": [message]})
    return explanation


def _check_move(idea: Idea, to_status: IdeaStatus) -> None:
    if to_status not in STAFF_TRANSITIONS.get(idea.status, frozenset()):
        raise InvalidState(
            _("En idé med status «%(from)s» kan ikke få status «%(to)s».",
              **{"from": idea.status.value, "to": to_status.value})
        )


def apply_status(
    actor: User, idea: Idea, to_status: IdeaStatus, explanation: str, *, into: Idea | None = None
) -> StatusChange:
    """Move the idea and write its StatusChange, in the caller's transaction (no commit).

    The UPDATE only matches while the idea still has the status we read, so two staff
    members answering at once cannot both move it. Raises InvalidState, InvalidInput.
    """
    _check_move(idea, to_status)
    explanation = _clean_explanation(to_status, explanation)
    from_status = idea.status
    now = utcnow()
    values = {"status": to_status, "first_answered_at": func.coalesce(Idea.first_answered_at, now)}
    if into is not None:
        values["merged_into_id"] = into.id
    result = db.session.execute(
        update(Idea).where(Idea.id == idea.id, Idea.status == from_status).values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise InvalidState(_("Idéen ble endret av noen andre i mellomtiden. Last siden på nytt."))
    change = StatusChange(
        idea_id=idea.id, from_status=from_status, to_status=to_status,
        explanation=explanation, changed_by_id=actor.id, created_at=now,
    )
    db.session.add(change)
    db.session.flush()
    db.session.expire(idea, ["status", "first_answered_at", "merged_into_id", "updated_at"])
    _notify_author(actor, idea, to_status, explanation, into)
    return change


def _notify_author(actor: User, idea: Idea, to_status: IdeaStatus, explanation: str,
                   into: Idea | None) -> None:
    from app.ideas.labels import status_label
    from app.notifications.services import notify

    author = idea.author
    if author is None or author.id == actor.id:
        return
    if into is not None:
        notify(author, "portfolio.merged", "portfolio_merged", url=idea_path(into.id),
               idea=idea, into=into, explanation=explanation)
    else:
        notify(author, "portfolio.status", "portfolio_status", url=idea_path(idea.id),
               idea=idea, status=status_label(to_status), explanation=explanation)


def change_idea_status(actor: User, idea: Idea, to_status, explanation: str = "") -> StatusChange:
    """Move an idea one step in its lifecycle with a public explanation.

    Raises NotAllowed (not a portfolio manager), InvalidState (the table does not allow
    the move), InvalidInput (unknown status, missing explanation, or `merged`, which
    needs merge_ideas and the idea it goes into).
    """
    if not can_answer_ideas(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan endre status på idéer."))
    _require_idea_area(actor, idea)
    to_status = parse_status(to_status)
    _check_move(idea, to_status)
    if to_status == IdeaStatus.MERGED:
        message = _("Velg hvilken idé den skal slås sammen med.")
        raise InvalidInput(message, fields={"into_id": [message]})
    change = apply_status(actor, idea, to_status, explanation)
    db.session.commit()
    signals.idea_status_changed.send(idea, status_change=change, actor=actor)
    return change


def merge_ideas(actor: User, idea: Idea, into: Idea, explanation: str) -> StatusChange:
    """Merge `idea` into `into`: its voters and endorsers count on `into`, once each.

    The idea keeps its comments and its own votes (its counters stay true to its rows)
    and shows that it was merged. Raises NotAllowed, InvalidInput (same idea, missing
    explanation), InvalidState (a move the table does not allow, or a target that is
    itself merged, withdrawn or hidden).
    """
    if not can_answer_ideas(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan slå sammen idéer."))
    if into.id == idea.id:
        message = _("En idé kan ikke slås sammen med seg selv.")
        raise InvalidInput(message, fields={"into_id": [message]})
    _require_idea_area(actor, idea)
    if not can_answer_idea(actor, into):
        message = _("Idéen det skal slås sammen med, hører til et annet kommunalområde enn ditt.")
        raise NotAllowed(message, fields={"into_id": [message]})
    message = _("Idéen det skal slås sammen med, må være synlig og ikke selv slått sammen eller trukket.")
    _lock_ideas(idea, into)
    if into.status in (IdeaStatus.MERGED, IdeaStatus.WITHDRAWN) or into.visibility != Visibility.VISIBLE:
        raise InvalidState(message, fields={"into_id": [message]})
    change = apply_status(actor, idea, IdeaStatus.MERGED, explanation, into=into)
    try:
        moved_votes = _copy_missing(Vote, ("user_id",), ("created_at",), idea.id, into.id)
        moved_endorsements = _copy_missing(
            Endorsement, ("organisation_id",), ("endorsed_by_id", "created_at"), idea.id, into.id
        )
        # Only while the target can still take them: on SQLite, where rows are not locked, this
        # is what stops "A into B" and "B into A" at once from merging both.
        moved = db.session.execute(
            update(Idea).where(
                Idea.id == into.id, Idea.status.not_in((IdeaStatus.MERGED, IdeaStatus.WITHDRAWN)),
                Idea.visibility == Visibility.VISIBLE,
            ).values(
                vote_count=Idea.vote_count + moved_votes,
                endorsement_count=Idea.endorsement_count + moved_endorsements,
            ),
            execution_options={"synchronize_session": False},
        ).rowcount
        if moved != 1:
            db.session.rollback()
            raise InvalidState(message, fields={"into_id": [message]})
        db.session.commit()
    except IntegrityError:
        # Someone voted on the target between our check and our insert: nothing is written.
        db.session.rollback()
        raise InvalidState(_("Noen stemte på idéen akkurat nå. Prøv igjen.")) from None
    db.session.expire(into, ["vote_count", "endorsement_count"])
    signals.idea_merged.send(idea, into=into, actor=actor)
    signals.idea_status_changed.send(idea, status_change=change, actor=actor)
    return change


def _lock_ideas(*ideas: Idea) -> None:
    """The ideas' current rows, locked until the transaction ends (FOR UPDATE on PostgreSQL).

    Locked in id order, so two merges of one pair in opposite directions wait for each other
    instead of deadlocking, and the target is judged on what is stored now.
    """
    stmt = (select(Idea).where(Idea.id.in_([idea.id for idea in ideas])).order_by(Idea.id)
            .execution_options(populate_existing=True))
    if is_postgres():
        stmt = stmt.with_for_update(of=Idea)
    db.session.scalars(stmt).all()


def _copy_missing(model, key_columns: tuple[str, ...], extra_columns: tuple[str, ...],
                  from_id: int, into_id: int) -> int:
    """Copy `model` rows of one idea to another where the other has no row with that key.

    One INSERT ... SELECT ... WHERE NOT EXISTS ... RETURNING; returns how many rows it added.
    """
    source = aliased(model)
    target = aliased(model)
    names = [*key_columns, *extra_columns]
    chosen = select(
        literal(into_id), *[getattr(source, name) for name in names]
    ).where(
        source.idea_id == from_id,
        ~exists().where(
            and_(target.idea_id == into_id,
                 *[getattr(target, key) == getattr(source, key) for key in key_columns])
        ),
    )
    # RETURNING counts exactly what was added (rowcount is -1 for INSERT ... SELECT with
    # some drivers); SQLite has had RETURNING since 3.35.
    added = db.session.execute(
        insert(model.__table__).from_select(["idea_id", *names], chosen).returning(model.__table__.c.id)
    ).all()
    return len(added)


def merged_into_idea(idea: Idea) -> list[Idea]:
    """The ideas merged into this one, oldest first."""
    return list(db.session.scalars(
        select(Idea).where(Idea.merged_into_id == idea.id).order_by(Idea.created_at, Idea.id)
    ))
