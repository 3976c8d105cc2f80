"""Fault injection with real services the tests start and stop: PostgreSQL, Redis, SMTP.

- A database that refuses connections, or is frozen by a lock, answers 503 with Retry-After
  (a page in the person's language, JSON under /api/), /healthz stays 200, /readyz says 503,
  and the same app recovers once the database is back.
- A Redis that is killed leaves logins, API calls and writes working with per-process limits.
- An SMTP server that is stopped leaves the mail in the outbox, delivered once when it is back.
"""

import logging
import os
import shutil
import socket
import subprocess
import time
from contextlib import closing
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from sqlalchemy import text

from app import create_app
from app.accounts.services import create_api_token
from app.core.schema import install_reference_data
from app.extensions import db, limiter
from app.notifications.models import OutboxMessage
from tests.comments.factories import make_idea
from tests.conftest import SmtpSink
from tests.factories import PASSWORD, login, make_user

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
UNAVAILABLE = "Tjenesten er utilgjengelig akkurat nå"
GO_BACK = "Gå tilbake med nettleserens tilbakeknapp"


@pytest.fixture(autouse=True)
def _limiter_storage_alive():
    # The limiter is one object for every app in the process, and any failure while it checks a
    # limit (Redis gone, or the user loader on a database that is gone) makes it count in
    # memory until its storage answers again: start and leave every test with it alive.
    limiter._storage_dead = False
    yield
    limiter._storage_dead = False


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _assert_unavailable_page(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Content-Security-Policy" in response.headers
    assert response.mimetype == "text/html"
    assert UNAVAILABLE in response.get_data(as_text=True)


def _assert_unavailable_json(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.json["error"]["code"] == "unavailable"
    assert set(response.json["error"]) == {"code", "message", "fields"}


# --- a database that cannot be opened (every backend) ------------------------------------------

def test_logged_in_person_gets_503_when_the_database_cannot_be_opened(app, app_config, tmp_path):
    user = make_user()
    client = app.test_client()
    login(client, user)
    session_cookie = client.get_cookie("session", domain="medvirk.test")
    broken = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    visitor = broken.test_client()
    visitor.set_cookie("session", session_cookie.value, domain="medvirk.test")
    _assert_unavailable_page(visitor.get("/ideas"))
    # A form sent now is not saved: the page says so and sends the person back to it.
    response = visitor.post("/ideas/1/comments", data={"body": "Et innlegg som ikke må gå tapt."})
    _assert_unavailable_page(response)
    assert GO_BACK in response.get_data(as_text=True)
    _assert_unavailable_json(visitor.get("/api/v1/ideas"))
    assert visitor.get("/healthz").status_code == 200
    assert visitor.get("/readyz").status_code == 503


def test_503_page_is_in_the_persons_language(app_config, tmp_path):
    broken = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = broken.test_client().get("/ideas", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert '<html lang="en"' in response.get_data(as_text=True)


# --- PostgreSQL that becomes unreachable --------------------------------------------------------

def _plain_pg(url: str, database: str) -> str:
    """A libpq URL (for psycopg) naming another database on the same server."""
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    return urlunsplit(parts._replace(path="/" + database))


@pytest.fixture
def fault_pg(tmp_path):
    """A throwaway database of our own (<test database>_fault) and an app on it."""
    if not PG_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("TEST_DATABASE_URL is not set (CI sets it)")
    import psycopg

    name = urlsplit(PG_URL).path.lstrip("/") + "_fault"
    admin = psycopg.connect(_plain_pg(PG_URL, "postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = _plain_pg(PG_URL, name).replace("postgresql://", "postgresql+psycopg://")
    app = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "MAIL_ASYNC": False,
        "MAIL_SERVER": "", "RATELIMIT_STORAGE_URI": "memory://", "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SERVER_NAME": "medvirk.test", "SESSION_COOKIE_SECURE": False,
        "DATABASE_CONNECT_TIMEOUT": 2, "DATABASE_STATEMENT_TIMEOUT": 1,
    })
    with app.app_context():
        db.create_all()
        install_reference_data(db.session.connection())
        db.session.commit()

    class Fault:
        def __init__(self):
            self.app, self.name, self.admin = app, name, admin
            self.plain_url = _plain_pg(PG_URL, name)

        def stop(self):
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )

        def start(self):
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    fault = Fault()
    yield fault
    fault.start()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_unreachable_postgres_answers_503_and_recovers_without_a_restart(fault_pg):
    app = fault_pg.app
    with app.app_context():
        user = make_user()
        idea = make_idea()
        _token, raw = create_api_token(user, "test")
        idea_id = idea.id
        user = SimpleNamespace(email=user.email)
        db.session.remove()
    visitor, person = app.test_client(), app.test_client()
    login(person, user)
    bearer = {"Authorization": f"Bearer {raw}"}
    assert visitor.get("/ideas").status_code == 200
    assert visitor.get("/readyz").status_code == 200

    fault_pg.stop()
    started = time.monotonic()
    _assert_unavailable_page(visitor.get("/ideas"))
    _assert_unavailable_page(person.get(f"/ideas/{idea_id}"))
    response = person.post(f"/ideas/{idea_id}/comments", data={"body": "Dette skrev jeg mens databasen var nede."})
    _assert_unavailable_page(response)
    assert GO_BACK in response.get_data(as_text=True)
    _assert_unavailable_json(visitor.get("/api/v1/ideas", headers=bearer))
    _assert_unavailable_json(visitor.post(f"/api/v1/ideas/{idea_id}/vote", headers=bearer))
    assert visitor.get("/healthz").status_code == 200
    ready = visitor.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["checks"]["database"] == "unavailable"
    assert time.monotonic() - started < 10  # refused at once, no worker held

    fault_pg.start()
    # The same app, no restart: the pool checks its connections before use.
    assert visitor.get("/readyz").status_code == 200
    assert visitor.get("/ideas").status_code == 200
    assert person.get(f"/ideas/{idea_id}").status_code == 200
    assert person.post(f"/api/v1/ideas/{idea_id}/vote", headers=bearer).status_code == 200


def test_frozen_postgres_answers_503_within_the_statement_timeout(fault_pg):
    import psycopg

    app = fault_pg.app
    with app.app_context():
        make_idea()
        db.session.remove()
    client = app.test_client()
    assert client.get("/ideas").status_code == 200
    with psycopg.connect(fault_pg.plain_url) as locker:
        locker.execute("LOCK TABLE ideas IN ACCESS EXCLUSIVE MODE")  # held until the block ends
        started = time.monotonic()
        page = client.get("/ideas?q=skolevei")
        api = client.get("/api/v1/ideas")
        elapsed = time.monotonic() - started
        locker.rollback()
    _assert_unavailable_page(page)
    _assert_unavailable_json(api)
    assert elapsed < 6, f"two requests took {elapsed:.1f} s with a 1 s statement timeout"
    assert client.get("/ideas").status_code == 200


# --- Redis killed ---------------------------------------------------------------------------------

class RedisServer:
    """A redis-server of our own on a free port, without persistence."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(5)
            self.process = None


@pytest.fixture
def redis_server():
    if not os.path.exists(REDIS_SERVER):
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def test_killed_redis_leaves_logins_api_and_writes_working(app, app_config, redis_server, caplog):
    config = {
        **app_config, "REDIS_URL": redis_server.url, "RATELIMIT_STORAGE_URI": redis_server.url,
        "RATELIMIT_LOGIN": "3 per minute",
    }
    app = create_app(config)  # `app` (the fixture) has emptied the tables
    with app.app_context():
        resident = make_user()
        idea_a, idea_b = make_idea(), make_idea()
        _token, raw = create_api_token(resident, "test")
        ids = (idea_a.id, idea_b.id)
        resident = SimpleNamespace(email=resident.email)
        db.session.remove()
    app.extensions["medvirk.cache"].RETRY_SECONDS = 0.2
    bearer = {"Authorization": f"Bearer {raw}"}
    client = app.test_client()
    assert client.get("/ideas").status_code == 200
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0  # counts and limits live there

    redis_server.stop()
    caplog.set_level(logging.INFO)
    login(client, resident)
    assert client.get("/ideas").status_code == 200
    assert client.post(f"/ideas/{ids[0]}/vote").status_code in (302, 303)
    response = client.post(f"/ideas/{ids[0]}/comments", data={"body": "Skrevet mens Redis var borte."})
    assert response.status_code in (302, 303)
    api = app.test_client()
    assert api.get("/api/v1/ideas", headers=bearer).status_code == 200
    assert api.post(f"/api/v1/ideas/{ids[1]}/vote", headers=bearer).status_code == 200
    for _ in range(3):
        client.get("/ideas")
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["checks"] == {"database": "ok", "redis": "unavailable"}
    # Limits still hold, counted in this process.
    stranger = app.test_client()
    wrong = {"email": "noen@example.no", "password": "feil-passord-her"}
    assert [stranger.post("/login", data=wrong).status_code for _ in range(4)][-1] == 429
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert sum("count cache: Redis unavailable" in m for m in warnings) == 1
    assert sum("falling back to in-memory storage" in m for m in warnings) == 1

    redis_server.start()
    assert client.get("/readyz").status_code == 200
    assert client.post(f"/ideas/{ids[1]}/vote").status_code in (302, 303)
    shared = redis.Redis.from_url(redis_server.url)
    # The limiter tries its storage again after 1, 2, 4, ... seconds (at most 32): no restart.
    deadline = time.monotonic() + 40
    while not any(b"LIMIT" in key for key in shared.keys()):  # noqa: SIM118 (Redis KEYS)
        assert time.monotonic() < deadline, "limits did not return to Redis"
        assert api.get("/api/v1/ideas", headers=bearer).status_code == 200
        time.sleep(0.25)
    time.sleep(0.3)  # the count cache tries Redis again after RETRY_SECONDS
    assert client.get("/ideas").status_code == 200
    assert any(b"medvirk:counts" in key for key in shared.keys()), "counts are back in Redis"  # noqa: SIM118
    with app.app_context():
        db.engine.dispose()


# --- SMTP stopped ------------------------------------------------------------------------------

def test_stopped_smtp_keeps_the_mail_and_delivers_it_once_when_back(app, client):
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    user = make_user(email="glemsk@example.no")
    # The server is not running: the person still gets the usual answer.
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 200
    waiting = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == user.email)).all()
    assert len(waiting) == 1 and waiting[0].sent_at is None and waiting[0].last_error

    runner = app.test_cli_runner()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        # A minute later the retry is due (the first retry waits one minute).
        db.session.execute(text("UPDATE outbox_messages SET next_attempt_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE")
                           if db.engine.dialect.name == "postgresql"
                           else text("UPDATE outbox_messages SET next_attempt_at = datetime('now', '-1 minute')"))
        db.session.commit()
        first = runner.invoke(args=["outbox", "deliver"])
        second = runner.invoke(args=["outbox", "deliver"])
    finally:
        controller.stop()
    assert "sent 1, failed 0" in first.output
    assert "sent 0, failed 0" in second.output
    assert len(sink.bodies_to(user.email)) == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, waiting[0].id).sent_at is not None
    assert PASSWORD  # the account itself is untouched


def test_a_broken_message_neither_blocks_the_outbox_nor_resends_the_others(app, smtp):
    from app.notifications.mail import deliver_due, queue_email

    # A header with a line break cannot be sent (ValueError, not an SMTP error).
    for to in ("forste@example.no", "odelagt\n@example.no", "andre@example.no"):
        queue_email(to, "Hei", "Innhold")
    db.session.commit()
    assert deliver_due() == (2, 1)
    assert deliver_due() == (0, 0)  # the broken one waits for its retry; nothing is sent twice
    assert [len(smtp.bodies_to(a)) for a in ("forste@example.no", "andre@example.no")] == [1, 1]
    broken = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))
    assert broken.attempts == 1 and "ValueError" in broken.last_error


def test_the_mail_worker_outlives_a_database_outage_and_sends_when_it_is_back(fault_pg):
    """`flask outbox deliver --loop` with MAIL_WORKER: the database going away must not end the
    only process that sends mail; it waits, tries again, and sends once the database is back."""
    from aiosmtpd.controller import Controller

    from app.notifications.mail import queue_email
    from tests.conftest import MailWorker

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    worker = MailWorker({"DATABASE_URL": fault_pg.plain_url, "SECRET_KEY": "worker-test", "MAIL_WORKER": "1",
                         "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(sink.port), "DATABASE_CONNECT_TIMEOUT": "2"})
    try:
        with fault_pg.app.app_context():
            queue_email("for@example.no", "Før driftsavbruddet", "Innhold")
            db.session.commit()
        assert worker.wait_for("sent 1, failed 0", seconds=60), worker.output  # it is up
        fault_pg.stop()
        assert worker.wait_for("delivery round failed"), worker.output
        assert worker.process.poll() is None, "the worker stopped when the database went away"
        fault_pg.start()
        with fault_pg.app.app_context():
            queue_email("tilbake@example.no", "Etter driftsavbruddet", "Innhold")
            db.session.commit()
        assert worker.wait_for("sent 1, failed 0", seconds=90, times=2), worker.output
    finally:
        worker.stop()
        controller.stop()
    assert len(sink.bodies_to("tilbake@example.no")) == 1
    assert "tilbake@example.no" not in worker.output  # no address in the worker's log
