"""Links that leave the site (e-mails, the API, CSV) are built from SITE_URL, never from Host."""

import re

import pytest

from app import create_app
from app.accounts.models import Role
from app.core.urls import external_url, site_path
from app.extensions import db
from app.ideas.models import IdeaStatus
from app.portfolio import answers
from tests.factories import make_user
from tests.portfolio.conftest import make_idea

SITE = "https://medvirk.medvik.kommune.no"


def _mail_links(smtp, address: str) -> list[str]:
    return [link for body in smtp.bodies_to(address) for link in re.findall(r"https?://\S+", body)]


def test_reset_link_ignores_a_forged_host_header_without_site_url(app, client, smtp):
    # No SITE_URL and no SERVER_NAME: before the fix, url_for(_external=True) took the
    # request's Host and mailed a working reset link on evil.example.
    app.config.update(SITE_URL="", SERVER_NAME=None)
    user = make_user()
    response = client.post(
        "/password/forgot", data={"email": user.email}, headers={"Host": "evil.example"}
    )
    assert response.status_code == 200
    links = _mail_links(smtp, user.email)
    assert links, "no reset link was mailed"
    assert all("evil.example" not in link for link in links)
    assert any(link.startswith("http://127.0.0.1:5000/password/reset/") for link in links)


def test_reset_link_is_on_site_url_and_a_foreign_host_is_refused(app_config, smtp):
    app = create_app({**app_config, "SITE_URL": SITE,
                      "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port})
    client = app.test_client()
    with app.app_context():
        user = make_user()
        email = user.email
    refused = client.post("/password/forgot", data={"email": email}, headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert smtp.bodies_to(email) == []

    sent = client.post(
        "/password/forgot", data={"email": email}, headers={"Host": "medvirk.medvik.kommune.no"}
    )
    assert sent.status_code == 200
    links = _mail_links(smtp, email)
    assert links and all(link.startswith(SITE + "/password/reset/") for link in links)


def test_foreign_host_gets_the_400_page_in_the_site_layout(app_config):
    app = create_app({**app_config, "SITE_URL": SITE})
    assert set(app.config["TRUSTED_HOSTS"]) == {"medvirk.medvik.kommune.no", "medvirk.test"}
    client = app.test_client()
    for path in ("/", "/ideas", "/finnes-ikke", "/api/v1/ideas"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 400, path
        assert "Content-Security-Policy" in response.headers
        if path.startswith("/api/"):
            assert response.get_json()["error"]["code"]
        else:
            html = response.get_data(as_text=True)
            assert "Noe var galt med forespørselen" in html
            assert '<main id="main"' in html
            assert "evil.example" not in html
    # The site's own host, and SERVER_NAME's (the test client's default), are served.
    assert client.get("/", headers={"Host": "medvirk.medvik.kommune.no"}).status_code == 200
    assert client.get("/").status_code == 200


def test_no_host_check_in_development_without_site_url(app):
    assert app.config["TRUSTED_HOSTS"] is None


def test_more_trusted_hosts_can_be_listed(app_config):
    app = create_app({**app_config, "SITE_URL": SITE, "TRUSTED_HOSTS": "intern.medvik.no, 10.0.0.5"})
    assert client_status(app, "10.0.0.5") == 200
    assert client_status(app, "intern.medvik.no") == 200
    assert client_status(app, "evil.example") == 400


def test_a_host_name_in_capitals_is_the_same_site(app_config):
    # Host names are case-insensitive (RFC 3986); Werkzeug's check alone answered 400.
    app = create_app({**app_config, "SITE_URL": SITE})
    assert client_status(app, "MEDVIRK.Medvik.Kommune.NO") == 200
    assert client_status(app, "Medvirk.medvik.kommune.no:443") == 200
    assert client_status(app, "EVIL.example") == 400


def client_status(app, host: str) -> int:
    return app.test_client().get("/healthz", headers={"Host": host}).status_code


def test_notice_mail_links_are_absolute(app, runner, smtp):
    # Before the fix notices ended in "/ideas/314", which no mail client can open.
    app.config["SITE_URL"] = SITE
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    idea = make_idea()
    # Outside a request, as `flask outbox deliver` and the digests run.
    answers.change_idea_status(manager, idea, IdeaStatus.UNDER_REVIEW, "Vi ser på den.")
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    links = _mail_links(smtp, idea.author.email)
    assert f"{SITE}/ideas/{idea.id}" in links


def test_absolute_links_are_built_outside_a_request_without_server_name(app):
    app.config.update(SITE_URL=SITE + "/", SERVER_NAME=None)
    assert external_url("ideas.detail", idea_id=3) == f"{SITE}/ideas/3"
    assert external_url("ideas.detail", idea_id=3, _anchor="comments") == f"{SITE}/ideas/3#comments"
    assert site_path("ideas.index", q="sykkel") == "/ideas?q=sykkel"


def test_api_urls_are_on_site_url_whatever_the_host(app_config):
    app = create_app({**app_config, "SITE_URL": SITE, "TRUSTED_HOSTS": "api.medvik.no"})
    with app.app_context():
        idea = make_idea()
        idea_id = idea.id
    response = app.test_client().get(f"/api/v1/ideas/{idea_id}", headers={"Host": "api.medvik.no"})
    assert response.status_code == 200
    assert response.get_json()["url"] == f"{SITE}/ideas/{idea_id}"


def test_production_refuses_to_start_without_site_url(app_config, monkeypatch):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    config = {**app_config, "TESTING": False, "SECRET_KEY": "x" * 40, "SITE_URL": ""}
    with pytest.raises(RuntimeError, match="SITE_URL is not set"):
        create_app(config)


def test_cli_commands_other_than_run_start_without_site_url(app_config, monkeypatch):
    # `flask db upgrade` and `flask users create` mail nothing to a browser's host.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    monkeypatch.setattr("sys.argv", ["flask", "db", "upgrade"])
    config = {**app_config, "TESTING": False, "SECRET_KEY": "x" * 40, "SITE_URL": ""}
    assert create_app(config).config["TRUSTED_HOSTS"] is None
    monkeypatch.setattr("sys.argv", ["flask", "run"])
    with pytest.raises(RuntimeError, match="SITE_URL is not set"):
        create_app(config)
