"""Reference data many pages show: the municipality's areas with their service areas, and the
UN Sustainable Development Goals.

They change a few times a year, so they are read once into the counts cache (app/core/cache.py)
as read-only copies that belong to no database session, and forgotten after the commit of any
change to them. A page that changes them reads them from the database as before.
"""

from sqlalchemy import inspect, select

from app.core import cache
from app.core.models import MunicipalArea, Sdg, ServiceArea
from app.extensions import db

TOPIC = "core_reference"
for _model in (MunicipalArea, ServiceArea, Sdg):
    cache.watch(_model, TOPIC)


def copy_of(row):
    """A transient copy of a row's columns (no session, no relationships loaded)."""
    return type(row)(**{attr.key: getattr(row, attr.key) for attr in inspect(type(row)).column_attrs})


def _reference() -> dict:
    def compute() -> dict:
        areas: dict[int, MunicipalArea] = {}
        structure = []
        for service_area, area in db.session.execute(
            select(ServiceArea, MunicipalArea).join(MunicipalArea)
            .order_by(MunicipalArea.position, MunicipalArea.name, ServiceArea.position, ServiceArea.name)
        ):
            if area.id not in areas:
                areas[area.id] = copy_of(area)
            structure.append((copy_of(service_area), areas[area.id]))
        goals = [copy_of(goal) for goal in db.session.scalars(select(Sdg).order_by(Sdg.number))]
        return {"structure": structure, "goals": goals}

    return cache.remember(TOPIC, "reference", compute)


def structure() -> list[tuple[ServiceArea, MunicipalArea]]:
    """Every (service area, its municipal area), retired ones too, in the municipality's order.
    Read-only copies: read their columns and `name`, never their relationships."""
    return _reference()["structure"]


def goals() -> list[Sdg]:
    """The 17 goals in order, as read-only copies."""
    return _reference()["goals"]
