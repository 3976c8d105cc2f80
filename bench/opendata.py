"""The open-data files: `python -m bench.opendata [--db URL] [--sizes 1000,10000,100000]`.

Issue 14: a 100,000-idea export must not load everything into memory. For each size this adds
that many visible ideas (two goals each, an organisation on every tenth, a few votes spread over
days), then times building every open-data file (`exports.build`: written to a temporary file
and renamed, as `flask opendata build` does), and builds it once more to measure the peak
Python memory while writing with tracemalloc. Prints one row per size and file, and the growth
from one size to the next: memory should stay nearly flat while time grows with the rows.

It writes to the database of `--db` (default DATABASE_URL, else a SQLite file in instance/),
creating missing tables with create_all(), and deletes what it made afterwards. The files go to
a temporary folder. Use a database of its own (the test database is fine).
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta

DEFAULT_SQLITE = "sqlite:///" + os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                             "instance", "bench-opendata.db")
CHUNK = 5000
VOTES_PER_IDEA = 3


def _populate(ideas: int) -> dict:
    """`ideas` visible ideas by one author, with goals, an organisation on every tenth, and
    VOTES_PER_IDEA votes each from a pool of voters over the last days."""
    from sqlalchemy import func, insert, select

    from app.accounts.models import Organisation, OrganisationKind, Role, User
    from app.core.db import utcnow
    from app.core.models import MunicipalArea, ServiceArea
    from app.extensions import db
    from app.ideas.models import Idea, Vote, idea_sdgs

    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    marker = f"opendata{start}"
    people = VOTES_PER_IDEA + 1
    db.session.execute(insert(User), [{
        "id": start + i, "email": f"{marker}-{i}@bench.invalid.example", "full_name": f"Benk Person {i}",
        "password_hash": "x", "locale": "nb", "role": Role.RESIDENT, "session_token": f"{marker}{i}"[:32],
        "is_blocked": False,
    } for i in range(people)])
    author_id = start
    area = MunicipalArea(name=f"Benk {marker}", position=0)
    service = ServiceArea(municipal_area=area, name=f"Benk {marker}", position=0)
    organisation = Organisation(name=f"Benk lag {marker}", kind=OrganisationKind.VOLUNTARY)
    db.session.add_all([area, service, organisation])
    db.session.flush()
    first = (db.session.scalar(select(func.max(Idea.id))) or 0) + 1
    ids = range(first, first + ideas)
    now = utcnow()
    for chunk in range(0, ideas, CHUNK):
        part = ids[chunk:chunk + CHUNK]
        db.session.execute(insert(Idea), [{
            "id": i, "title": f"Idé {i} om benker langs turstien", "body": "Et forslag om benker langs turstien. " * 6,
            "author_id": author_id, "service_area_id": service.id, "vote_count": VOTES_PER_IDEA,
            "organisation_id": organisation.id if i % 10 == 0 else None,
            "created_at": now - timedelta(days=i % 365),
        } for i in part])
        db.session.execute(insert(idea_sdgs), [
            {"idea_id": i, "sdg_number": n} for i in part for n in (1 + i % 17, 1 + (i + 5) % 17)
        ])
        db.session.execute(insert(Vote), [
            {"idea_id": i, "user_id": start + 1 + v, "created_at": now - timedelta(days=(i + v) % 30)}
            for i in part for v in range(VOTES_PER_IDEA)
        ])
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("SELECT setval('ideas_id_seq', (SELECT max(id) FROM ideas))"))
        db.session.execute(db.text("SELECT setval('users_id_seq', (SELECT max(id) FROM users))"))
        db.session.execute(db.text("ANALYZE ideas, votes, idea_sdgs"))
    db.session.commit()
    return {"people": (start, start + people - 1), "service_id": service.id, "area_id": area.id,
            "organisation_id": organisation.id, "ideas": (ids.start, ids.stop - 1)}


def _clean(made: dict) -> None:
    from sqlalchemy import delete

    from app.accounts.models import Organisation, User
    from app.core.models import MunicipalArea, ServiceArea
    from app.extensions import db
    from app.ideas.models import Idea, Vote, idea_sdgs

    ideas = made["ideas"]
    db.session.execute(delete(Vote).where(Vote.idea_id.between(*ideas)))
    db.session.execute(delete(idea_sdgs).where(idea_sdgs.c.idea_id.between(*ideas)))
    db.session.execute(delete(Idea).where(Idea.id.between(*ideas)))
    db.session.execute(delete(Organisation).where(Organisation.id == made["organisation_id"]))
    db.session.execute(delete(ServiceArea).where(ServiceArea.id == made["service_id"]))
    db.session.execute(delete(MunicipalArea).where(MunicipalArea.id == made["area_id"]))
    db.session.execute(delete(User).where(User.id.between(*made["people"])))
    db.session.commit()


FILES = (("ideas", "csv"), ("ideas", "json"), ("votes", "csv"), ("projects", "json"), ("sdgs", "csv"))


def measure(ideas: int) -> list[dict]:
    from app.extensions import db
    from app.opendata import exports

    made = _populate(ideas)
    rows = []
    try:
        for name, fmt in FILES:
            # Timed without tracemalloc (which slows every allocation), then built again traced.
            db.session.expire_all()
            started = time.perf_counter()
            count = exports.build(name, fmt)
            elapsed = time.perf_counter() - started
            db.session.expire_all()
            tracemalloc.start()
            exports.build(name, fmt)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            size = exports.path_of(name, fmt).stat().st_size
            rows.append({"ideas": ideas, "file": f"{name}.{fmt}", "rows": count, "s": elapsed,
                         "peak_mb": peak / 1e6, "file_mb": size / 1e6})
    finally:
        _clean(made)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.opendata")
    parser.add_argument("--db", default=os.environ.get("DATABASE_URL") or DEFAULT_SQLITE,
                        help="default: DATABASE_URL, else instance/bench-opendata.db")
    parser.add_argument("--sizes", default="1000,10000,100000", help="ideas per run, comma-separated")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from app.core.schema import install_reference_data
    from app.extensions import db
    from bench.run import _bench_app

    app = _bench_app(args.db)
    with tempfile.TemporaryDirectory() as folder, app.app_context():
        app.config["OPEN_DATA_FOLDER"] = folder
        db.create_all()
        install_reference_data(db.session.connection())
        db.session.commit()
        print(f"database: {db.engine.dialect.name}; peak = Python memory traced while writing one file")
        print(f"{'ideas':>7} {'file':<14} {'rows':>8} {'ms':>8} {'peak MB':>8} {'file MB':>8} "
              f"{'time ×':>7} {'memory ×':>9}")
        previous: dict[str, dict] = {}
        for size in sizes:
            for row in measure(size):
                before = previous.get(row["file"])
                growth = (f"{row['s'] / before['s']:7.1f} {row['peak_mb'] / before['peak_mb']:9.1f}"
                          if before else f"{'':>7} {'':>9}")
                print(f"{size:>7,} {row['file']:<14} {row['rows']:>8,} {row['s'] * 1000:>8.0f} "
                      f"{row['peak_mb']:>8.2f} {row['file_mb']:>8.2f} {growth}")
                previous[row["file"]] = row
    return 0


if __name__ == "__main__":
    sys.exit(main())
