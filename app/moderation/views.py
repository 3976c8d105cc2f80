"""Public pages of moderation: report, my reports, appeal, and the transparency figures."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.permissions import can_participate
from app.core.errors import InvalidState, NotFound, ServiceError
from app.core.forms import apply_errors
from app.core.pagecache import public_page
from app.core.pagination import page_args
from app.core.ratelimit import limit, succeeded
from app.ideas.sections import register_idea_section
from app.moderation import bp, labels, queries, services
from app.moderation.forms import AppealForm, ReportForm
from app.moderation.models import TargetType
from app.moderation.permissions import (
    can_moderate_item,
    can_view_item,
    item_is_hidden,
    item_is_visible,
)


def _item(target_type: str, target_id: int):
    """The item, or 404 when the person may not read it (moderation.can_view_item)."""
    item = services.load_target(target_type, target_id)
    if not can_view_item(current_user, item):
        raise NotFound(_("Fant ikke innholdet."))
    return item


@bp.route("/report/<target_type>/<int:target_id>", methods=["GET", "POST"])
@limit("RATELIMIT_REPORTS", only_when=succeeded)
@login_required
def report(target_type: str, target_id: int):
    item = _item(target_type, target_id)
    kind = services.target_type_of(item)
    form = ReportForm()
    already = services.has_reported(current_user, kind, item.id)
    status = 200
    if request.method == "POST" and not already:
        if form.validate_on_submit():
            try:
                services.report_content(current_user, kind, item.id, form.reason.data, form.note.data)
            except InvalidState as error:
                already = services.has_reported(current_user, kind, item.id)
                if not already:
                    form.form_errors.append(error.message)
                status = 409
            except ServiceError as error:
                if error.status_code in (401, 403) and not error.fields:
                    raise
                apply_errors(form, error)
                status = 422
            else:
                return redirect(url_for("moderation.report_sent", target_type=kind.value, target_id=item.id))
        else:
            status = 422
    elif request.method == "POST":
        status = 409
    return render_template(
        "moderation/report.html", form=form, item=item, kind=kind, already=already,
        own=item.author_id == current_user.id, visible=item_is_visible(item),
        can_participate=can_participate(current_user), item_url=services.item_url(item),
    ), status


@bp.route("/report/<target_type>/<int:target_id>/sent")
@login_required
def report_sent(target_type: str, target_id: int):
    item = _item(target_type, target_id)
    kind = services.target_type_of(item)
    if not services.has_reported(current_user, kind, item.id):
        return redirect(url_for("moderation.report", target_type=kind.value, target_id=item.id))
    return render_template("moderation/report_sent.html", item=item, kind=kind,
                           item_url=services.item_url(item))


@bp.route("/my/reports")
@login_required
def my_reports():
    page, per_page = page_args(20)
    reports = queries.my_reports_page(current_user, page, per_page)
    return render_template("moderation/my_reports.html", reports=reports)


@bp.route("/appeal/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
def appeal(target_type: str, target_id: int):
    # Only the author comes further, so the page can show them their own hidden words.
    item = services.load_target(target_type, target_id)
    kind = services.target_type_of(item)
    if item.author_id != current_user.id:
        abort(403)
    form = AppealForm()
    existing = services.appeal_for(current_user, kind, item.id)
    status = 200
    if request.method == "POST":
        if existing is not None:
            form.form_errors.append(_("Du har allerede klaget på denne avgjørelsen. Du kan klage én gang."))
            status = 409
        elif form.validate_on_submit():
            try:
                services.submit_appeal(current_user, kind, item.id, form.text.data)
            except ServiceError as error:
                apply_errors(form, error)
                status = error.status_code
            else:
                return redirect(url_for("moderation.appeal", target_type=kind.value, target_id=item.id,
                                        sent=1))
        else:
            status = 422
    case = queries.case_for(kind, item.id)
    return render_template(
        "moderation/appeal.html", form=form, item=item, kind=kind, appeal=existing, case=case,
        hidden=item_is_hidden(item), item_url=services.item_url(item),
        sent=request.args.get("sent") == "1" and existing is not None,
    ), status


@bp.route("/transparency")
@public_page
def transparency():
    return render_template("moderation/transparency.html", months=queries.transparency(12),
                           threshold=services.hide_after_reports())


# --- the idea page's own section ------------------------------------------------------


def _idea_section(idea, viewer) -> dict:
    """The report link (and the moderator's link) under the idea; for the author of a hidden
    idea, why it is hidden and how to appeal. Two queries at most, only for that author."""
    context = {"target_type": TargetType.IDEA.value, "target": idea, "hidden_case": None,
               "hidden_appeal": None}
    is_author = viewer is not None and getattr(viewer, "is_authenticated", False) and idea.author_id == viewer.id
    if item_is_hidden(idea) and (is_author or can_moderate_item(viewer, idea)):
        context["hidden_case"] = queries.case_for(TargetType.IDEA, idea.id)
        if is_author:
            context["hidden_appeal"] = services.appeal_for(viewer, TargetType.IDEA, idea.id)
    return context


def _idea_section_seen_as(idea, viewer, state: dict) -> tuple:
    """What of the viewer the section shows: the report link for those who take part and did
    not write the idea, the moderators' links, and the author's own appeal of a hidden idea."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return ("visitor",)
    is_author = idea.author_id == viewer.id
    return (is_author and item_is_hidden(idea) and viewer.id, is_author, can_moderate_item(viewer, idea),
            can_participate(viewer))


register_idea_section("report", "moderation/_idea_report.html", _idea_section, order=90, vary=_idea_section_seen_as)


@bp.app_context_processor
def _moderation_labels():
    return {"moderation_labels": labels, "can_view_item": can_view_item,
            "can_moderate_item": can_moderate_item}
