"""Notices: a message in the platform and, as the person chose, by e-mail now or in a digest.

Other domains call notify() (or send a signal a listener here turns into notify()).
It adds rows to the caller's transaction; the caller commits.
"""

from functools import cache

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, String, bindparam, case, func, insert, literal, select, update

from app.accounts.models import User
from app.core.db import UTCDateTime, dialect_insert, utcnow
from app.core.errors import InvalidInput, NotFound
from app.core.urls import absolute
from app.extensions import db
from app.notifications import kinds
from app.notifications.mail import queue_email
from app.notifications.models import Notice, NoticePreference


def _preferred_channel(user_id: int, group: str):
    """The channel this person chose for the group, in SQL (NULL: no choice, or one unknown)."""
    return select(NoticePreference.channel).where(
        NoticePreference.user_id == user_id, NoticePreference.kind == group,
        NoticePreference.channel.in_(kinds.CHANNELS),
    ).scalar_subquery()


def channel_for(user: User, kind: str) -> str:
    """How `kind` reaches this person: their choice for its group, else the group's default."""
    group = kinds.group_of(kind)
    if group is None:
        return kinds.IMMEDIATE
    chosen = db.session.scalar(select(_preferred_channel(user.id, group)))
    return chosen or kinds.default_channel(kind)


@cache
def _notice_insert(switchable: bool, email: bool):
    """The one statement that writes a notice as its person's preference routes it (channel_for's
    rule in SQL): built once per shape, with the values as parameters."""
    channel = (
        func.coalesce(_preferred_channel(bindparam("n_user"), bindparam("n_group")), bindparam("n_default"))
        if switchable else literal(kinds.IMMEDIATE)
    )
    routed = select(channel.label("channel")).subquery("routed")
    if not email:
        routed = select(
            case((routed.c.channel == kinds.IMMEDIATE, kinds.APP), else_=routed.c.channel).label("channel")
        ).subquery("routed_in_app")
    notices = Notice.__table__
    now = bindparam("n_now", type_=UTCDateTime())
    return insert(notices).from_select(
        ["user_id", "kind", "subject", "body", "url", "channel", "created_at", "emailed_at"],
        select(
            bindparam("n_user"), bindparam("n_kind", type_=String()), bindparam("n_subject", type_=String()),
            bindparam("n_body", type_=String()), bindparam("n_url", type_=String()), routed.c.channel, now,
            case((routed.c.channel == kinds.IMMEDIATE, now)),
        ).where(routed.c.channel != kinds.OFF),
    ).returning(notices.c.channel)


def notify(
    user: User, kind: str, template: str, *, url: str | None = None, email: bool = True, **context
) -> str | None:
    """Write a notice for `user` in their language, routed by their preference for the kind.

    `template` names templates/notifications/notices/<template>.txt, whose first line is
    the subject and the rest the body. "off" writes nothing; "app" and the digests ("daily",
    "weekly") a notice only, the digest e-mails it later; "immediate" the notice and an e-mail
    now (unless `email` is False). Returns the channel used, None for "off". Does not commit.

    The preference is read by the statement that writes the notice, so a notice costs one
    statement, and one more for its e-mail.
    """
    group = kinds.group_of(kind)
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        text = render_template(f"notifications/notices/{template}.txt", user=user, url=url, **context)
        subject, _sep, body = text.strip().partition("\n")
        subject, body = subject.strip()[:200], body.strip()
        written = db.session.scalar(_notice_insert(group is not None, email), {
            "n_user": user.id, "n_group": group, "n_default": kinds.default_channel(kind), "n_kind": kind,
            "n_subject": subject, "n_body": body, "n_url": url, "n_now": utcnow(),
        })
        if written == kinds.IMMEDIATE:
            from app.notifications.unsubscribe import unsubscribe_url_for_kind

            # A mail client has no page to resolve "/ideas/314" against: always absolute.
            action = (_("Les meldingen i Medvirk"), absolute(url)) if url else None
            queue_email(user.email, subject, body, action=action,
                        unsubscribe_url=unsubscribe_url_for_kind(user.id, kind))
    return written


# --- preferences ------------------------------------------------------------------------


def preferences_of(user: User) -> tuple[dict[str, str], dict[str, bool]]:
    """(channel per preference group, auto-follow switches), defaults filled in."""
    stored = dict(db.session.execute(
        select(NoticePreference.kind, NoticePreference.channel).where(NoticePreference.user_id == user.id)
    ).all())
    channels = {
        group: stored.get(group) if stored.get(group) in kinds.CHANNELS else default
        for group, (default, _label, _help) in kinds.PREFERENCE_KINDS.items()
    }
    switches = {switch: stored.get(switch) != kinds.OFF for switch in kinds.AUTO_FOLLOW}
    return channels, switches


def save_preferences(user: User, channels: dict, switches: dict) -> None:
    """Store every group's channel and every auto-follow switch at once.

    `channels` maps each group in PREFERENCE_KINDS to a channel; a missing group keeps its
    current value; `switches` maps each auto-follow switch to True/False (a missing one is
    off: an unchecked box is not sent). Raises InvalidInput (with fields) for an unknown
    channel, nothing saved.
    """
    errors = {}
    for group, value in channels.items():
        if group not in kinds.PREFERENCE_KINDS:
            raise InvalidInput(_("Ukjent type melding."))
        if value not in kinds.CHANNELS:
            errors[group] = [_("Velg et av valgene.")]
    if errors:
        raise InvalidInput(_("Noe i innstillingene må rettes."), fields=errors)
    wanted = dict(channels)
    wanted.update({switch: kinds.ON if switches.get(switch) else kinds.OFF for switch in kinds.AUTO_FOLLOW})
    # One upsert: two saves at once never fail on the unique key; the later one stands, whole.
    stmt = dialect_insert()(NoticePreference).values(
        [{"user_id": user.id, "kind": kind, "channel": channel} for kind, channel in wanted.items()]
    )
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=[NoticePreference.user_id, NoticePreference.kind],
        set_={"channel": stmt.excluded.channel},
    ))
    db.session.commit()


def unread_query(user: User) -> Select:
    return select(func.count()).select_from(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))


def unread_count(user: User) -> int:
    return db.session.scalar(unread_query(user)) or 0


def notices_for(user: User):
    return select(Notice).where(Notice.user_id == user.id).order_by(Notice.created_at.desc(), Notice.id.desc())


def mark_read(user: User, notice_id: int | None = None) -> None:
    """Mark one notice (or all of them) read. Raises NotFound for someone else's notice."""
    stmt = update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))
    if notice_id is not None:
        notice = db.session.get(Notice, notice_id)
        if notice is None or notice.user_id != user.id:
            raise NotFound(_("Fant ikke meldingen."))
        stmt = stmt.where(Notice.id == notice_id)
    db.session.execute(stmt.values(read_at=utcnow()))
    db.session.commit()
