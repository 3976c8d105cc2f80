"""What a schema needs beyond create_all(): the fixed reference data (and search indexes).

Used by the migrations and by the tests, so both build the same database.
"""

from sqlalchemy import Connection, insert, select

from app.core.models import Sdg
from app.core.sdg_data import SDGS

# Later domains append functions taking a Connection (e.g. full-text search objects).
EXTRA_SCHEMA_STEPS: list = []


def install_reference_data(connection: Connection) -> None:
    present = set(connection.scalars(select(Sdg.number)))
    missing = [goal for goal in SDGS if goal["number"] not in present]
    if missing:
        connection.execute(insert(Sdg), missing)
    for step in EXTRA_SCHEMA_STEPS:
        step(connection)
