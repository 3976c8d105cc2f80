"""API v1: ideas, votes, endorsements, the similar-idea lookup and reference data."""

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from app.api import bp
from app.api import schemas as s
from app.api.common import acting_user, api_page_args, body, query, sent
from app.api.openapi import operation
from app.core.errors import NotFound
from app.core.models import MunicipalArea, ServiceArea
from app.core.pagecache import public_page
from app.core.ratelimit import limit
from app.core.urls import external_url
from app.extensions import db
from app.ideas import queries, services
from app.ideas.limits import publish_limit
from app.ideas.models import Idea, IdeaImage
from app.ideas.permissions import can_view_idea_content
from app.ideas.serialise import IDEA_JSON_EXTENSIONS, IDEA_JSON_PRELOADS, idea_json, ideas_json

IDEAS = ("Ideas",)


def _add_images(idea: Idea, data: dict) -> None:
    """Ideas in the API carry their pictures (loaded with the idea), as the idea page shows them."""
    data["images"] = [
        {"url": external_url("ideas.image", filename=image.filename), "alt_text": image.alt_text,
         "decorative": image.decorative, "width": image.width, "height": image.height}
        for image in idea.images
    ]


def _preload_images(ideas: list[Idea]) -> None:
    """The pictures of a whole list in one query, not one per idea."""
    pending = [idea for idea in ideas if "images" in inspect(idea).unloaded]
    if not pending:
        return
    found: dict[int, list[IdeaImage]] = {idea.id: [] for idea in pending}
    for image in db.session.scalars(select(IdeaImage).where(IdeaImage.idea_id.in_(found))
                                    .order_by(IdeaImage.idea_id, IdeaImage.position, IdeaImage.id)):
        found[image.idea_id].append(image)
    for idea in pending:
        set_committed_value(idea, "images", found[idea.id])


if _add_images not in IDEA_JSON_EXTENSIONS:
    IDEA_JSON_EXTENSIONS.append(_add_images)
if _preload_images not in IDEA_JSON_PRELOADS:
    IDEA_JSON_PRELOADS.append(_preload_images)


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
@public_page
@operation(tags=IDEAS, query=s.IdeaListQuery, ok={200: s.IdeaPage})
def ideas_list():
    """Ideas visible to the caller, filtered and paginated, with their status history."""
    query()  # checked: an unknown status or sort is a 422 naming it
    filters = queries.IdeaFilters.from_args(request.args)
    page_number, per_page = api_page_args()
    page = queries.list_ideas(filters, _viewer(), page_number, per_page, with_status_history=True)
    return jsonify(
        {"items": ideas_json(page.items), "page": page.page, "per_page": page.per_page, "total": page.total}
    )


@bp.get("/ideas/<int:idea_id>")
@public_page
@operation(tags=IDEAS, ok={200: s.IdeaOut})
def idea_get(idea_id: int):
    """One idea, with its pictures, status history and linked projects."""
    return jsonify(idea_json(_visible_idea(idea_id)))


@bp.get("/ideas/similar")
@operation(tags=IDEAS, query=s.SimilarQuery, ok={200: s.IdeaList})
def ideas_similar():
    """Up to five published ideas like the given text (the form's look-up while typing)."""
    args = query()
    text = (args.text or "")[:2000]
    exclude = args.exclude
    ideas = queries.similar_ideas(text, limit=5, exclude_id=exclude, full=True)
    return jsonify({"items": ideas_json(ideas)})


@bp.get("/service-areas")
@operation(tags=("Reference data",), ok={200: s.ServiceAreaList})
def service_areas():
    """The service areas ideas and projects belong to, with their municipal areas."""
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
@operation(tags=("Reference data",), ok={200: s.SdgList})
def sdgs():
    """The 17 UN Sustainable Development Goals."""
    return jsonify({"items": [
        {"id": goal.number, "number": goal.number, "name": goal.name, "colour": goal.colour}
        for goal in queries.all_sdgs()
    ]})


# --- writing -------------------------------------------------------------------------------------


@bp.post("/ideas")
@publish_limit
@operation(tags=IDEAS, json=s.IdeaCreate, ok={201: s.IdeaOut}, auth=True)
def idea_create():
    """Propose an idea; 201 with the idea and its Location."""
    user = acting_user()
    data = body()
    idea = services.submit_idea(user, services.IdeaInput(
        title=data.title or "",
        body=data.body or "",
        service_area_id=data.service_area_id,
        sdgs=data.sdgs or [],
        place=data.place,
        organisation_id=data.organisation_id,
    ))
    response = jsonify(idea_json(queries.load_idea(idea.id)))
    response.status_code = 201
    response.headers["Location"] = url_for("api.idea_get", idea_id=idea.id)
    return response


@bp.patch("/ideas/<int:idea_id>")
@operation(tags=IDEAS, json=s.IdeaPatch, ok={200: s.IdeaOut}, auth=True, errors=(409,))
def idea_update(idea_id: int):
    """The author changes the idea until it is first answered; what is not sent stays."""
    user = acting_user()
    idea = _visible_idea(idea_id)
    data = body()
    # What is not sent stays as it is, pictures included.
    change = services.IdeaInput(
        title=sent(data, "title", idea.title) or "",
        body=sent(data, "body", idea.body) or "",
        service_area_id=sent(data, "service_area_id", idea.service_area_id),
        sdgs=sent(data, "sdgs", [goal.number for goal in idea.sdgs]) or [],
        place=sent(data, "place", idea.place),
        images=[
            services.ImageInput(existing_id=img.id, alt_text=img.alt_text, decorative=img.decorative, slot=n)
            for n, img in enumerate(idea.images, start=1)
        ],
    )
    services.update_idea(user, idea, change)
    return jsonify(idea_json(queries.load_idea(idea_id)))


@bp.post("/ideas/<int:idea_id>/vote")
@limit("RATELIMIT_VOTES")
@operation(tags=IDEAS, ok={200: s.VoteState}, auth=True, errors=(409,))
def idea_vote(idea_id: int):
    """Support the idea (one vote per person; voting twice changes nothing)."""
    user = acting_user()
    _visible_idea(idea_id, full=False)
    state = services.vote_for_idea(user, idea_id)
    return jsonify({"voted": state.voted, "vote_count": state.vote_count})


@bp.delete("/ideas/<int:idea_id>/vote")
@limit("RATELIMIT_VOTES")
@operation(tags=IDEAS, ok={200: s.VoteState}, auth=True, errors=(409,))
def idea_unvote(idea_id: int):
    """Take the vote back (also when there was none)."""
    user = acting_user()
    _visible_idea(idea_id, full=False)
    state = services.withdraw_vote(user, idea_id)
    return jsonify({"voted": state.voted, "vote_count": state.vote_count})


def _organisation_id() -> int | None:
    data = body()
    if "organisation_id" not in data.model_fields_set and query().organisation_id is not None:
        return query().organisation_id
    return data.organisation_id


@bp.post("/ideas/<int:idea_id>/endorsements")
@limit("RATELIMIT_ENDORSEMENTS")
@operation(tags=IDEAS, json=s.OrganisationChoice, query=s.OrganisationQuery, ok={200: s.EndorsementState},
           auth=True, errors=(409,))
def idea_endorse(idea_id: int):
    """An organisation the caller belongs to endorses the idea."""
    user = acting_user()
    _visible_idea(idea_id, full=False)
    state = services.endorse_idea(user, idea_id, _organisation_id())
    return jsonify({"endorsed": state.endorsed, "endorsement_count": state.endorsement_count})


@bp.delete("/ideas/<int:idea_id>/endorsements")
@limit("RATELIMIT_ENDORSEMENTS")
@operation(tags=IDEAS, json=s.OrganisationChoice, query=s.OrganisationQuery, ok={200: s.EndorsementState},
           auth=True, errors=(409,))
def idea_unendorse(idea_id: int):
    """Withdraw the organisation's endorsement."""
    user = acting_user()
    _visible_idea(idea_id, full=False)
    state = services.withdraw_endorsement(user, idea_id, _organisation_id())
    return jsonify({"endorsed": state.endorsed, "endorsement_count": state.endorsement_count})


@bp.get("/ideas/<int:idea_id>/endorsements")
@operation(tags=IDEAS, ok={200: s.EndorsementList})
def idea_endorsements(idea_id: int):
    """The organisations that endorse the idea."""
    idea = _visible_idea(idea_id)
    return jsonify({"items": [
        {"organisation": {"id": e.organisation.id, "name": e.organisation.name},
         "created_at": e.created_at.isoformat()}
        for e in queries.endorsements_of(idea)
    ]})

