"""Short-lived per-worker cache for aggregates that would otherwise read whole tables.

A page should cost what it shows, but "how many ideas under each filter option" and the site's
totals are counts over every row. They are kept here for COUNT_CACHE_SECONDS, under a topic.
A commit in this worker that changes what a topic counts forgets the topic at once (the person
who just posted sees their idea counted); other workers catch up within the time limit.

    remember("ideas", ("facets", key), compute)
    watch(Idea, "ideas", ignore={"vote_count"})   # forget "ideas" when an Idea row changes
"""

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from cachetools import TTLCache
from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

_STATE_KEY = "medvirk.cache"
_PENDING = "medvirk.cache.pending"
_WATCHED: dict[type, list[tuple[str, frozenset[str]]]] = {}
T = TypeVar("T")


class _Store:
    def __init__(self, seconds: float, size: int):
        self.lock = threading.Lock()
        self.seconds = seconds
        self.entries: TTLCache = TTLCache(maxsize=size, ttl=seconds)


def init_app(app) -> None:
    app.extensions[_STATE_KEY] = _Store(
        float(app.config.get("COUNT_CACHE_SECONDS", 60)), int(app.config.get("COUNT_CACHE_SIZE", 2048))
    )


def _store() -> _Store | None:
    if not has_app_context():
        return None
    store = current_app.extensions.get(_STATE_KEY)
    return store if store is not None and store.seconds > 0 else None


def remember(topic: str, key: Hashable, compute: Callable[[], T]) -> T:
    """The cached value for (topic, key), computed (outside the lock) when missing or stale."""
    store = _store()
    if store is None:
        return compute()
    full_key = (topic, key)
    with store.lock:
        if full_key in store.entries:
            return store.entries[full_key]
    value = compute()
    with store.lock:
        store.entries[full_key] = value
    return value


def forget(*topics: str) -> None:
    """Drop the topics' entries (every entry when no topic is given)."""
    store = _store()
    if store is None:
        return
    with store.lock:
        if not topics:
            store.entries.clear()
            return
        for key in [k for k in store.entries if k[0] in topics]:
            del store.entries[key]


def watch(model: type, topic: str, ignore: Iterable[str] = ()) -> None:
    """Forget `topic` after a commit that adds, deletes or changes a `model` row.

    Changes only to the `ignore` attributes (e.g. counters kept for display) do not count.
    ORM UPDATE/DELETE statements on the model count too.
    """
    entries = _WATCHED.setdefault(model, [])
    if not any(t == topic for t, _ in entries):
        entries.append((topic, frozenset(ignore)))


def _topics_for(obj, changed: bool) -> set[str]:
    topics = set()
    for cls in type(obj).__mro__:
        for topic, ignore in _WATCHED.get(cls, ()):
            if not changed:
                topics.add(topic)
                continue
            state = inspect(obj)
            if any(
                attr.key not in ignore and attr.history.has_changes() for attr in state.attrs
            ):
                topics.add(topic)
    return topics


@event.listens_for(Session, "after_flush")
def _collect(session, _context):
    if not _WATCHED:
        return
    pending = session.info.setdefault(_PENDING, set())
    for obj in session.new:
        pending |= _topics_for(obj, changed=False)
    for obj in session.deleted:
        pending |= _topics_for(obj, changed=False)
    for obj in session.dirty:
        pending |= _topics_for(obj, changed=True)


@event.listens_for(Session, "do_orm_execute")
def _collect_statement(state):
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    # The columns an UPDATE sets; a DELETE (or a form we cannot read) changes everything.
    values = getattr(state.statement, "_values", None) if state.is_update else None
    columns = {getattr(k, "key", str(k)) for k in values} if values else None
    topics = set()
    for cls in model.__mro__:
        topics |= {
            topic for topic, ignore in _WATCHED.get(cls, ())
            if columns is None or not columns <= ignore
        }
    if topics:
        state.session.info.setdefault(_PENDING, set()).update(topics)


@event.listens_for(Session, "after_commit")
def _forget_committed(session):
    topics = session.info.pop(_PENDING, None)
    if topics:
        forget(*topics)


@event.listens_for(Session, "after_rollback")
def _discard(session):
    session.info.pop(_PENDING, None)
