"""The page as it arrives on a phone (issue 17): nothing moves when Inter replaces its fallback,
and a first visit to the home page is light, a second one fetches nothing but the HTML.

Cumulative layout shift is measured as Lighthouse counts it (PerformanceObserver `layout-shift`
entries without recent input, summed) at 412 px, with the web font held back a second so the
swap from the local fallback to Inter happens after the first paint, as on a slow line.
"""

import re
import time

import pytest

from bench.page_metrics import CLS_OBSERVER, READ_METRICS
from tests.browser.pages import idea_with_comments, public_project

PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True,
         "has_touch": True}
FONT_DELAY = 1.0  # seconds
CLS_LIMIT = 0.1
FIRST_VISIT_LIMIT = 150 * 1024  # bytes of (compressed) bodies: the document and every resource

PAGES = [
    ("home", lambda site: "/", None),
    ("idea list", lambda site: "/ideas", None),
    ("an idea", lambda site: idea_with_comments(site, "ideas.detail"), None),
    ("idea form", lambda site: site.path("ideas.create"), "resident"),
    ("portfolio", lambda site: site.path("portfolio.portfolio"), None),
    ("a project", lambda site: public_project(site, "portfolio.project"), None),
    ("SDG page", lambda site: site.path("portfolio.sdgs"), None),
    ("login", lambda site: site.path("accounts.login"), None),
]


def _hold_fonts_back(route):
    time.sleep(FONT_DELAY)
    route.continue_()


@pytest.mark.parametrize(("name", "path_of", "who"), PAGES, ids=[p[0] for p in PAGES])
def test_nothing_moves_when_the_web_font_arrives(site, new_context, name, path_of, who):
    path = path_of(site)
    context = new_context(user=site.user_email(who) if who else None, **PHONE)
    context.add_init_script(CLS_OBSERVER)
    context.route(re.compile(r".*\.woff2(\?.*)?$"), _hold_fonts_back)
    page = context.new_page()
    page.goto(path, wait_until="load")
    result = page.evaluate(READ_METRICS)
    fonts = page.evaluate(
        "() => Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"
    )
    assert "Inter" in fonts, f"{name}: Inter never loaded ({fonts})"
    # The text stood in a local font scaled to Inter's metrics, not in the browser's default.
    assert {"Inter Fallback", "Inter Fallback DejaVu"} & set(fonts), f"{name}: no metric-matched fallback ({fonts})"
    shifts = "; ".join(f"{s['value']:.3f} at {s['at']:.0f} ms ({', '.join(s['sources'])})" for s in result["shifts"])
    assert result["cls"] < CLS_LIMIT, f"{name} ({path}): cumulative layout shift {result['cls']:.3f}: {shifts}"


def test_a_first_visit_is_light_and_a_second_fetches_only_the_html(site, new_context):
    context = new_context(**PHONE)
    static = []
    context.on("response", lambda response: static.append(response) if "/static/" in response.url else None)
    page = context.new_page()
    page.goto("/", wait_until="load")
    first = page.evaluate(READ_METRICS)
    total = first["document"]["encoded"] + sum(r["encoded"] for r in first["resources"])
    listing = "\n".join(f"  {r['encoded']:>7} {r['name']}" for r in first["resources"])
    assert total < FIRST_VISIT_LIMIT, f"first visit {total / 1024:.1f} KB:\n{listing}"
    assert first["resources"], "the home page loaded no static file at all"

    # Every static file: a hashed name, compressed where that helps, cached for a year.
    for response in static:
        assert re.search(r"/static/dist/.+\.[0-9a-f]{12}\.\w+$", response.url), f"not a hashed name: {response.url}"
        headers = response.headers
        assert headers["cache-control"] == "public, max-age=31536000, immutable", response.url
        if re.search(r"\.(css|js|svg)$", response.url):
            assert headers.get("content-encoding") in {"br", "gzip"}, response.url
            assert headers.get("vary") == "Accept-Encoding", response.url
    fonts = [r for r in first["resources"] if r["name"].endswith(".woff2")]
    assert len(fonts) == 1, f"the preloaded font and the stylesheet's must be one request: {fonts}"

    page.goto("/", wait_until="load")
    second = page.evaluate(READ_METRICS)
    fetched = [r["name"] for r in second["resources"] if r["transfer"] > 0]
    assert second["document"]["transfer"] > 0, "the HTML itself comes from the server every time"
    assert not fetched, f"the second visit fetched static files again: {fetched}"
