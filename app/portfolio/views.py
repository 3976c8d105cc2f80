"""Public pages of the portfolio domain: the portfolio, project pages, the SDG overview."""

from urllib.parse import urlencode

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app.core.errors import NotFound
from app.core.input import MAX_ID, to_int
from app.core.models import Sdg
from app.core.pagecache import public_page
from app.core.pagination import page_args, paginate
from app.extensions import db
from app.ideas.labels import status_label as idea_status
from app.ideas.models import Idea, IdeaStatus
from app.portfolio import audit, bp, queries
from app.portfolio import groups as competence_groups
from app.portfolio.forms import DecisionForm, LinkIdeaForm, PhaseForm, UpdateForm
from app.portfolio.models import KIND_LABELS, PHASE_LABELS, Project, ProjectPhase
from app.portfolio.permissions import (
    can_assess_project,
    can_manage_project,
    can_record_decision,
    can_view_project,
    can_view_project_changes,
    can_view_project_internals,
)
from app.portfolio.plan import plan_years, project_plan


def viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


# --- the staff pickers: find an idea or a project by its title --------------------------


def bounded_id(value) -> int | None:
    number = to_int(value)
    return number if number is not None and 1 <= number <= MAX_ID else None


def _picker(*, page_url: str, anchor: str, param: str, pick: str, json_url: str, results: list,
            chosen, keep: dict | None = None, query: str | None = None) -> dict:
    """What templates/portfolio/_target_search.html shows: the search (kept in the address),
    its matches each with a link that chooses it, and the current choice."""
    keep = dict(keep or {})
    query = " ".join(str(request.args.get(param, "") if query is None else query).split())[:120]

    def choose_url(item_id: int) -> str:
        return f"{page_url}?{urlencode({**keep, param: query, pick: item_id})}#{anchor}"

    return {
        "page_url": page_url, "anchor": anchor, "param": param, "query": query, "keep": keep,
        "json_url": json_url, "chosen": chosen,
        "results": [{"id": item.id, "title": item.title, "meta": meta,
                     "choose_url": choose_url(item.id)} for item, meta in results],
    }


def idea_picker(exclude: Idea | None, *, page_url: str, anchor: str, param: str, pick: str,
                chosen_id: int | None = None, search: bool = True, keep: dict | None = None) -> dict:
    """Pick an idea that is visible and not merged or withdrawn (the merge target, or the idea
    a project takes up); `exclude` is the idea itself."""
    query = request.args.get(param, "") if search else ""
    found = queries.find_ideas_by_title(query, exclude_id=exclude.id if exclude else None)
    chosen_id = chosen_id if chosen_id is not None else bounded_id(request.args.get(pick))
    chosen = None
    if chosen_id is not None and (exclude is None or chosen_id != exclude.id):
        chosen = db.session.get(Idea, chosen_id)
        if chosen is not None and (not chosen.is_visible or chosen.status in (IdeaStatus.MERGED, IdeaStatus.WITHDRAWN)):
            chosen = None
    json_url = url_for("portfolio.find_ideas", exclude=exclude.id) if exclude else url_for("portfolio.find_ideas")
    return _picker(page_url=page_url, anchor=anchor, param=param, pick=pick, json_url=json_url, keep=keep,
                   results=[(i, f"{idea_status(i.status)} · {ngettext('%(num)d stemme', '%(num)d stemmer', i.vote_count)}")
                            for i in found],
                   chosen=chosen, query=query)


def project_picker(idea: Idea, *, page_url: str, anchor: str, param: str, pick: str,
                   chosen_id: int | None = None, search: bool = True, keep: dict | None = None) -> dict:
    """Pick a project the viewer may see, not cancelled and not already holding the idea."""
    person = viewer()
    query = request.args.get(param, "") if search else ""
    found = queries.find_projects_by_title(query, person, not_linked_to=idea.id)
    chosen_id = chosen_id if chosen_id is not None else bounded_id(request.args.get(pick))
    chosen = None
    if chosen_id is not None:
        chosen = db.session.get(Project, chosen_id)
        if chosen is not None and (not can_manage_project(person, chosen) or chosen.phase == ProjectPhase.CANCELLED):
            chosen = None
    return _picker(page_url=page_url, anchor=anchor, param=param, pick=pick, keep=keep,
                   json_url=url_for("portfolio.find_projects", idea=idea.id),
                   results=[(p, f"{p.phase_label}{'' if p.public else ' · ' + _('internt')}") for p in found],
                   chosen=chosen, query=query)


@bp.route("/portfolio")
@public_page
def portfolio():
    filters = queries.ProjectFilters.from_args(request.args)
    person = viewer()
    number, per_page = page_args(default_per_page=current_app.config["PER_PAGE"])
    page = paginate(queries.projects_query(person, filters), number, per_page)
    queries.fill_listing(page.items)
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


def render_project(project, *, link_form=None, update_form=None, decision_form=None, phase_form=None,
                   status: int = 200):
    """The project page; its staff see their forms on it (with errors after a failed post).
    Staff of other municipal areas read a public project as anyone does."""
    person = viewer()
    staff = can_view_project_internals(person, project)
    can_assess = can_assess_project(person, project)
    groups = queries.shown_groups() if can_assess else []
    data = queries.project_page(project, person, staff=staff, groups=groups, years=plan_years())
    can_manage = can_manage_project(person, project)
    link_form = link_form or LinkIdeaForm(prefix="link", formdata=None)
    picker = None
    if can_manage:
        page_url = url_for("portfolio.project", project_id=project.id)
        picker = idea_picker(None, page_url=page_url, anchor="link-idea", param="idea_q", pick="idea_pick",
                             chosen_id=bounded_id(link_form.idea_id.raw_data[0]) if link_form.idea_id.raw_data else None)
    if phase_form is None:
        # The offer: a project at 100 % that is not completed gets "completed" chosen.
        offer = project.progress == 100 and project.phase not in (ProjectPhase.COMPLETED, ProjectPhase.CANCELLED)
        phase_form = PhaseForm(prefix="phase", formdata=None,
                               data={"phase": (ProjectPhase.COMPLETED if offer else project.phase).value})
    return render_template(
        "portfolio/project.html",
        page=data, project=project,
        can_manage=can_manage,
        can_assess=can_assess,
        can_decide=can_record_decision(person, project),
        group_scores=(competence_groups.group_scores([project], {project.id: data.card}, data.criteria,
                                                     groups, data.averages)[project.id]
                      if can_assess else None),
        link_form=link_form, idea_picker=picker,
        update_form=update_form or UpdateForm(prefix="update"),
        decision_form=decision_form or DecisionForm(prefix="decision"),
        phase_form=phase_form,
        support_full=current_app.config["CITIZEN_SUPPORT_FULL_SCORE"],
        changes=audit.latest_changes(project.id, person) if can_view_project_changes(person, project) else None,
        # The project a decision merged this one with is named where the reader may see it.
        merged_visible={d.merged_into_id for d in data.decisions
                        if d.merged_into is not None and can_view_project(person, d.merged_into)},
        audit=audit,
        follow_state=data.viewer_state.get("following"),
        **project_plan(project, person, costs=data.costs),
    ), status


@bp.route("/portfolio/projects/<int:project_id>")
@public_page
def project(project_id: int):
    # Read only: the project with its areas and goals from the cached reference data.
    project = queries.shown_project(project_id)
    if project is None or not can_view_project(viewer(), project):
        raise NotFound(_("Fant ikke prosjektet."))
    return render_project(project)


@bp.route("/sdgs")
@public_page
def sdgs():
    overview = queries.sdg_overview(viewer())
    return render_template("portfolio/sdgs.html", overview=overview)


@bp.route("/sdgs/<int:number>")
@public_page
def sdg(number: int):
    goal = db.session.scalar(select(Sdg).where(Sdg.number == number)) or abort(404)
    return render_template("portfolio/sdg.html", page=queries.goal_page(goal, viewer()))
