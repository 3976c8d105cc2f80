"""The moderators' screens: the queue, one item, people (block, names), the audit log."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from app.accounts.decorators import require
from app.accounts.permissions import can, scope_of
from app.accounts.services import search_users
from app.core.csv import csv_response
from app.core.errors import ServiceError
from app.core.forms import apply_errors
from app.core.http import is_safe_target
from app.core.input import to_int
from app.core.navigation import register_staff_link
from app.core.pagecache import kept_fragment
from app.core.pagination import page_args, paginate
from app.core.text import excerpt
from app.extensions import db
from app.moderation import bp, labels, queries, services
from app.moderation.forms import BlockForm, DecisionForm, NameFlagForm, UnblockForm
from app.moderation.models import AuditTarget, ModerationAction
from app.moderation.permissions import can_block, item_is_hidden


def _queue_html(filters, form, page, per_page, **extra) -> str:
    viewer = current_user._get_current_object()
    return render_template(
        "moderation/_queue.html",
        entries=queries.queue_page(filters, page, per_page, viewer),
        filters=filters,
        form=form,
        by_state=queries.waiting_by_state(viewer),
        threshold=services.hide_after_reports(),
        **extra,
    )


# The moderators' menu above the queue (moderation/_staff_nav.html) shows the pages their rights open.
_QUEUE_LINKS = ("block_users", "verify_organisations", "view_audit_log")


@bp.route("/moderation")
@require("moderate")
def queue():
    filters = queries.QueueFilters.from_args(request.args)
    page, per_page = page_args(20, 100)
    viewer = current_user._get_current_object()
    scope = scope_of(viewer)
    # Moderators of the same areas with the same rights see the same queue: kept for them
    # between writes (a decision shows on the next look), with each one's own CSRF token.
    seen_by = (None if scope is None else tuple(sorted(scope)), *(can(viewer, right) for right in _QUEUE_LINKS))
    queue_html = kept_fragment(
        "moderation_queue", seen_by, lambda: _queue_html(filters, DecisionForm(formdata=None), page, per_page))
    return render_template("moderation/queue.html", queue_html=queue_html)


@bp.route("/moderation/decide", methods=["POST"])
@require("moderate")
def decide_many():
    form = DecisionForm()
    case_ids = request.form.getlist("case_ids")
    back = request.form.get("next")
    back = back if is_safe_target(back) else url_for("moderation.queue")
    if form.validate_on_submit():
        try:
            result = services.moderate_cases(
                current_user, case_ids, form.decision.data, form.reason.data, form.note.data
            )
        except ServiceError as error:
            apply_errors(form, error)
        else:
            if result.done:
                flash(ngettext("%(num)d sak er avgjort.", "%(num)d saker er avgjort.", len(result.done)),
                      "success")
            for why in sorted(set(result.skipped.values())):
                count = sum(1 for w in result.skipped.values() if w == why)
                flash(ngettext("%(num)d sak ble hoppet over: %(why)s",
                               "%(num)d saker ble hoppet over: %(why)s", count, why=why), "warning")
            return redirect(back)
    if not case_ids:
        form.form_errors.append(_("Velg minst én sak i køen."))
    filters = queries.QueueFilters.from_args(request.args)
    page, per_page = page_args(20, 100)
    queue_html = Markup(_queue_html(filters, form, page, per_page, selected={to_int(i) for i in case_ids} - {None}))
    # The form goes to the page too: its title says the form came back with errors.
    return render_template("moderation/queue.html", queue_html=queue_html, form=form), 422


@bp.route("/moderation/<target_type>/<int:target_id>", methods=["GET", "POST"])
@require("moderate")
def item(target_type: str, target_id: int):
    target = services.get_item_to_moderate(current_user._get_current_object(), target_type, target_id)
    kind = services.target_type_of(target)
    form = DecisionForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET" and request.args.get("decision") in {"hide", "restore", "dismiss"}:
        form.decision.data = request.args["decision"]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                outcome = services.moderate_item(
                    current_user, kind, target.id, form.decision.data, form.reason.data, form.note.data
                )
            except ServiceError as error:
                apply_errors(form, error)
                status = error.status_code
            else:
                if outcome.appeal is not None:
                    flash(_("Klagen er avgjort, og forfatteren har fått beskjed."), "success")
                elif outcome.hidden or (form.decision.data == "hide"):
                    flash(_("Innholdet er skjult, og forfatteren har fått beskjed."), "success")
                elif outcome.restored:
                    flash(_("Innholdet er synlig igjen, og forfatteren har fått beskjed."), "success")
                else:
                    flash(_("Rapportene er avvist, og innholdet er fortsatt synlig."), "success")
                back = request.form.get("next")
                if is_safe_target(back):
                    return redirect(back)
                return redirect(url_for("moderation.item", target_type=kind.value, target_id=target.id))
        else:
            status = 422
    case = queries.case_for(kind, target.id)
    return render_template(
        "moderation/item.html", target=target, kind=kind, form=form, case=case,
        reports=queries.reports_for(case) if case else [],
        appeals=queries.appeals_for(case) if case else [],
        history=queries.history_for(kind, target.id),
        hidden=item_is_hidden(target), item_url=services.item_url(target),
    ), status


# --- people ---------------------------------------------------------------------------


@bp.route("/moderation/people")
@require("block_users")
def people():
    query = request.args.get("q", "").strip()
    page, per_page = page_args(50)
    found = paginate(search_users(query), page, per_page)
    return render_template("moderation/people.html", people=found, q=query)


@bp.route("/moderation/people/<int:user_id>", methods=["GET", "POST"])
@require("block_users")
def person(user_id: int):
    person = services.get_person(user_id)
    block_form = BlockForm(prefix="block", formdata=None)
    unblock_form = UnblockForm(prefix="unblock", formdata=None)
    name_form = NameFlagForm(prefix="name", formdata=None)
    action = request.form.get("action")
    status = 200
    if request.method == "POST":
        forms = {"block": BlockForm, "unblock": UnblockForm, "flag_name": NameFlagForm}
        prefixes = {"block": "block", "unblock": "unblock", "flag_name": "name"}
        if action not in forms:
            abort(400)
        form = forms[action](prefix=prefixes[action])
        if form.validate_on_submit():
            try:
                if action == "block":
                    until = services.block_end(form.until.data) if form.until.data else None
                    services.block_person(current_user, person, form.reason.data, until,
                                          hide_content=form.hide_content.data)
                    flash(_("%(name)s er blokkert.", name=person.full_name), "success")
                elif action == "unblock":
                    services.unblock_person(current_user, person, form.reason.data)
                    flash(_("Blokkeringen av %(name)s er opphevet.", name=person.full_name), "success")
                else:
                    services.flag_name(current_user, person, form.reason.data)
                    flash(_("Navnet er markert. %(name)s kan ikke delta før navnet er rettet.",
                            name=person.full_name), "success")
            except ServiceError as error:
                apply_errors(form, error)
                status = error.status_code
            else:
                return redirect(url_for("moderation.person", user_id=person.id))
        else:
            status = 422
        if action == "block":
            block_form = form
        elif action == "unblock":
            unblock_form = form
        else:
            name_form = form
    history = list(db.session.scalars(
        db.select(ModerationAction).where(ModerationAction.subject_user_id == person.id)
        .options(db.selectinload(ModerationAction.actor))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc()).limit(50)
    ))
    return render_template(
        "moderation/person.html", person=person, block_form=block_form, unblock_form=unblock_form,
        name_form=name_form, history=history, may_block=can_block(current_user, person),
    ), status


# --- the audit log --------------------------------------------------------------------


def _target_label(row: ModerationAction) -> str:
    return f"{labels.label(labels.AUDIT_TARGETS, row.target_type)} {row.target_id}"


@bp.route("/moderation/log")
@require("view_audit_log")
def log():
    filters = queries.LogFilters.from_args(request.args)
    page, per_page = page_args(50, 200)
    rows = queries.log_page(filters, page, per_page, current_user._get_current_object())
    return render_template(
        "moderation/log.html", rows=rows, filters=filters, moderators=queries.log_moderators(),
        target_url=_log_target_url,
    )


def _log_target_url(row: ModerationAction) -> str | None:
    if row.target_type in (AuditTarget.IDEA, AuditTarget.COMMENT):
        return url_for("moderation.item", target_type=row.target_type.value, target_id=row.target_id)
    if row.target_type == AuditTarget.USER:
        return url_for("moderation.person", user_id=row.target_id)
    if row.target_type == AuditTarget.ORGANISATION:
        return url_for("accounts.organisation", organisation_id=row.target_id)
    return None


LOG_HEADER = (
    _l("Tidspunkt (UTC)"), _l("Utført av"), _l("Handling"), _l("Type"), _l("ID"),
    _l("Gjelder person"), _l("Begrunnelse"), _l("Notat"),
)


def log_rows(filters, viewer=None):
    for row in queries.iter_log(filters, viewer=viewer):
        yield (
            row.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            row.actor.full_name if row.actor else _("Plattformen"),
            labels.label(labels.AUDIT_ACTIONS, row.action),
            labels.label(labels.AUDIT_TARGETS, row.target_type),
            row.target_id,
            row.subject_user.full_name if row.subject_user else "",
            labels.reason_label(row.reason),
            row.note,
        )


@bp.route("/moderation/log.csv")
@require("view_audit_log")
def log_csv():
    filters = queries.LogFilters.from_args(request.args)
    return csv_response("moderasjonslogg.csv", [str(h) for h in LOG_HEADER],
                        log_rows(filters, current_user._get_current_object()))


# --- the staff menu -------------------------------------------------------------------


def _excerpt(item, length=160) -> str:
    if item is None:
        return ""
    return excerpt(item.title if hasattr(item, "title") else item.body, length)


@bp.app_template_filter("moderation_excerpt")
def _moderation_excerpt(item, length: int = 160) -> str:
    return _excerpt(item, length)


@bp.app_template_global("moderation_item_url")
def _moderation_item_url(item):
    return services.item_url(item, exact=False) if item is not None else None


register_staff_link("moderate", "moderation.queue", _l("Moderering"), queries.waiting_query)
register_staff_link("view_audit_log", "moderation.log", _l("Moderasjonslogg"))
