"""Site-wide pages: health check, accessibility statement (and problem reports), privacy."""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.decorators import require
from app.core import bp, health, services
from app.core.errorpages import RETRY_AFTER_SECONDS
from app.core.urls import absolute
from app.core.errors import ServiceError
from app.core.forms import AccessibilityReportForm, apply_errors
from app.core.navigation import register_staff_link
from app.core.pagination import page_args, paginate
from app.extensions import limiter


@bp.route("/healthz")
def healthz():
    # The benchmark floor: no database, no template.
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/readyz")
def readyz():
    # Readiness, for load balancers: 503 while the database (or Redis, when configured) cannot
    # be reached, so traffic goes elsewhere; /healthz (liveness) stays 200 and no restart follows.
    checks = health.readiness()
    ready = all(state in ("ok", "not configured") for state in checks.values())
    response = jsonify(status="ok" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    if not ready:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@bp.route("/.well-known/security.txt")
def security_txt():
    # RFC 9116. Without SECURITY_CONTACT there is nobody to name (MAIL_FROM is a no-reply
    # address), and a security.txt without a Contact is invalid: 404.
    body = health.security_txt(absolute(url_for("core.security_txt")))
    if body is None:
        abort(404)
    return body, 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "max-age=86400"}


def _referring_page() -> str:
    """The page the person came from, when it is on this site: the likely place of the problem."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if not referrer or parts.netloc != request.host or parts.path == request.path:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/accessibility", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ACCESSIBILITY_REPORT"], methods=["POST"])
def accessibility():
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
            return redirect(url_for("core.accessibility"))
    return render_template(
        "core/accessibility.html",
        form=form,
        statement_url=current_app.config["ACCESSIBILITY_STATEMENT_URL"],
        statement_text=current_app.config["ACCESSIBILITY_STATEMENT_TEXT"],
    )


@bp.route("/privacy")
def privacy():
    return render_template("core/privacy.html", privacy_text=current_app.config["PRIVACY_TEXT"])


@bp.route("/admin/accessibility-reports", methods=["GET", "POST"])
@require("administer")
def accessibility_reports():
    show_handled = request.args.get("show") == "handled"
    if request.method == "POST":
        try:
            services.mark_accessibility_report_handled(current_user, int(request.form.get("report_id", 0)))
        except ValueError:
            abort(404)
        except ServiceError as error:
            flash(error.message, "danger")
        else:
            flash(_("Meldingen er markert som behandlet."), "success")
        return redirect(url_for("core.accessibility_reports"))
    page, per_page = page_args(50)
    reports = paginate(services.accessibility_reports(show_handled), page, per_page)
    return render_template(
        "core/accessibility_reports.html", reports=reports, show_handled=show_handled,
        open_count=services.open_accessibility_report_count(),
    )


register_staff_link(
    "administer", "core.accessibility_reports", _l("Tilgjengelighet"),
    services.open_accessibility_report_count,
)
