"""Attack: two portfolio managers merging two ideas into each other at the same moment.

Before, against gunicorn on PostgreSQL, 10 rounds of "A into B" and "B into A" sent at once:
9 rounds ended in a deadlock answered 503 ("the database is unavailable"), and in 1 round
both requests succeeded, leaving A merged into B and B merged into A, so neither idea was
open and neither carried the votes. merge_ideas checked the target on what it had read
before, and locked the two ideas in whatever order the requests came.
"""

import pytest
from sqlalchemy import func, select, update

from app.accounts.models import Role
from app.core.errors import InvalidState
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, Visibility, Vote
from app.portfolio import answers
from tests.factories import make_user
from tests.moderation.test_concurrency import (  # noqa: F401  (fixtures)
    _send_at_once,
    _tokens,
    app_config,
)
from tests.portfolio.conftest import add_votes, make_idea

WHY = "Samme forslag, vi samler stemmene."


def _meanwhile(idea: Idea, **values) -> None:
    """Another manager's request, committed on its own connection behind this session's back."""
    db.session.commit()
    db.session.refresh(idea)  # what this request read: the state before the other write
    with db.engine.begin() as connection:
        connection.execute(update(Idea).where(Idea.id == idea.id).values(**values))


@pytest.mark.parametrize("meanwhile", [
    {"status": IdeaStatus.MERGED},
    {"status": IdeaStatus.WITHDRAWN},
    {"visibility": Visibility.HIDDEN},
], ids=["merged", "withdrawn", "hidden"])
def test_merge_decides_on_the_targets_stored_row(manager, meanwhile):
    idea, into = make_idea(), make_idea()
    _meanwhile(into, **meanwhile)
    assert into.status == IdeaStatus.SUBMITTED and into.visibility == Visibility.VISIBLE  # stale
    with pytest.raises(InvalidState, match="må være synlig"):
        answers.merge_ideas(manager, idea, into, WHY)
    db.session.rollback()
    assert db.session.get(Idea, idea.id).status == IdeaStatus.SUBMITTED


def test_two_ideas_merged_into_each_other_at_once_merge_one_way_only(app, live_server):
    managers = [make_user(role=Role.PORTFOLIO_MANAGER) for _ in range(2)]
    tokens = _tokens(managers)
    for _round in range(10):
        a, b = make_idea(), make_idea()
        add_votes(a, 2)
        add_votes(b, 3)
        statuses = _send_at_once([
            ("POST", f"{live_server}/api/v1/ideas/{a.id}/merge", tokens[0], {"into_id": b.id, "explanation": WHY}),
            ("POST", f"{live_server}/api/v1/ideas/{b.id}/merge", tokens[1], {"into_id": a.id, "explanation": WHY}),
        ])
        assert sorted(statuses) == [200, 409], statuses
        db.session.expire_all()
        merged = [i for i in (db.session.get(Idea, a.id), db.session.get(Idea, b.id))
                  if i.status == IdeaStatus.MERGED]
        assert len(merged) == 1
        target = db.session.get(Idea, merged[0].merged_into_id)
        assert target.status != IdeaStatus.MERGED
        votes = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.idea_id == target.id))
        assert target.vote_count == votes == 5
