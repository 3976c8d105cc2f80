"""Factories for the initiative tests: a proposal, and one approved for collection."""

import itertools

from app.accounts.models import Identity, Role, User
from app.extensions import db
from app.initiatives import services
from app.initiatives.models import Initiative
from tests.factories import make_service_area, make_user

_counter = itertools.count(1)


def proposal_input(area_ids: list[int], **overrides) -> services.InitiativeInput:
    values = {
        "title": "Gratis busskort for ungdom i Medvik",
        "proposal": "Kommunestyret ber kommunedirektøren innføre gratis busskort for alle under 20 år.",
        "reasons": "Mange unge bor langt fra skole og fritidstilbud, og bussen koster for mye for mange familier.",
        "service_area_ids": area_ids,
        "contact_email": "forslag@example.no",
    }
    values.update(overrides)
    return services.InitiativeInput(**values)


def make_proposal(proposer: User | None = None, **overrides) -> Initiative:
    proposer = proposer or make_user()
    area = make_service_area()
    return services.propose_initiative(proposer, proposal_input([area.id], **overrides))


def make_moderator() -> User:
    return make_user(role=Role.MODERATOR)


def make_staff() -> User:
    return make_user(role=Role.PORTFOLIO_MANAGER)


def make_collecting(proposer: User | None = None, **overrides) -> Initiative:
    initiative = make_proposal(proposer, **overrides)
    return services.approve_initiative(make_moderator(), initiative.id)


def verify(user: User, person: str | None = None) -> Identity:
    """Give the user a verified identity (the keyed hash of `person`, shared by two accounts)."""
    n = next(_counter)
    identity = Identity(user_id=user.id, provider="idporten", kind="resident", issuer="https://idporten.test",
                        person_hash=(person or f"person-{n}").ljust(64, "0")[:64], level="substantial")
    db.session.add(identity)
    db.session.commit()
    db.session.refresh(user)
    return identity


def sign_many(initiative_id: int, n: int) -> list[User]:
    people = [make_user() for _ in range(n)]
    for person in people:
        services.sign(person, initiative_id, confirmed_resident=True)
    return people
