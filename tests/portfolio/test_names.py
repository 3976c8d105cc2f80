"""Names staff give the municipal structure, in bokmål (required), nynorsk and English: each
page, the API and e-mail show the reader's language, and an empty name falls back to bokmål."""

import csv
import io
import os
import re

import pytest
import redis
from flask_babel import force_locale
from sqlalchemy import select

from app import create_app
from app.accounts.models import Role
from app.core.errors import InvalidInput
from app.core.models import MunicipalArea, ServiceArea
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.services import notify
from app.portfolio import services
from tests.factories import login, make_user
from tests.portfolio.conftest import make_criteria, make_idea, make_project

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

AREA = {"nb": "Helse og velferd", "nn": "Helse og velferd (nn)", "en": "Health and Welfare"}
SERVICE = {"nb": "Sykehjem og omsorg", "nn": "Sjukeheim og omsorg", "en": "Nursing homes and care"}


def _structure(admin, nn=True, en=True):
    area = services.create_municipal_area(admin, AREA["nb"], AREA["nn"] if nn else "", AREA["en"] if en else "")
    service = services.create_service_area(
        admin, area.id, SERVICE["nb"], SERVICE["nn"] if nn else "", SERVICE["en"] if en else ""
    )
    return area, service


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- the rule: bokmål required, the others optional, each name checked --------------------


def test_each_language_reads_its_own_name_and_an_empty_one_falls_back_to_bokmal(admin):
    area, service = _structure(admin, nn=False)
    for locale in ("nb", "nn", "en"):
        with force_locale(locale):
            expected = SERVICE["en"] if locale == "en" else SERVICE["nb"]
            assert service.name == expected
            assert area.name == (AREA["en"] if locale == "en" else AREA["nb"])
    assert service.names == {"nb": SERVICE["nb"], "nn": None, "en": SERVICE["en"]}
    # In a query, `name` is the bokmål column: uniqueness and ordering keep working.
    assert db.session.scalars(select(ServiceArea.name)).all() == [SERVICE["nb"]]


def test_bokmal_is_required_and_the_error_names_its_field(admin):
    with pytest.raises(InvalidInput) as error:
        services.create_municipal_area(admin, "  ", AREA["nn"], AREA["en"])
    assert error.value.fields == {"name": ["Skriv et navn."]}
    assert db.session.scalar(select(MunicipalArea.id)) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name_nn", "x" * 121, "Navnet kan være høyst 120 tegn."),
        ("name_en", "Health\x00", "Navnet inneholder et tegn som ikke kan lagres. Fjern det og prøv igjen."),
        ("name", "Helse\ud800", "Navnet inneholder et tegn som ikke kan lagres. Fjern det og prøv igjen."),
        ("name_en", ["Health"], "Skriv navnet som tekst."),
    ],
)
def test_hostile_names_are_refused_on_their_own_field(admin, field, value, message):
    names = {"name": "Helse og velferd", "name_nn": "", "name_en": "", field: value}
    with pytest.raises(InvalidInput) as error:
        services.create_municipal_area(admin, **names)
    assert error.value.fields == {field: [message]}
    assert db.session.scalar(select(MunicipalArea.id)) is None


def test_a_name_taken_in_any_language_among_siblings_is_refused_also_on_rename(admin):
    area, _service = _structure(admin)
    with pytest.raises(InvalidInput) as error:
        services.create_service_area(admin, area.id, "Eldreomsorg", "", SERVICE["en"].upper())
    assert list(error.value.fields) == ["name_en"]
    other = services.create_service_area(admin, area.id, "Eldreomsorg")
    with pytest.raises(InvalidInput) as error:
        services.rename(admin, "service", other.id, SERVICE["nb"])
    assert error.value.fields == {"name": ["Det finnes allerede et virksomhetsområde med dette navnet her."]}
    db.session.expire_all()
    assert db.session.get(ServiceArea, other.id).name_nb == "Eldreomsorg"


def test_rename_sets_the_names_given_and_keeps_those_left_out(admin):
    _area, service = _structure(admin)
    services.rename(admin, "service", service.id, "Omsorg", name_en="Care")
    db.session.expire_all()
    service = db.session.get(ServiceArea, service.id)
    assert (service.name_nb, service.name_nn, service.name_en) == ("Omsorg", SERVICE["nn"], "Care")
    services.rename(admin, "service", service.id, "Omsorg", name_nn="", name_en="")
    db.session.expire_all()
    with force_locale("en"):
        assert db.session.get(ServiceArea, service.id).name == "Omsorg"


# --- the staff screens ---------------------------------------------------------------------


def test_structure_page_creates_an_area_with_three_names(client, admin):
    login(client, admin)
    response = client.post("/admin/structure", data={
        "action": "create", "name": AREA["nb"], "name_nn": AREA["nn"], "name_en": AREA["en"]})
    assert response.status_code == 302
    area = db.session.scalar(select(MunicipalArea))
    assert (area.name_nb, area.name_nn, area.name_en) == (AREA["nb"], AREA["nn"], AREA["en"])
    response = client.post("/admin/structure", data={
        "action": "create", "parent_id": area.id, "name": SERVICE["nb"], "name_en": SERVICE["en"]})
    assert response.status_code == 302
    page = _text(client.get("/admin/structure"))
    assert f"Engelsk: {AREA['en']}" in page and f"Engelsk: {SERVICE['en']}" in page


def test_structure_page_shows_an_overlong_name_next_to_its_field_and_keeps_what_was_typed(client, admin):
    login(client, admin)
    area = services.create_municipal_area(admin, AREA["nb"])
    response = client.post("/admin/structure", data={
        "action": "create", "parent_id": area.id, "name": "Sykehjem", "name_nn": "Sjukeheim",
        "name_en": "N" * 121})
    assert response.status_code == 200
    page = _text(response)
    error = re.search(r'<div class="ds-validation-message" data-field="validation" id="name_en-error">([^<]*)</div>', page)
    assert error and "høyst 120 tegn" in error.group(1)
    assert re.search(r'id="name_en" name="name_en" value="N{121}" aria-invalid="true"', page)
    assert 'value="Sjukeheim"' in page and 'value="Sykehjem"' in page
    assert "<details open>" in page  # the optional names are shown, not folded away
    assert db.session.scalar(select(ServiceArea.id)) is None


def test_a_nul_sent_to_the_structure_page_is_refused_before_anything_is_saved(client, admin):
    login(client, admin)
    response = client.post("/admin/structure", data={"action": "create", "name": "Helse", "name_nn": "He\x00lse"})
    assert response.status_code == 400
    assert "name_nn" in _text(response)
    assert db.session.scalar(select(MunicipalArea.id)) is None


def test_names_page_edits_three_names_with_errors_next_to_the_fields(client, admin):
    _area, service = _structure(admin, nn=False, en=False)
    login(client, admin)
    page = _text(client.get(f"/admin/structure/service/{service.id}"))
    assert 'id="name" name="name"' in page and f'value="{SERVICE["nb"]}"' in page
    assert 'for="name_nn"' in page and 'for="name_en"' in page

    response = client.post(f"/admin/structure/service/{service.id}",
                           data={"name": "", "name_nn": SERVICE["nn"], "name_en": SERVICE["en"]})
    page = _text(response)
    assert response.status_code == 200
    assert re.search(r'id="name-error">Skriv et navn\.</div>', page)
    assert f'value="{SERVICE["nn"]}"' in page and f'value="{SERVICE["en"]}"' in page

    response = client.post(f"/admin/structure/service/{service.id}",
                           data={"name": SERVICE["nb"], "name_nn": SERVICE["nn"], "name_en": SERVICE["en"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ServiceArea, service.id).names == SERVICE


@pytest.mark.parametrize("path", ["/admin/structure/other/1", "/admin/structure/service/999999",
                                  "/admin/structure/service/99999999999"])
def test_names_page_of_nothing_is_404(client, admin, path):
    login(client, admin)
    assert client.get(path).status_code == 404


def test_names_page_is_for_admins_only(client, admin):
    _area, service = _structure(admin)
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    assert client.post(f"/admin/structure/service/{service.id}", data={"name": "Overtatt"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(ServiceArea, service.id).name_nb == SERVICE["nb"]


# --- every page in the reader's language ----------------------------------------------------


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_idea_page_list_filters_and_project_page_show_the_names_in_the_pages_language(client, admin, locale):
    _area, service = _structure(admin)
    idea = make_idea(service_area=service, title="Flere benker ved sykehjemmet")
    project = make_project(owner=service, title="Benker i parken", ideas=(idea,))
    others = {lang for lang in ("nb", "nn", "en") if SERVICE[lang] != SERVICE[locale]}
    for path in (f"/ideas/{idea.id}", "/ideas", f"/portfolio/projects/{project.id}", "/portfolio"):
        page = _text(client.get(f"{path}?lang={locale}"))
        assert SERVICE[locale] in page, path
        for other in others:
            assert SERVICE[other] not in page, (path, other)
    idea_page = _text(client.get(f"/ideas/{idea.id}?lang={locale}"))
    assert f"{AREA[locale]} › {SERVICE[locale]}" in idea_page


def test_an_area_without_an_english_name_shows_bokmal_in_english(client, admin):
    _area, service = _structure(admin, nn=False, en=False)
    idea = make_idea(service_area=service)
    page = _text(client.get(f"/ideas/{idea.id}?lang=en"))
    assert f"{AREA['nb']} › {SERVICE['nb']}" in page


def test_board_and_its_csv_follow_the_readers_language(client, admin):
    _area, service = _structure(admin)
    make_criteria()
    make_project(owner=service, title="Benker i parken")
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    assert SERVICE["en"] in _text(client.get("/staff/portfolio/board?lang=en"))
    rows = list(csv.reader(io.StringIO(_text(client.get("/staff/portfolio/board.csv?lang=en")).lstrip("\ufeff")),
                           delimiter=";"))
    flat = "|".join("|".join(row) for row in rows)
    # The file speaks one language: its headers and the names alike.
    assert SERVICE["en"] in flat and AREA["en"] in flat and SERVICE["nb"] not in flat


def test_cached_filter_counts_never_carry_one_languages_names_into_another(client, admin):
    _area, service = _structure(admin)
    make_idea(service_area=service)
    english = _text(client.get("/ideas?lang=en"))   # counts computed and cached here
    bokmal = _text(client.get("/ideas?lang=nb"))    # counts read from the cache
    nynorsk = _text(client.get("/ideas?lang=nn"))
    assert SERVICE["en"] in english and SERVICE["nb"] not in english
    assert SERVICE["nb"] in bokmal and SERVICE["en"] not in bokmal
    assert SERVICE["nn"] in nynorsk and SERVICE["en"] not in nynorsk


@pytest.mark.skipif(not REDIS_URL and os.environ.get("REQUIRE_REDIS") != "1",
                    reason="TEST_REDIS_URL is not set (CI sets it)")
def test_with_redis_two_workers_in_two_languages_share_counts_not_names(app, app_config, admin):
    assert REDIS_URL, "REQUIRE_REDIS=1 but TEST_REDIS_URL is not set"
    redis.Redis.from_url(REDIS_URL).flushdb()
    _area, service = _structure(admin)
    make_idea(service_area=service)
    config = {**app_config, "REDIS_URL": REDIS_URL}
    english_worker, bokmal_worker = create_app(config), create_app(config)
    with english_worker.app_context():
        english = _text(english_worker.test_client().get("/ideas?lang=en"))
    with bokmal_worker.app_context():
        bokmal = _text(bokmal_worker.test_client().get("/ideas?lang=nb"))
    assert redis.Redis.from_url(REDIS_URL).dbsize() > 0  # the counts were shared through Redis
    assert SERVICE["en"] in english and SERVICE["nb"] not in english
    assert SERVICE["nb"] in bokmal and SERVICE["en"] not in bokmal


# --- the API and e-mail -----------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_api_gives_the_name_in_the_requests_language_and_every_name(client, admin, locale):
    _area, service = _structure(admin)
    idea = make_idea(service_area=service)
    items = client.get("/api/v1/service-areas", headers={"Accept-Language": locale}).get_json()["items"]
    assert items == [{"id": service.id, "name": SERVICE[locale], "names": SERVICE,
                      "municipal_area": {"id": service.municipal_area_id, "name": AREA[locale], "names": AREA}}]
    body = client.get(f"/api/v1/ideas/{idea.id}?lang={locale}").get_json()
    assert body["service_area"] == {"id": service.id, "name": SERVICE[locale], "names": SERVICE}


def test_api_names_say_which_translations_are_missing(client, admin):
    _structure(admin, nn=False, en=False)
    item = client.get("/api/v1/service-areas?lang=en").get_json()["items"][0]
    assert item["name"] == SERVICE["nb"]
    assert item["names"] == {"nb": SERVICE["nb"], "nn": None, "en": None}


def test_an_email_names_the_area_in_the_recipients_language(admin):
    _area, service = _structure(admin)
    idea = make_idea(service_area=service, title="Flere benker")
    english, nynorsk = make_user(locale="en"), make_user(locale="nn")
    with force_locale("nb"):  # the sender's page is in bokmål; each e-mail is the recipient's
        for person in (english, nynorsk):
            notify(person, "moderation", "follows_area_idea", url=f"/ideas/{idea.id}", idea=idea)
    db.session.commit()
    mails = {m.to_address: m for m in db.session.scalars(select(OutboxMessage))}
    assert SERVICE["en"] in mails[english.email].subject and SERVICE["en"] in mails[english.email].body
    assert SERVICE["nn"] in mails[nynorsk.email].body and SERVICE["en"] not in mails[nynorsk.email].body
