"""Staff screens of the portfolio domain: the structure, answering ideas, projects, the
prioritisation board and decisions, criteria and local targets."""

import hashlib
from datetime import date

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.decorators import require
from app.accounts.models import User
from app.accounts.permissions import CAPABILITIES, can, scope_of
from app.core.csv import csv_response
from app.core.errors import ServiceError
from app.core.forms import apply_errors
from app.core.input import to_int, to_kroner
from app.core.models import MunicipalArea, Sdg, ServiceArea
from app.core.navigation import register_staff_link
from app.core.pagecache import kept_fragment
from app.core.pagination import page_args, paginate
from app.core.urls import external_url
from app.extensions import db
from app.ideas.labels import status_label
from app.ideas.models import IdeaStatus
from app.portfolio import answers, bp, groups, plan_views, queries, services
from app.portfolio.forms import (
    AreaNameForm,
    CriterionForm,
    DecisionForm,
    LinkIdeaForm,
    LinkProjectForm,
    LocalTargetForm,
    MergeForm,
    PhaseForm,
    ProjectForm,
    StatusForm,
    UpdateForm,
)
from app.portfolio.models import (
    KIND_LABELS,
    OUTCOME_LABELS,
    PHASE_LABELS,
    Criterion,
    LocalTarget,
    Project,
    ProjectPhase,
)
from app.portfolio.permissions import can_edit_plan_budgets
from app.portfolio.priorities import PriorityFilters
from app.portfolio.systems import similar_systems
from app.portfolio.views import bounded_id, idea_picker, project_picker, render_project


def _actor() -> User:
    return current_user._get_current_object()


def _int_arg(name: str) -> int | None:
    return to_int(request.args.get(name))


# --- the municipal structure ------------------------------------------------------------


@bp.route("/admin/structure", methods=["GET", "POST"])
@require("manage_structure")
def admin_structure():
    form = AreaNameForm()
    failed = None
    if request.method == "POST":
        action = request.form.get("action", "")
        kind = request.form.get("kind", "municipal")
        try:
            # An id no row can have is 0, which the services answer with "not found".
            object_id = to_int(request.form.get("id")) or 0
            if action == "create" and form.validate_on_submit():
                parent = to_int(request.form.get("parent_id")) or 0
                names = (form.name.data, form.name_nn.data or "", form.name_en.data or "")
                if parent:
                    services.create_service_area(current_user, parent, *names)
                else:
                    services.create_municipal_area(current_user, *names)
                flash(_("Området er opprettet."), "success")
            elif action == "rename":
                # A name the form did not send (nynorsk, English) is left as it is.
                services.rename(current_user, kind, object_id, request.form.get("name", ""),
                                request.form.get("name_nn"), request.form.get("name_en"))
                flash(_("Navnet er endret."), "success")
            elif action in {"up", "down"}:
                services.move(current_user, kind, object_id, -1 if action == "up" else 1)
            elif action in {"retire", "restore"}:
                services.set_retired(current_user, kind, object_id, action == "retire")
                flash(_("Området er pensjonert.") if action == "retire" else _("Området er tatt i bruk igjen."),
                      "success")
            elif action == "delete":
                services.delete_area(current_user, kind, object_id)
                flash(_("Området er slettet."), "success")
            else:
                failed = request.form.get("parent_id") or "municipal"
            if failed is None:
                return redirect(url_for("portfolio.admin_structure"))
        except ServiceError as error:
            if action == "create":
                apply_errors(form, error)
                failed = request.form.get("parent_id") or "municipal"
            else:
                flash(error.message, "danger")
                return redirect(url_for("portfolio.admin_structure"))
        except ValueError:
            flash(_("Ugyldig forespørsel."), "danger")
            return redirect(url_for("portfolio.admin_structure"))
    return render_template(
        "portfolio/admin_structure.html", areas=services.list_structure(), form=form, failed=failed
    )


@bp.route("/admin/structure/<kind>/<int:object_id>", methods=["GET", "POST"])
@require("manage_structure")
def admin_area_names(kind: str, object_id: int):
    """An area's names in bokmål, nynorsk and English, each error next to its field."""
    model = {"municipal": MunicipalArea, "service": ServiceArea}.get(kind)
    area = db.session.get(model, object_id) if model else None
    if area is None:
        abort(404)
    form = AreaNameForm(data={"name": area.name_nb, "name_nn": area.name_nn, "name_en": area.name_en})
    if form.validate_on_submit():
        try:
            services.rename(_actor(), kind, object_id, form.name.data, form.name_nn.data or "",
                            form.name_en.data or "")
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Navnet er endret."), "success")
            return redirect(url_for("portfolio.admin_structure"))
    return render_template("portfolio/admin_area_names.html", form=form, area=area, kind=kind)


# --- answering ideas --------------------------------------------------------------------


@bp.route("/staff/answers")
@require("answer_ideas")
def inbox():
    municipal_area_id = _int_arg("municipal_area")
    service_area_id = _int_arg("service_area")
    number, per_page = page_args(default_per_page=50)
    viewer = _actor()

    def render_inbox() -> str:
        # Unfiltered, the total is the staff menu's count of ideas waiting (kept with the counts),
        # not a COUNT over every unanswered idea on each page (55 ms at 47,000 of them).
        total = queries.unanswered_count(viewer) if municipal_area_id is None and service_area_id is None else None
        page = paginate(queries.inbox_query(municipal_area_id, service_area_id, viewer=viewer), number,
                        per_page, scalars=False, total=total)
        items = [queries.inbox_item(idea, reached) for idea, reached in page.items]
        return render_template(
            "portfolio/_inbox.html", page=page, items=items, choices=queries.filter_choices(),
            municipal_area_id=municipal_area_id, service_area_id=service_area_id,
        )

    # Staff of the same areas answer the same ideas: the inbox is kept for them between writes
    # (app/core/pagecache.py); its deadlines move with the clock within PAGE_CACHE_SECONDS.
    scope = scope_of(viewer)
    seen_by = None if scope is None else tuple(sorted(scope))
    return render_template("portfolio/inbox.html", inbox_html=kept_fragment("inbox", seen_by, render_inbox))


def _status_form(idea, **kwargs) -> StatusForm:
    """kwargs: formdata=None for a fresh form on GET; by default the request's data."""
    form = StatusForm(prefix="status", **kwargs)
    form.status.choices = [("", _("Velg …"))] + [
        (status.value, status_label(status)) for status in answers.staff_moves(idea)
        if status != IdeaStatus.MERGED
    ]
    return form


def _link_project_form(idea, **kwargs) -> LinkProjectForm:
    return LinkProjectForm(prefix="link", **kwargs)


def _posted_id(field) -> int | None:
    """The id a hidden picker field carried, if it is one a row can have."""
    return bounded_id(field.raw_data[0]) if field.raw_data else None


def _render_answer(idea, *, status_form=None, merge_form=None, link_form=None):
    due = None
    if idea.first_answered_at is None:
        due = queries.inbox_item(idea, queries.priority_reached_at(idea))
    page_url = url_for("portfolio.answer_idea", idea_id=idea.id)
    merge_form = merge_form or MergeForm(prefix="merge", formdata=None)
    link_form = link_form or _link_project_form(idea, formdata=None)
    keep = {k: v for k, v in request.args.items() if k in ("merge_q", "merge_into", "project_q", "project_pick")}
    # Each picker keeps the other's search and choice in the address it builds.
    merge_picker = idea_picker(idea, page_url=page_url, anchor="merge", param="merge_q", pick="merge_into",
                               chosen_id=_posted_id(merge_form.into_id),
                               keep={k: v for k, v in keep.items() if k.startswith("project_")})
    project_choice = project_picker(idea, page_url=page_url, anchor="link", param="project_q", pick="project_pick",
                                    chosen_id=_posted_id(link_form.project_id),
                                    keep={k: v for k, v in keep.items() if k.startswith("merge_")})
    return render_template(
        "portfolio/answer.html", idea=idea,
        due=due,
        status_form=status_form or _status_form(idea, formdata=None),
        merge_form=merge_form,
        link_form=link_form,
        merge_picker=merge_picker, project_picker=project_choice,
        can_merge=IdeaStatus.MERGED in answers.staff_moves(idea),
        links=queries.projects_of_idea(idea.id, _actor()),
        merged=answers.merged_into_idea(idea),
        idea_url=answers.idea_path(idea.id),
    )


@bp.route("/staff/ideas/<int:idea_id>/answer", methods=["GET", "POST"])
@require("answer_ideas")
def answer_idea(idea_id: int):
    idea = answers.get_idea_to_answer(_actor(), idea_id)
    if request.method == "GET":
        return _render_answer(idea)
    form = _status_form(idea)
    if form.validate_on_submit():
        try:
            answers.change_idea_status(_actor(), idea, form.status.data, form.explanation.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Statusen er endret til «%(status)s».", status=status_label(idea.status)), "success")
            return redirect(answers.idea_path(idea.id))
    return _render_answer(idea, status_form=form)


@bp.route("/staff/ideas/<int:idea_id>/merge", methods=["POST"])
@require("answer_ideas")
def merge_idea(idea_id: int):
    idea = answers.get_idea_to_answer(_actor(), idea_id)
    form = MergeForm(prefix="merge")
    if form.validate_on_submit():
        try:
            into = answers.get_idea(_posted_id(form.into_id) or 0)
            answers.merge_ideas(_actor(), idea, into, form.explanation.data)
        except ServiceError as error:
            if not error.fields:
                error.fields = {"into_id": [error.message]}
            apply_errors(form, error)
        else:
            flash(_("Idéen er slått sammen med «%(title)s».", title=into.title), "success")
            return redirect(answers.idea_path(into.id))
    return _render_answer(idea, merge_form=form)


@bp.route("/staff/ideas/<int:idea_id>/projects", methods=["POST"])
@require("manage_portfolio")
def link_project(idea_id: int):
    idea = answers.get_idea(idea_id)
    form = _link_project_form(idea)
    if form.validate_on_submit():
        try:
            project = services.get_project(_actor(), _posted_id(form.project_id) or 0)
            services.link_idea(_actor(), project, idea, form.note.data)
        except ServiceError as error:
            if not error.fields:
                error.fields = {"project_id": [error.message]}
            apply_errors(form, error)
        else:
            flash(_("Idéen er koblet til «%(title)s».", title=project.title), "success")
            return redirect(answers.idea_path(idea.id))
    return _render_answer(idea, link_form=form)


# --- projects ---------------------------------------------------------------------------


def _staff_people() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_(CAPABILITIES["staff"])).order_by(User.full_name)
    ))


def _project_form_context(form: ProjectForm) -> dict:
    if request.method == "GET":
        # Only shown: the cached read-only copies (queries._reference), as a POST below
        # validates the owner against the current rows.
        reference = queries.filter_choices()
        areas = reference["areas"]
        all_service_areas = sorted((sa for area in areas for sa in area.service_areas), key=lambda sa: sa.id)
        goals = reference["goals"]
        targets = sorted(queries.shown_targets(), key=lambda t: (t.sdg_number, t.code))
    else:
        # Each area's service areas in one query, not one per area (issue 17).
        areas = db.session.scalars(
            select(MunicipalArea).options(selectinload(MunicipalArea.service_areas))
            .order_by(MunicipalArea.position, MunicipalArea.name)
        ).all()
        all_service_areas = db.session.scalars(select(ServiceArea).order_by(ServiceArea.id)).all()
        goals = db.session.scalars(select(Sdg).order_by(Sdg.number)).all()
        targets = db.session.scalars(select(LocalTarget).order_by(LocalTarget.sdg_number, LocalTarget.code)).all()
    form.owner_service_area_id.choices = [(sa.id, sa.name) for sa in all_service_areas]
    people = _staff_people()
    form.responsible_id.choices = [("", _("Ingen valgt"))] + [(p.id, p.full_name) for p in people]
    return {
        "areas": areas,
        "people": people,
        "goals": goals,
        "targets": targets,
        "kinds": KIND_LABELS,
        "phases": PHASE_LABELS,
    }


def _fingerprint(form: ProjectForm) -> str:
    text = f"{form.title.data or ''}\n{form.description.data or ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _similar(form: ProjectForm) -> dict:
    text = f"{form.title.data or ''} {form.description.data or ''}"
    return {
        "projects": queries.similar_projects(text, _actor()),
        "ideas": queries.similar_ideas(text),
        "systems": similar_systems(text),
        "fingerprint": _fingerprint(form),
    }


@bp.route("/staff/projects/new", methods=["GET", "POST"])
@require("manage_portfolio")
def project_new():
    """Create a project; what looks like it is shown first, so nothing is bought twice."""
    form = ProjectForm()
    context = _project_form_context(form)
    similar = None
    if request.method == "POST" and request.form.get("action") == "check":
        similar = _similar(form)
    elif form.validate_on_submit():
        if request.form.get("checked") != _fingerprint(form):
            similar = _similar(form)
        if similar is None or not (similar["projects"] or similar["ideas"] or similar["systems"]):
            try:
                project = services.create_project(_actor(), form.values())
            except ServiceError as error:
                apply_errors(form, error)
            else:
                flash(_("Prosjektet er opprettet."), "success")
                return redirect(url_for("portfolio.project", project_id=project.id))
    return render_template("portfolio/project_form.html", form=form, project=None, similar=similar, **context)


@bp.route("/staff/projects/<int:project_id>/edit", methods=["GET", "POST"])
@require("manage_portfolio")
def project_edit(project_id: int):
    project = services.get_project(_actor(), project_id, to="manage", shown=request.method == "GET")
    if request.method == "GET":
        form = ProjectForm(data={
            "title": project.title, "description": project.description, "kind": project.kind.value,
            "phase": project.phase.value, "owner_service_area_id": project.owner_service_area_id,
            "service_area_ids": [sa.id for sa in project.service_areas],
            "responsible_id": project.responsible_id,
            "sdgs": [goal.number for goal in project.sdgs],
            "local_target_ids": [t.id for t in project.local_targets],
            "estimated_cost": "" if project.estimated_cost is None else str(project.estimated_cost),
            "planned_start": project.planned_start, "planned_end": project.planned_end,
            "progress": project.progress, "public": project.public,
        })
    else:
        form = ProjectForm()
    context = _project_form_context(form)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_project(_actor(), project, form.values())
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Prosjektet er lagret."), "success")
            return redirect(url_for("portfolio.project", project_id=project.id))
    return render_template("portfolio/project_form.html", form=form, project=project, similar=None, **context)


@bp.route("/staff/projects/<int:project_id>/ideas", methods=["POST"])
@require("manage_portfolio")
def project_link_idea(project_id: int):
    project = services.get_project(_actor(), project_id, to="manage")
    form = LinkIdeaForm(prefix="link")
    if form.validate_on_submit():
        try:
            idea = answers.get_idea(_posted_id(form.idea_id) or 0)
            services.link_idea(_actor(), project, idea, form.note.data)
        except ServiceError as error:
            if not error.fields:
                error.fields = {"idea_id": [error.message]}
            apply_errors(form, error)
        else:
            flash(_("Idéen «%(title)s» er koblet til prosjektet.", title=idea.title), "success")
            return redirect(url_for("portfolio.project", project_id=project.id) + "#ideas")
    return render_project(project, link_form=form)


@bp.route("/staff/projects/<int:project_id>/phase", methods=["POST"])
@require("manage_portfolio")
def project_change_phase(project_id: int):
    """Move the project to another phase; its linked ideas follow (services.change_project_phase)."""
    project = services.get_project(_actor(), project_id, to="manage")
    form = PhaseForm(prefix="phase")
    if form.validate_on_submit():
        try:
            services.change_project_phase(_actor(), project, form.phase.data, form.explanation.data)
        except ServiceError as error:
            if not error.fields:
                error.fields = {"phase": [error.message]}
            apply_errors(form, error)
        else:
            flash(_("Prosjektet er nå i fasen «%(phase)s». Idéene som hører til, følger med.",
                    phase=project.phase_label), "success")
            return redirect(url_for("portfolio.project", project_id=project.id) + "#phase")
    return render_project(project, phase_form=form, status=422)


# --- finding an idea or a project by its title (JSON for the suggestions) ----------------


@bp.route("/staff/find/ideas")
@require("answer_ideas")
def find_ideas():
    """Ideas whose title holds the words typed, for the merge and link pickers (at most 10)."""
    exclude = bounded_id(request.args.get("exclude"))
    found = queries.find_ideas_by_title(request.args.get("q", ""), exclude_id=exclude)
    return jsonify({"items": [
        {"id": idea.id, "title": idea.title, "status": idea.status.value,
         "meta": f"{status_label(idea.status)} · "
                 + ngettext("%(num)d stemme", "%(num)d stemmer", idea.vote_count)}
        for idea in found
    ]})


@bp.route("/staff/find/projects")
@require("manage_portfolio")
def find_projects():
    """Projects the person may see whose title holds the words typed (at most 10)."""
    idea_id = bounded_id(request.args.get("idea"))
    found = queries.find_projects_by_title(request.args.get("q", ""), _actor(), not_linked_to=idea_id)
    return jsonify({"items": [
        {"id": p.id, "title": p.title, "phase": p.phase.value,
         "meta": str(p.phase_label) + ("" if p.public else " · " + _("internt"))}
        for p in found
    ]})


@bp.route("/staff/projects/<int:project_id>/ideas/<int:idea_id>/remove", methods=["POST"])
@require("manage_portfolio")
def project_unlink_idea(project_id: int, idea_id: int):
    project = services.get_project(_actor(), project_id, to="manage")
    services.unlink_idea(_actor(), project, answers.get_idea(idea_id))
    flash(_("Idéen er koblet fra prosjektet."), "success")
    return redirect(url_for("portfolio.project", project_id=project.id) + "#ideas")


@bp.route("/staff/projects/<int:project_id>/updates", methods=["POST"])
@require("manage_portfolio")
def project_post_update(project_id: int):
    project = services.get_project(_actor(), project_id, to="manage")
    form = UpdateForm(prefix="update")
    if form.validate_on_submit():
        try:
            services.post_project_update(_actor(), project, form.text.data, form.progress.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Oppdateringen er publisert."), "success")
            return redirect(url_for("portfolio.project", project_id=project.id) + "#updates")
    return render_project(project, update_form=form)


@bp.route("/staff/projects/<int:project_id>/decisions", methods=["POST"])
@require("manage_portfolio")
def project_record_decision(project_id: int):
    project = services.get_project(_actor(), project_id, to="decide")
    form = DecisionForm(prefix="decision")
    if form.validate_on_submit():
        try:
            services.record_decision(_actor(), project, form.meeting_date.data, form.outcome.data,
                                     form.rationale.data, deferred_to=form.deferred_to.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Beslutningen er ført."), "success")
            return redirect(url_for("portfolio.project", project_id=project.id) + "#decisions")
    return render_project(project, decision_form=form)


@bp.route("/staff/projects/<int:project_id>/assessment", methods=["GET", "POST"])
@require("assess_projects")
def project_assess(project_id: int):
    posted = request.method == "POST"
    project = services.get_project(_actor(), project_id, to="assess", shown=not posted)
    # A GET only shows them: the cached read-only criteria and groups (queries._reference).
    every_criterion = queries.criteria_list() if posted else queries.shown_criteria()
    criteria = [c for c in every_criterion if not c.computed]
    assessments = queries.all_assessments(project)
    mine = {a.criterion.key: a for a in assessments if a.assessor_id == _actor().id}
    values = {c.key: (str(mine[c.key].score) if c.key in mine else "") for c in criteria}
    comments = {c.key: (mine[c.key].comment if c.key in mine else "") for c in criteria}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {c.key: request.form.get(f"score-{c.key}", "") for c in criteria}
        comments = {c.key: request.form.get(f"comment-{c.key}", "") for c in criteria}
        try:
            services.assess_project(_actor(), project, values, comments)
        except ServiceError as error:
            errors = error.fields or {"scores": [error.message]}
        else:
            flash(_("Vurderingen er lagret."), "success")
            return redirect(url_for("portfolio.project_assess", project_id=project.id))
        assessments = queries.all_assessments(project)
    every_group = groups.list_groups(members=False) if posted else queries.shown_groups()
    # The averages, the groups' averages and the assessor's groups in one statement.
    averages = queries.assessment_averages([project.id], [group.id for group in every_group], _actor().id)
    card = queries.score_projects([project.id], every_criterion, averages)[project.id]
    group_scores = groups.group_scores([project], {project.id: card}, every_criterion, every_group,
                                       averages)[project.id]
    return render_template(
        "portfolio/assessment.html", project=project, criteria=criteria, values=values,
        comments=comments, errors=errors, card=card, all_criteria=every_criterion,
        assessments=assessments,
        group_scores=group_scores, my_groups=groups.counted_for(_actor(), group_scores, averages.memberships),
    )


# --- the board and the decisions --------------------------------------------------------


def _budget_arg() -> int | None:
    return to_kroner(request.args.get("budget"), "budget")


@bp.route("/staff/portfolio/board")
@require("assess_projects")
def board():
    actor = _actor()
    filters = queries.ProjectFilters.from_args(request.args).within_scope_of(actor)
    number, per_page = page_args(default_per_page=queries.BOARD_PAGE_SIZE, max_per_page=500)
    priorities = PriorityFilters.from_args(request.args)
    budget = _budget_arg()

    def render_board() -> str:
        data = queries.board(filters, budget, page=number, per_page=per_page, priorities=priorities)
        return render_template(
            "portfolio/_board.html", board=data, filters=filters, choices=queries.filter_choices(),
            group_rows=groups.group_scores([row.project for row in data.rows],
                                           {row.project.id: row.card for row in data.rows},
                                           data.criteria, queries.shown_groups()),
            kinds=KIND_LABELS, phases={p: PHASE_LABELS[p] for p in (ProjectPhase.PROPOSED, ProjectPhase.PLANNED)},
            budget_raw=request.args.get("budget", ""), **plan_views.board_context(priorities),
            contracts=queries.shown_contracts(),
        )

    # Staff who see the same projects (their areas) with the same links (their rights) see the
    # same board: it is kept for them between writes (app/core/pagecache.py).
    seen_by = (None if filters.areas is None else tuple(sorted(filters.areas)),
               *(can(actor, right) for right in ("manage_portfolio", "administer")), can_edit_plan_budgets(actor))
    return render_template("portfolio/board.html", board_html=kept_fragment("board", seen_by, render_board))


def _areas_text(project: Project) -> str:
    return ", ".join(sa.name for sa in project.service_areas)


@bp.route("/staff/portfolio/board.csv")
@require("assess_projects")
def board_csv():
    filters = queries.ProjectFilters.from_args(request.args).within_scope_of(_actor())
    data = queries.board(filters, _budget_arg(), priorities=PriorityFilters.from_args(request.args))
    header = [_("Rangering"), _("Prosjekt"), _("Type"), _("Fase"), _("Offentlig"),
              _("Kommunalområde"), _("Eier"), _("Deltakende virksomhetsområder"),
              _("Bærekraftsmål"), _("Anslått kostnad (kr)"), _("Sum til og med denne (kr)"),
              _("Innenfor budsjettet"), _("Innbyggerstøtte (personer)"), _("Vektet poengsum"),
              *[c.name for c in data.criteria], _("Siste beslutning"), _("Møtedato"), _("Adresse"),
              *plan_views.board_csv_header()]
    group_header, group_values = groups.board_csv_columns(data)
    header += group_header

    def rows():
        for row in data.rows:
            project = row.project
            yield [
                row.rank, project.title, str(project.kind_label), str(project.phase_label), project.public,
                project.owner_service_area.municipal_area.name, project.owner_service_area.name,
                _areas_text(project), ", ".join(str(goal.number) for goal in project.sdgs),
                project.estimated_cost, row.cumulative_cost,
                "" if row.fits is None else row.fits, row.card.supporters,
                None if row.card.score is None else round(row.card.score, 2),
                *[None if c.key not in row.card.averages else round(row.card.averages[c.key], 2)
                  for c in data.criteria],
                str(row.latest_decision.outcome_label) if row.latest_decision else "",
                row.latest_decision.meeting_date if row.latest_decision else "",
                external_url("portfolio.project", project_id=project.id),
                *plan_views.board_csv_values(row),
                *group_values(project.id),
            ]

    return csv_response(f"prioritering-{date.today().isoformat()}.csv", header, rows())


@bp.route("/staff/portfolio/decisions")
@require("assess_projects")
def decisions():
    number, per_page = page_args(default_per_page=50)
    page = paginate(queries.decisions_query(viewer=_actor()), number, per_page)
    return render_template("portfolio/decisions.html", page=page)


@bp.route("/staff/portfolio/decisions.csv")
@require("assess_projects")
def decisions_csv():
    header = [_("Møtedato"), _("Prosjekt"), _("Eier"), _("Beslutning"), _("Begrunnelse"),
              _("Ført av"), _("Ført"), _("Adresse")]
    decisions_ = db.session.scalars(queries.decisions_query(viewer=_actor())).all()

    def rows():
        for decision in decisions_:
            yield [
                decision.meeting_date, decision.project.title, decision.project.owner_service_area.name,
                str(OUTCOME_LABELS[decision.outcome]), decision.rationale,
                decision.recorded_by.full_name if decision.recorded_by else "",
                decision.created_at.date(),
                external_url("portfolio.project", project_id=decision.project_id),
            ]

    return csv_response(f"beslutninger-{date.today().isoformat()}.csv", header, rows())


# --- criteria and local targets (admins) ------------------------------------------------


@bp.route("/admin/criteria", methods=["GET", "POST"])
@require("administer")
def admin_criteria():
    form = CriterionForm(prefix="new")
    weight_errors: dict[str, list[str]] = {}
    if request.method == "POST" and request.form.get("action") == "weights":
        try:
            services.set_criteria_weights(_actor(), {
                key[len("weight-"):]: value for key, value in request.form.items() if key.startswith("weight-")
            })
        except ServiceError as error:
            weight_errors = error.fields
            flash(error.message, "danger")
        else:
            flash(_("Vektene er lagret."), "success")
            return redirect(url_for("portfolio.admin_criteria"))
    elif request.method == "POST" and form.validate_on_submit():
        try:
            services.save_criterion(_actor(), None, {
                name: getattr(form, name).data for name in (
                    "key", "name_nb", "name_nn", "name_en", "description_nb", "description_nn",
                    "description_en", "weight")
            })
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Kriteriet er lagt til."), "success")
            return redirect(url_for("portfolio.admin_criteria"))
    criteria = queries.criteria_list()
    total = sum(c.weight for c in criteria) or 1
    return render_template("portfolio/admin_criteria.html", criteria=criteria, total=total, form=form,
                           weight_errors=weight_errors,
                           weight_values={k[len("weight-"):]: v for k, v in request.form.items()
                                          if k.startswith("weight-")})


@bp.route("/admin/criteria/<int:criterion_id>", methods=["GET", "POST"])
@require("administer")
def admin_criterion(criterion_id: int):
    criterion = db.session.get(Criterion, criterion_id) or abort(404)
    form = CriterionForm(obj=criterion)
    if request.method == "POST" and request.form.get("action") == "delete":
        try:
            services.delete_criterion(_actor(), criterion)
        except ServiceError as error:
            flash(error.message, "danger")
            return redirect(url_for("portfolio.admin_criterion", criterion_id=criterion_id))
        flash(_("Kriteriet er slettet."), "success")
        return redirect(url_for("portfolio.admin_criteria"))
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.save_criterion(_actor(), criterion, {
                name: getattr(form, name).data for name in (
                    "name_nb", "name_nn", "name_en", "description_nb", "description_nn",
                    "description_en", "weight")
            })
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Kriteriet er lagret."), "success")
            return redirect(url_for("portfolio.admin_criteria"))
    return render_template("portfolio/admin_criterion.html", criterion=criterion, form=form)


def _target_form(**kwargs) -> LocalTargetForm:
    form = LocalTargetForm(**kwargs)
    goals = db.session.scalars(select(Sdg).order_by(Sdg.number)).all()
    form.sdg.choices = [("", _("Velg …"))] + [(g.number, f"{g.number} {g.name}") for g in goals]
    return form


def _target_values(form: LocalTargetForm) -> dict:
    return {name: getattr(form, name).data for name in ("sdg", "code", "text_nb", "text_nn", "text_en")}


@bp.route("/admin/local-targets", methods=["GET", "POST"])
@require("administer")
def admin_local_targets():
    form = _target_form(prefix="new")
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.save_local_target(_actor(), None, _target_values(form))
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Delmålet er lagt til."), "success")
            return redirect(url_for("portfolio.admin_local_targets"))
    targets = db.session.scalars(
        select(LocalTarget).order_by(LocalTarget.sdg_number, LocalTarget.code)
    ).all()
    goals = {g.number: g for g in db.session.scalars(select(Sdg))}
    return render_template("portfolio/admin_local_targets.html", targets=targets, goals=goals, form=form)


@bp.route("/admin/local-targets/<int:target_id>", methods=["GET", "POST"])
@require("administer")
def admin_local_target(target_id: int):
    target = db.session.get(LocalTarget, target_id) or abort(404)
    form = _target_form(data={
        "sdg": target.sdg_number, "code": target.code,
        "text_nb": target.text_nb, "text_nn": target.text_nn, "text_en": target.text_en,
    })
    if request.method == "POST" and request.form.get("action") == "delete":
        try:
            services.delete_local_target(_actor(), target)
        except ServiceError as error:
            flash(error.message, "danger")
            return redirect(url_for("portfolio.admin_local_target", target_id=target_id))
        flash(_("Delmålet er slettet."), "success")
        return redirect(url_for("portfolio.admin_local_targets"))
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.save_local_target(_actor(), target, _target_values(form))
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Delmålet er lagret."), "success")
            return redirect(url_for("portfolio.admin_local_targets"))
    return render_template("portfolio/admin_local_target.html", target=target, form=form)


register_staff_link("answer_ideas", "portfolio.inbox", _l("Svarinnboks"), queries.unanswered_count)
register_staff_link("assess_projects", "portfolio.board", _l("Prioritering"))
register_staff_link("manage_portfolio", "portfolio.project_new", _l("Nytt prosjekt"))
register_staff_link("administer", "portfolio.admin_criteria", _l("Kriterier"))
register_staff_link("administer", "portfolio.admin_local_targets", _l("Lokale delmål"))
register_staff_link("manage_structure", "portfolio.admin_structure", _l("Struktur"))
