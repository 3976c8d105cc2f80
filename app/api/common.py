"""What every API module uses: the JSON body, the acting user, pagination, URLs."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import InvalidInput, NotAuthenticated
from app.core.pagination import page_args


def json_body() -> dict:
    """The request's JSON object; a clear 400-class error for anything else."""
    data = request.get_json(silent=True)
    if data is None and request.content_length:
        raise InvalidInput(_("Innholdet må være gyldig JSON."))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput(_("Innholdet må være et JSON-objekt."))
    return data


def acting_user():
    """The authenticated user (session cookie or bearer token); 401 otherwise."""
    if not current_user or not current_user.is_authenticated:
        raise NotAuthenticated(_("Logg inn, eller send en personlig API-nøkkel i Authorization-headeren."))
    return current_user._get_current_object()


def api_page_args() -> tuple[int, int]:
    return page_args(default_per_page=20, max_per_page=100)


def page_json(page, serialise) -> dict:
    return {
        "items": [serialise(item) for item in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }
