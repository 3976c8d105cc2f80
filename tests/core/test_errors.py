"""Error pages render whatever broke: a failed session, a failed layout, under /api/ as JSON."""

import pytest
from flask_login import current_user
from sqlalchemy import text

from app.accounts.models import User
from app.accounts.services import create_api_token
from app.extensions import db
from tests.factories import login, make_user

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options")


def _fail_in_a_failed_session():
    """A view whose statement fails, leaving the session to be rolled back (IntegrityError)."""
    existing = db.session.scalar(db.select(User).limit(1))
    if current_user.is_authenticated:
        # The person's row is expired, so reading their language afterwards is a query.
        db.session.expire(current_user._get_current_object())
    db.session.add(User(full_name="Dobbel", email=existing.email, password_hash="x"))
    db.session.flush()
    return "not reached"


@pytest.fixture
def failing_app(app):
    app.add_url_rule("/test-fail", "test_fail", _fail_in_a_failed_session)
    app.add_url_rule("/api/v1/test-fail", "test_api_fail", _fail_in_a_failed_session, methods=["GET", "POST"])
    return app


def _assert_security_headers(response):
    for header in SECURITY_HEADERS:
        assert header in response.headers, header


def test_logged_in_person_gets_the_error_page_after_a_database_error(failing_app, client):
    login(client, make_user(locale="nn"))
    response = client.get("/test-fail")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="nn"' in page  # the person's own language, read after the rollback
    assert "500" in page
    assert "<nav" in page  # the site's layout, not Werkzeug's bare page
    _assert_security_headers(response)


def test_token_call_gets_the_json_error_after_a_database_error(failing_app, client):
    _token, raw = create_api_token(make_user(), "test")
    response = client.get("/api/v1/test-fail", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 500
    assert response.is_json
    assert response.json["error"]["code"] == "server_error"
    assert response.json["error"]["message"]
    _assert_security_headers(response)


def test_page_after_the_error_works_again(failing_app, client):
    user = make_user()
    login(client, user)
    assert client.get("/test-fail").status_code == 500
    assert client.get("/").status_code == 200
    assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_built_in_page_when_the_layout_itself_fails(app, client):
    @app.context_processor
    def _broken():
        raise RuntimeError("the layout cannot render")

    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Vi fant ikke siden" in page
    assert '<html lang="nb">' in page
    _assert_security_headers(response)


def test_built_in_page_is_in_the_persons_language(app, client):
    @app.context_processor
    def _broken():
        raise RuntimeError("the layout cannot render")

    response = client.get("/no-such-page?lang=nn")
    assert '<html lang="nn">' in response.get_data(as_text=True)


# --- API authentication (defect 13) ------------------------------------------------------------

def test_session_with_an_invalid_bearer_token_is_401_not_the_session(app, client):
    user = make_user()
    login(client, user)
    response = client.get("/api/v1/ideas", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_invalid_bearer_token_does_not_skip_csrf_with_a_session(app_config, database_url):
    from app import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        user = make_user()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        import re

        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        client.post("/login", data={"email": user.email, "password": "korrekt-hest-batteri", "csrf_token": token})
        response = client.post("/api/v1/ideas", json={"title": "x"}, headers={"Authorization": "Bearer nonsense"})
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"
        db.session.remove()
        db.engine.dispose()


def test_api_write_without_cookie_or_token_is_401_with_the_error_shape(app_config, database_url):
    from app import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        response = app.test_client().post("/api/v1/ideas", json={"title": "Benker i parken"})
        assert response.status_code == 401
        assert set(response.json["error"]) == {"code", "message", "fields"}
        assert response.json["error"]["code"] == "unauthorized"
        db.engine.dispose()


def test_valid_token_wins_over_another_persons_session(app, client):
    @app.get("/api/v1/test-whoami")
    def _whoami():
        return {"name": current_user.full_name}

    resident = make_user(name="Ola Token")
    other = make_user(name="Kari Økt")
    login(client, other)
    _token, raw = create_api_token(resident, "test")
    response = client.get("/api/v1/test-whoami", headers={"Authorization": f"Bearer {raw}"})
    assert response.json == {"name": "Ola Token"}


def _deadlock():
    # The error PostgreSQL raises when it breaks a deadlock between two transactions.
    db.session.execute(text("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$"))
    return "not reached"


def test_a_deadlock_is_a_conflict_to_retry_not_an_outage(app, client, backend):
    if backend != "postgresql":
        pytest.skip("deadlock detection is PostgreSQL's (set TEST_DATABASE_URL)")
    app.add_url_rule("/test-deadlock", "test_deadlock", _deadlock)
    app.add_url_rule("/api/v1/test-deadlock", "test_api_deadlock", _deadlock)
    response = client.get("/test-deadlock")
    assert response.status_code == 409
    assert "Noen andre endret det samme i samme øyeblikk" in response.get_data(as_text=True)
    assert "Retry-After" not in response.headers
    api = client.get("/api/v1/test-deadlock")
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "conflict"
    assert client.get("/").status_code == 200


def test_production_without_mail_server_logs_no_body_or_address(app, caplog):
    from app.notifications.mail import deliver_due, queue_email

    queue_email("kari@example.no", "Tilbakestill passordet", "Lenke: https://x/reset/HEMMELIG")
    db.session.commit()
    app.testing = False  # as in production: no MAIL_SERVER, not debug
    try:
        with caplog.at_level("INFO"):
            deliver_due()
    finally:
        app.testing = True
    logged = caplog.text
    assert "MAIL_SERVER is not set" in logged
    assert "HEMMELIG" not in logged and "kari@example.no" not in logged
