"""API v1: a project's priorities (the council's decision, the administration's priority), its
costs per year of the economic plan, the budget per plan year, and what the board adds of them;
over the same services as the pages (app/portfolio/priorities.py, app/portfolio/plan.py)."""

from flask import jsonify
from flask_babel import gettext as _

from app.api import bp
from app.api import schemas as s
from app.api.common import acting_user, body
from app.api.openapi import operation
from app.core.errors import NotAllowed
from app.portfolio import services
from app.portfolio.permissions import can_prioritise_project, can_view_board
from app.portfolio.plan import (
    plan_budgets,
    plan_years,
    project_costs,
    save_plan_budgets,
    save_project_costs,
)
from app.portfolio.priorities import set_project_priorities

PLAN = ("Economic plan",)


def _iso(value):
    return value.isoformat() if value is not None else None


def _priorities_json(project) -> dict:
    return {
        "project_id": project.id,
        "political_priority": project.political_priority.value if project.political_priority else None,
        "council_case_number": project.council_case_number,
        "council_decision_date": _iso(project.council_decision_date),
        "council_decision_text": project.council_decision_text,
        "administrative_priority": project.administrative_priority.value if project.administrative_priority else None,
    }


def _costs_json(project) -> dict:
    years = plan_years()
    return {"project_id": project.id, "plan_years": years, "costs": [
        {"year": year, "investment": row.investment, "running": row.running}
        for year, row in sorted(project_costs(project.id, years).items())]}


def _plan_json() -> dict:
    years = plan_years()
    budgets = plan_budgets(years)
    return {"plan_years": years, "budgets": [
        {"year": year, "investment": budgets[year].investment if year in budgets else None,
         "running": budgets[year].running if year in budgets else None} for year in years]}


@bp.get("/projects/<int:project_id>/priorities")
@operation(tags=PLAN, ok={200: s.PrioritiesOut}, auth=True)
def project_priorities(project_id: int):
    """The project's political priority (the council's decision) and administrative priority."""
    actor = acting_user()
    project = services.get_project(actor, project_id)
    if not can_prioritise_project(actor, project):
        raise NotAllowed(_("Bare porteføljeforvaltere kan sette prioriteringer."))
    return jsonify(_priorities_json(project))


@bp.put("/projects/<int:project_id>/priorities")
@operation(tags=PLAN, json=s.PriorityIn, ok={200: s.PrioritiesOut}, auth=True)
def project_priorities_set(project_id: int):
    """Set both priorities; a field left out is cleared (a council decision needs its case number and date)."""
    actor = acting_user()
    data = body()
    project = services.get_project(actor, project_id)
    set_project_priorities(actor, project, {
        name: getattr(data, name) or "" for name in (
            "political_priority", "council_case_number", "council_decision_date", "council_decision_text",
            "administrative_priority")})
    return jsonify(_priorities_json(project))


@bp.get("/projects/<int:project_id>/costs")
@operation(tags=PLAN, ok={200: s.CostsOut}, auth=True)
def project_costs_get(project_id: int):
    """The project's estimated costs in each year of the economic plan (investment and running)."""
    actor = acting_user()
    if not can_view_board(actor):
        raise NotAllowed(_("Prioriteringstavlen er for kommunens ansatte."))
    return jsonify(_costs_json(services.get_project(actor, project_id)))


@bp.put("/projects/<int:project_id>/costs")
@operation(tags=PLAN, json=s.YearAmountsIn, ok={200: s.CostsOut}, auth=True, errors=(409,))
def project_costs_set(project_id: int):
    """Set the costs of the plan years given (both 0 or empty: the year costs nothing); other years stay."""
    actor = acting_user()
    project = services.get_project(actor, project_id)
    save_project_costs(actor, project, body().years if body().years is not None else {})
    return jsonify(_costs_json(project))


@bp.get("/portfolio/plan")
@operation(tags=PLAN, ok={200: s.PlanOut}, auth=True)
def portfolio_plan():
    """The economic plan's years and the budget of each (investment and running)."""
    actor = acting_user()
    if not can_view_board(actor):
        raise NotAllowed(_("Prioriteringstavlen er for kommunens ansatte."))
    return jsonify(_plan_json())


@bp.put("/portfolio/plan")
@operation(tags=PLAN, json=s.YearAmountsIn, ok={200: s.PlanOut}, auth=True, errors=(409,))
def portfolio_plan_set():
    """Set the budget of the plan years given; an empty or null amount means no budget (no line)."""
    actor = acting_user()
    save_plan_budgets(actor, body().years if body().years is not None else {})
    return jsonify(_plan_json())


# --- what the board adds ------------------------------------------------------------------


def board_row_plan_json(row) -> dict:
    project, plan = row.project, row.plan
    return {
        "pinned": row.pinned,
        "political_priority": project.political_priority.value if project.political_priority else None,
        "council_case_number": project.council_case_number or None,
        "council_decision_date": _iso(project.council_decision_date),
        "administrative_priority": project.administrative_priority.value if project.administrative_priority else None,
        "plan": [] if plan is None else [
            {"year": year, "investment": cost[0], "running": cost[1],
             "cumulative_investment": plan.cumulative[year][0], "cumulative_running": plan.cumulative[year][1],
             "fits": plan.fits.get(year)}
            for year, cost in sorted(plan.costs.items())],
    }


def board_plan_json(board) -> list[dict]:
    return [] if board.plan is None else [{
        "year": line.year, "investment_budget": line.investment_budget, "running_budget": line.running_budget,
        "investment_total": line.investment_total, "running_total": line.running_total,
        "investment_within": line.investment_within, "running_within": line.running_within,
        "count_within": line.count_within, "first_over_rank": line.first_over_rank,
    } for line in board.plan.years]
