"""Staff screens of innbyggerforslag: pre-moderation, deadlines, signers, paper lists, decisions."""

import os

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.decorators import require
from app.core.csv import csv_response
from app.core.errors import ServiceError
from app.core.forms import apply_errors
from app.core.input import to_date, to_int
from app.core.navigation import register_staff_link
from app.core.pagination import page_args
from app.initiatives import bp, queries, scans, services
from app.initiatives.forms import DecisionForm, MeasureForm, PaperForm, RefuseForm, SameContentForm
from app.initiatives.models import Initiative
from app.initiatives.permissions import (
    can_record_decision,
    can_record_measure,
    can_register_paper_signatures,
    can_reject_same_content,
)

# --- pre-moderation -------------------------------------------------------------------------


def _queue_page(forms: dict[int, RefuseForm] | None = None, status: int = 200):
    items = queries.awaiting_moderation()
    forms = forms or {}
    refuse_forms = {item.id: forms.get(item.id) or RefuseForm(prefix=f"refuse-{item.id}", formdata=None)
                    for item in items}
    return render_template("initiatives/staff_queue.html", items=items, refuse_forms=refuse_forms,
                           threshold=services.current_threshold(), days=services.collection_days()), status


@bp.route("/staff/initiatives/moderation")
@require("moderate")
def moderation_queue():
    return _queue_page()


@bp.route("/staff/initiatives/<int:initiative_id>/approve", methods=["POST"])
@require("moderate")
def approve(initiative_id: int):
    try:
        initiative = services.approve_initiative(current_user, initiative_id)
    except ServiceError as error:
        if error.status_code == 404:
            abort(404)
        flash(error.message, "danger")
    else:
        flash(_("«%(title)s» er godkjent. Innsamlingen av underskrifter har startet.", title=initiative.title),
              "success")
    return redirect(url_for("initiatives.moderation_queue"), 303)


@bp.route("/staff/initiatives/<int:initiative_id>/refuse", methods=["POST"])
@require("moderate")
def refuse(initiative_id: int):
    form = RefuseForm(prefix=f"refuse-{initiative_id}")
    try:
        initiative = services.refuse_initiative(current_user, initiative_id, form.reason.data or "")
    except ServiceError as error:
        if error.status_code == 404:
            abort(404)
        if error.fields:
            apply_errors(form, error)
            return _queue_page({initiative_id: form}, status=422)
        flash(error.message, "danger")
    else:
        flash(_("«%(title)s» er ikke godkjent. Forslagsstilleren får begrunnelsen.", title=initiative.title),
              "success")
    return redirect(url_for("initiatives.moderation_queue"), 303)


# --- deadlines and one initiative -----------------------------------------------------------


@bp.route("/staff/initiatives")
@require("manage_initiatives")
def staff_index():
    return render_template(
        "initiatives/staff_index.html", submitted=queries.submitted_by_deadline(),
        collecting=queries.collecting_for_staff(), today=services.local_today(),
        days_to_deadline=services.days_to_deadline,
    )


def _staff_initiative(initiative_id: int) -> Initiative:
    initiative = queries.load_initiative(initiative_id)
    if initiative is None or initiative.status.value in ("awaiting_moderation", "refused"):
        abort(404)
    return initiative


def _staff_page(initiative: Initiative, status: int = 200, **forms):
    viewer = current_user._get_current_object()
    page_number, per_page = page_args(default_per_page=50, max_per_page=200)
    defaults = {
        "paper_form": PaperForm(formdata=None),
        "decision_form": DecisionForm(formdata=None),
        "same_form": SameContentForm(prefix="same", formdata=None),
        "measure_form": MeasureForm(prefix="measure", formdata=None),
    }
    defaults.update(forms)
    return render_template(
        "initiatives/staff_detail.html", initiative=initiative, status_now=initiative.current_status,
        threshold=initiative.signature_threshold or services.current_threshold(),
        signers=queries.signer_page(initiative.id, page_number, per_page),
        batches=queries.paper_batches(initiative.id),
        days_left=services.days_to_deadline(initiative),
        period_start=services.election_period_start(),
        can_paper=can_register_paper_signatures(viewer, initiative),
        can_decide=can_record_decision(viewer, initiative),
        can_reject=can_reject_same_content(viewer, initiative),
        can_measure=can_record_measure(viewer, initiative),
        **defaults,
    ), status


@bp.route("/staff/initiatives/<int:initiative_id>")
@require("manage_initiatives")
def staff_detail(initiative_id: int):
    return _staff_page(_staff_initiative(initiative_id))


def _after(initiative_id: int, anchor: str = ""):
    return redirect(url_for("initiatives.staff_detail", initiative_id=initiative_id) + anchor, 303)


def _failed(initiative_id: int, error: ServiceError, form_name: str, form, anchor: str):
    """The staff page again with the errors next to the fields, or a message for a state change."""
    if error.status_code == 404:
        abort(404)
    if error.fields:
        apply_errors(form, error)
        return _staff_page(_staff_initiative(initiative_id), status=422, **{form_name: form})
    flash(error.message, "danger")
    return _after(initiative_id, anchor)


@bp.route("/staff/initiatives/<int:initiative_id>/paper", methods=["POST"])
@require("manage_initiatives")
def register_paper(initiative_id: int):
    form = PaperForm()
    raw = (form.count.data or "").replace(" ", "").replace("\u00a0", "")
    count = to_int(raw, minimum=None) if raw else None
    upload = request.files.get("scan")
    try:
        batch = services.register_paper_signatures(
            current_user, initiative_id, count if count is not None else raw or None,
            upload if upload is not None and upload.filename else None, form.note.data or "",
        )
    except ServiceError as error:
        if error.fields and "scan" not in error.fields and upload is not None and upload.filename:
            error.fields["scan"] = [_("Velg filen på nytt: av sikkerhetsgrunner husker ikke nettleseren "
                                      "filer etter en feil.")]
        return _failed(initiative_id, error, "paper_form", form, "#paper")
    flash(ngettext("%(num)d underskrift på papir er registrert.", "%(num)d underskrifter på papir er registrert.",
                   batch.count), "success")
    return _after(initiative_id, "#paper")


@bp.route("/staff/initiatives/<int:initiative_id>/decision", methods=["POST"])
@require("manage_initiatives")
def record_decision(initiative_id: int):
    form = DecisionForm()
    data = services.DecisionInput(
        case_number=form.case_number.data or "", meeting_date=to_date(form.meeting_date.data, "meeting_date"),
        text=form.text.data or "", url=form.url.data or "",
    )
    try:
        services.record_decision(current_user, initiative_id, data)
    except ServiceError as error:
        return _failed(initiative_id, error, "decision_form", form, "#decision")
    flash(_("Vedtaket er registrert. Forslagsstilleren og de som signerte, får beskjed."), "success")
    return _after(initiative_id)


@bp.route("/staff/initiatives/<int:initiative_id>/same-content", methods=["POST"])
@require("manage_initiatives")
def reject_same_content(initiative_id: int):
    form = SameContentForm(prefix="same")
    data = services.SameContentInput(
        case_number=form.case_number.data or "", case_title=form.case_title.data or "",
        case_date=to_date(form.case_date.data, "case_date"), explanation=form.explanation.data or "",
    )
    try:
        services.reject_same_content(current_user, initiative_id, data)
    except ServiceError as error:
        return _failed(initiative_id, error, "same_form", form, "#same-content")
    flash(_("Forslaget er avvist som likt en tidligere sak. Forslagsstilleren og de som signerte, får beskjed."),
          "success")
    return _after(initiative_id)


@bp.route("/staff/initiatives/<int:initiative_id>/measures", methods=["POST"])
@require("manage_initiatives")
def record_measure(initiative_id: int):
    form = MeasureForm(prefix="measure")
    try:
        services.record_measure(current_user, initiative_id, form.text.data or "",
                                to_date(form.carried_out_on.data, "carried_out_on"))
    except ServiceError as error:
        return _failed(initiative_id, error, "measure_form", form, "#measures")
    flash(_("Tiltaket er registrert og vises på forslaget."), "success")
    return _after(initiative_id, "#measures")


@bp.route("/staff/initiatives/<int:initiative_id>/signers.csv")
@require("manage_initiatives")
def signers_csv(initiative_id: int):
    initiative = _staff_initiative(initiative_id)
    header = [_("Navn"), _("Signert"), _("Bekreftet med ID-porten"), _("Navnet vises offentlig")]
    rows = ((row.name or _("Tidligere deltaker"), row.signed_at, row.verified, row.show_name)
            for row in queries.signer_rows(initiative.id))
    return csv_response(f"underskrifter-innbyggerforslag-{initiative.id}.csv", header, rows)


@bp.route("/staff/initiatives/scans/<int:batch_id>")
@require("manage_initiatives")
def scan(batch_id: int):
    """A paper list's scan, to staff only, as a download (never shown inline, never cached)."""
    batch = queries.get_paper_batch(batch_id)
    if batch is None or not scans.FILENAME.match(batch.scan_filename):
        abort(404)
    path = scans.path_of(batch.scan_filename)
    if not os.path.exists(path):
        abort(404)
    ext = batch.scan_filename.rsplit(".", 1)[1]
    response = send_file(path, mimetype=scans.CONTENT_TYPES[ext], as_attachment=True,
                         download_name=f"underskriftsliste-{batch.initiative_id}-{batch.id}.{ext}", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


register_staff_link("moderate", "initiatives.moderation_queue", _l("Godkjenn innbyggerforslag"),
                    queries.awaiting_query)
register_staff_link("manage_initiatives", "initiatives.staff_index", _l("Innbyggerforslag: frister"),
                    queries.overdue_query)
