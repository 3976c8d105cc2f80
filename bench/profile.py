"""Profile one URL in-process: `python -m bench.profile /ideas?sort=votes [--db URL] [-n 50]`.

Uses pyinstrument when it is importable (pip install it into .venv by hand; it is not a
project dependency), else the standard library's cProfile. Prints the SQL statements too.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("url")
    parser.add_argument("--db", default=os.environ.get("DATABASE_URL", ""), help="default: DATABASE_URL")
    parser.add_argument("-n", type=int, default=30, help="requests to profile")
    parser.add_argument("--staff", action="store_true", help="as the first admin")
    args = parser.parse_args(argv)
    from app.extensions import db
    from bench.querycount import count_queries
    from bench.run import _bench_app

    app = _bench_app(args.db)
    client = app.test_client()
    if args.staff:
        from app.accounts.models import User

        with app.app_context():
            staff = db.session.execute(db.text("SELECT id FROM users WHERE role = 'admin' ORDER BY id")).scalar()
            # The session carries the user's session token (User.get_id), not the bare id.
            token = db.session.get(User, staff).get_id()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = token, True
    client.get(args.url)
    with app.app_context():
        with count_queries() as log:
            status = client.get(args.url).status_code
        print(f"HTTP {status}, {log.count} queries:\n{log}\n")
    started = time.perf_counter()
    try:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
        for _ in range(args.n):
            client.get(args.url)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    except ImportError:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.n):
            client.get(args.url)
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)  # the top functions by their own time
    print(f"{(time.perf_counter() - started) / args.n * 1000:.1f} ms per request (profiled)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
