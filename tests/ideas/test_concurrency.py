"""Exact counters under real concurrent requests (PostgreSQL): a live server, twenty threads, one barrier."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.accounts.services import create_api_token
from tests.factories import make_organisation, make_user
from tests.ideas.factories import counts, make_idea

PEOPLE = 20


@pytest.fixture
def app_config(app_config):
    # Room for every request at once, so they really run side by side in the database.
    return {**app_config, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": PEOPLE + 5, "max_overflow": 5}}


def _fire_at_once(requests: list[urllib.request.Request]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(requests))

    def send(request):
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def _request(url: str, token: str, method: str = "POST", body: dict | None = None) -> urllib.request.Request:
    headers = {"Authorization": f"Bearer {token}", "Host": "medvirk.test", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    return urllib.request.Request(url, data=data, method=method, headers=headers)


def test_twenty_people_voting_at_the_same_moment_give_exactly_twenty(app, live_server):
    idea = make_idea()
    tokens = [create_api_token(make_user(), "samtidig")[1] for _ in range(PEOPLE)]
    url = f"{live_server}/api/v1/ideas/{idea.id}/vote"
    results = _fire_at_once([_request(url, token) for token in tokens])
    assert [status for status, _body in results] == [200] * PEOPLE, results
    assert all(body["voted"] for _status, body in results)
    assert counts(idea)[0] == PEOPLE


def test_one_person_pressing_twenty_times_at_once_gives_one_vote(app, live_server):
    idea = make_idea()
    _token, raw = create_api_token(make_user(), "ivrig")
    url = f"{live_server}/api/v1/ideas/{idea.id}/vote"
    results = _fire_at_once([_request(url, raw) for _ in range(PEOPLE)])
    assert [status for status, _body in results] == [200] * PEOPLE, results
    assert all(body == {"voted": True, "vote_count": 1} for _status, body in results if body["vote_count"] == 1)
    assert counts(idea)[0] == 1


def test_twenty_people_taking_their_votes_back_at_once_give_zero(app, live_server):
    from app.ideas import services

    idea = make_idea()
    people = [make_user() for _ in range(PEOPLE)]
    for person in people:
        services.vote_for_idea(person, idea.id)
    tokens = [create_api_token(person, "angrer")[1] for person in people]
    url = f"{live_server}/api/v1/ideas/{idea.id}/vote"
    # Each person sends the DELETE twice, all at the same moment.
    results = _fire_at_once([_request(url, token, "DELETE") for token in tokens * 2])
    assert all(status == 200 for status, _body in results), results
    assert counts(idea)[0] == 0


def test_members_of_one_organisation_endorsing_at_once_give_one_endorsement(app, live_server):
    members = [make_user() for _ in range(10)]
    organisation = make_organisation(members=tuple(members))
    idea = make_idea()
    tokens = [create_api_token(member, "støtte")[1] for member in members]
    url = f"{live_server}/api/v1/ideas/{idea.id}/endorsements"
    results = _fire_at_once([_request(url, token, body={"organisation_id": organisation.id}) for token in tokens])
    assert all(status == 200 for status, _body in results), results
    assert counts(idea)[1] == 1
