"""The read side of innbyggerforslag: lists with filters, one initiative, signers, timelines.

Reusable by the pages, the API and the open-data exports: every list is a fixed number of
queries, eager-loads what it shows, and hits an index. "Collecting" is decided on the
collection's end as well as the status, so a list never shows a collection whose time ran
out before `flask initiatives expire` wrote it.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.core import cache
from app.core.db import as_utc, utcnow
from app.core.pagination import Page, paginate
from app.extensions import db
from app.initiatives.models import (
    PUBLIC_STATUSES,
    Initiative,
    InitiativeMeasure,
    InitiativeStatus,
    PaperSignatureBatch,
    Signature,
)
from app.initiatives.permissions import can_moderate_initiatives, is_proposer

S = InitiativeStatus
# The public list's filters: name -> the stored statuses it shows ("collecting" also needs
# time left; "closed" also takes collections whose time ran out unmarked).
FILTERS = ("collecting", "submitted", "decided", "closed")


def _collecting_now(now: datetime):
    return and_(Initiative.status == S.COLLECTING, Initiative.collection_ends_at > now)


def _expired_now(now: datetime):
    return or_(Initiative.status == S.EXPIRED,
               and_(Initiative.status == S.COLLECTING, Initiative.collection_ends_at <= now))


def filter_condition(name: str | None, now: datetime | None = None):
    """The WHERE clause of a public filter; None (or an unknown name) is every public one."""
    now = now or utcnow()
    if name == "collecting":
        return _collecting_now(now)
    if name == "submitted":
        return Initiative.status == S.SUBMITTED
    if name == "decided":
        return Initiative.status.in_((S.DECIDED, S.REJECTED_SAME_CONTENT))
    if name == "closed":
        return _expired_now(now)
    return Initiative.status.in_(PUBLIC_STATUSES)


@dataclass
class InitiativeFilters:
    status: str | None = None

    @classmethod
    def from_args(cls, args) -> "InitiativeFilters":
        status = args.get("status")
        return cls(status=status if status in FILTERS else None)


def _list_options():
    return (joinedload(Initiative.proposer), selectinload(Initiative.service_areas))


def list_statement(filters: InitiativeFilters) -> Select:
    """Public initiatives matching the filter, newest first (collecting: ending soonest)."""
    stmt = select(Initiative).where(filter_condition(filters.status)).options(*_list_options())
    if filters.status == "collecting":
        return stmt.order_by(Initiative.collection_ends_at, Initiative.id)
    if filters.status == "submitted":
        return stmt.order_by(Initiative.deadline, Initiative.id)
    return stmt.order_by(Initiative.created_at.desc(), Initiative.id.desc())


def list_initiatives(filters: InitiativeFilters, page: int, per_page: int) -> Page:
    return paginate(list_statement(filters), page, per_page)


def status_counts() -> dict[str, int]:
    """How many public initiatives each filter shows, for the filter links (cached)."""
    def compute() -> dict[str, int]:
        now = utcnow()
        counts = {}
        for name in (None, *FILTERS):
            counts[name or "all"] = db.session.scalar(
                select(func.count(Initiative.id)).where(filter_condition(name, now))
            ) or 0
        return counts

    # Keyed by the hour, so "collecting" moves to "closed" without any write to the table.
    return cache.remember("initiatives", ("status_counts", utcnow().strftime("%Y%m%d%H")), compute)


def load_initiative(initiative_id: int) -> Initiative | None:
    """An initiative with everything its page shows (proposer, areas, measures)."""
    return db.session.execute(
        select(Initiative).where(Initiative.id == initiative_id).options(
            joinedload(Initiative.proposer),
            selectinload(Initiative.service_areas),
            selectinload(Initiative.measures),
        )
    ).unique().scalar_one_or_none()


def signature_of(user: User | None, initiative_id: int) -> Signature | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Signature).where(Signature.initiative_id == initiative_id, Signature.user_id == user.id)
    )


def public_signer_names(initiative_id: int, limit: int = 500) -> tuple[list[tuple[str, datetime]], int]:
    """(name, when) of the signers who chose to be shown, oldest first, at most `limit`; and
    how many chose so in all."""
    condition = and_(Signature.initiative_id == initiative_id, Signature.show_name.is_(True),
                     Signature.user_id.is_not(None))
    rows = db.session.execute(
        select(User.full_name, Signature.created_at).join(User, User.id == Signature.user_id)
        .where(condition).order_by(Signature.created_at, Signature.id).limit(limit)
    ).all()
    total = len(rows) if len(rows) < limit else db.session.scalar(
        select(func.count(Signature.id)).where(condition)
    ) or 0
    return [(name, as_utc(when)) for name, when in rows], total


@dataclass(frozen=True)
class SignerRow:
    name: str
    signed_at: datetime
    verified: bool
    show_name: bool


def signer_rows(initiative_id: int) -> Iterator[SignerRow]:
    """Every signature for staff (name, when, verified, shown publicly), oldest first, read in
    batches; an erased signer's anonymous signature as "Tidligere deltaker"."""
    result = db.session.execute(
        select(User.full_name, Signature.created_at, Signature.verified, Signature.show_name)
        .outerjoin(User, User.id == Signature.user_id)
        .where(Signature.initiative_id == initiative_id)
        .order_by(Signature.created_at, Signature.id)
        .execution_options(yield_per=500)
    )
    try:
        for name, when, verified, shown in result:
            yield SignerRow(name or "", as_utc(when), bool(verified), bool(shown))
    finally:
        result.close()


def signer_page(initiative_id: int, page: int, per_page: int) -> Page:
    stmt = (
        select(User.full_name, Signature.created_at, Signature.verified, Signature.show_name)
        .outerjoin(User, User.id == Signature.user_id)
        .where(Signature.initiative_id == initiative_id)
        .order_by(Signature.created_at, Signature.id)
    )
    result = paginate(stmt, page, per_page, scalars=False)
    result.items = [SignerRow(name or "", as_utc(when), bool(v), bool(s)) for name, when, v, s in result.items]
    return result


def paper_batches(initiative_id: int) -> list[PaperSignatureBatch]:
    return list(db.session.scalars(
        select(PaperSignatureBatch).where(PaperSignatureBatch.initiative_id == initiative_id)
        .options(joinedload(PaperSignatureBatch.registered_by)).order_by(PaperSignatureBatch.id)
    ))


def get_paper_batch(batch_id: int) -> PaperSignatureBatch | None:
    return db.session.get(PaperSignatureBatch, batch_id)


# --- staff lists --------------------------------------------------------------------------


def awaiting_moderation() -> list[Initiative]:
    """The moderation queue: oldest first (the proposer has waited longest)."""
    return list(db.session.scalars(
        select(Initiative).where(Initiative.status == S.AWAITING_MODERATION)
        .options(*_list_options()).order_by(Initiative.created_at, Initiative.id)
    ))


def awaiting_query(user: User | None = None) -> Select:
    return select(func.count(Initiative.id)).where(Initiative.status == S.AWAITING_MODERATION)


def awaiting_count(user: User | None = None) -> int:
    return db.session.scalar(awaiting_query(user)) or 0


def submitted_by_deadline() -> list[Initiative]:
    """Submitted initiatives waiting for the council, by deadline: the overdue ones first."""
    return list(db.session.scalars(
        select(Initiative).where(Initiative.status == S.SUBMITTED)
        .options(*_list_options()).order_by(Initiative.deadline, Initiative.submitted_at, Initiative.id)
    ))


def overdue_query(user: User | None = None, today: date | None = None) -> Select:
    from app.initiatives.services import local_today

    return select(func.count(Initiative.id)).where(
        Initiative.status == S.SUBMITTED, Initiative.deadline < (today or local_today())
    )


def overdue_count(user: User | None = None, today: date | None = None) -> int:
    return db.session.scalar(overdue_query(user, today)) or 0


def collecting_for_staff() -> list[Initiative]:
    """Collections running now (for paper signatures), ending soonest first."""
    return list(db.session.scalars(
        select(Initiative).where(_collecting_now(utcnow()))
        .options(*_list_options()).order_by(Initiative.collection_ends_at, Initiative.id)
    ))


# --- the idea page and a person's own -----------------------------------------------------


def from_idea(idea_id: int, viewer: User | None) -> list[Initiative]:
    """The initiatives an idea became: the public ones, and the viewer's own (or all of them for
    moderators) while they wait."""
    condition = Initiative.status.in_(PUBLIC_STATUSES)
    if can_moderate_initiatives(viewer):
        condition = Initiative.id.is_not(None)
    elif viewer is not None and getattr(viewer, "is_authenticated", False):
        condition = or_(condition, Initiative.proposer_id == viewer.id)
    return list(db.session.scalars(
        select(Initiative).where(Initiative.from_idea_id == idea_id, condition)
        .order_by(Initiative.created_at, Initiative.id)
    ))


def mine(user: User | None) -> list[Initiative]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Initiative).where(Initiative.proposer_id == user.id)
        .order_by(Initiative.created_at.desc(), Initiative.id.desc())
    ))


# --- the timeline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    kind: str  # proposed, refused, collecting, expired, submitted, rejected, decided, measure
    when: datetime | date
    item: object = None


def timeline(initiative: Initiative, viewer: User | None = None) -> list[TimelineEvent]:
    """The initiative's public history, oldest first: collection started, submitted, the
    council's decision (or the refusal as the same content), each measure. The proposal
    and a refusal in moderation are shown to the proposer and moderators only."""
    events: list[TimelineEvent] = []
    private_ok = is_proposer(viewer, initiative) or can_moderate_initiatives(viewer)
    if private_ok:
        events.append(TimelineEvent("proposed", as_utc(initiative.created_at)))
        if initiative.status == S.REFUSED and initiative.moderated_at:
            events.append(TimelineEvent("refused", as_utc(initiative.moderated_at)))
    if initiative.collection_started_at:
        events.append(TimelineEvent("collecting", as_utc(initiative.collection_started_at)))
    if initiative.current_status == S.EXPIRED:
        from app.initiatives.services import collection_last_day

        events.append(TimelineEvent("expired", collection_last_day(initiative) or as_utc(initiative.expired_at)))
    if initiative.submitted_at:
        events.append(TimelineEvent("submitted", as_utc(initiative.submitted_at)))
    if initiative.rejected_at:
        events.append(TimelineEvent("rejected", as_utc(initiative.rejected_at)))
    if initiative.decided_at:
        events.append(TimelineEvent("decided", initiative.council_meeting_date or as_utc(initiative.decided_at)))
    for measure in initiative.measures:
        events.append(TimelineEvent("measure", measure.carried_out_on, measure))
    return events


def measures_of(initiative_id: int) -> list[InitiativeMeasure]:
    return list(db.session.scalars(
        select(InitiativeMeasure).where(InitiativeMeasure.initiative_id == initiative_id)
        .order_by(InitiativeMeasure.carried_out_on, InitiativeMeasure.id)
    ))
