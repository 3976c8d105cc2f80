"""The fan-out of one project update: `python -m bench.fanout [--db URL] [--sizes 200,2000,20000]`.

Issue 13: an update on a project with 20,000 followers writes its notices and its outbox rows
in a few set-based statements and returns well under a second. For each size this makes a
public project with that many followers (a third each in nb, nn and en; every tenth wants
e-mail at once, the rest the weekly digest) and a linked idea, then times
`post_project_update` end to end (the update, its commit, the signal and the fan-out's own
transaction) and counts its SQL statements with bench.querycount. Prints one row per size and
the growth from one size to the next: statements must stay flat, time grow with the rows only.

It writes to the database of `--db` (default DATABASE_URL, else a SQLite file in instance/),
creating missing tables with create_all(), and deletes what it made afterwards. Use a database
of its own (the test database is fine: the test session drops it anyway).
"""

import argparse
import os
import statistics
import sys
import time

DEFAULT_SQLITE = "sqlite:///" + os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                             "instance", "bench-fanout.db")


def _populate(size: int, immediate_every: int):
    """A manager, an author, an idea, a public project and `size` followers; returns their ids."""
    from sqlalchemy import func, insert, select

    from app.accounts.models import Role, User
    from app.core.models import MunicipalArea, ServiceArea
    from app.extensions import db
    from app.ideas.models import Idea, IdeaStatus
    from app.notifications.models import Follow, NoticePreference
    from app.portfolio.models import Project, ProjectIdea

    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    marker = f"fanout{start}"
    people = [{
        "id": start + i, "email": f"{marker}-{i}@bench.invalid.example", "full_name": f"Følger {i}",
        "password_hash": "x", "locale": ("nb", "nn", "en")[i % 3], "role": Role.RESIDENT,
        "session_token": f"{marker}{i}"[:32], "is_blocked": False,
    } for i in range(size + 2)]
    people[0]["role"] = Role.PORTFOLIO_MANAGER
    db.session.execute(insert(User), people)
    manager_id, author_id = start, start + 1
    area = MunicipalArea(name=f"Benk {marker}", position=0)
    service = ServiceArea(municipal_area=area, name=f"Benk {marker}", position=0)
    db.session.add_all([area, service])
    db.session.flush()
    idea = Idea(title=f"Idé {marker}", body="Et forslag til benken.", author_id=author_id,
                service_area_id=service.id, status=IdeaStatus.ACCEPTED)
    project = Project(title=f"Prosjekt {marker}", owner_service_area_id=service.id, public=True)
    db.session.add_all([idea, project])
    db.session.flush()
    db.session.add(ProjectIdea(project_id=project.id, idea_id=idea.id, note="", linked_by_id=manager_id))
    followers = range(start + 2, start + 2 + size)
    db.session.execute(insert(Follow), [
        {"user_id": u, "target_type": "project", "target_id": project.id} for u in followers])
    db.session.execute(insert(NoticePreference), [
        {"user_id": u, "kind": "followed_projects", "channel": "immediate"}
        for n, u in enumerate(followers) if n % immediate_every == 0])
    db.session.commit()
    return manager_id, project.id, idea.id, service.id, area.id, marker


def _clean(manager_id: int, size: int, project_id: int, idea_id: int, service_id: int, area_id: int,
           marker: str) -> None:
    from sqlalchemy import delete

    from app.accounts.models import User
    from app.core.models import MunicipalArea, ServiceArea
    from app.extensions import db
    from app.ideas.models import Idea
    from app.notifications.models import Follow, Notice, NoticePreference, OutboxMessage
    from app.portfolio.models import Project

    people = range(manager_id, manager_id + size + 2)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address.like(f"{marker}-%")))
    for model in (Notice, Follow, NoticePreference):
        db.session.execute(delete(model).where(model.user_id.between(people.start, people.stop - 1)))
    db.session.execute(delete(Project).where(Project.id == project_id))
    db.session.execute(delete(Idea).where(Idea.id == idea_id))
    db.session.execute(delete(ServiceArea).where(ServiceArea.id == service_id))
    db.session.execute(delete(MunicipalArea).where(MunicipalArea.id == area_id))
    db.session.execute(delete(User).where(User.id.between(people.start, people.stop - 1)))
    db.session.commit()


def measure(size: int, rounds: int, immediate_every: int) -> dict:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.notifications.models import Notice, OutboxMessage
    from app.portfolio import services
    from app.portfolio.models import Project
    from bench.querycount import count_queries

    manager_id, project_id, *rest = ids = _populate(size, immediate_every)
    try:
        times, statements = [], None
        from app.accounts.models import User

        for n in range(rounds):
            db.session.expire_all()
            manager, project = db.session.get(User, manager_id), db.session.get(Project, project_id)
            with count_queries() as log:
                started = time.perf_counter()
                services.post_project_update(manager, project, f"Runde {n}: arbeidet går framover.", 10 + n)
                times.append(time.perf_counter() - started)
            statements = log.count
        notices = db.session.scalar(select(func.count()).select_from(Notice).where(
            Notice.kind == "follows.project_update", Notice.user_id > manager_id))
        mails = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.to_address.like(f"{ids[-1]}-%")))
    finally:
        _clean(manager_id, size, project_id, *rest)
    return {"size": size, "median_s": statistics.median(times), "max_s": max(times),
            "statements": statements, "notices": notices // rounds, "mails": mails // rounds}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout")
    parser.add_argument("--db", default=os.environ.get("DATABASE_URL") or DEFAULT_SQLITE,
                        help="default: DATABASE_URL, else instance/bench-fanout.db")
    parser.add_argument("--sizes", default="200,2000,20000", help="followers per run, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="updates per size (median time)")
    parser.add_argument("--immediate-every", type=int, default=10,
                        help="every n-th follower wants e-mail at once (default 10)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from app.extensions import db
    from bench.run import _bench_app

    app = _bench_app(args.db)
    with app.app_context():
        db.create_all()
        print(f"database: {db.engine.dialect.name}; {args.rounds} updates per size; "
              f"every {args.immediate_every}th follower e-mailed at once")
        print(f"{'followers':>10} {'median ms':>10} {'max ms':>8} {'statements':>10} {'notices':>8} "
              f"{'e-mails':>8} {'time ×':>7} {'size ×':>7}")
        previous = None
        for size in sizes:
            row = measure(size, args.rounds, args.immediate_every)
            growth = (f"{row['median_s'] / previous['median_s']:7.1f} {size / previous['size']:7.1f}"
                      if previous else f"{'':>7} {'':>7}")
            print(f"{size:>10,} {row['median_s'] * 1000:>10.0f} {row['max_s'] * 1000:>8.0f} "
                  f"{row['statements']:>10} {row['notices']:>8,} {row['mails']:>8,} {growth}")
            previous = row
    return 0


if __name__ == "__main__":
    sys.exit(main())
