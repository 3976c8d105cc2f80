"""Moderation under real concurrent requests (PostgreSQL): one transition per item, exact counts.

Each test starts a threaded server on the test's app and sends its requests through a barrier,
so they reach the database at the same moment: reports from many people, many moderators
hiding one item, an author deleting while a moderator hides or restores.
"""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.accounts.services import create_api_token
from app.comments.models import Comment, CommentVisibility
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.moderation import services
from app.moderation.models import AuditAction, ModerationAction, ModerationCase, Report
from app.notifications.models import Notice, OutboxMessage
from tests.factories import make_user
from tests.moderation.conftest import make_comment, make_idea

PEOPLE = 50


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": PEOPLE + 5, "max_overflow": 10,
                                          "pool_timeout": 60}}


def _tokens(users) -> list[str]:
    return [create_api_token(user, "samtidig")[1] for user in users]


def _send_at_once(calls: list[tuple[str, str, str, dict | None]]) -> list[int]:
    """(method, url, token, json) each in its own thread, released together. The statuses."""
    barrier = threading.Barrier(len(calls))

    def send(call):
        method, url, token, payload = call
        request = urllib.request.Request(
            url, data=json.dumps(payload).encode() if payload is not None else None, method=method,
            headers={"Authorization": f"Bearer {token}", "Host": "medvirk.test",
                     "Content-Type": "application/json"},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _audit(action: AuditAction, target_type: str, target_id: int) -> int:
    return _count(ModerationAction, ModerationAction.action == action,
                  ModerationAction.target_type == target_type, ModerationAction.target_id == target_id)


def _comment_count_is_exact(idea_id: int) -> tuple[int, int]:
    stored = db.session.scalar(select(Idea.comment_count).where(Idea.id == idea_id))
    real = _count(Comment, Comment.idea_id == idea_id, Comment.visibility == CommentVisibility.VISIBLE)
    return stored, real


def _mail_to(user) -> int:
    return _count(OutboxMessage, OutboxMessage.to_address == user.email)


def _notices(user, kind: str) -> int:
    return _count(Notice, Notice.user_id == user.id, Notice.kind == kind)


def test_fifty_reports_on_one_comment_hide_it_once(app, live_server):
    author = make_user("Ola Forfatter")
    idea = make_idea()
    others = [make_comment(idea) for _ in range(4)]
    comment = make_comment(idea, author, body="Dette er en kommentar mange vil rapportere.")
    assert len(others) + 1 == 5
    url = f"{live_server}/api/v1/reports"
    payload = {"target_type": "comment", "target_id": comment.id, "reason": "offensive"}
    statuses = _send_at_once([("POST", url, token, payload)
                              for token in _tokens(make_user() for _ in range(PEOPLE))])

    assert 500 not in statuses
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).visibility == CommentVisibility.HIDDEN
    assert _audit(AuditAction.HIDE, "comment", comment.id) == 1
    assert _notices(author, "moderation.auto_hidden") == 1
    assert _mail_to(author) == 1
    assert _comment_count_is_exact(idea.id) == (4, 4)
    # Every report that was accepted is counted; none came after the hiding.
    reports = _count(Report, Report.target_id == comment.id)
    assert statuses.count(201) == reports == services.hide_after_reports()
    case = db.session.scalar(select(ModerationCase).where(ModerationCase.target_id == comment.id))
    assert case.open_report_count == case.report_count == reports


def test_fifty_reports_on_one_idea_hide_it_once(app, live_server):
    author = make_user("Ola Forfatter")
    idea = make_idea(author)
    url = f"{live_server}/api/v1/reports"
    payload = {"target_type": "idea", "target_id": idea.id, "reason": "spam"}
    statuses = _send_at_once([("POST", url, token, payload)
                              for token in _tokens(make_user() for _ in range(PEOPLE))])

    assert 500 not in statuses
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).visibility == Visibility.HIDDEN
    assert _audit(AuditAction.HIDE, "idea", idea.id) == 1
    assert _notices(author, "moderation.auto_hidden") == 1
    assert _mail_to(author) == 1
    assert statuses.count(201) == _count(Report, Report.target_id == idea.id) == services.hide_after_reports()


@pytest.mark.parametrize("kind", ["comment", "idea"])
def test_many_moderators_hiding_one_item_hide_it_once(app, live_server, kind):
    author = make_user("Ola Forfatter")
    idea = make_idea(author if kind == "idea" else None)
    for _ in range(10):
        make_comment(idea)
    item = make_comment(idea, author) if kind == "comment" else idea
    moderators = [make_user(role=Role.MODERATOR) for _ in range(PEOPLE)]
    url = f"{live_server}/api/v1/moderation/{kind}/{item.id}/hide"
    statuses = _send_at_once([("POST", url, token, {"reason": "offensive"})
                              for token in _tokens(moderators)])

    assert sorted(statuses) == [200] + [409] * (PEOPLE - 1)
    db.session.expire_all()
    assert _audit(AuditAction.HIDE, kind, item.id) == 1
    assert _notices(author, "moderation.hidden") == 1
    assert _mail_to(author) == 1
    assert _comment_count_is_exact(idea.id) == (10, 10)


def test_author_deleting_while_moderators_hide_ends_deleted_for_good(app, live_server):
    author = make_user("Ola Forfatter")
    idea = make_idea()
    for _ in range(10):
        make_comment(idea)
    comment = make_comment(idea, author, body="Ord jeg angrer på og sletter.")
    moderators = [make_user(role=Role.MODERATOR) for _ in range(PEOPLE - 1)]
    (author_token,) = _tokens([author])
    calls = [("POST", f"{live_server}/api/v1/moderation/comment/{comment.id}/hide", token,
              {"reason": "offensive"}) for token in _tokens(moderators)]
    calls.insert(PEOPLE // 2, ("DELETE", f"{live_server}/api/v1/comments/{comment.id}", author_token, None))
    statuses = _send_at_once(calls)

    assert 500 not in statuses
    assert statuses[PEOPLE // 2] == 204  # taking back one's words always works
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).visibility == CommentVisibility.DELETED
    assert _audit(AuditAction.HIDE, "comment", comment.id) <= 1
    assert _comment_count_is_exact(idea.id) == (10, 10)

    # No restore ever publishes the deleted text again.
    moderator = moderators[0]
    with pytest.raises(Exception) as raised:
        services.moderate_item(moderator, "comment", comment.id, "restore", "no_violation")
    assert getattr(raised.value, "status_code", None) in (404, 409)
    db.session.rollback()
    assert db.session.get(Comment, comment.id).visibility == CommentVisibility.DELETED


def test_restore_racing_delete_never_republishes(app, live_server):
    author = make_user("Ola Forfatter")
    idea = make_idea()
    for _ in range(5):
        make_comment(idea)
    comment = make_comment(idea, author, body="Skjult, og så slettet av forfatteren.")
    moderators = [make_user(role=Role.MODERATOR) for _ in range(PEOPLE - 1)]
    services.moderate_item(moderators[0], "comment", comment.id, "hide", "offensive")
    (author_token,) = _tokens([author])
    calls = [("POST", f"{live_server}/api/v1/moderation/comment/{comment.id}/restore", token,
              {"reason": "no_violation"}) for token in _tokens(moderators)]
    calls.insert(PEOPLE // 2, ("DELETE", f"{live_server}/api/v1/comments/{comment.id}", author_token, None))
    statuses = _send_at_once(calls)

    assert 500 not in statuses
    assert statuses[PEOPLE // 2] == 204
    moderator_statuses = statuses[: PEOPLE // 2] + statuses[PEOPLE // 2 + 1:]
    assert moderator_statuses.count(200) <= 1
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).visibility == CommentVisibility.DELETED
    assert _audit(AuditAction.RESTORE, "comment", comment.id) == moderator_statuses.count(200)
    assert _comment_count_is_exact(idea.id) == (5, 5)
