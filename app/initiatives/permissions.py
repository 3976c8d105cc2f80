"""Who may do what with an innbyggerforslag: predicates over can(user, capability)."""

from app.accounts.models import User
from app.accounts.permissions import can, can_participate
from app.initiatives.models import Actor, Initiative, InitiativeStatus, can_move


def _signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_proposer(user: User | None, initiative: Initiative) -> bool:
    return _signed_in(user) and initiative.proposer_id == user.id


def can_moderate_initiatives(user: User | None) -> bool:
    return can(user, "moderate")


def can_manage_initiatives(user: User | None) -> bool:
    return can(user, "manage_initiatives")


def can_view_initiative(user: User | None, initiative: Initiative) -> bool:
    """Public once approved; before that (and when refused) the proposer and moderators."""
    return (initiative.is_public or is_proposer(user, initiative) or can_moderate_initiatives(user)
            or can_manage_initiatives(user))


def can_propose_initiative(user: User | None) -> bool:
    return can_participate(user, "propose")


def can_moderate_initiative(user: User | None, initiative: Initiative) -> bool:
    return can_moderate_initiatives(user) and initiative.status == InitiativeStatus.AWAITING_MODERATION


def can_sign_initiative(user: User | None, initiative: Initiative) -> bool:
    return can_participate(user, "sign") and initiative.is_collecting


def can_submit_initiative(user: User | None, initiative: Initiative) -> bool:
    return (
        is_proposer(user, initiative) and can_participate(user)
        and initiative.is_collecting
        and can_move(initiative.status, InitiativeStatus.SUBMITTED, Actor.PROPOSER)
        and initiative.signature_threshold is not None
        and initiative.total_signatures >= initiative.signature_threshold
    )


def can_record_decision(user: User | None, initiative: Initiative) -> bool:
    return can_manage_initiatives(user) and can_move(initiative.status, InitiativeStatus.DECIDED, Actor.STAFF)


def can_reject_same_content(user: User | None, initiative: Initiative) -> bool:
    return can_manage_initiatives(user) and can_move(
        initiative.status, InitiativeStatus.REJECTED_SAME_CONTENT, Actor.STAFF
    )


def can_record_measure(user: User | None, initiative: Initiative) -> bool:
    return can_manage_initiatives(user) and initiative.status == InitiativeStatus.DECIDED


def can_register_paper_signatures(user: User | None, initiative: Initiative) -> bool:
    """While collecting: once submitted, the count handed to the council stays as it was."""
    return can_manage_initiatives(user) and initiative.is_collecting


def can_view_signers(user: User | None, initiative: Initiative) -> bool:
    return can_manage_initiatives(user)


def can_view_contact(user: User | None, initiative: Initiative) -> bool:
    """The proposer's contact address is for the municipality's staff (and the proposer)."""
    return can(user, "staff") or is_proposer(user, initiative)
