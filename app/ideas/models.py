"""Ideas and what hangs on them: SDGs, images, votes, endorsements, the public status history."""

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation, User, enum_column
from app.core.db import UTCDateTime, utcnow
from app.core.models import Sdg, ServiceArea
from app.extensions import db


class IdeaStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"


class Visibility(enum.StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"


# The idea lifecycle of DESIGN.md, in one table used by views, API, CLI and tests alike.
# withdrawn is the author's own move and is listed separately.
STAFF_TRANSITIONS: dict[IdeaStatus, frozenset[IdeaStatus]] = {
    IdeaStatus.SUBMITTED: frozenset(
        {IdeaStatus.UNDER_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.DECLINED, IdeaStatus.MERGED}
    ),
    IdeaStatus.UNDER_REVIEW: frozenset(
        {IdeaStatus.ACCEPTED, IdeaStatus.DECLINED, IdeaStatus.MERGED}
    ),
    IdeaStatus.ACCEPTED: frozenset({IdeaStatus.IN_PROGRESS}),
    IdeaStatus.IN_PROGRESS: frozenset({IdeaStatus.IMPLEMENTED}),
    IdeaStatus.IMPLEMENTED: frozenset(),
    IdeaStatus.DECLINED: frozenset(),
    IdeaStatus.MERGED: frozenset(),
    IdeaStatus.WITHDRAWN: frozenset(),
}
AUTHOR_TRANSITIONS: dict[IdeaStatus, frozenset[IdeaStatus]] = {
    IdeaStatus.SUBMITTED: frozenset({IdeaStatus.WITHDRAWN}),
}
EXPLANATION_REQUIRED = frozenset({IdeaStatus.ACCEPTED, IdeaStatus.DECLINED, IdeaStatus.MERGED})
VOTING_OPEN = frozenset({IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW})


idea_sdgs = Table(
    "idea_sdgs",
    db.metadata,
    Column("idea_id", Integer, ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("sdg_number", Integer, ForeignKey("sdgs.number"), primary_key=True, index=True),
)


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        # The list pages: visible ideas by the sort keys, and filters by status and topic.
        Index("ix_ideas_visible_created_id", "visibility", "created_at", "id"),
        Index("ix_ideas_visible_votes", "visibility", "vote_count", "id"),
        Index("ix_ideas_visible_comments", "visibility", "comment_count", "id"),
        Index("ix_ideas_status_visible", "status", "visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"), index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    status: Mapped[IdeaStatus] = mapped_column(
        enum_column(IdeaStatus), default=IdeaStatus.SUBMITTED, index=True
    )
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.VISIBLE, index=True
    )
    # Kept exact by the services with atomic UPDATE ... SET n = n + 1 in the same transaction.
    vote_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    endorsement_count: Mapped[int] = mapped_column(default=0)
    # The public reason shown in the placeholder while a moderator has the idea hidden.
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"), index=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when staff first change the status; the author can no longer edit after that.
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship()
    service_area: Mapped[ServiceArea] = relationship()
    sdgs: Mapped[list[Sdg]] = relationship(secondary=idea_sdgs, order_by=Sdg.number)
    images: Mapped[list["IdeaImage"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", order_by="IdeaImage.position"
    )
    status_changes: Mapped[list["StatusChange"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", order_by="StatusChange.created_at"
    )
    merged_into: Mapped["Idea | None"] = relationship(remote_side=[id])

    @property
    def is_visible(self) -> bool:
        return self.visibility == Visibility.VISIBLE

    @property
    def voting_open(self) -> bool:
        return self.status in VOTING_OPEN and self.is_visible

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.title!r}>"


class IdeaImage(db.Model):
    """An uploaded picture, re-encoded without metadata; stored by its content hash."""

    __tablename__ = "idea_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    alt_text: Mapped[str] = mapped_column(String(300), default="")
    decorative: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="images")


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("idea_id", "user_id"),
        # "Trending": votes per idea in the last 14 days.
        Index("ix_votes_created_idea", "created_at", "idea_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Endorsement(db.Model):
    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("idea_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    endorsed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class StatusChange(db.Model):
    """An idea's public history; the explanation is the municipality's official answer."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[IdeaStatus | None] = mapped_column(enum_column(IdeaStatus, name="from_ideastatus"))
    to_status: Mapped[IdeaStatus] = mapped_column(enum_column(IdeaStatus))
    explanation: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="status_changes")
    changed_by: Mapped[User | None] = relationship()
