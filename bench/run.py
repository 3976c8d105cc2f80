"""`make bench` / `python -m bench.run`: serve a seeded database with gunicorn and load it with wrk.

For each database (SQLite, PostgreSQL) and size (ideas; the other volumes scale with it as in
SeedSpec.scaled) it seeds (or reuses) a database, starts gunicorn (2 workers), and measures
every endpoint of bench/endpoints.py between two runs of the floor (/healthz: no database, no
template), three rounds, median. It reports requests/s, p50/p95/p99, the ratio to the floor,
SQL queries per request (counted in-process through the Flask test client) and the peak
resident memory of the workers; then the growth of p95 between the smallest and largest size.

Output: bench/results/<date>-<db>.json and bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
LUA = BENCH / "lua"
PYTHON = sys.executable
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432"
TOKENS = 64

# The targets (issue 7), at the largest size on PostgreSQL.
TARGETS = {
    "read_ratio": 1 / 15, "read_p95_ms": 50.0, "search_p95_ms": 150.0,
    "write_ratio": 1 / 20, "write_p95_ms": 60.0, "growth": 1.3, "queries": 8, "rss_mb": 200.0,
}


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def size_label(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size >= 1000 and size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


# --- databases ----------------------------------------------------------------------------


def database_url(kind: str, size: int, pg_base: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{ROOT / 'instance' / f'bench-{size_label(size)}.db'}"
    return f"{pg_base.rstrip('/')}/medvirk_bench_{size_label(size)}"


def _flask_env(url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_DEBUG",)}
    env.update(DATABASE_URL=url, MAIL_SERVER="", FLASK_APP="wsgi", **extra)
    return env


def _flask(args: list[str], url: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=_flask_env(url),
                          check=check)


def _ensure_pg_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _engine(url: str):
    import sqlalchemy as sa

    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return sa.create_engine(url)


def _seeded_as_expected(url: str, spec) -> bool:
    import sqlalchemy as sa

    from bench import seed

    _bench_app("sqlite://")  # imports every model into the metadata, in the app's own order
    engine = _engine(url)
    try:
        if seed.missing_tables(engine):
            return False
        with engine.connect() as conn:
            ideas = conn.execute(sa.text("SELECT COUNT(*) FROM ideas")).scalar()
            users = conn.execute(sa.text("SELECT COUNT(*) FROM users")).scalar()
            votes = conn.execute(sa.text("SELECT COUNT(*) FROM votes")).scalar()
        # Votes drift by a few while a vote run is cut between its POST and its DELETE.
        return ideas == spec.ideas and users == spec.users and abs(votes - spec.votes) <= 1000
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def _empty_database(kind: str, url: str) -> None:
    if kind == "sqlite":
        path = Path(url[len("sqlite:///"):])
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(path) + suffix).unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import sqlalchemy as sa

    engine = _engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def prepare_database(kind: str, size: int, args) -> dict:
    """Seed the database for this size unless it already holds exactly that; returns what was done."""
    from bench.seed import SeedSpec

    url = database_url(kind, size, args.pg_url)
    spec = SeedSpec.scaled(size, seed=args.seed)
    if kind == "postgres":
        _ensure_pg_database(url)
    if not args.reseed and _seeded_as_expected(url, spec):
        log(f"{kind} {size_label(size)}: reusing the seeded database ({url})")
        return {"url": url, "reused": True, "spec": spec.__dict__ | {"anchor": None}}
    log(f"{kind} {size_label(size)}: building the schema and seeding {url}")
    _empty_database(kind, url)
    upgraded = _flask(["db", "upgrade"], url, check=False).returncode == 0
    if not upgraded:
        log("`flask db upgrade` failed; building the schema with create_all() instead")
        _empty_database(kind, url)
    started = time.perf_counter()
    command = ["bench", "seed", "--ideas", str(spec.ideas), "--votes", str(spec.votes), "--comments",
               str(spec.comments), "--users", str(spec.users), "--projects", str(spec.projects),
               "--seed", str(spec.seed), "--create-schema"]
    if not sys.stdout.isatty():
        command.append("--quiet")
    _flask(command, url)
    seconds = time.perf_counter() - started
    log(f"{kind} {size_label(size)}: seeded in {seconds:.0f} s")
    return {"url": url, "reused": False, "seed_seconds": round(seconds, 1), "migrations": upgraded,
            "spec": spec.__dict__ | {"anchor": None}}


# --- in-process: ids, tokens, query counts --------------------------------------------------


@dataclass
class Fixtures:
    context: object
    vote_pairs: list[tuple[str, int]] = field(default_factory=list)
    comment_pairs: list[tuple[str, int]] = field(default_factory=list)
    query_counts: dict[str, dict] = field(default_factory=dict)


def _bench_app(url: str):
    from app import create_app

    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-in-process", "RATELIMIT_ENABLED": False,
        "SITE_URL": "http://localhost",
        "MAIL_SERVER": "", "MAIL_ASYNC": False, "MAIL_WORKER": True, "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": True,
    })


def prepare_fixtures(url: str, endpoints, rng_seed: int) -> tuple[Fixtures, dict]:
    """Find ids, make API tokens and count each endpoint's SQL queries through the test client."""
    import sqlalchemy as sa

    app = _bench_app(url)  # first: the app imports the models in its own order

    from app.accounts.models import User
    from app.accounts.services import create_api_token
    from app.extensions import db
    from bench.endpoints import discover

    problems: dict[str, str] = {}
    with app.app_context():
        context = discover(db.session.connection(), per_page=app.config.get("PER_PAGE", 20))
        db.session.commit()
        residents = db.session.scalars(
            sa.select(User).where(User.role == "resident", User.is_blocked.is_(False)).order_by(User.id)
            .offset(10).limit(TOKENS)
        ).all()
        tokens = [(user.id, create_api_token(user, "bench")[1]) for user in residents]
        open_ideas = db.session.execute(sa.text(
            "SELECT id, author_id FROM ideas WHERE visibility = 'visible' AND status IN ('submitted', "
            "'under_review') ORDER BY id DESC LIMIT 5000")).all()
        user_ids = [uid for uid, _ in tokens]
        voted = set(db.session.execute(
            sa.text(f"SELECT user_id, idea_id FROM votes WHERE user_id IN ({','.join(map(str, user_ids))})")
        ).all()) if user_ids else set()
        rng = random.Random(rng_seed)
        fixtures = Fixtures(context=context)
        ideas_for_votes = [i for i, _ in open_ideas]
        rng.shuffle(ideas_for_votes)
        authors = dict(open_ideas)
        for idea_id in ideas_for_votes:
            for uid, raw in tokens:
                if (uid, idea_id) not in voted and authors.get(idea_id) != uid:
                    fixtures.vote_pairs.append((raw, idea_id))
        comment_ideas = [i for i, _ in open_ideas if i != context.idea][:500] or [context.open_idea]
        for n in range(2000):
            fixtures.comment_pairs.append((tokens[n % len(tokens)][1], rng.choice(comment_ideas)))
        db.session.commit()
        # The first vote pair belongs to the query count; the load uses the rest.
        probe_pair = fixtures.vote_pairs.pop(0) if fixtures.vote_pairs else None
        for endpoint in endpoints:
            problem = _route_problem(app, endpoint, context)
            if problem:
                problems[endpoint.name] = problem
                continue
            fixtures.query_counts[endpoint.name] = count_endpoint(app, endpoint, context, probe_pair,
                                                                  fixtures.comment_pairs[0])
    return fixtures, problems


def _route_problem(app, endpoint, context):
    from bench.endpoints import route_problem

    return route_problem(app, endpoint, context)


def count_endpoint(app, endpoint, context, vote_pair, comment_pair) -> dict:
    """Request the endpoint once (warm) and once counted; for vote, POST and DELETE are counted."""
    from app.extensions import db
    from bench.querycount import count_queries

    def fresh():
        # Requests inside our app context share its session; a real request starts empty.
        db.session.remove()

    client = app.test_client()
    headers = {"Accept": "application/json"} if endpoint.path.startswith("/api/") else {}
    if endpoint.auth == "staff":
        from app.accounts.models import User

        # The session carries the user's session token (User.get_id), not the bare id: with the
        # id the staff pages answered 302 to the login page and counted 0 statements.
        staff_id = db.session.get(User, context.staff_user).get_id()
        with client.session_transaction() as session:
            session["_user_id"] = staff_id
            session["_fresh"] = True
    if endpoint.script == "vote":
        token, idea = vote_pair
        headers["Authorization"] = f"Bearer {token}"
        path = f"/api/v1/ideas/{idea}/vote"
        fresh()
        with count_queries() as post:
            first = client.post(path, headers=headers)
        fresh()
        with count_queries() as delete:
            second = client.delete(path, headers=headers)
        return {"queries": max(post.count, delete.count), "post": post.count, "delete": delete.count,
                "status": [first.status_code, second.status_code], "sql": _statements(post) + _statements(delete)}
    if endpoint.script == "comment":
        token, idea = comment_pair
        headers["Authorization"] = f"Bearer {token}"
        path = f"/api/v1/ideas/{idea}/comments"
        # A text of its own each run: the same text from the same person within the hour is refused.
        body = {"body": f"Godt forslag, dette støtter jeg. Telling av spørringer {time.time_ns()}."}
        client.post(path, headers=headers, json=body | {"body": body["body"] + " (oppvarming)"})
        fresh()
        with count_queries() as counted:
            response = client.post(path, headers=headers, json=body)
        return {"queries": counted.count, "status": [response.status_code], "sql": _statements(counted)}
    url = endpoint.url(context)
    client.get(url, headers=headers)
    fresh()
    with count_queries() as counted:
        response = client.get(url, headers=headers)
    fresh()
    return {"queries": counted.count, "status": [response.status_code], "bytes": len(response.data),
            "sql": _statements(counted)}


def _statements(log) -> list[str]:
    return [" ".join(sql.split())[:400] for sql, _ in log.statements]


# --- gunicorn and wrk ---------------------------------------------------------------------


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _pinning(enabled: bool) -> tuple[list[str], list[str], str]:
    """taskset prefixes for wrk and gunicorn: wrk on the first CPU, gunicorn on the others."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if not enabled or len(cpus) < 2 or not shutil.which("taskset"):
        return [], [], "not pinned"
    wrk_cpu, app_cpus = str(cpus[0]), ",".join(map(str, cpus[1:]))
    return (["taskset", "-c", wrk_cpu], ["taskset", "-c", app_cpus],
            f"wrk on CPU {wrk_cpu}, gunicorn on CPU {app_cpus} (the database is not pinned)")


def _limit_overrides() -> dict:
    """Every rate limit raised out of reach: the benchmark measures the app, not the limiter's 429."""
    app = _bench_app("sqlite://")
    pattern = re.compile(r"^\s*\d+\s*(/|per)\s*\w+")
    return {key: "1000000 per second" for key, value in app.config.items()
            if isinstance(value, str) and pattern.match(value) and "LIMIT" in key}


class Server:
    def __init__(self, url: str, workers: int, prefix: list[str], log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # As in production (README): requests queue e-mail and one mail worker sends it, on the
        # same CPUs as the app, so its work is paid for in the app's figures.
        env = _flask_env(url, SECRET_KEY=os.urandom(24).hex(), SESSION_COOKIE_SECURE="0", SITE_URL=self.base,
                         MAIL_WORKER="1", **_limit_overrides())
        self.log = open(log_path, "w")  # noqa: SIM115  (closed in stop())
        self.mail_worker = subprocess.Popen(
            [*prefix, PYTHON, "-m", "flask", "--app", "wsgi", "outbox", "deliver", "--loop"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        env.pop("FLASK_APP", None)
        command = [*prefix, str(Path(PYTHON).parent / "gunicorn"), "--workers", str(workers), "--bind",
                   f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "60", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"gunicorn exited; see {log_path}")
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(self.base + "/healthz", timeout=2).status == 200:
                    return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz; see {log_path}")

    def drain(self, limit: float = 120.0) -> float:
        """Wait until the workers have worked off requests wrk left behind; seconds waited.

        wrk closes its connections when a run ends, but requests already accepted are still
        served; the next run must not queue behind them.
        """
        started = time.time()
        while time.time() - started < limit:
            asked = time.time()
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.base + "/healthz", timeout=limit).read()
                # An idle worker answers at once while another may still be busy with what wrk
                # left (a sync worker takes no request while it works): the workers must also
                # have used no CPU for a moment.
                if time.time() - asked < 0.5 and not self._busy():
                    break
        return time.time() - started

    def _cpu_ticks(self) -> int:
        ticks = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks

    def _busy(self, window: float = 0.1) -> bool:
        before = self._cpu_ticks()
        time.sleep(window)
        return self._cpu_ticks() - before > 1

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(p) for p in path.read_text().split()]
        return []

    def peak_rss_mb(self) -> list[float]:
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(round(int(line.split()[1]) / 1024, 1))
        return peaks

    def login(self, email: str, password: str) -> str:
        """Log in through the real login form; returns the Cookie header value."""
        opener = urllib.request.build_opener(_NoRedirect)
        page = opener.open(self.base + "/login", timeout=10)
        cookies = _cookies(page.headers)
        html = page.read().decode()
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', html)
        data = urllib.parse.urlencode({"email": email, "password": password,
                                       "csrf_token": match.group(1) if match else ""}).encode()
        request = urllib.request.Request(self.base + "/login", data=data,
                                         headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        cookies.update(_cookies(response.headers))
        if response.status != 302:
            raise RuntimeError(f"staff login failed with {response.status}")
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    def stop(self) -> None:
        for process in (self.process, self.mail_worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _cookies(headers) -> dict:
    out = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        out[name.strip()] = rest.split(";", 1)[0]
    return out


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing it from Debian's packages (apt-get install wrk)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def lua_script(name: str, workdir: Path) -> Path:
    path = workdir / f"{name}.lua"
    if not path.exists():
        path.write_text((LUA / "report.lua").read_text() + "\n" + (LUA / f"{name}.lua").read_text())
    return path


def run_wrk(wrk: str, prefix: list[str], server: Server, endpoint, context, duration: float, threads: int,
            workdir: Path, script_args: list[str]) -> dict:
    url = server.base + endpoint.url(context)
    # wrk takes whole seconds: "-d1.0s" (what --duration 1 parses to) is refused with its usage text.
    command = [*prefix, wrk, f"-t{threads}", f"-c{threads}", f"-d{max(1, round(duration))}s", "--timeout", "10s",
               "-s", str(lua_script(endpoint.script, workdir)), url]
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    for line in output.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON "):])
            seconds = data["duration_us"] / 1e6
            errors = sum(v for k, v in data.items() if k.startswith("errors_"))
            return {
                "rps": data["requests"] / seconds if seconds else 0.0,
                "p50_ms": data["p50_us"] / 1000, "p95_ms": data["p95_us"] / 1000,
                "p99_ms": data["p99_us"] / 1000, "mean_ms": data["mean_us"] / 1000,
                "requests": data["requests"], "errors": errors, "status_errors": data["errors_status"],
            }
    raise RuntimeError(f"wrk gave no result for {url}: {output.stdout[-500:]} {output.stderr[-500:]}")


# --- one database at one size -------------------------------------------------------------


def _pairs_file(workdir: Path, name: str, pairs: list[tuple[str, int]]) -> Path:
    path = workdir / f"{name}.txt"
    path.write_text("".join(f"{token} {idea}\n" for token, idea in pairs))
    return path


def measure(kind: str, size: int, args, wrk: str, endpoints) -> dict:
    from bench.endpoints import FLOOR
    from bench.seed import BENCH_PASSWORD, EMAIL_DOMAIN

    prepared = prepare_database(kind, size, args)
    url = prepared["url"]
    fixtures, problems = prepare_fixtures(url, endpoints, args.seed)
    for name, problem in problems.items():
        log(f"skip {name}: {problem}")
    available = [e for e in endpoints if e.name not in problems]
    context = fixtures.context
    wrk_prefix, app_prefix, pinning = _pinning(not args.no_pin)
    workdir = Path(tempfile.mkdtemp(prefix="medvirk-bench-"))
    server = Server(url, args.workers, app_prefix, workdir / "gunicorn.log")
    result: dict = {"db": kind, "size": size, "label": size_label(size), "prepared": prepared,
                    "load_average_before": os.getloadavg(),
                    "pinning": pinning, "skipped": problems, "endpoints": {}, "floor_runs": []}
    try:
        staff_cookie = ""
        if any(e.auth == "staff" for e in available):
            staff_cookie = server.login(f"bench{context.staff_user}@{EMAIL_DOMAIN}", BENCH_PASSWORD)
        # Vote pairs: a fresh slice per run, so a vote left by a run cut between POST and DELETE
        # never meets a POST again.
        runs_with_votes = args.rounds + 1
        slice_len = max(args.threads, len(fixtures.vote_pairs) // runs_with_votes)
        vote_slices = [fixtures.vote_pairs[i * slice_len:(i + 1) * slice_len] for i in range(runs_with_votes)]
        comments_file = _pairs_file(workdir, "comments", fixtures.comment_pairs)

        def script_args(endpoint, run_index: int) -> list[str]:
            if endpoint.script == "vote":
                pairs = vote_slices[run_index % len(vote_slices)]
                return [str(_pairs_file(workdir, f"votes-{run_index}", pairs)), str(args.threads)]
            if endpoint.script == "comment":
                return [str(comments_file), str(args.threads)]
            if endpoint.auth == "staff":
                return [f"Cookie: {staff_cookie}"]
            return []

        # Warm up: every worker has imported, compiled templates and filled its pools.
        run_wrk(wrk, wrk_prefix, server, FLOOR, context, 1, args.threads, workdir, [])
        per_endpoint: dict[str, list[dict]] = {e.name: [] for e in available}
        for round_index in range(args.rounds):
            log(f"{kind} {size_label(size)}: round {round_index + 1} of {args.rounds}")
            server.drain()
            before = run_wrk(wrk, wrk_prefix, server, FLOOR, context, args.floor_duration, args.threads, workdir, [])
            result["floor_runs"].append(before)
            for endpoint in available:
                if not endpoint.is_write:
                    # A second of the read, unmeasured, just before it is measured: a kept page
                    # lives PAGE_CACHE_SECONDS and a write (last in the round, see endpoints.py)
                    # starts it afresh, and a short run that began with the two workers' first
                    # renders of a 100k page would time those (once per 30 s on a live site).
                    run_wrk(wrk, wrk_prefix, server, endpoint, context, 1, args.threads, workdir,
                            script_args(endpoint, 0))
                    # A render longer than the warm-up (SQLite's first search at 100,000 ideas)
                    # is still being served when wrk stops: the measured run starts after it.
                    server.drain()
                measured = run_wrk(wrk, wrk_prefix, server, endpoint, context, args.duration, args.threads, workdir,
                                   script_args(endpoint, round_index + 1))
                measured["drain_s"] = round(server.drain(), 2)
                after = run_wrk(wrk, wrk_prefix, server, FLOOR, context, args.floor_duration, args.threads,
                                workdir, [])
                result["floor_runs"].append(after)
                measured["floor_rps"] = (before["rps"] + after["rps"]) / 2
                measured["ratio"] = measured["rps"] / measured["floor_rps"] if measured["floor_rps"] else 0.0
                per_endpoint[endpoint.name].append(measured)
                log(f"  {endpoint.name:<20} {measured['rps']:8.1f} req/s  p95 {measured['p95_ms']:7.1f} ms  "
                    f"×floor {measured['ratio']:.3f}  errors {measured['errors']}  drained {measured['drain_s']} s")
                before = after
        result["rss_mb"] = server.peak_rss_mb()
        result["load_average_after"] = os.getloadavg()
    finally:
        server.stop()
    floor = [r["rps"] for r in result["floor_runs"]]
    result["floor"] = {"rps": statistics.median(floor),
                       "p95_ms": statistics.median(r["p95_ms"] for r in result["floor_runs"]),
                       "p50_ms": statistics.median(r["p50_ms"] for r in result["floor_runs"]),
                       "p99_ms": statistics.median(r["p99_ms"] for r in result["floor_runs"])}
    for endpoint in available:
        runs = per_endpoint[endpoint.name]
        counted = fixtures.query_counts.get(endpoint.name, {})
        result["endpoints"][endpoint.name] = {
            "path": endpoint.path, "url": endpoint.url(context), "kind": endpoint.kind, "method": endpoint.method,
            "note": endpoint.note,
            **{key: round(statistics.median(r[key] for r in runs), 3)
               for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "floor_rps")},
            "ratio": round(statistics.median(r["ratio"] for r in runs), 5),
            "errors": sum(r["errors"] for r in runs), "requests": sum(r["requests"] for r in runs),
            "queries": counted.get("queries"), "query_detail": counted, "runs": runs,
        }
    return result


# --- reporting ----------------------------------------------------------------------------


def machine_info() -> dict:
    cpu = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    versions = {"python": platform.python_version()}
    with contextlib.suppress(Exception):
        import sqlite3

        versions["sqlite"] = sqlite3.sqlite_version
    with contextlib.suppress(Exception):
        versions["wrk"] = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()[1]
    with contextlib.suppress(Exception):
        import gunicorn

        versions["gunicorn"] = gunicorn.__version__
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpus_available": _cpus(), "cpu": cpu, "memory": memory,
            "kernel": platform.release(), "versions": versions, "commit": commit}


def _pg_version(url: str) -> str:
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute("SHOW server_version").fetchone()[0].split()[0]
    return ""


def evaluate(result_small: dict | None, result_large: dict, name: str) -> list[str]:
    """The issue's targets this endpoint misses at the large size (empty list: all met)."""
    data = result_large["endpoints"][name]
    misses = []
    write = data["kind"] == "write"
    ratio_target = TARGETS["write_ratio"] if write else TARGETS["read_ratio"]
    p95_target = TARGETS["write_p95_ms"] if write else (
        TARGETS["search_p95_ms"] if data["kind"] == "search" else TARGETS["read_p95_ms"])
    exact = data["rps"] / data["floor_rps"] if data["floor_rps"] else 0.0
    if exact < ratio_target:
        misses.append(f"throughput 1/{1 / exact:.0f} of floor" if exact else "no request finished in a run")
    if data["p95_ms"] > p95_target:
        misses.append(f"p95 {data['p95_ms']:.0f} ms > {p95_target:.0f}")
    if data["queries"] is not None and data["queries"] > TARGETS["queries"]:
        misses.append(f"{data['queries']} queries")
    before = result_small["endpoints"].get(name, {}).get("p95_ms") if result_small else None
    if before and data["p95_ms"] and data["p95_ms"] / before > TARGETS["growth"]:
        misses.append(f"growth {data['p95_ms'] / before:.2f}×")
    if data["errors"]:
        misses.append(f"{data['errors']} errors")
    return misses


def markdown(results: list[dict], machine: dict, commands: dict[str, str], settings: str) -> str:
    """The table of latest.md; `commands` maps each database to the command that measured it."""
    lines = [
        f"# Medvirk benchmark, {datetime.now(UTC).strftime('%Y-%m-%d')}",
        "",
        f"Machine: {machine['nproc']} × {machine['cpu']}, {machine['memory']} RAM, Linux {machine['kernel']}; "
        + ", ".join(f"{k} {v}" for k, v in machine["versions"].items()) + f"; commit {machine['commit']}.",
        "",
        f"Settings: {settings}.",
        "",
        "Reproduce: " + "; ".join(f"`{c}`" for c in dict.fromkeys(commands.values()))
        + ("" if set(commands.values()) == {"make bench"} else " (or `make bench` for both databases at 1,000"
           " and 100,000 ideas)"),
        "",
        "Each figure is the median of the rounds; ×floor is the endpoint's requests/s divided by the floor's "
        "(`GET /healthz`, no database, no template), measured just before and after it. Queries: SQL "
        "statements per request, counted in-process. Growth: p95 at the largest size ÷ p95 at the smallest.",
    ]
    by_db: dict[str, list[dict]] = {}
    for result in results:
        by_db.setdefault(result["db"], []).append(result)
    for kind, runs in by_db.items():
        runs.sort(key=lambda r: r["size"])
        small, large = runs[0], runs[-1]
        title = "PostgreSQL" if kind == "postgres" else "SQLite"
        lines += ["", f"## {title}", "", f"`{commands.get(kind, '')}`", ""]
        for run in runs:
            prepared = run["prepared"]
            spec = prepared["spec"]
            seeded = "reused" if prepared.get("reused") else f"seeded in {prepared.get('seed_seconds', 0):.0f} s"
            lines.append(
                f"- {run['label']}: {spec['ideas']:,} ideas, {spec['votes']:,} votes, {spec['comments']:,} comments, "
                f"{spec['users']:,} users, {spec['projects']:,} projects ({seeded}); floor {run['floor']['rps']:.0f} "
                f"req/s, p95 {run['floor']['p95_ms']:.1f} ms; worker peak RSS "
                f"{', '.join(f'{m:.0f}' for m in run.get('rss_mb', []))} MB; load average before/after "
                f"{run['load_average_before'][0]:.1f}/{run.get('load_average_after', [0])[0]:.1f}."
            )
        skipped = {name: problem for run in runs for name, problem in run["skipped"].items()}
        header = "| endpoint | queries |"
        rule = "|---|---:|"
        for run in runs:
            header += f" {run['label']} req/s | {run['label']} p95 ms |"
            rule += "---:|---:|"
        header += f" {large['label']} ×floor | {large['label']} p50 / p99 ms | growth | targets |"
        rule += "---:|---:|---:|---|"
        lines += ["", header, rule]
        for name, data in large["endpoints"].items():
            row = f"| {name} ({data['method']} {data['path']}) | {data['queries'] if data['queries'] is not None else '–'} |"
            for run in runs:
                other = run["endpoints"].get(name)
                row += f" {other['rps']:.0f} | {other['p95_ms']:.1f} |" if other else " – | – |"
            before = small["endpoints"].get(name, {}).get("p95_ms") if small is not large else None
            growth = data["p95_ms"] / before if before and data["p95_ms"] else None
            misses = evaluate(small if small is not large else None, large, name)
            exact = data["rps"] / data["floor_rps"] if data["floor_rps"] else 0.0
            ratio = f"1/{1 / exact:.1f}" if exact else "none completed"
            row += (f" {ratio} | {data['p50_ms']:.1f} / {data['p99_ms']:.1f} |"
                    f" {f'{growth:.2f}×' if growth else '–'} | {'met' if not misses else 'MISS: ' + '; '.join(misses)} |")
            lines.append(row)
        if skipped:
            lines += ["", "Not measured:"]
            lines += [f"- {name}: {problem}" for name, problem in skipped.items()]
    lines += ["", "Targets (issue 7, at the largest size): reads ≥ 1/15 of the floor and p95 ≤ 50 ms (search ≤ 150 ms); "
              "POSTs ≥ 1/20 and p95 ≤ 60 ms; growth ≤ 1.3×; ≤ 8 queries per request; a worker < 200 MB.", ""]
    return "\n".join(lines)


def write_report(paths: list[Path], out: Path) -> int:
    """latest.md from result files of separate runs (e.g. PostgreSQL and SQLite at other sizes)."""
    payloads = [json.loads(p.read_text()) for p in paths]
    results = [r for payload in payloads for r in payload["results"]]
    commands: dict[str, str] = {}
    for payload in payloads:
        for kind in dict.fromkeys(r["db"] for r in payload["results"]):
            commands[kind] = f"{commands[kind]}` and `{payload['command']}" if kind in commands else payload["command"]
    machine = payloads[0]["machine"]
    for payload in payloads[1:]:
        machine["versions"].update(payload["machine"]["versions"])
    table = markdown(results, machine, commands, payloads[0]["settings"])
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(table)
    if out.resolve() == RESULTS.resolve():
        update_readme(table)
    print(table)
    return 0


README = ROOT / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_readme(table: str, readme: Path = README) -> bool:
    """Put the latest table into the README's Performance section, between its markers.

    Headings move two levels down to sit under "## Performance"; False when the markers are gone.
    """
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        log(f"{readme.name}: no {README_START} … {README_END} markers, left as it is")
        return False
    body = re.sub(r"^(#+) ", lambda m: "#" * min(len(m.group(1)) + 2, 6) + " ", table.strip(), flags=re.M)
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    readme.write_text(f"{head}{README_START}\n{body}\n{README_END}{tail}")
    return True


def reproduce_command(argv: list[str]) -> str:
    """The make command that measures the same things (where results go, and reseeding, aside)."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--out":
            skip = True
            continue
        if arg.startswith("--out=") or arg == "--reseed":
            continue
        kept.append(arg)
    return f'make bench BENCH_ARGS="{" ".join(kept)}"' if kept else "make bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--sizes", default="1000,100000", help="idea counts, comma-separated")
    parser.add_argument("--duration", type=float, default=5, help="seconds per endpoint run")
    parser.add_argument("--floor-duration", type=float, default=3, help="seconds per floor run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="wrk threads = connections (one each)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--endpoints", default="", help="only these endpoint names, comma-separated")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG),
                        help="PostgreSQL server; databases medvirk_bench_<size> are made there")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reseed", action="store_true", help="seed again even if the database matches")
    parser.add_argument("--no-pin", action="store_true", help="do not pin wrk and gunicorn to CPUs")
    parser.add_argument("--quick", action="store_true", help="development: 1,000 ideas, 2 s runs, one round")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--report", nargs="+", metavar="JSON",
                        help="only write latest.md again from these result files (one per database)")
    args = parser.parse_args(argv)
    if args.report:
        return write_report([Path(p) for p in args.report], Path(args.out))
    if args.quick:
        args.sizes, args.duration, args.floor_duration, args.rounds = "1000", 2, 1, 1
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from bench.endpoints import ENDPOINTS

    wanted = {n.strip() for n in args.endpoints.split(",") if n.strip()}
    endpoints = [e for e in ENDPOINTS if not wanted or e.name in wanted]
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    wrk = ensure_wrk()
    started = time.time()
    machine = machine_info()
    results = []
    for kind in kinds:
        for size in sizes:
            results.append(measure(kind, size, args, wrk, endpoints))
        if kind == "postgres":
            machine["versions"]["postgresql"] = _pg_version(database_url("postgres", sizes[0], args.pg_url))
    command = reproduce_command(argv if argv is not None else sys.argv[1:])
    settings = (f"gunicorn {args.workers} sync workers, wrk -t{args.threads} -c{args.threads} (one connection per "
                f"thread), {args.duration:g} s per endpoint, {args.floor_duration:g} s per floor run, {args.rounds} "
                f"round(s), {results[0]['pinning'] if results else ''}; rate limits raised out of reach")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    for kind in kinds:
        payload = {"machine": machine, "command": command, "settings": settings, "targets": TARGETS,
                   "minutes": round((time.time() - started) / 60, 1),
                   "results": [r for r in results if r["db"] == kind]}
        path = out / f"{day}-{kind}.json"
        path.write_text(json.dumps(payload, indent=1, default=str) + "\n")
        log(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    table = markdown(results, machine, {kind: command for kind in kinds}, settings)
    (out / "latest.md").write_text(table)
    if out.resolve() == RESULTS.resolve():
        update_readme(table)
    print(table)
    log(f"done in {(time.time() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
