"""Transport and disclosure: HSTS, security.txt, forwarded addresses, the cookie list."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from app import create_app
from app.extensions import db, limiter

WRONG_LOGIN = {"email": "noen@example.no", "password": "feil-passord-her"}


@pytest.fixture
def make_app(app_config):
    made = []

    def build(**overrides):
        app = create_app({**app_config, **overrides})
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_hsts_when_cookies_are_https_only(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # Also on an error page.
    assert "Strict-Transport-Security" in app.test_client().get("/no-such-page").headers


def test_no_hsts_over_plain_http_setups(make_app):
    response = make_app(SESSION_COOKIE_SECURE=False).test_client().get("/healthz")
    assert "Strict-Transport-Security" not in response.headers


def test_security_txt_names_the_contact_and_expires_within_a_year(make_app):
    app = make_app(SECURITY_CONTACT="sikkerhet@medvik.kommune.no", SITE_URL="https://medvirk.medvik.kommune.no")
    response = app.test_client().get("/.well-known/security.txt", base_url="https://medvirk.medvik.kommune.no")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "Contact: mailto:sikkerhet@medvik.kommune.no\n" in body
    assert "Preferred-Languages: no, nn, en\n" in body
    assert "Canonical: https://medvirk.medvik.kommune.no/.well-known/security.txt\n" in body
    expires = datetime.strptime(re.search(r"Expires: (\S+)", body).group(1), "%Y-%m-%dT%H:%M:%SZ")
    expires = expires.replace(tzinfo=UTC)
    assert timedelta(days=360) < expires - datetime.now(UTC) <= timedelta(days=366)


def test_security_txt_keeps_a_uri_contact_and_lists_several(make_app):
    app = make_app(SECURITY_CONTACT="https://medvik.kommune.no/sikkerhet, mailto:cert@medvik.kommune.no")
    body = app.test_client().get("/.well-known/security.txt").get_data(as_text=True)
    assert "Contact: https://medvik.kommune.no/sikkerhet\nContact: mailto:cert@medvik.kommune.no\n" in body


def test_no_security_txt_without_a_contact(make_app):
    assert make_app(SECURITY_CONTACT="").test_client().get("/.well-known/security.txt").status_code == 404


def _login_statuses(app, addresses):
    client = app.test_client()
    with app.app_context():
        limiter.reset()
    return [
        client.post("/login", data=WRONG_LOGIN, headers={"X-Forwarded-For": address}).status_code
        for address in addresses
    ]


def test_behind_one_proxy_each_forwarded_address_has_its_own_login_limit(make_app):
    app = make_app(TRUSTED_PROXIES=1, RATELIMIT_LOGIN="2 per minute")
    statuses = _login_statuses(app, ["203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2"])
    assert statuses == [200, 200, 429, 200]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(make_app):
    app = make_app(TRUSTED_PROXIES=0, RATELIMIT_LOGIN="2 per minute")
    statuses = _login_statuses(app, ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
    assert statuses == [200, 200, 429]


def test_only_the_configured_number_of_hops_is_trusted(make_app):
    # A client that sends its own X-Forwarded-For cannot pick its address: with one proxy,
    # only the address that proxy appended (the last one) counts.
    app = make_app(TRUSTED_PROXIES=1, RATELIMIT_LOGIN="2 per minute")
    statuses = _login_statuses(
        app, ["1.1.1.1, 203.0.113.9", "2.2.2.2, 203.0.113.9", "3.3.3.3, 203.0.113.9"]
    )
    assert statuses == [200, 200, 429]
