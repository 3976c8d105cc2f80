"""A person's data export: `python -m bench.export [--db URL] [--sizes 500:200,5000:2000,50000:20000]`.

Issue 12: the ZIP of a person with thousands of votes and comments is ready within seconds,
in bounded memory (rows read in batches, never thousands of ORM objects) and with a fixed
number of statements whatever the history. For each size VOTES:COMMENTS this makes a person
with that many votes (one per idea, on ideas of another author) and comments, then times
`export.write_zip` into a temporary file, measures its peak Python memory with tracemalloc
and counts its SQL statements with bench.querycount. Prints one row per size and the growth
from one size to the next: statements must stay flat, memory nearly so, time grow with rows.

It writes to the database of `--db` (default DATABASE_URL, else a SQLite file in instance/),
creating missing tables with create_all(), and deletes what it made afterwards. Use a database
of its own (the test database is fine: the test session drops it anyway).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc

DEFAULT_SQLITE = "sqlite:///" + os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                             "instance", "bench-export.db")


def _populate(votes: int, comments: int) -> dict:
    """An author with `votes` ideas, and a person who voted on each and commented `comments` times."""
    from sqlalchemy import func, insert, select

    from app.accounts.models import Role, User
    from app.comments.models import Comment
    from app.core.models import MunicipalArea, ServiceArea
    from app.extensions import db
    from app.ideas.models import Idea, Vote

    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    marker = f"export{start}"
    db.session.execute(insert(User), [{
        "id": start + i, "email": f"{marker}-{i}@bench.invalid.example", "full_name": f"Benk Person {i}",
        "password_hash": "x", "locale": "nb", "role": Role.RESIDENT, "session_token": f"{marker}{i}"[:32],
        "is_blocked": False,
    } for i in range(2)])
    author_id, person_id = start, start + 1
    area = MunicipalArea(name=f"Benk {marker}", position=0)
    service = ServiceArea(municipal_area=area, name=f"Benk {marker}", position=0)
    db.session.add_all([area, service])
    db.session.flush()
    first_idea = (db.session.scalar(select(func.max(Idea.id))) or 0) + 1
    ideas = range(first_idea, first_idea + votes)
    for chunk in range(0, votes, 5000):
        db.session.execute(insert(Idea), [{
            "id": i, "title": f"Idé {i} {marker}", "body": "Et forslag om benker langs turstien. " * 3,
            "author_id": author_id, "service_area_id": service.id,
        } for i in ideas[chunk:chunk + 5000]])
        db.session.execute(insert(Vote), [{"idea_id": i, "user_id": person_id} for i in ideas[chunk:chunk + 5000]])
    for chunk in range(0, comments, 5000):
        db.session.execute(insert(Comment), [{
            "idea_id": ideas[n % votes], "author_id": person_id,
            "body": f"Kommentar {n}: dette er en vanlig kommentar med litt tekst i. " * 2,
        } for n in range(chunk, min(comments, chunk + 5000))])
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("SELECT setval('ideas_id_seq', (SELECT max(id) FROM ideas))"))
        db.session.execute(db.text("SELECT setval('users_id_seq', (SELECT max(id) FROM users))"))
    db.session.commit()
    return {"author_id": author_id, "person_id": person_id, "service_id": service.id,
            "area_id": area.id, "ideas": (ideas.start, ideas.stop - 1)}


def _clean(made: dict) -> None:
    from sqlalchemy import delete

    from app.accounts.models import User
    from app.comments.models import Comment
    from app.core.models import MunicipalArea, ServiceArea
    from app.extensions import db
    from app.ideas.models import Idea, Vote
    from app.privacy.models import DataExport

    people = (made["author_id"], made["person_id"])
    db.session.execute(delete(Comment).where(Comment.author_id.in_(people)))
    db.session.execute(delete(Vote).where(Vote.user_id.in_(people)))
    db.session.execute(delete(DataExport).where(DataExport.user_id.in_(people)))
    db.session.execute(delete(Idea).where(Idea.id.between(*made["ideas"])))
    db.session.execute(delete(ServiceArea).where(ServiceArea.id == made["service_id"]))
    db.session.execute(delete(MunicipalArea).where(MunicipalArea.id == made["area_id"]))
    db.session.execute(delete(User).where(User.id.in_(people)))
    db.session.commit()


def measure(votes: int, comments: int, rounds: int) -> dict:
    from app.accounts.models import User
    from app.extensions import db
    from app.privacy import export
    from bench.querycount import count_queries

    made = _populate(votes, comments)
    try:
        times, peaks, statements, size, rows = [], [], None, 0, 0
        for _n in range(rounds):
            db.session.expire_all()
            person = db.session.get(User, made["person_id"])
            with tempfile.TemporaryFile() as out, count_queries() as log:
                tracemalloc.start()
                started = time.perf_counter()
                rows = export.write_zip(person, out)
                times.append(time.perf_counter() - started)
                peaks.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
                size = out.tell()
            statements = log.count
    finally:
        _clean(made)
    return {"votes": votes, "comments": comments, "rows": rows, "median_s": statistics.median(times),
            "peak_mb": max(peaks) / 1e6, "statements": statements, "zip_mb": size / 1e6}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export")
    parser.add_argument("--db", default=os.environ.get("DATABASE_URL") or DEFAULT_SQLITE,
                        help="default: DATABASE_URL, else instance/bench-export.db")
    parser.add_argument("--sizes", default="500:200,5000:2000,50000:20000",
                        help="VOTES:COMMENTS per run, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="exports per size (median time)")
    args = parser.parse_args(argv)
    sizes = [tuple(int(n) for n in s.split(":")) for s in args.sizes.split(",") if s.strip()]

    from app.extensions import db
    from bench.run import _bench_app

    app = _bench_app(args.db)
    with app.app_context():
        db.create_all()
        print(f"database: {db.engine.dialect.name}; {args.rounds} exports per size; "
              "peak = Python memory traced while writing the ZIP")
        print(f"{'votes':>7} {'comments':>8} {'rows':>7} {'median ms':>10} {'peak MB':>8} {'statements':>10} "
              f"{'ZIP MB':>7} {'time ×':>7} {'memory ×':>9} {'rows ×':>7}")
        previous = None
        for votes, comments in sizes:
            row = measure(votes, comments, args.rounds)
            growth = (f"{row['median_s'] / previous['median_s']:7.1f} {row['peak_mb'] / previous['peak_mb']:9.1f} "
                      f"{row['rows'] / previous['rows']:7.1f}" if previous else f"{'':>7} {'':>9} {'':>7}")
            print(f"{votes:>7,} {comments:>8,} {row['rows']:>7,} {row['median_s'] * 1000:>10.0f} "
                  f"{row['peak_mb']:>8.1f} {row['statements']:>10} {row['zip_mb']:>7.2f} {growth}")
            previous = row
    return 0


if __name__ == "__main__":
    sys.exit(main())
