"""The economic plan (handlings- og økonomiplan): its years (PLAN_FIRST_YEAR, PLAN_YEARS), each
project's estimated costs per plan year (investment and running apart), the budget per year,
and the board's budget line per year.

The line for a year: walking down the board's ranking, each project's cost that year is added
to that year's running sums (investment and running); the first project that takes a sum over
that year's budget draws the line, and no project below it gets money that year. A project
with no cost in a year needs nothing from it and is neither within nor over. A year without a
budget draws no line. A project fits the plan when it is within the line in every year it has
a cost.

The single estimated cost (Project.estimated_cost) stays what it was: the project's whole cost,
which may reach past the plan; the board's `budget` line over it is unchanged.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core.db import is_postgres
from app.core.errors import InvalidInput, InvalidState, NotAllowed
from app.core.input import MAX_KRONER
from app.extensions import db
from app.portfolio import audit
from app.portfolio.models import PlanBudget, Project, ProjectCost
from app.portfolio.permissions import (
    can_edit_plan_budgets,
    can_estimate_project_costs,
    can_prioritise_project,
)

# A plan of more years than this is a typing mistake; the forms show one row per year.
MAX_PLAN_YEARS = 10
KINDS = ("investment", "running")


def site_today() -> date:
    """Today in the site's time zone (TIMEZONE)."""
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Oslo")
    return datetime.now(tz).date()


def plan_years() -> list[int]:
    """The plan's years in order, e.g. [2027, 2028, 2029, 2030].

    PLAN_FIRST_YEAR 0 (the default) means next calendar year in the site's time zone: the
    forum prioritises for the plan being prepared, and a server running past New Year moves
    on without a restart. PLAN_YEARS is kept within 1–10, and every year within 2000–2100
    (the years a cost row may have).
    """
    first = current_app.config.get("PLAN_FIRST_YEAR") or 0
    if not 2000 <= first <= 2100:
        first = site_today().year + 1
    count = min(max(int(current_app.config.get("PLAN_YEARS") or 4), 1), MAX_PLAN_YEARS)
    return [year for year in range(first, first + count) if year <= 2100]


def plan_period() -> tuple[date, date]:
    """The first and the last day of the plan (1 January of its first year, 31 December of its last)."""
    years = plan_years()
    return date(years[0], 1, 1), date(years[-1], 12, 31)


# --- amounts ----------------------------------------------------------------------------


def _amount(raw, name: str, errors: dict, *, blank=0) -> int | None:
    """Whole kroner from a form or JSON value ("1 200 000" and 1200000 alike); `blank` for
    an empty value. An error next to the field for anything else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return blank
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        errors[name] = _("Skriv beløpet i hele kroner, bare med tall.")
        return None
    text = str(raw).strip()
    for space in (" ", "\u00a0", "\u202f"):
        text = text.replace(space, "")
    negative = text.startswith(("-", "\u2212"))
    digits = text[1:] if text[:1] in "+-\u2212" else text
    if not digits or len(digits) > 20 or digits.strip("0123456789"):
        errors[name] = _("Skriv beløpet i hele kroner, bare med tall.")
        return None
    if negative and int(digits):
        errors[name] = _("Beløpet kan ikke være negativt.")
        return None
    value = int(digits)
    if value > MAX_KRONER:
        errors[name] = _("Beløpet kan være høyst %(max)s kroner.", max=f"{MAX_KRONER:,}".replace(",", " "))
        return None
    return value


def _year_of(raw, errors: dict, years: list[int]) -> int | None:
    year = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        year = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) <= 4:
        year = int(raw)
    if year is None or year not in years:
        errors["years"] = _("Økonomiplanen gjelder %(first)s–%(last)s; andre år kan ikke føres.",
                            first=years[0], last=years[-1])
        return None
    return year


def _raise(errors: dict, message: str) -> None:
    if errors:
        raise InvalidInput(message, fields={name: [text] for name, text in errors.items()})


# --- a project's costs per year ---------------------------------------------------------

# The audit log's field for a change of one plan year's costs, kept as "<year>:<investment>:<running>".
COST_FIELD = "plan_cost"


def _cost_text(year: int, investment: int, running: int) -> str:
    return f"{year}:{investment}:{running}"


def _show_cost(text: str) -> str:
    year, investment, running = [*text.split(":"), "", "", ""][:3]
    if not (year.isdigit() and investment.isdigit() and running.isdigit()):
        return text
    return _("%(year)s: investering %(investment)s kr, drift %(running)s kr", year=year,
             investment=format_decimal(int(investment)), running=format_decimal(int(running)))


audit.register_field(COST_FIELD, _l("Kostnad i økonomiplanen"), _show_cost)



def project_costs(project_id: int, years: list[int] | None = None) -> dict[int, ProjectCost]:
    """The project's cost rows in the plan's years (or the years given), by year: one query."""
    years = years if years is not None else plan_years()
    return {row.year: row for row in db.session.scalars(
        select(ProjectCost).where(ProjectCost.project_id == project_id, ProjectCost.year.in_(years))
    )}


def save_project_costs(actor: User, project: Project, values: Mapping) -> dict[int, ProjectCost]:
    """Set the project's estimated costs in plan years: {year: {"investment": .., "running": ..}}.

    A year left out is left as it is; a year with both amounts empty or 0 is removed. Years
    outside the plan are refused, as are amounts that are negative, not whole kroner or above
    MAX_KRONER (errors named `investment-<year>`, `running-<year>`). Decided on the locked,
    current project row. Raises NotAllowed, InvalidInput, InvalidState (saved at the same time
    by someone else: try again).
    """
    if not can_estimate_project_costs(actor, project):
        raise NotAllowed(_("Bare porteføljeforvaltere kan føre kostnader i økonomiplanen."))
    years = plan_years()
    errors: dict[str, str] = {}
    wanted: dict[int, tuple[int, int]] = {}
    if not isinstance(values, Mapping):
        raise InvalidInput(_("Kostnadene må være en liste per år."),
                           fields={"years": [_("Kostnadene må være en liste per år.")]})
    for raw_year, amounts in values.items():
        year = _year_of(raw_year, errors, years)
        if year is None:
            continue
        if not isinstance(amounts, Mapping):
            errors[f"investment-{year}"] = _("Skriv beløpet i hele kroner, bare med tall.")
            continue
        investment = _amount(amounts.get("investment"), f"investment-{year}", errors)
        running = _amount(amounts.get("running"), f"running-{year}", errors)
        if investment is not None and running is not None:
            wanted[year] = (investment, running)
    _raise(errors, _("Noe i kostnadene må rettes."))

    from app.portfolio.services import _lock_project

    _lock_project(project)
    existing = project_costs(project.id, list(wanted))
    for year, (investment, running) in wanted.items():
        row = existing.get(year)
        before = _cost_text(year, row.investment, row.running) if row is not None else ""
        after = _cost_text(year, investment, running) if investment or running else ""
        # On record with the change itself (app/portfolio/audit.py): who, when, before, after.
        audit.record_project_change(project, actor, COST_FIELD, before, after)
        if investment == 0 and running == 0:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = ProjectCost(project_id=project.id, year=year)
            db.session.add(row)
        row.investment, row.running = investment, running
    try:
        db.session.commit()
    except IntegrityError:
        # Two saves of a new year at once (SQLite does not lock the project row): the other won.
        db.session.rollback()
        raise InvalidState(_("Kostnadene ble endret av noen andre samtidig. Se over tallene og lagre igjen.")) from None
    return project_costs(project.id, years)


# --- the budget per year ----------------------------------------------------------------


def plan_budgets(years: list[int] | None = None) -> dict[int, PlanBudget]:
    years = years if years is not None else plan_years()
    return {row.year: row for row in db.session.scalars(select(PlanBudget).where(PlanBudget.year.in_(years)))}


def save_plan_budgets(actor: User, values: Mapping) -> dict[int, PlanBudget]:
    """Set the budget of plan years: {year: {"investment": .., "running": ..}}; an empty amount
    means no budget (no line) for it. Raises NotAllowed, InvalidInput, InvalidState."""
    if not can_edit_plan_budgets(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan sette budsjettet i økonomiplanen."))
    years = plan_years()
    errors: dict[str, str] = {}
    wanted: dict[int, tuple[int | None, int | None]] = {}
    if not isinstance(values, Mapping):
        raise InvalidInput(_("Budsjettet må være en liste per år."),
                           fields={"years": [_("Budsjettet må være en liste per år.")]})
    for raw_year, amounts in values.items():
        year = _year_of(raw_year, errors, years)
        if year is None:
            continue
        if not isinstance(amounts, Mapping):
            errors[f"investment-{year}"] = _("Skriv beløpet i hele kroner, bare med tall.")
            continue
        investment = _amount(amounts.get("investment"), f"investment-{year}", errors, blank=None)
        running = _amount(amounts.get("running"), f"running-{year}", errors, blank=None)
        if f"investment-{year}" not in errors and f"running-{year}" not in errors:
            wanted[year] = (investment, running)
    _raise(errors, _("Noe i budsjettet må rettes."))
    stmt = select(PlanBudget).where(PlanBudget.year.in_(list(wanted))).execution_options(populate_existing=True)
    if is_postgres():
        stmt = stmt.with_for_update()
    existing = {row.year: row for row in db.session.scalars(stmt)}
    for year, (investment, running) in wanted.items():
        row = existing.get(year)
        if row is None:
            if investment is None and running is None:
                continue
            row = PlanBudget(year=year)
            db.session.add(row)
        row.investment, row.running, row.updated_by_id = investment, running, actor.id
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidState(_("Budsjettet ble endret av noen andre samtidig. Se over tallene og lagre igjen.")) from None
    return plan_budgets(years)


# --- the board's line per year ----------------------------------------------------------


def yearly_costs(project_ids: list[int], years: list[int]) -> dict[int, dict[int, tuple[int, int]]]:
    """{project id: {year: (investment, running)}} for the projects' plan years: one query."""
    out: dict[int, dict[int, tuple[int, int]]] = {}
    if not project_ids or not years:
        return out
    rows = db.session.execute(
        select(ProjectCost.project_id, ProjectCost.year, ProjectCost.investment, ProjectCost.running)
        .where(ProjectCost.project_id.in_(project_ids), ProjectCost.year.in_(years))
    )
    for project_id, year, investment, running in rows:
        out.setdefault(project_id, {})[year] = (investment, running)
    return out


@dataclass
class YearLine:
    """One plan year on the board: its budget, and what fits within it in rank order."""

    year: int
    investment_budget: int | None = None
    running_budget: int | None = None
    investment_total: int = 0
    running_total: int = 0
    investment_within: int = 0
    running_within: int = 0
    count_within: int = 0
    count_with_cost: int = 0
    # The rank of the first project that does not fit: the line is drawn above it.
    first_over_rank: int | None = None

    @property
    def has_budget(self) -> bool:
        return self.investment_budget is not None or self.running_budget is not None


@dataclass
class RowPlan:
    """One board row in the plan: its costs per year, the running sums down to it, whether it
    is within each year's line (None: no cost that year, or no budget), and the years whose
    line is drawn right above it."""

    costs: dict[int, tuple[int, int]] = field(default_factory=dict)
    cumulative: dict[int, tuple[int, int]] = field(default_factory=dict)
    fits: dict[int, bool | None] = field(default_factory=dict)
    lines_above: list[int] = field(default_factory=list)

    @property
    def has_costs(self) -> bool:
        return bool(self.costs)

    @property
    def within_plan(self) -> bool | None:
        """True: within the line every year it costs something; False: over in some year;
        None: nothing to say (no costs in the plan, or no budget in its years)."""
        verdicts = [fit for fit in self.fits.values() if fit is not None]
        return all(verdicts) if verdicts else None


@dataclass
class PlanSummary:
    years: list[YearLine]
    # Board projects without any cost in the plan's years (they take nothing from any line).
    without_costs: int = 0

    @property
    def has_budget(self) -> bool:
        return any(line.has_budget for line in self.years)

    def line(self, year: int) -> YearLine | None:
        return next((line for line in self.years if line.year == year), None)


def plan_line(ranked_ids: list[int], costs: Mapping[int, Mapping[int, tuple[int, int]]],
              budgets: Mapping[int, PlanBudget], years: list[int]) -> tuple[PlanSummary, list[RowPlan]]:
    """The budget line of every plan year over the ranking (best first), and each row's place
    in it; see the module's docstring for the rule. No queries."""
    lines = [YearLine(year, budgets[year].investment if year in budgets else None,
                      budgets[year].running if year in budgets else None) for year in years]
    rows = [RowPlan(costs={y: c for y, c in costs.get(pid, {}).items() if y in years}) for pid in ranked_ids]
    for line in lines:
        drawn = False
        for rank, row in enumerate(rows, start=1):
            investment, running = row.costs.get(line.year, (0, 0))
            line.investment_total += investment
            line.running_total += running
            row.cumulative[line.year] = (line.investment_total, line.running_total)
            if not investment and not running:
                row.fits[line.year] = None
                continue
            line.count_with_cost += 1
            if not line.has_budget:
                row.fits[line.year] = None
                continue
            fits = not drawn and (
                (line.investment_budget is None or line.investment_total <= line.investment_budget)
                and (line.running_budget is None or line.running_total <= line.running_budget)
            )
            if not fits and not drawn:
                drawn = True
                line.first_over_rank = rank
                row.lines_above.append(line.year)
            row.fits[line.year] = fits
            if fits:
                line.investment_within += investment
                line.running_within += running
                line.count_within += 1
    summary = PlanSummary(years=lines, without_costs=sum(1 for row in rows if not row.costs))
    return summary, rows


# --- the project page -------------------------------------------------------------------


def project_plan(project: Project, viewer: User | None, costs: dict[int, ProjectCost] | None = None) -> dict:
    """What the project page shows of the plan: its cost per plan year (one query, none when
    given the `costs` in plan_years()), and whether the viewer may set its priorities and costs."""
    years = plan_years()
    if costs is None:
        costs = project_costs(project.id, years)
    return {
        "plan_years": years,
        "plan_costs": {year: (row.investment, row.running) for year, row in costs.items()},
        "can_prioritise": can_prioritise_project(viewer, project),
        "can_estimate": can_estimate_project_costs(viewer, project),
    }
