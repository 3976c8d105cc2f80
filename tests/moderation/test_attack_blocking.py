"""Attack: blocking, unblocking and flagging one person many times at once.

Before: 50 moderators blocking one person at once gave 50 block rows in the audit log and 50
notices and e-mails to the person; 50 unblocks gave 16 of each. The state was read before
the write and never decided on the stored row.
"""

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.accounts.models import Role, User
from app.core.db import utcnow
from app.core.errors import InvalidState
from app.extensions import db
from app.moderation import services
from app.moderation.models import AuditAction
from tests.factories import make_user
from tests.moderation.test_concurrency import (  # noqa: F401  (fixtures)
    PEOPLE,
    _audit,
    _mail_to,
    _notices,
    _send_at_once,
    _tokens,
    app_config,
)


def _meanwhile(person: User, **values) -> None:
    """Another moderator's request, committed on its own connection behind this session's back."""
    db.session.commit()  # end this session's transaction, so SQLite lets the other one write
    db.session.refresh(person)  # what this request read: the state before the other write
    with db.engine.begin() as connection:
        connection.execute(update(User).where(User.id == person.id).values(**values))


def test_blocking_a_blocked_person_again_is_refused_and_logged_once(app):
    moderator = make_user(role=Role.MODERATOR)
    person = make_user("Per Blokkert")
    services.block_person(moderator, person, "Hets i tre tråder.")
    with pytest.raises(InvalidState, match="allerede blokkert"):
        services.block_person(moderator, person, "Hets igjen.")
    db.session.rollback()
    assert _audit(AuditAction.BLOCK, "user", person.id) == 1
    assert _notices(person, "moderation.blocked") == 1
    assert db.session.get(User, person.id).blocked_reason == "Hets i tre tråder."


def test_block_and_unblock_decide_on_the_stored_row_not_a_stale_read(app):
    moderator = make_user(role=Role.MODERATOR)
    person = make_user("Per Blokkert")
    assert not person.is_blocked  # this session has read "not blocked"
    # Another moderator blocks the person in the meantime (this session does not see it).
    _meanwhile(person, is_blocked=True, blocked_reason="Først.")
    with pytest.raises(InvalidState):
        services.block_person(moderator, person, "Også jeg.")
    db.session.rollback()
    assert _audit(AuditAction.BLOCK, "user", person.id) == 0

    db.session.expire_all()
    assert db.session.get(User, person.id).is_blocked  # this session has read "blocked"
    _meanwhile(person, is_blocked=False, blocked_reason=None)
    with pytest.raises(InvalidState, match="ikke blokkert"):
        services.unblock_person(moderator, person, "Avtalt.")
    db.session.rollback()
    assert _audit(AuditAction.UNBLOCK, "user", person.id) == 0


def test_flagging_a_name_decides_on_the_stored_row(app):
    moderator = make_user(role=Role.MODERATOR)
    person = make_user("Kalle")
    assert person.name_flagged_at is None
    _meanwhile(person, name_flagged_at=utcnow())
    with pytest.raises(InvalidState, match="allerede markert"):
        services.flag_name(moderator, person, "Ikke fullt navn.")
    db.session.rollback()
    assert _audit(AuditAction.NAME_FLAGGED, "user", person.id) == 0


def test_fifty_moderators_blocking_one_person_block_once(app, live_server):
    person = make_user("Per Blokkert")
    moderators = [make_user(role=Role.MODERATOR) for _ in range(PEOPLE)]
    tokens = _tokens(moderators)
    url = f"{live_server}/api/v1/moderation/users/{person.id}/block"
    until = (utcnow() + timedelta(days=3)).date().isoformat()
    statuses = _send_at_once([("POST", url, token, {"reason": "Hets.", "until": until})
                              for token in tokens])

    assert sorted(statuses) == [200] + [409] * (PEOPLE - 1)
    db.session.expire_all()
    assert _audit(AuditAction.BLOCK, "user", person.id) == 1
    assert _notices(person, "moderation.blocked") == 1
    assert _mail_to(person) == 1

    url = f"{live_server}/api/v1/moderation/users/{person.id}/unblock"
    statuses = _send_at_once([("POST", url, token, {"reason": "Avtalt."}) for token in tokens])
    assert sorted(statuses) == [200] + [409] * (PEOPLE - 1)
    db.session.expire_all()
    assert _audit(AuditAction.UNBLOCK, "user", person.id) == 1
    assert _notices(person, "moderation.unblocked") == 1
    assert not db.session.get(User, person.id).is_blocked


def test_fifty_moderators_flagging_one_name_flag_it_once(app, backend):
    if backend != "postgresql":
        pytest.skip("the concurrency proof runs on PostgreSQL (set TEST_DATABASE_URL)")
    person = make_user("Kalle")
    moderators = [make_user(role=Role.MODERATOR) for _ in range(PEOPLE)]
    # The API has no name flag; the staff page does, with a form and CSRF. The service
    # is what decides, so the race is run through it from threads with their own sessions.
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    barrier = Barrier(PEOPLE)

    def flag(moderator_id: int) -> str:
        with app.app_context():
            barrier.wait()
            try:
                services.flag_name(db.session.get(User, moderator_id), db.session.get(User, person.id),
                                   "Ikke fullt navn.")
                return "flagged"
            except InvalidState:
                return "refused"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        results = list(pool.map(flag, [m.id for m in moderators]))
    assert sorted(results) == ["flagged"] + ["refused"] * (PEOPLE - 1)
    db.session.expire_all()
    assert _audit(AuditAction.NAME_FLAGGED, "user", person.id) == 1
    assert _notices(person, "moderation.name_flagged") == 1
