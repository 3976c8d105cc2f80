"""Digests: one e-mail per person with every notice routed to the daily or weekly digest.

`flask notifications digest daily|weekly` runs from cron. A notice waits for it with
channel "daily"/"weekly" and emailed_at NULL; the digest's outbox row and emailed_at are
written in one transaction, on rows locked FOR UPDATE SKIP LOCKED on PostgreSQL, and the
UPDATE takes only rows still NULL: two runs at once never put one notice in two e-mails,
and a run that fails leaves its notices for the next.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import User
from app.core.db import utcnow
from app.core.urls import absolute, external_url
from app.extensions import db
from app.notifications import kinds
from app.notifications.mail import queue_email, render_email
from app.notifications.models import Notice, NoticePreference
from app.notifications.unsubscribe import group_label, unsubscribe_url

# Shown per group in one e-mail; the rest is counted and waits under Meldinger.
MAX_ITEMS_PER_GROUP = 20
OTHER = "other"


@dataclass
class DigestGroup:
    """One preference group's notices in a digest, as the templates show them."""

    key: str
    label: str
    unsubscribe_url: str | None
    items: list[Notice] = field(default_factory=list)
    more: int = 0


def _groups(user: User, notices: list[Notice]) -> list[DigestGroup]:
    """The notices by preference group, in PREFERENCE_KINDS order; labels in the current language."""
    by_group: dict[str, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_group[kinds.group_of(notice.kind) or OTHER].append(notice)
    order = [*kinds.PREFERENCE_KINDS, OTHER]
    groups = []
    for key in sorted(by_group, key=order.index):
        items = by_group[key]
        groups.append(DigestGroup(
            key=key,
            label=group_label(key) if key != OTHER else _("Andre meldinger"),
            unsubscribe_url=unsubscribe_url(user.id, key) if key != OTHER else None,
            items=items[:MAX_ITEMS_PER_GROUP],
            more=max(len(items) - MAX_ITEMS_PER_GROUP, 0),
        ))
    return groups


def queue_digest(user: User, channel: str, notices: list[Notice]) -> None:
    """Render one person's digest in their language and add it to the outbox (no commit)."""
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        count = len(notices)
        if channel == kinds.DAILY:
            subject = ngettext("Dagens nytt fra Medvirk: %(num)d melding",
                               "Dagens nytt fra Medvirk: %(num)d meldinger", count)
        else:
            subject = ngettext("Ukens nytt fra Medvirk: %(num)d melding",
                               "Ukens nytt fra Medvirk: %(num)d meldinger", count)
        context = {
            "user": user, "channel": channel, "groups": _groups(user, notices), "count": count,
            "messages_url": external_url("notifications.messages"),
            "preferences_url": (external_url("notifications.preferences")
                                if "notifications.preferences" in current_app.view_functions else None),
            "absolute": absolute,
        }
        body = render_template("notifications/email/digest.txt", **context)
        whole = unsubscribe_url(user.id, f"digest.{channel}")
        text, html = render_email(subject, body, unsubscribe_url=whole,
                                  html_template="notifications/email/digest.html", **context)
        queue_email(user.email, subject, text, html=html, unsubscribe_url=whole)


def _still_wanted(notices: list[Notice]) -> tuple[list[Notice], list[int]]:
    """(the notices to send, the ids of those whose group the person has since moved to "app" or
    "off", on the preferences page or with an unsubscribe link): those stay in the app only."""
    stored = {(user_id, group): chosen for user_id, group, chosen in db.session.execute(
        select(NoticePreference.user_id, NoticePreference.kind, NoticePreference.channel)
        .where(NoticePreference.user_id.in_({notice.user_id for notice in notices}))
    )}
    send, rerouted = [], []
    for notice in notices:
        group = kinds.group_of(notice.kind)
        current = stored.get((notice.user_id, group)) or kinds.default_channel(notice.kind)
        if current in (kinds.APP, kinds.OFF):
            rerouted.append(notice.id)
        else:
            send.append(notice)
    return send, rerouted


def _mark(ids: list[int], **values) -> int:
    """Set `values` on the notices still due among `ids`; how many it took."""
    if not ids:
        return 0
    return db.session.execute(
        update(Notice).where(Notice.id.in_(ids), Notice.emailed_at.is_(None)).values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount


def _due(channel: str):
    return (Notice.channel == channel, Notice.emailed_at.is_(None))


def send_digests(channel: str, batch_size: int = 200) -> tuple[int, int]:
    """Send `channel`'s digest ("daily" or "weekly") to everyone with notices waiting for it.

    People are taken in batches of `batch_size` by id, each batch one transaction: one query
    for who is due, one for their notices (locked), one for the people, one UPDATE marking
    them e-mailed, and one outbox row per person. Returns (people, notices) e-mailed.
    """
    if channel not in kinds.DIGEST_CHANNELS:
        raise ValueError(f"unknown digest channel {channel!r}")
    postgres = db.engine.dialect.name == "postgresql"
    people = items = 0
    after = 0
    while True:
        user_ids = list(db.session.scalars(
            select(Notice.user_id).where(*_due(channel), Notice.user_id > after)
            .group_by(Notice.user_id).order_by(Notice.user_id).limit(batch_size)
        ))
        if not user_ids:
            break
        after = user_ids[-1]
        stmt = (select(Notice).where(*_due(channel), Notice.user_id.in_(user_ids))
                .order_by(Notice.user_id, Notice.created_at, Notice.id))
        if postgres:
            # Rows another run holds are its to send; we take the rest.
            stmt = stmt.with_for_update(skip_locked=True)
        notices = list(db.session.scalars(stmt))
        if not notices:
            db.session.rollback()
            continue
        notices, rerouted = _still_wanted(notices)
        by_user: dict[int, list[Notice]] = defaultdict(list)
        for notice in notices:
            by_user[notice.user_id].append(notice)
        users = db.session.scalars(select(User).where(User.id.in_(list(by_user)))).all() if by_user else []
        mailed = 0
        for user in users:
            # A sign-in without an e-mail address (RFC 2606 .invalid) reads its notices in the
            # app; they are marked all the same, so they do not wait forever.
            if not user.email.lower().endswith(".invalid"):
                queue_digest(user, channel, by_user[user.id])
                mailed += 1
        ids = [notice.id for notice in notices]
        marked = _mark(ids, emailed_at=utcnow()) + _mark(rerouted, channel=kinds.APP)
        if marked != len(ids) + len(rerouted):
            # Another run sent some of them a moment ago (SQLite has no row locks): this batch
            # is dropped whole and its people are taken again with what is still due.
            db.session.rollback()
            after = user_ids[0] - 1
            continue
        db.session.commit()
        people += mailed
        items += len(ids)
    db.session.rollback()
    return people, items
