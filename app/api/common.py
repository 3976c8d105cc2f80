"""What every API module uses: the checked body and query, the acting user, pagination."""

from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import NotAuthenticated
from app.core.pagination import page_args


def body() -> Any:
    """The request body, checked against the operation's model (app/api/openapi.py)."""
    return request.context.json


def query() -> Any:
    """The query arguments, checked against the operation's model."""
    return request.context.query


def sent(model: Any, name: str, default: Any) -> Any:
    """The field's value when the caller sent it (null included), else `default`: a PATCH
    changes only what is sent."""
    return getattr(model, name) if name in model.model_fields_set else default


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
