"""A list page costs a fixed number of SQL queries, whatever its length."""

import pytest

from app.extensions import db
from app.ideas.models import Endorsement, Idea, Vote
from tests.factories import login, make_organisation, make_service_area, make_user
from tests.ideas.factories import QueryCounter, make_idea


def _many_ideas(n: int = 50):
    """Ideas with everything a card shows: authors, organisations, topics in two areas, SDGs, votes."""
    voter = make_user()
    members = [make_user() for _ in range(3)]
    organisations = [make_organisation(members=(m,)) for m in members]
    topics = [make_service_area(area_name="Samfunnsutvikling"), make_service_area(area_name="Helse og velferd")]
    ideas = []
    for i in range(n):
        author = members[i % 3]
        ideas.append(make_idea(
            author, title=f"Idé om nærmiljøet nummer {i}", service_area=topics[i % 2],
            sdgs=((i % 17) + 1, ((i + 5) % 17) + 1),
            organisation_id=organisations[i % 3].id if i % 2 else None,
        ))
    for idea in ideas[::3]:
        db.session.add(Vote(idea_id=idea.id, user_id=voter.id))
        db.session.add(Endorsement(idea_id=idea.id, organisation_id=organisations[0].id))
    db.session.commit()
    return voter, ideas


def _queries(client, url: str) -> int:
    client.get(url)  # warm up: one-time work is not the page's cost
    db.session.expire_all()
    with QueryCounter() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "resident"])
def test_list_page_costs_the_same_queries_at_5_and_at_50_items(app, client, logged_in):
    voter, _ideas = _many_ideas()
    if logged_in:
        login(client, voter)
    few = _queries(client, "/ideas?per_page=5")
    many = _queries(client, "/ideas?per_page=50")
    assert few == many, (few, many)
    assert many <= 20
    # Filters and a search do not change that either.
    filtered_few = _queries(client, "/ideas?per_page=5&q=nærmiljøet&sdg=3&sort=trending&voted=1&mine=1")
    filtered_many = _queries(client, "/ideas?per_page=50&q=nærmiljøet&sdg=3&sort=trending&voted=1&mine=1")
    assert filtered_few == filtered_many


def test_api_list_costs_the_same_queries_at_5_and_at_50_items(app, client):
    _many_ideas()
    few = _queries(client, "/api/v1/ideas?per_page=5")
    many = _queries(client, "/api/v1/ideas?per_page=50")
    assert few == many, (few, many)


def test_front_page_costs_a_fixed_number_of_queries(app, client):
    make_idea()
    one = _queries(client, "/")
    _many_ideas(20)
    assert _queries(client, "/") == one


def test_the_counter_sees_n_plus_one(app, client):
    """The counter itself must be able to fail: lazy loading per idea shows up in it."""
    _many_ideas(10)
    with QueryCounter() as counter:
        for idea in db.session.scalars(db.select(Idea)).all():
            db.session.expire(idea)
            _ = idea.author.full_name
    assert counter.count > 10
