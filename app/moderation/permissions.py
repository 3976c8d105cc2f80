"""Who may report, appeal and moderate: predicates for services, views and templates alike."""

from sqlalchemy import ColumnElement, and_, or_, select, true

from app.accounts.models import User
from app.accounts.permissions import can, can_participate, scope_of, service_areas_in


def _is_author(user: User | None, item) -> bool:
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and item.author_id == user.id
    )


def item_is_visible(item) -> bool:
    return str(getattr(item.visibility, "value", item.visibility)) == "visible"


def item_is_hidden(item) -> bool:
    return str(getattr(item.visibility, "value", item.visibility)) == "hidden"


def can_report(user: User | None, item) -> bool:
    """Logged-in, confirmed people who can take part report what others wrote and all can see."""
    return can_participate(user) and item_is_visible(item) and not _is_author(user, item)


def can_moderate(user: User | None) -> bool:
    """May work the moderation queue at all (the staff menu, the queue page)."""
    return can(user, "moderate")


def can_moderate_item(user: User | None, item) -> bool:
    """May hide, restore or keep this idea or comment: a moderator of its area (an idea's area
    is its service area's municipal area, a comment's its idea's)."""
    from app.comments.permissions import can_moderate_comment
    from app.ideas.permissions import can_moderate_idea

    if hasattr(item, "idea_id"):
        return can_moderate_comment(user, item)
    return can_moderate_idea(user, item)


def items_in_scope(user: User | None, target_type, target_id) -> ColumnElement[bool]:
    """WHERE over rows that name an idea or a comment by (target_type, target_id) columns, such
    as moderation cases: those of the user's areas; every row for moderators not limited to
    areas. Rows about anything else (a person, an organisation) are left out for them too."""
    from app.comments.models import Comment
    from app.ideas.models import Idea

    scope = scope_of(user)
    if scope is None:
        return true()
    ideas = select(Idea.id).where(Idea.service_area_id.in_(service_areas_in(scope)))
    comments = select(Comment.id).where(Comment.idea_id.in_(ideas))
    return or_(and_(target_type == "idea", target_id.in_(ideas)),
               and_(target_type == "comment", target_id.in_(comments)))


def can_appeal(user: User | None, item) -> bool:
    """The author of a hidden item (whether or not they appealed already: the page says so)."""
    return _is_author(user, item) and item_is_hidden(item)


def can_see_hidden(user: User | None, item) -> bool:
    """The author reads their own hidden item, with the reason; its area's moderators too."""
    return _is_author(user, item) or can_moderate_item(user, item)


def can_view_audit_log(user: User | None) -> bool:
    return can(user, "view_audit_log")


def can_block(user: User | None, person: User) -> bool:
    """Moderators block residents; only admins block staff; nobody blocks themselves."""
    if not can(user, "block_users") or user.id == person.id:
        return False
    return not can(person, "staff") or can(user, "administer")


def can_view_item(user: User | None, item) -> bool:
    """The idea or comment, and what it hangs under, may be shown to the user.

    The rules are the ideas' and the comments' own (can_view_idea, can_view_comment): an item
    under a hidden idea is hidden with it for everyone but the idea's author and moderators.
    """
    from app.comments.permissions import can_view_comment
    from app.ideas.permissions import can_view_idea

    if hasattr(item, "idea_id"):
        return can_view_comment(user, item)
    return can_view_idea(user, item)
