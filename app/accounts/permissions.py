"""Named capabilities mapped from roles in one table, and the predicates built on them."""

from collections.abc import Callable, Iterable

from flask import current_app, g, has_app_context
from sqlalchemy import Select, select

from app.accounts.models import MembershipRole, Organisation, Role, User
from app.core import cache
from app.core.models import ServiceArea
from app.extensions import db

# The one place that says what each role may do. Views, services and templates ask
# can(user, capability); nothing else compares role strings.
CAPABILITIES: dict[str, frozenset[Role]] = {
    "participate": frozenset(Role),
    "moderate": frozenset({Role.MODERATOR, Role.ADMIN}),
    "verify_organisations": frozenset({Role.MODERATOR, Role.ADMIN}),
    "block_users": frozenset({Role.MODERATOR, Role.ADMIN}),
    "view_audit_log": frozenset({Role.MODERATOR, Role.ADMIN}),
    "answer_ideas": frozenset({Role.PORTFOLIO_MANAGER, Role.ADMIN}),
    "manage_portfolio": frozenset({Role.PORTFOLIO_MANAGER, Role.ADMIN}),
    # Innbyggerforslag: paper signatures, the signer list, the council's decision and measures.
    "manage_initiatives": frozenset({Role.PORTFOLIO_MANAGER, Role.ADMIN}),
    "assess_projects": frozenset({Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN}),
    "view_internal_projects": frozenset({Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN}),
    "staff": frozenset({Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN}),
    "administer": frozenset({Role.ADMIN}),
    "manage_users": frozenset({Role.ADMIN}),
    "manage_structure": frozenset({Role.ADMIN}),
}


def can(user: User | None, capability: str) -> bool:
    """Whether the user holds the capability; unknown capabilities are a programming error."""
    roles = CAPABILITIES[capability]
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in roles


# --- roles scoped to municipal areas ------------------------------------------------------

# Roles an admin may limit to some municipal areas; admins act everywhere, always.
SCOPABLE_ROLES = frozenset({Role.MODERATOR, Role.PORTFOLIO_MANAGER})


def scope_of(user: User | None) -> frozenset[int] | None:
    """The municipal areas the user's staff work is limited to; None: the whole municipality.

    Admins act everywhere. A moderator or portfolio manager given no areas acts everywhere too
    (as before areas existed). The areas are read once per loaded user, only when asked.
    """
    if user is None or not getattr(user, "is_authenticated", False) or user.role not in SCOPABLE_ROLES:
        return None
    return frozenset(area.id for area in user.areas) or None


def can_in_areas(user: User | None, capability: str, areas_of: Callable[[], Iterable[int | None]]) -> bool:
    """The capability over something that belongs to some municipal areas (`areas_of()`): staff
    limited to areas hold it when one of those areas is theirs. `areas_of` is only called for
    them, so nobody else pays for finding out where the thing belongs."""
    if not can(user, capability):
        return False
    scope = scope_of(user)
    return scope is None or not scope.isdisjoint(areas_of())


def service_areas_in(scope: Iterable[int]) -> Select:
    """The ids of the service areas in these municipal areas, for a WHERE ... IN (...)."""
    return select(ServiceArea.id).where(ServiceArea.municipal_area_id.in_(sorted(scope)))


def _service_area_parents() -> dict[int, int]:
    return {row[0]: row[1] for row in db.session.execute(select(ServiceArea.id, ServiceArea.municipal_area_id))}


# A new service area starts a new generation of the map (app/core/cache.py).
cache.watch(ServiceArea, "service_area_parents")


def municipal_area_of(service_area_id: int | None) -> int | None:
    """The municipal area a service area belongs to. Every service area's is read in one query
    and kept in the counts cache (and for the request or command): a service area never moves
    to another municipal area, so what was read stays true, and one not yet read is looked up
    afresh."""
    if service_area_id is None:
        return None
    known = g.get("service_area_parents") if has_app_context() else None
    if known is None:
        known = cache.remember("service_area_parents", "all", _service_area_parents)
    if service_area_id not in known:
        known = _service_area_parents()
    if has_app_context():
        g.service_area_parents = known
    return known.get(service_area_id)


# What VERIFIED_IDENTITY_REQUIRED_FOR may name: the actions one person should take once.
VERIFIABLE_ACTIONS = frozenset({"propose", "vote", "comment", "report", "endorse", "sign"})


def verification_required(action: str | None) -> bool:
    """Whether the municipality requires a verified identity (ID-porten) for this action."""
    if not action or not has_app_context():
        return False
    setting = current_app.config.get("VERIFIED_IDENTITY_REQUIRED_FOR") or ""
    if isinstance(setting, str):
        setting = setting.split(",")
    return action in {a.strip() for a in setting} & VERIFIABLE_ACTIONS


def participation_problem(user: User | None, action: str | None = None) -> str | None:
    """Why the user cannot take part right now (in `action`, when named), as a key; None when they can.

    Keys: "anonymous", "unconfirmed", "blocked", "name_flagged", "unverified" (the action
    needs a verified identity, VERIFIED_IDENTITY_REQUIRED_FOR, and the person has none).
    An API token acts with its account, so its account's verification counts.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    # A person verified with ID-porten takes part while their optional e-mail is confirmed.
    if not user.is_confirmed and not user.is_verified:
        return "unconfirmed"
    if user.block_active:
        return "blocked"
    if user.name_flagged_at is not None:
        return "name_flagged"
    if verification_required(action) and not user.is_verified:
        return "unverified"
    return None


def can_participate(user: User | None, action: str | None = None) -> bool:
    return participation_problem(user, action) is None


def membership_of(user: User | None, organisation: Organisation):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    # The user's memberships are loaded once per request; the organisation's may be many.
    for membership in user.memberships:
        if membership.organisation_id == organisation.id:
            return membership
    return None


def can_manage_organisation(user: User | None, organisation: Organisation) -> bool:
    membership = membership_of(user, organisation)
    return (membership is not None and membership.role == MembershipRole.ADMIN) or can(
        user, "administer"
    )


def can_act_for_organisation(user: User | None, organisation: Organisation) -> bool:
    """Post, comment or endorse on behalf: a member of a verified organisation who can take part."""
    return (
        organisation.is_verified
        and membership_of(user, organisation) is not None
        and can_participate(user)
    )


def can_verify_organisation(user: User | None, organisation: Organisation) -> bool:
    return can(user, "verify_organisations")
