"""API v1 for staff scoped to a municipal area: the same rules as the pages, through the same
services. Another area's internal project is 404 and absent from lists and the board; another
area's public project and idea are not theirs to change (403); the moderation queue and log
hold their area; another area's hidden idea is 404."""

import pytest

from app.accounts import services as accounts
from app.accounts.models import Role, User
from app.extensions import db
from app.ideas.models import IdeaStatus, Visibility
from app.moderation import services as moderation
from app.portfolio.models import ProjectPhase
from tests.factories import make_service_area, make_user
from tests.portfolio.conftest import make_criteria, make_idea, make_project


def _headers(user: User) -> dict:
    _token, raw = accounts.create_api_token(user, "test")
    return {"Authorization": f"Bearer {raw}"}


def _scoped(role: Role, service_area) -> User:
    person = make_user(role=role)
    accounts.set_user_areas(None, person, [service_area.municipal_area_id])
    return person


@pytest.fixture
def town(app) -> dict:
    make_criteria()
    health = make_service_area("Hjemmetjenester", area_name="Helse og velferd")
    school = make_service_area("Grunnskole", area_name="Oppvekst og utdanning")
    hidden_health = make_idea(title="Skjult helseidé", service_area=health, visibility=Visibility.HIDDEN)
    return {
        "health": health, "school": school,
        "health_idea": make_idea(title="Trygghetsalarm for alle over 80", service_area=health),
        "school_idea": make_idea(title="Leksehjelp på biblioteket", service_area=school),
        "hidden_school": make_idea(title="Skjult skoleidé", service_area=school, visibility=Visibility.HIDDEN),
        "health_internal": make_project("Velferdsteknologi", owner=health, public=False,
                                        phase=ProjectPhase.PLANNED, ideas=()),
        "health_public": make_project("Dagtilbud for eldre", owner=health, phase=ProjectPhase.PLANNED),
        "school_internal": make_project("Skoleadministrativt system", owner=school, public=False,
                                        phase=ProjectPhase.PLANNED),
        "school_public": make_project("Aktivitetsflater i skolegården", owner=school, phase=ProjectPhase.PLANNED),
        "hidden_health": hidden_health,
    }


def test_scoped_manager_reads_own_internal_project_and_gets_404_for_anothers(client, town):
    headers = _headers(_scoped(Role.PORTFOLIO_MANAGER, town["health"]))
    assert client.get(f"/api/v1/projects/{town['health_internal'].id}", headers=headers).status_code == 200
    response = client.get(f"/api/v1/projects/{town['school_internal'].id}", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "Fant ikke prosjektet."
    assert client.get(f"/api/v1/projects/{town['school_public'].id}", headers=headers).status_code == 200
    titles = {p["title"] for p in client.get("/api/v1/projects?per_page=100", headers=headers).get_json()["items"]}
    assert titles == {"Velferdsteknologi", "Dagtilbud for eldre", "Aktivitetsflater i skolegården"}
    board = client.get("/api/v1/portfolio/board", headers=headers).get_json()
    assert {item["project"]["title"] for item in board["items"]} == {"Velferdsteknologi", "Dagtilbud for eldre"}


def test_scoped_moderator_sees_the_same_projects_as_a_scoped_manager(client, town):
    headers = _headers(_scoped(Role.MODERATOR, town["school"]))
    assert client.get(f"/api/v1/projects/{town['school_internal'].id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/projects/{town['health_internal'].id}", headers=headers).status_code == 404


def test_scoped_manager_cannot_change_another_areas_project_or_idea(client, town):
    headers = _headers(_scoped(Role.PORTFOLIO_MANAGER, town["health"]))
    public, internal = town["school_public"], town["school_internal"]
    response = client.patch(f"/api/v1/projects/{public.id}", json={"progress": 50}, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == "Prosjektet hører til et annet kommunalområde enn ditt."
    assert client.patch(f"/api/v1/projects/{internal.id}", json={"progress": 50}, headers=headers).status_code == 404
    for path, payload in ((f"/api/v1/projects/{public.id}/updates", {"text": "Hei"}),
                          (f"/api/v1/projects/{public.id}/assessments", {"scores": {"risk": 3}}),
                          (f"/api/v1/projects/{public.id}/ideas", {"idea_id": town["health_idea"].id, "note": "Ja"}),
                          (f"/api/v1/projects/{public.id}/decisions",
                           {"meeting_date": "2026-03-01", "decision": "rejected", "rationale": "Nei"}),
                          (f"/api/v1/ideas/{town['school_idea'].id}/status", {"status": "under_review"}),
                          (f"/api/v1/ideas/{town['health_idea'].id}/merge",
                           {"into_id": town["school_idea"].id, "explanation": "Samme"})):
        response = client.post(path, json=payload, headers=headers)
        assert response.status_code == 403, (path, response.get_data(as_text=True))
    response = client.post("/api/v1/projects", json={"title": "Skolebuss", "owner_service_area_id": town["school"].id},
                           headers=headers)
    assert response.status_code == 422
    assert "owner_service_area_id" in response.get_json()["error"]["fields"]
    db.session.expire_all()
    assert public.progress == 0 and town["school_idea"].status == IdeaStatus.SUBMITTED
    # Their own area: allowed.
    assert client.patch(f"/api/v1/projects/{town['health_internal'].id}", json={"progress": 40},
                        headers=headers).status_code == 200
    assert client.post(f"/api/v1/ideas/{town['health_idea'].id}/status", json={"status": "under_review"},
                       headers=headers).status_code == 200


def test_hidden_ideas_linked_to_a_project_are_listed_for_its_areas_staff_only(client, town):
    from app.portfolio.models import ProjectIdea

    db.session.add(ProjectIdea(project_id=town["school_public"].id, idea_id=town["hidden_school"].id, note=""))
    db.session.add(ProjectIdea(project_id=town["health_public"].id, idea_id=town["hidden_health"].id, note=""))
    db.session.commit()
    headers = _headers(_scoped(Role.PORTFOLIO_MANAGER, town["health"]))
    own = client.get(f"/api/v1/projects/{town['health_public'].id}", headers=headers).get_json()
    other = client.get(f"/api/v1/projects/{town['school_public'].id}", headers=headers).get_json()
    assert own["ideas"] == [town["hidden_health"].id] and other["ideas"] == []
    admin = _headers(make_user(role=Role.ADMIN))
    assert client.get(f"/api/v1/projects/{town['school_public'].id}", headers=admin).get_json()["ideas"] == [
        town["hidden_school"].id]


def test_scoped_moderator_queue_and_decisions_over_the_api(client, town):
    moderator = _scoped(Role.MODERATOR, town["health"])
    for idea in (town["health_idea"], town["school_idea"]):
        moderation.report_content(make_user(), "idea", idea.id, "spam")
    headers = _headers(moderator)
    queue = client.get("/api/v1/moderation/queue", headers=headers).get_json()
    assert [entry["item"]["title"] for entry in queue["items"]] == ["Trygghetsalarm for alle over 80"]
    assert queue["total"] == 1
    response = client.post(f"/api/v1/moderation/idea/{town['school_idea'].id}/hide",
                           json={"reason": "spam"}, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == "Innholdet hører til et annet kommunalområde enn ditt."
    response = client.post(f"/api/v1/moderation/idea/{town['hidden_school'].id}/restore",
                           json={"reason": "no_violation"}, headers=headers)
    assert response.status_code == 404
    assert client.post(f"/api/v1/moderation/idea/{town['health_idea'].id}/hide", json={"reason": "spam"},
                       headers=headers).status_code == 200
    db.session.expire_all()
    assert town["school_idea"].visibility == Visibility.VISIBLE
    assert town["health_idea"].visibility == Visibility.HIDDEN
    log = client.get("/api/v1/moderation/log", headers=headers).get_json()
    assert {row["target_id"] for row in log["items"] if row["target_type"] == "idea"} == {town["health_idea"].id}


def test_another_areas_hidden_idea_is_404_to_a_scoped_moderator(client, town):
    headers = _headers(_scoped(Role.MODERATOR, town["health"]))
    assert client.get(f"/api/v1/ideas/{town['hidden_school'].id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/ideas/{town['hidden_health'].id}", headers=headers).status_code == 200
    admin = _headers(make_user(role=Role.ADMIN))
    assert client.get(f"/api/v1/ideas/{town['hidden_school'].id}", headers=admin).status_code == 200


def test_an_admin_over_the_api_is_unaffected(client, town):
    headers = _headers(make_user(role=Role.ADMIN))
    titles = {p["title"] for p in client.get("/api/v1/projects?per_page=100", headers=headers).get_json()["items"]}
    assert "Skoleadministrativt system" in titles and "Velferdsteknologi" in titles
    assert client.patch(f"/api/v1/projects/{town['school_internal'].id}", json={"progress": 10},
                        headers=headers).status_code == 200
