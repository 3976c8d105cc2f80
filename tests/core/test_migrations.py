"""`flask db upgrade` on an empty database gives exactly the models' schema, on both databases."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _flask(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi"}
    env.pop("FLASK_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )


def _upgrade_then_check(database_url: str) -> None:
    upgrade = _flask(database_url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    check = _flask(database_url, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_migrations_match_models_on_sqlite(tmp_path):
    _upgrade_then_check(f"sqlite:///{tmp_path / 'migrated.db'}")


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set (CI sets it)")
def test_migrations_match_models_on_postgres():
    url = make_url(PG_URL)
    name = f"{url.database}_migrations"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        _upgrade_then_check(url.set(database=name).render_as_string(hide_password=False))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sdgs_are_created_by_the_migration(tmp_path):
    import sqlite3

    path = tmp_path / "sdgs.db"
    assert _flask(f"sqlite:///{path}", "db", "upgrade").returncode == 0
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT number, name_en FROM sdgs ORDER BY number").fetchall()
    assert len(rows) == 17
    assert rows[12] == (13, "Climate action")
