"""The prioritisation board kept for staff who see the same projects with the same rights, the
answer inbox for staff of the same areas (app/core/pagecache.py: kept_fragment), and the menu's
counts kept per person (app/core/navigation.py): a second look costs neither the page's
statements nor the menu's; any write shows on the very next page; nobody is shown a board or
an inbox kept for other areas or other rights."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Role, User
from app.extensions import db
from app.ideas.models import IdeaStatus
from app.notifications.fanout import fan_out
from app.notifications.models import Notice
from app.portfolio import answers, services
from app.portfolio.models import ProjectPhase
from bench.querycount import count_queries
from tests.factories import login, make_service_area, make_user, signed_in
from tests.portfolio.conftest import make_criteria, make_idea, make_project

BOARD = "/staff/portfolio/board"
INBOX = "/staff/answers"
CSRF = re.compile(r'(name="csrf-token" content|name="csrf_token"\s+value)="[^"]*"')


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAGE_CACHE_SECONDS": 30}


@pytest.fixture
def town(app) -> dict:
    make_criteria()
    health = make_service_area("Hjemmetjenester", area_name="Helse og velferd")
    school = make_service_area("Grunnskole", area_name="Oppvekst og utdanning")
    return {
        "health": health, "school": school,
        "health_internal": make_project("Velferdsteknologi i hjemmetjenesten", owner=health, public=False,
                                        phase=ProjectPhase.PLANNED),
        "school_internal": make_project("Nytt skoleadministrativt system", owner=school, public=False,
                                        phase=ProjectPhase.PLANNED),
        "health_idea": make_idea(title="Trygghetsalarm for alle over 80", service_area=health),
        "school_idea": make_idea(title="Leksehjelp på biblioteket", service_area=school),
    }


def _scoped(role: Role, area):
    person = make_user(role=role)
    accounts.set_user_areas(None, person, [area.municipal_area_id])
    return person


def _read_the_board(log) -> bool:
    """Whether the board's projects were read (its own statement, not a menu count's)."""
    return any("projects.title" in sql for sql, _params in log.statements)


def _without_token(page: str) -> str:
    return CSRF.sub("", page)


def _signed_in(app, people: dict) -> dict:
    return dict(zip(people, signed_in(app, *people.values()), strict=True))


def _first_looks(clients: dict, names: tuple, address: str, read) -> dict:
    """Each person's first look at the page, each of which must read it, not find it kept."""
    pages = {}
    for name in names:
        with count_queries() as log:
            pages[name] = clients[name].get(address).get_data(as_text=True)
        assert read(log), f"{name} was given a page kept for someone else"
    return pages


def _board(app, user) -> tuple[str, list[str]]:
    """The board as `user` sees it on a second look, and the statements that look cost."""
    client = app.test_client()
    login(client, user)
    client.get(BOARD)  # the menu and (unless kept for someone else) the board, counted once
    with count_queries() as log:
        response = client.get(BOARD)
    assert response.status_code == 200
    return response.get_data(as_text=True), [sql for sql, _params in log.statements]


def test_a_second_look_at_the_board_costs_only_the_sign_in_and_any_write_shows_at_once(app, town):
    admin, other = make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)
    client, other_client = app.test_client(), app.test_client()
    login(client, admin)  # signing in is a write: both before the board is kept
    login(other_client, other)
    client.get(BOARD)  # the menu and the board, counted once
    with count_queries() as log:
        page = client.get(BOARD).get_data(as_text=True)
    assert "Velferdsteknologi i hjemmetjenesten" in page and "Nytt skoleadministrativt system" in page
    # At most the signed-in person (the tests' session may hold them already): not the board,
    # not the menu.
    assert all("FROM users" in sql for sql, _params in log.statements) and log.count <= 1
    # Another admin is shown the board kept for the first, at once.
    with count_queries() as log:
        assert "Nytt skoleadministrativt system" in other_client.get(BOARD).get_data(as_text=True)
    assert not _read_the_board(log)
    # A write shows on the very next look of someone whose board was kept.
    services.update_project(admin, town["school_internal"], {"title": "Nytt skolesystem for hele kommunen"})
    with count_queries() as log:
        again = client.get(BOARD).get_data(as_text=True)
    assert _read_the_board(log)
    assert "Nytt skolesystem for hele kommunen" in again
    assert "Nytt skoleadministrativt system" not in again


def test_staff_of_other_areas_or_rights_never_get_a_board_kept_for_someone_else(app, town):
    people = {"admin": make_user(role=Role.ADMIN),
              "health": _scoped(Role.PORTFOLIO_MANAGER, town["health"]),
              "school": _scoped(Role.PORTFOLIO_MANAGER, town["school"]),
              "unscoped": make_user(role=Role.PORTFOLIO_MANAGER)}
    clients = _signed_in(app, people)
    pages = _first_looks(clients, ("admin", "health", "school", "unscoped"), BOARD, _read_the_board)
    assert "Kriterier og vekter" in pages["admin"]
    assert "Velferdsteknologi i hjemmetjenesten" in pages["health"]
    assert "Nytt skoleadministrativt system" not in pages["health"]
    assert "Kriterier og vekter" not in pages["health"]  # an admin's link
    assert "Nytt skoleadministrativt system" in pages["school"]
    assert "Velferdsteknologi i hjemmetjenesten" not in pages["school"]
    assert "Kriterier og vekter" not in pages["unscoped"]  # every project, not the admin's links
    # Each of them is then served their own kept board.
    for name in people:
        with count_queries() as log:
            assert _without_token(clients[name].get(BOARD).get_data(as_text=True)) == _without_token(pages[name])
        assert not _read_the_board(log)


def _second_page(app) -> tuple:
    """An admin's second staff page (the menu counted on the first) and its statements."""
    admin = make_user(role=Role.ADMIN)
    client = app.test_client()
    login(client, admin)
    client.get(BOARD)
    with count_queries() as log:
        assert client.get("/staff/portfolio/decisions").status_code == 200
    return admin, client, any("notices" in sql for sql, _params in log.statements)


def test_a_new_notice_shows_in_the_kept_menu_at_once(app, town):
    admin, client, menu_counted = _second_page(app)
    assert not menu_counted  # the menu was kept
    assert 'Meldinger<span class="nav-count">' not in client.get(BOARD).get_data(as_text=True)
    # Notices fanned out to followers are written with one INSERT ... SELECT on the session's
    # connection, which the session's events do not see: the menu is counted afresh all the same.
    project = SimpleNamespace(title="Velferdsteknologi i hjemmetjenesten")
    fan_out("follows_project_update", "follows_project_update", select(User.id).where(User.id == admin.id),
            project=project, update=SimpleNamespace(text="Ny fase.", progress=None), own=False)
    db.session.commit()
    page = client.get(BOARD).get_data(as_text=True)
    assert 'Meldinger<span class="nav-count"><span class="ds-sr-only">, </span>1<span' in page
    db.session.add(Notice(user_id=admin.id, kind="follows_project_update", subject="Nytt i prosjektet",
                          body="Prosjektet er oppdatert.", channel="app"))
    db.session.commit()
    page = client.get(BOARD).get_data(as_text=True)
    assert 'Meldinger<span class="nav-count"><span class="ds-sr-only">, </span>2<span' in page


def test_the_menu_is_counted_every_time_when_the_page_cache_is_off(app, town):
    app.config["PAGE_CACHE_SECONDS"] = 0
    _admin, _client, menu_counted = _second_page(app)
    assert menu_counted


def test_the_inbox_is_kept_for_staff_of_the_same_areas_and_an_answer_leaves_it_at_once(app, town):
    people = {"health": _scoped(Role.PORTFOLIO_MANAGER, town["health"]),
              "school": _scoped(Role.PORTFOLIO_MANAGER, town["school"]),
              "everywhere": make_user(role=Role.PORTFOLIO_MANAGER),
              "colleague": make_user(role=Role.PORTFOLIO_MANAGER)}
    clients = _signed_in(app, people)
    pages = _first_looks(clients, ("health", "school", "everywhere"), INBOX, _read_the_inbox)
    assert "Trygghetsalarm for alle over 80" in pages["health"] and "Leksehjelp på biblioteket" not in pages["health"]
    assert "Leksehjelp på biblioteket" in pages["school"] and "Trygghetsalarm for alle over 80" not in pages["school"]
    assert "Leksehjelp på biblioteket" in pages["everywhere"] and "Trygghetsalarm" in pages["everywhere"]
    # A colleague with the same (whole) scope is given the kept inbox.
    with count_queries() as log:
        assert _without_token(clients["colleague"].get(INBOX).get_data(as_text=True)) \
            .replace(people["colleague"].full_name, "") \
            == _without_token(pages["everywhere"]).replace(people["everywhere"].full_name, "")
    assert not _read_the_inbox(log)
    # An answer takes the idea out of every inbox on the next look.
    answers.change_idea_status(people["everywhere"], town["school_idea"], IdeaStatus.UNDER_REVIEW,
                               "Vi ser på dette i høst.")
    assert "Leksehjelp på biblioteket" not in clients["colleague"].get(INBOX).get_data(as_text=True)
    assert "Leksehjelp på biblioteket" not in clients["school"].get(INBOX).get_data(as_text=True)


def _read_the_inbox(log) -> bool:
    """Whether the inbox's ideas were read (its own statement)."""
    return any("ideas.title" in sql and "reached_at" in sql for sql, _params in log.statements)
