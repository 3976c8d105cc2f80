"""Mine data, the download (at once or by a one-time link), the API and the staff screens."""

import io
import os
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.services import create_api_token
from app.core.db import utcnow
from app.extensions import db
from app.moderation.models import AuditAction, ModerationAction
from app.notifications.models import Notice, OutboxMessage
from app.privacy.models import DataExport, ExportStatus
from tests.factories import login, make_user
from tests.privacy.factories import make_world


@pytest.fixture
def exports_dir(app, tmp_path):
    app.config["EXPORT_FOLDER"] = str(tmp_path / "exports")
    return tmp_path / "exports"


@pytest.fixture
def large(app, exports_dir):
    """Every export counts as large: built in the background."""
    app.config["EXPORT_INLINE_MAX_ROWS"] = 0


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _exports(user) -> list[DataExport]:
    db.session.expire_all()
    return db.session.scalars(select(DataExport).where(DataExport.user_id == user.id)
                              .order_by(DataExport.id)).all()


def _link(user) -> str:
    body = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.to_address == user.email)
                              .order_by(OutboxMessage.id.desc())).first()
    path = next(word for word in body.split() if "/profile/data/download/" in word)
    return path[path.index("/profile/data/download/"):]


def test_mine_data_needs_a_login(client):
    response = client.get("/profile/data")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/profile/data/export").status_code == 302


def test_mine_data_shows_counts_recent_items_and_sign_ins_with_the_address(app, client):
    world = make_world()
    login(client, world.person)
    page = client.get("/profile/data").get_data(as_text=True)
    assert "Mine data" in page and "Last ned dataene mine" in page
    assert "Stemmer" in page and "203.0.113.9" in page
    assert "Benker langs turstien" in page  # a vote's idea
    assert "Naboens skjulte" not in page and "198.51.100.77" not in page
    assert "En idé som er skjult" in page
    assert 'href="/profile/data"' in client.get("/profile").get_data(as_text=True)


def test_a_small_export_is_downloaded_at_once_and_recorded(app, client, exports_dir):
    person = make_user()
    login(client, person)
    archive = _zip(client.post("/profile/data/export"))
    assert "index.html" in archive.namelist() and "votes.json" in archive.namelist()
    [record] = _exports(person)
    assert record.status == ExportStatus.DOWNLOADED and record.requested_by_id is None
    assert not exports_dir.exists()  # nothing left on disk


def test_a_large_export_is_built_in_the_background_and_the_link_works_once(app, client, runner, large):
    person = make_user()
    login(client, person)
    response = client.post("/profile/data/export")
    assert response.status_code == 302
    assert "lager filen i bakgrunnen" in client.get("/profile/data").get_data(as_text=True)
    [pending] = _exports(person)
    assert pending.status == ExportStatus.PENDING

    result = runner.invoke(args=["privacy", "build-exports"])
    assert "exports built: 1" in result.output, result.output
    [ready] = _exports(person)
    assert ready.status == ExportStatus.READY and ready.token_hash and ready.expires_at
    assert ready.expires_at - ready.ready_at == timedelta(hours=24)
    notice = db.session.scalar(select(Notice).where(Notice.user_id == person.id))
    assert notice.url == "/profile/data" and "/download/" not in (notice.body + notice.url)
    link = _link(person)
    assert ready.token_hash not in link  # the e-mail has the token, the database its hash only

    assert _zip(client.get(link)).namelist()
    again = client.get(link)
    assert again.status_code == 410 and "Lenken er brukt eller utløpt" in again.get_data(as_text=True)

    # The next run deletes the file it no longer needs, and a third run has nothing to do.
    assert "files deleted (downloaded, expired or orphaned): 1" in runner.invoke(args=["privacy", "build-exports"]).output
    assert not os.listdir(app.config["EXPORT_FOLDER"])
    third = runner.invoke(args=["privacy", "build-exports"]).output
    assert "exports built: 0" in third and "files deleted (downloaded, expired or orphaned): 0" in third


def test_pressing_twice_keeps_one_pending_export(app, client, large):
    person = make_user()
    login(client, person)
    client.post("/profile/data/export")
    client.post("/profile/data/export")
    assert [e.status for e in _exports(person)] == [ExportStatus.PENDING]
    assert "holder allerede på" in client.get("/profile/data").get_data(as_text=True)


def test_an_expired_link_is_410_and_its_file_is_deleted(app, client, runner, large):
    person = make_user()
    login(client, person)
    client.post("/profile/data/export")
    runner.invoke(args=["privacy", "build-exports"])
    link = _link(person)
    [ready] = _exports(person)
    ready.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 410
    output = runner.invoke(args=["privacy", "build-exports"]).output
    assert "links expired: 1" in output and "files deleted (downloaded, expired or orphaned): 1" in output
    assert _exports(person)[0].status == ExportStatus.EXPIRED


def test_another_person_s_link_is_404_and_does_not_use_it(app, client, runner, large):
    person, other = make_user(), make_user()
    login(client, person)
    client.post("/profile/data/export")
    runner.invoke(args=["privacy", "build-exports"])
    link = _link(person)
    stranger = app.test_client()
    login(stranger, other)
    assert stranger.get(link).status_code == 404
    assert stranger.get("/profile/data/download/not-a-token").status_code == 404
    assert stranger.post(f"/profile/data/exports/{_exports(person)[0].id}/download").status_code == 404
    assert _zip(client.get(link))  # still unused: the owner gets it


def test_the_ready_export_can_be_downloaded_once_from_the_page(app, client, runner, large):
    person = make_user()
    login(client, person)
    client.post("/profile/data/export")
    runner.invoke(args=["privacy", "build-exports"])
    export_id = _exports(person)[0].id
    assert "Last ned (virker én gang)" in client.get("/profile/data").get_data(as_text=True)
    assert _zip(client.post(f"/profile/data/exports/{export_id}/download"))
    assert client.post(f"/profile/data/exports/{export_id}/download").status_code == 410


def test_a_pending_export_is_not_downloadable(app, client, large):
    person = make_user()
    login(client, person)
    client.post("/profile/data/export")
    response = client.post(f"/profile/data/exports/{_exports(person)[0].id}/download")
    assert response.status_code == 410 and "ikke ferdige" in response.get_data(as_text=True)


def test_asking_for_exports_is_rate_limited(app, client, exports_dir):
    app.config.update(RATELIMIT_EXPORT="2 per hour")
    login(client, make_user())
    assert [client.post("/profile/data/export").status_code for _ in range(3)] == [200, 200, 429]


# --- the API --------------------------------------------------------------------------


def _bearer(user) -> dict:
    _token, raw = create_api_token(user, "eksport")
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_gives_a_small_export_at_once(app, client, exports_dir):
    person = make_user()
    archive = _zip(client.get("/api/v1/me/export", headers=_bearer(person)))
    assert "account.json" in archive.namelist()


def test_the_api_queues_a_large_export_and_reports_its_status(app, client, runner, large):
    person = make_user()
    headers = _bearer(person)
    response = client.get("/api/v1/me/export", headers=headers)
    assert response.status_code == 202
    body = response.get_json()
    assert body["export"]["status"] == "pending" and body["created"] is True
    again = client.get("/api/v1/me/export", headers=headers).get_json()
    assert again["export"]["id"] == body["export"]["id"] and again["created"] is False

    status_url = body["export"]["status_url"]
    runner.invoke(args=["privacy", "build-exports"])
    assert client.get(status_url, headers=headers).get_json()["export"]["status"] == "ready"
    download = body["export"]["download_url"]
    assert _zip(client.get(download, headers=headers))
    gone = client.get(download, headers=headers)
    assert gone.status_code == 410 and gone.get_json()["error"]["code"] == "gone"


def test_the_api_refuses_strangers(app, client, large):
    person, other = make_user(), make_user()
    assert client.get("/api/v1/me/export").status_code == 401
    export_id = client.get("/api/v1/me/export", headers=_bearer(person)).get_json()["export"]["id"]
    response = client.get(f"/api/v1/me/exports/{export_id}", headers=_bearer(other))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


# --- staff ----------------------------------------------------------------------------


def test_an_admin_finds_a_person_and_exports_their_data_which_is_audited(app, client):
    admin = make_user("Ada Administrator", role="admin")
    person = make_user("Per Personvern", email="per.personvern@example.no")
    login(client, admin)
    page = client.get("/admin/privacy?q=personvern").get_data(as_text=True)
    assert "Per Personvern" in page and f"/admin/privacy/people/{person.id}" in page
    assert "Eksporter dataene" in client.get(f"/admin/privacy/people/{person.id}").get_data(as_text=True)
    archive = _zip(client.post(f"/admin/privacy/people/{person.id}/export"))
    assert '"per.personvern@example.no"' in archive.read("account.json").decode()
    [record] = _exports(person)
    assert record.requested_by_id == admin.id
    entry = db.session.scalar(select(ModerationAction).where(ModerationAction.action == AuditAction.DATA_EXPORTED))
    assert (entry.actor_id, entry.subject_user_id, entry.target_id) == (admin.id, person.id, person.id)


def test_a_large_staff_export_goes_to_the_staff_member(app, client, runner, large):
    admin = make_user("Ada Administrator", role="admin")
    person = make_user()
    login(client, admin)
    client.post(f"/admin/privacy/people/{person.id}/export")
    runner.invoke(args=["privacy", "build-exports"])
    assert db.session.scalar(select(func.count()).select_from(Notice).where(Notice.user_id == person.id)) == 0
    assert _zip(client.get(_link(admin)))


@pytest.mark.parametrize("role", ["resident", "moderator", "portfolio_manager"])
def test_only_admins_reach_the_staff_screens(app, client, role):
    person = make_user()
    login(client, make_user(role=role))
    assert client.get("/admin/privacy").status_code == 403
    assert client.get(f"/admin/privacy/people/{person.id}").status_code == 403
    assert client.post(f"/admin/privacy/people/{person.id}/export").status_code == 403
    assert _exports(person) == []


def test_a_link_whose_file_is_gone_is_410_and_not_used_up(app, client, runner, large):
    person = make_user()
    login(client, person)
    client.post("/profile/data/export")
    runner.invoke(args=["privacy", "build-exports"])
    [ready] = _exports(person)
    path = os.path.join(app.config["EXPORT_FOLDER"], ready.filename)
    os.rename(path, path + ".away")
    assert client.get(_link(person)).status_code == 410
    assert _exports(person)[0].status == ExportStatus.READY  # nothing written on the error
    os.rename(path + ".away", path)
    assert _zip(client.get(_link(person)))


@pytest.mark.parametrize("path", [
    "/profile/data/download/%00", "/profile/data/download/" + "a" * 5000,
    "/profile/data/download/%ED%A0%80", "/api/v1/me/exports/99999999999999",
    "/api/v1/me/exports/-1", "/admin/privacy?q=%00", "/admin/privacy?q=" + "%25" * 3000,
    "/admin/privacy?q=a&page=-5", "/admin/privacy/people/2147483648",
])
def test_hostile_paths_are_never_a_server_error(app, client, path):
    login(client, make_user(role="admin"))
    assert client.get(path).status_code < 500
    assert client.post("/profile/data/exports/99999999999/download").status_code == 404


def test_files_no_export_refers_to_are_deleted_once_an_hour_old(app, runner, exports_dir):
    exports_dir.mkdir(parents=True)
    orphan, young, other = exports_dir / ("a" * 32 + ".zip"), exports_dir / ("b" * 32 + ".zip.part"), exports_dir / "README"
    for path in (orphan, young, other):
        path.write_bytes(b"data")
    two_hours_ago = (utcnow() - timedelta(hours=2)).timestamp()
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    output = runner.invoke(args=["privacy", "build-exports"]).output
    assert "files deleted (downloaded, expired or orphaned): 1" in output
    assert sorted(p.name for p in exports_dir.iterdir()) == sorted([young.name, other.name])
