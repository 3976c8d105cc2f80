"""Rate limits on proposing: counted only when an idea is actually published.

Same budget (scope RATELIMIT_IDEAS, per person and per address) as app.core.ratelimit.limit,
but a form sent back with mistakes, or the similar-ideas step, costs nothing.
"""

from flask import current_app

from app.core.ratelimit import address, person_or_address
from app.extensions import limiter

PUBLISHED = frozenset({201, 302, 303})


def _value(key: str):
    return lambda: current_app.config.get(key) or ""


def _unset(key: str):
    return lambda: not current_app.config.get(key)


def _published(response) -> bool:
    return response.status_code in PUBLISHED


def publish_limit(view):
    key = "RATELIMIT_IDEAS"
    per_person = limiter.shared_limit(
        _value(key), scope=key, key_func=person_or_address, methods=["POST"],
        exempt_when=_unset(key), deduct_when=_published, override_defaults=False,
    )
    per_address = limiter.shared_limit(
        _value(key + "_PER_ADDRESS"), scope=key + "_PER_ADDRESS", key_func=address, methods=["POST"],
        exempt_when=_unset(key + "_PER_ADDRESS"), deduct_when=_published, override_defaults=False,
    )
    return per_person(per_address(view))
