"""Rate limits on proposing: counted only when an idea is actually published.

Same budget (scope RATELIMIT_IDEAS, per person and per address) as app.core.ratelimit.limit,
but a form sent back with mistakes, or the similar-ideas step, costs nothing. Pictures stored
before publishing have a budget of their own, derived from the same settings.
"""

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from app.core.ratelimit import address, person_or_address
from app.extensions import limiter
from app.ideas.images import MAX_IMAGES

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


# --- staged pictures ------------------------------------------------------------------------------
# A picture is stored the moment it is sent (so the similar-ideas step and a form sent back
# with mistakes need not ask for it again), long before anything is published. Its budget
# follows the idea budget: as many pictures as the ideas one may publish could carry.

STAGING_SCOPE = "IDEA_IMAGES"
# Used only while the shared storage (Redis) cannot be reached: limits per process, not none.
_fallback = FixedWindowRateLimiter(MemoryStorage())


def _staging_items(config_key: str) -> list[RateLimitItem]:
    value = current_app.config.get(config_key)
    if not value:
        return []
    return [type(item)(item.amount * MAX_IMAGES, item.multiples, item.namespace) for item in parse_many(value)]


def take_staging_slot() -> bool:
    """Count one picture stored before publishing; False when the person or address is over budget.

    The budget is MAX_IMAGES × RATELIMIT_IDEAS per person and MAX_IMAGES ×
    RATELIMIT_IDEAS_PER_ADDRESS per address, in the rate-limit storage (Redis when
    configured, so every worker shares it).
    """
    if not limiter.enabled:
        return True
    budgets = [
        (item, person_or_address()) for item in _staging_items("RATELIMIT_IDEAS")
    ] + [(item, address()) for item in _staging_items("RATELIMIT_IDEAS_PER_ADDRESS")]
    allowed = True
    for item, key in budgets:
        try:
            allowed = limiter.limiter.hit(item, STAGING_SCOPE, key) and allowed
        except Exception:  # any storage failure: the upload must not fail for it
            current_app.logger.warning("Rate-limit storage unreachable: staged pictures limited per process")
            allowed = _fallback.hit(item, STAGING_SCOPE, key) and allowed
    return allowed
