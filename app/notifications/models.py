"""The e-mail outbox, the notices (messages) people read in the platform, follows and preferences."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class OutboxMessage(db.Model):
    """An e-mail written in the same transaction as what caused it, delivered after commit."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The same content as HTML (the alternative part); NULL for rows queued before it existed.
    html_body: Mapped[str | None] = mapped_column(Text)
    # The one-click unsubscribe address (RFC 8058) of a notice or digest; NULL on account mail.
    list_unsubscribe: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    __table_args__ = (
        # What the mail worker looks through for the next message: the unsent ones it has not
        # given up on (mail.MAX_ATTEMPTS), in order.
        Index("ix_outbox_messages_due", "id", postgresql_where=text("sent_at IS NULL AND attempts < 8"),
              sqlite_where=text("sent_at IS NULL AND attempts < 8")),
    )


class Notice(db.Model):
    """A message to one person in the platform ("messages"), often also sent by e-mail."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # What it is about, e.g. "moderation.hidden", "portfolio.update"; for filtering and tests.
    kind: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # How it was routed (a channel in app.notifications.kinds.CHANNELS): "app" stays in the
    # platform, "immediate" was e-mailed at once, "daily"/"weekly" wait for the digest.
    channel: Mapped[str] = mapped_column(String(10), default="immediate", server_default="immediate")
    # When an e-mail or a digest carried it; NULL on a daily/weekly notice = still due.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_notices_user_read", "user_id", "read_at"),
        Index("ix_notices_digest", "channel", "emailed_at", "user_id"),
    )


class FollowTarget(enum.StrEnum):
    """What a person can follow."""

    IDEA = "idea"
    PROJECT = "project"
    SERVICE_AREA = "service_area"
    ORGANISATION = "organisation"


class Follow(db.Model):
    """A person follows an idea, a project, a service area or an organisation.

    The target is polymorphic (no foreign key): a follow of a deleted target finds nothing
    and is harmless; deleting the person deletes their follows (CASCADE).
    """

    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        # The race of two clicks at once is settled here: the second insert does nothing.
        UniqueConstraint("user_id", "target_type", "target_id"),
        Index("ix_follows_target", "target_type", "target_id"),
        CheckConstraint(
            "target_type IN ('idea', 'project', 'service_area', 'organisation')", name="target_type"
        ),
    )


class NoticePreference(db.Model):
    """How one person wants one group of notices (a kind in PREFERENCE_KINDS), or an auto-follow switch.

    No row means the group's default. For the auto-follow kinds ("auto_follow.propose",
    "auto_follow.vote", "auto_follow.comment") the channel is "on" or "off".
    """

    __tablename__ = "notice_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))

    __table_args__ = (
        CheckConstraint(
            "channel IN ('app', 'immediate', 'daily', 'weekly', 'off', 'on')", name="channel"
        ),
    )
