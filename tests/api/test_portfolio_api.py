"""API v1 portfolio: answering and merging ideas, projects, links, updates, assessments,
decisions, the board and the SDG numbers; who may call what; internal projects are 404."""

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Role
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus
from app.portfolio import services
from app.portfolio.models import Project, ProjectPhase
from tests.factories import make_service_area, make_user
from tests.portfolio.conftest import (
    add_votes,
    count_queries,
    make_criteria,
    make_idea,
    make_project,
    make_world,
)

PROJECT_KEYS = {"id", "title", "description", "kind", "phase", "public", "owner_service_area",
                "service_areas", "sdgs", "local_targets", "estimated_cost", "progress", "planned_start",
                "planned_end", "ideas", "citizen_support", "url"}
ROLES = [None, Role.RESIDENT, Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN]
MANAGERS = {Role.PORTFOLIO_MANAGER, Role.ADMIN}
STAFF = {Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN}
EVERYONE = set(ROLES)


@pytest.fixture(name="world")
def _world(app) -> dict:
    return make_world()


def _headers(role) -> dict:
    if role is None:
        return {}
    _token, raw = accounts.create_api_token(make_user(role=role), "test")
    return {"Authorization": f"Bearer {raw}"}


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


CALLS = [
    ("post", "/api/v1/ideas/{other}/status", {"status": "under_review"}, MANAGERS, 200),
    ("post", "/api/v1/ideas/{other}/merge", {"into_id": "{idea}", "explanation": "Samme"}, MANAGERS, 200),
    ("get", "/api/v1/projects", None, EVERYONE, 200),
    ("get", "/api/v1/projects/{project}", None, EVERYONE, 200),
    ("get", "/api/v1/projects/{internal}", None, STAFF, 200),
    ("post", "/api/v1/projects", {"title": "Nytt tak på hallen", "owner_service_area_id": "{area}"}, MANAGERS, 201),
    ("patch", "/api/v1/projects/{project}", {"progress": 30}, MANAGERS, 200),
    ("patch", "/api/v1/projects/{internal}", {"progress": 30}, MANAGERS, 200),
    ("post", "/api/v1/projects/{project}/ideas", {"idea_id": "{other}", "note": "Med"}, MANAGERS, 201),
    ("post", "/api/v1/projects/{project}/updates", {"text": "Nytt", "progress": 40}, MANAGERS, 201),
    ("post", "/api/v1/projects/{project}/assessments", {"scores": {"risk": 4}, "comment": "Ok"}, STAFF, 200),
    ("post", "/api/v1/projects/{project}/decisions", {"meeting_date": "2026-03-01", "decision": "deferred",
                                                      "deferred_to": "2026-06-01", "rationale": "Vent"}, MANAGERS, 201),
    ("get", "/api/v1/portfolio/board", None, STAFF, 200),
    ("get", "/api/v1/sdgs/overview", None, EVERYONE, 200),
]


def _fill(value, ids: dict):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(("method", "path", "body", "allowed", "ok"), CALLS,
                         ids=[f"{m} {p}" for m, p, *_ in CALLS])
def test_api_permission_matrix(client, world, method, path, body, allowed, ok, role):
    ids = {key: value.id for key, value in world.items()}
    ids["other"] = make_idea().id
    ids["area"] = make_service_area().id
    response = getattr(client, method)(path.format(**ids), json=_fill(body, ids), headers=_headers(role))
    if role in allowed:
        assert response.status_code == ok, response.get_data(as_text=True)
    elif role is None and method != "get":
        _error(response, 401)  # writing needs a login first, whatever the target
    elif "{internal}" in path and role not in STAFF:
        _error(response, 404)  # internal projects do not exist for the public
    elif role is None:
        _error(response, 401)
    else:
        _error(response, 403)


# --- answering --------------------------------------------------------------------------


def test_status_change_answers_with_the_change_and_409_for_a_refused_move(client, app):
    headers = _headers(Role.PORTFOLIO_MANAGER)
    idea = make_idea()
    response = client.post(f"/api/v1/ideas/{idea.id}/status", json={"status": "accepted", "explanation": "Ja!"},
                           headers=headers)
    body = response.get_json()
    assert body["status"] == "accepted"
    assert body["status_change"] == {"from": "submitted", "to": "accepted", "explanation": "Ja!",
                                     "created_at": body["status_change"]["created_at"]}
    refused = client.post(f"/api/v1/ideas/{idea.id}/status", json={"status": "declined", "explanation": "Nei"},
                          headers=headers)
    assert _error(refused, 409)["code"] == "conflict"
    missing = client.post(f"/api/v1/ideas/{make_idea().id}/status", json={"status": "declined"}, headers=headers)
    assert "explanation" in _error(missing, 422)["fields"]
    wrong_type = client.post(f"/api/v1/ideas/{idea.id}/status", json={"status": 3}, headers=headers)
    assert "status" in _error(wrong_type, 422)["fields"]


def test_merge_through_the_api_counts_each_voter_once(client, app):
    both = make_user()
    idea, into = make_idea(), make_idea()
    add_votes(idea, [both, make_user()])
    add_votes(into, [both])
    response = client.post(f"/api/v1/ideas/{idea.id}/merge", json={"into_id": into.id, "explanation": "Samme"},
                           headers=_headers(Role.PORTFOLIO_MANAGER))
    assert response.status_code == 200
    assert response.get_json()["merged_into_vote_count"] == 2
    assert response.get_json()["status"] == "merged"
    missing = client.post(f"/api/v1/ideas/{make_idea().id}/merge", json={"into_id": 9999, "explanation": "x"},
                          headers=_headers(Role.PORTFOLIO_MANAGER))
    _error(missing, 404)


def test_idea_json_gains_projects_the_caller_may_see(client, world):
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    services.link_idea(manager, world["internal"], world["idea"], "Intern")
    public = client.get(f"/api/v1/ideas/{world['idea'].id}").get_json()
    assert [p["id"] for p in public["projects"]] == [world["project"].id]
    assert set(public["projects"][0]) == {"id", "title", "phase", "progress", "url"}
    staff = client.get(f"/api/v1/ideas/{world['idea'].id}", headers=_headers(Role.MODERATOR)).get_json()
    assert sorted(p["id"] for p in staff["projects"]) == sorted([world["project"].id, world["internal"].id])
    listed = client.get("/api/v1/ideas").get_json()["items"]
    assert next(i for i in listed if i["id"] == world["idea"].id)["projects"][0]["id"] == world["project"].id


# --- projects ---------------------------------------------------------------------------


def test_project_json_has_the_documented_shape(client, world):
    data = client.get(f"/api/v1/projects/{world['project'].id}").get_json()
    assert set(data) >= PROJECT_KEYS
    assert data["ideas"] == [world["idea"].id]
    assert data["citizen_support"] == 2
    assert data["sdgs"] == [11]
    assert data["owner_service_area"]["municipal_area"]["name"]
    assert data["url"].endswith(f"/portfolio/projects/{world['project'].id}")


def test_project_list_hides_internal_projects_from_the_public_and_filters(client, world):
    public = client.get("/api/v1/projects").get_json()
    assert [p["id"] for p in public["items"]] == [world["project"].id]
    assert public["total"] == 1
    staff = client.get("/api/v1/projects", headers=_headers(Role.MODERATOR)).get_json()
    assert staff["total"] == 2
    assert client.get("/api/v1/projects?sdg=16", headers=_headers(Role.MODERATOR)).get_json()["total"] == 1
    assert client.get("/api/v1/projects?kind=acquisition").get_json()["total"] == 0


def test_create_and_patch_a_project(client, app):
    headers = _headers(Role.PORTFOLIO_MANAGER)
    owner, other = make_service_area(), make_service_area()
    created = client.post("/api/v1/projects", headers=headers, json={
        "title": "Felles fagsystem for turnus", "description": "Ett system for alle.", "kind": "acquisition",
        "phase": "proposed", "owner_service_area_id": owner.id, "service_area_ids": [other.id],
        "sdgs": [8, 16], "estimated_cost": 1_200_000, "planned_start": "2027-01-01",
        "planned_end": "2027-12-31", "public": False,
    })
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert (body["kind"], body["public"], body["sdgs"], body["planned_end"]) == ("acquisition", False, [8, 16], "2027-12-31")
    assert [sa["id"] for sa in body["service_areas"]] == [other.id]
    patched = client.patch(f"/api/v1/projects/{body['id']}", headers=headers, json={"phase": "planned", "progress": 5})
    assert (patched.get_json()["phase"], patched.get_json()["progress"]) == ("planned", 5)
    bad = client.patch(f"/api/v1/projects/{body['id']}", headers=headers,
                       json={"progress": 150, "public": "yes", "colour": "red"})
    assert "colour" in _error(bad, 422)["fields"]
    bad = client.patch(f"/api/v1/projects/{body['id']}", headers=headers, json={"progress": 150, "public": "yes"})
    assert set(_error(bad, 422)["fields"]) == {"progress", "public"}
    assert db.session.get(Project, body["id"]).progress == 5


def test_linking_through_the_api_accepts_the_idea(client, world):
    idea = make_idea()
    response = client.post(f"/api/v1/projects/{world['project'].id}/ideas", json={"idea_id": idea.id, "note": "Med"},
                           headers=_headers(Role.PORTFOLIO_MANAGER))
    assert response.get_json()["idea_status"] == "accepted"
    assert db.session.get(Idea, idea.id).status == IdeaStatus.ACCEPTED
    again = client.post(f"/api/v1/projects/{world['project'].id}/ideas", json={"idea_id": idea.id, "note": "Med"},
                        headers=_headers(Role.PORTFOLIO_MANAGER))
    _error(again, 409)
    no_note = client.post(f"/api/v1/projects/{world['project'].id}/ideas", json={"idea_id": make_idea().id},
                          headers=_headers(Role.PORTFOLIO_MANAGER))
    assert "note" in _error(no_note, 422)["fields"]


def test_update_and_assessment_through_the_api(client, world):
    update = client.post(f"/api/v1/projects/{world['project'].id}/updates", json={"text": "Ferdig graving", "progress": 60},
                         headers=_headers(Role.PORTFOLIO_MANAGER))
    assert update.get_json()["project_progress"] == 60
    assessed = client.post(f"/api/v1/projects/{world['project'].id}/assessments",
                           json={"risk": 4, "urgency": 2, "comment": "Greit"}, headers=_headers(Role.MODERATOR))
    body = assessed.get_json()
    assert body["mine"] == {"risk": {"score": 4, "comment": "Greit"}, "urgency": {"score": 2, "comment": "Greit"}}
    assert body["averages"]["risk"] == 4
    bad = client.post(f"/api/v1/projects/{world['project'].id}/assessments", json={"scores": {"risk": "høy"}},
                      headers=_headers(Role.MODERATOR))
    assert "risk" in _error(bad, 422)["fields"]


def test_internal_project_is_404_for_residents_even_on_write_endpoints(client, world):
    headers = _headers(Role.RESIDENT)
    internal = world["internal"].id
    for method, path, body in [
        ("post", f"/api/v1/projects/{internal}/ideas", {"idea_id": world["idea"].id, "note": "x"}),
        ("post", f"/api/v1/projects/{internal}/updates", {"text": "x"}),
        ("post", f"/api/v1/projects/{internal}/assessments", {"risk": 3}),
        ("post", f"/api/v1/projects/{internal}/decisions", {"meeting_date": "2026-01-01", "decision": "deferred",
                                                             "deferred_to": "2026-06-01", "rationale": "x"}),
    ]:
        _error(getattr(client, method)(path, json=body, headers=headers), 404)


def test_board_ranks_and_sums_the_budget(client, app):
    make_criteria({"citizen_support": 0, "risk": 10})
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    low = make_project("Lav", cost=100, phase=ProjectPhase.PLANNED)
    high = make_project("Høy", cost=300)
    services.assess_project(manager, low, {"risk": 2})
    services.assess_project(manager, high, {"risk": 5})
    body = client.get("/api/v1/portfolio/board?budget=350", headers=_headers(Role.MODERATOR)).get_json()
    assert [item["project"]["title"] for item in body["items"]] == ["Høy", "Lav"]
    assert [item["fits_budget"] for item in body["items"]] == [True, False]
    assert (body["cost_within_budget"], body["total_cost"]) == (300, 400)
    assert body["items"][0]["score"] == 5 and "score" not in body["items"][0]["project"]


def test_sdg_overview_counts_public_projects_for_the_public(client, world):
    services.update_project(make_user(role=Role.PORTFOLIO_MANAGER), world["internal"], {"estimated_cost": 777})
    public = {g["number"]: g for g in client.get("/api/v1/sdgs/overview").get_json()["goals"]}
    assert (public[11]["ideas"], public[11]["votes"], public[11]["projects"]) == (1, 2, 1)
    assert public[16]["projects"] == 0 and public[16]["estimated_cost"] == 0
    staff = {g["number"]: g for g in client.get("/api/v1/sdgs/overview",
                                                headers=_headers(Role.MODERATOR)).get_json()["goals"]}
    assert (staff[16]["projects"], staff[16]["estimated_cost"]) == (1, 777)


def test_project_list_costs_the_same_queries_for_more_projects(client, app):
    make_criteria()
    owner = make_service_area()

    def grow(n):
        for _ in range(n):
            idea = make_idea()
            add_votes(idea, 1)
            make_project(owner=owner, sdgs=(3,), ideas=(idea,))

    grow(2)
    with count_queries() as small:
        client.get("/api/v1/projects")
    grow(5)
    with count_queries() as large:
        client.get("/api/v1/projects")
    assert large.count == small.count
    assert db.session.scalar(select(db.func.count()).select_from(Project)) == 7
