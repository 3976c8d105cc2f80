"""Innbyggerforslag (kommuneloven § 12-1): the initiative, its signatures, paper lists, measures."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, enum_column
from app.core.db import UTCDateTime, as_utc, utcnow
from app.core.models import ServiceArea
from app.extensions import db


class InitiativeStatus(enum.StrEnum):
    AWAITING_MODERATION = "awaiting_moderation"
    REFUSED = "refused"
    COLLECTING = "collecting"
    EXPIRED = "expired"
    SUBMITTED = "submitted"
    REJECTED_SAME_CONTENT = "rejected_same_content"
    DECIDED = "decided"


class Actor(enum.StrEnum):
    """Who makes a move: a moderator, the proposer, staff recording the council's work, or
    time itself (the collection period running out)."""

    MODERATOR = "moderator"
    PROPOSER = "proposer"
    STAFF = "staff"
    TIME = "time"


S = InitiativeStatus
# The one table of allowed moves, used by services, views, the CLI and the tests alike:
# status -> {next status: who may make the move}. Measures are recorded on a decided
# initiative without changing its status (InitiativeMeasure), as often as staff need to.
TRANSITIONS: dict[InitiativeStatus, dict[InitiativeStatus, Actor]] = {
    S.AWAITING_MODERATION: {S.COLLECTING: Actor.MODERATOR, S.REFUSED: Actor.MODERATOR},
    S.COLLECTING: {S.SUBMITTED: Actor.PROPOSER, S.EXPIRED: Actor.TIME},
    S.SUBMITTED: {S.DECIDED: Actor.STAFF, S.REJECTED_SAME_CONTENT: Actor.STAFF},
    S.REFUSED: {},
    S.EXPIRED: {},
    S.REJECTED_SAME_CONTENT: {},
    S.DECIDED: {},
}
# Seen by everybody; an initiative waiting for moderation or refused is seen only by its
# proposer and the moderators.
PUBLIC_STATUSES = frozenset({S.COLLECTING, S.EXPIRED, S.SUBMITTED, S.REJECTED_SAME_CONTENT, S.DECIDED})
# Handed to the council: the signatures counted then are the council's; they never drop.
SUBMITTED_STATUSES = frozenset({S.SUBMITTED, S.REJECTED_SAME_CONTENT, S.DECIDED})


def can_move(from_status: InitiativeStatus, to_status: InitiativeStatus, actor: Actor) -> bool:
    return TRANSITIONS.get(from_status, {}).get(to_status) == actor


initiative_service_areas = Table(
    "initiative_service_areas",
    db.metadata,
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("service_area_id", Integer, ForeignKey("service_areas.id"), primary_key=True, index=True),
)


class Initiative(db.Model):
    __tablename__ = "initiatives"
    __table_args__ = (
        # The public list by status, newest first; the staff list by deadline.
        Index("ix_initiatives_status_created", "status", "created_at", "id"),
        CheckConstraint("signature_count >= 0", name="signature_count"),
        CheckConstraint("paper_signature_count >= 0", name="paper_signature_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    # What the council is asked to decide, and why.
    proposal: Mapped[str] = mapped_column(Text)
    reasons: Mapped[str] = mapped_column(Text)
    # Named publicly. Erasure hands the initiative to "Tidligere deltaker" (privacy.deletion).
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # For the municipality's contact with the proposer; shown to staff only.
    contact_email: Mapped[str] = mapped_column(String(254))
    from_idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"), index=True)
    status: Mapped[InitiativeStatus] = mapped_column(
        enum_column(InitiativeStatus), default=InitiativeStatus.AWAITING_MODERATION, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    # Pre-moderation: approved (collection starts) or refused with a reason the proposer reads.
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    refusal_reason: Mapped[str | None] = mapped_column(Text)

    # Collection: the threshold and the end are fixed when it starts, so neither moves under
    # the people signing when POPULATION or INITIATIVE_COLLECTION_DAYS change later.
    collection_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    collection_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    signature_threshold: Mapped[int | None] = mapped_column()
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Online signatures (rows of initiative_signatures, anonymised ones included) and the
    # paper signatures staff registered; both kept exact by atomic UPDATEs in the services.
    signature_count: Mapped[int] = mapped_column(default=0)
    paper_signature_count: Mapped[int] = mapped_column(default=0)

    # Submission starts the council's six months (kommuneloven § 12-1); the deadline is that
    # calendar date, in the municipality's time zone.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    submitted_signatures: Mapped[int | None] = mapped_column()

    # The council's decision.
    council_case_number: Mapped[str | None] = mapped_column(String(60))
    council_meeting_date: Mapped[date | None] = mapped_column(Date)
    decision_text: Mapped[str | None] = mapped_column(Text)
    decision_url: Mapped[str | None] = mapped_column(String(500))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    # Refused as the same content as a case the council treated in this election period.
    earlier_case_number: Mapped[str | None] = mapped_column(String(60))
    earlier_case_title: Mapped[str | None] = mapped_column(String(200))
    earlier_case_date: Mapped[date | None] = mapped_column(Date)
    rejection_explanation: Mapped[str | None] = mapped_column(Text)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    proposer: Mapped[User] = relationship(foreign_keys=[proposer_id])
    service_areas: Mapped[list[ServiceArea]] = relationship(
        secondary=initiative_service_areas, order_by=ServiceArea.position
    )
    measures: Mapped[list["InitiativeMeasure"]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan",
        order_by=lambda: [InitiativeMeasure.carried_out_on, InitiativeMeasure.id],
    )
    paper_batches: Mapped[list["PaperSignatureBatch"]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="PaperSignatureBatch.id",
    )

    @property
    def total_signatures(self) -> int:
        return (self.signature_count or 0) + (self.paper_signature_count or 0)

    @property
    def collection_over(self) -> bool:
        """The collection period has run out (whether or not a job has marked it yet)."""
        ends = as_utc(self.collection_ends_at)
        return ends is not None and ends <= utcnow()

    @property
    def current_status(self) -> InitiativeStatus:
        """The status as it is now: a collection whose time ran out is expired, even before
        `flask initiatives expire` has written it, so no page shows a stale state."""
        if self.status == InitiativeStatus.COLLECTING and self.collection_over:
            return InitiativeStatus.EXPIRED
        return self.status

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_collecting(self) -> bool:
        return self.current_status == InitiativeStatus.COLLECTING

    def __repr__(self) -> str:
        return f"<Initiative {self.id} {self.title!r}>"


class Signature(db.Model):
    """One person's signature. One per account, and one per verified person (identity_hash).

    `identity_hash` is the signer's verified identity's keyed hash (Identity.person_hash), so
    a second account of the same person cannot sign again; NULL for a signer without one.
    A signer erased after submission leaves the row without user and hash: the council's
    count never drops (privacy.deletion, services.forget_signer).
    """

    __tablename__ = "initiative_signatures"
    __table_args__ = (
        UniqueConstraint("initiative_id", "user_id"),
        UniqueConstraint("initiative_id", "identity_hash"),
        Index("ix_initiative_signatures_initiative_created", "initiative_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    identity_hash: Mapped[str | None] = mapped_column(String(64))
    # Signed with a verified identity (ID-porten) at the time.
    verified: Mapped[bool] = mapped_column(default=False)
    # The signer confirmed being registered as living in the municipality (required).
    confirmed_resident: Mapped[bool] = mapped_column(default=False)
    # The name is shown publicly only when the signer chose so.
    show_name: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User | None] = relationship()


class PaperSignatureBatch(db.Model):
    """Signatures collected on paper, registered by staff with a scan of the lists.

    Append-only: each row is the record of who registered how many, and when. The scan is
    stored like idea pictures (by content hash, in UPLOAD_DIR) and served to staff only.
    """

    __tablename__ = "initiative_paper_batches"
    __table_args__ = (CheckConstraint("count > 0", name="count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    count: Mapped[int] = mapped_column()
    scan_filename: Mapped[str] = mapped_column(String(80))
    scan_content_type: Mapped[str] = mapped_column(String(40))
    scan_size: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="paper_batches")
    registered_by: Mapped[User | None] = relationship()


class InitiativeMeasure(db.Model):
    """What the municipality did as a result of the council's decision; dated, public."""

    __tablename__ = "initiative_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    carried_out_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="measures")
