"""Role × action: who may moderate, manage, sign, submit, and see an innbyggerforslag."""

import pytest

from app.accounts.models import Role
from app.initiatives import permissions as p
from tests.factories import make_user
from tests.initiatives.factories import make_collecting, make_proposal, sign_many


@pytest.mark.parametrize(("role", "moderate", "manage"), [
    (Role.RESIDENT, False, False),
    (Role.MODERATOR, True, False),
    (Role.PORTFOLIO_MANAGER, False, True),
    (Role.ADMIN, True, True),
])
def test_role_matrix(app, role, moderate, manage):
    person = make_user(role=role)
    waiting = make_proposal()
    collecting = make_collecting()
    assert p.can_moderate_initiative(person, waiting) is moderate
    assert p.can_moderate_initiative(person, collecting) is False
    assert p.can_register_paper_signatures(person, collecting) is manage
    assert p.can_view_signers(person, collecting) is manage
    assert p.can_view_initiative(person, waiting) is (moderate or manage)
    assert p.can_view_initiative(person, collecting) is True
    assert p.can_sign_initiative(person, collecting) is True  # staff are residents too


def test_visitors_see_public_ones_and_cannot_act(app):
    waiting, collecting = make_proposal(), make_collecting()
    assert p.can_view_initiative(None, collecting) and not p.can_view_initiative(None, waiting)
    assert not p.can_sign_initiative(None, collecting)
    assert not p.can_submit_initiative(None, collecting)
    assert not p.can_view_contact(None, collecting)


def test_only_the_proposer_submits_and_only_at_the_threshold(app):
    app.config["POPULATION"] = 50
    proposer, other = make_user(), make_user()
    initiative = make_collecting(proposer)
    assert not p.can_submit_initiative(proposer, initiative)
    sign_many(initiative.id, 1)
    initiative.signature_count = 1
    assert p.can_submit_initiative(proposer, initiative)
    assert not p.can_submit_initiative(other, initiative)
    assert p.can_view_contact(proposer, initiative) and not p.can_view_contact(other, initiative)
