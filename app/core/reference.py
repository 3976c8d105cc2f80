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
        areas = [copy_of(area) for area in db.session.scalars(
            select(MunicipalArea).order_by(MunicipalArea.position, MunicipalArea.name))]
        by_id = {area.id: area for area in areas}
        children: dict[int, list[ServiceArea]] = {area.id: [] for area in areas}
        for service_area in db.session.scalars(
            select(ServiceArea).order_by(ServiceArea.position, ServiceArea.name)
        ):
            children[service_area.municipal_area_id].append(copy_of(service_area))
        structure = []
        for area in areas:
            # Set through __dict__: assigning a relationship would wire up the back-references
            # and could cascade a copy into a session.
            area.__dict__["service_areas"] = children[area.id]
            for service_area in children[area.id]:
                service_area.__dict__["municipal_area"] = area
            structure.extend((service_area, by_id[area.id]) for service_area in children[area.id])
        goals = [copy_of(goal) for goal in db.session.scalars(select(Sdg).order_by(Sdg.number))]
        return {"areas": areas, "structure": structure, "goals": goals}

    return cache.remember(TOPIC, "reference", compute)


def areas() -> list[MunicipalArea]:
    """Every municipal area, retired ones too, in the municipality's order, each with its
    `service_areas` in theirs. Read-only copies: read their columns, `name` and `service_areas`."""
    return _reference()["areas"]


def structure() -> list[tuple[ServiceArea, MunicipalArea]]:
    """Every (service area, its municipal area), retired ones too, in the municipality's order.
    Read-only copies: read their columns and `name`, never their relationships."""
    return _reference()["structure"]


def goals() -> list[Sdg]:
    """The 17 goals in order, as read-only copies."""
    return _reference()["goals"]
