"""The accessibility statement with its problem report form, and the admins' list of reports."""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accessibility import bp, services
from app.accessibility.forms import AccessibilityReportForm
from app.accounts.decorators import require
from app.core.errors import ServiceError
from app.core.forms import apply_errors
from app.core.input import to_int
from app.core.navigation import register_staff_link
from app.core.pagination import page_args, paginate
from app.extensions import limiter


def _referring_page() -> str:
    """The page the person came from, when it is on this site: the likely place of the problem."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if not referrer or parts.netloc != request.host or parts.path == request.path:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/accessibility", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ACCESSIBILITY_REPORT"], methods=["POST"])
def statement():
    form = AccessibilityReportForm()
    if request.method == "GET":
        form.page.data = request.args.get("page", "")[:500] or _referring_page()
    if form.validate_on_submit():
        data = services.AccessibilityReportInput(
            description=form.description.data, page=form.page.data or "", email=form.email.data or ""
        )
        try:
            services.report_accessibility_problem(current_user, data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Takk! Meldingen er sendt til kommunen, som vil følge den opp."), "success")
            return redirect(url_for("accessibility.statement"))
    return render_template(
        "accessibility/statement.html",
        form=form,
        statement_url=current_app.config["ACCESSIBILITY_STATEMENT_URL"],
        statement_text=current_app.config["ACCESSIBILITY_STATEMENT_TEXT"],
    )


@bp.route("/admin/accessibility-reports", methods=["GET", "POST"])
@require("administer")
def reports():
    show_handled = request.args.get("show") == "handled"
    if request.method == "POST":
        try:
            services.mark_accessibility_report_handled(current_user, to_int(request.form.get("report_id")) or 0)
        except ValueError:
            abort(404)
        except ServiceError as error:
            flash(error.message, "danger")
        else:
            flash(_("Meldingen er markert som behandlet."), "success")
        return redirect(url_for("accessibility.reports"))
    page, per_page = page_args(50)
    reports = paginate(services.accessibility_reports(show_handled), page, per_page)
    return render_template(
        "accessibility/reports.html", reports=reports, show_handled=show_handled,
        open_count=services.open_accessibility_report_count(),
    )


register_staff_link(
    "administer", "accessibility.reports", _l("Tilgjengelighet"),
    services.open_accessibility_reports_query,
)
