"""One place that turns errors into responses: HTML pages in the site's layout, JSON under /api/.

An error page must render whatever broke: the session is rolled back first, a database that
cannot be reached is answered 503 without touching it again, and if even the layout fails a
minimal built-in page is sent, always with the security headers.
"""

import logging

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import HTTPException, InternalServerError

from app.core import security
from app.core.errors import ServiceError
from app.extensions import db, login_manager

log = logging.getLogger("medvirk.errors")

_TITLES = {
    400: lambda: _("Noe var galt med forespørselen"),
    401: lambda: _("Du må logge inn"),
    403: lambda: _("Du har ikke tilgang til denne siden"),
    404: lambda: _("Vi fant ikke siden"),
    405: lambda: _("Dette går ikke an her"),
    409: lambda: _("Det lot seg ikke gjøre"),
    413: lambda: _("Filen er for stor"),
    422: lambda: _("Noe må rettes"),
    429: lambda: _("For mange forsøk"),
    500: lambda: _("Noe gikk galt hos oss"),
    503: lambda: _("Tjenesten er utilgjengelig akkurat nå"),
}

_EXPLANATIONS = {
    400: lambda: _("Forespørselen kunne ikke behandles. Gå tilbake og prøv igjen."),
    401: lambda: _("Logg inn for å fortsette."),
    403: lambda: _("Siden er bare for personer med en bestemt rolle. Logg inn med riktig konto, "
                   "eller kontakt kommunen hvis du mener du skal ha tilgang."),
    404: lambda: _("Siden finnes ikke, eller den er flyttet. Sjekk adressen, eller søk etter det du leter etter."),
    405: lambda: _("Handlingen kan ikke gjøres på denne adressen."),
    409: lambda: _("Handlingen passer ikke med det som allerede er gjort."),
    413: lambda: _("Det du sendte er større enn vi tar imot. Bilder kan være høyst 5 MB hver."),
    422: lambda: _("Noe av det du sendte må rettes."),
    429: lambda: _("Du har gjort dette mange ganger på kort tid. Vent litt, og prøv igjen."),
    500: lambda: _("Det er ikke din feil. Feilen er logget, og vi ser på den. Prøv igjen om litt."),
    503: lambda: _("Vi får ikke kontakt med databasen akkurat nå. Det er ikke din feil. Prøv igjen om litt."),
}

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
          429: "rate_limited", 500: "server_error", 503: "unavailable"}

# Seconds a client (or a load balancer) should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 30
_LOCALES = ("nb", "nn", "en")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str, code: str | None = None, fields: dict | None = None,
               headers: dict | None = None):
    body = {"error": {"code": code or _CODES.get(status, "error"), "message": message,
                      "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _render(status: int, message: str | None = None, headers: dict | None = None,
            database_down: bool = False):
    """The error response; never raises, whatever state the request was left in."""
    try:
        response = _build(status, message, headers, database_down)
    except Exception:  # last resort: a page with no translation, no layout, no database
        log.exception("The error response could not be built")
        response = make_response(_MINIMAL_PAGE.format(
            lang="nb", title=status, explanation="Medvirk", status=status), status)
        for key, value in (headers or {}).items():
            response.headers[key] = value
    if status >= 500:
        response.headers["Cache-Control"] = "no-store"
    return security.apply_headers(response)


def _build(status: int, message: str | None, headers: dict | None, database_down: bool):
    fallback_locale = _request_locale()  # read before the rollback expires the person's row
    _rollback()
    if database_down:
        # The user loader and every context processor would ask the database again (and wait
        # for the connect timeout each time): render for an anonymous visitor instead.
        g._login_user = login_manager.anonymous_user()
        locale = fallback_locale
    else:
        locale = _selected_locale(fallback_locale)
    with force_locale(locale):
        status_key = status if status in _TITLES else (500 if status >= 500 else 400)
        explanation = message or _EXPLANATIONS[status_key]()
        if status == 503 and request.method not in ("GET", "HEAD"):
            explanation += " " + _(
                "Det du sendte, er ikke lagret. Gå tilbake med nettleserens tilbakeknapp: der "
                "står det du skrev fortsatt, og du kan sende det på nytt om litt."
            )
        if wants_json():
            response = json_error(status, explanation, headers=headers)
        else:
            response = _html(status, _TITLES[status_key](), explanation, headers)
    return response


def _html(status: int, title: str, explanation: str, headers: dict | None):
    try:
        html = render_template("errors/error.html", status=status, title=title, explanation=explanation)
    except Exception:
        log.exception("The error page failed to render; trying again without the person")
        _rollback()
        g._login_user = login_manager.anonymous_user()
        try:
            html = render_template("errors/error.html", status=status, title=title, explanation=explanation)
        except Exception:
            log.exception("The error page failed to render; sending the built-in page")
            html = _MINIMAL_PAGE.format(
                lang=escape(str(g.get("_error_locale", "nb"))), title=escape(title),
                explanation=escape(explanation), status=status,
            )
    response = make_response(html, status)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


_MINIMAL_PAGE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} \u2013 Medvirk</title></head>
<body><main><h1>{title}</h1><p>{explanation}</p><p>{status}</p><p><a href="/">Medvirk</a></p></main></body>
</html>
"""


def _rollback() -> None:
    """End the failed transaction so the page can read the database again (when it is up)."""
    try:
        db.session.rollback()
    except Exception:  # a connection that is gone cannot even roll back; it is discarded
        log.warning("Rolling back after an error failed", exc_info=True)


def _selected_locale(fallback: str) -> str:
    """The language the site would choose (profile first), or `fallback` if that fails."""
    try:
        return _remember_locale(str(get_locale() or fallback))
    except Exception:
        log.warning("Could not read the person's language for an error page", exc_info=True)
        _rollback()
        return _remember_locale(fallback)


def _request_locale() -> str:
    """The person's language without asking the database (which may be what failed)."""
    try:
        requested = request.args.get("lang")
        if requested in _LOCALES:
            return _remember_locale(requested)
        user = g.get("_login_user")
        if user is not None and not getattr(user, "is_anonymous", True):
            # Only what is already loaded: an expired attribute would be a query.
            loaded = sa_inspect(user).dict.get("locale")
            if loaded in _LOCALES:
                return _remember_locale(loaded)
        cookie = request.cookies.get("lang")
        if cookie in _LOCALES:
            return _remember_locale(cookie)
        best = request.accept_languages.best_match([*_LOCALES, "no"])
        if best:
            return _remember_locale("nb" if best == "no" else best)
    except Exception:
        log.warning("Could not tell the language of an error page", exc_info=True)
    return _remember_locale(current_app.config.get("DEFAULT_LOCALE") or "nb")


def _remember_locale(code: str) -> str:
    g._error_locale = code
    return code


def _http_error(error: HTTPException):
    status = error.code or 500
    headers = {}
    if status == 429:
        retry = getattr(error, "retry_after", None)
        headers["Retry-After"] = str(retry or 60)
    message = None
    if status == 400 and isinstance(error, CSRFError):
        message = _("Skjemaet var utløpt eller manglet sikkerhetsnøkkel. Last siden på nytt og prøv igjen.")
    return _render(status, message, headers)


def _service_error(error: ServiceError):
    if wants_json():
        return json_error(error.status_code, error.message, error.code, error.fields)
    return _render(error.status_code, error.message)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether an error means the database cannot be reached or did not answer in time."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)):
        # OperationalError: refused or lost connections, the connect and statement timeouts,
        # PostgreSQL shutting down, SQLite's "database is locked"; TimeoutError: the pool.
        return True
    return isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated


# PostgreSQL's deadlock_detected and serialization_failure: two requests met on the same rows.
# The database is fine and one of them won; the other is told to try again, not "we are down".
_CONFLICT_STATES = {"40P01", "40001"}


def _database_error(error: Exception):
    if getattr(getattr(error, "orig", None), "sqlstate", None) in _CONFLICT_STATES:
        log.warning("Concurrent update conflict on %s %s", request.method, request.path)
        return _render(409, _("Noen andre endret det samme i samme øyeblikk. Last siden på nytt og prøv igjen."))
    if not database_unavailable(error):
        return _unexpected(error)
    log.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
    return _render(503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}, database_down=True)


def _unexpected(error: Exception):
    original = getattr(error, "original_exception", None)
    if database_unavailable(original):
        # Raised while another error was being answered (a 404 page asking for the user).
        return _database_error(original)
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return _render(500)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(sa_exc.DBAPIError, _database_error)
    app.register_error_handler(sa_exc.TimeoutError, _database_error)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
