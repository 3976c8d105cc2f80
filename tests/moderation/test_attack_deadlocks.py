"""Attack: blocking a person with "hide their content" while moderators hide their comments.

Before, against gunicorn on PostgreSQL, six rounds of one block (hide_content) and eight
comment hides sent at once: 15 of 54 requests answered 503 ("deadlock detected", shown as
"the database is unavailable"), and in three rounds the block itself was lost. Blocking took
the idea's row and then each comment's; hiding a comment took the comment's row and then
the idea's (to move comment_count).
"""

import random

from sqlalchemy import select

from app.accounts.models import Role, User
from app.comments.models import Comment, CommentVisibility
from app.extensions import db
from app.moderation.models import AuditAction
from tests.factories import make_user
from tests.moderation.conftest import make_comment, make_idea
from tests.moderation.test_concurrency import (  # noqa: F401  (fixtures)
    _audit,
    _comment_count_is_exact,
    _send_at_once,
    _tokens,
    app_config,
)

ROUNDS = 5
COMMENTS = 8


def test_block_with_hidden_content_racing_comment_hides_never_deadlocks(app, live_server):
    moderators = [make_user(role=Role.MODERATOR) for _ in range(COMMENTS + 1)]
    tokens = _tokens(moderators)
    for _round in range(ROUNDS):
        person = make_user("Per Spammer")
        own = make_idea(person)
        other = make_idea()
        comments = [make_comment(own if n % 2 else other, person) for n in range(COMMENTS)]
        make_comment(other)  # a bystander's, which stays
        calls = [("POST", f"{live_server}/api/v1/moderation/users/{person.id}/block", tokens[0],
                  {"reason": "Spam i mange tråder.", "hide_content": True})]
        calls += [("POST", f"{live_server}/api/v1/moderation/comment/{comment.id}/hide", token,
                   {"reason": "spam"}) for comment, token in zip(comments, tokens[1:], strict=True)]
        random.shuffle(calls)
        statuses = _send_at_once(calls)

        assert 500 not in statuses and 503 not in statuses, statuses
        db.session.expire_all()
        assert db.session.get(User, person.id).is_blocked
        hidden = db.session.scalars(select(Comment.visibility).where(Comment.author_id == person.id)).all()
        assert set(hidden) == {CommentVisibility.HIDDEN}
        for comment in comments:
            assert _audit(AuditAction.HIDE, "comment", comment.id) == 1
        assert _comment_count_is_exact(own.id) == (0, 0)
        assert _comment_count_is_exact(other.id) == (1, 1)
