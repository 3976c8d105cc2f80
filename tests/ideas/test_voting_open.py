"""Support stays open while an idea can still be delivered: submitted, under review, accepted,
planned and in progress; it closes at implemented, declined, merged and withdrawn. The same on
the page, through the API and in the service, and a project moving its ideas moves the rule."""

import pytest

from app.accounts.services import create_api_token
from app.ideas.models import VOTING_OPEN, IdeaStatus
from app.portfolio import services as portfolio
from app.portfolio.models import ProjectPhase
from tests.factories import login, make_user
from tests.ideas.factories import counts, make_idea

OPEN = [IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.PLANNED,
        IdeaStatus.IN_PROGRESS]
CLOSED = {
    IdeaStatus.IMPLEMENTED: "Idéen er gjennomført, så avstemningen er stengt.",
    IdeaStatus.DECLINED: "Kommunen har avslått idéen, så avstemningen er stengt.",
    IdeaStatus.MERGED: "Idéen er slått sammen med en annen. Stem på den i stedet.",
    IdeaStatus.WITHDRAWN: "Idéen er trukket tilbake, så den kan ikke få flere stemmer.",
}


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {create_api_token(user, 'test')[1]}"}


def test_the_table_is_the_rule():
    assert set(OPEN) == VOTING_OPEN
    assert set(CLOSED) == set(IdeaStatus) - VOTING_OPEN


@pytest.mark.parametrize("status", OPEN)
def test_open_statuses_take_votes_on_the_page_and_through_the_api(app, client, status):
    idea = make_idea(status=status)
    login(client, make_user())
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Stem på idéen" in html and "avstemningen er stengt" not in html.lower()
    response = client.post(f"/ideas/{idea.id}/vote", data={"action": "add"}, follow_redirects=True)
    assert "Stemmen din er registrert." in response.get_data(as_text=True)
    response = client.post(f"/api/v1/ideas/{idea.id}/vote", headers=_bearer(make_user()))
    assert response.status_code == 200 and response.get_json()["vote_count"] == 2
    assert counts(idea)[0] == 2


@pytest.mark.parametrize("status", list(CLOSED))
def test_closed_statuses_say_why_on_the_page_and_409_through_the_api(app, client, status):
    idea = make_idea(status=status)
    voter = make_user()
    login(client, voter)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert CLOSED[status] in html
    assert "Stem på idéen" not in html
    response = client.post(f"/ideas/{idea.id}/vote", data={"action": "add"}, follow_redirects=True)
    assert "Avstemningen er stengt" in response.get_data(as_text=True)
    response = client.post(f"/api/v1/ideas/{idea.id}/vote", headers=_bearer(make_user()))
    assert response.status_code == 409
    assert "Avstemningen er stengt" in response.get_json()["error"]["message"]
    assert counts(idea)[0] == 0


def test_a_project_completing_closes_voting_and_cancelling_opens_it_again(app, client):
    from tests.portfolio.conftest import make_project

    manager = make_user(role="portfolio_manager")
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    project = make_project(phase=ProjectPhase.IN_PROGRESS, ideas=(idea,))
    portfolio.change_project_phase(manager, project, "completed")
    response = client.post(f"/api/v1/ideas/{idea.id}/vote", headers=_bearer(make_user()))
    assert response.status_code == 409
    assert "gjennomført" in response.get_json()["error"]["message"]
    portfolio.change_project_phase(manager, project, "cancelled", "Pengene ble brukt andre steder.")
    response = client.post(f"/api/v1/ideas/{idea.id}/vote", headers=_bearer(make_user()))
    assert response.status_code == 200


def test_the_api_idea_json_says_the_status_the_project_gave(app, client):
    from tests.portfolio.conftest import make_project

    manager = make_user(role="portfolio_manager")
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    project = make_project(ideas=(idea,))
    portfolio.change_project_phase(manager, project, "planned")
    data = client.get(f"/api/v1/ideas/{idea.id}").get_json()
    assert data["status"] == "planned"
    assert data["status_history"][-1]["to"] == "planned"


def test_support_for_a_planned_project_keeps_counting_on_the_board(app):
    """A vote on an idea a project has planned counts in the project's citizen support."""
    from app.ideas import services as ideas
    from app.portfolio import queries
    from tests.portfolio.conftest import make_project

    manager = make_user(role="portfolio_manager")
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    project = make_project(ideas=(idea,))
    portfolio.change_project_phase(manager, project, "planned")
    before = queries.citizen_support([project.id]).get(project.id, 0)
    ideas.vote_for_idea(make_user(), idea.id)
    ideas.vote_for_idea(make_user(), idea.id)
    # A vote's commit moves the cached count on (app/core/cache.py): the new number at once.
    assert queries.citizen_support([project.id]).get(project.id, 0) == before + 2
