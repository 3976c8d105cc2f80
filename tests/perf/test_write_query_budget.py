"""The POSTs people make most stay within issue 17's budget of statements: a vote, a comment
on one's own idea (nothing to tell anyone) and a comment that tells the idea's author.

The comment's notices once rendered the staff menu's counts and loaded the comment, its idea
and its people again after each commit (23 statements); a vote checked for an earlier vote,
the preference to follow and read its count back in statements of their own (10)."""

from app.accounts.services import create_api_token
from app.extensions import db
from bench.querycount import count_queries
from tests.factories import make_user
from tests.ideas.factories import make_idea


def _post(app, client, url: str, token: str, body: dict | None = None):
    db.session.remove()  # a request of its own: nothing loaded in the test's session helps it
    with count_queries() as log:
        response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
    db.session.remove()
    return response, log


def _token(user) -> str:
    raw = create_api_token(user, "budget")[1]
    db.session.commit()
    return raw


def test_a_vote_costs_at_most_6_statements(app, client):
    idea_id = make_idea().id
    token = _token(make_user())
    response, log = _post(app, client, f"/api/v1/ideas/{idea_id}/vote", token)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["vote_count"] == 1
    assert log.count <= 6, str(log)
    again, log = _post(app, client, f"/api/v1/ideas/{idea_id}/vote", token)
    assert again.get_json()["vote_count"] == 1
    assert log.count <= 6, str(log)


def test_a_comment_costs_at_most_7_statements_and_13_with_a_notice(app, client, backend):
    # PostgreSQL locks the author's row once more, so that two posts of the same text at once
    # cannot both pass the duplicate check (tests/comments/test_concurrency.py).
    lock = 1 if backend == "postgresql" else 0
    author = make_user()
    idea_id = make_idea(author=author).id
    own, log = _post(app, client, f"/api/v1/ideas/{idea_id}/comments", _token(author),
                     {"body": "Jeg legger til at stien også trenger lys."})
    assert own.status_code == 201, own.get_data(as_text=True)
    assert log.count <= 7 + lock, str(log)
    other, log = _post(app, client, f"/api/v1/ideas/{idea_id}/comments", _token(make_user()),
                       {"body": "Godt forslag, dette trengs i bygda vår."})
    assert other.status_code == 201, other.get_data(as_text=True)
    assert other.get_json()["author"]["name"]
    # The token and its person in one statement; the idea's author read under the idea's lock.
    assert log.count <= 13 + lock, str(log)
