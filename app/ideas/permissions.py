"""Who may do what with an idea: predicates for services, views and templates."""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, true

from app.accounts.models import Organisation, User
from app.accounts.permissions import (
    can_act_for_organisation,
    can_in_areas,
    can_participate,
    municipal_area_of,
    scope_of,
    service_areas_in,
)
from app.ideas.models import AUTHOR_TRANSITIONS, Idea, IdeaStatus

# Endorsing makes no sense once the idea is gone from the debate.
ENDORSING_CLOSED = frozenset({IdeaStatus.WITHDRAWN, IdeaStatus.MERGED})


def _is_user(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_author(user: User | None, idea: Idea) -> bool:
    return _is_user(user) and idea.author_id == user.id


def idea_area_id(idea: Idea) -> int | None:
    """The idea's municipal area: its service area's (no query per idea, see municipal_area_of)."""
    return municipal_area_of(idea.service_area_id)


def can_in_idea_area(user: User | None, capability: str, idea: Idea) -> bool:
    """The capability over this idea: staff limited to areas only over their areas' ideas."""
    return can_in_areas(user, capability, lambda: {idea_area_id(idea)})


def ideas_in_scope(user: User | None) -> ColumnElement[bool]:
    """WHERE: the ideas of the user's areas; every idea for those not limited to areas."""
    return ideas_in_areas(scope_of(user))


def ideas_in_areas(scope: Iterable[int] | None) -> ColumnElement[bool]:
    """WHERE: the ideas of these municipal areas (scope_of); every idea for None. Takes no user,
    for a count made afresh outside the request."""
    return true() if scope is None else Idea.service_area_id.in_(service_areas_in(scope))


def can_moderate_idea(user: User | None, idea: Idea) -> bool:
    return can_in_idea_area(user, "moderate", idea)


def can_view_idea(user: User | None, idea: Idea) -> bool:
    """The one rule for reading an idea and everything under it (discussion, pictures, forms).

    A hidden idea, its title, its comments and its images are for its author and the moderators
    of its area; everyone else gets a placeholder without the title, or 404. Every view and
    the API ask this.
    """
    return idea.is_visible or is_author(user, idea) or can_moderate_idea(user, idea)


# The older name, used by the sections and templates.
can_view_idea_content = can_view_idea


def can_propose_idea(user: User | None) -> bool:
    return can_participate(user, "propose")


def can_edit_idea(user: User | None, idea: Idea) -> bool:
    """The author, until staff first answer; never while hidden or after withdrawing."""
    return (
        is_author(user, idea)
        and can_participate(user)
        and idea.is_visible
        and idea.first_answered_at is None
        and idea.status == IdeaStatus.SUBMITTED
    )


def can_withdraw_idea(user: User | None, idea: Idea) -> bool:
    return (
        is_author(user, idea)
        and can_participate(user)
        and IdeaStatus.WITHDRAWN in AUTHOR_TRANSITIONS.get(idea.status, frozenset())
    )


def can_vote_on_idea(user: User | None, idea: Idea) -> bool:
    return can_participate(user, "vote") and idea.voting_open


def can_endorse_idea(user: User | None, idea: Idea, organisation: Organisation) -> bool:
    return (
        idea.is_visible
        and idea.status not in ENDORSING_CLOSED
        and can_act_for_organisation(user, organisation)
        and can_participate(user, "endorse")
    )


def organisations_for(user: User | None) -> list[Organisation]:
    """The verified organisations the user may act for right now."""
    if not can_participate(user):
        return []
    return [m.organisation for m in user.memberships if can_act_for_organisation(user, m.organisation)]
