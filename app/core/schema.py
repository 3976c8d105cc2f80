"""What a schema needs beyond create_all(): the fixed reference data (and search indexes).

Used by the migrations and by the tests, so both build the same database.
"""

from sqlalchemy import Connection, insert, select, text

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


def install_fulltext(
    connection: Connection, fts_table: str, pg_steps, sqlite_table: str, sqlite_triggers
) -> None:
    """A domain's full-text search objects: PostgreSQL column and index, or SQLite's FTS5 table
    with its triggers. Running it again changes nothing; on SQLite a new index is filled from
    the rows already there (no insert trigger yet means a new or re-created table)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        for statement in pg_steps:
            connection.execute(text(statement))
    elif dialect == "sqlite":
        def present(kind: str, name: str) -> bool:
            return connection.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = :kind AND name = :name"),
                {"kind": kind, "name": name},
            ).first() is not None

        if not present("table", fts_table):
            connection.execute(text(sqlite_table))
        fresh = not present("trigger", f"{fts_table}_insert")
        for statement in sqlite_triggers:
            connection.execute(text(statement))
        if fresh:
            connection.execute(text(f"INSERT INTO {fts_table}({fts_table}) VALUES ('rebuild')"))
