"""comment_count and the duplicate rule under real concurrent requests (PostgreSQL)."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.accounts.services import create_api_token
from app.comments.models import Comment
from app.extensions import db
from tests.comments.factories import comment_count, make_idea
from tests.factories import make_user

PEOPLE = 10


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": PEOPLE + 5, "max_overflow": 5}}


def _post_at_once(url: str | list[str], tokens: list[str], bodies: list[str]) -> list[int]:
    """POST each (token, body) at the same moment, all to `url`, or each to its own."""
    urls = url if isinstance(url, list) else [url] * len(tokens)
    barrier = threading.Barrier(len(tokens))

    def send(args):
        target, token, body = args
        request = urllib.request.Request(
            target, data=json.dumps({"body": body}).encode(), method="POST",
            headers={"Authorization": f"Bearer {token}", "Host": "medvirk.test",
                     "Content-Type": "application/json"},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        return list(pool.map(send, zip(urls, tokens, bodies, strict=True)))


def test_ten_people_commenting_at_the_same_moment_give_exactly_ten(app, live_server):
    idea = make_idea()
    tokens = [create_api_token(make_user(), "samtidig")[1] for _ in range(PEOPLE)]
    statuses = _post_at_once(f"{live_server}/api/v1/ideas/{idea.id}/comments", tokens,
                             [f"Innlegg fra person {n}" for n in range(PEOPLE)])
    assert statuses == [201] * PEOPLE
    db.session.expire_all()
    assert comment_count(idea) == PEOPLE


def test_one_person_sending_the_same_comment_ten_times_at_once_gets_one(app, live_server):
    idea = make_idea()
    _token, raw = create_api_token(make_user(), "dobbeltklikk")
    statuses = _post_at_once(f"{live_server}/api/v1/ideas/{idea.id}/comments", [raw] * PEOPLE,
                             ["Samme tekst hver gang"] * PEOPLE)
    assert sorted(statuses) == [201] + [422] * (PEOPLE - 1)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.idea_id == idea.id)) == 1
    assert comment_count(idea) == 1


def test_one_person_sending_the_same_text_to_ten_ideas_at_once_gets_one(app, live_server):
    """The duplicate rule holds across ideas: each post locks the person's own row with the idea's,
    and reads their recent texts only once it holds it, so nine wait and then see the first."""
    ideas = [make_idea() for _ in range(PEOPLE)]
    _token, raw = create_api_token(make_user(), "mange-ideer")
    statuses = _post_at_once([f"{live_server}/api/v1/ideas/{idea.id}/comments" for idea in ideas],
                             [raw] * PEOPLE, ["Samme tekst overalt"] * PEOPLE)
    assert sorted(statuses) == [201] + [422] * (PEOPLE - 1), statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
