"""Full-text search over projects, the same way as over ideas (app/ideas/search.py).

install_project_search() creates a Norwegian tsvector column and GIN index on PostgreSQL,
an FTS5 table with triggers on SQLite; it is idempotent and runs from
app.core.schema.EXTRA_SCHEMA_STEPS. The names start with search_/ix_search_ or contain
_fts, so Alembic's autogenerate leaves them alone.
"""

from sqlalchemy import Connection, column, func, literal_column, select, table

from app.core.schema import install_fulltext
from app.ideas.search import PG_CONFIG, STOP_WORDS, stem, words
from app.portfolio.models import Project

_PG_STEPS = (
    f"""ALTER TABLE projects ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('{PG_CONFIG}', coalesce(title, '')), 'A') ||
            setweight(to_tsvector('{PG_CONFIG}', coalesce(description, '')), 'B')
        ) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_search_projects ON projects USING gin (search_vector)",
)

_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE projects_fts USING fts5("
    "title, description, content='projects', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')"
)
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS projects_fts_insert AFTER INSERT ON projects BEGIN
        INSERT INTO projects_fts(rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
    """CREATE TRIGGER IF NOT EXISTS projects_fts_delete AFTER DELETE ON projects BEGIN
        INSERT INTO projects_fts(projects_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END""",
    # Progress and phase change often; only title and description feed the index.
    """CREATE TRIGGER IF NOT EXISTS projects_fts_update AFTER UPDATE OF title, description
        ON projects BEGIN
        INSERT INTO projects_fts(projects_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO projects_fts(rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
)


def install_project_search(connection: Connection) -> None:
    """Create the search objects for projects; running it again changes nothing."""
    install_fulltext(connection, "projects_fts", _PG_STEPS, _SQLITE_TABLE, _SQLITE_TRIGGERS)


def _terms(text_: str | None) -> list[str]:
    found = words(text_)
    kept = [w for w in found if w not in STOP_WORDS and len(w) > 1]
    return list(dict.fromkeys(kept or found))[:30]


def project_matches(text_: str | None):
    """A subquery of (project_id, relevance) for projects sharing any word with the text.

    Ranked by how well they match (higher is better on both databases); None when the
    text has no words.
    """
    from app.extensions import db

    terms = _terms(text_)
    if not terms:
        return None
    if db.engine.dialect.name == "postgresql":
        vector = literal_column("projects.search_vector")
        query = func.to_tsquery(
            PG_CONFIG, " | ".join(t.replace("'", "").replace("\\", "") for t in terms)
        )
        stmt = select(
            Project.id.label("project_id"), func.ts_rank(vector, query).label("relevance")
        ).where(vector.op("@@")(query))
        return stmt.subquery("project_search")
    fts = table("projects_fts", column("rowid"), column("rank"))
    expression = " OR ".join('"' + stem(t).replace('"', "") + '"*' for t in terms)
    stmt = select(fts.c.rowid.label("project_id"), (-fts.c.rank).label("relevance")).where(
        literal_column("projects_fts").op("MATCH")(expression)
    )
    return stmt.subquery("project_search")
