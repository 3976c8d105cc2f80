"""API v1: ideas, votes, endorsements, the similar-idea lookup and reference data."""

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.api import bp
from app.api.common import (
    acting_user,
    api_page_args,
    id_field,
    int_list_field,
    json_body,
    text_field,
)
from app.core.errors import InvalidInput, NotFound
from app.core.input import to_int
from app.core.models import MunicipalArea, ServiceArea
from app.core.ratelimit import limit
from app.extensions import db
from app.ideas import queries, services
from app.ideas.limits import publish_limit
from app.ideas.models import Idea, IdeaStatus
from app.ideas.permissions import can_view_idea_content
from app.ideas.serialise import idea_json, ideas_json


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _visible_idea(idea_id: int, *, full: bool = True):
    """The idea, or 404 for one that does not exist or is hidden from this caller."""
    idea = queries.load_idea(idea_id) if full else db.session.get(Idea, idea_id)
    if idea is None or not can_view_idea_content(_viewer(), idea):
        raise NotFound(_("Fant ikke idéen."))
    return idea


# --- reading -----------------------------------------------------------------------------------


@bp.get("/ideas")
def ideas_list():
    args = request.args
    if args.get("status") and args["status"] not in {s.value for s in IdeaStatus}:
        message = _("Ukjent status. Gyldige verdier: %(values)s.", values=", ".join(s.value for s in IdeaStatus))
        raise InvalidInput(message, fields={"status": [message]})
    if args.get("sort") and args["sort"] not in (*queries.SORTS, "relevance"):
        message = _("Ukjent sortering. Gyldige verdier: %(values)s.", values=", ".join(queries.SORTS))
        raise InvalidInput(message, fields={"sort": [message]})
    filters = queries.IdeaFilters.from_args(args)
    page_number, per_page = api_page_args()
    page = queries.list_ideas(filters, _viewer(), page_number, per_page, with_status_history=True)
    return jsonify(
        {"items": ideas_json(page.items), "page": page.page, "per_page": page.per_page, "total": page.total}
    )


@bp.get("/ideas/<int:idea_id>")
def idea_get(idea_id: int):
    return jsonify(idea_json(_visible_idea(idea_id)))


@bp.get("/ideas/similar")
def ideas_similar():
    text = (request.args.get("text") or "")[:2000]
    exclude = to_int(request.args.get("exclude"))
    ideas = queries.similar_ideas(text, limit=5, exclude_id=exclude, full=True)
    return jsonify({"items": ideas_json(ideas)})


@bp.get("/service-areas")
def service_areas():
    rows = db.session.execute(
        select(ServiceArea, MunicipalArea)
        .join(MunicipalArea)
        .where(ServiceArea.retired_at.is_(None), MunicipalArea.retired_at.is_(None))
        .order_by(MunicipalArea.position, MunicipalArea.name, ServiceArea.position, ServiceArea.name)
    ).all()
    return jsonify({"items": [
        {"id": sa.id, "name": sa.name, "names": sa.names,
         "municipal_area": {"id": area.id, "name": area.name, "names": area.names}}
        for sa, area in rows
    ]})


@bp.get("/sdgs")
def sdgs():
    return jsonify({"items": [
        {"id": goal.number, "number": goal.number, "name": goal.name, "colour": goal.colour}
        for goal in queries.all_sdgs()
    ]})


# --- writing -------------------------------------------------------------------------------------


def _text(data: dict, name: str, default: str | None = None) -> str | None:
    return text_field(data, name, default)


def _optional_id(data: dict, name: str, default: int | None = None) -> int | None:
    return id_field(data, name, default)


def _sdg_list(data: dict, default: list[int]) -> list[int]:
    return int_list_field(data, "sdgs", default, minimum=1, maximum=17)


@bp.post("/ideas")
@publish_limit
def idea_create():
    user = acting_user()
    data = json_body()
    idea = services.submit_idea(user, services.IdeaInput(
        title=_text(data, "title", "") or "",
        body=_text(data, "body", "") or "",
        service_area_id=_optional_id(data, "service_area_id"),
        sdgs=_sdg_list(data, []),
        place=_text(data, "place"),
        organisation_id=_optional_id(data, "organisation_id"),
    ))
    response = jsonify(idea_json(queries.load_idea(idea.id)))
    response.status_code = 201
    response.headers["Location"] = url_for("api.idea_get", idea_id=idea.id)
    return response


@bp.patch("/ideas/<int:idea_id>")
def idea_update(idea_id: int):
    user = acting_user()
    idea = _visible_idea(idea_id)
    data = json_body()
    # What is not sent stays as it is, pictures included.
    change = services.IdeaInput(
        title=_text(data, "title", idea.title) or "",
        body=_text(data, "body", idea.body) or "",
        service_area_id=_optional_id(data, "service_area_id", idea.service_area_id),
        sdgs=_sdg_list(data, [goal.number for goal in idea.sdgs]),
        place=_text(data, "place", idea.place),
        images=[
            services.ImageInput(existing_id=img.id, alt_text=img.alt_text, decorative=img.decorative, slot=n)
            for n, img in enumerate(idea.images, start=1)
        ],
    )
    services.update_idea(user, idea, change)
    return jsonify(idea_json(queries.load_idea(idea_id)))


@bp.post("/ideas/<int:idea_id>/vote")
@limit("RATELIMIT_VOTES")
def idea_vote(idea_id: int):
    user = acting_user()
    _visible_idea(idea_id, full=False)
    state = services.vote_for_idea(user, idea_id)
    return jsonify({"voted": state.voted, "vote_count": state.vote_count})


@bp.delete("/ideas/<int:idea_id>/vote")
@limit("RATELIMIT_VOTES")
def idea_unvote(idea_id: int):
    user = acting_user()
    _visible_idea(idea_id, full=False)
    state = services.withdraw_vote(user, idea_id)
    return jsonify({"voted": state.voted, "vote_count": state.vote_count})


def _organisation_id() -> int | None:
    data = json_body()
    if "organisation_id" not in data and request.args.get("organisation_id"):
        data = {"organisation_id": to_int(request.args.get("organisation_id"))}
    return _optional_id(data, "organisation_id")


@bp.post("/ideas/<int:idea_id>/endorsements")
@limit("RATELIMIT_ENDORSEMENTS")
def idea_endorse(idea_id: int):
    user = acting_user()
    _visible_idea(idea_id, full=False)
    state = services.endorse_idea(user, idea_id, _organisation_id())
    return jsonify({"endorsed": state.endorsed, "endorsement_count": state.endorsement_count})


@bp.delete("/ideas/<int:idea_id>/endorsements")
@limit("RATELIMIT_ENDORSEMENTS")
def idea_unendorse(idea_id: int):
    user = acting_user()
    _visible_idea(idea_id, full=False)
    state = services.withdraw_endorsement(user, idea_id, _organisation_id())
    return jsonify({"endorsed": state.endorsed, "endorsement_count": state.endorsement_count})


@bp.get("/ideas/<int:idea_id>/endorsements")
def idea_endorsements(idea_id: int):
    idea = _visible_idea(idea_id)
    return jsonify({"items": [
        {"organisation": {"id": e.organisation.id, "name": e.organisation.name},
         "created_at": e.created_at.isoformat()}
        for e in queries.endorsements_of(idea)
    ]})

