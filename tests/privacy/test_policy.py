"""The privacy page says what the code does: its controller, periods and cookies come from settings."""

import itertools
import re

import pytest
from flask import url_for

from tests.factories import PASSWORD, make_user


def _page(client, path: str = "/privacy") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_privacy_page_names_the_configured_controller_dpo_and_processors(app, client):
    app.config.update(
        PRIVACY_CONTROLLER="Fjordvik kommune",
        PRIVACY_CONTROLLER_ADDRESS="Postboks 1, 9999 Fjordvik",
        PRIVACY_CONTACT_EMAIL="personvern@fjordvik.kommune.no",
        DPO_NAME="Ola Ombud",
        DPO_EMAIL="ombud@fjordvik.kommune.no",
        PRIVACY_PROCESSORS=[("Driftssenteret IKS", "drift og sikkerhetskopi"), ("Postkontoret AS", "")],
    )
    page = _page(client)
    assert "Fjordvik kommune er behandlingsansvarlig" in page
    assert "Postboks 1, 9999 Fjordvik" in page
    assert 'href="mailto:personvern@fjordvik.kommune.no"' in page
    assert "Ola Ombud" in page and 'href="mailto:ombud@fjordvik.kommune.no"' in page
    assert "<li>Driftssenteret IKS: drift og sikkerhetskopi</li>" in page
    assert "<li>Postkontoret AS</li>" in page


def test_without_a_controller_setting_the_municipality_is_named_and_nothing_is_invented(app, client):
    app.config.update(MUNICIPALITY_NAME="Medvik kommune", PRIVACY_CONTROLLER="", DPO_EMAIL="",
                      PRIVACY_PROCESSORS=[])
    page = _page(client)
    assert "Medvik kommune er behandlingsansvarlig" in page
    assert "mailto:" not in page
    assert "Kommunen har ikke oppgitt databehandlere her" in page


def test_processors_setting_is_parsed_from_the_environment(monkeypatch):
    from app import config

    monkeypatch.setenv("PRIVACY_PROCESSORS", " Driftssenteret IKS: drift ; ;Postkontoret AS: e-post: SMTP")
    assert config.from_environment()["PRIVACY_PROCESSORS"] == [
        ("Driftssenteret IKS", "drift"), ("Postkontoret AS", "e-post: SMTP"),
    ]


def test_privacy_page_quotes_the_retention_periods_the_job_uses(app, client):
    page = _page(client)
    assert "slettes 14 dager etter registreringen" in page
    assert "IP-adressen i en innlogging slettes etter 90 dager" in page
    assert "slettes fra utboksen vår 30 dager etter" in page
    assert "ikke logget inn på 3 år" in page
    assert "Logger du ikke inn innen 30 dager" in page
    # The rate-limit counters: the longest configured window (RATELIMIT_INVITATIONS, a day).
    assert "slettes av seg selv etter høyst 1 dag" in page

    app.config.update(UNCONFIRMED_ACCOUNT_DAYS=1, ADDRESS_RETENTION_DAYS=45, OUTBOX_RETENTION_DAYS=7,
                      INACTIVE_ACCOUNT_YEARS=2, INACTIVE_ACCOUNT_WARNING_DAYS=21)
    page = _page(client)
    assert "slettes 1 dag etter registreringen" in page
    assert "IP-adressen i en innlogging slettes etter 45 dager" in page
    assert "slettes fra utboksen vår 7 dager etter" in page
    assert "ikke logget inn på 2 år" in page
    assert "Logger du ikke inn innen 21 dager" in page
    assert "90 dager" not in page


@pytest.mark.parametrize("value", ["", "abc", 0, -5])
def test_a_broken_period_setting_leaves_that_line_out_instead_of_failing(app, client, value):
    app.config["ADDRESS_RETENTION_DAYS"] = value
    page = _page(client)
    assert "IP-adressen i en innlogging slettes" not in page
    assert "slettes 14 dager etter registreringen" in page


def _listed_cookies(page: str) -> set[str]:
    listing = re.search(r'<dl class="facts" id="cookies">(.*?)</dl>', page, re.S).group(1)
    return set(re.findall(r"<dt><code>([^<]+)</code></dt>", listing))


def test_cookies_listed_are_exactly_those_the_app_sets_through_a_login(app):
    client = app.test_client()
    user = make_user()
    client.get("/?lang=nn")  # the language switcher
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code in (302, 303)
    client.get("/")
    set_by_app = {cookie.key for cookie in client._cookies.values()}
    assert {"session", "remember_token", "lang"} <= set_by_app

    listed = _listed_cookies(_page(client, "/privacy?lang=nb"))
    assert listed == set_by_app


def test_cookie_names_and_lifetimes_follow_the_settings(app, client):
    from datetime import timedelta

    app.config.update(SESSION_COOKIE_NAME="medvirk_session", REMEMBER_COOKIE_DURATION=timedelta(days=30))
    page = _page(client)
    assert _listed_cookies(page) == {"medvirk_session", "remember_token", "lang"}
    assert "Vi bruker 3 informasjonskapsler" in page
    assert "Slettes når du lukker nettleseren" in page
    assert "holder deg innlogget. Slettes når du logger ut. Varer i 30 dager." in page
    assert "nynorsk eller engelsk). Varer i 1 år." in page


def test_rights_are_listed_with_the_complaint_to_datatilsynet_and_links_to_the_pages(app, client):
    page = _page(client)
    for right in ("Innsyn", "Dataportabilitet", "Retting", "Sletting", "Protest", "Klage"):
        assert f"<li>{right}" in page
    assert 'href="https://www.datatilsynet.no/' in page
    with app.test_request_context():
        mine, delete = url_for("privacy.mine"), url_for("privacy.delete_account")
    assert f'href="{mine}">Se dine data</a>' in page and f'href="{mine}">Last ned dine data</a>' in page
    assert f'href="{delete}">Slett kontoen</a>' in page
    assert 'href="/profile">Gå til profilen</a>' in page


def test_links_to_pages_that_are_not_there_are_left_out(app, client):
    app.view_functions.pop("privacy.delete_account")
    page = _page(client)
    assert "Slett kontoen</a>" not in page
    assert "Sletting: du kan slette kontoen din" in page


def test_privacy_page_quotes_the_deletion_grace_period_and_the_export_link_lifetime(app, client):
    app.config.update(ACCOUNT_DELETION_GRACE_DAYS=7, EXPORT_LINK_HOURS=24)
    page = _page(client)
    assert "sletter vi den 7 dager senere" in page
    assert "virker én gang, i 24 timer" in page
    app.config.update(ACCOUNT_DELETION_GRACE_DAYS=1, EXPORT_LINK_HOURS=1)
    page = _page(client)
    assert "sletter vi den 1 dag senere" in page
    assert "virker én gang, i 1 time" in page


def test_the_municipalitys_own_text_comes_first_and_the_built_page_stays(app, client):
    app.config["PRIVACY_TEXT"] = "Innspill arkiveres i **kommunens sak**.<script>x</script>"
    page = _page(client)
    assert "<strong>kommunens sak</strong>" in page
    assert "<script>x" not in page
    assert page.index("kommunens sak") < page.index("Hva vi lagrer") < page.index("Dine rettigheter")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_privacy_page_has_one_h1_and_headings_in_order_in_every_language(client, lang):
    page = _page(client, f"/privacy?lang={lang}")
    assert f'<html lang="{lang}"' in page
    main = page[page.index("<main"):page.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_links_to_the_privacy_page_use_the_privacy_domain(client):
    assert 'href="/privacy"' in _page(client, "/register")
    assert 'href="/privacy"' in _page(client, "/")
