"""PostgreSQL plans of the queries the real pages run: no sequential scan of ideas, votes, comments.

10,000 ideas with votes and comments from bench/seed.py, VACUUM ANALYZE, then each page is
requested with a listener that keeps its SQL, and every statement is EXPLAINed.

Counts over every idea (the list's total, the filter options, the front page's totals, the
trending pool) are kept for a minute by app.core.cache, so a page is read once to fill it, as
any earlier visitor would, and the second request's statements are the ones explained. What a
cache miss costs is in the benchmark (bench/), not here.
"""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from bench.endpoints import Endpoint, discover, route_problem
from bench.seed import SEARCH_WORD, SeedSpec
from tests.perf.conftest import count_queries, perf_app, seeded

PLAN_SEED = SeedSpec(ideas=10_000, votes=40_000, comments=20_000, users=2_000, projects=100, seed=11)
BIG_TABLES = ("ideas", "votes", "comments")
SEQ_SCAN = re.compile(r"Seq Scan on (" + "|".join(BIG_TABLES) + r")\b")

# What the issue names: the list, filter, sort, search and vote queries (and the pages around them).
REQUESTS = (
    ("list", "GET", "/ideas"),
    ("filter", "GET", "/ideas?sdg={sdg}&service_area={service_area}"),
    ("filter_status", "GET", "/ideas?status=under_review"),
    ("sort_votes", "GET", "/ideas?sort=votes"),
    ("sort_comments", "GET", "/ideas?sort=comments"),
    ("sort_trending", "GET", "/ideas?sort=trending"),
    ("deep_page", "GET", "/ideas?page={deep_page}"),
    ("search", "GET", f"/ideas?q={SEARCH_WORD}"),
    ("idea_page", "GET", "/ideas/{idea}"),
    ("home", "GET", "/"),
    ("api_list", "GET", "/api/v1/ideas?sort=votes"),
    ("api_comments", "GET", "/api/v1/ideas/{idea}/comments"),
    ("vote", "POST", "/api/v1/ideas/{open_idea}/vote"),
    ("take_back_vote", "DELETE", "/api/v1/ideas/{open_idea}/vote"),
)


@pytest.fixture(scope="module")
def plans(database_url, tmp_path_factory):
    if not database_url.startswith("postgresql"):
        pytest.skip("query plans are checked on PostgreSQL only (set TEST_DATABASE_URL)")
    from app.accounts.models import User
    from app.accounts.services import create_api_token

    app = perf_app(database_url, tmp_path_factory)
    found: dict[str, object] = {}
    with app.app_context(), seeded(app, PLAN_SEED, analyze=True):
        context = discover(db.session.connection(), per_page=app.config.get("PER_PAGE", 20))
        voter = db.session.scalars(
            sa.select(User).where(User.role == "resident", User.is_blocked.is_(False))
            .where(~User.id.in_(sa.text(f"SELECT user_id FROM votes WHERE idea_id = {context.open_idea}")))
            .where(~User.id.in_(sa.text(f"SELECT author_id FROM ideas WHERE id = {context.open_idea}")))
            .order_by(User.id).limit(1)
        ).one()
        token = create_api_token(voter, "plans")[1]
        db.session.remove()
        client = app.test_client()
        for name, method, path in REQUESTS:
            url = path.format(**context.values())
            problem = route_problem(app, Endpoint(name, url, method=method))
            if problem:
                found[name] = problem
                continue
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"} if url.startswith(
                "/api/") else {}
            if method == "GET":
                client.open(url, method=method, headers=headers)
                db.session.remove()
            with count_queries() as log:
                response = client.open(url, method=method, headers=headers)
            db.session.remove()
            found[name] = (response.status_code, _explain(log))
    return found


def _explain(log) -> list[tuple[str, str]]:
    import psycopg

    explained = []
    raw = db.engine.raw_connection()
    try:
        # Client-side binding puts the values in, as the planner sees them for an unnamed statement.
        cursor = psycopg.ClientCursor(raw.driver_connection)
        for statement, parameters in log.statements:
            if not re.match(r"\s*(SELECT|UPDATE|DELETE|WITH)\b", statement, re.IGNORECASE):
                continue
            cursor.execute("EXPLAIN " + statement, parameters or None)
            explained.append((statement, "\n".join(row[0] for row in cursor.fetchall())))
        raw.driver_connection.rollback()
    finally:
        raw.close()
    return explained


@pytest.mark.parametrize("name", [r[0] for r in REQUESTS])
def test_query_uses_indexes_not_a_sequential_scan(plans, name):
    found = plans[name]
    if isinstance(found, str):
        pytest.skip(found)
    status, explained = found
    assert status < 400, f"{name} answered {status}"
    scans = [(sql, plan) for sql, plan in explained if SEQ_SCAN.search(plan)]
    assert not scans, "\n\n".join(
        f"{name}: sequential scan of {', '.join(sorted(set(SEQ_SCAN.findall(plan))))}\n"
        f"SQL: {' '.join(sql.split())[:600]}\nPLAN:\n{plan}"
        for sql, plan in scans
    )
