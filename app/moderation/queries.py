"""Read side of moderation: the queue, my reports, the audit log and the transparency figures.

Every list is one paginated query plus a fixed number of batch loads, whatever its length.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.comments.models import Comment
from app.core.db import as_utc, utcnow
from app.core.input import to_date, to_int
from app.core.pagination import Page, paginate, paginate_counted
from app.extensions import db
from app.ideas.models import Idea
from app.moderation.models import (
    WAITING_STATES,
    Appeal,
    AppealDecision,
    AuditAction,
    AuditTarget,
    CaseState,
    ModerationAction,
    ModerationCase,
    Report,
    ReportReason,
    TargetType,
)
from app.moderation.permissions import items_in_scope

# --- the queue ------------------------------------------------------------------------

QUEUE_SORTS = ("newest", "most_reported", "oldest")
WAITING = "waiting"  # the default state filter: open, hidden pending review and appealed


@dataclass
class QueueFilters:
    kind: str = ""
    reason: str = ""
    state: str = WAITING
    sort: str = "newest"

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        """Lenient: unknown values fall back to the default rather than failing."""
        kind = args.get("kind", "")
        reason = args.get("reason", "")
        state = args.get("state", WAITING) or WAITING
        sort = args.get("sort", "newest")
        return cls(
            kind=kind if kind in {t.value for t in TargetType} else "",
            reason=reason if reason in {r.value for r in ReportReason} else "",
            state=state if state in {WAITING, "all", *(s.value for s in CaseState)} else WAITING,
            sort=sort if sort in QUEUE_SORTS else "newest",
        )

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def _cases_in_scope(viewer: User | None):
    """The cases of the viewer's areas (every case for moderators not limited to areas)."""
    return items_in_scope(viewer, ModerationCase.target_type, ModerationCase.target_id)


def queue_statement(filters: QueueFilters, viewer: User | None = None) -> Select:
    """The queue's cases; with a viewer whose role is limited to some municipal areas, only
    the cases of those areas' ideas and their comments."""
    stmt = select(ModerationCase).where(_cases_in_scope(viewer))
    if filters.state == WAITING:
        stmt = stmt.where(ModerationCase.state.in_(WAITING_STATES))
    elif filters.state != "all":
        stmt = stmt.where(ModerationCase.state == CaseState(filters.state))
    if filters.kind:
        stmt = stmt.where(ModerationCase.target_type == TargetType(filters.kind))
    if filters.reason:
        stmt = stmt.where(
            exists().where(Report.case_id == ModerationCase.id,
                           Report.reason == ReportReason(filters.reason))
        )
    if filters.sort == "most_reported":
        stmt = stmt.order_by(ModerationCase.open_report_count.desc(),
                             ModerationCase.report_count.desc(), ModerationCase.last_activity_at.desc())
    elif filters.sort == "oldest":
        stmt = stmt.order_by(ModerationCase.last_activity_at.asc())
    else:
        stmt = stmt.order_by(ModerationCase.last_activity_at.desc())
    return stmt.order_by(ModerationCase.id.desc())


@dataclass
class QueueEntry:
    """One item in the queue: the case, the item itself and what people said about it."""

    case: ModerationCase
    item: Idea | Comment | None
    reports: list[Report] = field(default_factory=list)  # this round's (open) reports, newest first
    appeal: Appeal | None = None

    @property
    def reasons(self) -> list[tuple[str, int]]:
        return Counter(r.reason.value for r in self.reports).most_common()

    @property
    def notes(self) -> list[Report]:
        return [r for r in self.reports if r.note]

    @property
    def waiting_since(self) -> datetime | None:
        if self.appeal is not None and not self.appeal.is_decided:
            return self.appeal.created_at
        return self.case.first_open_report_at or self.case.last_activity_at


def load_entries(cases: list[ModerationCase]) -> list[QueueEntry]:
    """The items (with their authors, and a comment's idea, joined), this round's reports and
    pending appeals of a page of cases: four queries."""
    idea_ids = [c.target_id for c in cases if c.target_type == TargetType.IDEA]
    comment_ids = [c.target_id for c in cases if c.target_type == TargetType.COMMENT]
    ideas = {i.id: i for i in db.session.scalars(
        select(Idea).where(Idea.id.in_(idea_ids)).options(joinedload(Idea.author))
    )} if idea_ids else {}
    comments = {c.id: c for c in db.session.scalars(
        select(Comment).where(Comment.id.in_(comment_ids))
        .options(joinedload(Comment.author), joinedload(Comment.idea))
    )} if comment_ids else {}
    case_ids = [c.id for c in cases]
    reports: dict[int, list[Report]] = defaultdict(list)
    appeals: dict[int, Appeal] = {}
    if case_ids:
        for report in db.session.scalars(
            select(Report).where(Report.case_id.in_(case_ids), Report.resolution.is_(None))
            .order_by(Report.created_at.desc())
        ):
            reports[report.case_id].append(report)
        for appeal in db.session.scalars(
            select(Appeal).where(Appeal.case_id.in_(case_ids)).order_by(Appeal.created_at)
        ):
            # The pending appeal wins; otherwise the latest decided one is shown.
            if appeal.case_id not in appeals or not appeal.is_decided:
                appeals[appeal.case_id] = appeal
    entries = []
    for case in cases:
        items = ideas if case.target_type == TargetType.IDEA else comments
        entries.append(QueueEntry(case=case, item=items.get(case.target_id),
                                  reports=reports.get(case.id, []), appeal=appeals.get(case.id)))
    return entries


def queue_page(filters: QueueFilters, page: int, per_page: int, viewer: User | None = None) -> Page:
    result = paginate_counted(queue_statement(filters, viewer), page, per_page)
    result.items = load_entries(result.items)
    return result


def waiting_query(user=None) -> Select:
    """The count of items waiting for a moderator, of the user's areas (the staff menu runs it
    with its other counts)."""
    return (select(func.count()).select_from(ModerationCase)
            .where(ModerationCase.state.in_(WAITING_STATES), _cases_in_scope(user)))


def waiting_count(user=None) -> int:
    """How many items wait for a moderator: of the user's areas."""
    return db.session.scalar(waiting_query(user)) or 0


def waiting_by_state(viewer: User | None = None) -> dict[str, int]:
    rows = db.session.execute(
        select(ModerationCase.state, func.count())
        .where(ModerationCase.state.in_(WAITING_STATES), _cases_in_scope(viewer))
        .group_by(ModerationCase.state)
    ).all()
    counts = {state.value: 0 for state in WAITING_STATES}
    counts.update({state.value: n for state, n in rows})
    return counts


def case_for(target_type, target_id: int) -> ModerationCase | None:
    return db.session.scalar(
        select(ModerationCase).where(ModerationCase.target_type == TargetType(str(target_type)),
                                     ModerationCase.target_id == target_id)
    )


def reports_for(case: ModerationCase) -> list[Report]:
    return list(db.session.scalars(
        select(Report).where(Report.case_id == case.id).options(joinedload(Report.reporter))
        .order_by(Report.resolution.is_not(None), Report.created_at.desc())
    ))


def appeals_for(case: ModerationCase) -> list[Appeal]:
    return list(db.session.scalars(
        select(Appeal).where(Appeal.case_id == case.id).order_by(Appeal.created_at.desc())
    ))


def history_for(target_type, target_id: int) -> list[ModerationAction]:
    return list(db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.target_type == AuditTarget(str(target_type)),
               ModerationAction.target_id == target_id)
        .options(joinedload(ModerationAction.actor))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
    ))


# --- my reports -----------------------------------------------------------------------


@dataclass
class MyReport:
    report: Report
    item: Idea | Comment | None

    @property
    def outcome(self):
        return self.report.resolution

    @property
    def waiting_hidden(self) -> bool:
        """Hidden by the threshold and waiting for a moderator."""
        return self.report.resolution is None and self.report.case.state == CaseState.HIDDEN


def my_reports_page(user: User, page: int, per_page: int) -> Page:
    stmt = (
        select(Report).where(Report.reporter_id == user.id)
        .options(selectinload(Report.case))
        .order_by(Report.created_at.desc(), Report.id.desc())
    )
    result = paginate(stmt, page, per_page)
    idea_ids = [r.target_id for r in result.items if r.target_type == TargetType.IDEA]
    comment_ids = [r.target_id for r in result.items if r.target_type == TargetType.COMMENT]
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))} if idea_ids else {}
    comments = {c.id: c for c in db.session.scalars(
        select(Comment).where(Comment.id.in_(comment_ids)).options(selectinload(Comment.idea))
    )} if comment_ids else {}
    result.items = [
        MyReport(report=r, item=(ideas if r.target_type == TargetType.IDEA else comments).get(r.target_id))
        for r in result.items
    ]
    return result


# --- the audit log --------------------------------------------------------------------


@dataclass
class LogFilters:
    moderator: int | None = None
    action: str = ""
    kind: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args, strict: bool = False) -> "LogFilters":
        """Lenient for the page (nonsense is no filter); `strict` (the API) makes a date that is
        not ÅÅÅÅ-MM-DD between 2000 and 2100 a 422 naming since or until."""

        def as_date(name: str):
            return to_date(args.get(name), name, strict=strict)

        moderator = to_int(args.get("moderator"))
        action = args.get("action", "")
        kind = args.get("kind", "")
        return cls(
            moderator=moderator,
            action=action if action in {a.value for a in AuditAction} else "",
            kind=kind if kind in {t.value for t in AuditTarget} else "",
            since=as_date("since"),
            until=as_date("until"),
        )

    def as_args(self) -> dict:
        out = {}
        for key, value in vars(self).items():
            if value:
                out[key] = value.isoformat() if isinstance(value, date) else value
        return out


def _local_midnight(day: date) -> datetime:
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Oslo")
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def log_statement(filters: LogFilters, viewer: User | None = None) -> Select:
    """The log's rows; a viewer whose role is limited to some municipal areas reads the rows
    about those areas' ideas and comments, and every row about people and organisations."""
    # Many-to-one, so joined: the page is one query however many rows or people it shows.
    stmt = select(ModerationAction).options(
        joinedload(ModerationAction.actor), joinedload(ModerationAction.subject_user)
    )
    if viewer is not None:
        stmt = stmt.where(or_(
            ModerationAction.target_type.in_((AuditTarget.USER, AuditTarget.ORGANISATION)),
            items_in_scope(viewer, ModerationAction.target_type, ModerationAction.target_id),
        ))
    if filters.moderator:
        stmt = stmt.where(ModerationAction.actor_id == filters.moderator)
    if filters.action:
        stmt = stmt.where(ModerationAction.action == AuditAction(filters.action))
    if filters.kind:
        stmt = stmt.where(ModerationAction.target_type == AuditTarget(filters.kind))
    if filters.since:
        stmt = stmt.where(ModerationAction.created_at >= _local_midnight(filters.since))
    if filters.until:
        # The end date is included: up to midnight after it.
        stmt = stmt.where(ModerationAction.created_at < _local_midnight(filters.until + timedelta(days=1)))
    return stmt.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())


def log_page(filters: LogFilters, page: int, per_page: int, viewer: User | None = None) -> Page:
    return paginate(log_statement(filters, viewer), page, per_page)


def iter_log(filters: LogFilters, batch: int = 500, viewer: User | None = None):
    """Every row the filters select, newest first, read in batches (for the CSV download)."""
    last = None
    while True:
        stmt = log_statement(filters, viewer)
        if last is not None:
            stmt = stmt.where(
                or_(ModerationAction.created_at < last[0],
                    (ModerationAction.created_at == last[0]) & (ModerationAction.id < last[1]))
            )
        rows = list(db.session.scalars(stmt.limit(batch)))
        yield from rows
        if len(rows) < batch:
            return
        last = (rows[-1].created_at, rows[-1].id)


def log_moderators() -> list[User]:
    """Everyone who has acted in the log (for the moderator filter)."""
    return list(db.session.scalars(
        select(User).where(User.id.in_(select(ModerationAction.actor_id).distinct()))
        .order_by(User.full_name)
    ))


# --- the public transparency figures ---------------------------------------------------


@dataclass
class MonthFigures:
    month: date
    reported: int = 0
    hidden: int = 0
    restored: int = 0
    appealed: int = 0
    appeals_granted: int = 0
    appeals_rejected: int = 0


def _month_of(value: datetime, tz: ZoneInfo) -> date:
    local = as_utc(value).astimezone(tz)
    return date(local.year, local.month, 1)


def transparency(months: int = 12) -> list[MonthFigures]:
    """Per month (newest first): items reported, hidden, restored, appealed and appeal outcomes.

    Counts distinct items, never people. Months are in the municipality's time zone.
    """
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Oslo")
    now_local = utcnow().astimezone(tz)
    first = date(now_local.year, now_local.month, 1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    since = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)

    figures: dict[date, MonthFigures] = {}
    month = first
    while month <= date(now_local.year, now_local.month, 1):
        figures[month] = MonthFigures(month=month)
        month = (month + timedelta(days=32)).replace(day=1)
    sets: dict[tuple[date, str], set] = defaultdict(set)

    for kind, target_id, created in db.session.execute(
        select(Report.target_type, Report.target_id, Report.created_at).where(Report.created_at >= since)
    ):
        sets[(_month_of(created, tz), "reported")].add((kind, target_id))
    item_targets = (AuditTarget.IDEA, AuditTarget.COMMENT)
    for action, kind, target_id, created in db.session.execute(
        select(ModerationAction.action, ModerationAction.target_type, ModerationAction.target_id,
               ModerationAction.created_at)
        .where(ModerationAction.created_at >= since,
               ModerationAction.action.in_((AuditAction.HIDE, AuditAction.RESTORE)),
               ModerationAction.target_type.in_(item_targets))
    ):
        name = "hidden" if action == AuditAction.HIDE else "restored"
        sets[(_month_of(created, tz), name)].add((kind, target_id))
    for created, decided, decision in db.session.execute(
        select(Appeal.created_at, Appeal.decided_at, Appeal.decision)
        .where(or_(Appeal.created_at >= since, Appeal.decided_at >= since))
    ):
        if as_utc(created) >= since:
            figures[_month_of(created, tz)].appealed += 1
        if decided is not None and as_utc(decided) >= since:
            month_figures = figures[_month_of(decided, tz)]
            if decision == AppealDecision.GRANTED:
                month_figures.appeals_granted += 1
            else:
                month_figures.appeals_rejected += 1
    for (month, name), items in sets.items():
        if month in figures:
            setattr(figures[month], name, len(items))
    return sorted(figures.values(), key=lambda f: f.month, reverse=True)
