"""Counts over every visible idea, kept current by the database in the transaction that changes them.

The table `idea_counts` holds one number per (kind, key): visible ideas per status, service area,
SDG and organisation, the totals of visible ideas, their votes and comments, and what the SDG
overview shows (counted ideas and their votes per goal, counted ideas per goal and service area;
"counted" leaves withdrawn and merged ideas out, as app/portfolio/queries.py does). Triggers on
`ideas` and `idea_sdgs`, on PostgreSQL and SQLite alike, add the difference a row makes
(`INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`, row-locked, in one statement sorted by
key). On PostgreSQL the row triggers only note the differences in `idea_count_pending`, and a
deferred trigger adds a transaction's notes at its commit: the counts' rows are the last locks a
writer takes, all in one sorted statement, so they never deadlock with the row locks the services
take in their own order (tests/moderation/test_attack_deadlocks.py). So every write counts, the ORM's,
bulk UPDATE/DELETE statements' and raw SQL's; only TRUNCATE and writes with triggers switched
off (bench/seed.py's COPY) pass by, and those call rebuild().

install_counts() creates the triggers (tests and the migration call the same code); rebuild()
counts afresh; drift() says what differs from a fresh count; read() is what pages use.
"""

from collections.abc import Iterable

from flask import g, has_request_context
from sqlalchemy import Column, Connection, Integer, String, Table, and_, event, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.types import BigInteger

from app.accounts.models import Organisation
from app.extensions import db

idea_counts = Table(
    "idea_counts",
    db.metadata,
    Column("kind", String(20), primary_key=True),
    # A status value, an id or number, "goal:service area" for goal_area, "" for the totals.
    Column("key", String(40), primary_key=True, default=""),
    Column("n", BigInteger().with_variant(Integer, "sqlite"), nullable=False, default=0),
)

# PostgreSQL: what a transaction's rows add, noted by the row triggers without taking any lock
# others wait for, and added to idea_counts when it commits (one sorted statement per transaction,
# so the counts' rows are the last locks a writer takes: no deadlock with the row locks the
# services take in their own order).
idea_count_pending = Table(
    "idea_count_pending",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("txid", BigInteger().with_variant(Integer, "sqlite"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("key", String(40), nullable=False),
    Column("n", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
)

# What the idea list and the site totals read; what the SDG overview reads.
LIST_KINDS = ("ideas", "votes", "comments", "status", "service_area", "sdg", "organisation")
GOAL_KINDS = ("goal", "goal_votes", "goal_area")
KINDS = LIST_KINDS + GOAL_KINDS

_VISIBLE = "{r}.visibility = 'visible'"
_COUNTED = "{r}.visibility = 'visible' AND {r}.status NOT IN ('withdrawn', 'merged')"

# (kind, key, amount, condition) for an idea row {r}.
_IDEA_PARTS = (
    ("ideas", "''", "1", _VISIBLE),
    ("votes", "''", "{r}.vote_count", _VISIBLE),
    ("comments", "''", "{r}.comment_count", _VISIBLE),
    ("status", "CAST({r}.status AS TEXT)", "1", _VISIBLE),
    ("service_area", "CAST({r}.service_area_id AS TEXT)", "1", _VISIBLE),
    ("organisation", "CAST({r}.organisation_id AS TEXT)", "1",
     _VISIBLE + " AND {r}.organisation_id IS NOT NULL"),
)
# The same for one goal {s} of the idea {r}.
_GOAL_PARTS = (
    ("sdg", "CAST({s}.sdg_number AS TEXT)", "1", _VISIBLE),
    ("goal", "CAST({s}.sdg_number AS TEXT)", "1", _COUNTED),
    ("goal_votes", "CAST({s}.sdg_number AS TEXT)", "{r}.vote_count", _COUNTED),
    ("goal_area", "CAST({s}.sdg_number AS TEXT) || ':' || CAST({r}.service_area_id AS TEXT)", "1", _COUNTED),
)
# A change of these columns moves a count.
_COLUMNS = ("visibility", "status", "service_area_id", "organisation_id", "vote_count", "comment_count")


def _select(kind: str, key: str, amount: str, condition: str, sign: str, source: str = "",
            **names) -> str:
    fill = {k: v for k, v in names.items()}
    return (f"SELECT '{kind}' AS kind, {key.format(**fill)} AS key, {sign}({amount.format(**fill)}) AS n"
            f"{source} WHERE {condition.format(**fill)}")


def _idea_parts(row: str, sign: str) -> list[str]:
    """What the idea row `row` (new/old) adds: its own counts and those of each of its goals."""
    parts = [_select(k, key, amount, cond, sign, r=row) for k, key, amount, cond in _IDEA_PARTS]
    parts += [
        _select(k, key, amount, cond + " AND s.idea_id = {r}.id", sign, " FROM idea_sdgs s", r=row, s="s")
        for k, key, amount, cond in _GOAL_PARTS
    ]
    return parts


def _link_parts(link: str, sign: str) -> list[str]:
    """What the idea–goal row `link` adds, for the idea as it stands now."""
    return [
        _select(k, key, amount, cond + " AND i.id = {s}.idea_id", sign, " FROM ideas i", r="i", s=link)
        for k, key, amount, cond in _GOAL_PARTS
    ]


def _note(parts: list[str]) -> str:
    """PostgreSQL: one statement noting the parts' sums for this transaction (no shared lock)."""
    return (
        "INSERT INTO idea_count_pending (txid, kind, key, n) SELECT txid_current(), kind, key, SUM(n) FROM ("
        + " UNION ALL ".join(parts)
        + ") AS d WHERE true GROUP BY kind, key HAVING SUM(n) <> 0"
    )


_FLUSH = (
    "WITH moved AS (DELETE FROM idea_count_pending WHERE txid = txid_current() RETURNING kind, key, n) "
    "INSERT INTO idea_counts (kind, key, n) SELECT kind, key, SUM(n) FROM moved WHERE true "
    "GROUP BY kind, key HAVING SUM(n) <> 0 ORDER BY kind, key "
    "ON CONFLICT (kind, key) DO UPDATE SET n = idea_counts.n + excluded.n"
)


def _upsert(parts: list[str]) -> str:
    """SQLite (one writer at a time): one statement adding the parts' sums, in key order."""
    return (
        "INSERT INTO idea_counts (kind, key, n) SELECT kind, key, SUM(n) FROM ("
        + " UNION ALL ".join(parts)
        + ") AS d WHERE true GROUP BY kind, key HAVING SUM(n) <> 0 ORDER BY kind, key "
        "ON CONFLICT (kind, key) DO UPDATE SET n = idea_counts.n + excluded.n"
    )


# Before an idea goes, its goals go first (through their own trigger, while the idea is there
# to be read), whether the ORM, a cascade or a plain DELETE removes it.
_ON_INSERT = _upsert(_idea_parts("NEW", "+"))
_ON_UPDATE = _upsert(_idea_parts("OLD", "-") + _idea_parts("NEW", "+"))
_ON_DELETE = _upsert(_idea_parts("OLD", "-"))
_UNLINK = "DELETE FROM idea_sdgs WHERE idea_id = OLD.id"
_ON_LINK = _upsert(_link_parts("NEW", "+"))
_ON_UNLINK = _upsert(_link_parts("OLD", "-"))
_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _COLUMNS)
_CHANGED_SQLITE = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _COLUMNS)

_PG_FUNCTIONS = {
    "idea_counts_insert": _note(_idea_parts("NEW", "+")),
    "idea_counts_update": _note(_idea_parts("OLD", "-") + _idea_parts("NEW", "+")),
    "idea_counts_delete": _UNLINK + ";\n" + _note(_idea_parts("OLD", "-")),
    "idea_counts_link": _note(_link_parts("NEW", "+")),
    "idea_counts_unlink": _note(_link_parts("OLD", "-")),
    "idea_counts_flush": _FLUSH,
}
_PG_TRIGGERS = (
    ("idea_counts_insert", "AFTER INSERT ON ideas FOR EACH ROW"),
    ("idea_counts_update", f"AFTER UPDATE ON ideas FOR EACH ROW WHEN ({_CHANGED})"),
    ("idea_counts_delete", "BEFORE DELETE ON ideas FOR EACH ROW"),
    ("idea_counts_link", "AFTER INSERT ON idea_sdgs FOR EACH ROW"),
    ("idea_counts_unlink", "AFTER DELETE ON idea_sdgs FOR EACH ROW"),
    # At commit (deferred): the transaction's noted sums go into idea_counts. The first firing
    # moves them all; the others find nothing.
    ("idea_counts_flush", "AFTER INSERT ON idea_count_pending DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"),
)
_SQLITE_TRIGGERS = (
    ("idea_counts_insert", "AFTER INSERT ON ideas", _ON_INSERT),
    ("idea_counts_update", f"AFTER UPDATE ON ideas WHEN {_CHANGED_SQLITE}", _ON_UPDATE),
    ("idea_counts_delete", "BEFORE DELETE ON ideas", _UNLINK + ";\n" + _ON_DELETE),
    ("idea_counts_link", "AFTER INSERT ON idea_sdgs", _ON_LINK),
    ("idea_counts_unlink", "AFTER DELETE ON idea_sdgs", _ON_UNLINK),
)
TRIGGERS = tuple(name for name, _ in _PG_TRIGGERS)


def install_counts(connection: Connection) -> None:
    """Create (or replace) the triggers; fills the table when it has no trigger yet.

    Idempotent. The table itself comes from create_all() or the migration.
    """
    dialect = connection.dialect.name
    if dialect == "postgresql":
        fresh = connection.execute(text(
            "SELECT 1 FROM pg_trigger WHERE tgname = 'idea_counts_insert' AND NOT tgisinternal"
        )).first() is None
        for name, body in _PG_FUNCTIONS.items():
            returns = "OLD" if name in ("idea_counts_delete",) else "NULL"
            connection.execute(text(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{body};\nRETURN {returns};\nEND $$"
            ))
        for name, when in _PG_TRIGGERS:
            table = _table_of(when)
            kind = "CONSTRAINT TRIGGER" if "DEFERRED" in when else "TRIGGER"
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            connection.execute(text(f"CREATE {kind} {name} {when} EXECUTE FUNCTION {name}()"))
    elif dialect == "sqlite":
        fresh = connection.execute(text(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'idea_counts_insert'"
        )).first() is None
        for name, when, body in _SQLITE_TRIGGERS:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            connection.execute(text(f"CREATE TRIGGER {name} {when} BEGIN\n{body};\nEND"))
    else:  # pragma: no cover
        return
    if fresh:
        rebuild(connection)


def _table_of(when: str) -> str:
    return when.split(" ON ", 1)[1].split()[0]


def drop_counts(connection: Connection) -> None:
    """Remove the triggers (and PostgreSQL's functions): the migration's downgrade."""
    for name, when in _PG_TRIGGERS:
        table = _table_of(when)
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            connection.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
        else:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def _fresh_parts() -> list[str]:
    """The counts over every row, as SELECTs of (kind, key, n)."""
    parts = [
        f"SELECT '{kind}' AS kind, {key.format(r='r')} AS key, {amount.format(r='r')} AS n "
        f"FROM ideas r WHERE {cond.format(r='r')}"
        for kind, key, amount, cond in _IDEA_PARTS
    ]
    parts += [
        f"SELECT '{kind}' AS kind, {key.format(r='r', s='s')} AS key, {amount.format(r='r')} AS n "
        f"FROM idea_sdgs s JOIN ideas r ON r.id = s.idea_id WHERE {cond.format(r='r')}"
        for kind, key, amount, cond in _GOAL_PARTS
    ]
    return parts


def fresh(connection: Connection) -> dict[tuple[str, str], int]:
    """Every count as a count over the whole table would give it (non-zero ones only)."""
    rows = connection.execute(text(
        "SELECT kind, key, SUM(n) FROM (" + " UNION ALL ".join(_fresh_parts())
        + ") AS d GROUP BY kind, key HAVING SUM(n) <> 0"
    ))
    return {(kind, key): int(n) for kind, key, n in rows}


def stored(connection: Connection) -> dict[tuple[str, str], int]:
    """The table's counts (non-zero ones only)."""
    rows = connection.execute(select(idea_counts.c.kind, idea_counts.c.key, idea_counts.c.n))
    return {(kind, key): int(n) for kind, key, n in rows if n}


def rebuild(connection: Connection) -> int:
    """Count everything afresh into the table (locks it meanwhile); returns the rows written."""
    if connection.dialect.name == "postgresql":
        # Writers wait, so no change lands between the count and the write.
        connection.execute(text("LOCK TABLE idea_counts IN EXCLUSIVE MODE"))
    connection.execute(idea_counts.delete())
    counted = fresh(connection)
    if counted:
        connection.execute(
            idea_counts.insert(),
            [{"kind": kind, "key": key, "n": n} for (kind, key), n in sorted(counted.items())],
        )
    return len(counted)


def drift(connection: Connection) -> dict[tuple[str, str], tuple[int, int]]:
    """{(kind, key): (stored, fresh)} for every count that differs; empty when all is right."""
    have, want = stored(connection), fresh(connection)
    return {
        key: (have.get(key, 0), want.get(key, 0))
        for key in sorted(set(have) | set(want))
        if have.get(key, 0) != want.get(key, 0)
    }


_READ = "medvirk_idea_counts"
_NAMES = "organisation names"  # kept next to the kinds: no kind is called that


def read(kinds: Iterable[str] = LIST_KINDS) -> dict[str, dict[str, int]]:
    """{kind: {key: n}} for these kinds: one small query, kept for the rest of the request
    (until the request's session writes). With "organisation", the same query reads each
    organisation's name (organisations() gives them)."""
    kinds = tuple(kinds)
    held = _held()
    _read([kind for kind in kinds if kind not in held], held)
    return {kind: held[kind] for kind in kinds}


def organisations() -> list[tuple[int, str, int]]:
    """(id, name, visible ideas) of every organisation with a visible idea, by name: read with
    the other counts (one statement for the idea list's counts and its organisation filter)."""
    held = _held()
    if _NAMES not in held:
        _read(["organisation"], held)
    return list(held[_NAMES])


def _held() -> dict:
    return g.setdefault(_READ, {}) if has_request_context() else {}


def _read(kinds: list[str], held: dict) -> None:
    if not kinds:
        return
    found: dict[str, dict[str, int]] = {kind: {} for kind in kinds}
    columns = [idea_counts.c.kind, idea_counts.c.key, idea_counts.c.n]
    stmt = select(*columns).where(idea_counts.c.kind.in_(kinds))
    names = None
    if "organisation" in kinds:
        organisation = Organisation.__table__.c
        stmt = (
            select(*columns, organisation.id, organisation.name)
            .outerjoin(Organisation.__table__, and_(
                idea_counts.c.kind == "organisation",
                idea_counts.c.key == func.cast(organisation.id, String),
            ))
            .where(idea_counts.c.kind.in_(kinds))
            .order_by(organisation.name)
        )
        names = []
    for row in db.session.execute(stmt):
        kind, key, n = row[0], row[1], int(row[2])
        found[kind][key] = n
        if names is not None and row[3] is not None and n > 0:
            names.append((row[3], row[4], n))
    held.update(found)
    if names is not None:
        held[_NAMES] = names


@event.listens_for(Session, "after_flush")
def _forget_read(_session, _context) -> None:
    """A write in the request: what read() kept may be behind it."""
    if has_request_context():
        g.pop(_READ, None)
