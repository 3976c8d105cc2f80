"""Ideas and what hangs on them: SDGs, images, votes, endorsements, the public status history."""

import enum
from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation, User, enum_column
from app.core.db import UTCDateTime, utcnow
from app.core.models import Sdg, ServiceArea
from app.extensions import db


class IdeaStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"


class Visibility(enum.StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"


# The idea lifecycle of DESIGN.md, in one table used by views, API, CLI and tests alike.
# withdrawn is the author's own move and is listed separately. An answered idea that is
# still to be delivered (accepted, planned, in progress) may be merged into another idea
# about the same thing.
STAFF_TRANSITIONS: dict[IdeaStatus, frozenset[IdeaStatus]] = {
    IdeaStatus.SUBMITTED: frozenset(
        {IdeaStatus.UNDER_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.DECLINED, IdeaStatus.MERGED}
    ),
    IdeaStatus.UNDER_REVIEW: frozenset(
        {IdeaStatus.ACCEPTED, IdeaStatus.DECLINED, IdeaStatus.MERGED}
    ),
    IdeaStatus.ACCEPTED: frozenset({IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS, IdeaStatus.MERGED}),
    IdeaStatus.PLANNED: frozenset({IdeaStatus.IN_PROGRESS, IdeaStatus.MERGED}),
    IdeaStatus.IN_PROGRESS: frozenset({IdeaStatus.IMPLEMENTED, IdeaStatus.MERGED}),
    IdeaStatus.IMPLEMENTED: frozenset(),
    IdeaStatus.DECLINED: frozenset(),
    IdeaStatus.MERGED: frozenset(),
    IdeaStatus.WITHDRAWN: frozenset(),
}
AUTHOR_TRANSITIONS: dict[IdeaStatus, frozenset[IdeaStatus]] = {
    IdeaStatus.SUBMITTED: frozenset({IdeaStatus.WITHDRAWN}),
}
# The statuses a linked project's phase gives an idea (app/portfolio/services.py,
# drive_linked_ideas): planned, in progress, completed. A cancelled project (or one moved
# back to proposed) returns the idea to the answer it had before any project drove it.
PROJECT_STATUSES = frozenset({IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED})
# The answers a project may hand an idea back to; declined, merged and withdrawn ideas are
# never moved by a project (nor are hidden ones).
PROJECT_RETURNS = frozenset(
    {IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.PLANNED,
     IdeaStatus.IN_PROGRESS}
)
PROJECT_MOVABLE = frozenset(PROJECT_RETURNS | PROJECT_STATUSES)
# The "system/project" moves, made by a project's phase on behalf of the staff member who
# changed it: from any status a project may move, to a project status or back to an answer.
PROJECT_TRANSITIONS: dict[IdeaStatus, frozenset[IdeaStatus]] = {
    status: frozenset((PROJECT_STATUSES | PROJECT_RETURNS) - {status}) for status in PROJECT_MOVABLE
}
EXPLANATION_REQUIRED = frozenset({IdeaStatus.ACCEPTED, IdeaStatus.DECLINED, IdeaStatus.MERGED})
# Support stays open while the idea can still be delivered (DESIGN.md, "Idea lifecycle").
VOTING_OPEN = frozenset(
    {IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.PLANNED,
     IdeaStatus.IN_PROGRESS}
)

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
        # The answer inbox: ideas nobody has answered yet, oldest first. Partial, so it stays as
        # small as the inbox, and SQLite no longer sorts every unanswered idea for a page.
        Index("ix_ideas_unanswered", "created_at", "id",
              postgresql_where=text("first_answered_at IS NULL"),
              sqlite_where=text("first_answered_at IS NULL")),
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
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
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
    # Made by a linked project's phase (PROJECT_TRANSITIONS), not by a staff answer: a
    # cancelled project hands the idea back to the status before the first such change.
    by_project: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="status_changes")
    changed_by: Mapped[User | None] = relationship()


# The counts table (app/ideas/counts.py), kept by triggers on ideas: emptied after the ideas when
# a test or the bench empties every table in dependency order, so no trigger writes into it then.
from app.ideas.counts import idea_counts  # noqa: E402

Idea.__table__.add_is_dependent_on(idea_counts)
