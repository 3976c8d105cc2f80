"""Reports of accessibility problems with the site, from anyone, followed up by the admins."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class AccessibilityReport(db.Model):
    """A problem with the site's accessibility, reported by anyone; admins follow it up."""

    __tablename__ = "accessibility_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Where the problem is: an address on the site or the person's own words.
    page: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text)
    # Where to answer: the account's address, or one a visitor gave (optional).
    email: Mapped[str | None] = mapped_column(String(254))
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    @property
    def handled(self) -> bool:
        return self.handled_at is not None

    def __repr__(self) -> str:
        return f"<AccessibilityReport {self.id}>"
