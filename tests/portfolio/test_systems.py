"""The register of systems in use: adding, editing and deleting systems (rules and pages), who
may do what, the list's search, filter and order, the duplicate-purchase check that finds a
system before a project is created, and the board's contracts that end within the plan."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.core.models import MunicipalArea
from app.extensions import db
from app.portfolio import services, systems
from app.portfolio.models import Project, System
from app.portfolio.plan import plan_period
from tests.factories import login, make_user
from tests.portfolio.conftest import count_queries, make_criteria, make_project

AREAS = ("Oppvekst og utdanning", "Helse og velferd", "Organisasjon og støtte")


def make_areas() -> dict[str, MunicipalArea]:
    """The municipal areas (and a retired one) the systems belong to, by bokmål name."""
    found = {}
    for position, name in enumerate((*AREAS, "Gammelt område"), start=1):
        area = MunicipalArea(name=name, position=position)
        if name == "Gammelt område":
            area.retired_at = db.func.now()
        db.session.add(area)
        found[name] = area
    found["Helse og velferd"].name_nn = "Helse og velferd"
    found["Helse og velferd"].name_en = "Health and Welfare"
    db.session.commit()
    return found


def make_system(name: str = "Visma Flyt Skole", owner: MunicipalArea | None = None, *,
                supplier: str = "Visma", users: tuple[MunicipalArea, ...] = (),
                contract_end: date | None = None, description: str = "Skoleadministrativt system.",
                url: str = "") -> System:
    owner = owner or db.session.scalar(select(MunicipalArea).order_by(MunicipalArea.id))
    system = System(name=name, name_key=systems.name_key(name), supplier=supplier, owner_area=owner,
                    contract_end=contract_end, description=description, url=url)
    system.areas = list(users)
    db.session.add(system)
    db.session.commit()
    return system


@pytest.fixture
def areas(app) -> dict[str, MunicipalArea]:
    return make_areas()


@pytest.fixture
def manager(app):
    return make_user(role=Role.PORTFOLIO_MANAGER, name="Per Porteføljesen")


def _values(areas, **changes) -> dict:
    values = {
        "name": "Gerica", "supplier": "Tieto", "owner_area_id": areas["Helse og velferd"].id,
        "area_ids": [areas["Helse og velferd"].id, areas["Organisasjon og støtte"].id],
        "contract_end": "31.12.2027", "description": "Pasientjournal for pleie og omsorg.",
        "url": "https://www.tietoevry.com",
    }
    values.update(changes)
    return values


# --- the rules --------------------------------------------------------------------------


def test_a_manager_adds_a_system_with_its_areas_and_contract_end(areas, manager):
    system = systems.create_system(manager, _values(areas, name="  Gerica   Omsorg "))
    db.session.expire_all()
    stored = db.session.get(System, system.id)
    assert stored.name == "Gerica Omsorg" and stored.name_key == "gerica omsorg"
    assert stored.owner_area.name == "Helse og velferd"
    assert [a.name for a in stored.areas] == ["Helse og velferd", "Organisasjon og støtte"]
    assert stored.contract_end == date(2027, 12, 31)
    assert stored.url == "https://www.tietoevry.com"


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"name": "  "}, "name", "Skriv navnet på systemet"),
    ({"name": "x" * 201}, "name", "høyst 200 tegn"),
    ({"supplier": "y" * 201}, "supplier", "høyst 200 tegn"),
    ({"description": "z" * 5001}, "description", "høyst 5000 tegn"),
    ({"description": "Journal\x00"}, "description", "ikke kan lagres"),
    ({"name": "Ge\ud800rica"}, "name", "ikke kan lagres"),
    ({"contract_end": "31.02.2027"}, "contract_end", "ikke en dato"),
    ({"contract_end": "snart"}, "contract_end", "31.12.2027 eller 2027-12-31"),
    ({"contract_end": "1999-12-31"}, "contract_end", "mellom år 2000 og 2100"),
    ({"url": "javascript:alert(1)"}, "url", "https://"),
    ({"url": "https://"}, "url", "https://"),
    ({"owner_area_id": None}, "owner_area_id", "Velg kommunalområdet som eier systemet"),
    ({"owner_area_id": 2**31}, "owner_area_id", "Velg kommunalområdet som eier systemet"),
    ({"owner_area_id": "tre"}, "owner_area_id", "Velg kommunalområdet som eier systemet"),
    ({"area_ids": [99999]}, "area_ids", "Velg kommunalområder fra listen"),
    ({"area_ids": ["1; DROP TABLE systems"]}, "area_ids", "Velg kommunalområder fra listen"),
    ({"name": ["en", "liste"]}, "name", "Skriv teksten som tekst"),
])
def test_mistakes_are_named_by_field_and_nothing_is_stored(areas, manager, changes, field, words):
    with pytest.raises(InvalidInput) as raised:
        systems.create_system(manager, _values(areas, **changes))
    assert words in raised.value.fields[field][0]
    assert db.session.scalar(select(func.count()).select_from(System)) == 0


@pytest.mark.parametrize(("written", "meant"), [
    ("2027-07-31", date(2027, 7, 31)), ("31.07.2027", date(2027, 7, 31)), ("1.8.2027", date(2027, 8, 1)),
    ("31.07.27", date(2027, 7, 31)), ("31/07/2027", date(2027, 7, 31)), ("", None),
])
def test_contract_end_is_read_as_people_write_dates(areas, manager, written, meant):
    assert systems.create_system(manager, _values(areas, contract_end=written)).contract_end == meant


def test_one_system_per_name_whatever_the_case(areas, manager):
    systems.create_system(manager, _values(areas, name="Public 360"))
    with pytest.raises(InvalidInput) as raised:
        systems.create_system(manager, _values(areas, name="public  360"))
    assert "Registeret har allerede et system som heter «public 360»" in raised.value.fields["name"][0]
    other = systems.create_system(manager, _values(areas, name="Elements"))
    with pytest.raises(InvalidInput):
        systems.update_system(manager, other, _values(areas, name="PUBLIC 360"))
    assert db.session.get(System, other.id).name == "Elements"


def test_a_retired_area_can_be_kept_but_not_chosen_anew(areas, manager):
    retired = areas["Gammelt område"]
    with pytest.raises(InvalidInput) as raised:
        systems.create_system(manager, _values(areas, owner_area_id=retired.id))
    assert "er pensjonert" in raised.value.fields["owner_area_id"][0]
    system = make_system("Gammel sak", owner=retired)
    kept = systems.update_system(manager, system, _values(areas, name="Gammel sak", owner_area_id=retired.id,
                                                          area_ids=[]))
    assert kept.owner_area_id == retired.id


def test_editing_and_deleting_a_system(areas, manager):
    system = systems.create_system(manager, _values(areas))
    systems.update_system(manager, system, _values(areas, supplier="Tietoevry", contract_end="", area_ids=[]))
    db.session.expire_all()
    stored = db.session.get(System, system.id)
    assert (stored.supplier, stored.contract_end, stored.areas) == ("Tietoevry", None, [])
    systems.delete_system(manager, stored)
    assert db.session.get(System, system.id) is None


def test_a_system_deleted_meanwhile_is_not_found_when_saved_or_deleted(areas, manager):
    system = systems.create_system(manager, _values(areas))
    stale = db.session.get(System, system.id)
    db.session.execute(System.__table__.delete().where(System.id == system.id))
    db.session.commit()
    with pytest.raises(NotFound):
        systems.update_system(manager, stale, _values(areas))
    with pytest.raises(NotFound):
        systems.delete_system(manager, stale)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR])
def test_only_portfolio_managers_and_admins_change_the_register(areas, role):
    person = make_user(role=role)
    system = make_system()
    for attempt in (lambda: systems.create_system(person, _values(areas)),
                    lambda: systems.update_system(person, system, _values(areas)),
                    lambda: systems.delete_system(person, system),
                    lambda: systems.import_systems(person, "navn;eierområde\nX;Helse og velferd\n")):
        with pytest.raises(NotAllowed):
            attempt()
    assert db.session.scalar(select(func.count()).select_from(System)) == 1


def test_residents_cannot_read_a_system(areas):
    system = make_system()
    with pytest.raises(NotAllowed):
        systems.get_system(make_user(role=Role.RESIDENT), system.id)
    assert systems.get_system(make_user(role=Role.MODERATOR), system.id).id == system.id


def test_an_area_a_system_uses_cannot_be_deleted(areas):
    admin = make_user(role=Role.ADMIN)
    make_system(owner=areas["Organisasjon og støtte"], users=(areas["Helse og velferd"],))
    for name in ("Organisasjon og støtte", "Helse og velferd"):
        with pytest.raises(InvalidState) as raised:
            services.delete_area(admin, "municipal", areas[name].id)
        assert "systemregisteret" in raised.value.message
    services.delete_area(admin, "municipal", areas["Oppvekst og utdanning"].id)


# --- the pages, and who sees them --------------------------------------------------------

ROLES = [None, Role.RESIDENT, Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN]
STAFF = {Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN}
MANAGERS = {Role.PORTFOLIO_MANAGER, Role.ADMIN}
PAGES = [
    ("/staff/systems", STAFF),
    ("/staff/systems/{system}", STAFF),
    ("/staff/systems.csv", STAFF),
    ("/staff/systems/template.csv", STAFF),
    ("/staff/systems/new", MANAGERS),
    ("/staff/systems/{system}/edit", MANAGERS),
    ("/staff/systems/import", MANAGERS),
]


def _as(client, role):
    if role is not None:
        login(client, make_user(role=role))


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(("path", "allowed"), PAGES, ids=[p for p, _ in PAGES])
def test_page_permission_matrix(client, areas, path, allowed, role):
    system = make_system()
    _as(client, role)
    response = client.get(path.format(system=system.id))
    if role in allowed:
        assert response.status_code == 200
    elif role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize("action", ["new", "edit", "delete", "import"])
def test_form_post_permission_matrix(client, areas, action, role):
    system = make_system()
    _as(client, role)
    data = {"name": "Profil", "owner_area_id": str(areas["Oppvekst og utdanning"].id)}
    path = {"new": "/staff/systems/new", "edit": f"/staff/systems/{system.id}/edit",
            "delete": f"/staff/systems/{system.id}/delete", "import": "/staff/systems/import"}[action]
    if action == "import":
        data = {"text": "navn;eierområde\nProfil;Oppvekst og utdanning\n", "action": "import"}
    response = client.post(path, data=data)
    if role in MANAGERS:
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    elif role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
    changed = db.session.scalar(select(func.count()).select_from(System).where(System.name != "Visma Flyt Skole"))
    gone = db.session.get(System, system.id) is None
    assert (changed or gone) == (role in MANAGERS)


def test_unknown_and_impossible_ids_are_404(client, areas, manager):
    login(client, manager)
    for path in ("/staff/systems/999999", f"/staff/systems/{2**31}", "/staff/systems/999999/edit"):
        assert client.get(path).status_code == 404
    assert client.post("/staff/systems/999999/delete").status_code == 404


def test_adding_a_system_on_the_page(client, areas, manager):
    login(client, manager)
    response = client.post("/staff/systems/new", data={
        "name": "Visma Flyt Skole", "supplier": "Visma", "owner_area_id": areas["Oppvekst og utdanning"].id,
        "area_ids": [areas["Oppvekst og utdanning"].id], "contract_end": "2027-07-31",
        "description": "Elevadministrasjon, fravær og vurdering.", "url": "https://www.visma.no/flyt-skole"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "«Visma Flyt Skole» er lagt til i systemregisteret." in html
    assert "Elevadministrasjon, fravær og vurdering." in html and "31. juli 2027" in html
    assert 'href="https://www.visma.no/flyt-skole" rel="noopener noreferrer"' in html


def test_form_errors_stand_next_to_their_fields_and_keep_what_was_typed(client, areas, manager):
    login(client, manager)
    make_system("Gerica", owner=areas["Helse og velferd"])
    response = client.post("/staff/systems/new", data={
        "name": "gerica", "supplier": "Tieto <b>AS</b>", "owner_area_id": areas["Helse og velferd"].id,
        "area_ids": [areas["Organisasjon og støtte"].id], "contract_end": "30.02.2027",
        "description": "Journal for omsorg", "url": "ftp://tieto"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="contract_end-error"' in html and "«30.02.2027» er ikke en dato" in html
    assert 'id="url-error"' in html and "https://" in html
    assert 'value="gerica"' in html and 'value="Tieto &lt;b&gt;AS&lt;/b&gt;"' in html
    assert "Journal for omsorg" in html
    assert re.search(rf'id="area_ids-{areas["Organisasjon og støtte"].id}"[^>]*checked', html)
    # The name taken is said next to the name, once the rest is right.
    html = client.post("/staff/systems/new", data={
        "name": "gerica", "owner_area_id": areas["Helse og velferd"].id}).get_data(as_text=True)
    assert 'id="name-error"' in html and "Registeret har allerede et system som heter «gerica»" in html
    html = client.post("/staff/systems/new", data={"name": "", "owner_area_id": ""}).get_data(as_text=True)
    assert "Skriv navnet på systemet." in html and "Velg kommunalområdet som eier systemet." in html


def test_editing_and_deleting_on_the_pages(client, areas, manager):
    login(client, manager)
    system = make_system("Gerica", owner=areas["Helse og velferd"], contract_end=date(2027, 12, 31))
    html = client.get(f"/staff/systems/{system.id}/edit").get_data(as_text=True)
    assert 'value="2027-12-31"' in html and 'value="Gerica"' in html
    response = client.post(f"/staff/systems/{system.id}/edit", data={
        "name": "Gerica", "supplier": "Tietoevry", "owner_area_id": areas["Helse og velferd"].id,
        "contract_end": "2028-06-30"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(System, system.id).contract_end == date(2028, 6, 30)
    response = client.post(f"/staff/systems/{system.id}/delete")
    assert response.status_code == 302
    assert "«Gerica» er fjernet fra systemregisteret." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(System, system.id) is None


def test_a_moderator_reads_but_gets_no_buttons_to_change(client, areas):
    system = make_system()
    login(client, make_user(role=Role.MODERATOR))
    html = client.get("/staff/systems").get_data(as_text=True) + client.get(f"/staff/systems/{system.id}").get_data(as_text=True)
    assert "Visma Flyt Skole" in html
    assert "Legg til et system" not in html and "Importer fra CSV" not in html and "Fjern fra registeret" not in html


# --- the list: search, filter, order -----------------------------------------------------


def _names(client, query: str = "") -> list[str]:
    html = client.get("/staff/systems" + query).get_data(as_text=True)
    return re.findall(r'<a class="ds-link" href="/staff/systems/\d+">([^<]+)</a>', html)


@pytest.fixture
def register(areas):
    oppvekst, helse, org = (areas[name] for name in AREAS)
    make_system("Visma Flyt Skole", oppvekst, supplier="Visma", users=(oppvekst,),
                contract_end=date(2028, 7, 31), description="Elevadministrasjon for skolene.")
    make_system("Gerica", helse, supplier="Tietoevry", users=(helse,), contract_end=date(2027, 3, 1),
                description="Journal for pleie og omsorg.")
    make_system("Public 360", org, supplier="Tietoevry", users=(oppvekst, helse, org), contract_end=None,
                description="Sak- og arkivsystem for hele kommunen.")
    make_system("Vigilo", oppvekst, supplier="Vigilo AS", users=(), contract_end=date(2026, 12, 31),
                description="Kommunikasjon mellom barnehage, skole og hjem.")
    return areas


def test_the_list_searches_name_supplier_and_description(client, register, manager):
    login(client, manager)
    assert _names(client, "?q=tietoevry") == ["Gerica", "Public 360"]
    assert _names(client, "?q=skolen") == ["Vigilo", "Visma Flyt Skole"]
    assert _names(client, "?q=flyt+sk") == ["Visma Flyt Skole"]
    assert _names(client, "?q=arkiv") == ["Public 360"]
    assert _names(client, "?q=PUBLIC") == ["Public 360"]
    assert _names(client, "?q=zzqx") == []
    for hostile in ("%25", "_", "%27+OR+1%3D1+--", "%22*", "a%5C", "NEAR(", "journal+AND+OR", "🙂" * 50):
        assert client.get("/staff/systems?q=" + hostile).status_code == 200


def test_the_list_filters_by_the_area_that_owns_or_uses_a_system(client, register, manager):
    login(client, manager)
    helse = register["Helse og velferd"].id
    assert _names(client, f"?area={helse}") == ["Gerica", "Public 360"]
    assert _names(client, "?area=999999") == []
    assert len(_names(client, "?area=nonsense")) == 4


def test_the_list_sorts_by_contract_end_with_unknown_dates_last(client, register, manager):
    login(client, manager)
    assert _names(client) == ["Gerica", "Public 360", "Vigilo", "Visma Flyt Skole"]
    assert _names(client, "?sort=contract_end") == ["Vigilo", "Gerica", "Visma Flyt Skole", "Public 360"]
    assert _names(client, "?sort=supplier")[0] == "Gerica"
    assert _names(client, "?sort=%27%3B") == _names(client)


def test_the_list_costs_the_same_queries_with_5_and_50_systems(client, areas, manager):
    login(client, manager)
    oppvekst, helse = areas["Oppvekst og utdanning"], areas["Helse og velferd"]

    def measure() -> int:
        # The register's own queries: the staff menu's counts come and go with their cache.
        with count_queries() as counter:
            assert client.get("/staff/systems?per_page=100").status_code == 200
        return len([s for s in counter.statements if "system" in s])

    for n in range(5):
        make_system(f"System {n}", oppvekst, users=(oppvekst, helse))
    few = measure()
    assert few == 3  # count, page, the areas of the page's systems
    for n in range(5, 50):
        make_system(f"System {n}", helse, users=(oppvekst,), contract_end=date(2027, 1, 1))
    assert measure() == few


# --- the duplicate-purchase check finds a system in use ------------------------------------


def test_similar_systems_match_inflected_words_and_nothing_else(register):
    assert [s.name for s in systems.similar_systems("Nytt journalsystem for omsorgen og pleie")] == ["Gerica"]
    assert "Vigilo" in [s.name for s in systems.similar_systems("Digital kommunikasjon med hjemmene")]
    assert systems.similar_systems("Kvantedatamaskin") == []
    assert systems.similar_systems("") == [] and systems.similar_systems("og i på") == []
    # No search syntax reaches the engine: these are only words.
    for hostile in ('"*) OR NEAR(x ; DROP', "a:* & !b | c", "'\\", "\x00", "AND OR NOT"):
        assert isinstance(systems.similar_systems(hostile), list)


def test_new_project_shows_the_system_the_municipality_already_has(client, register, manager):
    make_criteria()
    owner = make_project("Noe annet", description="Helt ulikt.").owner_service_area
    login(client, manager)
    data = {"title": "Nytt journalsystem for pleie og omsorg", "description": "Anskaffelse av fagsystem.",
            "kind": "acquisition", "phase": "proposed", "owner_service_area_id": owner.id,
            "progress": "0", "action": "create"}
    first = client.post("/staff/projects/new", data=data)
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Finnes dette allerede?" in html
    assert "Kommunen har allerede: Gerica (leverandør Tietoevry, eid av Helse og velferd)" in html
    assert db.session.scalar(select(Project).where(Project.title == data["title"])) is None
    fingerprint = re.search(r'name="checked" value="([0-9a-f]+)"', html).group(1)
    assert client.post("/staff/projects/new", data={**data, "checked": fingerprint}).status_code == 302
    assert db.session.scalar(select(Project).where(Project.title == data["title"])) is not None


def test_a_system_without_supplier_is_named_with_its_owner(client, areas, manager):
    make_system("Kvalitetslosen", areas["Helse og velferd"], supplier="", description="Avvik og kvalitet.")
    owner = make_project("Noe", description="Ulikt.").owner_service_area
    login(client, manager)
    html = client.post("/staff/projects/new", data={
        "title": "Nytt kvalitets- og avvikssystem", "kind": "acquisition", "phase": "proposed",
        "owner_service_area_id": owner.id, "progress": "0", "action": "check"}).get_data(as_text=True)
    assert "Kommunen har allerede: Kvalitetslosen (eid av Helse og velferd)" in html


# --- the board: contracts that end within the plan period ----------------------------------


def test_the_board_lists_contracts_ending_within_the_plan_soonest_first(client, areas, manager):
    first, last = plan_period()
    start, _ = systems.contract_window()  # today, or the plan's first day if that is earlier
    oppvekst, helse = areas["Oppvekst og utdanning"], areas["Helse og velferd"]
    make_system("Ends last day", oppvekst, contract_end=last)
    make_system("Ends first year", helse, contract_end=first + timedelta(days=40))
    make_system("Ends before the plan starts", helse, contract_end=start + timedelta(days=1))
    make_system("Ends after the plan", oppvekst, contract_end=last + timedelta(days=1))
    make_system("No end date", oppvekst, contract_end=None)
    make_system("Ended long ago", oppvekst, contract_end=start - timedelta(days=30))
    login(client, manager)
    html = client.get("/staff/portfolio/board").get_data(as_text=True)
    box = html[html.index('id="contracts-heading"'):]
    shown = re.findall(r'href="/staff/systems/\d+">([^<]+)</a>', box)
    assert shown == ["Ends before the plan starts", "Ends first year", "Ends last day"]
    assert "Helse og velferd" in box


def test_the_board_says_when_no_contract_ends_in_the_plan(client, areas, manager):
    login(client, manager)
    html = client.get("/staff/portfolio/board").get_data(as_text=True)
    assert "Ingen kontrakter i systemregisteret slutter i planperioden." in html


def test_the_list_shows_only_contracts_ending_in_the_plan_when_asked(client, areas, manager):
    _first, last = plan_period()
    make_system("Inside", areas["Helse og velferd"], contract_end=last - timedelta(days=1))
    make_system("Outside", areas["Helse og velferd"], contract_end=last + timedelta(days=400))
    login(client, manager)
    assert _names(client, "?ending=plan") == ["Inside"]
    html = client.get("/staff/systems").get_data(as_text=True)
    assert "innen planperioden" in html


# --- the demo's register -------------------------------------------------------------------


def test_the_demo_register_finds_demo_projects_and_fills_the_board(app):
    from app import demo_content
    from app.demo import _seed_structure
    from app.portfolio.demo_systems import SYSTEMS, seed_systems

    _seed_structure(demo_content)
    seed_systems([make_user(role=Role.PORTFOLIO_MANAGER)])
    assert db.session.scalar(select(func.count()).select_from(System)) == len(SYSTEMS) >= 12
    titles = {p["title"]: p["description"] for p in demo_content.PROJECTS}
    for title, name in [("Nytt elev- og ventelistesystem for kulturskolen", "Speedadmin"),
                        ("Fagsystem for forvaltning, drift og vedlikehold av bygg", "Plania"),
                        ("Nytt kvalitets- og avvikssystem for helse og velferd", "Compilo"),
                        ("Nytt fagsystem for barnehageopptak", "Visma Flyt Barnehage")]:
        found = [s.name for s in systems.similar_systems(f"{title} {titles[title]}")]
        assert name in found[:3], (title, found)
    ending, total = systems.contracts_ending()
    assert total >= 8 and [s.contract_end for s in ending] == sorted(s.contract_end for s in ending)
