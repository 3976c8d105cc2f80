"""API v1: reports, the moderators' queue, decisions, blocking and the audit log."""

from datetime import datetime

from flask import jsonify, request
from flask_babel import gettext as _

from app.accounts.permissions import can
from app.api import bp
from app.api import schemas as s
from app.api.common import acting_user, api_page_args, body, page_json
from app.api.openapi import operation
from app.core.db import as_utc
from app.core.errors import NotAllowed
from app.core.input import EARLIEST_DATE, LATEST_DATE, date_error, to_date
from app.core.ratelimit import limit, succeeded
from app.moderation import labels, queries, services
from app.moderation.models import ModerationAction, Report


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


def _require(capability: str):
    user = acting_user()
    if not can(user, capability):
        raise NotAllowed(_("Bare moderatorer har tilgang til dette."))
    return user


def _report_json(report: Report) -> dict:
    return {
        "id": report.id,
        "target_type": report.target_type.value,
        "target_id": report.target_id,
        "reason": report.reason.value,
        "note": report.note,
        "created_at": _iso(report.created_at),
        "resolution": report.resolution.value if report.resolution else None,
    }


def _item_json(item) -> dict | None:
    if item is None:
        return None
    data = {
        "id": item.id,
        "author": {"id": item.author_id, "name": item.author.display_name},
        "visibility": str(item.visibility.value),
        "hidden_reason": item.hidden_reason,
        "excerpt": _excerpt(item),
        "url": services.item_url(item, exact=False),
        "created_at": _iso(item.created_at),
    }
    if hasattr(item, "title"):
        data["title"] = item.title
    else:
        data["idea_id"] = item.idea_id
    return data


def _excerpt(item) -> str:
    from app.core.text import excerpt

    return excerpt(item.title if hasattr(item, "title") else item.body, 200)


def _entry_json(entry: queries.QueueEntry) -> dict:
    case = entry.case
    appeal = entry.appeal
    return {
        "id": case.id,
        "target_type": case.target_type.value,
        "target_id": case.target_id,
        "state": case.state.value,
        "auto_hidden": case.auto_hidden,
        "open_reports": case.open_report_count,
        "reports_total": case.report_count,
        "reasons": dict(entry.reasons),
        "notes": [{"reason": r.reason.value, "note": r.note, "created_at": _iso(r.created_at)}
                  for r in entry.notes],
        "waiting_since": _iso(entry.waiting_since),
        "last_activity_at": _iso(case.last_activity_at),
        "decision": case.decision.value if case.decision else None,
        "decision_reason": case.decision_reason,
        "decided_at": _iso(case.decided_at),
        "appeal": None if appeal is None else {
            "id": appeal.id, "text": appeal.text, "created_at": _iso(appeal.created_at),
            "decision": appeal.decision.value if appeal.decision else None,
        },
        "item": _item_json(entry.item),
    }


def _action_json(row: ModerationAction) -> dict:
    return {
        "id": row.id,
        "created_at": _iso(row.created_at),
        "actor": None if row.actor is None else {"id": row.actor.id, "name": row.actor.full_name},
        "action": row.action.value,
        "target_type": row.target_type.value,
        "target_id": row.target_id,
        "subject_user_id": row.subject_user_id,
        "reason": row.reason,
        "reason_label": labels.reason_label(row.reason),
        "note": row.note,
    }


MODERATION = ("Moderation",)


@bp.route("/reports", methods=["POST"])
@limit("RATELIMIT_REPORTS", only_when=succeeded)
@operation(tags=MODERATION, json=s.ReportIn, ok={201: s.ReportOut}, auth=True, errors=(409,))
def create_report():
    """Report an idea or a comment to the moderators (once per person and item)."""
    user = acting_user()
    data = body()
    report = services.report_content(user, data.target_type, data.target_id, data.reason, data.note or "")
    return jsonify(_report_json(report)), 201


@bp.route("/moderation/queue")
@operation(tags=MODERATION, query=s.QueueQuery, ok={200: s.QueuePage}, auth=True)
def moderation_queue():
    """The moderators' queue of reported items (of the caller's municipal areas, when their
    role is limited to some)."""
    user = _require("moderate")
    filters = queries.QueueFilters.from_args(request.args)
    page, per_page = api_page_args()
    result = page_json(queries.queue_page(filters, page, per_page, user), _entry_json)
    result["filters"] = vars(filters)
    return jsonify(result)


@bp.route("/moderation/<any(idea, comment):target_type>/<int:target_id>/<any(hide, restore, dismiss):decision>",
          methods=["POST"])
@operation(tags=MODERATION, json=s.ModerationDecisionIn, ok={200: s.QueueEntryOut}, auth=True, errors=(409,))
def moderation_decide(target_type: str, target_id: int, decision: str):
    """Hide, restore or dismiss the reports on an item, with a reason."""
    user = _require("moderate")
    data = body()
    outcome = services.moderate_item(user, target_type, target_id, decision, data.reason, data.note or "")
    entry = queries.load_entries([outcome.case])[0]
    return jsonify(_entry_json(entry))


def _parse_until(value: str | None) -> datetime | None:
    if value in (None, ""):
        return None
    if len(value) == 10:
        return services.block_end(to_date(value, "until", strict=True))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise date_error("until") from None
    if not EARLIEST_DATE <= parsed.date() <= LATEST_DATE:
        raise date_error("until")
    return as_utc(parsed)


def _person_json(person) -> dict:
    return {
        "id": person.id,
        "name": person.full_name,
        "blocked": person.block_active,
        "blocked_reason": person.blocked_reason if person.is_blocked else None,
        "blocked_until": _iso(person.blocked_until),
        "name_flagged": person.name_flagged_at is not None,
    }


@bp.route("/moderation/users/<int:user_id>/block", methods=["POST"])
@operation(tags=MODERATION, json=s.BlockIn, ok={200: s.PersonOut}, auth=True, errors=(409,))
def moderation_block(user_id: int):
    """Block a person, for good or until a date, optionally hiding what they wrote."""
    user = _require("block_users")
    data = body()
    person = services.get_person(user_id)
    services.block_person(user, person, data.reason or "", _parse_until(data.until),
                          hide_content=bool(data.hide_content))
    return jsonify(_person_json(person))


@bp.route("/moderation/users/<int:user_id>/unblock", methods=["POST"])
@operation(tags=MODERATION, json=s.UnblockIn, ok={200: s.PersonOut}, auth=True, errors=(409,))
def moderation_unblock(user_id: int):
    """Lift a block, with a reason."""
    user = _require("block_users")
    data = body()
    person = services.get_person(user_id)
    services.unblock_person(user, person, data.reason or "")
    return jsonify(_person_json(person))


@bp.route("/moderation/log")
@operation(tags=MODERATION, query=s.LogQuery, ok={200: s.LogPage}, auth=True)
def moderation_log():
    """The moderation audit log (append-only), filtered; a moderator limited to some municipal
    areas reads the rows about those areas' ideas and comments, and those about people."""
    user = _require("view_audit_log")
    filters = queries.LogFilters.from_args(request.args, strict=True)
    page, per_page = api_page_args()
    result = page_json(queries.log_page(filters, page, per_page, user), _action_json)
    result["filters"] = filters.as_args()
    return jsonify(result)
