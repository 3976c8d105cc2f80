"""An internal project is never named in an idea's public answer, on the page or in the API."""

import pytest

from app.accounts.models import Role
from app.ideas.models import IdeaStatus
from app.portfolio import services
from tests.factories import login, make_user
from tests.portfolio.conftest import make_idea, make_project

SECRET = "Hemmelig anskaffelse av fagsystem for barnevernet"
NOTE = f"Idéen er tatt med i «{SECRET}»."


@pytest.fixture
def linked(app):
    idea = make_idea()
    project = make_project(title=SECRET, public=False)
    services.link_idea(make_user(role=Role.PORTFOLIO_MANAGER), project, idea, NOTE)
    return idea


@pytest.mark.parametrize("who", ["visitor", "author", "resident"])
def test_internal_projects_title_is_not_in_the_public_answer(linked, client, who):
    if who == "author":
        login(client, linked.author)
    elif who == "resident":
        login(client, make_user())
    page = client.get(f"/ideas/{linked.id}").get_data(as_text=True)
    api = client.get(f"/api/v1/ideas/{linked.id}").get_data(as_text=True)
    for body in (page, api):
        assert SECRET not in body
        assert "kommunens interne arbeid" in body


def test_the_idea_is_still_accepted_and_the_author_told_without_the_title(linked):
    assert linked.status == IdeaStatus.ACCEPTED
    change = linked.status_changes[-1]
    assert SECRET not in change.explanation and "kommunens interne arbeid" in change.explanation
    from sqlalchemy import select

    from app.extensions import db
    from app.notifications.models import Notice

    for notice in db.session.scalars(select(Notice).where(Notice.user_id == linked.author_id)):
        assert SECRET not in notice.subject + notice.body


def test_staff_who_see_the_project_read_its_link_note(linked, client):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    assert SECRET in client.get(f"/ideas/{linked.id}").get_data(as_text=True)


def test_a_public_projects_note_is_the_answer(app, client):
    idea = make_idea()
    project = make_project(title="Nye benker i Fjordparken", public=True)
    services.link_idea(make_user(role=Role.PORTFOLIO_MANAGER), project, idea, "Benkene kommer til sommeren.")
    assert "Benkene kommer til sommeren." in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
