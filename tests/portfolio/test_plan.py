"""The multi-year plan: the plan's years, a project's costs per plan year (investment and running),
the budget per year, and the board's budget line per year; hostile input refused by field."""

import csv
import io
import threading

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.core.errors import InvalidInput, NotAllowed
from app.extensions import db
from app.portfolio import queries, services
from app.portfolio.models import PlanBudget, ProjectCost, ProjectPhase
from app.portfolio.plan import (
    plan_budgets,
    plan_line,
    plan_period,
    plan_years,
    project_costs,
    save_plan_budgets,
    save_project_costs,
    site_today,
)
from tests.factories import login, make_service_area, make_user
from tests.portfolio.conftest import count_queries, make_criteria, make_project

YEARS = [2027, 2028, 2029, 2030]


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PLAN_FIRST_YEAR": 2027, "PLAN_YEARS": 4}


def _costs(project) -> dict[int, tuple[int, int]]:
    return {year: (row.investment, row.running) for year, row in project_costs(project.id).items()}


# --- the plan's years -------------------------------------------------------------------


def test_plan_years_come_from_the_settings(app):
    assert plan_years() == YEARS
    assert [d.isoformat() for d in plan_period()] == ["2027-01-01", "2030-12-31"]
    app.config["PLAN_YEARS"] = 2
    assert plan_years() == [2027, 2028]


def test_plan_starts_next_year_by_default_and_the_number_of_years_is_bounded(app):
    app.config["PLAN_FIRST_YEAR"] = 0
    assert plan_years()[0] == site_today().year + 1
    app.config["PLAN_YEARS"] = 500
    assert len(plan_years()) == 10
    app.config["PLAN_YEARS"] = -3
    assert len(plan_years()) == 1
    app.config["PLAN_FIRST_YEAR"] = 99999  # nonsense: next year again
    assert plan_years()[0] == site_today().year + 1


# --- a project's costs per year ---------------------------------------------------------


@pytest.fixture
def manager(app):
    return make_user(role=Role.PORTFOLIO_MANAGER)


def test_manager_enters_costs_per_year_and_empty_years_are_removed(app, manager):
    project = make_project("Ny barnehage")
    save_project_costs(manager, project, {
        "2027": {"investment": "12 000 000", "running": ""},
        2028: {"investment": 3_000_000, "running": "450\u00a0000"},
        "2029": {"investment": "", "running": ""},
    })
    assert _costs(project) == {2027: (12_000_000, 0), 2028: (3_000_000, 450_000)}
    # A year left out stays; a year emptied goes.
    save_project_costs(manager, project, {"2027": {"investment": "0", "running": "0"}})
    assert _costs(project) == {2028: (3_000_000, 450_000)}
    assert project.estimated_cost == 1_000_000  # the single estimate is untouched


@pytest.mark.parametrize(("raw", "message"), [
    ("-5", "kan ikke være negativt"),
    ("\u22125000", "kan ikke være negativt"),
    ("1000000000001", "høyst 1 000 000 000 000 kroner"),
    ("9" * 400, "hele kroner"),
    ("12,5", "hele kroner"),
    ("1e9", "hele kroner"),
    ("²", "hele kroner"),
    ("١٢", "hele kroner"),
    ("12\x00", "hele kroner"),
    (True, "hele kroner"),
    (12.5, "hele kroner"),
    (["1"], "hele kroner"),
])
def test_costs_refuse_amounts_that_are_not_whole_kroner_within_bounds(app, manager, raw, message):
    project = make_project()
    with pytest.raises(InvalidInput) as caught:
        save_project_costs(manager, project, {"2027": {"investment": raw, "running": "1"}})
    assert message in caught.value.fields["investment-2027"][0]
    assert "running-2027" not in caught.value.fields
    assert _costs(project) == {}


@pytest.mark.parametrize("year", ["2026", "2031", "1999", "99999999999999999999", "２０２７", "2027.0", "", "-2027",
                                  2031, True])
def test_costs_refuse_years_outside_the_plan(app, manager, year):
    project = make_project()
    with pytest.raises(InvalidInput) as caught:
        save_project_costs(manager, project, {year: {"investment": "1", "running": "1"},
                                              "2027": {"investment": "5", "running": "0"}})
    assert "2027–2030" in caught.value.fields["years"][0]
    assert _costs(project) == {}  # nothing is stored when anything is wrong


def test_costs_refuse_a_body_that_is_not_a_list_per_year(app, manager):
    project = make_project()
    for body in (["2027"], "2027", {"2027": "5"}):
        with pytest.raises(InvalidInput):
            save_project_costs(manager, project, body)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR])
def test_only_portfolio_managers_enter_costs(app, role):
    project = make_project()
    with pytest.raises(NotAllowed):
        save_project_costs(make_user(role=role), project, {"2027": {"investment": "1"}})
    assert _costs(project) == {}


def test_costs_page_keeps_what_was_typed_and_shows_each_error_next_to_its_field(client, app, manager):
    project = make_project("Svømmehall")
    login(client, manager)
    response = client.post(f"/staff/projects/{project.id}/costs", data={
        "investment-2027": "-300", "running-2027": "200 000", "investment-2028": "abc",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="-300"' in html and 'value="200 000"' in html and 'value="abc"' in html
    assert 'id="investment-2027-error"' in html and "Beløpet kan ikke være negativt." in html
    assert 'aria-describedby="investment-2028-error"' in html
    assert 'href="#investment-2027"' in html  # the summary links to the field
    assert _costs(project) == {}

    response = client.post(f"/staff/projects/{project.id}/costs", data={
        "investment-2027": "5 000 000", "running-2027": "200 000", "running-2030": "10",
    })
    assert response.status_code == 302 and response.headers["Location"].endswith("#plan")
    assert _costs(project) == {2027: (5_000_000, 200_000), 2030: (0, 10)}
    page = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Prioritering og økonomiplan" in page and "5\xa0000\xa0000 kr" in page


def test_costs_page_refuses_a_year_outside_the_plan_and_other_ids(client, app, manager):
    project, other = make_project("Mitt"), make_project("Annet")
    save_project_costs(manager, other, {"2027": {"investment": "7", "running": "0"}})
    login(client, manager)
    response = client.post(f"/staff/projects/{project.id}/costs", data={"investment-2040": "5"})
    assert "Økonomiplanen gjelder 2027–2030" in response.get_data(as_text=True)
    # The project is the one in the address; no field can reach another project's costs.
    client.post(f"/staff/projects/{project.id}/costs", data={"investment-2027": "9", "project_id": str(other.id)})
    assert _costs(project) == {2027: (9, 0)} and _costs(other) == {2027: (7, 0)}
    for missing in (999_999, 2**31 - 1, 2**31, 10**30):
        assert client.get(f"/staff/projects/{missing}/costs").status_code == 404
        assert client.post(f"/staff/projects/{missing}/costs", data={"investment-2027": "1"}).status_code == 404
    assert client.post(f"/staff/projects/{project.id}/costs", data={"investment-2027": "1\x00"}).status_code == 400
    assert _costs(project) == {2027: (9, 0)}


def test_costs_page_permissions(client, app):
    project = make_project(public=False)
    assert client.get(f"/staff/projects/{project.id}/costs").status_code == 302  # to the login
    login(client, make_user(role=Role.MODERATOR))
    assert client.get(f"/staff/projects/{project.id}/costs").status_code == 403
    assert client.post(f"/staff/projects/{project.id}/costs", data={"investment-2027": "1"}).status_code == 403
    assert _costs(project) == {}


@pytest.mark.postgres
def test_two_managers_saving_costs_at_once_leave_one_row_per_year(app, manager, backend):
    if backend != "postgresql":
        pytest.skip("row locks across connections: PostgreSQL")
    project = make_project()
    other = make_user(role=Role.PORTFOLIO_MANAGER)
    project_id, ids = project.id, (manager.id, other.id)
    errors = []
    barrier = threading.Barrier(2)

    def save(user_id: int, amount: int):
        with app.app_context():
            try:
                from app.accounts.models import User
                from app.portfolio.models import Project

                barrier.wait()
                save_project_costs(db.session.get(User, user_id), db.session.get(Project, project_id),
                                   {"2027": {"investment": str(amount), "running": "0"}})
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(user_id, n)) for n, user_id in enumerate(ids, start=1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert db.session.scalar(select(func.count()).select_from(ProjectCost)) == 1


# --- the budget per year ----------------------------------------------------------------


def test_budget_per_year_is_saved_and_an_empty_amount_is_no_budget(app, manager):
    save_plan_budgets(manager, {"2027": {"investment": "20 000 000", "running": "2 000 000"},
                                "2028": {"investment": "", "running": "1"}})
    budgets = plan_budgets()
    assert (budgets[2027].investment, budgets[2027].running) == (20_000_000, 2_000_000)
    assert (budgets[2028].investment, budgets[2028].running) == (None, 1)
    assert budgets[2027].updated_by_id == manager.id
    save_plan_budgets(manager, {"2027": {"investment": "", "running": ""}})
    assert (plan_budgets()[2027].investment, plan_budgets()[2027].running) == (None, None)
    with pytest.raises(InvalidInput) as caught:
        save_plan_budgets(manager, {"2031": {"investment": "1"}, "2028": {"running": "-1"}})
    assert set(caught.value.fields) == {"years", "running-2028"}


def test_scoped_and_non_managers_cannot_set_the_budget(app):
    for role in (Role.RESIDENT, Role.MODERATOR):
        with pytest.raises(NotAllowed):
            save_plan_budgets(make_user(role=role), {"2027": {"investment": "1"}})
    assert db.session.scalar(select(func.count()).select_from(PlanBudget)) == 0


def test_budget_page_saves_and_keeps_input_on_errors(client, app, manager):
    login(client, manager)
    page = client.get("/staff/portfolio/plan-budgets").get_data(as_text=True)
    assert "Budsjett i økonomiplanen 2027–2030" in page and 'name="investment-2030"' in page
    response = client.post("/staff/portfolio/plan-budgets", data={"investment-2027": "10 000", "running-2029": "x"})
    html = response.get_data(as_text=True)
    assert 'value="10 000"' in html and 'id="running-2029-error"' in html
    assert plan_budgets() == {}
    response = client.post("/staff/portfolio/plan-budgets", data={"investment-2027": "10 000", "running-2029": "5"})
    assert response.status_code == 302
    assert plan_budgets()[2027].investment == 10_000 and plan_budgets()[2029].running == 5
    client.post("/logout")
    login(client, make_user(role=Role.MODERATOR))
    assert client.get("/staff/portfolio/plan-budgets").status_code == 403


# --- the board's line per year ----------------------------------------------------------


def _budget(year, investment=None, running=None) -> PlanBudget:
    return PlanBudget(year=year, investment=investment, running=running)


def test_plan_line_draws_each_years_line_in_rank_order():
    costs = {
        1: {2027: (600, 0), 2028: (0, 50)},
        2: {2027: (300, 10), 2029: (100, 0)},
        3: {2027: (200, 0), 2028: (0, 60)},
        4: {},
        5: {2028: (0, 10)},
    }
    budgets = {2027: _budget(2027, investment=1000), 2028: _budget(2028, running=100)}
    summary, rows = plan_line([1, 2, 3, 4, 5], costs, budgets, [2027, 2028, 2029])
    y27, y28, y29 = summary.years
    # 2027: 600, 900 fit; 1100 goes over: the line is drawn above rank 3.
    assert [row.fits.get(2027) for row in rows] == [True, True, False, None, None]
    assert (y27.first_over_rank, y27.investment_within, y27.count_within, y27.count_with_cost) == (3, 900, 2, 3)
    assert [row.cumulative[2027] for row in rows] == [(600, 0), (900, 10), (1100, 10), (1100, 10), (1100, 10)]
    assert rows[2].lines_above == [2027, 2028]
    # 2028: running 50, then 110 > 100: over at rank 3, and rank 5 below the line gets nothing.
    assert [row.fits.get(2028) for row in rows] == [True, None, False, None, False]
    assert (y28.first_over_rank, y28.running_within, y28.running_total) == (3, 50, 120)
    # 2029 has no budget: no line, nothing within or over.
    assert not y29.has_budget and y29.first_over_rank is None and rows[1].fits[2029] is None
    assert summary.without_costs == 1
    assert [row.within_plan for row in rows] == [True, True, False, None, False]


def test_board_shows_what_fits_in_each_year_and_the_csv_has_every_year(client, app, manager):
    make_criteria({"risk": 10})
    area = make_service_area()
    first, second, third = (make_project(f"Prosjekt {n}", owner=area, cost=None) for n in "ABC")
    for project, score in ((first, 5), (second, 4), (third, 3)):
        services.assess_project(manager, project, {"risk": score})
    save_project_costs(manager, first, {"2027": {"investment": "600", "running": "0"}})
    save_project_costs(manager, second, {"2027": {"investment": "500", "running": "0"},
                                         "2028": {"investment": "0", "running": "70"}})
    save_project_costs(manager, third, {"2027": {"investment": "100", "running": "0"}})
    save_plan_budgets(manager, {"2027": {"investment": "1000"}, "2028": {"running": "100"}})

    board = queries.board(queries.ProjectFilters())
    assert [row.project.title for row in board.rows] == ["Prosjekt A", "Prosjekt B", "Prosjekt C"]
    assert [row.plan.fits.get(2027) for row in board.rows] == [True, False, False]
    assert board.plan.line(2027).first_over_rank == 2 and board.plan.line(2028).first_over_rank is None

    login(client, manager)
    html = client.get("/staff/portfolio/board?year=2027").get_data(as_text=True)
    assert "Økonomiplanen 2027–2030" in html
    assert html.index("Prosjekt A") < html.index("Budsjettstreken for 2027") < html.index("Prosjekt B")
    assert "600 kr / 1\xa0000 kr" in html and "over nr. 2" in html and "alt får plass" in html
    assert "Kostnad 2027" in html and "Sum hit 2027" in html
    # Without a year: the whole estimated cost as before, and each year at a glance.
    plain = client.get("/staff/portfolio/board").get_data(as_text=True)
    assert "Budsjettstreken for 2027" not in plain and "Kostnad 2027" not in plain
    assert "2028:</span> 70 kr" in plain

    text = client.get("/staff/portfolio/board.csv?year=2027").get_data().decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "Investering 2030 (kr)" in header and "Innenfor budsjettet 2028" in header
    row_b = dict(zip(header, lines[1], strict=True))
    assert row_b["Investering 2027 (kr)"] == "500" and row_b["Sum investering 2027 til og med denne (kr)"] == "1100"
    assert row_b["Innenfor budsjettet 2027"] == "nei" and row_b["Innenfor budsjettet 2028"] == "ja"


def test_a_cost_saved_moves_the_line_at_once(app, manager):
    make_criteria({"risk": 10})
    project = make_project("Bibliotek")
    save_plan_budgets(manager, {"2027": {"investment": "100"}})
    assert queries.board(queries.ProjectFilters()).rows[0].plan.fits.get(2027) is None
    save_project_costs(manager, project, {"2027": {"investment": "150"}})
    assert queries.board(queries.ProjectFilters()).rows[0].plan.fits.get(2027) is False
    save_plan_budgets(manager, {"2027": {"investment": "200"}})
    assert queries.board(queries.ProjectFilters()).rows[0].plan.fits.get(2027) is True


def test_a_nonsense_year_shows_the_whole_cost(client, app, manager):
    make_criteria()
    make_project("Kulturhus")
    login(client, manager)
    for year in ("2026", "abcd", "2027x", "٢٠٢٧", "9" * 50):
        html = client.get(f"/staff/portfolio/board?year={year}").get_data(as_text=True)
        assert "Kulturhus" in html and "Kostnad 2027" not in html


def _measure(client, path: str):
    """The queries of one request as a fresh one costs them: warmed up once, with nothing in the
    test's session (it is the requests' session too, and its identity map would hide queries)."""
    db.session.remove()
    warm = client.get(path)
    assert warm.status_code == 200 and warm.get_data()
    db.session.remove()
    with count_queries() as log:
        response = client.get(path)
        response.get_data()  # a CSV streams: its rows are read here
    db.session.remove()
    assert response.status_code == 200
    return log, response


def _grow(n: int, owner_id: int, manager_id: int):
    from app.accounts.models import User
    from app.core.models import ServiceArea

    manager, owner = db.session.get(User, manager_id), db.session.get(ServiceArea, owner_id)
    for i in range(n):
        project = make_project(f"Prosjekt {i} av {n}", owner=owner, phase=ProjectPhase.PLANNED)
        save_project_costs(manager, project, {"2027": {"investment": "100", "running": "5"},
                                              "2029": {"investment": "1", "running": "0"}})
        services.assess_project(manager, project, {"risk": 3})


@pytest.mark.parametrize("path", ["/staff/portfolio/board?year=2027&political=none", "/staff/portfolio/board",
                                  "/staff/portfolio/board.csv", "/staff/portfolio/plan-budgets"])
def test_plan_pages_cost_the_same_number_of_queries_for_more_rows(client, app, manager, path):
    make_criteria()
    owner_id, manager_id = make_service_area().id, manager.id
    save_plan_budgets(manager, {"2027": {"investment": "250"}})
    login(client, manager)
    _grow(2, owner_id, manager_id)
    small, _response = _measure(client, path)
    _grow(6, owner_id, manager_id)
    large, _response = _measure(client, path)
    assert large.count == small.count, large.statements[small.count:]


def test_project_page_costs_one_query_for_the_plan_whatever_the_years(client, app, manager):
    project_id, manager_id = make_project("Idrettshall").id, manager.id
    login(client, manager)
    before, _response = _measure(client, f"/portfolio/projects/{project_id}")
    from app.accounts.models import User
    from app.portfolio.models import Project

    save_project_costs(db.session.get(User, manager_id), db.session.get(Project, project_id),
                       {str(y): {"investment": "1", "running": "1"} for y in YEARS})
    after, response = _measure(client, f"/portfolio/projects/{project_id}")
    assert after.count == before.count, after.statements
    assert response.get_data(as_text=True).count('<th scope="row">20') == 4


# --- the demo ---------------------------------------------------------------------------


def test_demo_plan_spreads_costs_sets_budgets_and_priorities(app):
    from app.portfolio.demo_plan import COUNCIL, seed_plan
    from app.portfolio.models import ProjectKind

    admin, manager = make_user(role=Role.ADMIN), make_user(role=Role.PORTFOLIO_MANAGER)
    make_criteria({"risk": 10})
    area = make_service_area()
    council_title = COUNCIL[0][0]
    projects = [
        make_project(council_title, owner=area, cost=8_000_000),
        make_project("Fagsystem", owner=area, cost=2_400_000, kind=ProjectKind.ACQUISITION),
        make_project("Utredning", owner=area, cost=400_000, kind=ProjectKind.STUDY, phase=ProjectPhase.PLANNED),
        make_project("Uten kostnad", owner=area, cost=None),
        make_project("Ferdig", owner=area, cost=5_000_000, phase=ProjectPhase.COMPLETED),
    ]
    for project, score in zip(projects, (1, 5, 4, 3, 2), strict=True):
        services.assess_project(manager, project, {"risk": score})
    seed_plan([admin, manager])

    assert _costs(projects[0]) == {2027: (4_000_000, 0), 2028: (4_000_000, 0), 2029: (0, 320_000),
                                   2030: (0, 320_000)}
    assert _costs(projects[1]) == {2028: (2_400_000, 0), 2029: (0, 360_000), 2030: (0, 360_000)}
    assert _costs(projects[2]) == {2027: (0, 200_000), 2028: (0, 200_000)}
    assert _costs(projects[3]) == {} and _costs(projects[4]) == {}
    board = queries.board(queries.ProjectFilters())
    assert board.rows[0].project.title == council_title and board.rows[0].pinned
    assert board.rows[0].project.council_case_number == COUNCIL[0][2]
    assert board.plan.line(2028).investment_budget == 3_800_000  # 60 % of 6.4 million, in 100 000s
    assert all(line.first_over_rank is not None for line in board.plan.years[:2])  # something to decide
    assert {row.project.administrative_priority for row in board.rows} - {None}
