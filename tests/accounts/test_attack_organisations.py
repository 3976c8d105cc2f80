"""Attack: two moderators deciding one organisation's verification at the same time.

Before: verify and reject never looked at the stored status. A second click, or a colleague
deciding the same organisation a moment earlier, decided it again: a rejected organisation
became verified behind the first decision, and the audit log held both.
"""

import pytest
from sqlalchemy import func, select, update

from app.accounts import services
from app.accounts.models import Organisation, Role, VerificationStatus
from app.core.errors import InvalidState
from app.extensions import db
from app.moderation.models import AuditAction, ModerationAction
from tests.factories import login, make_organisation, make_user


def _audit_rows(organisation: Organisation) -> int:
    return db.session.scalar(select(func.count()).select_from(ModerationAction).where(
        ModerationAction.target_type == "organisation", ModerationAction.target_id == organisation.id,
        ModerationAction.action.in_([AuditAction.ORGANISATION_VERIFIED, AuditAction.ORGANISATION_REJECTED]),
    ))


def _meanwhile(organisation: Organisation, status: VerificationStatus) -> None:
    """A colleague's decision, committed on its own connection behind this session's back."""
    db.session.commit()
    db.session.refresh(organisation)  # what this request read: still pending
    with db.engine.begin() as connection:
        connection.execute(update(Organisation).where(Organisation.id == organisation.id)
                           .values(status=status))


@pytest.mark.parametrize("decide", ["verify", "reject"])
def test_an_organisation_a_colleague_just_decided_is_not_decided_again(app, decide):
    moderator = make_user(role=Role.MODERATOR)
    organisation = make_organisation(verified=False)
    _meanwhile(organisation, VerificationStatus.REJECTED if decide == "verify" else VerificationStatus.VERIFIED)
    assert organisation.status == VerificationStatus.PENDING  # stale
    with pytest.raises(InvalidState, match="allerede"):
        if decide == "verify":
            services.verify_organisation(moderator, organisation)
        else:
            services.reject_organisation(moderator, organisation, "Finnes ikke.")
    db.session.rollback()
    assert _audit_rows(organisation) == 0


def test_verifying_twice_writes_one_audit_row_and_the_page_says_so(app, client):
    moderator = make_user(role=Role.MODERATOR)
    organisation = make_organisation(verified=False)
    login(client, moderator)
    first = client.post(f"/staff/organisations/{organisation.id}", data={"action": "verify"})
    second = client.post(f"/staff/organisations/{organisation.id}", data={"action": "verify"},
                         follow_redirects=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "allerede" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).status == VerificationStatus.VERIFIED
    assert _audit_rows(organisation) == 1
