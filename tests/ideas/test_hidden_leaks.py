"""A hidden idea takes its title, discussion and pictures with it, on every route that names it.

The routes are read from app.url_map, not from a list kept by hand: a new page or API
operation that takes an idea or comment id is walked the day it is added.
"""

import pytest

from app.accounts.models import Role
from app.comments.models import CommentVisibility
from app.comments.permissions import can_view_comment
from app.extensions import db
from app.ideas.models import Visibility
from app.ideas.permissions import can_view_idea
from tests.factories import login, make_user
from tests.moderation.conftest import make_comment, make_idea

TITLE = "Hemmelig tittel om Fjordparken"
TOP = "Kommentartekst som ikke skal lekke"
REPLY = "Svartekst som heller ikke skal lekke"
HIDDEN_COMMENT = "Skjult kommentar under synlig idé"
SECRETS = (TITLE, TOP, REPLY)

# Arguments that name an idea or a comment (moderation's pages take a type and an id).
ITEM_ARGS = {"idea_id", "comment_id", "target_id"}
OWN_PAGES = {"comments.edit", "comments.delete", "moderation.appeal"}


def _hidden_idea_with_discussion(author):
    idea = make_idea(author, title=TITLE, body="Brødtekst av den skjulte idéen.")
    top = make_comment(idea, body=TOP)
    reply = make_comment(idea, body=REPLY, parent=top)
    idea.visibility = Visibility.HIDDEN
    idea.hidden_reason = "Spam"
    db.session.commit()
    return idea, top, reply


def _urls(app, idea, comments):
    """Every GET route with an idea or comment argument, filled in with the hidden ones."""
    urls = []
    adapter = app.url_map.bind("medvirk.test")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not (rule.arguments & ITEM_ARGS):
            continue
        if "target_type" in rule.arguments:
            values = [{"target_type": "idea", "target_id": idea.id}]
            values += [{"target_type": "comment", "target_id": c.id} for c in comments]
        elif "comment_id" in rule.arguments:
            values = [{"comment_id": c.id} for c in comments]
        else:
            values = [{"idea_id": idea.id}]
        for value in values:
            if set(value) != rule.arguments:
                continue  # a route with more arguments than these (none today)
            url = adapter.build(rule.endpoint, value)
            urls.append((rule.endpoint, url))
            if rule.endpoint == "comments.new":
                urls += [(rule.endpoint, f"{url}?parent={c.id}") for c in comments]
    return urls


def test_the_walk_covers_the_routes_named_in_the_issue(app):
    endpoints = {endpoint for endpoint, _url in _urls(app, make_idea(), [make_comment()])}
    assert {"comments.thread", "comments.new", "moderation.report", "ideas.detail",
            "api.idea_comments", "api.comment_detail", "api.idea_get"} <= endpoints


@pytest.mark.parametrize("who", ["visitor", "resident", "commenter"])
def test_nothing_of_a_hidden_idea_reaches_anyone_but_its_author_and_moderators(app, client, who):
    author = make_user("Ida Idéforfatter")
    idea, top, reply = _hidden_idea_with_discussion(author)
    if who == "resident":
        login(client, make_user("Ulla Uvedkommende"))
    elif who == "commenter":
        # Wrote in the discussion before the idea was hidden: still not the idea's author.
        login(client, top.author)
    urls = _urls(app, idea, [top, reply])
    assert urls
    for endpoint, url in urls:
        response = client.get(url, follow_redirects=True)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, (endpoint, url, response.status_code)
        for secret in SECRETS:
            if who == "commenter" and secret == TOP and endpoint in OWN_PAGES:
                continue  # their own words, on their own edit, delete and appeal pages
            assert secret not in body, (endpoint, url, secret)


@pytest.mark.parametrize("path", [
    "/ideas/{idea}/comments", "/ideas/{idea}/comments/new?parent={top}", "/report/comment/{top}",
    "/report/comment/{reply}", "/api/v1/ideas/{idea}/comments", "/api/v1/comments/{top}",
])
def test_routes_named_in_the_issue_answer_404(app, client, path):
    author = make_user()
    idea, top, reply = _hidden_idea_with_discussion(author)
    login(client, make_user())
    response = client.get(path.format(idea=idea.id, top=top.id, reply=reply.id))
    assert response.status_code == 404
    assert TITLE not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["author", "moderator"])
def test_author_and_moderators_still_read_the_hidden_discussion(app, client, role):
    author = make_user()
    idea, _top, _reply = _hidden_idea_with_discussion(author)
    login(client, author if role == "author" else make_user(role=Role.MODERATOR))
    body = client.get(f"/ideas/{idea.id}/comments").get_data(as_text=True)
    assert TITLE in body and TOP in body and REPLY in body


def test_hidden_comment_text_stays_out_of_its_reply_form_and_report_page(app, client):
    idea = make_idea()
    hidden = make_comment(idea, body=HIDDEN_COMMENT)
    reply = make_comment(idea, body="Et saklig svar", parent=hidden)
    hidden.visibility = CommentVisibility.HIDDEN
    db.session.commit()
    login(client, make_user())
    assert client.get(f"/report/comment/{hidden.id}").status_code == 404
    for url in (f"/ideas/{idea.id}/comments/new?parent={hidden.id}",
                f"/ideas/{idea.id}/comments/new?parent={reply.id}", f"/ideas/{idea.id}/comments",
                f"/api/v1/comments/{hidden.id}", f"/api/v1/ideas/{idea.id}/comments"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert HIDDEN_COMMENT not in response.get_data(as_text=True), url
    assert client.get(f"/report/comment/{reply.id}").status_code == 200


def test_the_one_rule_in_the_permissions(app):
    author, moderator, other = make_user(), make_user(role=Role.MODERATOR), make_user()
    idea, top, _reply = _hidden_idea_with_discussion(author)
    assert [can_view_idea(u, idea) for u in (None, other, author, moderator)] == [False, False, True, True]
    assert [can_view_comment(u, top) for u in (None, other, top.author, author, moderator)] == [
        False, False, False, True, True]
