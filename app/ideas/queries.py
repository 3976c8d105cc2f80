"""Read side of ideas: the filtered list, its counts per filter option, one idea, similar ideas.

Everything here leaves hidden ideas out. A list page costs a fixed number of queries: one page
of rows (author, organisation and service area joined in, read through an index in the list's
order) and one for the SDGs of the whole page. The unfiltered list's total and counts per filter
option, and the site totals, are read from the counts table the database keeps current
(app/ideas/counts.py: one small query). What counts the ideas matching a filter (the total, the
grouped counts per filter option, the trending pool) is kept in app.core.cache for a minute.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy import Select, and_, exists, false, func, or_, select, true, union_all
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.accounts.models import Organisation, User
from app.core import cache, reference
from app.core.db import utcnow
from app.core.input import to_int
from app.core.models import MunicipalArea, Sdg, ServiceArea
from app.core.pagination import Page, count_rows
from app.extensions import db
from app.ideas import counts as kept_counts
from app.ideas import search
from app.ideas.models import (
    Endorsement,
    Idea,
    IdeaStatus,
    StatusChange,
    Visibility,
    Vote,
    idea_sdgs,
)

SORTS = ("newest", "votes", "comments", "trending")
TRENDING_DAYS = 14
TRENDING_POOL = 500
# Its own alias, made once: the "voted" filter has a Vote subquery of its own.
_RECENT_VOTE = aliased(Vote, name="recent_vote")


def _int(value) -> int | None:
    # An id no row can hold (past 2**31 - 1) is no filter, like a word where a number belongs.
    return to_int(value)


def _flag(value) -> bool:
    return str(value or "").lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class IdeaFilters:
    """What a list shows; read from and written back to the URL, so a list can be shared."""

    q: str = ""
    status: str | None = None
    municipal_area: int | None = None
    service_area: int | None = None
    sdg: int | None = None
    organisation: int | None = None
    mine: bool = False
    voted: bool = False
    sort: str = ""

    @classmethod
    def from_args(cls, args: Mapping) -> "IdeaFilters":
        """Lenient: an unknown status or a word where a number belongs is simply ignored."""
        status = args.get("status") or None
        if status not in {s.value for s in IdeaStatus}:
            status = None
        sort = args.get("sort") or ""
        q = " ".join((args.get("q") or "").split())[:200]
        if sort not in SORTS and not (sort == "relevance" and q):
            sort = ""
        return cls(
            q=q,
            status=status,
            municipal_area=_int(args.get("municipal_area")),
            service_area=_int(args.get("service_area")),
            sdg=_int(args.get("sdg")),
            organisation=_int(args.get("organisation")),
            mine=_flag(args.get("mine")),
            voted=_flag(args.get("voted")),
            sort=sort,
        )

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "newest")

    def to_args(self, **changes) -> dict:
        """The non-default values as URL arguments, with `changes` applied."""
        data = replace(self, **changes) if changes else self
        args = {
            "q": data.q,
            "status": data.status,
            "municipal_area": data.municipal_area,
            "service_area": data.service_area,
            "sdg": data.sdg,
            "organisation": data.organisation,
            "mine": 1 if data.mine else None,
            "voted": 1 if data.voted else None,
            "sort": data.sort,
        }
        return {key: value for key, value in args.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.to_args(sort=""))

    @property
    def narrowed(self) -> bool:
        """A filter other than the search text is set."""
        return bool(self.to_args(sort="", q=""))


def _viewer_id(viewer: User | None) -> int | None:
    return viewer.id if viewer is not None and getattr(viewer, "is_authenticated", False) else None


def visible_ideas() -> Select:
    return select(Idea).where(Idea.visibility == Visibility.VISIBLE)


def _voted_by(user_id: int):
    return exists().where(Vote.idea_id == Idea.id, Vote.user_id == user_id)


def _filter(stmt: Select, filters: IdeaFilters, viewer: User | None, skip: frozenset = frozenset()):
    """Apply every filter but those in `skip` (a filter's own counts ignore itself)."""
    stmt = stmt.where(Idea.visibility == Visibility.VISIBLE)
    if filters.status and "status" not in skip:
        stmt = stmt.where(Idea.status == IdeaStatus(filters.status))
    if filters.service_area and "service_area" not in skip:
        stmt = stmt.where(Idea.service_area_id == filters.service_area)
    if filters.municipal_area and "municipal_area" not in skip:
        stmt = stmt.where(
            Idea.service_area_id.in_(
                select(ServiceArea.id).where(ServiceArea.municipal_area_id == filters.municipal_area)
            )
        )
    if filters.sdg and "sdg" not in skip:
        stmt = stmt.where(
            exists().where(idea_sdgs.c.idea_id == Idea.id, idea_sdgs.c.sdg_number == filters.sdg)
        )
    if filters.organisation and "organisation" not in skip:
        stmt = stmt.where(Idea.organisation_id == filters.organisation)
    user_id = _viewer_id(viewer)
    if filters.mine and "mine" not in skip:
        stmt = stmt.where(Idea.author_id == user_id if user_id else false())
    if filters.voted and "voted" not in skip:
        stmt = stmt.where(_voted_by(user_id) if user_id else false())
    if filters.q and "q" not in skip:
        matched = search.condition(filters.q)
        if matched is not None:  # a search of only punctuation filters nothing
            stmt = stmt.where(matched)
    return stmt


def _list_options(with_status_history: bool = False) -> list:
    options = [
        joinedload(Idea.author),
        joinedload(Idea.organisation),
        joinedload(Idea.service_area).joinedload(ServiceArea.municipal_area),
        selectinload(Idea.sdgs),
    ]
    if with_status_history:
        options.append(selectinload(Idea.status_changes))
    return options


def _ordered(stmt: Select, filters: IdeaFilters) -> Select:
    sort = filters.effective_sort
    if sort == "votes":
        return stmt.order_by(Idea.vote_count.desc(), Idea.id.desc())
    if sort == "comments":
        return stmt.order_by(Idea.comment_count.desc(), Idea.id.desc())
    if sort == "relevance" and filters.q:
        ranked = search.by_relevance(stmt, filters.q)  # ranks a bounded set of the matches
        if ranked is not None:
            return ranked
    return stmt.order_by(Idea.created_at.desc(), Idea.id.desc())


def _personal(filters: IdeaFilters) -> bool:
    return filters.mine or filters.voted


def _remember(name: str, filters: IdeaFilters, compute):
    """Counts depend on the filters, not the order. "Mine" and "voted" lists read only the
    viewer's own rows and change with their every vote: those are counted, never cached.

    What is cached never depends on who asks, so a stale count is made afresh in the background
    (`compute` gets no viewer: see _who)."""
    if _personal(filters):
        return compute()
    return cache.remember("ideas", (name, replace(filters, sort="")), compute, background=True)


def _who(filters: IdeaFilters, viewer: User | None) -> User | None:
    """The viewer a count needs: only the personal filters read it (and those are not cached)."""
    return viewer if _personal(filters) else None


def _unfiltered(filters: IdeaFilters) -> bool:
    """Every visible idea: the counts table has the numbers (the sort changes none)."""
    return not filters.active


def count_ideas(filters: IdeaFilters, viewer: User | None) -> int:
    """How many visible ideas match: the counts table's total for the whole list, else cached,
    since counting reads every matching row."""
    if _unfiltered(filters):
        return kept_counts.read()["ideas"].get("", 0)
    who = _who(filters, viewer)
    return _remember("count", filters, lambda: count_rows(_filter(select(Idea.id), filters, who)))


def trending_ids(filters: IdeaFilters, viewer: User | None) -> list[int]:
    """Matching ideas with votes in the last TRENDING_DAYS, most such votes first.

    At most TRENDING_POOL of them; the rest of a trending list follows by total votes. Kept
    with the other counts, so a busy minute of voting does not recount on every request.
    """

    who = _who(filters, viewer)

    def compute() -> list[int]:
        vote = _RECENT_VOTE
        recent = func.count(vote.id)
        stmt = (
            _filter(select(Idea.id).join(vote, vote.idea_id == Idea.id), filters, who)
            .where(vote.created_at >= utcnow() - timedelta(days=TRENDING_DAYS))
            .group_by(Idea.id, Idea.vote_count)
            .order_by(recent.desc(), Idea.vote_count.desc(), Idea.id.desc())
            .limit(TRENDING_POOL)
        )
        return list(db.session.scalars(stmt))

    return _remember("trending", filters, compute)


def _trending_page(
    filters: IdeaFilters, viewer: User | None, page: int, per_page: int, options
) -> tuple[list[Idea], set[int]]:
    """One page of the trending order in one query: a slice of the pool, then by total votes;
    with the ids of those the viewer voted for."""
    pool = trending_ids(filters, viewer)
    offset = (page - 1) * per_page
    head = pool[offset:offset + per_page]
    rest = (
        _filter(select(Idea.id), filters, viewer)
        .where(Idea.id.not_in(pool) if pool else true())
        .order_by(Idea.vote_count.desc(), Idea.id.desc())
        .offset(max(0, offset - len(pool)))
        .limit(per_page - len(head))
    )
    # A UNION of the two id lists, so each half is read through its own index.
    # The pool may be a minute old: its ideas pass the filters again (hidden since, say).
    pooled = _filter(select(Idea.id), filters, viewer).where(Idea.id.in_(head))
    # A page the pool fills (the front page, the first pages) needs no second half: planning
    # its NOT IN over the whole pool cost PostgreSQL 2–3 ms.
    wanted = pooled if len(head) == per_page else union_all(pooled, select(rest.subquery().c.id))
    position = {idea_id: index for index, idea_id in enumerate(head)}
    ideas, voted = _loaded(Idea.id.in_(wanted), options, viewer)
    ordered = sorted(ideas, key=lambda i: (0, position[i.id], 0) if i.id in position else (1, -i.vote_count, -i.id))
    return ordered, voted


def list_ideas(
    filters: IdeaFilters, viewer: User | None, page: int, per_page: int, *, with_status_history: bool = False
) -> Page:
    """One page of visible ideas matching the filters, with what the cards show loaded.

    The total comes from the cached count; the rows are read through an index in the order.
    `extra["voted_ids"]`: which of the page's ideas the viewer voted for, read with the rows.
    """
    options = _list_options(with_status_history)
    total = count_ideas(filters, viewer)
    if filters.effective_sort == "trending":
        items, voted = _trending_page(filters, viewer, page, per_page, options)
    else:
        # The page's ids first, from the index in the list's order (an index-only scan, even many
        # pages deep), then those rows with what the cards show: the joins run for 20 rows, not
        # for every row the offset skips.
        ids = page_ids(filters, viewer, page, per_page)
        found, voted = _loaded(Idea.id.in_(ids), options, viewer)
        items = _in_order(found, ids)
    return Page(items=items, page=page, per_page=per_page, total=total, extra={"voted_ids": voted})


def page_ids(filters: IdeaFilters, viewer: User | None, page: int, per_page: int) -> list[int]:
    """The ids of one page of the list in its order, from the index (not the trending order,
    which list_ideas ranks as it loads)."""
    return list(db.session.scalars(
        _ordered(_filter(select(Idea.id), filters, viewer), filters)
        .limit(per_page).offset((page - 1) * per_page)
    ))


def cards(ids: list[int]) -> list[Idea]:
    """The ideas of page_ids() in that order, with what their cards show."""
    found, _voted = _loaded(Idea.id.in_(ids), _list_options(), None)
    return _in_order(found, ids)


def voted_among(viewer: User | None, ids: list[int]) -> set[int]:
    """Which of these ideas the viewer voted for."""
    user_id = _viewer_id(viewer)
    if not user_id or not ids:
        return set()
    return set(db.session.scalars(select(Vote.idea_id).where(Vote.user_id == user_id, Vote.idea_id.in_(ids))))


def personal(filters: IdeaFilters) -> bool:
    """Whether the list is the viewer's own ("mine", "voted"): read for them alone."""
    return _personal(filters)


def _in_order(found: list[Idea], ids: list[int]) -> list[Idea]:
    by_id = {idea.id: idea for idea in found}
    return [by_id[idea_id] for idea_id in ids if idea_id in by_id]


def _loaded(condition, options, viewer: User | None) -> tuple[list[Idea], set[int]]:
    """The ideas matching `condition` with `options` loaded and, in the same statement, which
    of them the viewer voted for."""
    user_id = _viewer_id(viewer)
    if not user_id:
        return list(db.session.scalars(select(Idea).where(condition).options(*options)).unique()), set()
    voted = exists().where(Vote.idea_id == Idea.id, Vote.user_id == user_id).label("voted")
    rows = db.session.execute(select(Idea, voted).where(condition).options(*options)).unique().all()
    return [idea for idea, _ in rows], {idea.id for idea, has in rows if has}


# --- counts per filter option ---------------------------------------------------------------


@dataclass
class Option:
    value: object
    label: str
    count: int
    selected: bool = False
    group: str | None = None


@dataclass
class Facets:
    statuses: list[Option] = field(default_factory=list)
    municipal_areas: list[Option] = field(default_factory=list)
    service_areas: list[Option] = field(default_factory=list)
    sdgs: list[Option] = field(default_factory=list)
    organisations: list[Option] = field(default_factory=list)

    @property
    def service_area_groups(self) -> list[tuple[str, list[Option]]]:
        """Service-area options grouped by municipal area, in the municipality's order."""
        groups: dict[str, list[Option]] = {}
        for option in self.service_areas:
            groups.setdefault(option.group or "", []).append(option)
        return list(groups.items())


def _grouped(column, filters: IdeaFilters, viewer: User | None, skip: set[str], join=None) -> dict:
    stmt = select(column, func.count(Idea.id)).select_from(Idea)
    if join is not None:
        stmt = stmt.join(*join)
    stmt = _filter(stmt, filters, viewer, frozenset(skip)).group_by(column)
    return dict(db.session.execute(stmt).all())


@dataclass(frozen=True)
class _FacetCounts:
    by_status: dict
    by_area: dict | None  # None: summed from by_service (the counts table keeps service areas)
    by_service: dict
    by_sdg: dict
    organisations: list  # (id, name, count)


def _kept_facet_counts() -> _FacetCounts:
    """The whole list's counts per filter option, from the counts table: one small query."""
    kept = kept_counts.read()
    organisations = kept_counts.organisations()
    statuses = {s.value for s in IdeaStatus}
    return _FacetCounts(
        by_status={IdeaStatus(key): n for key, n in kept["status"].items() if key in statuses},
        by_area=None,
        by_service={int(key): n for key, n in kept["service_area"].items()},
        by_sdg={int(key): n for key, n in kept["sdg"].items()},
        organisations=[tuple(row) for row in organisations],
    )


def _facet_counts(filters: IdeaFilters, viewer: User | None) -> _FacetCounts:
    """The grouped COUNTs behind the filter options: for the whole list from the counts table,
    else cached, as they read every matching idea."""

    if _unfiltered(filters):
        return _kept_facet_counts()
    who = _who(filters, viewer)

    def compute() -> _FacetCounts:
        # Organisations that have ever posted a visible idea stay listed, with today's count.
        filtered = _filter(
            select(Idea.id, Idea.organisation_id), filters, who, frozenset({"organisation"})
        ).subquery()
        posted = select(Idea.organisation_id).where(
            Idea.visibility == Visibility.VISIBLE, Idea.organisation_id.is_not(None)
        )
        organisations = db.session.execute(
            select(Organisation.id, Organisation.name, func.count(filtered.c.id))
            .outerjoin(filtered, filtered.c.organisation_id == Organisation.id)
            .where(or_(Organisation.id.in_(posted), Organisation.id == (filters.organisation or 0)))
            .group_by(Organisation.id, Organisation.name)
            .order_by(Organisation.name)
        ).all()
        return _FacetCounts(
            by_status=_grouped(Idea.status, filters, who, {"status"}),
            by_area=_grouped(
                ServiceArea.municipal_area_id, filters, who, {"municipal_area", "service_area"},
                join=(ServiceArea, ServiceArea.id == Idea.service_area_id),
            ),
            by_service=_grouped(Idea.service_area_id, filters, who, {"service_area"}),
            by_sdg=_grouped(
                idea_sdgs.c.sdg_number, filters, who, {"sdg"},
                join=(idea_sdgs, idea_sdgs.c.idea_id == Idea.id),
            ),
            organisations=[tuple(row) for row in organisations],
        )

    return _remember("facets", filters, compute)


def personal_counts(filters: IdeaFilters, viewer: User | None) -> tuple[int, int]:
    """(my ideas, ideas I voted for) under the other filters, read from the viewer's own rows."""
    user_id = _viewer_id(viewer)
    if not user_id:
        return 0, 0
    mine = _filter(
        select(func.count(Idea.id)).select_from(Idea).where(Idea.author_id == user_id),
        filters, viewer, frozenset({"mine"}),
    )
    voted = _filter(
        select(func.count(Idea.id)).select_from(Vote).join(Idea, Idea.id == Vote.idea_id)
        .where(Vote.user_id == user_id),
        filters, viewer, frozenset({"voted"}),
    )
    counts = db.session.execute(select(mine.scalar_subquery(), voted.scalar_subquery())).one()
    return int(counts[0] or 0), int(counts[1] or 0)


def facets(filters: IdeaFilters, viewer: User | None) -> Facets:
    """How many ideas each filter option would give, with the other filters kept.

    The counts are cached (see _facet_counts); the options are built in the reader's language.
    """
    from app.ideas.labels import STATUS_LABELS

    counts = _facet_counts(filters, viewer)
    result = Facets()
    result.statuses = [
        Option(status.value, str(STATUS_LABELS[status]), counts.by_status.get(status, 0),
               filters.status == status.value)
        for status in IdeaStatus
    ]

    by_area, by_service = counts.by_area, counts.by_service
    structure = reference.structure()
    if by_area is None:
        by_area = {}
        for service_area, area in structure:
            if by_service.get(service_area.id):
                by_area[area.id] = by_area.get(area.id, 0) + by_service[service_area.id]
    seen_areas = set()
    for service_area, area in structure:
        if area.id not in seen_areas and (
            not area.retired or by_area.get(area.id) or filters.municipal_area == area.id
        ):
            seen_areas.add(area.id)
            result.municipal_areas.append(
                Option(area.id, area.name, by_area.get(area.id, 0), filters.municipal_area == area.id)
            )
        if filters.municipal_area and service_area.municipal_area_id != filters.municipal_area:
            continue
        if not service_area.retired or by_service.get(service_area.id) or filters.service_area == service_area.id:
            result.service_areas.append(
                Option(service_area.id, service_area.name, by_service.get(service_area.id, 0),
                       filters.service_area == service_area.id, group=area.name)
            )

    goals = reference.goals()
    result.sdgs = [
        Option(goal.number, f"{goal.number}. {goal.name}", counts.by_sdg.get(goal.number, 0),
               filters.sdg == goal.number)
        for goal in goals
    ]
    result.organisations = [
        Option(org_id, name, count, filters.organisation == org_id)
        for org_id, name, count in counts.organisations
    ]
    return result


# --- one idea and what hangs on it -------------------------------------------------------------


def load_idea(idea_id: int) -> Idea | None:
    """An idea (hidden or not) with everything its page shows."""
    return db.session.execute(
        select(Idea)
        .where(Idea.id == idea_id)
        .options(
            joinedload(Idea.author),
            joinedload(Idea.organisation),
            joinedload(Idea.service_area).joinedload(ServiceArea.municipal_area),
            joinedload(Idea.merged_into),
            # At most three pictures: joined into the idea's row rather than a query. (Joining
            # the goals too makes SQLite build the whole idea-goal join first: a query of its own.)
            selectinload(Idea.sdgs),
            joinedload(Idea.images),
            selectinload(Idea.status_changes).joinedload(StatusChange.changed_by),
        )
    ).unique().scalar_one_or_none()


def endorsements_of(idea: Idea) -> list[Endorsement]:
    return list(
        db.session.scalars(
            select(Endorsement)
            .where(Endorsement.idea_id == idea.id)
            .options(joinedload(Endorsement.organisation))
            .order_by(Endorsement.created_at, Endorsement.id)
        )
    )


def voted_idea_ids(viewer: User | None, idea_ids: list[int]) -> set[int]:
    """Which of these ideas the viewer has voted for, in one query."""
    user_id = _viewer_id(viewer)
    if not user_id or not idea_ids:
        return set()
    return set(
        db.session.scalars(select(Vote.idea_id).where(Vote.user_id == user_id, Vote.idea_id.in_(idea_ids)))
    )


def has_voted(viewer: User | None, idea: Idea) -> bool:
    return idea.id in voted_idea_ids(viewer, [idea.id])


def similar_ideas(text: str, limit: int = 5, exclude_id: int | None = None, full: bool = False) -> list[Idea]:
    """Visible ideas whose title and description look like the text, best match first.

    `full` also loads what the API's idea JSON shows (SDGs, status history).
    """
    matched = search.matches(text, any_word=True, prefix_last=True)
    if matched is None:
        return []
    stmt = (
        select(Idea)
        .join(matched, matched.c.idea_id == Idea.id)
        .where(Idea.visibility == Visibility.VISIBLE, Idea.status != IdeaStatus.WITHDRAWN)
        .options(*_list_options(with_status_history=full))
        .order_by(matched.c.relevance.desc(), Idea.vote_count.desc(), Idea.id.desc())
        .limit(limit)
    )
    if exclude_id:
        stmt = stmt.where(Idea.id != exclude_id)
    return list(db.session.scalars(stmt).unique())


# --- reference data and the front page ---------------------------------------------------------


def service_areas_grouped(include: int | None = None) -> list[tuple[MunicipalArea, list[ServiceArea]]]:
    """Active service areas by active municipal area (and `include`, e.g. an idea's current one)."""
    rows = db.session.execute(
        select(ServiceArea, MunicipalArea)
        .join(MunicipalArea)
        .where(
            or_(
                and_(ServiceArea.retired_at.is_(None), MunicipalArea.retired_at.is_(None)),
                ServiceArea.id == (include or 0),
            )
        )
        .order_by(MunicipalArea.position, MunicipalArea.name, ServiceArea.position, ServiceArea.name)
    ).all()
    grouped: dict[int, tuple[MunicipalArea, list[ServiceArea]]] = {}
    for service_area, area in rows:
        grouped.setdefault(area.id, (area, []))[1].append(service_area)
    return list(grouped.values())


def all_sdgs() -> list[Sdg]:
    return list(db.session.scalars(select(Sdg).order_by(Sdg.number)))


@dataclass
class Totals:
    ideas: int
    votes: int
    comments: int


def totals() -> Totals:
    """Ideas, votes and comments on visible ideas, from the counts table (read once a request)."""
    kept = kept_counts.read()
    return Totals(kept["ideas"].get("", 0), kept["votes"].get("", 0), kept["comments"].get("", 0))


def front_page_ideas(limit: int = 6) -> tuple[list[Idea], list[Idea]]:
    """(newest, popular now): popular is most votes in the last 14 days, then most votes."""
    newest = list_ideas(IdeaFilters(sort="newest"), None, 1, limit).items
    popular = list_ideas(IdeaFilters(sort="trending"), None, 1, limit).items
    return newest, popular
