"""Moderation decides on the current row, not on what a request read before another changed it.

Fast, service-level versions of the races in test_concurrency.py, on SQLite and PostgreSQL:
the other request's change is written behind the session's back (a Core UPDATE that leaves
the loaded object stale), which is what a request waiting for a lock sees when it wakes up.
"""

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts import services as accounts
from app.comments import services as comments
from app.comments.models import Comment, CommentVisibility
from app.core.errors import InvalidState, NotFound
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.moderation import services
from app.moderation.models import AuditAction, ModerationAction
from app.notifications.models import Notice
from tests.factories import make_user
from tests.moderation.conftest import make_comment, make_idea


def _behind_the_back(model, row_id: int, **values) -> None:
    """What a concurrent request committed: the row changes, the loaded object does not."""
    db.session.execute(update(model).where(model.id == row_id).values(**values)
                       .execution_options(synchronize_session=False))


def _audit_rows(action: AuditAction, target_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(ModerationAction).where(
        ModerationAction.action == action, ModerationAction.target_id == target_id))


def _exact(idea: Idea) -> tuple[int, int]:
    stored = db.session.scalar(select(Idea.comment_count).where(Idea.id == idea.id))
    real = db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.idea_id == idea.id, Comment.visibility == CommentVisibility.VISIBLE))
    return stored, real


def test_hiding_a_comment_another_moderator_just_hid_changes_nothing(app, moderator):
    idea = make_idea()
    make_comment(idea)
    comment = make_comment(idea)
    _behind_the_back(Comment, comment.id, visibility=CommentVisibility.HIDDEN)
    comments.adjust_comment_count(idea.id, -1)
    db.session.commit()
    set_committed_value(comment, "visibility", CommentVisibility.VISIBLE)  # stale, as in the race

    with pytest.raises(InvalidState, match="allerede skjult"):
        services.moderate_item(moderator, "comment", comment.id, "hide", "offensive")
    db.session.rollback()
    assert _exact(idea) == (1, 1)
    assert _audit_rows(AuditAction.HIDE, comment.id) == 0


def test_a_comment_deleted_meanwhile_is_not_hidden_and_never_restored(app, moderator):
    idea = make_idea()
    comment = make_comment(idea, body="Ord forfatteren tok tilbake")
    _behind_the_back(Comment, comment.id, visibility=CommentVisibility.DELETED)
    comments.adjust_comment_count(idea.id, -1)
    db.session.commit()
    set_committed_value(comment, "visibility", CommentVisibility.VISIBLE)

    with pytest.raises(NotFound):
        services.moderate_item(moderator, "comment", comment.id, "hide", "offensive")
    db.session.rollback()
    with pytest.raises(NotFound):
        services.moderate_item(moderator, "comment", comment.id, "restore", "no_violation")
    db.session.rollback()
    with pytest.raises(InvalidState, match="kan ikke gjenopprettes"):
        comments.apply_comment_visibility(comment, "visible")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).visibility == CommentVisibility.DELETED
    assert _exact(idea) == (0, 0)


def test_author_deletes_a_comment_a_moderator_hid_meanwhile(app, moderator):
    idea = make_idea()
    author = make_user()
    comment = make_comment(idea, author)
    services.moderate_item(moderator, "comment", comment.id, "hide", "offensive")
    _behind_the_back(Comment, comment.id, visibility=CommentVisibility.VISIBLE)  # stale the other way
    db.session.commit()
    db.session.expire_all()
    _behind_the_back(Comment, comment.id, visibility=CommentVisibility.HIDDEN)
    db.session.commit()
    comments.delete_comment(author, comment)
    assert _exact(idea) == (0, 0)
    with pytest.raises(InvalidState, match="allerede slettet"):
        comments.delete_comment(author, db.session.get(Comment, comment.id))


def test_a_report_after_the_threshold_hid_the_item_hides_nothing_twice(app):
    author = make_user()
    comment = make_comment(author=author)
    for _ in range(services.hide_after_reports()):
        services.report_content(make_user(), "comment", comment.id, "spam")
    late = make_user()
    set_committed_value(comment, "visibility", CommentVisibility.VISIBLE)  # what a waiting request read
    with pytest.raises(InvalidState, match="allerede skjult"):
        services.report_content(late, "comment", comment.id, "spam")
    db.session.rollback()
    assert _audit_rows(AuditAction.HIDE, comment.id) == 1
    assert db.session.scalar(select(func.count()).select_from(Notice).where(
        Notice.user_id == author.id, Notice.kind == "moderation.auto_hidden")) == 1


def test_an_idea_hidden_meanwhile_is_not_hidden_again(app, moderator):
    author = make_user()
    idea = make_idea(author)
    _behind_the_back(Idea, idea.id, visibility=Visibility.HIDDEN, hidden_reason="Spam")
    db.session.commit()
    set_committed_value(idea, "visibility", Visibility.VISIBLE)  # stale, as in the race
    assert services._hide(idea, "Spam") is False
    db.session.rollback()
    with pytest.raises(InvalidState, match="allerede skjult"):
        services.moderate_item(moderator, "idea", idea.id, "hide", "spam")


def test_an_appeal_is_decided_once(app, moderator):
    author = make_user()
    comment = make_comment(author=author)
    services.moderate_item(moderator, "comment", comment.id, "hide", "offensive")
    appeal = services.submit_appeal(author, "comment", comment.id, "Jeg mener dette var saklig.")
    other = make_user(role=moderator.role)
    services.decide_appeal(moderator, appeal.id, True, "no_violation")
    # The other moderator's page still showed the appeal as waiting: their reject must not
    # hide the restored comment as a fresh decision.
    set_committed_value(appeal, "decision", None)  # what their request had read
    set_committed_value(appeal, "decided_at", None)
    with pytest.raises(InvalidState, match="allerede avgjort"):
        services.decide_appeal(other, appeal.id, False, "offensive")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).visibility == CommentVisibility.VISIBLE


def test_blocking_with_hide_content_skips_what_a_moderator_hid_meanwhile(app, admin, moderator):
    person = make_user()
    idea = make_idea()
    first = make_comment(idea, person)
    second = make_comment(idea, person)
    services.moderate_item(moderator, "comment", first.id, "hide", "offensive")
    accounts.block_user(admin, person, "Gjentatt sjikane", hide_content=True)
    assert _audit_rows(AuditAction.HIDE, first.id) == 1
    assert _audit_rows(AuditAction.HIDE, second.id) == 1
    assert _exact(idea) == (0, 0)
