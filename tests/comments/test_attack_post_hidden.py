"""Attack: a comment posted the moment a moderator hides (or the author withdraws) the idea.

Before: post_comment judged the idea on what the request had read, so a comment sent just
after the idea was hidden was still published into its closed discussion.
"""

import pytest
from sqlalchemy import func, select, update

from app.comments import services
from app.comments.models import Comment
from app.core.errors import InvalidState
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, Visibility
from tests.factories import make_user
from tests.moderation.conftest import make_idea


@pytest.mark.parametrize("meanwhile", [{"visibility": Visibility.HIDDEN}, {"status": IdeaStatus.WITHDRAWN}],
                         ids=["hidden", "withdrawn"])
def test_a_comment_on_an_idea_closed_a_moment_ago_is_refused(app, meanwhile):
    idea = make_idea()
    person = make_user()
    db.session.commit()
    db.session.refresh(idea)  # what the commenter's request read: open
    with db.engine.begin() as connection:
        connection.execute(update(Idea).where(Idea.id == idea.id).values(**meanwhile))
    assert idea.visibility == Visibility.VISIBLE and idea.status == IdeaStatus.SUBMITTED
    with pytest.raises(InvalidState, match="diskusjonen er stengt"):
        services.post_comment(person, idea, "Et innlegg sendt i samme øyeblikk.")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.idea_id == idea.id)) == 0
