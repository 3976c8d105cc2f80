"""Comments with one level of replies."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation, User, enum_column
from app.core.db import UTCDateTime, utcnow
from app.extensions import db
from app.ideas.models import Idea


class CommentVisibility(enum.StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"
    DELETED = "deleted"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_idea_created", "idea_id", "created_at"),
        # The duplicate check: the same person's comments in the last hour.
        Index("ix_comments_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    visibility: Mapped[CommentVisibility] = mapped_column(
        enum_column(CommentVisibility), default=CommentVisibility.VISIBLE
    )
    # The public reason shown in the placeholder while a moderator has the comment hidden.
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    idea: Mapped[Idea] = relationship()
    author: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    parent: Mapped["Comment | None"] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list["Comment"]] = relationship(
        back_populates="parent", order_by="Comment.created_at"
    )

    @property
    def is_visible(self) -> bool:
        return self.visibility == CommentVisibility.VISIBLE

    @property
    def is_hidden(self) -> bool:
        return self.visibility == CommentVisibility.HIDDEN

    @property
    def is_deleted(self) -> bool:
        return self.visibility == CommentVisibility.DELETED

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    def __repr__(self) -> str:
        return f"<Comment {self.id} on idea {self.idea_id}>"
