"""Fixtures for the performance tests: count_queries() and a database seeded by bench/seed.py."""

from contextlib import contextmanager

import pytest

from app import create_app
from app.core import cache
from app.extensions import db
from bench.querycount import QueryLog, count_queries
from bench.seed import SeedSpec, reset_data, seed
from tests.factories import _HASH

# Fixed anchor: the same rows on every run (timestamps included).
SMALL = SeedSpec(ideas=5, votes=25, comments=5, users=14, projects=5, seed=7)
LARGE = SeedSpec(ideas=50, votes=600, comments=50, users=60, projects=50, seed=7)


def perf_app(database_url: str, tmp_path_factory):
    return create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_ASYNC": False,
        "MAIL_SERVER": "",
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "SERVER_NAME": "medvirk.test",
        "SESSION_COOKIE_SECURE": False,
    })


@contextmanager
def seeded(app, spec: SeedSpec, analyze: bool = False):
    """The app's database holding exactly the spec's rows; emptied again afterwards."""
    reset_data(db.engine)
    seed(db.engine, spec, progress=False, analyze=analyze, password_hash=_HASH)
    cache.forget()  # the seed writes past the ORM, so no commit told the cache
    try:
        yield
    finally:
        db.session.remove()
        reset_data(db.engine)
        cache.forget()


def measure_get(app, url: str, user_id: int | None = None) -> tuple[int, QueryLog]:
    """(status, statements) of one GET as a person makes it: signed in as `user_id` (or not),
    after a warm-up request (first-request work is not the page's cost), with an empty session
    (a request inside the test's app context would share its identity map and hide queries),
    reading a streamed body (sitemaps, CSVs) to its end, since it queries while it is sent."""
    from app.accounts.models import User

    client = app.test_client()
    if user_id is not None:
        with client.session_transaction() as session:
            # The session carries the user's session token (User.get_id), not the bare id.
            session["_user_id"] = db.session.get(User, user_id).get_id()
            session["_fresh"] = True
    headers = {"Accept": "application/json"} if url.startswith("/api/") else {}
    client.get(url, headers=headers).close()
    db.session.remove()
    with count_queries() as log:
        response = client.get(url, headers=headers)
        response.get_data()
        response.close()
    db.session.remove()
    return response.status_code, log


@pytest.fixture
def query_counter():
    """count_queries() as a fixture: `with query_counter() as log: ...; log.count`."""
    return count_queries


def pytest_collection_modifyitems(config, items):
    """Query plans are PostgreSQL's: leave the SQLite instances out rather than skip them."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("database_url") == "sqlite"
        (drop if on_sqlite and item.fspath.basename == "test_query_plans.py" else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
