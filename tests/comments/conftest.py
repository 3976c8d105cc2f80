"""Fixtures of the discussion tests."""

import pytest

from tests.comments.factories import QueryCounter


@pytest.fixture
def count_queries():
    return QueryCounter


@pytest.fixture(autouse=True)
def _app_context(app):
    """Every discussion test runs inside the app (and its clean database)."""
    return app
