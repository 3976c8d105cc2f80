"""The demo's economic plan and priorities (`flask seed-demo`, called from the portfolio demo):
costs per plan year on the projects still to be prioritised and on those under way, a budget
per year that draws each year's line in the middle of the board, council decisions (one on a
project with a low score, so the board shows it pinned above better-scored ones) and the
administration's priorities. All through the services people use."""

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.portfolio import queries
from app.portfolio.models import BOARD_PHASES, Project, ProjectKind, ProjectPhase
from app.portfolio.permissions import can_manage_project
from app.portfolio.plan import plan_years, save_plan_budgets, save_project_costs, site_today
from app.portfolio.priorities import set_project_priorities

# The council's decisions: (title, decision, case number, days before today, what it said).
COUNCIL = (
    ("Sammenhengende sykkelvei Nordbygda–Sentrum", "prioritised", "2026/41", 170,
     "Kommunestyret ba om at sykkelveien prioriteres i handlings- og økonomiplanen."),
    ("Nytt fagsystem for barnehageopptak", "prioritised", "2026/12", 260,
     "Vedtatt som del av digitaliseringsstrategien."),
    ("Badstu og badebrygge på Holmen", "not_prioritised", "2026/58", 90,
     "Kommunestyret ønsker at tiltaket finansieres med tilskudd og dugnad."),
)
# The administration's priority by place in the board's ranking (every third high, and so on).
LEVELS = ("high", "medium", "low")


def _kroner(amount: float, to: int = -3) -> int:
    return int(round(amount, to))


def _split(project: Project, years: list[int], index: int) -> dict[str, dict[str, int]]:
    """A project's estimate spread over the plan: acquisitions and projects invest in their
    first year or two and then cost something to run; studies and service changes run."""
    total = project.estimated_cost or 0
    if not total:
        return {}
    first = index % 2  # half start in the plan's first year, half in its second
    out: dict[str, dict[str, int]] = {}
    if project.kind in (ProjectKind.STUDY, ProjectKind.SERVICE_CHANGE):
        for year in years[first:first + 2]:
            out[str(year)] = {"investment": 0, "running": _kroner(total / 2)}
        return out
    invest_years = years[first:first + (2 if total > 3_000_000 else 1)]
    for year in invest_years:
        out[str(year)] = {"investment": _kroner(total / len(invest_years)), "running": 0}
    running = _kroner(total * (0.15 if project.kind == ProjectKind.ACQUISITION else 0.04))
    for year in years[first + len(invest_years):]:
        out[str(year)] = {"investment": 0, "running": running}
    return out


def seed_plan(people: list[User]) -> None:
    admin = next(p for p in people if p.role == Role.ADMIN)
    managers = [p for p in people if p.role == Role.PORTFOLIO_MANAGER]
    years = plan_years()
    projects = db.session.scalars(select(Project).where(
        Project.phase.in_([*BOARD_PHASES, ProjectPhase.IN_PROGRESS])).order_by(Project.id)).all()
    today = site_today()

    def actor_for(project: Project) -> User:
        return next((m for m in managers if can_manage_project(m, project)), admin)

    for index, project in enumerate(projects):
        costs = _split(project, years, index)
        if costs:
            save_project_costs(actor_for(project), project, costs)
    by_title = {p.title: p for p in projects}
    for title, decision, case, days, text in COUNCIL:
        if title in by_title:
            project = by_title[title]
            set_project_priorities(actor_for(project), project, {
                "political_priority": decision, "council_case_number": case,
                "council_decision_date": (today - timedelta(days=days)).isoformat(),
                "council_decision_text": text,
                "administrative_priority": project.administrative_priority or "",
            })
    board = queries.board(queries.ProjectFilters())
    for rank, row in enumerate(board.rows):
        project = row.project
        set_project_priorities(actor_for(project), project, {
            "political_priority": project.political_priority or "",
            "council_case_number": project.council_case_number,
            "council_decision_date": project.council_decision_date.isoformat() if project.council_decision_date else "",
            "council_decision_text": project.council_decision_text,
            "administrative_priority": LEVELS[rank % 3] if rank % 4 != 3 else "",
        })
    # Each year's budget: about 60 % of what the board asks for that year, so the line falls
    # in the middle of the board and the forum has something to decide.
    board = queries.board(queries.ProjectFilters())
    budgets = {}
    for line in board.plan.years:
        budgets[str(line.year)] = {
            "investment": _kroner(line.investment_total * 0.6, -5) if line.investment_total else "",
            "running": _kroner(line.running_total * 0.7, -4) if line.running_total else "",
        }
    save_plan_budgets(admin, budgets)
