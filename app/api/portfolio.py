"""API v1: answering ideas, projects and their links, updates, assessments, decisions, the
board and the SDG numbers, over the same services as the pages."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.api import bp
from app.api import schemas as s
from app.api.common import acting_user, api_page_args, body, query
from app.api.openapi import operation
from app.api.plan import board_plan_json, board_row_plan_json
from app.core.errors import NotAllowed, NotFound
from app.core.i18n import localised_all
from app.core.input import to_kroner
from app.core.pagecache import public_page
from app.core.pagination import paginate
from app.core.urls import external_url
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.portfolio import answers, groups, queries, services
from app.portfolio.models import Project, ProjectIdea
from app.portfolio.permissions import can_view_board, can_view_project, can_view_project_internals
from app.portfolio.priorities import PriorityFilters


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _iso(value):
    return value.isoformat() if value is not None else None


def _area_json(service_area) -> dict:
    # `name` in the request's language; `names` as staff gave them (None: not given).
    return {"id": service_area.id, "name": service_area.name, "names": service_area.names,
            "municipal_area": {"id": service_area.municipal_area.id,
                               "name": service_area.municipal_area.name,
                               "names": service_area.municipal_area.names}}


def _idea_ids(projects: list[Project]) -> dict[int, list[int]]:
    """The linked ideas' ids per project: visible ideas, or all of them for the project's staff."""
    out: dict[int, list[int]] = {project.id: [] for project in projects}
    if not projects:
        return out
    viewer = _viewer()
    staff_of = {project.id for project in projects if can_view_project_internals(viewer, project)}
    stmt = (select(ProjectIdea.project_id, ProjectIdea.idea_id, Idea.visibility)
            .join(Idea, Idea.id == ProjectIdea.idea_id)
            .where(ProjectIdea.project_id.in_(list(out)))
            .order_by(ProjectIdea.project_id, ProjectIdea.idea_id))
    if not staff_of:
        stmt = stmt.where(Idea.visibility == Visibility.VISIBLE)
    for project_id, idea_id, visibility in db.session.execute(stmt):
        if visibility == Visibility.VISIBLE or project_id in staff_of:
            out[project_id].append(idea_id)
    return out


def projects_json(projects: list[Project]) -> list[dict]:
    """Projects as JSON: a fixed number of queries for the whole list."""
    ids = [p.id for p in projects]
    ideas = _idea_ids(projects)
    cards = queries.score_projects(ids)
    return [
        {
            "id": p.id,
            "title": p.title,
            "description": p.description,
            "kind": p.kind.value,
            "phase": p.phase.value,
            "public": p.public,
            "owner_service_area": _area_json(p.owner_service_area),
            "service_areas": [_area_json(sa) for sa in p.service_areas],
            "sdgs": [goal.number for goal in p.sdgs],
            "local_targets": [{"id": t.id, "code": t.code, "sdg": t.sdg_number, "text": t.text}
                              for t in p.local_targets],
            "estimated_cost": p.estimated_cost,
            "progress": p.progress,
            "planned_start": _iso(p.planned_start),
            "planned_end": _iso(p.planned_end),
            "ideas": ideas[p.id],
            # The board's score is the staff's prioritisation: only the board shows it.
            "citizen_support": cards[p.id].supporters,
            "url": external_url("portfolio.project", project_id=p.id),
        }
        for p in projects
    ]


def project_json(project: Project) -> dict:
    return projects_json([project])[0]


def _status_change_json(change) -> dict:
    return {"from": change.from_status.value if change.from_status else None,
            "to": change.to_status.value, "explanation": change.explanation,
            "created_at": _iso(change.created_at)}


ANSWERS = ("Answers",)
PROJECTS = ("Projects",)


# --- answering ideas --------------------------------------------------------------------


@bp.post("/ideas/<int:idea_id>/status")
@operation(tags=ANSWERS, json=s.StatusChangeIn, ok={200: s.StatusAnswerOut}, auth=True, errors=(409,))
def idea_status(idea_id: int):
    """A portfolio manager moves the idea to a new status, with the public answer."""
    actor = acting_user()
    data = body()
    idea = answers.get_idea(idea_id)
    change = answers.change_idea_status(actor, idea, data.status or "", data.explanation or "")
    return jsonify({"id": idea.id, "status": idea.status.value,
                    "first_answered_at": _iso(idea.first_answered_at),
                    "status_change": _status_change_json(change)})


@bp.post("/ideas/<int:idea_id>/merge")
@operation(tags=ANSWERS, json=s.MergeIn, ok={200: s.MergeOut}, auth=True, errors=(409,))
def idea_merge(idea_id: int):
    """Merge the idea into another; the other counts the union of both ideas' voters."""
    actor = acting_user()
    data = body()
    idea = answers.get_idea(idea_id)
    into = answers.get_idea(data.into_id)
    change = answers.merge_ideas(actor, idea, into, data.explanation or "")
    return jsonify({"id": idea.id, "status": idea.status.value, "merged_into": into.id,
                    "merged_into_vote_count": into.vote_count,
                    "status_change": _status_change_json(change)})


# --- projects ---------------------------------------------------------------------------


@bp.get("/projects")
@public_page
@operation(tags=PROJECTS, query=s.ProjectListQuery, ok={200: s.ProjectPage})
def projects_list():
    """The portfolio's projects the caller may see (public ones for everyone), filtered."""
    filters = queries.ProjectFilters.from_args(request.args)
    number, per_page = api_page_args()
    page = paginate(queries.projects_query(_viewer(), filters), number, per_page)
    queries.fill_listing(page.items)
    return jsonify({"items": projects_json(page.items), "page": page.page,
                    "per_page": page.per_page, "total": page.total})


@bp.get("/projects/<int:project_id>")
@public_page
@operation(tags=PROJECTS, ok={200: s.ProjectDetail})
def project_get(project_id: int):
    """One project with its updates, the forum's decisions and its phase changes."""
    # Read only: the project with its areas and goals from the cached reference data.
    project = queries.shown_project(project_id)
    if project is None or not can_view_project(_viewer(), project):
        raise NotFound(_("Fant ikke prosjektet."))
    data = project_json(project)
    data["updates"] = [{"id": u.id, "text": u.text, "progress": u.progress, "created_at": _iso(u.created_at)}
                       for u in project.updates]
    data["decisions"] = [_decision_json(d, _viewer()) for d in project.decisions]
    data["phase_changes"] = [{"from": c.from_phase.value, "to": c.to_phase.value, "explanation": c.explanation,
                              "created_at": _iso(c.created_at)} for c in queries.phase_history(project.id)]
    return jsonify(data)


def _project_values() -> dict:
    """What was sent, as the service reads it (unknown fields are refused by the model)."""
    return body().model_dump(exclude_unset=True)


@bp.post("/projects")
@operation(tags=PROJECTS, json=s.ProjectIn, ok={201: s.ProjectOut}, auth=True)
def project_create():
    """A portfolio manager adds a project."""
    actor = acting_user()
    project = services.create_project(actor, _project_values())
    return jsonify(project_json(project)), 201


@bp.patch("/projects/<int:project_id>")
@operation(tags=PROJECTS, json=s.ProjectIn, ok={200: s.ProjectOut}, auth=True, errors=(409,))
def project_patch(project_id: int):
    """Change what is sent; a phase change moves the linked ideas' status."""
    actor = acting_user()
    project = services.get_project(actor, project_id)
    project = services.update_project(actor, project, _project_values())
    return jsonify(project_json(project))


@bp.post("/projects/<int:project_id>/ideas")
@operation(tags=PROJECTS, json=s.LinkIn, ok={201: s.LinkOut}, auth=True, errors=(409,))
def project_link_idea(project_id: int):
    """Link an idea to the project, with a public note on why."""
    actor = acting_user()
    data = body()
    project = services.get_project(actor, project_id)
    idea = answers.get_idea(data.idea_id)
    link = services.link_idea(actor, project, idea, data.note or "")
    return jsonify({"project_id": project.id, "idea_id": idea.id, "note": link.note,
                    "idea_status": idea.status.value, "created_at": _iso(link.created_at)}), 201


@bp.delete("/projects/<int:project_id>/ideas/<int:idea_id>")
@operation(tags=PROJECTS, ok={204: None}, auth=True, errors=(409,))
def project_unlink_idea(project_id: int, idea_id: int):
    """Remove the link; the idea gets back its earlier answer."""
    actor = acting_user()
    project = services.get_project(actor, project_id)
    services.unlink_idea(actor, project, answers.get_idea(idea_id))
    return "", 204


@bp.post("/projects/<int:project_id>/updates")
@operation(tags=PROJECTS, json=s.UpdateIn, ok={201: s.ProjectUpdateCreated}, auth=True, errors=(409,))
def project_update(project_id: int):
    """A dated progress note, which the people behind the linked ideas see."""
    actor = acting_user()
    data = body()
    project = services.get_project(actor, project_id)
    update = services.post_project_update(actor, project, data.text or "", data.progress)
    return jsonify({"id": update.id, "project_id": project.id, "text": update.text,
                    "progress": update.progress, "project_progress": project.progress,
                    "created_at": _iso(update.created_at)}), 201


@bp.post("/projects/<int:project_id>/assessments")
@operation(tags=PROJECTS, json=s.AssessmentIn, ok={200: s.AssessmentOut}, auth=True)
def project_assess(project_id: int):
    """Body: {"scores": {criterion_key: 1..5}, "comment": "..."} or the scores at the top level."""
    actor = acting_user()
    data = body()
    project = services.get_project(actor, project_id)
    scores = data.scores if data.scores is not None else dict(data.model_extra or {})
    rows = services.assess_project(actor, project, scores, data.comments, data.comment or "")
    card = queries.score_projects([project.id])[project.id]
    return jsonify({
        "project_id": project.id,
        "mine": {row.criterion.key: {"score": row.score, "comment": row.comment} for row in rows},
        "averages": {key: round(value, 3) for key, value in card.averages.items()},
        "score": None if card.score is None else round(card.score, 3),
    })


@bp.post("/projects/<int:project_id>/decisions")
@operation(tags=PROJECTS, json=s.DecisionIn, ok={201: s.DecisionCreated}, auth=True)
def project_decide(project_id: int):
    """Record the forum's decision on the project at a meeting."""
    actor = acting_user()
    data = body()
    project = services.get_project(actor, project_id)
    decision = services.record_decision(actor, project, data.meeting_date or "",
                                        data.decision or "", data.rationale or "",
                                        deferred_to=data.deferred_to, merged_into_id=data.merged_into_id)
    return jsonify({"project_id": project.id, **_decision_json(decision, actor)}), 201


def _decision_json(decision, viewer) -> dict:
    """A decision: deferred ones say to when, merged ones with which project (its id only for
    those who may see it: an internal project is not admitted to exist)."""
    merged = decision.merged_into
    return {"id": decision.id, "meeting_date": _iso(decision.meeting_date), "decision": decision.outcome.value,
            "rationale": decision.rationale, "deferred_to": _iso(decision.deferred_to),
            "merged_into_id": merged.id if merged is not None and can_view_project(viewer, merged) else None}


# --- the board and the SDG numbers ------------------------------------------------------


@bp.get("/portfolio/board")
@operation(tags=PROJECTS, query=s.BoardQuery, ok={200: s.BoardOut}, auth=True)
def portfolio_board():
    """The staff's prioritisation board: projects ranked by their weighted score."""
    actor = acting_user()
    if not can_view_board(actor):
        raise NotAllowed(_("Prioriteringstavlen er for kommunens ansatte."))
    budget = to_kroner(query().budget, "budget")
    board = queries.board(queries.ProjectFilters.from_args(request.args).within_scope_of(actor), budget,
                          priorities=PriorityFilters.from_args(request.args))
    projects = {item["id"]: item for item in projects_json([row.project for row in board.rows])}
    group_rows = groups.group_scores([row.project for row in board.rows],
                                     {row.project.id: row.card for row in board.rows},
                                     board.criteria, queries.shown_groups())
    return jsonify({
        "criteria": [{"key": c.key, "name": c.name, "names": localised_all(c, "name"), "weight": c.weight}
                     for c in board.criteria],
        "budget": board.budget,
        "total_cost": board.total_cost,
        "cost_within_budget": board.cost_within_budget,
        "items": [{
            "rank": row.rank,
            "project": projects[row.project.id],
            "score": None if row.card.score is None else round(row.card.score, 3),
            "averages": {key: round(value, 3) for key, value in row.card.averages.items()},
            "complete": row.card.complete,
            "cumulative_cost": row.cumulative_cost,
            "fits_budget": row.fits,
            "latest_decision": None if row.latest_decision is None else {
                "meeting_date": _iso(row.latest_decision.meeting_date),
                "decision": row.latest_decision.outcome.value,
                "rationale": row.latest_decision.rationale,
            },
            **_groups_json(group_rows[row.project.id]),
            **board_row_plan_json(row),
        } for row in board.rows],
        "plan": board_plan_json(board),
    })


def _groups_json(state) -> dict:
    return {
        "groups": [{
            "id": item.group.id, "name": item.group.name, "cross_cutting": item.group.cross_cutting,
            "score": round(item.card.score, 3) if item.started and item.card.score is not None else None,
            "assessed": item.assessed,
        } for item in state.scores],
        "ready_for_decision": state.ready if state.groups_exist else None,
    }


@bp.get("/sdgs/overview")
@public_page
@operation(tags=("Reference data",), ok={200: s.SdgOverviewOut})
def sdgs_overview():
    """Ideas, votes, projects and cost per SDG, and per SDG and municipal area."""
    overview = queries.sdg_overview(_viewer())
    return jsonify({
        "goals": [{
            "number": row.goal.number, "name": row.goal.name, "ideas": row.ideas, "votes": row.votes,
            "projects": row.projects, "estimated_cost": row.cost,
            "url": external_url("portfolio.sdg", number=row.goal.number),
        } for row in overview.goals],
        "municipal_areas": [{"id": area.id, "name": area.name, "names": area.names}
                            for area in overview.areas],
        "matrix": [
            {"sdg": number, "municipal_area_id": area_id, "ideas": ideas, "projects": projects}
            for (number, area_id), (ideas, projects) in sorted(overview.matrix.items())
        ],
    })
