"""One place that turns errors into responses: HTML pages in the site's layout, JSON under /api/."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.core.errors import ServiceError

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
}

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
          429: "rate_limited", 500: "server_error"}


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


def _render(status: int, message: str | None = None, headers: dict | None = None):
    status_key = status if status in _TITLES else (500 if status >= 500 else 400)
    if wants_json():
        return json_error(status, message or _EXPLANATIONS[status_key](), headers=headers)
    title = _TITLES[status_key]()
    html = render_template(
        "errors/error.html", status=status, title=title,
        explanation=message or _EXPLANATIONS[status_key](),
    )
    return html, status, headers or {}


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


def _unexpected(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return _render(500)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
