"""A page costs a fixed number of queries: the same with 5 ideas, comments, projects as with 50."""

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from bench.endpoints import Endpoint, discover, route_problem
from bench.seed import SEARCH_WORD
from tests.perf.conftest import LARGE, SMALL, count_queries, perf_app, seeded

# Every page and API list, with who looks at it. Paths are filled from the seeded database.
PAGES = (
    ("home", "/", None),
    ("home_resident", "/", "resident"),
    ("ideas", "/ideas", None),
    ("ideas_resident", "/ideas", "resident"),
    ("ideas_by_votes", "/ideas?sort=votes", None),
    ("ideas_by_comments", "/ideas?sort=comments", None),
    ("ideas_trending", "/ideas?sort=trending", None),
    ("ideas_filtered", "/ideas?sdg={sdg}&service_area={service_area}&status=submitted", None),
    ("ideas_search", f"/ideas?q={SEARCH_WORD}", None),
    ("idea_page", "/ideas/{idea}", None),
    ("idea_page_resident", "/ideas/{idea}", "resident"),
    ("idea_page_staff", "/ideas/{idea}", "staff"),
    ("idea_comments", "/ideas/{idea}/comments", None),
    ("portfolio", "/portfolio", None),
    ("project_page", "/portfolio/projects/{project}", None),
    ("sdgs", "/sdgs", None),
    ("sdg_page", "/sdgs/{sdg}", None),
    ("transparency", "/transparency", None),
    ("ideas_feed", "/feeds/ideas.atom?sdg={sdg}", None),
    ("idea_feed", "/feeds/ideas/{idea}.atom", None),
    ("project_feed", "/feeds/projects/{project}.atom", None),
    ("answers_feed", "/feeds/answers.atom", None),
    ("organisation", "/organisations/{organisation}", None),
    ("messages", "/messages", "resident"),
    ("my_reports", "/my/reports", "resident"),
    ("my_organisations", "/my/organisations", "resident"),
    ("staff_board", "/staff/portfolio/board", "staff"),
    ("staff_decisions", "/staff/portfolio/decisions", "staff"),
    ("staff_answers", "/staff/answers", "staff"),
    ("staff_organisations", "/staff/organisations", "staff"),
    ("moderation_queue", "/moderation", "staff"),
    ("moderation_log", "/moderation/log", "staff"),
    ("moderation_people", "/moderation/people", "staff"),
    ("admin_users", "/admin/users", "staff"),
    ("api_ideas", "/api/v1/ideas", None),
    ("api_ideas_by_votes", "/api/v1/ideas?sort=votes", None),
    ("api_ideas_search", f"/api/v1/ideas?q={SEARCH_WORD}", None),
    ("api_idea", "/api/v1/ideas/{idea}", None),
    ("api_idea_comments", "/api/v1/ideas/{idea}/comments", None),
    ("api_idea_endorsements", "/api/v1/ideas/{idea}/endorsements", None),
    ("api_similar", f"/api/v1/ideas/similar?text={SEARCH_WORD}+for+barn", None),
    ("api_projects", "/api/v1/projects", None),
    ("api_project", "/api/v1/projects/{project}", None),
    ("api_sdgs_overview", "/api/v1/sdgs/overview", None),
    ("api_portfolio_board", "/api/v1/portfolio/board", "staff"),
    ("api_moderation_queue", "/api/v1/moderation/queue", "staff"),
    ("api_moderation_log", "/api/v1/moderation/log", "staff"),
)


def _ids(context) -> dict:
    values = context.values()
    values["organisation"] = db.session.scalar(sa.text(
        "SELECT organisation_id FROM memberships GROUP BY organisation_id ORDER BY COUNT(*) DESC, "
        "organisation_id LIMIT 1")) or 1
    # The organisation member who voted most: the lists mark every idea they voted for, and
    # their pages have an organisation to show, in both seeds alike. Not the idea's author, or
    # the idea's query would load them before the login does in one seed and not the other.
    values["resident"] = db.session.scalar(sa.text(
        "SELECT v.user_id FROM votes v JOIN users u ON u.id = v.user_id "
        "JOIN memberships m ON m.user_id = u.id WHERE u.role = 'resident' AND NOT u.is_blocked "
        "AND u.id NOT IN (SELECT author_id FROM ideas WHERE id = :idea) "
        "GROUP BY v.user_id ORDER BY COUNT(*) DESC, v.user_id LIMIT 1"), {"idea": values["idea"]})
    return values


def _measure(app, ids: dict) -> dict:
    out = {}
    for name, path, viewer in PAGES:
        url = path.format(**ids)
        problem = route_problem(app, Endpoint(name, url))
        if problem:
            out[name] = problem
            continue
        client = app.test_client()
        if viewer:
            with client.session_transaction() as session:
                # The session id carries the user's session token (User.get_id), not the bare id.
                user_id = ids["resident"] if viewer == "resident" else ids["staff_user"]
                session["_user_id"] = db.session.get(User, user_id).get_id()
                session["_fresh"] = True
        headers = {"Accept": "application/json"} if url.startswith("/api/") else {}
        client.get(url, headers=headers)  # warm: first-request work is not the page's cost
        # A request inside this test's app context shares its session: empty it, as a real
        # request starts with an empty one, or the identity map hides queries.
        db.session.remove()
        with count_queries() as log:
            response = client.get(url, headers=headers)
        db.session.remove()
        out[name] = (response.status_code, log)
    return out


@pytest.fixture(scope="module")
def measured(database_url, tmp_path_factory):
    app = perf_app(database_url, tmp_path_factory)
    results = {}
    with app.app_context():
        for label, spec in (("small", SMALL), ("large", LARGE)):
            with seeded(app, spec):
                context = discover(db.session.connection(), per_page=app.config.get("PER_PAGE", 20))
                results[label] = _measure(app, _ids(context))
        db.engine.dispose()
    return results


@pytest.mark.parametrize("name", [page[0] for page in PAGES])
def test_page_costs_the_same_queries_with_5_and_50_items(measured, name):
    small, large = measured["small"][name], measured["large"][name]
    if isinstance(small, str):
        pytest.skip(small)
    (small_status, small_log), (large_status, large_log) = small, large
    assert small_status == 200 and large_status == 200, (name, small_status, large_status)
    assert small_log.count == large_log.count, (
        f"{name}: {small_log.count} queries with the small seed, {large_log.count} with the large one\n"
        f"--- small ---\n{small_log}\n--- large ---\n{large_log}"
    )


def test_seeded_sizes_differ_tenfold():
    # The test means something only while the two seeds differ in what the pages list.
    assert LARGE.ideas >= 10 * SMALL.ideas and LARGE.comments >= 10 * SMALL.comments
    assert LARGE.projects >= 10 * SMALL.projects
