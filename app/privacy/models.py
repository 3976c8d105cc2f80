"""A person's data export, built at once or in the background, downloaded once."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, enum_column
from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class ExportStatus(enum.StrEnum):
    PENDING = "pending"
    READY = "ready"
    DOWNLOADED = "downloaded"
    EXPIRED = "expired"
    FAILED = "failed"


class DataExport(db.Model):
    """An export of one person's data (GDPR art. 15 and 20).

    Only the SHA-256 of the download token is stored; the link works once and expires.
    `requested_by_id` is the staff member who asked on the person's behalf, if any.
    """

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[ExportStatus] = mapped_column(
        enum_column(ExportStatus, 16), default=ExportStatus.PENDING, index=True
    )
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The ZIP file's name inside the export folder (instance/exports by default).
    filename: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
