"""The fuzz tests reach the forms' real validation: no CSRF token needed, no rate limits."""

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
