"""Attack: the author withdraws while a portfolio manager answers (declines or merges) the idea.

Before: withdraw_idea checked the status it had read and wrote the new one unconditionally,
so a decline or merge committed a moment earlier was overwritten: the idea showed
"withdrawn" while its answer, and on a merge its votes in the other idea, stayed behind.
"""

import pytest
from sqlalchemy import func, select, update

from app.core.errors import InvalidState
from app.extensions import db
from app.ideas import services
from app.ideas.models import Idea, IdeaStatus, StatusChange
from tests.factories import make_user
from tests.ideas.factories import make_idea


@pytest.mark.parametrize("answered", [IdeaStatus.DECLINED, IdeaStatus.UNDER_REVIEW, IdeaStatus.MERGED],
                         ids=lambda s: s.value)
def test_withdrawing_an_idea_the_municipality_just_answered_is_refused(app, answered):
    author = make_user()
    idea = make_idea(author)
    db.session.commit()
    db.session.refresh(idea)  # what the author's request read: still submitted
    with db.engine.begin() as connection:  # the manager's answer, committed meanwhile
        connection.execute(update(Idea).where(Idea.id == idea.id).values(status=answered))
    assert idea.status == IdeaStatus.SUBMITTED
    with pytest.raises(InvalidState, match="trekkes tilbake"):
        services.withdraw_idea(author, idea, "Ombestemt meg.")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == answered
    withdrawals = db.session.scalar(select(func.count()).select_from(StatusChange).where(
        StatusChange.idea_id == idea.id, StatusChange.to_status == IdeaStatus.WITHDRAWN))
    assert withdrawals == 0
