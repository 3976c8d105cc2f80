"""Political and administrative priorities: the rule that sets them, the board that pins what
the council prioritised and filters by either, and the pages (hostile input refused by field)."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.core.errors import InvalidInput, NotAllowed
from app.extensions import db
from app.portfolio import queries, services
from app.portfolio.models import (
    AdministrativePriority,
    PoliticalPriority,
    ProjectChange,
)
from app.portfolio.plan import save_plan_budgets, save_project_costs, site_today
from app.portfolio.priorities import PriorityFilters, set_project_priorities
from tests.factories import login, make_service_area, make_user
from tests.portfolio.conftest import make_criteria, make_project

DECISION = {"political_priority": "prioritised", "council_case_number": "2026/123",
            "council_decision_date": "2026-06-18", "council_decision_text": "Vedtatt i budsjettet.",
            "administrative_priority": "high"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PLAN_FIRST_YEAR": 2027, "PLAN_YEARS": 4}


@pytest.fixture
def manager(app):
    return make_user(role=Role.PORTFOLIO_MANAGER)


# --- the rule ---------------------------------------------------------------------------


def test_manager_records_the_council_decision_and_the_administrative_priority(app, manager):
    project = make_project("Ny skole")
    set_project_priorities(manager, project, DECISION)
    db.session.expire_all()
    assert project.political_priority == PoliticalPriority.PRIORITISED
    assert (project.council_case_number, project.council_decision_date) == ("2026/123", date(2026, 6, 18))
    assert project.council_decision_text == "Vedtatt i budsjettet."
    assert project.administrative_priority == AdministrativePriority.HIGH
    # Both can be cleared again.
    set_project_priorities(manager, project, {"political_priority": "", "administrative_priority": ""})
    assert project.political_priority is None and project.administrative_priority is None
    assert project.council_case_number == "" and project.council_decision_date is None


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"council_case_number": ""}, "council_case_number", "Skriv saksnummeret"),
    ({"council_case_number": "   "}, "council_case_number", "Skriv saksnummeret"),
    ({"council_case_number": "x" * 41}, "council_case_number", "høyst 40 tegn"),
    ({"council_case_number": "2026/1\x00"}, "council_case_number", "ikke kan lagres"),
    ({"council_case_number": "\ud800"}, "council_case_number", "ikke kan lagres"),
    ({"council_case_number": ["2026/1"]}, "council_case_number", "som tekst"),
    ({"council_decision_date": ""}, "council_decision_date", "Skriv datoen for vedtaket."),
    ({"council_decision_date": "18.06.2026"}, "council_decision_date", "ÅÅÅÅ-MM-DD"),
    ({"council_decision_date": "1999-12-31"}, "council_decision_date", "mellom 2000-01-01 og i dag"),
    ({"council_decision_date": "9999-12-31"}, "council_decision_date", "mellom 2000-01-01 og i dag"),
    ({"council_decision_date": "2026-02-30"}, "council_decision_date", "ÅÅÅÅ-MM-DD"),
    ({"council_decision_date": 20260618}, "council_decision_date", "ÅÅÅÅ-MM-DD"),
    ({"council_decision_text": "x" * 501}, "council_decision_text", "høyst 500 tegn"),
    ({"council_decision_text": "ok\x00"}, "council_decision_text", "ikke kan lagres"),
    ({"political_priority": "maybe"}, "political_priority", "Velg hva kommunestyret vedtok."),
    ({"political_priority": ["prioritised"]}, "political_priority", "Velg hva kommunestyret vedtok."),
    ({"administrative_priority": "urgent"}, "administrative_priority", "Velg høy, middels, lav eller ingen."),
    ({"political_priority": ""}, "political_priority", "tøm feltene om vedtaket"),
])
def test_priorities_refuse_hostile_input_by_field(app, manager, change, field, words):
    project = make_project()
    with pytest.raises(InvalidInput) as caught:
        set_project_priorities(manager, project, {**DECISION, **change})
    assert words in caught.value.fields[field][0]
    db.session.expire_all()
    assert project.political_priority is None and project.administrative_priority is None


def test_a_decision_dated_tomorrow_is_refused_and_today_is_fine(app, manager):
    project = make_project()
    tomorrow = (site_today() + timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput):
        set_project_priorities(manager, project, {**DECISION, "council_decision_date": tomorrow})
    set_project_priorities(manager, project, {**DECISION, "council_decision_date": site_today().isoformat()})
    assert project.council_decision_date == site_today()


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR])
def test_only_portfolio_managers_set_priorities(app, role):
    project = make_project()
    with pytest.raises(NotAllowed):
        set_project_priorities(make_user(role=role), project, DECISION)


def test_priority_changes_are_on_record(app, manager):
    project = make_project()
    set_project_priorities(manager, project, DECISION)
    set_project_priorities(manager, project, {**DECISION, "administrative_priority": "low"})
    save_project_costs(manager, project, {"2027": {"investment": "500", "running": "20"}})
    rows = db.session.scalars(select(ProjectChange).where(ProjectChange.project_id == project.id)
                              .order_by(ProjectChange.id)).all()
    changes = [(row.field, row.before, row.after) for row in rows]
    assert ("political_priority", "", "prioritised") in changes
    assert ("council_case_number", "", "2026/123") in changes
    assert ("administrative_priority", "high", "low") in changes
    assert ("plan_cost", "", "2027:500:20") in changes
    assert all(row.actor_id == manager.id for row in rows)
    # Saving the same again writes nothing.
    count = len(rows)
    set_project_priorities(manager, project, {**DECISION, "administrative_priority": "low"})
    assert db.session.query(ProjectChange).filter_by(project_id=project.id).count() == count


# --- the board --------------------------------------------------------------------------


def _ranked(app, manager, **priorities):
    """Three projects scored 5, 4 and 1; the lowest carries the council's decision."""
    make_criteria({"risk": 10})
    area = make_service_area()
    best, middle, low = (make_project(title, owner=area, cost=1_000) for title in ("Best", "Midt", "Lav"))
    for project, score in ((best, 5), (middle, 4), (low, 1)):
        services.assess_project(manager, project, {"risk": score})
    set_project_priorities(manager, low, DECISION)
    set_project_priorities(manager, middle, {"administrative_priority": "medium"})
    set_project_priorities(manager, best, {"political_priority": "not_prioritised", "council_case_number": "2025/9",
                                           "council_decision_date": "2025-12-01"})
    return best, middle, low


def test_a_council_priority_is_never_outweighed_by_a_higher_score(app, manager):
    _ranked(app, manager)
    board = queries.board(queries.ProjectFilters(), budget=1_500)
    assert [row.project.title for row in board.rows] == ["Lav", "Best", "Midt"]
    assert [row.pinned for row in board.rows] == [True, False, False]
    assert board.pinned_count == 1
    # The council's project gets the money first: the line falls after it and the best score.
    assert [row.fits for row in board.rows] == [True, False, False]
    assert board.rows[0].card.score < board.rows[1].card.score


def test_the_council_priority_is_on_the_first_page_and_marked(client, app, manager):
    _ranked(app, manager)
    login(client, manager)
    html = client.get("/staff/portfolio/board?per_page=1").get_data(as_text=True)
    assert "Lav" in html and "Best" not in html
    assert "Politisk vedtatt" in html and "sak 2026/123" in html
    assert "1 prosjekt er politisk vedtatt og står øverst uansett poengsum." in html
    assert "står øverst på tavlen uansett poengsum" in html  # the help text says how
    page2 = client.get("/staff/portfolio/board?per_page=1&page=2").get_data(as_text=True)
    assert "Politisk ikke prioritert" in page2 and "sak 2025/9" in page2


@pytest.mark.parametrize(("query", "titles"), [
    ("political=prioritised", ["Lav"]),
    ("political=not_prioritised", ["Best"]),
    ("political=none", ["Midt"]),
    ("administrative=high", ["Lav"]),
    ("administrative=medium", ["Midt"]),
    ("administrative=none", ["Best"]),
    ("administrative=low", []),
    ("political=prioritised&administrative=medium", []),
    ("political=nonsense&administrative=%00", ["Lav", "Best", "Midt"]),
    ("political=" + "x" * 5000, ["Lav", "Best", "Midt"]),
])
def test_board_filters_by_either_priority(app, manager, query, titles):
    _ranked(app, manager)
    args = dict(part.split("=", 1) for part in query.split("&"))
    rows = queries.board(queries.ProjectFilters(), priorities=PriorityFilters.from_args(args)).rows
    assert [row.project.title for row in rows] == titles


def test_the_priority_filters_are_kept_in_the_pages_and_the_csv(client, app, manager):
    _ranked(app, manager)
    for n in range(3):
        make_project(f"Uten vedtak {n}")
    login(client, manager)
    html = client.get("/staff/portfolio/board?political=none&administrative=none&per_page=2").get_data(as_text=True)
    assert "Uten vedtak 0" in html and ">Lav</a>" not in html and ">Best</a>" not in html
    assert 'value="none" selected' in html
    assert "political=none" in html.split('aria-label="Sider i tavlen"')[1].split("</nav>")[0]
    csv_link = html.split('download>')[0].rsplit('href="', 1)[1]
    assert "political=none" in csv_link and "administrative=none" in csv_link
    text = client.get("/staff/portfolio/board.csv?political=prioritised").get_data().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["Politisk prioritet"], row["Saksnummer"], row["Vedtaksdato"], row["Administrativ prioritet"]) == (
        "Politisk vedtatt", "2026/123", "2026-06-18", "Høy")


def test_the_council_priority_gets_each_years_budget_first(app, manager):
    best, middle, low = _ranked(app, manager)
    for project in (best, middle, low):
        save_project_costs(manager, project, {"2027": {"investment": "600"}})
    save_plan_budgets(manager, {"2027": {"investment": "1000"}})
    rows = queries.board(queries.ProjectFilters()).rows
    assert [(row.project.title, row.plan.fits[2027]) for row in rows] == [
        ("Lav", True), ("Best", False), ("Midt", False)]


# --- the pages --------------------------------------------------------------------------


def test_priority_page_saves_and_the_project_page_shows_the_council_decision_to_everyone(client, app, manager):
    project = make_project("Sykkelvei")
    login(client, manager)
    form = client.get(f"/staff/projects/{project.id}/priorities").get_data(as_text=True)
    assert "Vedtak i kommunestyret" in form and "Administrativ prioritet" in form
    response = client.post(f"/staff/projects/{project.id}/priorities", data=DECISION)
    assert response.status_code == 302 and response.headers["Location"].endswith("#priorities")
    staff_page = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "kommunestyret, sak 2026/123" in staff_page and "Høy" in staff_page
    client.post("/logout")
    public = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "kommunestyret, sak 2026/123" in public and "Vedtatt i budsjettet." in public
    # The administration's priority is the staff's.
    assert "Administrativ prioritet" not in public and "Endre prioriteringen" not in public


def test_priority_page_keeps_the_input_and_shows_errors_next_to_the_fields(client, app, manager):
    project = make_project("Bibliotek")
    login(client, manager)
    response = client.post(f"/staff/projects/{project.id}/priorities", data={
        **DECISION, "council_case_number": "", "council_decision_date": "2999-01-01",
        "council_decision_text": "Min tekst",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="council_case_number-error"' in html and "Skriv saksnummeret" in html
    assert 'id="council_decision_date-error"' in html and 'value="2999-01-01"' in html
    assert "Min tekst" in html and re.search(r'<input[^>]*checked[^>]*value="prioritised"', html)
    assert 'href="#council_case_number"' in html
    db.session.expire_all()
    assert project.political_priority is None


def test_priority_page_permissions_and_other_ids(client, app, manager):
    internal = make_project("Internt", public=False)
    assert client.get(f"/staff/projects/{internal.id}/priorities").status_code == 302
    login(client, make_user(role=Role.MODERATOR))
    assert client.get(f"/staff/projects/{internal.id}/priorities").status_code == 403
    assert client.post(f"/staff/projects/{internal.id}/priorities", data=DECISION).status_code == 403
    client.post("/logout")
    login(client, manager)
    for missing in (987_654, 2**31, 10**40):
        assert client.post(f"/staff/projects/{missing}/priorities", data=DECISION).status_code == 404
    assert client.post(f"/staff/projects/{internal.id}/priorities",
                       data={**DECISION, "council_case_number": "1\x00"}).status_code == 400
    db.session.expire_all()
    assert internal.political_priority is None


# --- the API ----------------------------------------------------------------------------


def _bearer(user) -> dict:
    from app.accounts.services import create_api_token

    _token, raw = create_api_token(user, "test")
    return {"Authorization": f"Bearer {raw}"}


def test_api_sets_priorities_costs_and_budgets_over_the_same_rules(client, app, manager):
    project = make_project("Kulturskole")
    headers = _bearer(manager)
    response = client.put(f"/api/v1/projects/{project.id}/priorities", json=DECISION, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["political_priority"] == "prioritised"
    assert response.get_json()["council_decision_date"] == "2026-06-18"
    bad = client.put(f"/api/v1/projects/{project.id}/priorities", headers=headers,
                     json={**DECISION, "council_case_number": "", "council_decision_date": "2999-01-01"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"council_case_number", "council_decision_date"}
    assert client.put(f"/api/v1/projects/{project.id}/priorities", headers=headers,
                      json={**DECISION, "council_case_number": "1\x00"}).status_code == 400

    response = client.put(f"/api/v1/projects/{project.id}/costs", headers=headers,
                          json={"years": {"2027": {"investment": 1_000_000, "running": "50 000"}}})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["costs"] == [{"year": 2027, "investment": 1_000_000, "running": 50_000}]
    bad = client.put(f"/api/v1/projects/{project.id}/costs", headers=headers,
                     json={"years": {"2031": {"investment": 1}, "2028": {"running": -4}}})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"years", "running-2028"}
    for body in ({"years": ["2027"]}, {"years": "x"}, {"years": {"2027": 5}}):
        assert client.put(f"/api/v1/projects/{project.id}/costs", headers=headers, json=body).status_code == 422

    response = client.put("/api/v1/portfolio/plan", headers=headers,
                          json={"years": {"2027": {"investment": "2 000 000", "running": None}}})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["budgets"][0] == {"year": 2027, "investment": 2_000_000, "running": None}
    assert client.get("/api/v1/portfolio/plan", headers=headers).get_json()["plan_years"] == [2027, 2028, 2029, 2030]


def test_api_board_pins_filters_and_shows_each_years_line(client, app, manager):
    best, _middle, low = _ranked(app, manager)
    save_project_costs(manager, low, {"2027": {"investment": "800"}})
    save_project_costs(manager, best, {"2027": {"investment": "800"}})
    save_plan_budgets(manager, {"2027": {"investment": "1000"}})
    headers = _bearer(manager)
    data = client.get("/api/v1/portfolio/board", headers=headers).get_json()
    assert [item["project"]["title"] for item in data["items"]] == ["Lav", "Best", "Midt"]
    first = data["items"][0]
    assert first["pinned"] and first["political_priority"] == "prioritised" and first["council_case_number"] == "2026/123"
    assert first["plan"] == [{"year": 2027, "investment": 800, "running": 0, "cumulative_investment": 800,
                              "cumulative_running": 0, "fits": True}]
    assert data["items"][1]["plan"][0]["fits"] is False and data["items"][2]["plan"] == []
    assert data["plan"][0]["first_over_rank"] == 2 and data["plan"][0]["investment_within"] == 800
    only = client.get("/api/v1/portfolio/board?administrative=medium", headers=headers).get_json()
    assert [item["project"]["title"] for item in only["items"]] == ["Midt"]


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.MODERATOR])
def test_api_priorities_and_costs_are_for_portfolio_managers(client, app, role):
    project = make_project(public=False)
    headers = _bearer(make_user(role=role)) if role else {}
    expected = 401 if role is None else (404 if role == Role.RESIDENT else 403)
    assert client.put(f"/api/v1/projects/{project.id}/priorities", json=DECISION, headers=headers).status_code == expected
    assert client.put(f"/api/v1/projects/{project.id}/costs", json={"years": {"2027": {"investment": 1}}},
                      headers=headers).status_code == expected
    assert client.put("/api/v1/portfolio/plan", json={"years": {"2027": {"investment": 1}}},
                      headers=headers).status_code == (401 if role is None else 403)
    db.session.expire_all()
    assert project.political_priority is None
    assert client.put("/api/v1/projects/987654/costs", json={"years": {}},
                      headers=_bearer(make_user(role=Role.PORTFOLIO_MANAGER))).status_code == 404
