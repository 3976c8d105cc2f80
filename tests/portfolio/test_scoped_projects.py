"""Portfolio managers scoped to a municipal area: their area's projects (internal ones too) and
ideas are theirs to see and act on; another area's internal project does not exist for them
(404 like a visitor, absent from lists, the board, search and counts), another area's public
project they read as anyone does. Admins and unscoped staff see everything, as before."""

import pytest

from app.accounts import services as accounts
from app.accounts.models import Role, User
from app.core.errors import InvalidInput, NotAllowed, NotFound
from app.extensions import db
from app.ideas.models import IdeaStatus
from app.portfolio import answers, queries, services
from app.portfolio.models import ProjectPhase
from app.portfolio.permissions import (
    can_answer_idea,
    can_manage_project,
    can_view_project,
    visible_projects,
)
from tests.factories import login, make_service_area, make_user
from tests.portfolio.conftest import count_queries, make_criteria, make_idea, make_project


def scoped(role: Role, *areas) -> User:
    """A staff member limited to these municipal areas (by one of their service areas)."""
    person = make_user(role=role)
    accounts.set_user_areas(None, person, [area.municipal_area_id for area in areas])
    return person


@pytest.fixture
def town(app) -> dict:
    """Two municipal areas; in each an idea, a public and an internal project, and one internal
    project of the school area that health takes part in."""
    make_criteria()
    health = make_service_area("Hjemmetjenester", area_name="Helse og velferd")
    school = make_service_area("Grunnskole", area_name="Oppvekst og utdanning")
    return {
        "health": health, "school": school,
        "health_idea": make_idea(title="Trygghetsalarm for alle over 80", service_area=health),
        "school_idea": make_idea(title="Leksehjelp på biblioteket", service_area=school),
        "health_internal": make_project("Velferdsteknologi i hjemmetjenesten", owner=health, public=False,
                                        phase=ProjectPhase.PLANNED, cost=2_000_000),
        "health_public": make_project("Dagtilbud for eldre", owner=health, phase=ProjectPhase.PROPOSED),
        "school_internal": make_project("Nytt skoleadministrativt system", owner=school, public=False,
                                        phase=ProjectPhase.PLANNED, cost=3_000_000),
        "school_public": make_project("Aktivitetsflater i skolegården", owner=school,
                                      phase=ProjectPhase.PLANNED),
        "shared_internal": make_project("Felles journalplattform", owner=school, participants=(health,),
                                        public=False, phase=ProjectPhase.PROPOSED),
    }


@pytest.fixture
def manager(town) -> User:
    return scoped(Role.PORTFOLIO_MANAGER, town["health"])


# --- the predicates ----------------------------------------------------------------------


def test_a_project_is_the_areas_of_its_owner_and_its_other_service_areas(town, manager):
    assert can_view_project(manager, town["health_internal"])
    assert can_view_project(manager, town["shared_internal"])  # health takes part
    assert not can_view_project(manager, town["school_internal"])
    assert can_view_project(manager, town["school_public"])  # as anyone
    assert can_manage_project(manager, town["shared_internal"])
    assert not can_manage_project(manager, town["school_public"])
    visible = set(db.session.scalars(db.select(db.literal_column("projects.title")).select_from(
        db.metadata.tables["projects"]).where(visible_projects(manager))))
    assert visible == {"Velferdsteknologi i hjemmetjenesten", "Dagtilbud for eldre", "Aktivitetsflater i skolegården",
                       "Felles journalplattform"}


def test_admins_and_unscoped_managers_see_every_project(town):
    for person in (make_user(role=Role.ADMIN), make_user(role=Role.PORTFOLIO_MANAGER)):
        assert can_view_project(person, town["school_internal"])
        assert can_manage_project(person, town["school_internal"])
        assert can_answer_idea(person, town["school_idea"])


# --- pages -------------------------------------------------------------------------------


def test_own_areas_internal_project_page_has_the_staff_forms(client, town, manager):
    login(client, manager)
    html = client.get(f"/portfolio/projects/{town['health_internal'].id}").get_data(as_text=True)
    assert "Rediger prosjektet" in html and "Vurdering" in html
    assert client.get(f"/portfolio/projects/{town['shared_internal'].id}").status_code == 200


def test_another_areas_internal_project_is_404_like_for_a_visitor(client, town, manager):
    login(client, manager)
    project = town["school_internal"]
    for path in (f"/portfolio/projects/{project.id}", f"/staff/projects/{project.id}/edit",
                 f"/staff/projects/{project.id}/assessment"):
        assert client.get(path).status_code == 404, path
    for path, data in ((f"/staff/projects/{project.id}/edit", {"title": "Overtatt"}),
                       (f"/staff/projects/{project.id}/updates", {"update-text": "Hei"}),
                       (f"/staff/projects/{project.id}/phase", {"phase-phase": "in_progress"}),
                       (f"/staff/projects/{project.id}/decisions", {"decision-outcome": "rejected"})):
        assert client.post(path, data=data).status_code == 404, path
    db.session.expire_all()
    assert town["school_internal"].title == "Nytt skoleadministrativt system"


def test_another_areas_public_project_is_read_only(client, town, manager):
    login(client, manager)
    project = town["school_public"]
    html = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Aktivitetsflater i skolegården" in html
    assert "Rediger prosjektet" not in html and 'id="assessment"' not in html
    assert 'id="link-idea"' not in html
    for path in (f"/staff/projects/{project.id}/edit", f"/staff/projects/{project.id}/assessment"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Prosjektet hører til et annet kommunalområde enn ditt." in response.get_data(as_text=True)
    response = client.post(f"/staff/projects/{project.id}/updates", data={"update-text": "Ferdig snart"})
    assert response.status_code == 403
    response = client.post(f"/staff/projects/{project.id}/phase", data={"phase-phase": "in_progress"})
    assert response.status_code == 403
    db.session.expire_all()
    assert project.phase == ProjectPhase.PLANNED and project.updates == []


def test_lists_board_search_and_counts_leave_out_another_areas_internal_projects(client, town, manager):
    login(client, manager)
    portfolio = client.get("/portfolio").get_data(as_text=True)
    assert "Velferdsteknologi i hjemmetjenesten" in portfolio and "Aktivitetsflater i skolegården" in portfolio
    assert "Nytt skoleadministrativt system" not in portfolio
    board = client.get("/staff/portfolio/board").get_data(as_text=True)
    assert "Velferdsteknologi i hjemmetjenesten" in board
    # The board is the area's: another area's projects, public or not, are not on it.
    assert "Nytt skoleadministrativt system" not in board and "Aktivitetsflater i skolegården" not in board
    csv = client.get("/staff/portfolio/board.csv").get_data(as_text=True)
    assert "Velferdsteknologi" in csv and "skoleadministrativt" not in csv
    found = client.get("/staff/find/projects?q=system").get_json()["items"]
    assert found == []
    found = client.get("/staff/find/projects?q=skolegården").get_json()["items"]
    assert found == []  # public, but not theirs to link ideas to
    assert [p["title"] for p in client.get("/staff/find/projects?q=velferd").get_json()["items"]] == [
        "Velferdsteknologi i hjemmetjenesten"]
    assert client.get("/sdgs").status_code == 200
    projects = db.session.scalar(db.select(db.func.count()).select_from(
        db.metadata.tables["projects"]).where(visible_projects(manager)))
    assert projects == 4
    totals = queries.board(queries.ProjectFilters().within_scope_of(manager))
    assert {row.project.title for row in totals.rows} == {"Velferdsteknologi i hjemmetjenesten",
                                                         "Dagtilbud for eldre", "Felles journalplattform"}
    assert totals.total_cost == 2_000_000 + 1_000_000 + 1_000_000


def test_the_board_for_an_admin_still_holds_every_area(client, town):
    login(client, make_user(role=Role.ADMIN))
    board = client.get("/staff/portfolio/board").get_data(as_text=True)
    for title in ("Velferdsteknologi i hjemmetjenesten", "Nytt skoleadministrativt system",
                  "Aktivitetsflater i skolegården"):
        assert title in board
    assert client.get(f"/portfolio/projects/{town['school_internal'].id}").status_code == 200


def test_decisions_of_another_areas_internal_project_are_not_listed(client, town, manager):
    admin = make_user(role=Role.ADMIN)
    services.record_decision(admin, town["school_internal"], "2026-03-01", "rejected", "Ikke nå")
    services.record_decision(admin, town["health_internal"], "2026-03-01", "prioritised", "Viktig")
    login(client, manager)
    html = client.get("/staff/portfolio/decisions").get_data(as_text=True)
    assert "Velferdsteknologi i hjemmetjenesten" in html and "Nytt skoleadministrativt system" not in html
    csv = client.get("/staff/portfolio/decisions.csv").get_data(as_text=True)
    assert "skoleadministrativt" not in csv


# --- making and changing projects ----------------------------------------------------------


def test_a_new_project_must_belong_to_one_of_the_managers_areas(town, manager):
    with pytest.raises(InvalidInput) as error:
        services.create_project(manager, {"title": "Skolebuss", "owner_service_area_id": town["school"].id})
    assert error.value.fields == {"owner_service_area_id": [
        "Prosjektet må høre til et av kommunalområdene dine: velg et virksomhetsområde der."]}
    # Owned by another area, but with one of theirs taking part: theirs too.
    project = services.create_project(manager, {"title": "Skolehelsetjeneste", "public": False,
                                                "owner_service_area_id": town["school"].id,
                                                "service_area_ids": [town["health"].id]})
    assert can_view_project(manager, project)


def test_the_form_keeps_what_was_typed_and_says_why_next_to_the_owner(client, town, manager):
    login(client, manager)
    response = client.post("/staff/projects/new", data={
        "title": "Skolebuss til Herøya", "description": "Et forslag", "kind": "project",
        "phase": "proposed", "owner_service_area_id": town["school"].id, "progress": "0",
        "checked": "x", "action": "create"})
    html = response.get_data(as_text=True)
    assert "Prosjektet må høre til et av kommunalområdene dine" in html
    assert 'id="owner_service_area_id-error"' in html
    assert "Skolebuss til Herøya" in html


def test_a_manager_cannot_move_a_project_out_of_their_areas(town, manager):
    project = town["shared_internal"]
    with pytest.raises(InvalidInput) as error:
        services.update_project(manager, project, {"service_area_ids": []})
    assert "service_area_ids" in error.value.fields
    with pytest.raises(NotAllowed):
        services.update_project(manager, town["school_public"], {"progress": 50})
    services.update_project(manager, project, {"progress": 20})
    assert project.progress == 20


def test_services_refuse_another_areas_project_whatever_calls_them(town, manager):
    other = town["school_public"]
    for call in (lambda: services.change_project_phase(manager, other, "in_progress"),
                 lambda: services.post_project_update(manager, other, "Hei"),
                 lambda: services.link_idea(manager, other, town["health_idea"], "Med"),
                 lambda: services.assess_project(manager, other, {"risk": 3}),
                 lambda: services.record_decision(manager, other, "2026-03-01", "rejected", "Nei")):
        with pytest.raises(NotAllowed, match="annet kommunalområde"):
            call()
    with pytest.raises(NotFound):
        services.get_project(manager, town["school_internal"].id)


def test_a_manager_links_another_areas_idea_to_their_own_project(town, manager):
    """An idea filed under another area's topic may well be what a project of theirs delivers."""
    link = services.link_idea(manager, town["health_public"], town["school_idea"], "Tas med her.")
    assert link.idea_id == town["school_idea"].id


# --- answering ideas ------------------------------------------------------------------------


def test_the_answer_inbox_and_its_count_hold_the_managers_areas_only(client, town, manager):
    login(client, manager)
    html = client.get("/staff/answers").get_data(as_text=True)
    assert "Trygghetsalarm for alle over 80" in html and "Leksehjelp på biblioteket" not in html
    assert queries.unanswered_count(manager) == 1
    assert queries.unanswered_count(make_user(role=Role.ADMIN)) == 2
    client.post("/logout")
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    html = client.get("/staff/answers").get_data(as_text=True)
    assert "Leksehjelp på biblioteket" in html and "Trygghetsalarm for alle over 80" in html


def test_a_manager_cannot_answer_another_areas_idea(client, town, manager):
    login(client, manager)
    idea = town["school_idea"]
    response = client.get(f"/staff/ideas/{idea.id}/answer")
    assert response.status_code == 403
    assert "Idéen hører til et annet kommunalområde enn ditt." in response.get_data(as_text=True)
    response = client.post(f"/staff/ideas/{idea.id}/answer", data={"status-status": "under_review"})
    assert response.status_code == 403
    assert "For kommunen: svar på idéen" not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "For kommunen: svar på idéen" in client.get(f"/ideas/{town['health_idea'].id}").get_data(as_text=True)
    db.session.expire_all()
    assert idea.status == IdeaStatus.SUBMITTED
    with pytest.raises(NotAllowed):
        answers.change_idea_status(manager, idea, "under_review")
    answers.change_idea_status(manager, town["health_idea"], "under_review")


def test_merging_needs_both_ideas_in_the_managers_areas(town, manager):
    health, school = town["health_idea"], town["school_idea"]
    with pytest.raises(NotAllowed) as error:
        answers.merge_ideas(manager, health, school, "Samme sak")
    assert "into_id" in error.value.fields
    with pytest.raises(NotAllowed):
        answers.merge_ideas(manager, school, health, "Samme sak")


def test_cli_set_status_as_a_scoped_manager_is_refused(runner, town, manager):
    result = runner.invoke(args=["portfolio", "set-status", str(town["school_idea"].id), "under_review",
                                 "--as", manager.email])
    assert result.exit_code != 0
    assert "annet kommunalområde" in result.output
    db.session.expire_all()
    assert town["school_idea"].status == IdeaStatus.SUBMITTED


# --- a fixed number of queries -------------------------------------------------------------


def _grow(n: int, town):
    for i in range(n):
        make_idea(service_area=town["health"])
        make_idea(service_area=town["school"])
        make_project(f"Helse {i}", owner=town["health"], public=bool(i % 2), phase=ProjectPhase.PLANNED)
        make_project(f"Skole {i}", owner=town["school"], public=bool(i % 2), phase=ProjectPhase.PLANNED,
                     participants=(town["health"],) if i % 3 == 0 else ())


@pytest.mark.parametrize("path", ["/staff/portfolio/board", "/staff/portfolio/board.csv", "/portfolio",
                                  "/staff/answers", "/sdgs", "/staff/portfolio/decisions"])
def test_scoped_pages_cost_the_same_queries_for_more_rows(client, town, manager, path):
    login(client, manager)
    _grow(2, town)
    client.get(path)
    with count_queries() as small:
        assert client.get(path).status_code == 200
    _grow(8, town)
    client.get(path)
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert large.count == small.count, large.statements[small.count:]


def test_the_sdg_numbers_count_what_the_manager_may_see(client, town, manager):
    make_project("Helsefremmende skole", owner=town["school"], public=False, sdgs=(3,))
    make_project("Hverdagsrehabilitering", owner=town["health"], public=False, sdgs=(3,))
    make_project("Turstier for alle", owner=town["school"], public=True, sdgs=(3,))

    def goal_3(person) -> int:
        return next(row.projects for row in queries.sdg_overview(person).goals if row.goal.number == 3)

    assert goal_3(manager) == 2  # their internal one and the public one
    assert goal_3(make_user(role=Role.ADMIN)) == 3
    assert goal_3(None) == 1
    login(client, manager)
    html = client.get("/sdgs/3").get_data(as_text=True)
    assert "Hverdagsrehabilitering" in html and "Helsefremmende skole" not in html
