"""Counts over the ideas a filter matches are cached, and a change shows on the very next page.

The whole list's counts come from the counts table instead (tests/ideas/test_counts.py), so these
tests count under a filter every idea here passes.
"""

import os
import re
from datetime import timedelta

import pytest
import redis
from sqlalchemy import text

from app import create_app
from app.core import cache
from app.core.db import utcnow
from app.extensions import db
from app.ideas import queries, services
from app.ideas.models import Idea, IdeaStatus, Visibility, Vote
from bench.querycount import count_queries
from tests.factories import login, make_service_area, make_user
from tests.ideas.factories import make_idea

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def _everything() -> queries.IdeaFilters:
    """Every idea made here: their service areas share the first municipal area."""
    return queries.IdeaFilters(municipal_area=1)


def _status_count(status: IdeaStatus) -> int:
    facets = queries.facets(queries.IdeaFilters(), None)
    return next(o.count for o in facets.statuses if o.value == status.value)


def test_a_new_or_withdrawn_idea_is_counted_at_once(app):
    author = make_user()
    make_idea(author=author)
    assert queries.count_ideas(_everything(), None) == 1
    assert _status_count(IdeaStatus.SUBMITTED) == 1

    # Read again: from the cache, without counting anything.
    with count_queries() as log:
        assert queries.count_ideas(_everything(), None) == 1
    assert log.count == 0

    second = make_idea(author=author)
    assert queries.count_ideas(_everything(), None) == 2
    services.withdraw_idea(author, second, "Dobbelt")
    assert _status_count(IdeaStatus.SUBMITTED) == 1
    assert _status_count(IdeaStatus.WITHDRAWN) == 1


def test_votes_do_not_recount_the_filters_but_update_the_totals(app):
    idea = make_idea()
    queries.count_ideas(_everything(), None)
    assert queries.totals().votes == 0
    services.vote_for_idea(make_user(), idea.id)
    assert queries.totals().votes == 1
    with count_queries() as log:
        queries.count_ideas(_everything(), None)
    assert log.count == 0  # a vote changes no filter count, so the count stays cached


def test_an_orm_update_is_seen_and_raw_sql_needs_forgetting(app):
    make_idea()
    assert queries.count_ideas(_everything(), None) == 1
    # An ORM UPDATE of a watched column starts a new generation at commit.
    db.session.execute(
        db.update(Idea).values(visibility=Visibility.HIDDEN).execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert queries.count_ideas(_everything(), None) == 0
    # Plain SQL goes past the ORM (as the benchmark's seed does): stale until forgotten.
    db.session.execute(text("UPDATE ideas SET visibility = 'visible'"))
    db.session.commit()
    assert queries.count_ideas(_everything(), None) == 0
    cache.forget()
    assert queries.count_ideas(_everything(), None) == 1


def test_an_orm_insert_statement_is_seen_too(app):
    """A vote is one INSERT … ON CONFLICT statement, not an object the session flushes: the
    "activity" topic it belongs to must still start afresh at commit."""
    from app.core.db import dialect_insert

    idea = make_idea()
    calls = []

    def compute():
        calls.append(1)
        return db.session.scalar(db.select(db.func.count()).select_from(Vote))

    assert cache.remember("activity", "test-votes", compute) == 0
    db.session.execute(dialect_insert()(Vote).values(idea_id=idea.id, user_id=make_user().id, created_at=utcnow()))
    db.session.commit()
    assert cache.remember("activity", "test-votes", compute) == 1
    assert len(calls) == 2


def test_my_voted_list_counts_my_vote_at_once(app, client):
    voter = make_user()
    ideas = [make_idea() for _ in range(3)]
    login(client, voter)
    services.vote_for_idea(voter, ideas[0].id)
    first = client.get("/ideas?voted=1").get_data(as_text=True)
    services.vote_for_idea(voter, ideas[1].id)
    second = client.get("/ideas?voted=1").get_data(as_text=True)
    assert ideas[1].title not in first and ideas[1].title in second
    assert queries.count_ideas(queries.IdeaFilters(voted=True), voter) == 2
    services.withdraw_vote(voter, ideas[0].id)
    assert queries.count_ideas(queries.IdeaFilters(voted=True), voter) == 1
    assert ideas[0].title not in client.get("/ideas?voted=1&sort=trending").get_data(as_text=True)


def _vote_at(idea: Idea, days_ago: int, voters: int) -> None:
    for _ in range(voters):
        db.session.add(Vote(idea_id=idea.id, user_id=make_user().id, created_at=utcnow() - timedelta(days=days_ago)))
    idea.vote_count += voters
    db.session.commit()


def test_trending_pages_through_the_pool_then_by_votes_without_gaps_or_repeats(app):
    area = make_service_area()
    ideas = [make_idea(title=f"Idé {n} om nærmiljøet i bygda", service_area=area) for n in range(7)]
    # Recent votes put 4, 2, 5 first (most recent votes first); the rest follow by all votes.
    _vote_at(ideas[4], 1, 3)
    _vote_at(ideas[2], 2, 2)
    _vote_at(ideas[5], 3, 1)
    _vote_at(ideas[0], 60, 9)
    _vote_at(ideas[6], 60, 4)
    expected = [ideas[i].id for i in (4, 2, 5, 0, 6)] + sorted((ideas[1].id, ideas[3].id), reverse=True)
    filters = queries.IdeaFilters(sort="trending")
    for per_page in (1, 2, 3, 4, 7, 10):
        seen = []
        for page in range(1, 9):
            result = queries.list_ideas(filters, None, page, per_page)
            assert result.total == 7
            seen += [idea.id for idea in result.items]
        assert seen == expected, per_page

    # A pooled idea hidden since the pool was made drops out of the page at once.
    ideas[2].visibility = Visibility.HIDDEN
    db.session.commit()
    first = queries.list_ideas(filters, None, 1, 3).items
    assert ideas[2].id not in [idea.id for idea in first]


def test_trending_with_no_recent_votes_is_the_most_voted_order(app):
    ideas = [make_idea() for _ in range(3)]
    _vote_at(ideas[1], 40, 2)
    result = queries.list_ideas(queries.IdeaFilters(sort="trending"), None, 1, 10)
    assert [i.id for i in result.items] == [ideas[1].id, ideas[2].id, ideas[0].id]


def test_the_cache_can_be_turned_off(app):
    app.config["COUNT_CACHE_SECONDS"] = 0
    cache.init_app(app)
    make_idea()
    queries.count_ideas(_everything(), None)
    with count_queries() as log:
        assert queries.count_ideas(_everything(), None) == 1
    assert log.count == 1


@pytest.mark.skipif(
    not REDIS_URL and os.environ.get("REQUIRE_REDIS") != "1",
    reason="TEST_REDIS_URL is not set (CI sets it)",
)
def test_with_redis_a_change_in_one_worker_shows_in_the_other(app, app_config):
    assert REDIS_URL, "REQUIRE_REDIS=1 but TEST_REDIS_URL is not set"
    redis.Redis.from_url(REDIS_URL).flushdb()
    config = {**app_config, "REDIS_URL": REDIS_URL}
    worker_a, worker_b = create_app(config), create_app(config)
    with worker_a.app_context():
        make_idea()
        assert queries.count_ideas(_everything(), None) == 1
        with count_queries() as log:
            assert queries.count_ideas(_everything(), None) == 1
        assert log.count == 0  # read from Redis
    with worker_b.app_context():
        with count_queries() as log:
            assert queries.count_ideas(_everything(), None) == 1
        assert log.count == 0  # worker A's count, shared
        make_idea()  # committed in worker B
    with worker_a.app_context():
        assert queries.count_ideas(_everything(), None) == 2
        html = worker_a.test_client().get("/").get_data(as_text=True)
        assert re.search(r'totals__number">2</span>', html)


def test_a_stale_count_is_served_while_a_thread_counts_afresh(app):
    import time

    app.config["COUNT_CACHE_SECONDS"] = 0.2
    cache.init_app(app)
    make_idea()
    assert queries.count_ideas(_everything(), None) == 1
    # A change the app did not make (so no new generation): seen only once the value is stale.
    db.session.execute(text("UPDATE ideas SET visibility = 'hidden'"))
    db.session.commit()
    assert queries.count_ideas(_everything(), None) == 1  # still fresh
    time.sleep(0.3)
    # Stale: served at once (the fresh count would be 0) while a thread counts.
    assert queries.count_ideas(_everything(), None) == 1
    deadline = time.time() + 10
    while cache.refreshing() and time.time() < deadline:
        time.sleep(0.05)
    assert not cache.refreshing()
    assert queries.count_ideas(_everything(), None) == 0  # the thread's fresh count
