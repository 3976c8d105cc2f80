"""Requests that meet at once (PostgreSQL, a live server): one pending export, one download."""

import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app.accounts.services import create_api_token
from app.extensions import db
from app.privacy import export
from app.privacy.models import DataExport, ExportStatus
from tests.factories import make_user

AT_ONCE = 10


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "EXPORT_INLINE_MAX_ROWS": 0, "EXPORT_FOLDER": str(tmp_path / "exports"),
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": AT_ONCE + 5, "max_overflow": 5}}


def _fire_at_once(url: str, token: str) -> list[int]:
    barrier = threading.Barrier(AT_ONCE)

    def send(_n):
        request = urllib.request.Request(url, headers={
            "Authorization": f"Bearer {token}", "Host": "medvirk.test"})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        return list(pool.map(send, range(AT_ONCE)))


def test_pressing_export_ten_times_at_once_queues_one_export(app, live_server):
    person = make_user()
    _token, raw = create_api_token(person, "ivrig")
    statuses = _fire_at_once(f"{live_server}/api/v1/me/export", raw)
    assert statuses == [202] * AT_ONCE
    db.session.expire_all()
    rows = db.session.scalars(select(DataExport).where(DataExport.user_id == person.id)).all()
    assert [row.status for row in rows] == [ExportStatus.PENDING]


def test_ten_downloads_at_once_give_the_file_once(app, live_server):
    person = make_user()
    _token, raw = create_api_token(person, "ivrig")
    pending = export.request_export(person).export
    assert export.build_exports().built == 1
    statuses = _fire_at_once(f"{live_server}/api/v1/me/exports/{pending.id}/download", raw)
    assert sorted(statuses) == [200] + [410] * (AT_ONCE - 1)
