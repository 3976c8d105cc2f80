"""Fixtures: an app per test on SQLite and (with TEST_DATABASE_URL) on PostgreSQL."""

import os
import re
import socket
import tempfile
from contextlib import closing

import pytest
from sqlalchemy import text

from app import create_app
from app.core.schema import install_reference_data
from app.extensions import db, limiter
from tests.factories import login, make_user  # noqa: F401


def _own_services_per_worker() -> None:
    """Under pytest-xdist each worker gets a PostgreSQL database and a Redis database of its own
    (the suite empties both between tests), named after the ones CI gives: medvirk_ci_gw0,
    medvirk_ci_gw1, …, and Redis 15, 14, …. Runs before any test module reads the variables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    number = int(worker[2:])
    pg = os.environ.get("TEST_DATABASE_URL", "")
    if pg:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(pg)
        name = f"{url.database}_{worker}"
        admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["TEST_DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
    redis_url = os.environ.get("TEST_REDIS_URL", "")
    if redis_url:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(redis_url)
        base = int(parts.path.strip("/") or 0)
        if base - number < 0:
            raise pytest.UsageError(f"{worker} would need Redis database {base - number}: start from a higher one")
        os.environ["TEST_REDIS_URL"] = urlunsplit(parts._replace(path=f"/{base - number}"))


_own_services_per_worker()
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


def pytest_configure(config):
    if REQUIRE_POSTGRES and not PG_URL:
        raise pytest.UsageError(
            "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL run would be skipped."
        )


def _backends():
    return ["sqlite", "postgres"] if PG_URL else ["sqlite"]


def _pg_url() -> str:
    url = PG_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@pytest.fixture(scope="session", params=_backends())
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        url = f"sqlite:///{path}"
    else:
        url = _pg_url()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if request.param == "postgres":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()
        install_reference_data(db.session.connection())
        db.session.commit()
        db.engine.dispose()
    return url


@pytest.fixture
def app_config(database_url, tmp_path):
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_ASYNC": False,
        "MAIL_SERVER": "",
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "OPEN_DATA_FOLDER": str(tmp_path / "open-data"),
        "SERVER_NAME": "medvirk.test",
        "SESSION_COOKIE_SECURE": False,
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        _clean_tables()
        limiter.reset()
        yield app
        db.session.remove()
        db.engine.dispose()


def _clean_tables():
    """Empty every table but the fixed reference data, so each test starts clean."""
    keep = {"sdgs", "alembic_version"}
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in keep]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def backend(app) -> str:
    return db.engine.dialect.name


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(app, backend):
    """The test's app behind a real threaded HTTP server, for requests that must meet in the
    database at the same moment. PostgreSQL only: SQLite serialises writers by design."""
    import threading

    from werkzeug.serving import make_server

    if backend != "postgresql":
        pytest.skip("the concurrency proof runs on PostgreSQL (set TEST_DATABASE_URL)")
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    server.request_queue_size = 128  # a burst of many connections at one barrier is not refused
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)


class SmtpSink:
    """A real local SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.port = _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def bodies_to(self, address: str) -> list[str]:
        # The text part: every e-mail is multipart/alternative (text and HTML).
        return [m.get_body(preferencelist=("plain",)).get_content()
                for m in self.messages if address in m["To"]]

    def link_to(self, address: str, pattern: str) -> str:
        for body in reversed(self.bodies_to(address)):
            match = re.search(pattern, body)
            if match:
                return match.group(0)
        raise AssertionError(f"no link matching {pattern!r} in mail to {address}")


class MailWorker:
    """`flask outbox deliver --loop` in a process of its own, as production runs it, with its
    output read as it comes (a line is there to wait for, not a moment)."""

    def __init__(self, env: dict, interval: str = "0.2"):
        import subprocess
        import sys
        import threading
        from pathlib import Path

        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "deliver", "--loop", "--interval", interval],
            cwd=Path(__file__).resolve().parents[1], env={**os.environ, "FLASK_DEBUG": "0", **env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, seconds: float = 30, times: int = 1) -> bool:
        """Whether `text` has been printed `times` times within `seconds` (False at once when
        the worker has stopped)."""
        import time

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            if self.output.count(text) >= times:
                return True
            time.sleep(0.05)
        return self.output.count(text) >= times

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture
def smtp(app):
    sink = SmtpSink()
    sink.controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    yield sink
    sink.controller.stop()


@pytest.fixture(scope="session")
def tmpdir_session():
    with tempfile.TemporaryDirectory() as path:
        yield path
