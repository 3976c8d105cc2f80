"""Full-text search over ideas: a Norwegian tsvector on PostgreSQL, FTS5 on SQLite.

install_search() creates the search objects (tests and migrations call the same code);
matches() gives a subquery of (idea_id, relevance) for a search text, on either database;
condition() is the filter and by_relevance() the list's order, which ranks a bounded set.
The objects' names start with search_/ix_search_ or contain _fts, so Alembic ignores them.
"""

import re

from flask import current_app
from sqlalchemy import (
    REAL,
    Connection,
    Integer,
    Select,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
    union_all,
)

from app.core.schema import install_fulltext
from app.ideas.models import Idea

PG_CONFIG = "norwegian"

_PG_STEPS = (
    # Title weighs more than the description; the column follows every change by itself.
    f"""ALTER TABLE ideas ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('{PG_CONFIG}', coalesce(title, '')), 'A') ||
            setweight(to_tsvector('{PG_CONFIG}', coalesce(body, '')), 'B')
        ) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_search_ideas ON ideas USING gin (search_vector)",
)

_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE ideas_fts USING fts5("
    "title, body, content='ideas', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')"
)
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS ideas_fts_insert AFTER INSERT ON ideas BEGIN
        INSERT INTO ideas_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS ideas_fts_delete AFTER DELETE ON ideas BEGIN
        INSERT INTO ideas_fts(ideas_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END""",
    # Only title and body feed the index, so counter updates never touch it.
    """CREATE TRIGGER IF NOT EXISTS ideas_fts_update AFTER UPDATE OF title, body ON ideas BEGIN
        INSERT INTO ideas_fts(ideas_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO ideas_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
)


def install_search(connection: Connection) -> None:
    """Create the search column/index (PostgreSQL) or FTS5 table and triggers (SQLite).

    Idempotent: running it again changes nothing; on SQLite a newly created index is
    filled from the ideas already there.
    """
    install_fulltext(connection, "ideas_fts", _PG_STEPS, _SQLITE_TABLE, _SQLITE_TRIGGERS)


# --- query side -------------------------------------------------------------------------

# Words too common to say anything about an idea (a short Norwegian stop list).
STOP_WORDS = frozenset(
    ["og", "i", "jeg", "det", "at", "en", "et", "den", "til", "er", "som", "på", "de", "med", "han", "av", "ikke", "der", "så", "var", "meg", "seg", "men", "ett", "har", "om", "vi", "min", "mitt", "ha", "hadde", "hun", "nå", "over", "da", "ved", "fra", "du", "ut", "sin", "dem", "oss", "opp", "man", "kan", "hans", "hvor", "eller", "hva", "skal", "selv", "her", "alle", "vil", "bli", "ble", "blitt", "kunne", "inn", "når", "være", "kom", "noen", "noe", "ville", "dere", "deres", "kun", "ja", "etter", "ned", "skulle", "denne", "for", "deg", "si", "sine", "sitt", "mot", "å", "hvorfor", "dette", "disse", "uten", "hvordan", "ingen", "din", "ditt", "blir", "samme", "hvilken", "hvilke", "inni", "mellom", "vår", "hver", "hvem", "hvis", "både", "bare", "enn", "fordi", "før", "mange", "også", "slik", "vært", "begge", "siden", "mer", "mye", "få", "nok", "litt", "veldig", "eg", "ein", "eit", "dei", "dykk", "ikkje", "me", "vere"]
)

# Endings of Norwegian nouns, verbs and adjectives, longest first (after Snowball's step 1).
_SUFFIXES = sorted(
    ["hetenes", "hetene", "hetens", "heten", "heter", "endes", "ande", "ende", "edes", "enes", "erte", "ede", "ane", "ene", "ens", "ers", "ets", "het", "ast", "ert", "en", "ar", "er", "as", "es", "et", "a", "e", "s"],
    key=len,
    reverse=True,
)
TITLE_WEIGHT = 5.0
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_STEM = 3


def words(text_: str | None) -> list[str]:
    return [w.lower() for w in _WORD.findall(text_ or "") if not w.isdigit() or len(w) > 1]


def stem(word: str) -> str:
    """A light Norwegian stem: "skoleveier" and "skoleveien" both give "skolevei"."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def _meaningful(text_: str | None) -> list[str]:
    found = words(text_)
    kept = [w for w in found if w not in STOP_WORDS]
    return kept or found


def _fts5_query(terms: list[str], operator: str) -> str:
    # Each stem quoted (so no FTS5 syntax leaks in) and matched as a prefix.
    quoted = ['"' + stem(term).replace('"', "") + '"*' for term in dict.fromkeys(terms)]
    return f" {operator} ".join(quoted)


def _pg_or_query(terms: list[str], prefix_last: bool) -> str:
    terms = list(dict.fromkeys(terms))
    parts = [term.replace("'", "") for term in terms]
    if prefix_last and parts:
        parts[-1] = parts[-1] + ":*"
    return " | ".join(parts)


def matches(text_: str | None, *, any_word: bool = False, prefix_last: bool = False):
    """A subquery of (idea_id, relevance) for ideas matching the text, or None for no words.

    All words must match unless any_word (the similar-idea lookup, ranked by how many
    match). Higher relevance is better on both databases.

    With any_word, a sentence's common words match a quarter of all ideas, and ranking reads
    each match's text: only the SIMILAR_CANDIDATES newest matches are ranked (the primary key
    walked backwards, so it stops early; 146 → 22 ms at 100,000 ideas on PostgreSQL).
    """
    from app.extensions import db

    terms = _meaningful(text_)
    if not terms:
        return None
    bound = max(1, int(current_app.config.get("SIMILAR_CANDIDATES", 5000))) if any_word else None
    if db.engine.dialect.name == "postgresql":
        vector = literal_column("ideas.search_vector")
        if any_word:
            query = func.to_tsquery(PG_CONFIG, _pg_or_query(terms[:30], prefix_last))
        else:
            query = func.websearch_to_tsquery(PG_CONFIG, text_ or "")
        stmt: Select = select(
            Idea.id.label("idea_id"), func.ts_rank(vector, query).label("relevance")
        ).where(vector.op("@@")(query))
        if bound is not None:
            stmt = stmt.order_by(Idea.id.desc()).limit(bound)
        return stmt.subquery("search")
    fts = table("ideas_fts", column("rowid"))
    expression = _fts5_query(terms[:30], "OR" if any_word else "AND")
    # bm25 is lower for better matches; a word in the title counts five times one in the body.
    bm25 = func.bm25(literal_column("ideas_fts"), TITLE_WEIGHT, 1.0)
    stmt = select(fts.c.rowid.label("idea_id"), (-bm25).label("relevance")).where(
        literal_column("ideas_fts").op("MATCH")(expression)
    )
    if bound is not None:
        stmt = stmt.order_by(fts.c.rowid.desc()).limit(bound)
    return stmt.subquery("search")


def _pg_query(text_: str):
    return func.websearch_to_tsquery(PG_CONFIG, text_)


def _fts():
    return table("ideas_fts", column("rowid"))


def condition(text_: str | None):
    """The WHERE clause "the idea matches the search text", or None for no words.

    PostgreSQL: websearch_to_tsquery (quotes, -word, or) on the idea's own row, read through
    the GIN index; SQLite: every word's stem as a prefix, from the FTS5 index.
    """
    terms = _meaningful(text_)
    if not terms:
        return None
    from app.extensions import db

    if db.engine.dialect.name == "postgresql":
        return literal_column("ideas.search_vector").op("@@")(_pg_query(text_ or ""))
    fts = _fts()
    return Idea.id.in_(
        select(fts.c.rowid).where(literal_column("ideas_fts").op("MATCH")(_fts5_query(terms[:30], "AND")))
    )


# Sorts the ranked candidates above every idea id (ids are PostgreSQL/SQLite integers).
_ABOVE_EVERY_ID = 2**31 - 1


def by_relevance(stmt: Select, text_: str | None) -> Select | None:
    """`stmt` (ids of the ideas that pass the filters, the search included) in relevance order.

    Ranking reads every match's text, so only a bounded set is ranked: the SEARCH_CANDIDATES
    newest matches (the primary key walked backwards, so a common word stops early), best
    first; the older matches follow, newest first. A small match set is ranked whole, the
    count stays exact and every match is on some page. None when the text has no words.

    Two parts of one UNION ALL, each in the outer order already (tier, relevance, id): on
    PostgreSQL a Merge Append that stops at the page, so a common word reads a few hundred
    rows, not every match. SQLite takes no ORDER BY inside a UNION's parts and sorts the union.
    """
    terms = _meaningful(text_)
    if not terms:
        return None
    from app.extensions import db

    limit = max(1, int(current_app.config.get("SEARCH_CANDIDATES", 300)))

    # A CTE: both parts read the candidates, the database finds them once.
    newest = stmt.order_by(Idea.id.desc()).limit(limit).cte("search_candidates")
    candidates = select(newest.c.id)
    oldest_candidate = select(func.min(newest.c.id)).scalar_subquery()
    if db.engine.dialect.name == "postgresql":
        rank = func.ts_rank(literal_column("ideas.search_vector"), _pg_query(text_ or ""))
        ranked = select(Idea.id).where(Idea.id.in_(candidates))
    else:
        # bm25 is lower for better matches and reads the FTS5 row of the same query's MATCH.
        fts = _fts()
        rank = -func.bm25(literal_column("ideas_fts"), TITLE_WEIGHT, 1.0)
        # The rowid bound lets FTS5 read only the newest part of each word's list.
        ranked = select(Idea.id).join(fts, fts.c.rowid == Idea.id).where(
            literal_column("ideas_fts").op("MATCH")(_fts5_query(terms[:30], "AND")),
            fts.c.rowid >= oldest_candidate,
            Idea.id.in_(candidates),
        )
    top = ranked.with_only_columns(
        Idea.id.label("id"), literal_column(str(_ABOVE_EVERY_ID), Integer).label("tier"), rank.label("relevance")
    )
    # Fewer candidates than the limit are every match: the older part is then skipped unread.
    every_match_ranked = select(func.count()).select_from(newest).scalar_subquery() < limit
    rest = stmt.where(~every_match_ranked, Idea.id < oldest_candidate).with_only_columns(
        Idea.id.label("id"), Idea.id.label("tier"), cast(literal_column("0"), REAL).label("relevance")
    )
    if db.engine.dialect.name == "postgresql":
        top = top.order_by(literal_column("tier").desc(), literal_column("relevance").desc(), Idea.id.desc())
        rest = rest.order_by(Idea.id.desc())
        both = union_all(top, rest).subquery("search_ranked")
        return select(both.c.id).order_by(both.c.tier.desc(), both.c.relevance.desc(), both.c.id.desc())
    # SQLite merges a compound SELECT's parts by its own ORDER BY, reading the older part
    # through the primary key backwards; the first column is the idea's id.
    return union_all(top, rest).order_by(
        literal_column("tier").desc(), literal_column("relevance").desc(), literal_column("id").desc()
    )
