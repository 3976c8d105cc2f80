"""`python -m bench.page_queries`: SQL statements per request for every page of tests/perf's table.

Seeds the query-count tests' large seed (50 ideas, 600 votes, 50 comments, 50 projects, and
the initiatives, meetings, groups, systems and plan rows of bench/seed.py), requests each row
of PAGES in tests/perf/test_query_counts.py as its viewer (warm once, then counted, as the
test does) and prints one line per page: statements, status, viewer, path. Issue 17's budget is
8 statements per request; a row above it is marked.

    .venv/bin/python -m bench.page_queries                 # a temporary SQLite database
    .venv/bin/python -m bench.page_queries --small         # the 5-idea seed instead
    .venv/bin/python -m bench.page_queries --db postgresql://postgres@127.0.0.1:5432/medvirk_mine --reset

--db empties the database it is given (only with --reset, and never one with people in it:
use a database of your own).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

BUDGET = 8


def _database(url: str | None, workdir: Path) -> str:
    if not url:
        return f"sqlite:///{workdir / 'page-queries.db'}"
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--reset", action="store_true", help="empty the --db database's tables first (and after)")
    parser.add_argument("--small", action="store_true", help="the 5-idea seed instead of the 50-idea one")
    args = parser.parse_args(argv)

    import sqlalchemy as sa

    from app.extensions import db
    from bench.endpoints import discover
    from bench.seed import create_schema, missing_tables
    from tests.perf.conftest import LARGE, SMALL, perf_app, seeded
    from tests.perf.test_query_counts import PAGES, _ids, _measure

    class _Tmp:  # what perf_app wants of pytest's tmp_path_factory
        def __init__(self, root: Path):
            self.root = root

        def mktemp(self, name: str) -> Path:
            path = Path(tempfile.mkdtemp(prefix=name, dir=self.root))
            return path

    with tempfile.TemporaryDirectory(prefix="page-queries-") as tmp:
        workdir = Path(tmp)
        url = _database(args.db, workdir)
        app = perf_app(url, _Tmp(workdir))
        spec = SMALL if args.small else LARGE
        with app.app_context():
            engine = db.engine
            if missing_tables(engine):
                create_schema(engine)
            if args.db:
                with engine.connect() as conn:
                    holds = conn.execute(sa.text("SELECT COUNT(*) FROM users")).scalar()
                if holds and not args.reset:
                    print(f"{args.db} holds {holds} people: pass --reset to empty it (a database of your own only).",
                          file=sys.stderr)
                    return 2
            with seeded(app, spec):
                context = discover(db.session.connection(), per_page=app.config.get("PER_PAGE", 20))
                results = _measure(app, _ids(context))
            db.engine.dispose()

    viewers = {name: (path, viewer) for name, path, viewer in PAGES}
    print(f"Statements per request, {spec.ideas} ideas / {spec.comments} comments / {spec.projects} projects "
          f"({'SQLite' if url.startswith('sqlite') else 'PostgreSQL'}); budget {BUDGET}")
    print(f"{'page':<32} {'stmts':>5}  {'status':>6}  {'viewer':<8}  path")
    over = 0
    for name, result in results.items():
        path, viewer = viewers[name]
        if isinstance(result, str):
            print(f"{name:<32} {'-':>5}  {'-':>6}  {viewer or 'visitor':<8}  {path}  ({result})")
            continue
        status, log = result
        mark = "  > budget" if log.count > BUDGET else ""
        over += log.count > BUDGET
        print(f"{name:<32} {log.count:>5}  {status:>6}  {viewer or 'visitor':<8}  {path}{mark}")
    print(f"{len(results)} pages, {over} above {BUDGET} statements.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
