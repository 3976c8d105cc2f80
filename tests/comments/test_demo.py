"""The demo step: comments and replies on the demo ideas, some for organisations, counters exact."""

from types import SimpleNamespace

from sqlalchemy import func, select

from app import demo_content
from app.comments.demo import _step, seed_comments
from app.comments.models import Comment, CommentVisibility
from app.demo import DEMO_STEPS
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus
from tests.comments.factories import make_idea
from tests.factories import make_organisation, make_user


def test_demo_step_is_registered():
    assert _step in DEMO_STEPS


def test_demo_comments_fill_open_ideas_with_exact_counters():
    people = [make_user(f"Demo Person{n}") for n in range(12)]
    make_organisation(members=(people[1], people[2]), name="Nordbygda Velforening")
    make_organisation(members=(people[3],), name="Medvik Pensjonistforening")
    make_organisation(members=(people[4],), name="Natur og Ungdom Medvik", verified=False)
    ideas = [make_idea(author=people[n % 12]) for n in range(12)]
    withdrawn = make_idea(status=IdeaStatus.WITHDRAWN)
    content = SimpleNamespace(COMMENT_TEXTS=demo_content.COMMENT_TEXTS, REPLY_TEXTS=demo_content.REPLY_TEXTS)

    posted = seed_comments(content, people, seed=7)

    assert posted > 20
    assert db.session.scalar(select(func.count()).where(Comment.parent_id.is_not(None))) > 0
    assert db.session.scalar(select(func.count()).where(Comment.organisation_id.is_not(None))) > 0
    assert db.session.scalar(select(func.count()).where(Comment.idea_id == withdrawn.id)) == 0
    for idea in ideas:
        visible = db.session.scalar(select(func.count()).where(
            Comment.idea_id == idea.id, Comment.visibility == CommentVisibility.VISIBLE))
        assert db.session.scalar(select(Idea.comment_count).where(Idea.id == idea.id)) == visible
    # Organisations speak only through verified ones, and only through their members.
    for comment in db.session.scalars(select(Comment).where(Comment.organisation_id.is_not(None))):
        assert comment.organisation.is_verified
        assert any(m.user_id == comment.author_id for m in comment.organisation.memberships)
    # Replies come after what they answer.
    for reply in db.session.scalars(select(Comment).where(Comment.parent_id.is_not(None))):
        assert reply.created_at >= reply.parent.created_at
