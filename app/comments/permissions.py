"""Who may do what in a discussion: predicates for services, views and templates alike."""

from app.accounts.models import User
from app.accounts.permissions import can_participate, participation_problem
from app.comments.models import Comment, CommentVisibility
from app.ideas.models import Idea, IdeaStatus
from app.ideas.permissions import can_moderate_idea, can_view_idea

# The discussion stays open on every visible idea, whatever the municipality decided:
# people discuss an answer, a merge or a decline as much as the proposal. Only an idea
# its author withdrew closes, because nobody stands behind it any more. A hidden idea is
# closed while it is hidden.
DISCUSSION_CLOSED_STATUSES = frozenset({IdeaStatus.WITHDRAWN})


def discussion_open(idea: Idea) -> bool:
    return idea.is_visible and idea.status not in DISCUSSION_CLOSED_STATUSES


def comment_problem(user: User | None, idea: Idea) -> str | None:
    """Why the user cannot comment on the idea right now, as a key; None when they can.

    Keys: "closed", then the participation keys of accounts (anonymous, unconfirmed, blocked,
    name_flagged, and unverified where VERIFIED_IDENTITY_REQUIRED_FOR names "comment").
    """
    if not discussion_open(idea):
        return "closed"
    return participation_problem(user, "comment")


def can_post_comment(user: User | None, idea: Idea) -> bool:
    return comment_problem(user, idea) is None


def is_comment_author(user: User | None, comment: Comment) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and comment.author_id == user.id)


def can_edit_comment(user: User | None, comment: Comment) -> bool:
    """The author edits their own visible comment while they can take part and the talk is open."""
    return (
        is_comment_author(user, comment)
        and comment.visibility == CommentVisibility.VISIBLE
        and can_participate(user)
        and discussion_open(comment.idea)
    )


def can_delete_comment(user: User | None, comment: Comment) -> bool:
    """The author may always take back their own words, blocked or not, hidden or not."""
    return is_comment_author(user, comment) and comment.visibility != CommentVisibility.DELETED


def can_moderate_comment(user: User | None, comment: Comment) -> bool:
    """Moderators of the comment's idea's area (every moderator not limited to areas)."""
    return can_moderate_idea(user, comment.idea)


def can_read_hidden_comment(user: User | None, comment: Comment) -> bool:
    """The author reads their own hidden comment; the moderators of its area read every one."""
    return is_comment_author(user, comment) or can_moderate_comment(user, comment)


def can_view_comment(user: User | None, comment: Comment) -> bool:
    """The comment's text may be shown to the user: its idea is readable (ideas.can_view_idea),
    and the comment is visible, or hidden and the user wrote it or moderates. Deleted: never."""
    if comment.is_deleted or not can_view_idea(user, comment.idea):
        return False
    return comment.is_visible or can_read_hidden_comment(user, comment)
