"""Public pages of the portfolio domain: the portfolio, project pages, the SDG overview."""

from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app.core.models import Sdg
from app.core.pagination import page_args, paginate
from app.extensions import db
from app.portfolio import bp, queries, services
from app.portfolio.forms import DecisionForm, LinkIdeaForm, UpdateForm
from app.portfolio.models import KIND_LABELS, PHASE_LABELS, ProjectPhase
from app.portfolio.permissions import (
    can_assess_projects,
    can_manage_projects,
    can_record_decisions,
    can_view_internal_projects,
)


def viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.route("/portfolio")
def portfolio():
    filters = queries.ProjectFilters.from_args(request.args)
    person = viewer()
    number, per_page = page_args(default_per_page=current_app.config["PER_PAGE"])
    page = paginate(queries.projects_query(person, filters), number, per_page)
    supporters = queries.citizen_support([p.id for p in page.items])
    groups: list[tuple[ProjectPhase, list]] = []
    for project in page.items:
        if not groups or groups[-1][0] != project.phase:
            groups.append((project.phase, []))
        groups[-1][1].append(project)
    return render_template(
        "portfolio/portfolio.html", page=page, groups=groups, filters=filters,
        supporters=supporters, choices=queries.filter_choices(),
        kinds=KIND_LABELS, phases=PHASE_LABELS,
    )


def render_project(project, *, link_form=None, update_form=None, decision_form=None, status: int = 200):
    """The project page; staff see their forms on it (with errors after a failed post)."""
    person = viewer()
    staff = can_view_internal_projects(person)
    data = queries.project_page(project, person, staff=staff)
    return render_template(
        "portfolio/project.html",
        page=data, project=project,
        can_manage=can_manage_projects(person),
        can_assess=can_assess_projects(person),
        can_decide=can_record_decisions(person),
        link_form=link_form or LinkIdeaForm(prefix="link"),
        update_form=update_form or UpdateForm(prefix="update"),
        decision_form=decision_form or DecisionForm(prefix="decision"),
        support_full=current_app.config["CITIZEN_SUPPORT_FULL_SCORE"],
    ), status


@bp.route("/portfolio/projects/<int:project_id>")
def project(project_id: int):
    return render_project(services.get_project(viewer(), project_id))


@bp.route("/sdgs")
def sdgs():
    overview = queries.sdg_overview(viewer())
    return render_template("portfolio/sdgs.html", overview=overview)


@bp.route("/sdgs/<int:number>")
def sdg(number: int):
    goal = db.session.scalar(select(Sdg).where(Sdg.number == number)) or abort(404)
    return render_template("portfolio/sdg.html", page=queries.goal_page(goal, viewer()))
