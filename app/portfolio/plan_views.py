"""Staff screens of the economic plan and the priorities: a project's political and
administrative priority, its costs per plan year, and the budget per plan year."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.decorators import require
from app.accounts.models import User
from app.core.errors import NotAllowed, ServiceError
from app.core.forms import apply_errors
from app.portfolio import bp, services
from app.portfolio.forms import PriorityForm
from app.portfolio.models import ADMINISTRATIVE_LABELS, POLITICAL_LABELS
from app.portfolio.permissions import (
    can_edit_plan_budgets,
    can_estimate_project_costs,
    can_prioritise_project,
)
from app.portfolio.plan import (
    KINDS,
    plan_budgets,
    plan_years,
    project_costs,
    save_plan_budgets,
    save_project_costs,
)
from app.portfolio.priorities import set_project_priorities


def _actor() -> User:
    return current_user._get_current_object()


# --- priorities -------------------------------------------------------------------------


def _priority_form(**kwargs) -> PriorityForm:
    form = PriorityForm(**kwargs)
    form.political_priority.choices = [("", _("Ikke behandlet politisk"))] + [
        (value.value, label) for value, label in POLITICAL_LABELS.items()]
    form.administrative_priority.choices = [("", _("Ingen"))] + [
        (value.value, label) for value, label in ADMINISTRATIVE_LABELS.items()]
    return form


@bp.route("/staff/projects/<int:project_id>/priorities", methods=["GET", "POST"])
@require("manage_portfolio")
def project_priorities(project_id: int):
    """The council's decision on the project and the administration's priority."""
    actor = _actor()
    project = services.get_project(actor, project_id)
    if not can_prioritise_project(actor, project):
        raise NotAllowed(_("Bare porteføljeforvaltere kan sette prioriteringer."))
    if request.method == "GET":
        form = _priority_form(data={
            "political_priority": project.political_priority.value if project.political_priority else "",
            "council_case_number": project.council_case_number,
            "council_decision_date": project.council_decision_date.isoformat() if project.council_decision_date else "",
            "council_decision_text": project.council_decision_text,
            "administrative_priority": (project.administrative_priority.value
                                        if project.administrative_priority else ""),
        })
    else:
        form = _priority_form()
        if form.validate_on_submit():
            try:
                set_project_priorities(actor, project, form.values())
            except ServiceError as error:
                apply_errors(form, error)
            else:
                flash(_("Prioriteringen er lagret."), "success")
                return redirect(url_for("portfolio.project", project_id=project.id) + "#priorities")
    return render_template("portfolio/priorities.html", form=form, project=project)


# --- costs per plan year ----------------------------------------------------------------


def _posted_years(years: list[int]) -> dict:
    """{year: {"investment": raw, "running": raw}} from the form's `investment-<year>` fields;
    a field for a year outside the plan is passed on as it is, for the service to refuse."""
    posted: dict = {}
    for name, value in request.form.items():
        kind, _sep, year = name.partition("-")
        if kind in KINDS and year:
            posted.setdefault(year, {})[kind] = value
    return posted


def _amount_text(value: int | None) -> str:
    return "" if value is None else str(value)


@bp.route("/staff/projects/<int:project_id>/costs", methods=["GET", "POST"])
@require("manage_portfolio")
def project_costs_edit(project_id: int):
    """The project's estimated costs, one row per plan year: investment and running."""
    actor = _actor()
    project = services.get_project(actor, project_id)
    if not can_estimate_project_costs(actor, project):
        raise NotAllowed(_("Bare porteføljeforvaltere kan føre kostnader i økonomiplanen."))
    years = plan_years()
    stored = project_costs(project.id, years)
    values = {f"{kind}-{year}": _amount_text(getattr(stored[year], kind)) if year in stored else ""
              for year in years for kind in KINDS}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values.update({name: request.form.get(name, "") for name in values})
        try:
            save_project_costs(actor, project, _posted_years(years))
        except ServiceError as error:
            errors = error.fields or {"years": [error.message]}
        else:
            flash(_("Kostnadene i økonomiplanen er lagret."), "success")
            return redirect(url_for("portfolio.project", project_id=project.id) + "#plan")
    return render_template(
        "portfolio/project_costs.html", project=project, years=years, values=values, errors=errors,
    )


# --- the budget per plan year -----------------------------------------------------------


@bp.route("/staff/portfolio/plan-budgets", methods=["GET", "POST"])
@require("manage_portfolio")
def plan_budgets_edit():
    """The money the forum prioritises in each plan year; the board draws each year's line."""
    actor = _actor()
    years = plan_years()
    stored = plan_budgets(years)
    allowed = can_edit_plan_budgets(actor)
    values = {f"{kind}-{year}": _amount_text(getattr(stored[year], kind)) if year in stored else ""
              for year in years for kind in KINDS}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values.update({name: request.form.get(name, "") for name in values})
        try:
            save_plan_budgets(actor, _posted_years(years))
        except ServiceError as error:
            if isinstance(error, NotAllowed):
                raise
            errors = error.fields or {"years": [error.message]}
        else:
            flash(_("Budsjettet i økonomiplanen er lagret."), "success")
            return redirect(url_for("portfolio.board"))
    return render_template(
        "portfolio/plan_budgets.html", years=years, values=values, errors=errors, allowed=allowed,
    )


# --- what the board adds: the priority filters, the plan year shown, the CSV columns -------


def board_year(years: list[int]) -> int | None:
    """The plan year whose costs and line the board's table shows (`?year=`), if one is chosen."""
    raw = request.args.get("year", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 and int(raw) in years else None


def board_context(priorities) -> dict:
    """The board template's plan and priority context."""
    years = plan_years()
    return {
        "priorities": priorities, "plan_years": years, "plan_year": board_year(years),
        "political_labels": POLITICAL_LABELS, "administrative_labels": ADMINISTRATIVE_LABELS,
        "can_edit_budgets": can_edit_plan_budgets(_actor()),
    }


def board_csv_header() -> list[str]:
    header = [_("Politisk prioritet"), _("Saksnummer"), _("Vedtaksdato"), _("Administrativ prioritet")]
    for year in plan_years():
        header += [_("Investering %(year)s (kr)", year=year), _("Drift %(year)s (kr)", year=year),
                   _("Sum investering %(year)s til og med denne (kr)", year=year),
                   _("Sum drift %(year)s til og med denne (kr)", year=year),
                   _("Innenfor budsjettet %(year)s", year=year)]
    return header


def board_csv_values(row) -> list:
    project = row.project
    values = [str(project.political_label or ""), project.council_case_number, project.council_decision_date or "",
              str(project.administrative_label or "")]
    for year in plan_years():
        investment, running = row.plan.costs.get(year, (0, 0)) if row.plan else (0, 0)
        sum_investment, sum_running = row.plan.cumulative.get(year, (0, 0)) if row.plan else (0, 0)
        fits = row.plan.fits.get(year) if row.plan else None
        values += [investment, running, sum_investment, sum_running, "" if fits is None else fits]
    return values
