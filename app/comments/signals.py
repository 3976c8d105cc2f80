"""Signals the discussion sends, so notifications and moderation can listen without an import back.

sender: the acting user; kwargs as named. comment_posted is sent inside the comment's
transaction (its auto-follow and notices commit with it); the others after the commit.
"""

from blinker import Namespace

_signals = Namespace()

# kwargs: comment=..., idea=...
comment_posted = _signals.signal("comment-posted")
# kwargs: comment=...
comment_edited = _signals.signal("comment-edited")
comment_deleted = _signals.signal("comment-deleted")
