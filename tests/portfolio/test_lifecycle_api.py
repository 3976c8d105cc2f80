"""The lifecycle rules hold through the JSON API as on the pages: phases move linked ideas,
cancelling needs an explanation and hands back the answer, completed means 100 %, an answered
idea can be merged; and two phase changes sent at once end consistent (PostgreSQL)."""

from itertools import pairwise

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Role
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, StatusChange, Vote
from app.portfolio.models import Project, ProjectPhase, ProjectPhaseChange
from tests.factories import make_user
from tests.portfolio.conftest import add_votes, make_idea, make_project


def _headers(role=Role.PORTFOLIO_MANAGER) -> dict:
    return {"Authorization": f"Bearer {accounts.create_api_token(make_user(role=role), 'test')[1]}"}


def _accepted() -> Idea:
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    db.session.add(StatusChange(idea_id=idea.id, from_status=IdeaStatus.SUBMITTED,
                                to_status=IdeaStatus.ACCEPTED, explanation="Godt forslag."))
    db.session.commit()
    return idea


def test_phases_through_the_api_move_the_ideas_and_are_listed_on_the_project(client):
    headers = _headers()
    ideas = [_accepted(), _accepted()]
    project = make_project("Trygg skolevei", ideas=tuple(ideas))
    for phase, status in (("planned", "planned"), ("in_progress", "in_progress"), ("completed", "implemented")):
        response = client.patch(f"/api/v1/projects/{project.id}", json={"phase": phase}, headers=headers)
        assert response.status_code == 200, response.get_json()
        for idea in ideas:
            assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["status"] == status
    data = client.get(f"/api/v1/projects/{project.id}").get_json()
    assert data["progress"] == 100
    assert [c["to"] for c in data["phase_changes"]] == ["completed", "in_progress", "planned"]


def test_cancelling_through_the_api_needs_an_explanation_and_hands_back_the_answer(client):
    headers = _headers()
    idea = _accepted()
    project = make_project(phase=ProjectPhase.PROPOSED, ideas=(idea,))
    client.patch(f"/api/v1/projects/{project.id}", json={"phase": "in_progress"}, headers=headers)
    response = client.patch(f"/api/v1/projects/{project.id}", json={"phase": "cancelled"}, headers=headers)
    assert response.status_code == 422
    assert "Skriv hvorfor prosjektet er avlyst" in response.get_json()["error"]["fields"]["phase_explanation"][0]
    response = client.patch(f"/api/v1/projects/{project.id}",
                            json={"phase": "cancelled", "phase_explanation": "Ingen midler i år."}, headers=headers)
    assert response.status_code == 200
    data = client.get(f"/api/v1/ideas/{idea.id}").get_json()
    assert data["status"] == "accepted"
    assert "Ingen midler i år." in data["status_history"][-1]["explanation"]


def test_progress_cannot_contradict_completed_through_the_api(client):
    headers = _headers()
    project = make_project(phase=ProjectPhase.IN_PROGRESS)
    response = client.patch(f"/api/v1/projects/{project.id}", json={"phase": "completed", "progress": 60},
                            headers=headers)
    assert "progress" in response.get_json()["error"]["fields"]
    client.patch(f"/api/v1/projects/{project.id}", json={"phase": "completed"}, headers=headers)
    response = client.post(f"/api/v1/projects/{project.id}/updates", json={"text": "Litt igjen", "progress": 80},
                           headers=headers)
    assert response.status_code == 422 and "progress" in response.get_json()["error"]["fields"]
    # 100 % on an update does not complete a project that is under way.
    other = make_project(phase=ProjectPhase.IN_PROGRESS)
    response = client.post(f"/api/v1/projects/{other.id}/updates", json={"text": "Ferdig bygget", "progress": 100},
                           headers=headers)
    assert response.status_code == 201
    assert client.get(f"/api/v1/projects/{other.id}").get_json()["phase"] == "in_progress"


def test_linking_through_the_api_moves_the_idea_to_the_projects_phase(client):
    idea = make_idea()
    project = make_project(phase=ProjectPhase.IN_PROGRESS)
    response = client.post(f"/api/v1/projects/{project.id}/ideas", json={"idea_id": idea.id, "note": "Tatt med."},
                           headers=_headers())
    assert response.status_code == 201
    assert response.get_json()["idea_status"] == "in_progress"


@pytest.mark.parametrize("status", [IdeaStatus.ACCEPTED, IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS])
def test_an_answered_idea_merges_through_the_api_with_the_union_of_voters(client, status):
    idea = make_idea(status=status)
    into = make_idea()
    shared = make_user()
    add_votes(idea, [shared, make_user()])
    add_votes(into, [shared])
    response = client.post(f"/api/v1/ideas/{idea.id}/merge", json={"into_id": into.id, "explanation": "Det samme."},
                           headers=_headers())
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["merged_into_vote_count"] == 2  # the shared voter counts once
    assert db.session.scalar(select(Vote.id).where(Vote.idea_id == into.id).limit(1))


def test_implemented_or_declined_ideas_still_cannot_be_merged(client):
    for status in (IdeaStatus.IMPLEMENTED, IdeaStatus.DECLINED):
        idea, into = make_idea(status=status), make_idea()
        response = client.post(f"/api/v1/ideas/{idea.id}/merge", json={"into_id": into.id, "explanation": "x"},
                               headers=_headers())
        assert response.status_code == 409


def test_two_phase_changes_at_once_end_consistent(app, live_server):
    """Completed and cancelled sent together, ten times: the project's phase history is one
    chain (each change starts where the other ended), and the ideas match the final phase."""
    from tests.moderation.test_concurrency import _send_at_once, _tokens

    managers = [make_user(role=Role.PORTFOLIO_MANAGER) for _ in range(2)]
    tokens = _tokens(managers)
    for _round in range(10):
        ideas = [_accepted(), _accepted()]
        project = make_project(phase=ProjectPhase.IN_PROGRESS, ideas=tuple(ideas))
        url = f"{live_server}/api/v1/projects/{project.id}"
        statuses = _send_at_once([
            ("PATCH", url, tokens[0], {"phase": "completed"}),
            ("PATCH", url, tokens[1], {"phase": "cancelled", "phase_explanation": "Stoppet."}),
        ])
        assert sorted(statuses) == [200, 200], statuses
        db.session.expire_all()
        final = db.session.get(Project, project.id)
        changes = list(db.session.scalars(select(ProjectPhaseChange).where(
            ProjectPhaseChange.project_id == project.id).order_by(ProjectPhaseChange.id)))
        assert len(changes) == 2
        assert changes[0].from_phase == ProjectPhase.IN_PROGRESS
        assert changes[1].from_phase == changes[0].to_phase
        assert changes[1].to_phase == final.phase
        expected = IdeaStatus.IMPLEMENTED if final.phase == ProjectPhase.COMPLETED else IdeaStatus.ACCEPTED
        for idea in ideas:
            assert db.session.get(Idea, idea.id).status == expected
            history = list(db.session.scalars(select(StatusChange).where(
                StatusChange.idea_id == idea.id).order_by(StatusChange.id)))
            # Each change starts where the last one ended: no move was made on a stale status.
            for before, after in pairwise(history):
                assert after.from_status == before.to_status
