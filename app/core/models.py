"""Reference data every domain uses: the SDGs and the municipality's structure.

The structure (municipal areas and their service areas) is edited by admins through
portfolio/services.py; it lives here because ideas, projects and staff all point at it.
"""

from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


def _contrast_text(hex_colour: str) -> str:
    """Black or white, whichever reads better on the colour (WCAG relative luminance)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#FFFFFF"


class Sdg(db.Model):
    __tablename__ = "sdgs"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    colour: Mapped[str] = mapped_column(String(7))
    name_nb: Mapped[str] = mapped_column(String(120))
    name_nn: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))

    @property
    def id(self) -> int:
        return self.number

    @property
    def name(self) -> str:
        locale = str(get_locale() or "nb")
        return getattr(self, f"name_{locale}", None) or self.name_nb

    @property
    def text_colour(self) -> str:
        return _contrast_text(self.colour)

    def __repr__(self) -> str:
        return f"<Sdg {self.number}>"


class MunicipalArea(db.Model):
    """Kommunalområde: a top-level sector of the municipal organisation."""

    __tablename__ = "municipal_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    service_areas: Mapped[list["ServiceArea"]] = relationship(
        back_populates="municipal_area", order_by="ServiceArea.position"
    )

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<MunicipalArea {self.name!r}>"


class ServiceArea(db.Model):
    """Virksomhetsområde: a service within a municipal area; the topic of an idea."""

    __tablename__ = "service_areas"
    __table_args__ = (UniqueConstraint("municipal_area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipal_area_id: Mapped[int] = mapped_column(ForeignKey("municipal_areas.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    municipal_area: Mapped[MunicipalArea] = relationship(back_populates="service_areas")

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<ServiceArea {self.name!r}>"
