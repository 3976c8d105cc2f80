"""A person's data pages: "Mine data", its download, and the staff screens for a person."""

import tempfile

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from app.accounts import oidc
from app.accounts.decorators import require
from app.accounts.models import User
from app.accounts.services import has_password, search_users
from app.core.errors import InvalidInput, NotAllowed, ServiceError
from app.core.navigation import register_staff_link
from app.core.pagination import page_args, paginate
from app.core.ratelimit import limit
from app.extensions import db
from app.privacy import bp, deletion, export
from app.privacy.forms import DeleteAccountForm, StaffDeleteAccountForm
from app.privacy.models import ExportStatus

# Sign-ins listed on "Mine data"; every one is in the export.
RECENT_SIGN_INS = 20
# A ZIP up to this size is built in memory, larger ones spill to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024

EXPORT_STATUSES = {
    ExportStatus.PENDING: _l("Lages"),
    ExportStatus.READY: _l("Klar til nedlasting"),
    ExportStatus.DOWNLOADED: _l("Lastet ned"),
    ExportStatus.EXPIRED: _l("Utløpt"),
    ExportStatus.FAILED: _l("Mislyktes"),
}


def sign_in_method(method: str) -> str:
    if method == "password":
        return _("Passord")
    if method == "link":
        return _("Lenke i e-post")
    name = method.removeprefix("oidc:")
    return (oidc.providers().get(name) or {}).get("label") or name


def _zip_response(person: User):
    """The person's export as a download, written now (small exports only)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - send_file closes it
    export.write_zip(person, spool)
    spool.seek(0)
    response = send_file(spool, mimetype="application/zip", as_attachment=True,
                         download_name=export.export_filename(person))
    response.headers["Cache-Control"] = "no-store"
    return response


def _file_response(handle, person: User):
    response = send_file(handle, mimetype="application/zip", as_attachment=True,
                         download_name=export.export_filename(person))
    response.headers["Cache-Control"] = "no-store"
    return response


def _gone(error: export.ExportGone):
    return render_template("privacy/export_gone.html", message=error.message), 410


@bp.route("/profile/data")
@login_required
def mine():
    person = current_user._get_current_object()
    return render_template(
        "privacy/mine_data.html", summary=export.summary(person),
        ideas=export.recent(person, "ideas"), comments=export.recent(person, "comments"),
        votes=export.recent(person, "votes"),
        sign_ins=export.recent(person, "sign_ins", RECENT_SIGN_INS),
        exports=export.exports_of(person), statuses=EXPORT_STATUSES, sign_in_method=sign_in_method,
        inline_max=current_app.config["EXPORT_INLINE_MAX_ROWS"],
    )


@bp.route("/profile/data/export", methods=["POST"])
@limit("RATELIMIT_EXPORT")
@login_required
def export_mine():
    person = current_user._get_current_object()
    result = export.request_export(person)
    if result.inline:
        return _zip_response(person)
    if result.created:
        flash(_("Dataene dine er mange, så vi lager filen i bakgrunnen. Du får en melding og en "
                "e-post med lenken når den er klar, som regel innen noen minutter."), "success")
    else:
        flash(_("Vi holder allerede på å lage filen med dataene dine. Du får en melding når den "
                "er klar."), "info")
    return redirect(url_for("privacy.mine"))


@bp.route("/profile/data/exports/<int:export_id>/download", methods=["POST"])
@login_required
def download_export(export_id: int):
    person = current_user._get_current_object()
    found = export.get_export(person, export_id)
    try:
        handle = export.claim_download(person, found)
    except export.ExportGone as error:
        return _gone(error)
    return _file_response(handle, found.user)


@bp.route("/profile/data/download/<token>")
@login_required
def download(token: str):
    """The one-time link from the e-mail: works once, for its own person, until it expires."""
    person = current_user._get_current_object()
    found = export.export_for_token(person, token)
    try:
        handle = export.claim_download(person, found)
    except export.ExportGone as error:
        return _gone(error)
    return _file_response(handle, found.user)


# --- staff: a request from a person who cannot use the page ----------------------------


@bp.route("/admin/privacy")
@require("manage_users")
def staff_search():
    query = request.args.get("q", "").strip()[:200]
    people = None
    if query:
        page, per_page = page_args(50)
        people = paginate(search_users(query), page, per_page)
    return render_template("privacy/staff_search.html", q=query, people=people)


@bp.route("/admin/privacy/people/<int:user_id>")
@require("manage_users")
def staff_person(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    return render_template(
        "privacy/staff_person.html", person=person, summary=export.summary(person),
        exports=export.exports_of(person), statuses=EXPORT_STATUSES,
    )


@bp.route("/admin/privacy/people/<int:user_id>/export", methods=["POST"])
@limit("RATELIMIT_EXPORT")
@require("manage_users")
def staff_export(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    result = export.request_export(person, requested_by=current_user._get_current_object())
    if result.inline:
        return _zip_response(person)
    if result.created:
        flash(_("Dataene er mange, så filen lages i bakgrunnen. Du får en melding og en e-post "
                "med lenken når den er klar."), "success")
    else:
        flash(_("Det lages allerede en fil med dataene til %(name)s.", name=person.full_name), "info")
    return redirect(url_for("privacy.staff_person", user_id=person.id))


register_staff_link("manage_users", "privacy.staff_search", _l("Personvern"))


# --- deleting the account (app/privacy/deletion.py) -------------------------------------

@bp.app_context_processor
def _deletion_forms():
    # The staff page (staff_person.html) includes the "delete on their behalf" form; a fresh
    # form unless a failed POST hands back the one with its errors.
    return {"new_staff_delete_form": StaffDeleteAccountForm}


def _delete_page(form: DeleteAccountForm, status: int = 200):
    person = current_user._get_current_object()
    try:
        deletion.check_can_delete_account(person)
        refused = None
    except NotAllowed as error:
        refused = error.message
    return render_template(
        "privacy/delete.html", form=form, refused=refused, summary=deletion.deletion_summary(person),
        has_password=has_password(person), grace_days=deletion.grace_days(),
        reauth_minutes=deletion.REAUTH_MINUTES,
    ), status


@bp.route("/profile/delete", methods=["GET", "POST"])
@limit("RATELIMIT_LOGIN")
@login_required
def delete_account():
    """The person deletes their own account: choose, prove it is you, and a grace period."""
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _delete_page(form, 422 if request.method == "POST" else 200)
    person = current_user._get_current_object()
    try:
        due = deletion.request_deletion(person, keep_content=form.keep_content, password=form.password.data)
    except deletion.SignInAgain as error:
        flash(error.message, "info")
        logout_user()
        return redirect(url_for("accounts.login", next=url_for("privacy.delete_account")))
    except InvalidInput as error:
        form.password.errors = list(error.fields.get("password") or [error.message])
        return _delete_page(form, 422)
    except ServiceError as error:
        form.form_errors.append(error.message)
        return _delete_page(form, error.status_code)
    logout_user()
    flash(_("Kontoen din blir slettet %(date)s. Vi har sendt deg en e-post om det. Logger du inn før "
            "det, blir den ikke slettet.", date=format_date(due, "long")), "success")
    return redirect(url_for("ideas.home"))


@bp.route("/admin/privacy/people/<int:user_id>/delete", methods=["POST"])
@require("administer")
def staff_delete(user_id: int):
    """Staff erase an account for a person who asked in writing: at once, in the audit log."""
    person = db.session.get(User, user_id) or abort(404)
    form = StaffDeleteAccountForm()
    if form.validate_on_submit():
        try:
            deletion.erase_on_behalf(current_user._get_current_object(), person,
                                     keep_content=form.keep_content, reason=form.reason.data)
        except ServiceError as error:
            db.session.rollback()
            for name, messages in error.fields.items():
                if name in form:
                    form[name].errors = list(messages)
            if not error.fields:
                form.form_errors.append(error.message)
        else:
            flash(_("Kontoen er slettet."), "success")
            return redirect(url_for("privacy.staff_search"))
    person = db.session.get(User, user_id) or abort(404)
    return render_template(
        "privacy/staff_person.html", person=person, summary=export.summary(person),
        exports=export.exports_of(person), statuses=EXPORT_STATUSES, delete_form=form,
    ), 422
