"""Reference data every domain uses: the SDGs and the municipality's structure.

The structure (municipal areas and their service areas) is edited by admins through
portfolio/services.py; it lives here because ideas, projects and staff all point at it.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.core.i18n import localised, localised_all
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
        return localised(self, "name")

    @property
    def text_colour(self) -> str:
        return _contrast_text(self.colour)

    def __repr__(self) -> str:
        return f"<Sdg {self.number}>"


NAME_LENGTH = 120


class LocalisedName:
    """A name staff give in bokmål (required) and optionally nynorsk and English.

    The bokmål name is the column `name` (so the uniqueness rules, the bench loader and raw
    SQL keep working); `obj.name` reads the current language's name, falling back to bokmål,
    so every page and e-mail shows the reader's language without asking. In a query,
    `Model.name` is the bokmål column. Setting `name` sets the bokmål name.
    """

    name_nn: Mapped[str] = mapped_column(String(NAME_LENGTH), default="", server_default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH), default="", server_default="")

    @hybrid_property
    def name(self) -> str:
        return localised(self, "name")

    @name.inplace.setter
    def _name_setter(self, value: str) -> None:
        self.name_nb = value

    @name.inplace.expression
    @classmethod
    def _name_expression(cls):
        return cls.name_nb

    @property
    def names(self) -> dict[str, str | None]:
        return localised_all(self, "name")


class MunicipalArea(LocalisedName, db.Model):
    """Kommunalområde: a top-level sector of the municipal organisation."""

    __tablename__ = "municipal_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_nb: Mapped[str] = mapped_column("name", String(NAME_LENGTH), unique=True)
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
        return f"<MunicipalArea {self.name_nb!r}>"


class ServiceArea(LocalisedName, db.Model):
    """Virksomhetsområde: a service within a municipal area; the topic of an idea."""

    __tablename__ = "service_areas"
    __table_args__ = (UniqueConstraint("municipal_area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipal_area_id: Mapped[int] = mapped_column(ForeignKey("municipal_areas.id"), index=True)
    name_nb: Mapped[str] = mapped_column("name", String(NAME_LENGTH))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    municipal_area: Mapped[MunicipalArea] = relationship(back_populates="service_areas")

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<ServiceArea {self.name_nb!r}>"
