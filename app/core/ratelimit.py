"""Abuse limits as one decorator: a budget per person and a wider one per address, from config.

    from app.core.ratelimit import limit

    @bp.route("/ideas/new", methods=["GET", "POST"])
    @limit("RATELIMIT_IDEAS")
    @login_required
    def create(): ...

`limit("RATELIMIT_X")` reads the limit strings RATELIMIT_X (per person: the user id when
logged in, else the address) and RATELIMIT_X_PER_ADDRESS (per address) from app.config at
request time, e.g. "5 per hour;20 per day". Every view carrying the same key shares one
budget, so the page and the API way of doing the same thing count together. Only writes
(POST, PUT, PATCH, DELETE) count unless `methods` says otherwise; with
`only_when=succeeded`, only requests that did something (201, or a redirect after a form)
count, so a form sent back with a mistake costs nothing. A breach answers 429 with
Retry-After: the friendly page, or JSON under /api/ (app/core/errorpages.py).
Storage is Redis when REDIS_URL is set, so the limits hold across gunicorn workers.
"""

from collections.abc import Callable

from flask import Blueprint, current_app, g
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import limiter

WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]
ADDRESS_SUFFIX = "_PER_ADDRESS"


def person_or_address() -> str:
    """The rate-limit key of the person: their user id when logged in, else their address."""
    try:
        if current_user and getattr(current_user, "is_authenticated", False):
            return f"user:{current_user.id}"
    except SQLAlchemyError as error:
        # The person cannot be looked up (the database is down). Raising here would make the
        # limiter take its own storage for dead and log a trace; the next request hook raises
        # it instead, and the error page answers 503.
        g.database_error = error
    return f"addr:{get_remote_address()}"


def address() -> str:
    return f"addr:{get_remote_address()}"


SUCCEEDED = frozenset({201, 302, 303})


def succeeded(response) -> bool:
    """Whether a write went through: created (API) or redirected (a form's success)."""
    return response.status_code in SUCCEEDED


def _config_value(key: str) -> Callable[[], str]:
    return lambda: current_app.config.get(key) or ""


def _unset(key: str) -> Callable[[], bool]:
    # An empty setting switches that limit off rather than failing to parse.
    return lambda: not current_app.config.get(key)


def _limits(config_key: str, methods: list[str] | None, only_when: Callable | None = None):
    address_key = config_key + ADDRESS_SUFFIX
    return (
        limiter.shared_limit(
            _config_value(config_key), scope=config_key, key_func=person_or_address,
            methods=methods, exempt_when=_unset(config_key), deduct_when=only_when,
            override_defaults=False,
        ),
        limiter.shared_limit(
            _config_value(address_key), scope=address_key, key_func=address,
            methods=methods, exempt_when=_unset(address_key), deduct_when=only_when,
            override_defaults=False,
        ),
    )


def limit(config_key: str, methods: list[str] | None = WRITE_METHODS, only_when: Callable | None = None):
    """Decorate a view with the per-person and per-address limits named by `config_key`.

    Put it under @bp.route and above @login_required. methods=None counts every request;
    only_when(response) -> bool counts only the responses it accepts (e.g. `succeeded`).
    """
    per_person, per_address = _limits(config_key, methods, only_when)

    def decorator(view):
        return per_person(per_address(view))

    return decorator


def limit_blueprint(blueprint: Blueprint, config_key: str, methods: list[str] | None = None) -> None:
    """The same two limits over every view of a blueprint (the JSON API), one shared budget."""
    per_person, per_address = _limits(config_key, methods)
    per_person(blueprint)
    per_address(blueprint)
