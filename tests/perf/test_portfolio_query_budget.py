"""The portfolio pages (issue 17): at most 8 SQL statements each, with 5 projects as with 50."""

import pytest

from app.extensions import db
from app.portfolio.queries import LINKED_IDEAS_SHOWN
from bench.endpoints import discover
from tests.factories import make_service_area
from tests.perf.conftest import LARGE, SMALL, measure_get, perf_app, seeded
from tests.perf.test_query_counts import _ids
from tests.portfolio.conftest import make_idea, make_project

BUDGET = 8

PAGES = (
    ("portfolio", "/portfolio", None),
    ("project_page", "/portfolio/projects/{project}", None),
    ("staff_board", "/staff/portfolio/board", "staff"),
    ("api_projects", "/api/v1/projects", None),
    ("api_project", "/api/v1/projects/{project}", None),
    ("api_portfolio_board", "/api/v1/portfolio/board", "staff"),
    # The staff's own pages of one project (issue 17, round 2).
    ("project_page_staff", "/portfolio/projects/{project}", "staff"),
    ("staff_project_assessment", "/staff/projects/{project}/assessment", "staff"),
    ("staff_project_edit", "/staff/projects/{project}/edit", "staff"),
    ("staff_meeting_decision", "/staff/meetings/{meeting}/items/{agenda_item}/decision", "staff"),
)


def _measure(app, ids: dict) -> dict:
    out = {}
    for name, path, viewer in PAGES:
        url = path.format(**ids)
        out[name] = measure_get(app, url, ids["staff_user"] if viewer else None)
    return out


@pytest.fixture(scope="module")
def measured(database_url, tmp_path_factory):
    app = perf_app(database_url, tmp_path_factory)
    results = {}
    with app.app_context():
        for label, spec in (("small", SMALL), ("large", LARGE)):
            with seeded(app, spec):
                context = discover(db.session.connection(), per_page=app.config.get("PER_PAGE", 20))
                results[label] = _measure(app, _ids(context))  # with the seed's meeting and its first item
        db.engine.dispose()
    return results


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("name", [page[0] for page in PAGES])
def test_portfolio_page_costs_at_most_8_queries(measured, name, size):
    status, log = measured[size][name]
    assert status == 200, (name, size, status)
    assert log.count <= BUDGET, f"{name} ({size} seed): {log.count} queries\n{log}"


@pytest.mark.parametrize("name", [page[0] for page in PAGES])
def test_portfolio_page_costs_the_same_at_both_sizes(measured, name):
    small, large = measured["small"][name][1], measured["large"][name][1]
    assert small.count == large.count, f"{name}: {small.count} small, {large.count} large\n{large}"


def test_project_page_shows_the_most_voted_linked_ideas_and_counts_them_all(client):
    # A project may gather hundreds of ideas: the page lists the most supported, and says so.
    area = make_service_area()
    ideas = [make_idea(title=f"Lenket idé {i:03d}", service_area=area, vote_count=i)
             for i in range(LINKED_IDEAS_SHOWN + 3)]
    project = make_project(owner=area, ideas=tuple(ideas))
    html = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "53 idéer." in html
    assert "Viser de 50 idéene med flest stemmer av 53." in html
    assert "Lenket idé 052" in html and "Lenket idé 003" in html
    assert "Lenket idé 002" not in html and "Lenket idé 000" not in html
