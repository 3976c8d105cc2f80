"""`flask privacy enforce`: every retention rule just inside and just outside its period.

Times are set by editing the rows (the job reads the clock through app.core.db.utcnow), so
"just outside" is the period plus a minute and "just inside" the period minus a minute.
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import ApiToken, Identity, Role, SignIn, User
from app.core.db import utcnow
from app.extensions import db
from app.notifications.mail import MAX_ATTEMPTS, queue_email
from app.notifications.models import Notice, OutboxMessage
from app.privacy import retention
from tests.factories import PASSWORD, make_service_area, make_user

MINUTE = timedelta(minutes=1)


def ago(**delta) -> object:
    return utcnow() - timedelta(**delta)


def years(n: int) -> timedelta:
    return timedelta(days=365 * n)


def _ids(model) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(select(model.id)))


def _user(user_id: int) -> User | None:
    db.session.expire_all()
    return db.session.get(User, user_id)


def _outbox_to(address: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)))


def _enforce(runner) -> dict[str, str]:
    result = runner.invoke(args=["privacy", "enforce"])
    assert result.exit_code == 0, result.output
    return dict(line.rsplit(": ", 1) for line in result.output.strip().splitlines())


# --- unconfirmed accounts ---------------------------------------------------------------------


def test_unconfirmed_accounts_go_after_the_period_and_no_others(app):
    outside = make_user(confirmed=False, created_at=ago(days=14) - MINUTE)
    inside = make_user(confirmed=False, created_at=ago(days=14) + MINUTE)
    confirmed = make_user(created_at=ago(days=400))
    verified = make_user(confirmed=False, created_at=ago(days=400))
    db.session.add(Identity(user=verified, provider="idporten", kind="resident", issuer="https://idp",
                            person_hash="a" * 64))
    staff = make_user(confirmed=False, role=Role.MODERATOR, created_at=ago(days=400))
    db.session.add(SignIn(user_id=outside.id, method="password", address="203.0.113.1"))
    queue_email(outside.email, "Bekreft", "lenke")
    queue_email(inside.email, "Bekreft", "lenke")
    db.session.commit()
    gone_address = outside.email
    kept = {inside.id, confirmed.id, verified.id, staff.id}

    assert retention.remove_unconfirmed_accounts() == 1
    assert _ids(User) == kept
    # Its sign-ins and the mail to its address went with it; the other person's mail stays.
    assert db.session.scalar(select(func.count()).select_from(SignIn)) == 0
    assert _outbox_to(gone_address) == [] and len(_outbox_to(inside.email)) == 1
    assert retention.remove_unconfirmed_accounts() == 0


def test_an_unconfirmed_account_that_owns_rows_is_erased_not_left_half_deleted(app):
    owner = make_user(confirmed=False, created_at=ago(days=30))
    db.session.add(Notice(user_id=owner.id, kind="test", subject="Hei", body="Hei"))
    db.session.commit()
    owner_id = owner.id
    assert retention.remove_unconfirmed_accounts() == 1
    assert _user(owner_id) is None
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 0


def test_an_account_confirmed_a_moment_ago_is_not_removed(app):
    person = make_user(confirmed=False, created_at=ago(days=30))
    person.confirmed_at = utcnow()
    db.session.commit()
    assert retention.remove_unconfirmed_accounts() == 0
    assert _user(person.id) is not None


# --- addresses --------------------------------------------------------------------------------


def test_sign_in_addresses_are_cleared_after_the_period_and_the_records_stay(app):
    person = make_user()
    old = SignIn(user_id=person.id, method="password", address="203.0.113.1",
                 created_at=ago(days=90) - MINUTE)
    young = SignIn(user_id=person.id, method="password", address="203.0.113.2",
                   created_at=ago(days=90) + MINUTE)
    db.session.add_all([old, young])
    db.session.commit()

    assert retention.clear_old_addresses() == 1
    db.session.expire_all()
    assert (old.address, old.method) == (None, "password")
    assert young.address == "203.0.113.2"
    assert retention.clear_old_addresses() == 0


def test_the_provider_session_hash_goes_with_the_address(app):
    person = make_user()
    old = SignIn(user_id=person.id, method="oidc:idporten", address=None, session_hash="a" * 64,
                 created_at=ago(days=90) - MINUTE)
    young = SignIn(user_id=person.id, method="oidc:idporten", session_hash="b" * 64,
                   created_at=ago(days=90) + MINUTE)
    db.session.add_all([old, young])
    db.session.commit()
    assert retention.clear_old_addresses() == 1
    db.session.expire_all()
    assert old.session_hash is None and young.session_hash == "b" * 64


def test_addresses_are_cleared_in_batches(app, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    person = make_user()
    db.session.add_all(SignIn(user_id=person.id, method="password", address=f"203.0.113.{n}",
                              created_at=ago(days=200)) for n in range(5))
    db.session.commit()
    assert retention.clear_old_addresses() == 5
    assert db.session.scalar(select(func.count()).where(SignIn.address.is_not(None))) == 0


def test_no_other_column_holds_an_address(app):
    # The one place an IP address is stored is sign_ins.address (retention.py's module doc).
    # A new column named like one must be added to the retention job, or this fails.
    # (outbox_messages.to_address is an e-mail address, kept OUTBOX_RETENTION_DAYS.)
    suspicious = re.compile(r"^(address|ip|ip_address|remote_addr|remote_address|client_address)$|_ip$")
    found = {
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if suspicious.search(column.name)
    }
    assert found == {"sign_ins.address"}


# --- rate-limit data --------------------------------------------------------------------------


def test_rate_limit_counters_in_redis_expire_before_the_address_retention(app_config):
    import os

    import redis

    from app import create_app

    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but TEST_REDIS_URL is not set")
        pytest.skip("TEST_REDIS_URL is not set (CI sets it)")
    store = redis.Redis.from_url(url)
    store.flushdb()
    app = create_app({**app_config, "RATELIMIT_STORAGE_URI": url})
    client = app.test_client()
    address = {"REMOTE_ADDR": "198.51.100.77"}
    client.post("/login", data={"email": "x@example.no", "password": "feil"}, environ_base=address)
    client.post("/register", data={"email": "y@example.no"}, environ_base=address)
    client.post("/password/forgot", data={"email": "y@example.no"}, environ_base=address)
    keys = [key for key in store.scan_iter() if b"198.51.100.77" in key]
    assert keys, "the limiter kept no counter for the address"
    with app.app_context():
        longest = retention.longest_rate_limit_window()
        retention_seconds = retention.period("ADDRESS_RETENTION_DAYS") * 24 * 3600
    assert longest == 24 * 3600  # RATELIMIT_INVITATIONS' "per day"
    for key in keys:
        ttl = store.ttl(key)
        assert 0 < ttl <= longest <= retention_seconds, (key, ttl)
    store.flushdb()


# --- outbox -----------------------------------------------------------------------------------


def _message(**fields) -> OutboxMessage:
    message = OutboxMessage(to_address="kari@example.no", subject="Emne", body="Tekst", **fields)
    db.session.add(message)
    return message


def test_delivered_and_given_up_mail_goes_after_the_period_and_mail_being_tried_stays(app):
    delivered_old = _message(sent_at=ago(days=30) - MINUTE, created_at=ago(days=31))
    delivered_young = _message(sent_at=ago(days=30) + MINUTE, created_at=ago(days=31))
    given_up_old = _message(attempts=MAX_ATTEMPTS, created_at=ago(days=30) - MINUTE)
    given_up_young = _message(attempts=MAX_ATTEMPTS, created_at=ago(days=30) + MINUTE)
    still_tried = _message(attempts=MAX_ATTEMPTS - 1, created_at=ago(days=300))
    db.session.commit()
    kept = {delivered_young.id, given_up_young.id, still_tried.id}
    gone = {delivered_old.id, given_up_old.id}

    purge = retention.purge_outbox()
    assert (purge.delivered, purge.given_up) == (1, 1)
    assert _ids(OutboxMessage) == kept
    assert not gone & _ids(OutboxMessage)
    assert retention.purge_outbox() == retention.OutboxPurge(0, 0)


# --- inactive accounts ------------------------------------------------------------------------


def test_inactive_residents_are_warned_once_by_email_with_an_absolute_link(app):
    outside = make_user(last_seen_at=ago(days=3 * 365) - MINUTE, locale="nb")
    inside = make_user(last_seen_at=ago(days=3 * 365) + MINUTE)
    never_seen = make_user(created_at=ago(days=3 * 365) - MINUTE)
    staff = make_user(role=Role.ADMIN, last_seen_at=ago(days=10 * 365))
    api_user = make_user(last_seen_at=ago(days=10 * 365))
    db.session.add(ApiToken(user_id=api_user.id, name="skript", token_hash="b" * 64, prefix="mv_",
                            last_used_at=ago(days=2)))
    db.session.commit()

    assert retention.warn_inactive_accounts() == 2
    warned = {u.id for u in db.session.scalars(select(User).where(User.inactivity_warned_at.is_not(None)))}
    assert warned == {outside.id, never_seen.id}
    [mail] = _outbox_to(outside.email)
    assert mail.subject == "Kontoen din i Medvirk blir slettet om 30 dager"
    assert "ikke logget inn i Medvirk på 3 år" in mail.body
    assert "http://medvirk.test/login" in mail.body
    assert "http://medvirk.test/privacy" in mail.body
    assert _outbox_to(inside.email) == [] and _outbox_to(staff.email) == []

    assert retention.warn_inactive_accounts() == 0
    assert len(_outbox_to(outside.email)) == 1
    assert retention.count_inactive_staff() == 1


def test_the_warning_is_written_in_the_persons_language(app):
    person = make_user(last_seen_at=ago(days=4 * 365), locale="en")
    assert retention.warn_inactive_accounts() == 1
    [mail] = _outbox_to(person.email)
    # The subject is translated when the catalogue has it; either way the link is absolute.
    assert "http://medvirk.test/login" in mail.body


def test_a_warned_resident_is_erased_after_the_warning_period_keeping_contributions(app):
    from app.ideas.models import Idea

    person = make_user(name="Inaktiv Person", last_seen_at=ago(days=5 * 365))
    due = make_user(last_seen_at=ago(days=5 * 365), inactivity_warned_at=ago(days=30) - MINUTE)
    not_yet = make_user(last_seen_at=ago(days=5 * 365), inactivity_warned_at=ago(days=30) + MINUTE)
    person.inactivity_warned_at = ago(days=31)
    idea = Idea(title="Benker langs elva", body="Flere benker der folk går tur.", author_id=person.id,
                service_area_id=make_service_area().id)
    db.session.add(idea)
    db.session.commit()
    person_id, due_id = person.id, due.id

    assert retention.erase_inactive_accounts() == 2
    assert _user(person_id) is None and _user(due_id) is None
    assert _user(not_yet.id) is not None
    db.session.expire_all()
    kept = db.session.get(Idea, idea.id)
    assert kept is not None and kept.author.full_name == "Tidligere deltaker"
    assert retention.erase_inactive_accounts() == 0


def test_signing_in_after_the_warning_keeps_the_account_and_withdraws_the_warning(app, client):
    person = make_user(last_seen_at=ago(days=5 * 365), inactivity_warned_at=ago(days=40))
    response = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert response.status_code in (302, 303)

    assert retention.erase_inactive_accounts() == 0
    assert retention.forget_warnings_of_returned() == 1
    returned = _user(person.id)
    assert returned is not None and returned.inactivity_warned_at is None
    assert retention.warn_inactive_accounts() == 0


def test_staff_accounts_are_never_warned_or_erased(app):
    admin = make_user(role=Role.ADMIN, last_seen_at=ago(days=10 * 365))
    moderator = make_user(role=Role.MODERATOR, last_seen_at=ago(days=10 * 365),
                          inactivity_warned_at=ago(days=400))
    result = retention.enforce()
    assert (result.inactive_warned, result.inactive_erased, result.inactive_staff) == (0, 0, 2)
    assert _user(admin.id) is not None and _user(moderator.id) is not None


def test_the_shared_placeholder_account_is_never_warned_or_erased(app):
    from app.privacy.deletion import former_participant

    placeholder = former_participant()
    placeholder.created_at = ago(days=10 * 365)
    db.session.commit()
    assert retention.warn_inactive_accounts() == 0
    placeholder.inactivity_warned_at = ago(days=400)
    db.session.commit()
    assert retention.erase_inactive_accounts() == 0
    assert _user(placeholder.id) is not None


# --- pending deletions, and the whole job -----------------------------------------------------


def test_a_deletion_whose_grace_period_has_passed_is_completed(app):
    due = make_user(deletion_requested_at=ago(days=7) - MINUTE, deletion_keep_content=False)
    waiting = make_user(deletion_requested_at=ago(days=7) + MINUTE, deletion_keep_content=False)
    due_id = due.id
    assert retention.enforce().deletions_completed == 1
    assert _user(due_id) is None and _user(waiting.id) is not None


def test_enforce_prints_what_it_did_and_a_second_run_changes_nothing(app, runner):
    person = make_user()
    make_user(confirmed=False, created_at=ago(days=15))
    db.session.add(SignIn(user_id=person.id, method="password", address="203.0.113.9",
                          created_at=ago(days=91)))
    _message(sent_at=ago(days=31))
    make_user(last_seen_at=ago(days=4 * 365))
    make_user(last_seen_at=ago(days=4 * 365), inactivity_warned_at=ago(days=31))
    make_user(role=Role.MODERATOR, last_seen_at=ago(days=4 * 365))
    make_user(deletion_requested_at=ago(days=8), deletion_keep_content=True)
    db.session.commit()

    first = _enforce(runner)
    assert first == {
        "unconfirmed accounts removed (older than 14 days)": "1",
        "sign-in addresses cleared (older than 90 days)": "1",
        "outbox e-mails deleted (older than 30 days)": "1 delivered, 0 given up",
        "inactivity warnings withdrawn (signed in since)": "0",
        "inactive accounts warned (no sign-in for 3 years)": "1",
        "inactive accounts erased (30 days after the warning)": "1",
        "inactive staff accounts (never erased; an admin reviews their roles)": "1",
        "account deletions completed (grace period over)": "1",
    }
    users = _ids(User)
    outbox = _ids(OutboxMessage)

    second = _enforce(runner)
    changed = {line: value for line, value in second.items() if "staff" not in line}
    assert set(changed.values()) == {"0", "0 delivered, 0 given up"}
    assert _ids(User) == users and _ids(OutboxMessage) == outbox


@pytest.mark.parametrize("value", [0, -1, "tre"])
def test_a_nonsense_period_stops_the_job_before_anything_is_removed(app, runner, value):
    person = make_user(confirmed=False, created_at=ago(days=400))
    app.config["UNCONFIRMED_ACCOUNT_DAYS"] = 14
    app.config["OUTBOX_RETENTION_DAYS"] = value
    result = runner.invoke(args=["privacy", "enforce"])
    assert result.exit_code != 0
    assert "OUTBOX_RETENTION_DAYS must be a whole number of at least 1" in result.output
    assert _user(person.id) is not None
