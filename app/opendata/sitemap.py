"""sitemap.xml: the public pages, every public project and every visible idea, with lastmod.

Past SITEMAP_LIMIT addresses (the protocol's 50,000) /sitemap.xml becomes a sitemap index of
pages of SITEMAP_LIMIT each. Rows are read in batches and the XML is streamed.
"""

import math
from collections.abc import Iterator
from datetime import datetime
from xml.sax.saxutils import escape

from sqlalchemy import func, select

from app.core.db import as_utc
from app.core.urls import external_url
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.opendata.exports import address_of
from app.portfolio.models import Project
from app.portfolio.permissions import visible_projects

SITEMAP_LIMIT = 50_000
BATCH = 1000
# Public pages without a row of their own.
STATIC_ENDPOINTS = (
    "ideas.home", "ideas.index", "portfolio.portfolio", "portfolio.sdgs", "opendata.index",
    "opendata.description", "accessibility.statement", "privacy.policy",
)
GOALS = range(1, 18)

_PUBLIC_IDEAS = (Idea.visibility == Visibility.VISIBLE,)


def _static() -> list[tuple[str, datetime | None]]:
    urls = [(external_url(endpoint), None) for endpoint in STATIC_ENDPOINTS]
    urls += [(external_url("portfolio.sdg", number=n), None) for n in GOALS]
    return urls


def _counts() -> tuple[int, int, int]:
    projects, ideas = db.session.execute(select(
        select(func.count(Project.id)).where(visible_projects(None)).scalar_subquery(),
        select(func.count(Idea.id)).where(*_PUBLIC_IDEAS).scalar_subquery(),
    )).one()
    return len(STATIC_ENDPOINTS) + len(GOALS), int(projects), int(ideas)


def page_count() -> int:
    """How many sitemap pages; 1 means /sitemap.xml is the one urlset."""
    return max(1, math.ceil(sum(_counts()) / SITEMAP_LIMIT))


def _window(stmt, start: int, stop: int, path) -> Iterator[tuple[str, datetime | None]]:
    """Rows [start, stop) of an ordered (id, updated) statement, as (address, lastmod)."""
    if stop <= start:
        return
    result = db.session.execute(stmt.offset(start).limit(stop - start).execution_options(yield_per=BATCH))
    for row_id, updated in result:
        yield path(row_id), updated


def urls(page: int) -> Iterator[tuple[str, datetime | None]]:
    """The page's addresses: the public pages first, then projects, then ideas, by id."""
    statics, projects, _ideas = _counts()
    start, stop = (page - 1) * SITEMAP_LIMIT, page * SITEMAP_LIMIT
    static = _static()
    yield from static[start:stop]
    offset = start - statics
    yield from _window(
        select(Project.id, Project.updated_at).where(visible_projects(None)).order_by(Project.id),
        max(0, offset), min(projects, stop - statics),
        address_of("portfolio.project", "project_id"),
    )
    offset -= projects
    yield from _window(
        select(Idea.id, Idea.updated_at).where(*_PUBLIC_IDEAS).order_by(Idea.id),
        max(0, offset), max(0, stop - statics - projects),
        address_of("ideas.detail", "idea_id"),
    )


def _lastmod(value: datetime | None) -> str:
    return f"<lastmod>{as_utc(value).replace(microsecond=0).isoformat()}</lastmod>" if value else ""


HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def urlset(page: int) -> Iterator[str]:
    yield HEAD + f'<urlset xmlns="{NS}">\n'
    for loc, updated in urls(page):
        yield f"<url><loc>{escape(loc)}</loc>{_lastmod(updated)}</url>\n"
    yield "</urlset>\n"


def index(pages: int) -> str:
    items = "".join(
        f"<sitemap><loc>{escape(external_url('opendata.sitemap_page', page=n))}</loc></sitemap>\n"
        for n in range(1, pages + 1)
    )
    return HEAD + f'<sitemapindex xmlns="{NS}">\n{items}</sitemapindex>\n'


def robots_txt() -> str:
    """Crawl the public pages, not staff screens, the API or a person's profile."""
    return (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /admin\n"
        "Disallow: /api\n"
        "Disallow: /profile\n"
        f"\nSitemap: {external_url('opendata.sitemap_xml')}\n"
    )
