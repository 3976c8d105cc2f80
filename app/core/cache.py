"""A short-lived cache for aggregates that would otherwise read whole tables.

A page should cost what it shows, but "how many ideas under each filter option" and the site's
totals are counts over every row. They are kept here for COUNT_CACHE_SECONDS, under a topic.
A commit that changes what a topic counts moves the topic to a new generation, so the person
who just posted sees their idea counted on the very next page:

- with REDIS_URL (production: several workers, several hosts) values and generations live in
  Redis, shared by every worker, as DESIGN.md has it;
- without it (development, the embedded SQLite set-up) they live in this process.

A value computed while a commit moved its topic on is stored under the old generation and
never read. If Redis cannot be reached, the counts are kept per process until it is back
(one warning in the log per outage).

    remember("ideas", ("facets", key), compute)
    watch(Idea, "ideas", ignore={"vote_count"})   # a new generation when an Idea row changes
"""

import hashlib
import logging
import pickle
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

import redis
from cachetools import TTLCache
from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

log = logging.getLogger("medvirk.cache")

_STATE_KEY = "medvirk.cache"
_PENDING = "medvirk.cache.pending"
_WATCHED: dict[type, list[tuple[str, frozenset[str]]]] = {}
_MISSING = object()
T = TypeVar("T")
STALE_FACTOR = 10
# Brief byte values kept in one process (no Redis, or Redis down): at most this many bytes.
BRIEF_BYTES = 8 * 1024 * 1024
_EVERY: set[str] = set()


class _MemoryStore:
    """One process: a TTL cache and a generation counter per topic."""

    def __init__(self, seconds: float, size: int):
        self.seconds = seconds
        self.lock = threading.Lock()
        # Kept STALE_FACTOR times as long as they are fresh: a stale one is served while a
        # thread counts afresh (see remember()).
        self.entries: TTLCache = TTLCache(maxsize=size, ttl=seconds * STALE_FACTOR)
        self.generations: dict[str, int] = {}
        self.refreshing: set = set()
        # Whole values kept briefly (rendered pages, app/core/pagecache.py): bounded in bytes.
        self.brief: TTLCache = TTLCache(
            maxsize=BRIEF_BYTES, ttl=max(seconds, 1), getsizeof=lambda entry: len(entry[1]) + 100,
        )

    def claim(self, key) -> bool:
        with self.lock:
            if key in self.refreshing:
                return False
            self.refreshing.add(key)
            return True

    def release(self, key) -> None:
        with self.lock:
            self.refreshing.discard(key)

    def generation(self, topic: str) -> int:
        with self.lock:
            return self.generations.get(topic, 0)

    def get(self, key):
        with self.lock:
            return self.entries.get(key, _MISSING)

    def set(self, key, value) -> None:
        with self.lock:
            self.entries[key] = value

    def get_bytes(self, key) -> bytes | None:
        with self.lock:
            expires, data = self.brief.get(key, (0.0, None))
        return data if expires > time.time() else None

    def set_bytes(self, key, data: bytes, seconds: float) -> None:
        if len(data) + 100 > BRIEF_BYTES:
            return
        with self.lock:
            self.brief[key] = (time.time() + seconds, data)

    def bump(self, topics: Iterable[str]) -> None:
        with self.lock:
            for topic in topics:
                self.generations[topic] = self.generations.get(topic, 0) + 1

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.brief.clear()
            self.generations = {t: n + 1 for t, n in self.generations.items()}


class _RedisStore:
    """Every worker: values (pickled; only this app writes them) and generations in Redis.

    Keys carry a hash of the database URL, so two sites (or the benchmark's databases) on one
    Redis never read each other's counts. While Redis cannot be reached the counts live in this
    process (one warning per outage, Redis tried again every RETRY_SECONDS); when it answers
    again every topic moves to a new generation, since commits made meanwhile told no one.
    """

    RETRY_SECONDS = 5.0

    def __init__(self, seconds: float, url: str, database_url: str, size: int = 2048):
        self.seconds = seconds
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = "medvirk:counts:" + hashlib.sha1(database_url.encode()).hexdigest()[:10]
        self.local = _MemoryStore(seconds, size)
        self.refreshing = self.local.refreshing
        self._down_until: float | None = None
        self._lock = threading.Lock()

    def _use(self, shared: Callable[[], T], local: Callable[[], T]) -> T:
        """Run `shared` against Redis, or `local` while Redis is down."""
        if self._down_until is not None and time.monotonic() < self._down_until:
            return local()
        try:
            result = shared()
        except redis.RedisError as error:
            self._failed(error)
            return local()
        if self._down_until is not None:
            self._recovered()
        return result

    def _failed(self, error: Exception) -> None:
        with self._lock:
            first = self._down_until is None
            self._down_until = time.monotonic() + self.RETRY_SECONDS
        if first:
            log.warning("count cache: Redis unavailable, counting per process until it is back (%s)", error)
            self.local.clear()  # nothing kept from an earlier outage is current

    def _recovered(self) -> None:
        with self._lock:
            if self._down_until is None:
                return
            self._down_until = None
        log.info("count cache: Redis is back; counts are shared again")
        self.clear()

    def generation(self, topic: str) -> int:
        return self._use(
            lambda: int(self.client.get(f"{self.prefix}:gen:{topic}") or 0),
            lambda: self.local.generation(topic),
        )

    def get(self, key):
        raw = self._use(lambda: self.client.get(self._key(key)), lambda: self.local.get(key))
        if raw is None:
            return _MISSING
        if not isinstance(raw, bytes):  # from the local store
            return raw
        try:
            return pickle.loads(raw)
        except Exception:  # written by an older release whose classes have changed: count again
            return _MISSING

    def set(self, key, value) -> None:
        self._use(
            lambda: self.client.set(self._key(key), pickle.dumps(value), ex=max(1, int(self.seconds * STALE_FACTOR))),
            lambda: self.local.set(key, value),
        )

    def get_bytes(self, key) -> bytes | None:
        return self._use(lambda: self.client.get(self._key(key)), lambda: self.local.get_bytes(key))

    def set_bytes(self, key, data: bytes, seconds: float) -> None:
        self._use(
            lambda: self.client.set(self._key(key), data, px=max(1, int(seconds * 1000))),
            lambda: self.local.set_bytes(key, data, seconds),
        )

    def claim(self, key) -> bool:
        """One worker (of all) recounts a stale entry: a short-lived lock key in Redis."""
        return self._use(
            lambda: bool(self.client.set(self._key(key) + ":refresh", 1, nx=True, ex=max(5, int(self.seconds)))),
            lambda: self.local.claim(key),
        )

    def release(self, key) -> None:
        self.local.release(key)
        self._use(lambda: self.client.delete(self._key(key) + ":refresh"), lambda: None)

    def bump(self, topics: Iterable[str]) -> None:
        topics = list(topics)

        def shared() -> None:
            with self.client.pipeline(transaction=False) as pipe:
                for topic in topics:
                    pipe.incr(f"{self.prefix}:gen:{topic}")
                pipe.execute()

        self._use(shared, lambda: self.local.bump(topics))

    def clear(self) -> None:
        topics = {t for entries in _WATCHED.values() for t, _ in entries} | _EVERY

        def shared() -> None:
            found = {name.decode().rsplit(":", 1)[1] for name in self.client.scan_iter(f"{self.prefix}:gen:*")}
            with self.client.pipeline(transaction=False) as pipe:
                for topic in topics | found:
                    pipe.incr(f"{self.prefix}:gen:{topic}")
                pipe.execute()

        self._use(shared, self.local.clear)

    def _key(self, key) -> str:
        return f"{self.prefix}:v:" + hashlib.sha1(repr(key).encode()).hexdigest()


def init_app(app) -> None:
    seconds = float(app.config.get("COUNT_CACHE_SECONDS", 60))
    url = app.config.get("REDIS_URL") or ""
    if url:
        store = _RedisStore(
            seconds, url, str(app.config.get("SQLALCHEMY_DATABASE_URI", "")),
            int(app.config.get("COUNT_CACHE_SIZE", 2048)),
        )
    else:
        store = _MemoryStore(seconds, int(app.config.get("COUNT_CACHE_SIZE", 2048)))
    app.extensions[_STATE_KEY] = store


def _store():
    if not has_app_context():
        return None
    store = current_app.extensions.get(_STATE_KEY)
    return store if store is not None and store.seconds > 0 else None


def remember(topic: str, key: Hashable, compute: Callable[[], T], *, background: bool = False) -> T:
    """The cached value for (topic, key) in the topic's current generation, or compute it.

    A value older than COUNT_CACHE_SECONDS (but of the current generation: nothing it counts
    has changed through the app) is stale. With `background`, it is served as it is while one
    thread, in one worker, counts afresh, so no visitor waits for a count over every row; the
    compute function must then use nothing from the request (no ORM objects, no viewer).
    Without it, the request that finds it stale counts.
    """
    store = _store()
    if store is None:
        return compute()
    generation = store.generation(topic)
    full_key = (topic, generation, key)
    entry = store.get(full_key)
    if entry is not _MISSING:
        value, stored_at = entry
        if time.time() - stored_at < store.seconds:
            return value
        if background:
            if store.claim(full_key):
                _refresh_in_background(store, full_key, compute)
            return value
    value = compute()
    store.set(full_key, (value, time.time()))
    return value


def _refresh_in_background(store, full_key, compute) -> None:
    app = current_app._get_current_object()

    def run() -> None:
        try:
            with app.app_context():
                value = compute()
                store.set(full_key, (value, time.time()))
        except Exception:
            log.exception("count cache: counting %r afresh failed; the stale value stays", full_key[0])
        finally:
            store.release(full_key)

    threading.Thread(target=run, name="medvirk-count-refresh", daemon=True).start()


def refreshing() -> bool:
    """Whether a background count is still running in this process (for tests)."""
    store = _store()
    return bool(store is not None and getattr(store, "refreshing", None))


def forget(*topics: str) -> None:
    """Start a new generation of the topics (of every topic when none is given)."""
    store = _store()
    if store is None:
        return
    if topics:
        store.bump(topics)
    else:
        store.clear()


def slot(topic: str, key: Hashable) -> tuple | None:
    """Where a brief value for (topic, key) lives in the topic's generation as of now.

    Take the slot before working the value out and keep it under that slot: a commit that
    moves the topic on meanwhile leaves it where no one reads it. None when the cache is off.
    """
    store = _store()
    if store is None:
        return None
    return (topic, store.generation(topic), key)


def read_bytes(where: tuple | None) -> bytes | None:
    """The bytes kept at a slot(), if they are there and younger than they were kept for."""
    store = _store()
    if where is None or store is None:
        return None
    data = store.get_bytes(where)
    return data if isinstance(data, bytes) else None


def keep_bytes(where: tuple | None, data: bytes, seconds: float) -> None:
    """Keep bytes at a slot() for `seconds` (in Redis when it is there, shared by every worker)."""
    store = _store()
    if where is not None and store is not None and seconds > 0:
        store.set_bytes(where, data, seconds)


def watch_every(topic: str) -> None:
    """Forget `topic` after any commit that writes anything through the session."""
    _EVERY.add(topic)


def watch(model: type, topic: str, ignore: Iterable[str] = ()) -> None:
    """Forget `topic` after a commit that adds, deletes or changes a `model` row.

    Changes only to the `ignore` attributes (e.g. counters kept for display) do not count.
    INSERT/UPDATE/DELETE statements through the session on the model or its table count too.
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


def wrote(session, model: type) -> None:
    """A write of `model` rows the session's events cannot see (Core on the session's own
    connection): its topics, and every-write topics, move on when the session commits."""
    topics = set(_EVERY)
    for cls in model.__mro__:
        topics |= {topic for topic, _ignore in _WATCHED.get(cls, ())}
    if topics:
        session.info.setdefault(_PENDING, set()).update(topics)


@event.listens_for(Session, "after_flush")
def _collect(session, _context):
    if not (_WATCHED or _EVERY):
        return
    pending = session.info.setdefault(_PENDING, set())
    if _EVERY and (session.new or session.deleted or session.dirty):
        pending |= _EVERY
    for obj in session.new:
        pending |= _topics_for(obj, changed=False)
    for obj in session.deleted:
        pending |= _topics_for(obj, changed=False)
    for obj in session.dirty:
        pending |= _topics_for(obj, changed=True)


@event.listens_for(Session, "do_orm_execute")
def _collect_statement(state):
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if _EVERY:
        state.session.info.setdefault(_PENDING, set()).update(_EVERY)
    if state.bind_mapper is not None:
        model = state.bind_mapper.class_
    else:
        # A statement on the Table (delete(Model.__table__), a cascade written by hand) is the
        # watched model's change all the same.
        table = getattr(state.statement, "table", None)
        model = next((cls for cls in _WATCHED if getattr(cls, "__table__", None) is table), None) \
            if table is not None else None
        if model is None:
            return
    # The columns an UPDATE sets; an INSERT or a DELETE (or a form we cannot read) changes everything.
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


@event.listens_for(Session, "after_soft_rollback")
def _discard(session, previous_transaction):
    # A savepoint rolled back leaves what the transaction wrote before it (after_rollback
    # fires for savepoints too): forget the topics only with the whole transaction.
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
