"""API v1: innbyggerforslag (citizen initiatives): the public list and one initiative, signing
and withdrawing a signature, over the initiatives domain's services.

What the public sees and nothing more: counts, the threshold, the deadline, the council's
decision and the names of the signers who chose to be shown. Never the proposer's contact
address, never who else signed.
"""

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from app.api import bp
from app.api import schemas as s
from app.api.common import acting_user, api_page_args, body, page_json, query
from app.api.openapi import operation
from app.core.db import as_utc
from app.core.errors import NotFound
from app.core.pagecache import public_page
from app.core.ratelimit import limit
from app.core.urls import external_url
from app.extensions import db
from app.initiatives import queries, services
from app.initiatives.models import Initiative, InitiativeMeasure
from app.initiatives.permissions import can_view_initiative

INITIATIVES = ("Initiatives",)


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _day(value):
    return value.isoformat() if value is not None else None


def _when(value):
    return as_utc(value).isoformat() if value is not None else None


def initiative_json(initiative: Initiative) -> dict:
    """One initiative as the public may read it."""
    decided = initiative.council_case_number is not None and initiative.decision_text is not None
    return {
        "id": initiative.id,
        "title": initiative.title,
        "proposal": initiative.proposal,
        "reasons": initiative.reasons,
        "proposer": {"name": initiative.proposer.display_name},
        "status": initiative.current_status.value,
        "service_areas": [
            {"id": area.id, "name": area.name, "names": area.names} for area in initiative.service_areas
        ],
        "from_idea_id": initiative.from_idea_id,
        "signature_count": initiative.signature_count,
        "paper_signature_count": initiative.paper_signature_count,
        "total_signatures": initiative.total_signatures,
        "threshold": initiative.signature_threshold,
        "collection_started_at": _when(initiative.collection_started_at),
        "collection_ends_at": _when(initiative.collection_ends_at),
        "submitted_at": _when(initiative.submitted_at),
        "deadline": _day(initiative.deadline),
        "days_to_deadline": services.days_to_deadline(initiative),
        "decision": {
            "case_number": initiative.council_case_number,
            "meeting_date": _day(initiative.council_meeting_date),
            "text": initiative.decision_text,
            "url": initiative.decision_url,
        } if decided else None,
        "same_content": {
            "case_number": initiative.earlier_case_number,
            "title": initiative.earlier_case_title,
            "date": _day(initiative.earlier_case_date),
            "explanation": initiative.rejection_explanation,
        } if initiative.earlier_case_number else None,
        "measures": [
            {"text": measure.text, "carried_out_on": _day(measure.carried_out_on)}
            for measure in initiative.measures
        ],
        "url": external_url("initiatives.detail", initiative_id=initiative.id),
        "created_at": _when(initiative.created_at),
    }


def _visible(initiative_id: int) -> Initiative:
    """The initiative, or 404 for one that does not exist or is not public to this caller."""
    initiative = queries.load_initiative(initiative_id)
    if initiative is None or not can_view_initiative(_viewer(), initiative):
        raise NotFound(_("Fant ikke innbyggerforslaget."))
    return initiative


@bp.get("/initiatives")
@public_page
@operation(tags=INITIATIVES, query=s.InitiativeListQuery, ok={200: s.InitiativePage})
def initiatives_list():
    """Public initiatives, newest first (collecting: ending soonest; submitted: by deadline).
    An unknown status is a 422 naming it."""
    filters = queries.InitiativeFilters(status=query().status)
    page_number, per_page = api_page_args()
    page = queries.list_initiatives(filters, page_number, per_page)
    _load_measures(page.items)
    return jsonify(page_json(page, initiative_json))


def _load_measures(initiatives: list[Initiative]) -> None:
    """Every listed initiative's measures in one query, not one each (issue 17)."""
    if not initiatives:
        return
    by_initiative: dict[int, list[InitiativeMeasure]] = {i.id: [] for i in initiatives}
    for measure in db.session.scalars(
        select(InitiativeMeasure).where(InitiativeMeasure.initiative_id.in_(by_initiative))
        .order_by(InitiativeMeasure.carried_out_on, InitiativeMeasure.id)
    ):
        by_initiative[measure.initiative_id].append(measure)
    for initiative in initiatives:
        set_committed_value(initiative, "measures", by_initiative[initiative.id])


@bp.get("/initiatives/<int:initiative_id>")
@public_page
@operation(tags=INITIATIVES, ok={200: s.InitiativeDetail})
def initiative_detail(initiative_id: int):
    """One initiative, with the names of the signers who chose to be shown (at most 500)."""
    initiative = _visible(initiative_id)
    data = initiative_json(initiative)
    names, shown = queries.public_signer_names(initiative_id)
    data["public_signers"] = [{"name": name, "signed_at": _when(when)} for name, when in names]
    data["public_signer_count"] = shown
    signature = queries.signature_of(_viewer(), initiative_id)
    data["signed"] = signature is not None
    return jsonify(data)


def _state_json(state) -> dict:
    return {"signed": state.signed, "signature_count": state.signature_count,
            "total_signatures": state.total, "threshold": state.threshold}


@bp.post("/initiatives/<int:initiative_id>/signature")
@limit("RATELIMIT_SIGNATURES")
@operation(tags=INITIATIVES, json=s.SignatureIn, ok={200: s.SignatureState}, auth=True, errors=(403, 409, 422))
def initiative_sign(initiative_id: int):
    """Sign (one signature per person; signing again changes nothing). The signer confirms being
    registered as living in the municipality, and chooses whether the name is shown."""
    user = acting_user()
    _visible(initiative_id)
    data = body()
    state = services.sign(user, initiative_id, show_name=data.show_name is True,
                          confirmed_resident=data.confirmed_resident is True)
    return jsonify(_state_json(state))


@bp.delete("/initiatives/<int:initiative_id>/signature")
@limit("RATELIMIT_SIGNATURES")
@operation(tags=INITIATIVES, ok={200: s.SignatureState}, auth=True, errors=(403, 409))
def initiative_unsign(initiative_id: int):
    """Withdraw one's signature before the initiative is submitted (also when there was none)."""
    user = acting_user()
    _visible(initiative_id)
    return jsonify(_state_json(services.withdraw_signature(user, initiative_id)))
