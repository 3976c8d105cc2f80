"""Fixtures for the performance tests: count_queries() and a database seeded by bench/seed.py."""

from contextlib import contextmanager

import pytest

from app import create_app
from app.core import cache
from app.extensions import db
from bench.querycount import QueryLog, count_queries  # noqa: F401  (the helper, for the tests)
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
