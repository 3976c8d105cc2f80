"""What the benchmark measures: one table of endpoints, shared by bench/run.py and tests/perf.

Paths are templates filled from a Context found in the seeded database ({idea}, {sdg}, ...).
An endpoint whose route the app does not have is reported "not available yet" and skipped;
update the table here when a domain adds or renames a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from werkzeug.exceptions import MethodNotAllowed, NotFound

from bench.seed import (
    BIG_PROJECT_LINKS,
    SEARCH_WORD,
    SHOWCASE_COMMENTS,
    TOP_COMMENTS,
    showcase_id,
    top_id,
)


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    kind: str = "read"  # read | search | write | floor
    method: str = "GET"
    auth: str | None = None  # None, "token" (API bearer token) or "staff" (session of an admin)
    script: str = "get"  # bench/lua/<script>.lua
    note: str = ""

    def url(self, context: Context) -> str:
        return self.path.format(**context.values())

    @property
    def is_write(self) -> bool:
        return self.kind == "write"


FLOOR = Endpoint("floor", "/healthz", kind="floor", note="no database, no template")

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("home", "/"),
    Endpoint("ideas", "/ideas", note="default list (newest)"),
    Endpoint("ideas_by_votes", "/ideas?sort=votes"),
    Endpoint("ideas_filtered", "/ideas?sdg={sdg}&service_area={service_area}", note="SDG and service area"),
    Endpoint("ideas_deep_page", "/ideas?page={deep_page}", note="the middle of the list"),
    Endpoint("ideas_search", f"/ideas?q={SEARCH_WORD}", kind="search", note=f"«{SEARCH_WORD}»"),
    Endpoint("idea_page", "/ideas/{idea}", note=f"{SHOWCASE_COMMENTS} comments"),
    Endpoint("idea_page_top", "/ideas/{top_idea}",
             note=f"the most-voted idea: thousands of votes, {TOP_COMMENTS} comments"),
    # The same pages for a signed-in person (here the staff user): never from the page cache
    # that serves the anonymous rows above, but from the parts kept for people who may see and
    # do the same (app/core/pagecache.py: kept_fragment).
    Endpoint("ideas_signed_in", "/ideas", auth="staff", note="signed in: the parts kept for them"),
    Endpoint("idea_page_top_signed_in", "/ideas/{top_idea}", auth="staff",
             note="the most-voted idea, signed in: the parts kept for them"),
    Endpoint("project_page", "/portfolio/projects/{project}"),
    Endpoint("project_page_big", "/portfolio/projects/{big_project}",
             note=f"{BIG_PROJECT_LINKS} linked ideas (from 10,000 ideas)"),
    Endpoint("portfolio", "/portfolio"),
    Endpoint("sdgs", "/sdgs", note="SDG overview"),
    Endpoint("staff_board", "/staff/portfolio/board", auth="staff", note="prioritisation board"),
    Endpoint("moderation_queue", "/moderation", auth="staff"),
    Endpoint("answer_inbox", "/staff/answers", auth="staff", note="ideas waiting for an answer"),
    Endpoint("api_ideas", "/api/v1/ideas"),
    Endpoint("api_comments", "/api/v1/ideas/{idea}/comments"),
    # The writes last: each starts every kept page afresh (the reads are warmed again before
    # the next round).
    Endpoint("vote", "/api/v1/ideas/{open_idea}/vote", kind="write", method="POST", auth="token",
             script="vote", note="POST vote, DELETE it, alternating"),
    Endpoint("comment", "/api/v1/ideas/{open_idea}/comments", kind="write", method="POST", auth="token",
             script="comment", note="POST a comment"),
)


def by_name(name: str) -> Endpoint:
    for endpoint in (FLOOR, *ENDPOINTS):
        if endpoint.name == name:
            return endpoint
    raise KeyError(name)


def route_problem(app, endpoint: Endpoint, context: Context | None = None) -> str | None:
    """None when the app has a route for the endpoint; else the reason, naming the route."""
    path = endpoint.url(context) if context else endpoint.path.format_map(_Placeholder())
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(urlsplit(path).path, method=endpoint.method)
    except MethodNotAllowed:
        return f"route {endpoint.method} {endpoint.path} not available yet (path exists, method does not)"
    except NotFound:
        return f"route {endpoint.method} {endpoint.path} not available yet"
    return None


class _Placeholder(dict):
    def __missing__(self, key):
        return "1"


@dataclass
class Context:
    """Ids in the seeded database the endpoint paths need."""

    idea: int  # visible, with SHOWCASE_COMMENTS comments
    open_idea: int  # visible and open for votes
    sdg: int
    service_area: int
    project: int  # public, a few linked ideas
    deep_page: int
    staff_user: int
    top_idea: int  # visible, the most votes, TOP_COMMENTS comments
    big_project: int  # public, the most linked ideas (BIG_PROJECT_LINKS from 10,000 ideas)
    per_page: int = 20

    def values(self) -> dict:
        return dict(self.__dict__)


def discover(connection: sa.Connection, per_page: int = 20) -> Context:
    """Find the ids the paths need, with plain SQL (independent of the models' Python)."""

    def one(sql: str, default=None):
        try:
            value = connection.exec_driver_sql(sql).scalar()
        except sa.exc.DBAPIError:
            connection.rollback()
            return default
        return default if value is None else value

    ideas = one("SELECT COUNT(*) FROM ideas", 0)
    idea = one(f"SELECT id FROM ideas WHERE id = {showcase_id(ideas)} AND visibility = 'visible'") or one(
        "SELECT id FROM ideas WHERE visibility = 'visible' ORDER BY comment_count DESC, id LIMIT 1", 1)
    open_idea = one("SELECT id FROM ideas WHERE visibility = 'visible' AND status IN ('submitted', 'under_review') "
                    "ORDER BY vote_count DESC, id LIMIT 1", idea)
    service_area = one("SELECT service_area_id FROM ideas GROUP BY service_area_id ORDER BY COUNT(*) DESC, "
                       "service_area_id LIMIT 1", 1)
    visible = one("SELECT COUNT(*) FROM ideas WHERE visibility = 'visible'", 0)
    top_votes = one("SELECT MAX(vote_count) FROM ideas WHERE visibility = 'visible'", 0)
    top_idea = one(f"SELECT id FROM ideas WHERE id = {top_id(ideas)} AND visibility = 'visible' "
                   f"AND vote_count = {int(top_votes)}") or one(
        "SELECT id FROM ideas WHERE visibility = 'visible' ORDER BY vote_count DESC, id LIMIT 1", idea)
    most_linked = ("SELECT p.id FROM projects p JOIN project_ideas l ON l.project_id = p.id WHERE p.public {} "
                   "GROUP BY p.id ORDER BY COUNT(*) DESC, p.id LIMIT 1")
    big_project = one(most_linked.format(""), 1)
    project = one(most_linked.format(f"AND p.id <> {int(big_project)}"), big_project)
    staff = one("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1", 1)
    pages = max(1, -(-visible // per_page))
    return Context(idea=idea, open_idea=open_idea, sdg=11, service_area=service_area, project=project,
                   deep_page=max(1, pages // 2), staff_user=staff, top_idea=top_idea, big_project=big_project,
                   per_page=per_page)
