"""With REDIS_URL, rate limits are shared by every worker (two app instances here)."""

import os

import pytest
import redis

from app import create_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(
    not REDIS_URL and os.environ.get("REQUIRE_REDIS") != "1",
    reason="TEST_REDIS_URL is not set (CI sets it)",
)


def test_login_limit_holds_across_two_workers(app_config):
    assert REDIS_URL, "REQUIRE_REDIS=1 but TEST_REDIS_URL is not set"
    redis.Redis.from_url(REDIS_URL).flushdb()
    config = {**app_config, "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_LOGIN": "3 per minute"}
    worker_a = create_app(config).test_client()
    worker_b = create_app(config).test_client()
    data = {"email": "x@example.no", "password": "feil-passord-her"}
    for client in (worker_a, worker_b, worker_a):
        assert client.post("/login", data=data).status_code == 200
    assert worker_b.post("/login", data=data).status_code == 429
