"""Counts over every idea are cached per worker, and a change in this worker shows at once."""

from app.core import cache
from app.extensions import db
from app.ideas import queries, services
from app.ideas.models import Idea, IdeaStatus
from bench.querycount import count_queries
from tests.factories import make_user
from tests.ideas.factories import make_idea


def _status_count(status: IdeaStatus) -> int:
    facets = queries.facets(queries.IdeaFilters(), None)
    return next(o.count for o in facets.statuses if o.value == status.value)


def test_a_new_or_withdrawn_idea_is_counted_at_once(app):
    author = make_user()
    make_idea(author=author)
    assert queries.count_ideas(queries.IdeaFilters(), None) == 1
    assert _status_count(IdeaStatus.SUBMITTED) == 1

    # Read again: from the cache, without counting anything.
    with count_queries() as log:
        assert queries.count_ideas(queries.IdeaFilters(), None) == 1
    assert log.count == 0

    second = make_idea(author=author)
    assert queries.count_ideas(queries.IdeaFilters(), None) == 2
    services.withdraw_idea(author, second, "Dobbelt")
    assert _status_count(IdeaStatus.SUBMITTED) == 1
    assert _status_count(IdeaStatus.WITHDRAWN) == 1


def test_votes_do_not_recount_the_filters_but_update_the_totals(app):
    idea = make_idea()
    queries.count_ideas(queries.IdeaFilters(), None)
    assert queries.totals().votes == 0
    services.vote_for_idea(make_user(), idea.id)
    assert queries.totals().votes == 1
    with count_queries() as log:
        queries.count_ideas(queries.IdeaFilters(), None)
    assert log.count == 0  # a vote changes no filter count, so the count stays cached


def test_a_change_made_outside_the_orm_shows_after_forgetting(app):
    make_idea()
    assert queries.count_ideas(queries.IdeaFilters(), None) == 1
    db.session.execute(db.update(Idea).values(visibility="hidden").execution_options(synchronize_session=False))
    db.session.commit()  # an ORM UPDATE of a watched column forgets the topic
    assert queries.count_ideas(queries.IdeaFilters(), None) == 0
    cache.forget()
    assert queries.count_ideas(queries.IdeaFilters(), None) == 0


def test_the_cache_can_be_turned_off(app):
    app.config["COUNT_CACHE_SECONDS"] = 0
    cache.init_app(app)
    make_idea()
    queries.count_ideas(queries.IdeaFilters(), None)
    with count_queries() as log:
        assert queries.count_ideas(queries.IdeaFilters(), None) == 1
    assert log.count == 1
