"""The rate limit on posting comments: RATELIMIT_COMMENTS per person, RATELIMIT_COMMENTS_PER_ADDRESS.

The same budget (and keys) as app.core.ratelimit.limit("RATELIMIT_COMMENTS"), shared by the
page and the API, but only a comment that is actually published counts: a form sent back
with a mistake, or a refused duplicate, costs nothing.
"""

from flask import current_app

from app.core.ratelimit import address, person_or_address
from app.extensions import limiter

KEY = "RATELIMIT_COMMENTS"
PUBLISHED = frozenset({201, 302, 303})


def _value(key: str):
    return lambda: current_app.config.get(key) or ""


def _unset(key: str):
    return lambda: not current_app.config.get(key)


def _published(response) -> bool:
    return response.status_code in PUBLISHED


def _shared(key: str, key_func):
    return limiter.shared_limit(
        _value(key), scope=key, key_func=key_func, methods=["POST"],
        exempt_when=_unset(key), deduct_when=_published, override_defaults=False,
    )


def post_comment_limit(view):
    per_person = _shared(KEY, person_or_address)
    per_address = _shared(KEY + "_PER_ADDRESS", address)
    return per_person(per_address(view))
