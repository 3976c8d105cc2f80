"""Retention (GDPR art. 5(1)(e)): what `flask privacy enforce` removes, each rule a function.

Every rule reads its period from the same setting the privacy page quotes, decides in SQL on
the rows as they are when it runs (a person who confirms, signs in or is warned a moment
earlier is judged on that), works in batches of BATCH_SIZE with a commit after each, and
returns how many rows it changed, so a second run the same day changes nothing.

Where IP addresses are kept: only `sign_ins.address` (cleared here). Reports, accessibility
reports, the outbox and the audit log hold none; the application logs none; rate-limit
counters (Redis or memory) are keyed on the address but expire with their window, at most a
day with the shipped limits. A web server's access log is the operator's to rotate.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import and_, delete, exists, func, not_, or_, select, update

from app.accounts.models import ApiToken, Identity, Role, SignIn, User
from app.core.db import utcnow
from app.core.urls import external_url
from app.extensions import db
from app.notifications.mail import MAX_ATTEMPTS, queue_email
from app.notifications.models import OutboxMessage

BATCH_SIZE = 500
SETTINGS = (
    "UNCONFIRMED_ACCOUNT_DAYS",
    "ADDRESS_RETENTION_DAYS",
    "OUTBOX_RETENTION_DAYS",
    "INACTIVE_ACCOUNT_YEARS",
    "INACTIVE_ACCOUNT_WARNING_DAYS",
)


def period(name: str) -> int:
    """A retention setting as a whole number ≥ 1; a nonsense value stops the job, not the data."""
    value = current_app.config.get(name)
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return number


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def _in_batches(id_column, condition, apply) -> int:
    """Run `apply(ids)` over the ids of the rows matching `condition`, BATCH_SIZE at a time in
    id order, one commit each; returns the sum of what `apply` returns.

    Walks by id, so a row `apply` leaves as it was (an account that may not be erased) is
    passed over rather than chosen again forever.
    """
    total = 0
    last = 0
    while True:
        ids = list(db.session.scalars(
            select(id_column).where(condition, id_column > last).order_by(id_column).limit(BATCH_SIZE)
        ))
        if not ids:
            return total
        total += apply(ids)
        db.session.commit()
        last = ids[-1]


# --- unconfirmed accounts ---------------------------------------------------------------------


def _unconfirmed(cutoff: datetime):
    # Never confirmed, never verified through a provider, never staff, older than the period.
    return and_(
        User.confirmed_at.is_(None),
        User.role == Role.RESIDENT,
        User.created_at < cutoff,
        not_(exists().where(Identity.user_id == User.id)),
    )


def _references_to_users():
    """Every column that points at users.id, but the sign-in records (only about the account).

    Read from the metadata, so a table added later is covered without touching this module.
    """
    users = User.__table__
    return [
        fk.parent
        for table in db.metadata.sorted_tables
        if table is not SignIn.__table__
        for fk in table.foreign_keys
        if fk.column is users.c.id
    ]


def remove_unconfirmed_accounts(now: datetime | None = None) -> int:
    """Remove accounts whose e-mail was never confirmed within UNCONFIRMED_ACCOUNT_DAYS.

    Such a person cannot have taken part: the account, its sign-ins and the e-mails to its
    address go in a few statements per batch. One that owns any other row anyway (a notice,
    an export) goes through the account erasure, which knows what to do with each.
    """
    cutoff = _now(now) - timedelta(days=period("UNCONFIRMED_ACCOUNT_DAYS"))
    owns_rows = or_(*(exists().where(column == User.id) for column in _references_to_users()))

    def remove(ids: list[int]) -> int:
        # Every WHERE is checked again on the current rows: an account confirmed since the
        # SELECT stays, and so does its mail.
        plain = and_(User.id.in_(ids), _unconfirmed(cutoff), not_(owns_rows))
        db.session.execute(
            delete(OutboxMessage).where(OutboxMessage.to_address.in_(select(User.email).where(plain)))
            .execution_options(synchronize_session=False)
        )
        removed = db.session.execute(
            delete(User).where(plain).execution_options(synchronize_session=False)
        ).rowcount or 0
        removed += _erase(
            select(User).where(User.id.in_(ids), _unconfirmed(cutoff), owns_rows),
            keep_content=False, reason="e-mail never confirmed",
        )
        return removed

    return _in_batches(User.id, _unconfirmed(cutoff), remove)


def _erase(users_query, *, keep_content: bool, reason: str) -> int:
    from app.core.errors import NotAllowed
    from app.privacy.deletion import erase_user

    count = 0
    for user_id in list(db.session.scalars(users_query.with_only_columns(User.id))):
        # Locked and checked again, one person per transaction (erase_user commits); FOR NO KEY
        # UPDATE, as deletion._lock_user(for_erasure=True) says why.
        user = db.session.scalars(
            users_query.where(User.id == user_id).with_for_update(of=User, key_share=True)
        ).first()
        if user is None:
            db.session.rollback()
            continue
        try:
            erase_user(user, keep_content=keep_content, actor=None, reason=reason)
        except NotAllowed:
            db.session.rollback()  # the placeholder or the last admin: not the job's to erase
            continue
        db.session.commit()
        count += 1
    return count


# --- addresses --------------------------------------------------------------------------------


def clear_old_addresses(now: datetime | None = None) -> int:
    """Clear the IP address of sign-ins older than ADDRESS_RETENTION_DAYS; the record stays.

    The hash of the provider's session id goes with it: a provider session does not last that
    long, so no front-channel logout can still name it.
    """
    cutoff = _now(now) - timedelta(days=period("ADDRESS_RETENTION_DAYS"))
    old = and_(or_(SignIn.address.is_not(None), SignIn.session_hash.is_not(None)), SignIn.created_at < cutoff)

    def clear(ids: list[int]) -> int:
        stmt = update(SignIn).where(SignIn.id.in_(ids), old).values(address=None, session_hash=None)
        return db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount or 0

    return _in_batches(SignIn.id, old, clear)


def longest_rate_limit_window() -> int:
    """Seconds the longest configured rate limit counts over: no counter keyed on an address
    outlives it, since the limiter's storage expires each counter with its window."""
    from limits import parse_many

    longest = 0
    for key, value in current_app.config.items():
        if not key.startswith("RATELIMIT_") or not isinstance(value, str) or not value.strip():
            continue
        try:
            windows = [item.get_expiry() for item in parse_many(value)]
        except ValueError:
            continue  # RATELIMIT_STORAGE_URI and the like
        longest = max([longest, *windows])
    return longest


# --- outbox -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxPurge:
    delivered: int
    given_up: int


def purge_outbox(now: datetime | None = None) -> OutboxPurge:
    """Delete e-mails delivered more than OUTBOX_RETENTION_DAYS ago, and those given up on.

    A message given up on (every attempt failed, or an address that cannot receive mail) goes
    the same time after it was written. Messages still being tried are never touched.
    """
    cutoff = _now(now) - timedelta(days=period("OUTBOX_RETENTION_DAYS"))
    delivered = and_(OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at < cutoff)
    given_up = and_(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.attempts >= MAX_ATTEMPTS,
        OutboxMessage.created_at < cutoff,
    )

    def purge(condition):
        def apply(ids: list[int]) -> int:
            stmt = delete(OutboxMessage).where(OutboxMessage.id.in_(ids), condition)
            return db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount or 0

        return _in_batches(OutboxMessage.id, condition, apply)

    return OutboxPurge(delivered=purge(delivered), given_up=purge(given_up))


# --- inactive accounts ------------------------------------------------------------------------


def last_activity():
    """When the person was last seen: the last sign-in, else when the account was made."""
    return func.coalesce(User.last_seen_at, User.created_at)


def _inactive_since(cutoff: datetime):
    # A personal API token in use counts as activity: its owner may never open the pages.
    return and_(
        last_activity() < cutoff,
        not_(exists().where(ApiToken.user_id == User.id, ApiToken.last_used_at >= cutoff)),
    )


def _resident_account():
    # Residents only (staff are never erased by the job), and never the shared placeholder
    # that keeps erased people's contributions: nobody signs in to it.
    from app.privacy.deletion import FORMER_PARTICIPANT_EMAIL

    return and_(User.role == Role.RESIDENT, User.email != FORMER_PARTICIPANT_EMAIL)


def _inactivity_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=365 * period("INACTIVE_ACCOUNT_YEARS"))


def forget_warnings_of_returned(now: datetime | None = None) -> int:
    """Clear the inactivity warning of everyone who signed in after it: they are active again."""
    returned = and_(
        User.inactivity_warned_at.is_not(None),
        or_(
            last_activity() > User.inactivity_warned_at,
            exists().where(ApiToken.user_id == User.id, ApiToken.last_used_at > User.inactivity_warned_at),
        ),
    )

    def clear(ids: list[int]) -> int:
        stmt = update(User).where(User.id.in_(ids), returned).values(inactivity_warned_at=None)
        return db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount or 0

    return _in_batches(User.id, returned, clear)


def warn_inactive_accounts(now: datetime | None = None) -> int:
    """E-mail each resident inactive for INACTIVE_ACCOUNT_YEARS once: the account goes in
    INACTIVE_ACCOUNT_WARNING_DAYS unless they sign in. Returns how many were warned."""
    now = _now(now)
    days = period("INACTIVE_ACCOUNT_WARNING_DAYS")
    due = and_(
        _resident_account(),
        User.inactivity_warned_at.is_(None),
        User.deletion_requested_at.is_(None),
        _inactive_since(_inactivity_cutoff(now)),
    )
    query = select(User).where(due).order_by(User.id)
    if db.engine.dialect.name == "postgresql":
        # Rows locked and the WHERE checked again: a sign-in committed meanwhile is seen.
        query = query.with_for_update(of=User, skip_locked=True)
    warned = 0
    while True:
        users = list(db.session.scalars(query.limit(BATCH_SIZE)))
        for user in users:
            _queue_warning(user, days)
            user.inactivity_warned_at = now
        db.session.commit()
        warned += len(users)
        if len(users) < BATCH_SIZE:
            return warned


def _queue_warning(user: User, days: int) -> None:
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        body = render_template(
            "privacy/email/inactive_warning.txt",
            user=user,
            days=days,
            years=period("INACTIVE_ACCOUNT_YEARS"),
            login_url=external_url("accounts.login"),
            policy_url=external_url("privacy.policy"),
        )
        subject = ngettext("Kontoen din i Medvirk blir slettet om %(num)d dag",
                           "Kontoen din i Medvirk blir slettet om %(num)d dager", days)
        queue_email(user.email, subject, body)


def erase_inactive_accounts(now: datetime | None = None) -> int:
    """Erase residents warned INACTIVE_ACCOUNT_WARNING_DAYS ago who have not signed in since.

    What they wrote stays, under "Tidligere deltaker" (keep_content=True). Staff are never
    erased by the job.
    """
    now = _now(now)
    cutoff = now - timedelta(days=period("INACTIVE_ACCOUNT_WARNING_DAYS"))
    due = select(User).where(
        _resident_account(),
        User.inactivity_warned_at.is_not(None),
        User.inactivity_warned_at <= cutoff,
        User.deletion_requested_at.is_(None),
        last_activity() <= User.inactivity_warned_at,
        _inactive_since(_inactivity_cutoff(now)),
    ).order_by(User.id)
    return _erase(due, keep_content=True, reason="inactive")


def count_inactive_staff(now: datetime | None = None) -> int:
    """Staff accounts inactive for INACTIVE_ACCOUNT_YEARS: left alone, counted for an admin."""
    return db.session.scalar(
        select(func.count()).select_from(User).where(
            User.role != Role.RESIDENT, _inactive_since(_inactivity_cutoff(_now(now)))
        )
    ) or 0


# --- pending deletions ------------------------------------------------------------------------


def complete_due_deletions(now: datetime | None = None) -> int:
    """Accounts whose deletion was asked for and whose grace period has passed (privacy.deletion)."""
    from app.privacy import deletion

    return deletion.complete_due_deletions(now=now)


# --- all of it --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnforceResult:
    unconfirmed_removed: int
    addresses_cleared: int
    outbox_delivered_deleted: int
    outbox_given_up_deleted: int
    warnings_cleared: int
    inactive_warned: int
    inactive_erased: int
    inactive_staff: int
    deletions_completed: int


def enforce(now: datetime | None = None) -> EnforceResult:
    """Every retention rule once, in an order where one rule never undoes another's work."""
    for name in SETTINGS:
        period(name)  # a broken setting stops the job before anything is removed
    now = _now(now)
    unconfirmed = remove_unconfirmed_accounts(now)
    addresses = clear_old_addresses(now)
    outbox = purge_outbox(now)
    returned = forget_warnings_of_returned(now)
    erased = erase_inactive_accounts(now)
    warned = warn_inactive_accounts(now)
    staff = count_inactive_staff(now)
    deletions = complete_due_deletions(now)
    return EnforceResult(
        unconfirmed_removed=unconfirmed,
        addresses_cleared=addresses,
        outbox_delivered_deleted=outbox.delivered,
        outbox_given_up_deleted=outbox.given_up,
        warnings_cleared=returned,
        inactive_warned=warned,
        inactive_erased=erased,
        inactive_staff=staff,
        deletions_completed=deletions,
    )
