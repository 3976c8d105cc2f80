"""What each kind of visitor sees once moderation hides something, across the platform's pages,
lists, search, counts and API; and a blocked person reading but not taking part anywhere."""

from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.comments.models import CommentVisibility
from app.core.db import utcnow
from app.core.errors import InvalidState, NotAllowed
from app.extensions import db
from app.ideas import queries as idea_queries
from app.ideas.models import Idea
from app.moderation import services
from tests.factories import login, make_organisation, make_user
from tests.moderation.conftest import make_comment, make_idea

SECRET = "Hemmelig tekst som ikke skal vises"


@pytest.fixture
def hidden_idea(moderator):
    author = make_user("Ola Forfatter")
    idea = make_idea(author, title="Skjult forslag om bomring", body=SECRET)
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam", "Ingen reklame, takk.")
    return idea


def _viewer(client, who, idea, moderator):
    if who == "author":
        login(client, idea.author)
    elif who == "moderator":
        login(client, moderator)
    elif who == "resident":
        login(client, make_user())


@pytest.mark.parametrize("who, sees_text", [
    ("anonymous", False), ("resident", False), ("author", True), ("moderator", True),
])
def test_idea_page_shows_a_placeholder_to_the_public_and_the_text_to_author_and_moderators(
    client, hidden_idea, moderator, who, sees_text
):
    _viewer(client, who, hidden_idea, moderator)
    response = client.get(f"/ideas/{hidden_idea.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Reklame eller spam" in html  # the public reason
    assert (SECRET in html) == sees_text
    if who == "author":
        assert "Ingen reklame, takk." in html and f"/appeal/idea/{hidden_idea.id}" in html


@pytest.mark.parametrize("who, status", [
    ("anonymous", 404), ("resident", 404), ("author", 200), ("moderator", 200),
])
def test_api_answers_404_for_a_hidden_idea_to_all_but_author_and_moderators(
    client, hidden_idea, moderator, who, status
):
    _viewer(client, who, hidden_idea, moderator)
    assert client.get(f"/api/v1/ideas/{hidden_idea.id}").status_code == status


def test_lists_search_counts_and_api_lists_leave_a_hidden_idea_out(client, hidden_idea):
    visible = make_idea(title="Synlig forslag om bomring")
    listing = client.get("/ideas").get_data(as_text=True)
    assert visible.title in listing and hidden_idea.title not in listing
    found = client.get("/ideas?q=bomring").get_data(as_text=True)
    assert visible.title in found and hidden_idea.title not in found
    api_titles = [i["title"] for i in client.get("/api/v1/ideas?per_page=100").get_json()["items"]]
    assert visible.title in api_titles and hidden_idea.title not in api_titles
    assert idea_queries.totals().ideas == 1
    restored_by = make_user(role=Role.ADMIN)
    services.moderate_item(restored_by, "idea", hidden_idea.id, "restore", "no_violation")
    assert idea_queries.totals().ideas == 2
    assert hidden_idea.title in client.get("/ideas").get_data(as_text=True)


def test_hidden_idea_cannot_be_voted_on_or_commented(hidden_idea):
    from app.comments.services import post_comment
    from app.ideas.services import vote_for_idea

    voter = make_user()
    with pytest.raises(InvalidState):
        vote_for_idea(voter, hidden_idea.id)
    with pytest.raises(InvalidState):
        post_comment(voter, hidden_idea, "Jeg vil kommentere likevel.")


def test_a_hidden_comment_leaves_a_placeholder_and_its_replies_visible(client, moderator):
    author = make_user()
    idea = make_idea()
    parent = make_comment(idea, author, body="Dette er en stygg kommentar")
    reply = make_comment(idea, body="Dette svaret skal fortsatt synes", parent=parent)
    for _ in range(3):
        services.report_content(make_user(), "comment", parent.id, "offensive")
    db.session.refresh(idea)
    assert idea.comment_count == 1  # the reply only
    public = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Dette er en stygg kommentar" not in public
    assert "Skjult av moderatorene" in public and "venter på vurdering" in public
    assert reply.body in public
    login(client, author)
    own = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Dette er en stygg kommentar" in own
    api = client.get(f"/api/v1/ideas/{idea.id}/comments")
    assert "Dette er en stygg kommentar" in api.get_data(as_text=True)  # the author reads their own
    client.post("/logout")
    api = client.get(f"/api/v1/ideas/{idea.id}/comments").get_data(as_text=True)
    assert "Dette er en stygg kommentar" not in api and reply.body in api


def test_blocked_person_reads_but_every_kind_of_participation_is_refused(client, moderator):
    from app.comments.services import post_comment
    from app.ideas.services import IdeaInput, endorse_idea, submit_idea, vote_for_idea

    person = make_user()
    organisation = make_organisation(admin=person)
    idea = make_idea(body="Les meg")
    comment = make_comment(idea)
    services.block_person(moderator, person, "Hets.", utcnow() + timedelta(days=365))
    refusals = {
        "propose": lambda: submit_idea(person, IdeaInput(title="Ny idé om veien", body="En lang nok tekst om veien her.",
                                                         service_area_id=idea.service_area_id)),
        "vote": lambda: vote_for_idea(person, idea.id),
        "comment": lambda: post_comment(person, idea, "Jeg vil si noe."),
        "endorse": lambda: endorse_idea(person, idea.id, organisation.id),
        "report": lambda: services.report_content(person, "comment", comment.id, "spam"),
    }
    for attempt in refusals.values():
        with pytest.raises(NotAllowed, match="blokkert"):
            attempt()
        db.session.rollback()
    db.session.refresh(idea)
    assert (idea.vote_count, idea.endorsement_count, idea.comment_count) == (0, 0, 1)
    login(client, person)
    page = client.get(f"/ideas/{idea.id}")
    assert page.status_code == 200 and "Les meg" in page.get_data(as_text=True)
    assert "Kontoen din er blokkert fra å delta" in page.get_data(as_text=True)
    assert db.session.get(Idea, idea.id).comment_count == 1
    assert comment.visibility == CommentVisibility.VISIBLE
