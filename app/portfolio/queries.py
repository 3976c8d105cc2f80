"""Read side of the portfolio: lists, filters, the board's ranking, the SDG numbers, the inbox.

Every function here costs a fixed number of queries whatever the number of rows: one
GROUP BY per number, eager loading for what the pages show.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta

from flask import current_app, g
from sqlalchemy import Select, and_, case, distinct, func, literal, null, or_, select, union_all
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User
from app.accounts.permissions import scope_of
from app.core import cache, reference
from app.core.db import as_utc, utcnow
from app.core.input import to_int
from app.core.models import MunicipalArea, Sdg, ServiceArea
from app.core.pagination import Page
from app.core.reference import copy_of as _copy
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, Visibility, Vote, idea_sdgs
from app.ideas.permissions import ideas_in_areas
from app.portfolio import BOARD
from app.portfolio.models import (
    BOARD_PHASES,
    CITIZEN_SUPPORT,
    Assessment,
    CompetenceGroup,
    Criterion,
    Decision,
    LocalTarget,
    PlanBudget,
    PoliticalPriority,
    Project,
    ProjectCost,
    ProjectIdea,
    ProjectKind,
    ProjectPhase,
    ProjectPhaseChange,
    ProjectUpdate,
    System,
    competence_group_members,
    project_local_targets,
    project_sdgs,
    project_service_areas,
)
from app.portfolio.permissions import (
    answerable_ideas,
    projects_in_areas,
    projects_in_scope,
    visible_projects,
)
from app.portfolio.plan import (
    PlanSummary,
    RowPlan,
    plan_line,
    plan_years,
    site_today,
    yearly_costs,
)
from app.portfolio.priorities import PriorityFilters
from app.portfolio.signals import PROJECT_VIEWER_STATES

# Ideas that count in the numbers: gone ones (withdrawn, merged into another) do not.
COUNTED_IDEA = and_(
    Idea.visibility == Visibility.VISIBLE,
    Idea.status.not_in([IdeaStatus.WITHDRAWN, IdeaStatus.MERGED]),
)
PHASE_ORDER = {phase: index for index, phase in enumerate(ProjectPhase)}


# --- filters ----------------------------------------------------------------------------


@dataclass
class ProjectFilters:
    municipal_area_id: int | None = None
    service_area_id: int | None = None
    kind: ProjectKind | None = None
    sdg: int | None = None
    phase: ProjectPhase | None = None
    # The viewer's municipal areas when their role is limited to some (never from the address):
    # staff screens such as the board show those areas' projects only. None: no limit.
    areas: frozenset[int] | None = None

    @classmethod
    def from_args(cls, args) -> "ProjectFilters":
        """Read filters from query arguments leniently: nonsense means no filter."""

        def number(name: str) -> int | None:
            # Ids and goal numbers: past 2**31 - 1 nothing can match, so no filter.
            return to_int(args.get(name))

        def choice(name: str, enum_cls):
            try:
                return enum_cls(args.get(name, ""))
            except ValueError:
                return None

        return cls(
            municipal_area_id=number("municipal_area"),
            service_area_id=number("service_area"),
            kind=choice("kind", ProjectKind),
            sdg=number("sdg"),
            phase=choice("phase", ProjectPhase),
        )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.municipal_area_id, self.service_area_id, self.kind,
                                           self.sdg, self.phase))

    def within_scope_of(self, user: User | None) -> "ProjectFilters":
        """The same filters, limited to the projects of the user's areas (accounts.scope_of)."""
        return replace(self, areas=scope_of(user))

    def apply(self, stmt: Select) -> Select:
        if self.service_area_id is not None:
            stmt = stmt.where(or_(
                Project.owner_service_area_id == self.service_area_id,
                Project.id.in_(select(project_service_areas.c.project_id).where(
                    project_service_areas.c.service_area_id == self.service_area_id)),
            ))
        if self.municipal_area_id is not None:
            in_area = select(ServiceArea.id).where(ServiceArea.municipal_area_id == self.municipal_area_id)
            stmt = stmt.where(or_(
                Project.owner_service_area_id.in_(in_area),
                Project.id.in_(select(project_service_areas.c.project_id).where(
                    project_service_areas.c.service_area_id.in_(in_area))),
            ))
        if self.kind is not None:
            stmt = stmt.where(Project.kind == self.kind)
        if self.sdg is not None:
            stmt = stmt.where(Project.id.in_(
                select(project_sdgs.c.project_id).where(project_sdgs.c.sdg_number == self.sdg)))
        if self.phase is not None:
            stmt = stmt.where(Project.phase == self.phase)
        if self.areas is not None:
            stmt = stmt.where(projects_in_areas(self.areas))
        return stmt


def _with_listing(stmt: Select) -> Select:
    """Everything a project card, a board row or the project JSON shows, in a fixed number of queries."""
    return stmt.options(
        joinedload(Project.owner_service_area).joinedload(ServiceArea.municipal_area),
        joinedload(Project.responsible),
        selectinload(Project.service_areas).joinedload(ServiceArea.municipal_area),
        selectinload(Project.sdgs),
        selectinload(Project.local_targets),
    )


def _shown_listing(stmt: Select) -> Select:
    """_with_listing without the collections: fill_listing() sets them afterwards."""
    return stmt.options(
        joinedload(Project.owner_service_area).joinedload(ServiceArea.municipal_area),
        joinedload(Project.responsible),
    )


def fill_listing(projects: list[Project]) -> list[Project]:
    """Set the projects' service areas, goals and local targets from one query over the three
    link tables and the cached reference data (_reference), for pages that only show them.

    The collections hold read-only copies and are set as loaded (no change to save): never
    call this on projects a request is about to change.
    """
    if not projects:
        return projects
    ids = [project.id for project in projects]
    pa, pg, pt = project_service_areas.c, project_sdgs.c, project_local_targets.c
    rows = db.session.execute(union_all(
        select(literal("a"), pa.project_id, pa.service_area_id).where(pa.project_id.in_(ids)),
        select(literal("g"), pg.project_id, pg.sdg_number).where(pg.project_id.in_(ids)),
        select(literal("t"), pt.project_id, pt.local_target_id).where(pt.project_id.in_(ids)),
    )).all()
    reference = _reference()
    _know_area_parents(reference)
    lookup = {
        "a": {sa.id: sa for area in reference["areas"] for sa in area.service_areas},
        "g": {goal.number: goal for goal in reference["goals"]},
        "t": {target.id: target for target in reference["targets"]},
    }
    found: dict[tuple[str, int], list] = defaultdict(list)
    for kind, project_id, other_id in rows:
        item = lookup[kind].get(other_id)
        if item is not None:
            found[(kind, project_id)].append(item)
    for project in projects:
        set_committed_value(project, "service_areas",
                            sorted(found[("a", project.id)], key=lambda sa: (sa.name_nb, sa.id)))
        set_committed_value(project, "sdgs", sorted(found[("g", project.id)], key=lambda goal: goal.number))
        set_committed_value(project, "local_targets",
                            sorted(found[("t", project.id)], key=lambda target: (target.code, target.id)))
    return projects


def shown_project(project_id: int) -> Project | None:
    """load_project() for pages that only show the project (fill_listing: two queries)."""
    project = db.session.scalars(_shown_listing(select(Project).where(Project.id == project_id))).first()
    if project is not None:
        fill_listing([project])
    return project


def load_project(project_id: int) -> Project | None:
    """One project with everything its page shows."""
    return db.session.scalars(_with_listing(select(Project).where(Project.id == project_id))).unique().first()


def _phase_rank():
    return case({phase.value: index for phase, index in PHASE_ORDER.items()}, value=Project.phase)


def projects_query(viewer: User | None, filters: ProjectFilters) -> Select:
    """The projects the viewer may see, by phase (proposed first) and title; call
    fill_listing() on the rows shown."""
    stmt = select(Project).where(visible_projects(viewer))
    stmt = filters.apply(stmt).order_by(_phase_rank(), Project.title, Project.id)
    # The page's rows then get their areas, goals and targets from fill_listing().
    return _shown_listing(stmt)


# --- reference data, read once --------------------------------------------------------
# The municipal structure, the goals, the criteria and the plan's budgets change a few times a
# year but every portfolio page shows them: they are kept with the counts (app.core.cache) as
# plain copies, forgotten after a commit that changes any of them. Copies, not the loaded rows:
# they belong to no session, so they are read-only (never attach them to a row that is saved).
# The areas and goals come from app/core/reference.py; the groups point at those areas, so a
# change to the structure forgets these too.
REFERENCE = "portfolio_reference"
for _model in (Criterion, MunicipalArea, ServiceArea, Sdg, PlanBudget, LocalTarget, CompetenceGroup):
    cache.watch(_model, REFERENCE)


def _reference() -> dict:
    def compute() -> dict:
        # The municipal structure and the goals are core's copies (app/core/reference.py).
        areas = reference.areas()
        goals = reference.goals()
        criteria = [_copy(c) for c in db.session.scalars(
            select(Criterion).order_by(Criterion.position, Criterion.id))]
        budgets = {row.year: _copy(row) for row in db.session.scalars(select(PlanBudget))}
        by_number = {goal.number: goal for goal in goals}
        targets = []
        for target in db.session.scalars(select(LocalTarget).order_by(LocalTarget.code)):
            copy = _copy(target)
            copy.sdg = by_number.get(target.sdg_number)
            targets.append(copy)
        by_area = {area.id: area for area in areas}
        groups = []
        for group in db.session.scalars(
            select(CompetenceGroup).options(selectinload(CompetenceGroup.areas))
            .order_by(CompetenceGroup.cross_cutting, CompetenceGroup.name_nb, CompetenceGroup.id)
        ):
            copy = _copy(group)
            copy.areas = [by_area[area.id] for area in group.areas if area.id in by_area]
            groups.append(copy)
        return {"areas": areas, "goals": goals, "criteria": criteria, "budgets": budgets, "targets": targets,
                "groups": groups}

    return cache.remember(REFERENCE, "reference", compute)


def filter_choices() -> dict:
    """What the filter controls offer: municipal areas with their service areas, and goals
    (read-only copies, see _reference)."""
    reference = _reference()
    return {"areas": reference["areas"], "goals": reference["goals"]}


def shown_targets() -> list[LocalTarget]:
    """The local targets by code, each with its goal: read-only copies (see _reference)."""
    return _reference()["targets"]


def shown_criteria() -> list[Criterion]:
    """criteria_list() for pages that only show or weigh the criteria: read-only copies."""
    return _reference()["criteria"]


def shown_groups() -> list[CompetenceGroup]:
    """groups.list_groups(members=False) for pages that only show the groups' scores:
    read-only copies with their municipal areas."""
    return _reference()["groups"]


CONTRACTS = "portfolio_contracts"
# The box names each system's owning municipal area (from the reference data).
for _model in (System, MunicipalArea, ServiceArea):
    cache.watch(_model, CONTRACTS)


def shown_contracts():
    """systems.board_contracts() for the board: kept with the counts (a change to a system
    forgets it), the systems as read-only copies with their owning area."""
    from app.portfolio.systems import board_contracts

    def compute():
        found = board_contracts()
        areas = {area.id: area for area in _reference()["areas"]}
        systems = []
        for system in found.systems:
            copy = _copy(system)
            copy.owner_area = areas.get(system.owner_area_id) or _copy(system.owner_area)
            systems.append(copy)
        return replace(found, systems=systems)

    return cache.remember(CONTRACTS, ("board", site_today()), compute)


def _know_area_parents(reference: dict) -> None:
    """Tell accounts.permissions.municipal_area_of, for this request, what it would read:
    every service area's municipal area (a service area never moves to another)."""
    if "service_area_parents" not in g:
        g.service_area_parents = {sa.id: area.id for area in reference["areas"] for sa in area.service_areas}


def shown_plan_budgets(years: list[int]) -> dict[int, PlanBudget]:
    """plan.plan_budgets() for pages that only show them: read-only copies."""
    budgets = _reference()["budgets"]
    return {year: budgets[year] for year in years if year in budgets}


# --- scores -----------------------------------------------------------------------------


def citizen_support(project_ids: list[int]) -> dict[int, int]:
    """Distinct people who voted for at least one visible idea linked to each project."""
    if not project_ids:
        return {}

    def compute() -> dict[int, int]:
        rows = db.session.execute(
            select(ProjectIdea.project_id, func.count(distinct(Vote.user_id)))
            .join(Idea, Idea.id == ProjectIdea.idea_id)
            .join(Vote, Vote.idea_id == ProjectIdea.idea_id)
            .where(ProjectIdea.project_id.in_(project_ids), Idea.visibility == Visibility.VISIBLE)
            .group_by(ProjectIdea.project_id)
        ).all()
        return {project_id: count for project_id, count in rows}

    # Reads every vote on the linked ideas: kept with the other counts (app.core.cache).
    return cache.remember("activity", ("support", tuple(sorted(project_ids))), compute, background=True)


def support_score(supporters: int) -> float:
    """Citizen support on the 1–5 scale: 0 supporters give 1, CITIZEN_SUPPORT_FULL_SCORE
    or more give 5, linear in between: 1 + 4 · min(n, full) / full."""
    full = max(1, int(current_app.config.get("CITIZEN_SUPPORT_FULL_SCORE", 100)))
    return 1 + 4 * min(supporters, full) / full


@dataclass
class ScoreCard:
    """A project's place on the board: the average score per criterion and the weighted score.

    score = Σ (w_c / W) · s_c over the criteria with a weight above 0 and a value, where
    s_c is the assessors' average (1–5) or, for citizen support, support_score(), and W is
    the sum of those criteria's weights. A criterion nobody has assessed yet is left out,
    and `complete` is False.
    """

    supporters: int = 0
    averages: dict[str, float] = field(default_factory=dict)
    assessors: dict[str, int] = field(default_factory=dict)
    score: float | None = None
    complete: bool = False


def criteria_list() -> list[Criterion]:
    return list(db.session.scalars(select(Criterion).order_by(Criterion.position, Criterion.id)))


@dataclass
class Averages:
    """The assessors' averages, as assessment_averages() reads them in one statement."""

    # {project id: {criterion id: (average score, how many assessed)}}
    projects: dict[int, dict[int, tuple[float, int]]]
    # {(project id, group id): {criterion id: (average of the group's members, how many)}}
    groups: dict[tuple[int, int], dict[int, tuple[float, int]]] = field(default_factory=dict)
    # The competence groups `member_id` belongs to.
    memberships: set[int] = field(default_factory=set)


def assessment_averages(project_ids: list[int], group_ids=(), member_id: int | None = None) -> Averages:
    """In one statement: the average score per project and criterion, the same per competence
    group (of `group_ids`) over its members' assessments, and the groups of `member_id`."""
    found = Averages(defaultdict(dict), defaultdict(dict), set())
    if not project_ids:
        return found
    member = competence_group_members.c
    parts = [
        select(literal("p"), Assessment.project_id, null(), Assessment.criterion_id,
               func.avg(Assessment.score), func.count(Assessment.id))
        .where(Assessment.project_id.in_(project_ids))
        .group_by(Assessment.project_id, Assessment.criterion_id),
    ]
    if group_ids:
        parts.append(
            select(literal("g"), Assessment.project_id, member.group_id, Assessment.criterion_id,
                   func.avg(Assessment.score), func.count(Assessment.id))
            .join(competence_group_members, member.user_id == Assessment.assessor_id)
            .where(Assessment.project_id.in_(project_ids), member.group_id.in_(list(group_ids)))
            .group_by(Assessment.project_id, member.group_id, Assessment.criterion_id))
    if member_id is not None:
        parts.append(select(literal("m"), null(), member.group_id, null(), null(), null())
                     .where(member.user_id == member_id))
    for kind, project_id, group_id, criterion_id, average, count in db.session.execute(union_all(*parts)):
        if kind == "p":
            found.projects[project_id][criterion_id] = (float(average), count)
        elif kind == "g":
            found.groups[(project_id, group_id)][criterion_id] = (float(average), count)
        else:
            found.memberships.add(group_id)
    return found


def score_projects(project_ids: list[int], criteria: list[Criterion] | None = None,
                   averages: Averages | None = None, supporters: dict[int, int] | None = None,
                   ) -> dict[int, ScoreCard]:
    """Score cards for the projects: one GROUP BY query (plus the criteria if not given), none
    when given the `averages` of assessment_averages() and the `supporters` of citizen_support()."""
    if criteria is None:
        criteria = shown_criteria()
    cards = {project_id: ScoreCard() for project_id in project_ids}
    if not project_ids:
        return cards
    if supporters is None:
        supporters = citizen_support(project_ids)
    if averages is None:
        averages = assessment_averages(project_ids)
    averages = averages.projects
    plain = plain_criteria(criteria)
    for project_id, card in cards.items():
        card.supporters = supporters.get(project_id, 0)
        weigh_plain(card, averages.get(project_id, {}), plain, support_score(card.supporters))
    return cards


def weigh(card: ScoreCard, averages: dict[int, tuple[float, int]], criteria: list[Criterion]) -> ScoreCard:
    """Fill in the card from {criterion id: (assessors' average, how many)} and its
    `supporters`, by the formula on ScoreCard: the board's total and a competence group's
    score (app/portfolio/groups.py) are weighed by this one function."""
    return weigh_plain(card, averages, plain_criteria(criteria), support_score(card.supporters))


def plain_criteria(criteria: list[Criterion]) -> list[tuple[str, int, int]]:
    """(key, id, weight) of each criterion, for weigh_plain."""
    return [(criterion.key, criterion.id, criterion.weight) for criterion in criteria]


def weigh_plain(card: ScoreCard, averages: dict[int, tuple[float, int]],
                criteria: list[tuple[str, int, int]], support: float) -> ScoreCard:
    """weigh() with the criteria as plain_criteria() and the card's support_score() given:
    for callers that weigh many cards in a row."""
    weighted = 0.0
    weights = 0
    complete = True
    for key, criterion_id, weight in criteria:
        if key == CITIZEN_SUPPORT:
            value, count = support, None
        else:
            value, count = averages.get(criterion_id, (None, 0))
            card.assessors[key] = count
        if value is None:
            if weight > 0:
                complete = False
            continue
        card.averages[key] = value
        if weight > 0:
            weighted += weight * value
            weights += weight
    card.score = weighted / weights if weights else None
    card.complete = complete and weights > 0
    return card


# --- the board --------------------------------------------------------------------------


@dataclass
class BoardRow:
    rank: int
    project: Project
    card: ScoreCard
    cumulative_cost: int
    fits: bool | None
    latest_decision: Decision | None
    # The first row below the budget line: the line is drawn above it, on whichever page.
    first_over: bool = False
    # The council prioritised it: it stands above every other, whatever its score.
    pinned: bool = False
    # Its costs per plan year and its place in each year's line (app/portfolio/plan.py).
    plan: RowPlan | None = None


@dataclass
class Board:
    rows: list[BoardRow]
    criteria: list[Criterion]
    budget: int | None
    total_cost: int
    cost_within_budget: int | None
    count_within_budget: int | None
    # The rows shown when the board is read a page at a time (None: every row).
    page: Page | None = None
    # The economic plan: each year's budget and line (app/portfolio/plan.py).
    plan: PlanSummary | None = None
    # Projects the council prioritised, pinned to the top (all of the board, not one page).
    pinned_count: int = 0


BOARD_PAGE_SIZE = 50


def _board_projects(project_ids: list[int]) -> tuple[dict[int, Project], dict[int, Decision]]:
    """The rows' projects with what a row shows and each one's latest decision: two queries
    (the projects joined to their latest decision, and fill_listing)."""
    if not project_ids:
        return {}, {}
    newest = (
        select(Decision.id).where(Decision.project_id == Project.id)
        .order_by(Decision.meeting_date.desc(), Decision.id.desc()).limit(1)
        .correlate(Project).scalar_subquery()
    )
    rows = db.session.execute(
        _shown_listing(select(Project, Decision).outerjoin(Decision, Decision.id == newest))
        .where(Project.id.in_(project_ids))
    ).unique().all()
    projects = {project.id: project for project, _decision in rows}
    fill_listing(list(projects.values()))
    return projects, {project.id: decision for project, decision in rows if decision is not None}


def _latest_decisions(project_ids: list[int]) -> dict[int, Decision]:
    if not project_ids:
        return {}
    decisions = db.session.scalars(
        select(Decision).where(Decision.project_id.in_(project_ids))
        .order_by(Decision.project_id, Decision.meeting_date.desc(), Decision.id.desc())
    ).all()
    latest: dict[int, Decision] = {}
    for decision in decisions:
        latest.setdefault(decision.project_id, decision)
    return latest


def board(filters: ProjectFilters, budget: int | None = None, page: int | None = None,
          per_page: int = BOARD_PAGE_SIZE, priorities: PriorityFilters | None = None) -> Board:
    """Proposed and planned projects (internal ones too: the board is for staff), ranked by
    weighted score, best first; projects without a score last. Projects the council has
    prioritised (a political priority) come before all others, in score order among
    themselves: a score never outweighs a council decision in silence.

    The budget line: walking down the ranking, a project fits while the running sum of
    estimated costs (a missing cost counts as 0) stays within the budget; the first that
    does not fit draws the line, and nothing below it fits.

    Each plan year has its own line over the yearly costs (app/portfolio/plan.py: plan_line).

    Every project is scored and summed (the ranking and the line need them all); with `page`,
    only that page's rows get what a row shows (areas, goals, the latest decision).
    """
    criteria = shown_criteria()
    years = plan_years()
    ranking, summary, row_plans = _ranking(
        filters, criteria, priorities or PriorityFilters(), years, shown_plan_budgets(years))
    pinned = {entry[0] for entry in ranking if entry[3]}
    rows = []
    running = 0
    within_cost = within_count = 0
    line_drawn = False
    for rank, (project_id, cost, card, _pinned) in enumerate(ranking, start=1):
        running += cost or 0
        fits = None
        first_over = False
        if budget is not None:
            fits = not line_drawn and running <= budget
            first_over = not fits and not line_drawn
            line_drawn = line_drawn or not fits
            if fits:
                within_cost, within_count = within_cost + (cost or 0), within_count + 1
        rows.append(BoardRow(rank, project_id, card, running, fits, None, first_over,
                             pinned=project_id in pinned, plan=row_plans[rank - 1]))
    shown, shown_page = rows, None
    if page is not None:
        start = (page - 1) * per_page
        shown = rows[start:start + per_page]
        shown_page = Page(items=shown, page=page, per_page=per_page, total=len(rows))
    # What a row shows, for the rows shown: the project with its areas and goals, its decision.
    shown_ids = [row.project for row in shown]
    projects, latest = _board_projects(shown_ids)
    for row in shown:
        row.latest_decision = latest.get(row.project)
        row.project = projects[row.project]
    return Board(
        rows=shown, criteria=criteria, budget=budget, total_cost=running,
        cost_within_budget=within_cost if budget is not None else None,
        count_within_budget=within_count if budget is not None else None,
        page=shown_page, plan=summary, pinned_count=len(pinned),
    )


def _ranking(filters: ProjectFilters, criteria: list[Criterion], priorities: PriorityFilters,
             years: list[int], budgets: dict[int, PlanBudget],
             ) -> tuple[list[tuple[int, int | None, ScoreCard, bool]], PlanSummary, list[RowPlan]]:
    """(project id, estimated cost, score card, pinned by the council) for every project on
    the board, best first, and each plan year's budget line over that ranking (plan_line:
    the summary and one RowPlan per ranked project, in the same order).

    What the portfolio itself holds (the projects, their assessors' averages, their yearly
    costs) is read once per change to it and kept under BOARD: a vote changes none of it. The
    citizen support of the projects (the voters of their linked ideas, under "activity") is
    read on its own, and the ranking is kept under BOARD with the support's figures in its
    key: a vote on an idea that no board project links changes no figure and finds the ranking
    kept; one that does ranks the kept projects afresh, without reading them again. The line is
    worked out in the ranking's computation and kept in the same entry (its key holds the
    budgets): it walks every ranked project for every year (1,000 × 4 at 2,000 projects), and
    kept apart it could be paired with a ranking counted after a commit in between.
    """
    key = (filters.phase, filters.municipal_area_id, filters.service_area_id, filters.kind, filters.sdg,
           tuple(sorted(filters.areas)) if filters.areas is not None else None,
           priorities.key(), tuple(years))

    def portfolio_part():
        phase_filter = filters.phase if filters.phase in BOARD_PHASES else None
        stmt = select(Project.id, Project.title, Project.estimated_cost, Project.political_priority).where(
            Project.phase.in_([phase_filter] if phase_filter else BOARD_PHASES)
        )
        stmt = ProjectFilters(
            municipal_area_id=filters.municipal_area_id, service_area_id=filters.service_area_id,
            kind=filters.kind, sdg=filters.sdg, areas=filters.areas,
        ).apply(stmt)
        stmt = priorities.apply(stmt)
        projects = [(p.id, p.title, p.estimated_cost, p.political_priority == PoliticalPriority.PRIORITISED)
                    for p in db.session.execute(stmt)]
        ids = [p[0] for p in projects]
        return projects, assessment_averages(ids), yearly_costs(ids, years)

    # The generation the portfolio is read in goes in the ranking's key: a ranking of what was
    # read before a commit is never found by a request that reads after it.
    where = cache.slot(BOARD, None)
    projects, averages, costs = cache.remember(BOARD, ("portfolio", key), portfolio_part)
    supporters = citizen_support([p[0] for p in projects])
    figures = hashlib.sha1(repr(sorted(supporters.items())).encode()).hexdigest()

    def compute():
        cards = score_projects([p[0] for p in projects], criteria, averages, supporters)
        pinned = {p[0] for p in projects if p[3]}
        ordered = sorted(projects, key=lambda p: (not p[3], cards[p[0]].score is None, -(cards[p[0]].score or 0),
                                                  -cards[p[0]].supporters, p[1], p[0]))
        ranking = [(p[0], p[2], cards[p[0]], p[0] in pinned) for p in ordered]
        summary, row_plans = plan_line([p[0] for p in ordered], costs, budgets, years)
        return ranking, summary, row_plans

    ranking_key = (key, tuple((c.id, c.key, c.weight) for c in criteria),
                   tuple((year, b.investment, b.running) for year, b in sorted(budgets.items())), figures,
                   where[1] if where else None)
    return cache.remember(BOARD, ("ranking", ranking_key), compute)


def decisions_query(project_id: int | None = None, viewer: User | None = None) -> Select:
    """Every decision, newest meeting first, with its project and who recorded it; with a
    viewer, only on the projects they may see (staff limited to areas: not others' internal ones)."""
    stmt = select(Decision).options(
        joinedload(Decision.project).joinedload(Project.owner_service_area),
        joinedload(Decision.recorded_by),
    ).order_by(Decision.meeting_date.desc(), Decision.id.desc())
    if project_id is not None:
        stmt = stmt.where(Decision.project_id == project_id)
    if viewer is not None:
        stmt = stmt.where(Decision.project_id.in_(select(Project.id).where(visible_projects(viewer))))
    return stmt


# --- one project ------------------------------------------------------------------------


@dataclass
class ProjectPage:
    project: Project
    links: list[ProjectIdea]
    card: ScoreCard
    criteria: list[Criterion]
    updates: list[ProjectUpdate]
    decisions: list[Decision]
    timeline: list[tuple[datetime, str, object]]
    phase_changes: list[ProjectPhaseChange] = field(default_factory=list)
    # Every linked idea (of those the page may show); `links` holds the most supported
    # LINKED_IDEAS_SHOWN of them.
    links_total: int = 0
    # The assessors' averages, with those of the competence groups project_page() was given.
    averages: Averages | None = None
    # The project's cost rows in the years project_page() was given, by year.
    costs: dict[int, ProjectCost] = field(default_factory=dict)
    # The viewer's own state (signals.PROJECT_VIEWER_STATES, e.g. "following"); False without a viewer.
    viewer_state: dict[str, bool] = field(default_factory=dict)


# A project may gather hundreds of ideas: its page shows the most supported ones.
LINKED_IDEAS_SHOWN = 50


def phase_history(project_id: int) -> list[ProjectPhaseChange]:
    """The project's phase changes, newest first (one query)."""
    return list(db.session.scalars(
        select(ProjectPhaseChange).where(ProjectPhaseChange.project_id == project_id)
        .options(joinedload(ProjectPhaseChange.changed_by))
        .order_by(ProjectPhaseChange.created_at.desc(), ProjectPhaseChange.id.desc())
    ))


def _project_history(project_id: int, years: list[int], viewer: User | None):
    """The project's updates, phase changes and decisions (each newest first), its cost rows in
    `years` and the viewer's own state, in one statement: each row of a four-row "part" list
    outer-joins one kind (as sections._project_news does for two)."""
    part = union_all(*(select(literal(n).label("n")) for n in (1, 2, 3, 4))).subquery("part")
    states = list(PROJECT_VIEWER_STATES.items()) if viewer is not None else []
    rows = db.session.execute(
        select(ProjectUpdate, ProjectPhaseChange, Decision, ProjectCost,
               *(expression(project_id, viewer.id).label(f"state_{i}") for i, (_, expression) in enumerate(states)))
        .select_from(part)
        .outerjoin(ProjectUpdate, and_(part.c.n == 1, ProjectUpdate.project_id == project_id))
        .outerjoin(ProjectPhaseChange, and_(part.c.n == 2, ProjectPhaseChange.project_id == project_id))
        .outerjoin(Decision, and_(part.c.n == 3, Decision.project_id == project_id))
        .outerjoin(ProjectCost, and_(part.c.n == 4, ProjectCost.project_id == project_id,
                                     ProjectCost.year.in_(years)))
        .options(joinedload(ProjectUpdate.author), joinedload(ProjectPhaseChange.changed_by),
                 joinedload(Decision.project).joinedload(Project.owner_service_area),
                 joinedload(Decision.recorded_by))
    ).all()
    updates = sorted((row[0] for row in rows if row[0] is not None), key=lambda u: (u.created_at, u.id), reverse=True)
    changes = sorted((row[1] for row in rows if row[1] is not None), key=lambda c: (c.created_at, c.id), reverse=True)
    decisions = sorted((row[2] for row in rows if row[2] is not None), key=lambda d: (d.meeting_date, d.id),
                       reverse=True)
    costs = {row[3].year: row[3] for row in rows if row[3] is not None}
    # Every row carries the viewer's state (the part list gives at least one row per kind).
    state = {name: bool(rows[0][4 + i]) for i, (name, _) in enumerate(states)} if rows else {}
    return updates, changes, decisions, costs, state


def project_page(project: Project, viewer: User | None, *, staff: bool = False,
                 groups: list[CompetenceGroup] = (), years: list[int] = ()) -> ProjectPage:
    """What the project page shows; hidden ideas only for staff. The averages of the `groups`
    (for groups.group_scores) are read with the project's own, its cost rows in `years` (for
    plan.project_plan) and the viewer's own state with its history."""
    # The most supported linked ideas and, in the same query, how many there are in all.
    stmt = (
        select(ProjectIdea, func.count().over()).join(Idea, Idea.id == ProjectIdea.idea_id)
        .where(ProjectIdea.project_id == project.id)
        .options(contains_eager(ProjectIdea.idea))
        .order_by(Idea.vote_count.desc(), Idea.id).limit(LINKED_IDEAS_SHOWN)
    )
    if not staff:
        stmt = stmt.where(Idea.visibility == Visibility.VISIBLE)
    rows = db.session.execute(stmt).all()
    links = [link for link, _total in rows]
    links_total = rows[0][1] if rows else 0
    criteria = shown_criteria()
    averages = assessment_averages([project.id], [group.id for group in groups])
    card = score_projects([project.id], criteria, averages)[project.id]
    updates, phase_changes, decisions, costs, viewer_state = _project_history(project.id, list(years), viewer)
    timeline: list[tuple[datetime, str, object]] = [(as_utc(project.created_at), "created", project)]
    timeline += [(as_utc(c.created_at), "phase", c) for c in phase_changes]
    timeline += [(as_utc(u.created_at), "update", u) for u in updates]
    timeline += [(datetime.combine(d.meeting_date, time.min, tzinfo=UTC), "decision", d)
                 for d in decisions]
    timeline += [(as_utc(link.created_at), "link", link) for link in links
                 if link.idea.visibility == Visibility.VISIBLE]
    timeline.sort(key=lambda item: item[0], reverse=True)
    return ProjectPage(project, links, card, criteria, updates, decisions, timeline, phase_changes,
                       links_total=links_total, averages=averages, costs=costs, viewer_state=viewer_state)


def my_assessments(project: Project, assessor: User) -> dict[str, Assessment]:
    rows = db.session.scalars(
        select(Assessment).options(joinedload(Assessment.criterion))
        .where(Assessment.project_id == project.id, Assessment.assessor_id == assessor.id)
    )
    return {row.criterion.key: row for row in rows}


def all_assessments(project: Project) -> list[Assessment]:
    return list(db.session.scalars(
        select(Assessment).options(joinedload(Assessment.criterion), joinedload(Assessment.assessor))
        .where(Assessment.project_id == project.id)
        .order_by(Assessment.criterion_id, Assessment.assessor_id)
    ))


# --- an idea's projects (the idea-page section) -----------------------------------------


def projects_of_idea(idea_id: int, viewer: User | None) -> list[ProjectIdea]:
    """The idea's links to projects the viewer may see, with their project."""
    return list(db.session.scalars(
        select(ProjectIdea).join(Project, Project.id == ProjectIdea.project_id)
        .where(ProjectIdea.idea_id == idea_id, visible_projects(viewer))
        .options(joinedload(ProjectIdea.project))
        .order_by(ProjectIdea.created_at, ProjectIdea.id)
    ))


def latest_updates(project_ids: list[int], limit: int = 5) -> list[ProjectUpdate]:
    if not project_ids:
        return []
    return list(db.session.scalars(
        select(ProjectUpdate).where(ProjectUpdate.project_id.in_(project_ids))
        .options(joinedload(ProjectUpdate.project))
        .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc()).limit(limit)
    ))


def project_news(project_ids: list[int], limit: int = 20) -> list[tuple[datetime, str, object]]:
    """The idea page's timeline from its projects: each update and each phase change, with its
    project, newest first; two queries whatever the number of projects."""
    if not project_ids:
        return []
    updates = db.session.scalars(
        select(ProjectUpdate).where(ProjectUpdate.project_id.in_(project_ids))
        .options(joinedload(ProjectUpdate.project))
        .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc()).limit(limit)
    )
    phases = db.session.scalars(
        select(ProjectPhaseChange).where(ProjectPhaseChange.project_id.in_(project_ids))
        .options(joinedload(ProjectPhaseChange.project))
        .order_by(ProjectPhaseChange.created_at.desc(), ProjectPhaseChange.id.desc()).limit(limit)
    )
    items = [(as_utc(u.created_at), "update", u) for u in updates]
    items += [(as_utc(c.created_at), "phase", c) for c in phases]
    items.sort(key=lambda item: item[0], reverse=True)
    return items[:limit]


def project_ids_by_idea(idea_ids: list[int], viewer: User | None) -> dict[int, list[int]]:
    """For the idea JSON: the ids of the projects (visible to the viewer) each idea is part of."""
    out: dict[int, list[int]] = defaultdict(list)
    if not idea_ids:
        return out
    rows = db.session.execute(
        select(ProjectIdea.idea_id, ProjectIdea.project_id)
        .join(Project, Project.id == ProjectIdea.project_id)
        .where(ProjectIdea.idea_id.in_(idea_ids), visible_projects(viewer))
        .order_by(ProjectIdea.project_id)
    ).all()
    for idea_id, project_id in rows:
        out[idea_id].append(project_id)
    return out


# --- similarity -------------------------------------------------------------------------


def similar_projects(text: str, viewer: User | None, limit: int = 6) -> list[Project]:
    """Projects (of every service area and kind) whose words look like the text."""
    from app.portfolio.search import project_matches

    found = project_matches(text)
    if found is None:
        return []
    stmt = (
        select(Project).join(found, found.c.project_id == Project.id)
        .where(visible_projects(viewer))
        .order_by(found.c.relevance.desc(), Project.id.desc()).limit(limit)
    )
    return list(db.session.scalars(_with_listing(stmt)).unique())


def similar_ideas(text: str, limit: int = 6) -> list[Idea]:
    """Visible ideas whose words look like the text: the ideas domain's own lookup."""
    from app.ideas.queries import similar_ideas as lookup

    return lookup(text, limit=limit)


# --- the answer inbox -------------------------------------------------------------------


@dataclass
class InboxItem:
    idea: Idea
    due_at: datetime
    priority: bool
    age_days: int
    overdue: bool
    days_left: int


def unanswered_clause():
    return and_(
        Idea.first_answered_at.is_(None),
        Idea.visibility == Visibility.VISIBLE,
        Idea.status.not_in([IdeaStatus.WITHDRAWN, IdeaStatus.MERGED]),
    )


def inbox_query(municipal_area_id: int | None = None, service_area_id: int | None = None,
                viewer: User | None = None) -> Select:
    """Ideas nobody has answered yet, oldest first, each with the time it reached
    PRIORITY_VOTES votes (None below that): one query for a page of them. With a viewer whose
    role is limited to some municipal areas, only those areas' ideas."""
    threshold = max(1, int(current_app.config["PRIORITY_VOTES"]))
    reached = (
        select(Vote.created_at).where(Vote.idea_id == Idea.id)
        .order_by(Vote.created_at, Vote.id).offset(threshold - 1).limit(1)
        .correlate(Idea).scalar_subquery()
    )
    stmt = (
        select(Idea, case((Idea.vote_count >= threshold, reached), else_=None).label("reached_at"))
        .where(unanswered_clause(), answerable_ideas(viewer))
        .options(joinedload(Idea.service_area).joinedload(ServiceArea.municipal_area),
                 joinedload(Idea.author))
        .order_by(Idea.created_at, Idea.id)
    )
    if service_area_id is not None:
        stmt = stmt.where(Idea.service_area_id == service_area_id)
    if municipal_area_id is not None:
        stmt = stmt.where(Idea.service_area_id.in_(
            select(ServiceArea.id).where(ServiceArea.municipal_area_id == municipal_area_id)))
    return stmt


def priority_reached_at(idea: Idea) -> datetime | None:
    """When the idea got its PRIORITY_VOTES-th vote (None if it has fewer)."""
    threshold = max(1, int(current_app.config["PRIORITY_VOTES"]))
    if idea.vote_count < threshold:
        return None
    return db.session.scalar(
        select(Vote.created_at).where(Vote.idea_id == idea.id)
        .order_by(Vote.created_at, Vote.id).offset(threshold - 1).limit(1)
    )


def due_at(created_at: datetime, reached_at: datetime | None) -> tuple[datetime, bool]:
    """When the answer is due, and whether the priority rule set it.

    Every idea: created + ANSWER_WITHIN_DAYS. An idea with PRIORITY_VOTES votes: no later
    than the moment it reached them + PRIORITY_ANSWER_DAYS.
    """
    config = current_app.config
    due = as_utc(created_at) + timedelta(days=int(config["ANSWER_WITHIN_DAYS"]))
    if reached_at is not None:
        priority_due = as_utc(reached_at) + timedelta(days=int(config["PRIORITY_ANSWER_DAYS"]))
        if priority_due < due:
            return priority_due, True
    return due, False


def inbox_item(idea: Idea, reached_at, now: datetime | None = None) -> InboxItem:
    now = now or utcnow()
    if isinstance(reached_at, str):  # SQLite hands a scalar subquery's datetime back as text
        reached_at = datetime.fromisoformat(reached_at)
    due, priority = due_at(idea.created_at, reached_at)
    left = due - now
    return InboxItem(
        idea=idea, due_at=due, priority=priority,
        age_days=max(0, (now - as_utc(idea.created_at)).days),
        overdue=left.total_seconds() < 0,
        days_left=left.days,
    )


def unanswered_count(user: User | None = None) -> int:
    """For the staff menu on every staff page: cached, as it counts over all ideas (the
    ideas of the user's areas when their role is limited to some)."""
    scope = scope_of(user)
    key = "unanswered" if scope is None else ("unanswered", tuple(sorted(scope)))
    # Counted afresh in the background: from the plain scope, never the request's ORM user.
    in_scope = ideas_in_areas(scope)
    return cache.remember(
        "ideas", key,
        lambda: db.session.scalar(select(func.count(Idea.id)).where(unanswered_clause(), in_scope)) or 0,
        background=True,
    )


# --- the SDG overview -------------------------------------------------------------------


@dataclass
class GoalNumbers:
    goal: Sdg
    ideas: int = 0
    votes: int = 0
    projects: int = 0
    cost: int = 0


@dataclass
class SdgOverview:
    goals: list[GoalNumbers]
    areas: list[MunicipalArea]
    # (goal number, municipal area id) -> (ideas, projects)
    matrix: dict[tuple[int, int], tuple[int, int]]
    maxima: dict[str, int]


# Projects that count where the money goes: cancelled ones do not.
COUNTED_PROJECT = Project.phase != ProjectPhase.CANCELLED


def _idea_numbers_per_goal() -> tuple[dict[int, tuple[int, int]], dict[tuple[int, int], int]]:
    """({goal: (ideas, votes)}, {(goal, municipal area): ideas}) over the COUNTED_IDEA ideas:
    read from the counts table the database keeps (app/ideas/counts.py; per goal and service
    area, summed here per municipal area), kept with the other counts (app.core.cache);
    projects are few and read live."""
    from app.ideas import counts as kept_counts

    def compute():
        kept = kept_counts.read(kept_counts.GOAL_KINDS)
        per_goal = {
            int(number): (ideas, kept["goal_votes"].get(number, 0))
            for number, ideas in kept["goal"].items() if ideas
        }
        area_of = dict(db.session.execute(select(ServiceArea.id, ServiceArea.municipal_area_id)).all())
        cells: dict[tuple[int, int], int] = {}
        for key, ideas in kept["goal_area"].items():
            if not ideas:
                continue
            number, service_area_id = key.split(":")
            cell = (int(number), area_of.get(int(service_area_id)))
            cells[cell] = cells.get(cell, 0) + ideas
        return per_goal, cells

    return cache.remember("activity", "ideas_per_goal", compute, background=True)


def sdg_overview(viewer: User | None) -> SdgOverview:
    """The numbers per goal and per goal × municipal area: six queries in all."""
    goals = db.session.scalars(select(Sdg).order_by(Sdg.number)).all()
    numbers = {goal.number: GoalNumbers(goal) for goal in goals}
    idea_numbers, idea_cells = _idea_numbers_per_goal()
    for number, (ideas, votes) in idea_numbers.items():
        numbers[number].ideas, numbers[number].votes = ideas, votes
    for number, projects, cost in db.session.execute(
        select(project_sdgs.c.sdg_number, func.count(Project.id),
               func.coalesce(func.sum(Project.estimated_cost), 0))
        .join(Project, Project.id == project_sdgs.c.project_id)
        .where(visible_projects(viewer), COUNTED_PROJECT)
        .group_by(project_sdgs.c.sdg_number)
    ):
        numbers[number].projects, numbers[number].cost = projects, int(cost)
    areas = list(db.session.scalars(
        select(MunicipalArea).order_by(MunicipalArea.position, MunicipalArea.name)
    ))
    project_cells = dict(
        ((number, area_id), count) for number, area_id, count in db.session.execute(
            select(project_sdgs.c.sdg_number, ServiceArea.municipal_area_id, func.count(Project.id))
            .join(Project, Project.id == project_sdgs.c.project_id)
            .join(ServiceArea, ServiceArea.id == Project.owner_service_area_id)
            .where(visible_projects(viewer), COUNTED_PROJECT)
            .group_by(project_sdgs.c.sdg_number, ServiceArea.municipal_area_id)
        )
    )
    matrix = {
        key: (idea_cells.get(key, 0), project_cells.get(key, 0))
        for key in set(idea_cells) | set(project_cells)
    }
    rows = list(numbers.values())
    maxima = {
        "ideas": max((r.ideas for r in rows), default=0),
        "votes": max((r.votes for r in rows), default=0),
        "projects": max((r.projects for r in rows), default=0),
        "cost": max((r.cost for r in rows), default=0),
        "cell_ideas": max((ideas for ideas, _projects in matrix.values()), default=0),
    }
    return SdgOverview(goals=rows, areas=areas, matrix=matrix, maxima=maxima)


@dataclass
class GoalPage:
    goal: Sdg
    numbers: GoalNumbers
    targets: list[LocalTarget]
    ideas: list[Idea]
    projects: list[Project]


def goal_page(goal: Sdg, viewer: User | None, idea_limit: int = 20) -> GoalPage:
    """One goal: its local targets, its most supported ideas, its projects."""
    targets = list(db.session.scalars(
        select(LocalTarget).where(LocalTarget.sdg_number == goal.number).order_by(LocalTarget.code)
    ))
    in_goal = select(idea_sdgs.c.idea_id).where(idea_sdgs.c.sdg_number == goal.number)
    ideas_count, votes = _idea_numbers_per_goal()[0].get(goal.number, (0, 0))
    ideas = list(db.session.scalars(
        select(Idea).where(Idea.id.in_(in_goal), COUNTED_IDEA)
        .options(joinedload(Idea.service_area))
        .order_by(Idea.vote_count.desc(), Idea.id.desc()).limit(idea_limit)
    ))
    projects = list(db.session.scalars(_with_listing(
        select(Project).where(
            visible_projects(viewer),
            Project.id.in_(select(project_sdgs.c.project_id).where(project_sdgs.c.sdg_number == goal.number)),
        ).order_by(_phase_rank(), Project.title)
    )).unique())
    counted = [p for p in projects if p.phase != ProjectPhase.CANCELLED]
    numbers = GoalNumbers(goal, ideas=ideas_count, votes=int(votes), projects=len(counted),
                          cost=sum(p.estimated_cost or 0 for p in counted))
    return GoalPage(goal, numbers, targets, ideas, projects)


# --- finding an idea or a project by its title (staff pickers) --------------------------

MAX_SUGGESTIONS = 10
MAX_QUERY = 120


def _title_terms(query: str | None) -> list[str]:
    """The words of what was typed, each matched anywhere in the title ("skole" finds
    "Trygg skolevei"); LIKE's wildcards are taken literally."""
    text = " ".join(str(query or "").split())[:MAX_QUERY]
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in text.split(" ") if w]
    return escaped[:8]


def find_ideas_by_title(query: str | None, *, exclude_id: int | None = None,
                        limit: int = MAX_SUGGESTIONS) -> list[Idea]:
    """Visible ideas that can take another's votes (not merged or withdrawn) whose title holds
    every word typed, most supported first; at most `limit`."""
    terms = _title_terms(query)
    if not terms:
        return []
    stmt = select(Idea).where(
        Idea.visibility == Visibility.VISIBLE,
        Idea.status.not_in((IdeaStatus.MERGED, IdeaStatus.WITHDRAWN)),
        *[Idea.title.ilike(f"%{term}%", escape="\\") for term in terms],
    )
    if exclude_id is not None:
        stmt = stmt.where(Idea.id != exclude_id)
    return list(db.session.scalars(
        stmt.order_by(Idea.vote_count.desc(), Idea.id.desc()).limit(min(limit, MAX_SUGGESTIONS))
    ))


def find_projects_by_title(query: str | None, viewer: User | None, *, not_linked_to: int | None = None,
                           limit: int = MAX_SUGGESTIONS) -> list[Project]:
    """Projects the viewer may see (internal ones only for those who may), not cancelled,
    whose title holds every word typed; at most `limit`."""
    terms = _title_terms(query)
    if not terms:
        return []
    stmt = select(Project).where(
        visible_projects(viewer), projects_in_scope(viewer), Project.phase != ProjectPhase.CANCELLED,
        *[Project.title.ilike(f"%{term}%", escape="\\") for term in terms],
    )
    if not_linked_to is not None:
        stmt = stmt.where(Project.id.not_in(
            select(ProjectIdea.project_id).where(ProjectIdea.idea_id == not_linked_to)))
    return list(db.session.scalars(
        stmt.order_by(Project.title, Project.id).limit(min(limit, MAX_SUGGESTIONS))
    ))
