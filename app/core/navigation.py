"""The staff menu: each domain registers its screens here, with an optional waiting count.

A count is either a number (a function that counts for itself, e.g. from the counts cache) or
a one-column count query (a `Select`). The menu runs every count query of a request as one
statement, together with the counts registered with `register_menu_count` (the unread
notices), so the menu costs one statement on every page however many badges it shows. The
counts are kept per person until the next write anywhere (or PAGE_CACHE_SECONDS, for what
moves with the clock), so a page after the first costs the menu no statement.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, has_request_context, request
from sqlalchemy import Select, select

from app.core import cache
from app.core.pagecache import TOPIC as ANY_WRITE
from app.extensions import db


@dataclass(frozen=True)
class StaffLink:
    capability: str
    endpoint: str
    label: object  # a lazy string
    count: Callable | None = None  # count(user) -> int, or a count query (Select)


STAFF_NAV: list[StaffLink] = []
MENU_COUNTS: dict[str, Callable] = {}  # name -> query(user): a Select of one count
# Which links a user sees: set by the app (it knows the permissions); no one by default.
_shown: list[Callable] = [lambda user, link: False]


def register_staff_link(capability: str, endpoint: str, label, count: Callable | None = None) -> None:
    if all(link.endpoint != endpoint for link in STAFF_NAV):
        STAFF_NAV.append(StaffLink(capability, endpoint, label, count))


def register_menu_count(name: str, query: Callable) -> None:
    """A count in the menu of every signed-in person (not only staff), e.g. unread notices."""
    MENU_COUNTS[name] = query


def show_links_when(shown: Callable) -> None:
    """shown(user, link) -> bool: whether the user's menu has the link."""
    _shown[0] = shown


def staff_menu(user) -> list[tuple[str, object, int | None]]:
    """(endpoint, label, waiting count or None) of the user's staff links."""
    links, counts = _menu(user)
    return [(link.endpoint, link.label, counts.get(link.endpoint)) for link in links]


def menu_count(user, name: str) -> int:
    """A count registered with register_menu_count, counted with the rest of the menu."""
    return _menu(user)[1].get(name, 0)


def _menu(user) -> tuple[list[StaffLink], dict[str, int]]:
    cached = g.get("_staff_menu")
    if cached is not None and cached[0] is user:
        return cached[1]
    links = [link for link in STAFF_NAV if _shown[0](user, link)]
    counts = _kept_counts(user, links)
    g._staff_menu = (user, (links, counts))
    return links, counts


def _kept_counts(user, links: list[StaffLink]) -> dict[str, int]:
    """The menu's counts, kept per person with the public pages (PAGE_CACHE_SECONDS, until the
    next write anywhere); counted afresh in a request that writes, which may count what it
    rolls back."""
    seconds = float(current_app.config.get("PAGE_CACHE_SECONDS") or 0)
    if seconds <= 0 or not has_request_context() or request.method not in ("GET", "HEAD"):
        return _count(user, links)
    where = cache.slot(ANY_WRITE, ("menu", user.id, tuple(link.endpoint for link in links)))
    data = cache.read_bytes(where)
    if data is not None:
        try:
            kept = json.loads(data)
            if isinstance(kept, dict) and all(isinstance(v, int) for v in kept.values()):
                return kept
        except ValueError:  # written in another shape: counted afresh
            pass
    counts = _count(user, links)
    cache.keep_bytes(where, json.dumps(counts).encode(), seconds)
    return counts


def _count(user, links: list[StaffLink]) -> dict[str, int]:
    counts: dict[str, int] = {}
    queries: dict[str, Select] = {name: query(user) for name, query in MENU_COUNTS.items()}
    for link in links:
        if link.count is None:
            continue
        value = link.count(user)
        if isinstance(value, Select):
            queries[link.endpoint] = value
        else:
            counts[link.endpoint] = int(value or 0)
    if queries:
        names = list(queries)
        row = db.session.execute(
            select(*(queries[name].scalar_subquery().label(f"c{n}") for n, name in enumerate(names)))
        ).one()
        counts.update({name: int(value or 0) for name, value in zip(names, row, strict=True)})
    return counts
