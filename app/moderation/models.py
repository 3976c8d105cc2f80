"""Reports, one moderation case per reported or moderated item, appeals and the audit log."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, enum_column
from app.core.db import UTCDateTime, utcnow
from app.extensions import db

NOTE_MAX = 1000


class TargetType(enum.StrEnum):
    """What people report and moderators hide."""

    IDEA = "idea"
    COMMENT = "comment"


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class ReportResolution(enum.StrEnum):
    UPHELD = "upheld"  # the item was hidden
    DISMISSED = "dismissed"  # the item stays (or is again) visible


class CaseState(enum.StrEnum):
    OPEN = "open"  # reports waiting, the item still visible
    HIDDEN = "hidden"  # hidden by the report threshold, waiting for a moderator
    APPEALED = "appealed"  # the author appealed a hiding; waiting for a final decision
    RESOLVED = "resolved"


WAITING_STATES = frozenset({CaseState.OPEN, CaseState.HIDDEN, CaseState.APPEALED})


class Decision(enum.StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    DISMISS = "dismiss"  # keep visible: the reports are set aside


class AppealDecision(enum.StrEnum):
    GRANTED = "granted"  # the item is restored
    REJECTED = "rejected"  # the item stays hidden


class AuditAction(enum.StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    DISMISS = "dismiss"
    BLOCK = "block"
    UNBLOCK = "unblock"
    NAME_FLAGGED = "name_flagged"
    NAME_CORRECTED = "name_corrected"
    ORGANISATION_VERIFIED = "organisation_verified"
    ORGANISATION_REJECTED = "organisation_rejected"
    APPEAL_DECIDED = "appeal_decided"
    ROLE_CHANGED = "role_changed"
    # An account erased (privacy): by the job on the person's request, or by staff for them.
    ACCOUNT_DELETED = "account_deleted"
    # A person's data exported by staff on their behalf (privacy).
    DATA_EXPORTED = "data_exported"


class AuditTarget(enum.StrEnum):
    IDEA = "idea"
    COMMENT = "comment"
    USER = "user"
    ORGANISATION = "organisation"


class ModerationCase(db.Model):
    """The moderators' view of one item: its reports, state and last decision.

    One row per item that has ever been reported, hidden or appealed; the queue lists these.
    """

    __tablename__ = "moderation_cases"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id"),
        Index("ix_moderation_cases_state_activity", "state", "last_activity_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[TargetType] = mapped_column(enum_column(TargetType))
    target_id: Mapped[int] = mapped_column()
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[CaseState] = mapped_column(enum_column(CaseState), default=CaseState.RESOLVED)
    # Hidden by the report threshold and not yet looked at by a moderator.
    auto_hidden: Mapped[bool] = mapped_column(default=False)
    # Reports not yet decided on; kept exact with atomic updates, compared to HIDE_AFTER_REPORTS.
    open_report_count: Mapped[int] = mapped_column(default=0, index=True)
    report_count: Mapped[int] = mapped_column(default=0)
    first_open_report_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision))
    decision_reason: Mapped[str | None] = mapped_column(String(40))
    # Shown to the author, in the notice and next to the hidden item.
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING_STATES

    def __repr__(self) -> str:
        return f"<ModerationCase {self.target_type} {self.target_id} {self.state}>"


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "target_type", "target_id"),
        Index("ix_reports_case_resolution", "case_id", "resolution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the reporter's account was erased and a moderation decision rests on the report.
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_cases.id", ondelete="CASCADE"))
    target_type: Mapped[TargetType] = mapped_column(enum_column(TargetType))
    target_id: Mapped[int] = mapped_column()
    reason: Mapped[ReportReason] = mapped_column(enum_column(ReportReason))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    resolution: Mapped[ReportResolution | None] = mapped_column(enum_column(ReportResolution))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    case: Mapped[ModerationCase] = relationship()


class Appeal(db.Model):
    """The author's one appeal against hiding an item; the decision is final."""

    __tablename__ = "appeals"
    __table_args__ = (UniqueConstraint("target_type", "target_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_cases.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[TargetType] = mapped_column(enum_column(TargetType))
    target_id: Mapped[int] = mapped_column()
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    decision: Mapped[AppealDecision | None] = mapped_column(enum_column(AppealDecision))
    decision_reason: Mapped[str | None] = mapped_column(String(40))
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    case: Mapped[ModerationCase] = relationship()

    @property
    def is_decided(self) -> bool:
        return self.decision is not None


class ModerationAction(db.Model):
    """The audit log: one row per moderation action, never changed or deleted."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        Index("ix_moderation_actions_target", "target_type", "target_id"),
        Index("ix_moderation_actions_action_created", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the platform itself (the report threshold) or the command line.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction))
    target_type: Mapped[AuditTarget] = mapped_column(enum_column(AuditTarget))
    target_id: Mapped[int] = mapped_column()
    # The person the action concerns: the item's author or the blocked person.
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id])


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(ModerationAction, "before_update")
def _no_update(mapper, connection, target):
    raise AuditLogIsAppendOnly("moderation_actions rows are never changed")


@event.listens_for(ModerationAction, "before_delete")
def _no_delete(mapper, connection, target):
    raise AuditLogIsAppendOnly("moderation_actions rows are never deleted")
