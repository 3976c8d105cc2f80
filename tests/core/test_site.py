"""Site-wide behaviour: languages, security headers, error pages, CSRF, configuration."""

import pytest
from flask import abort

from app import create_app
from tests.factories import make_user


@pytest.mark.parametrize(("lang", "text"), [("nb", "Logg inn"), ("nn", "Logg inn"), ("en", "Log in")])
def test_lang_parameter_switches_and_is_remembered(client, lang, text):
    response = client.get(f"/?lang={lang}")
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    assert text in html
    assert f"lang={lang}" in response.headers.get("Set-Cookie", "")
    # The cookie keeps the choice on the next page.
    assert f'<html lang="{lang}"' in client.get("/sdgs").get_data(as_text=True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("nn-NO,nn;q=0.9", "nn"), ("en-GB,en;q=0.8", "en"), ("no,nb;q=0.9", "nb"), ("de-DE", "nb")],
)
def test_accept_language_picks_among_the_three(client, header, expected):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}"' in html


def test_default_locale_is_a_setting(app_config):
    app = create_app({**app_config, "DEFAULT_LOCALE": "nn"})
    html = app.test_client().get("/").get_data(as_text=True)
    assert '<html lang="nn"' in html


def test_municipality_name_is_a_setting(app_config):
    app = create_app({**app_config, "MUNICIPALITY_NAME": "Fjordvik kommune"})
    assert "Fjordvik kommune" in app.test_client().get("/").get_data(as_text=True)


def test_security_headers_on_every_response(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_name_no_other_host(client):
    html = client.get("/").get_data(as_text=True)
    assert "https://" not in html.replace('href="https://', "")  # no external assets


def test_session_cookie_is_httponly_and_lax(client):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "korrekt-hest-batteri"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(app_config):
    config = {**app_config, "TESTING": False, "SECRET_KEY": "x" * 40,
              "SITE_URL": "http://medvirk.test"}
    del config["SESSION_COOKIE_SECURE"]
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_refuses_to_start_without_secret_key_in_production(app_config, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    config = {**app_config, "TESTING": False, "SECRET_KEY": ""}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_404_page_in_layout_and_language(client, lang):
    response = client.get(f"/finnes-ikke?lang={lang}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<main id="main"' in html
    assert ("Vi fant ikke siden" if lang == "nb" else "Page not found") in html


def test_500_never_shows_a_traceback(app_config):
    app = create_app({**app_config, "TESTING": False, "SECRET_KEY": "x" * 40,
                      "SITE_URL": "http://medvirk.test", "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():
        raise ZeroDivisionError("secret detail")

    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in html
    assert "ZeroDivisionError" not in html and "secret detail" not in html


@pytest.mark.parametrize("status", [400, 403, 404, 413, 429])
def test_error_pages_for_each_status(app_config, status):
    app = create_app(app_config)

    @app.route("/fail")
    def fail():
        abort(status)

    response = app.test_client().get("/fail")
    assert response.status_code == status
    assert '<main id="main"' in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/finnes-ikke")
    assert response.status_code == 404
    assert response.is_json
    body = response.get_json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]
    assert body["error"]["fields"] == {}


def test_post_without_csrf_token_is_refused(app_config):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    response = client.post("/login", data={"email": "a@example.no", "password": "x" * 12})
    assert response.status_code == 400
    assert "sikkerhetsnøkkel" in response.get_data(as_text=True)


def test_post_with_csrf_token_is_accepted(app_config):
    import re

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": "a@example.no", "password": "x" * 12})
    assert response.status_code == 200


def test_healthz_is_bare(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_sdg_page_lists_all_goals_in_the_language(client):
    html = client.get("/sdgs?lang=en").get_data(as_text=True)
    assert "Climate action" in html and "Partnerships for the goals" in html
    html = client.get("/sdgs?lang=nn").get_data(as_text=True)
    assert "Berekraftige byar og lokalsamfunn" in html


def test_accessibility_and_privacy_pages_are_linked_from_every_page(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/accessibility"' in html and 'href="/privacy"' in html
    assert client.get("/accessibility").status_code == 200
    assert client.get("/privacy").status_code == 200
    assert 'class="ds-skip-link" href="#main"' in html
