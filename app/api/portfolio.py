"""API v1: answering ideas, projects and their links, updates, assessments, decisions, the
board and the SDG numbers, over the same services as the pages."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.api import bp
from app.api.common import acting_user, api_page_args, id_field, int_field, json_body, text_field
from app.core.errors import InvalidInput, NotAllowed
from app.core.i18n import localised_all
from app.core.input import to_kroner
from app.core.pagination import paginate
from app.core.urls import external_url
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.portfolio import answers, queries, services
from app.portfolio.models import Project, ProjectIdea
from app.portfolio.permissions import can_view_board, can_view_internal_projects


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


def _idea_ids(project_ids: list[int]) -> dict[int, list[int]]:
    """The linked ideas' ids per project: visible ideas, or all of them for staff."""
    out: dict[int, list[int]] = {project_id: [] for project_id in project_ids}
    if not project_ids:
        return out
    stmt = (select(ProjectIdea.project_id, ProjectIdea.idea_id)
            .join(Idea, Idea.id == ProjectIdea.idea_id)
            .where(ProjectIdea.project_id.in_(project_ids))
            .order_by(ProjectIdea.project_id, ProjectIdea.idea_id))
    if not can_view_internal_projects(_viewer()):
        stmt = stmt.where(Idea.visibility == Visibility.VISIBLE)
    for project_id, idea_id in db.session.execute(stmt):
        out[project_id].append(idea_id)
    return out


def projects_json(projects: list[Project]) -> list[dict]:
    """Projects as JSON: a fixed number of queries for the whole list."""
    ids = [p.id for p in projects]
    ideas = _idea_ids(ids)
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
            "citizen_support": cards[p.id].supporters,
            "score": None if cards[p.id].score is None else round(cards[p.id].score, 3),
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


def _text(data: dict, name: str) -> str:
    return text_field(data, name, error=InvalidInput) or ""


def _whole_number(data: dict, name: str, required: bool = True) -> int | None:
    return int_field(data, name, required=required, error=InvalidInput)


def _id(data: dict, name: str) -> int:
    return id_field(data, name, required=True, error=InvalidInput)


# --- answering ideas --------------------------------------------------------------------


@bp.post("/ideas/<int:idea_id>/status")
def idea_status(idea_id: int):
    actor = acting_user()
    data = json_body()
    idea = answers.get_idea(idea_id)
    change = answers.change_idea_status(actor, idea, _text(data, "status"), _text(data, "explanation"))
    return jsonify({"id": idea.id, "status": idea.status.value,
                    "first_answered_at": _iso(idea.first_answered_at),
                    "status_change": _status_change_json(change)})


@bp.post("/ideas/<int:idea_id>/merge")
def idea_merge(idea_id: int):
    actor = acting_user()
    data = json_body()
    idea = answers.get_idea(idea_id)
    into = answers.get_idea(_id(data, "into_id"))
    change = answers.merge_ideas(actor, idea, into, _text(data, "explanation"))
    return jsonify({"id": idea.id, "status": idea.status.value, "merged_into": into.id,
                    "merged_into_vote_count": into.vote_count,
                    "status_change": _status_change_json(change)})


# --- projects ---------------------------------------------------------------------------


@bp.get("/projects")
def projects_list():
    filters = queries.ProjectFilters.from_args(request.args)
    number, per_page = api_page_args()
    page = paginate(queries.projects_query(_viewer(), filters), number, per_page)
    return jsonify({"items": projects_json(page.items), "page": page.page,
                    "per_page": page.per_page, "total": page.total})


@bp.get("/projects/<int:project_id>")
def project_get(project_id: int):
    project = services.get_project(_viewer(), project_id)
    data = project_json(project)
    data["updates"] = [{"id": u.id, "text": u.text, "progress": u.progress, "created_at": _iso(u.created_at)}
                       for u in project.updates]
    data["decisions"] = [{"id": d.id, "meeting_date": _iso(d.meeting_date), "decision": d.outcome.value,
                          "rationale": d.rationale} for d in project.decisions]
    data["phase_changes"] = [{"from": c.from_phase.value, "to": c.to_phase.value, "explanation": c.explanation,
                              "created_at": _iso(c.created_at)} for c in queries.phase_history(project.id)]
    return jsonify(data)


def _project_values(data: dict) -> dict:
    unknown = sorted(set(data) - services.PROJECT_FIELDS)
    if unknown:
        message = _("Ukjente felt: %(names)s.", names=", ".join(unknown))
        raise InvalidInput(message, fields={name: [_("Ukjent felt.")] for name in unknown})
    return data


@bp.post("/projects")
def project_create():
    actor = acting_user()
    project = services.create_project(actor, _project_values(json_body()))
    return jsonify(project_json(project)), 201


@bp.patch("/projects/<int:project_id>")
def project_patch(project_id: int):
    actor = acting_user()
    project = services.get_project(actor, project_id)
    project = services.update_project(actor, project, _project_values(json_body()))
    return jsonify(project_json(project))


@bp.post("/projects/<int:project_id>/ideas")
def project_link_idea(project_id: int):
    actor = acting_user()
    data = json_body()
    project = services.get_project(actor, project_id)
    idea = answers.get_idea(_id(data, "idea_id"))
    link = services.link_idea(actor, project, idea, _text(data, "note"))
    return jsonify({"project_id": project.id, "idea_id": idea.id, "note": link.note,
                    "idea_status": idea.status.value, "created_at": _iso(link.created_at)}), 201


@bp.delete("/projects/<int:project_id>/ideas/<int:idea_id>")
def project_unlink_idea(project_id: int, idea_id: int):
    actor = acting_user()
    project = services.get_project(actor, project_id)
    services.unlink_idea(actor, project, answers.get_idea(idea_id))
    return "", 204


@bp.post("/projects/<int:project_id>/updates")
def project_update(project_id: int):
    actor = acting_user()
    data = json_body()
    project = services.get_project(actor, project_id)
    update = services.post_project_update(
        actor, project, _text(data, "text"), _whole_number(data, "progress", required=False)
    )
    return jsonify({"id": update.id, "project_id": project.id, "text": update.text,
                    "progress": update.progress, "project_progress": project.progress,
                    "created_at": _iso(update.created_at)}), 201


@bp.post("/projects/<int:project_id>/assessments")
def project_assess(project_id: int):
    """Body: {"scores": {criterion_key: 1..5}, "comment": "..."} or the scores at the top level."""
    actor = acting_user()
    data = json_body()
    project = services.get_project(actor, project_id)
    comment = _text(data, "comment")
    comments = data.get("comments") if isinstance(data.get("comments"), dict) else None
    scores = data.get("scores")
    if scores is None:
        scores = {k: v for k, v in data.items() if k not in ("comment", "comments")}
    if not isinstance(scores, dict):
        message = _("Poengsummene må være et objekt med kriterium og poengsum.")
        raise InvalidInput(message, fields={"scores": [message]})
    for key, value in scores.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            message = _("Gi en poengsum fra 1 til 5.")
            raise InvalidInput(message, fields={key: [message]})
    rows = services.assess_project(actor, project, scores, comments, comment)
    card = queries.score_projects([project.id])[project.id]
    return jsonify({
        "project_id": project.id,
        "mine": {row.criterion.key: {"score": row.score, "comment": row.comment} for row in rows},
        "averages": {key: round(value, 3) for key, value in card.averages.items()},
        "score": None if card.score is None else round(card.score, 3),
    })


@bp.post("/projects/<int:project_id>/decisions")
def project_decide(project_id: int):
    actor = acting_user()
    data = json_body()
    project = services.get_project(actor, project_id)
    decision = services.record_decision(actor, project, _text(data, "meeting_date"),
                                        _text(data, "decision"), _text(data, "rationale"))
    return jsonify({"id": decision.id, "project_id": project.id,
                    "meeting_date": _iso(decision.meeting_date), "decision": decision.outcome.value,
                    "rationale": decision.rationale}), 201


# --- the board and the SDG numbers ------------------------------------------------------


@bp.get("/portfolio/board")
def portfolio_board():
    actor = acting_user()
    if not can_view_board(actor):
        raise NotAllowed(_("Prioriteringstavlen er for kommunens ansatte."))
    budget = to_kroner(request.args.get("budget"), "budget")
    board = queries.board(queries.ProjectFilters.from_args(request.args), budget)
    projects = {item["id"]: item for item in projects_json([row.project for row in board.rows])}
    return jsonify({
        "criteria": [{"key": c.key, "name": c.name, "names": localised_all(c, "name"), "weight": c.weight}
                     for c in board.criteria],
        "budget": board.budget,
        "total_cost": board.total_cost,
        "cost_within_budget": board.cost_within_budget,
        "items": [{
            "rank": row.rank,
            "project": projects[row.project.id],
            "averages": {key: round(value, 3) for key, value in row.card.averages.items()},
            "complete": row.card.complete,
            "cumulative_cost": row.cumulative_cost,
            "fits_budget": row.fits,
            "latest_decision": None if row.latest_decision is None else {
                "meeting_date": _iso(row.latest_decision.meeting_date),
                "decision": row.latest_decision.outcome.value,
                "rationale": row.latest_decision.rationale,
            },
        } for row in board.rows],
    })


@bp.get("/sdgs/overview")
def sdgs_overview():
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
