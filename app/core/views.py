"""Site-wide pages that belong to no domain: health checks and security.txt."""

from flask import abort, jsonify, url_for

from app.core import bp, health
from app.core.errorpages import RETRY_AFTER_SECONDS
from app.core.urls import absolute


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
