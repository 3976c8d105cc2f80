"""Count (and keep) the SQL statements run inside a block: the benchmark and tests/perf use it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from app.extensions import db


@dataclass
class QueryLog:
    statements: list[tuple[str, object]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return "\n".join(f"{n}. {sql.strip()[:300]}" for n, (sql, _) in enumerate(self.statements, 1))


@contextmanager
def count_queries(engine=None) -> Iterator[QueryLog]:
    """Every statement sent to the database (of the app in context) while the block runs."""
    engine = engine or db.engine
    log = QueryLog()

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        log.statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
