"""`python -m bench.page_metrics`: what the eight public pages of issue 17 cost a phone as they arrive.

Serves the demo municipality with gunicorn (as production does: no debug server) and opens
home, the idea list, an idea, the idea form, the portfolio, a project, the SDG page and the
login page in Debian's Chromium at 412 px (a mid-range phone), and prints per page:

- CLS: the sum of the page's `layout-shift` entries (PerformanceObserver, as Lighthouse
  counts them: not after input), with the web fonts held back FONT_DELAY ms, so the swap
  from the fallback font to Inter happens after the first paint, as it does on a slow line;
- first visit: bytes on the wire (transferSize: compressed bodies and headers) of the
  document and every resource, the bodies alone (encodedBodySize), and the resources;
- repeat visit: the same page again in the same browser: what came over the network
  besides the document (nothing, when every static file is cached for good).

    python -m bench.page_metrics                      # demo data in /tmp/medvirk-page-metrics.db
    python -m bench.page_metrics --db postgresql://postgres@127.0.0.1:5432/medvirk_demo
    python -m bench.page_metrics --url http://127.0.0.1:5000   # a server already running

Nothing here runs in the test suite; tests/browser/test_layout_shift.py and
test_static_transfer.py hold the assertions, and bench/lighthouse.sh the Lighthouse run.
"""

import argparse
import json
import os
import re
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# A mid-range Android phone, as Lighthouse's mobile profile (Moto G Power: 412 x 823 CSS px).
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True,
         "has_touch": True}
FONT_DELAY = 1000  # ms: Inter arrives well after the first paint

# Installed before any script of the page: every layout shift not caused by input, summed.
CLS_OBSERVER = """
window.__cls = 0; window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    window.__shifts.push({value: entry.value, at: entry.startTime,
      sources: (entry.sources || []).map(s => s.node ? (s.node.nodeName + '.' + (s.node.className || '')) : '?')});
  }
}).observe({type: 'layout-shift', buffered: true});
"""

# After load and the fonts: the layout shift sum and what came over the network.
READ_METRICS = """
async () => {
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await new Promise(r => setTimeout(r, 300));
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource').map(r => ({
    name: r.name, transfer: r.transferSize, encoded: r.encodedBodySize, decoded: r.decodedBodySize,
    type: r.initiatorType}));
  return {cls: window.__cls || 0, shifts: window.__shifts || [],
          document: {transfer: nav.transferSize, encoded: nav.encodedBodySize},
          resources};
}
"""


def pages(base: str, opener) -> dict[str, str]:
    """The eight pages of the issue; an idea and a project found on the list pages."""
    ideas = opener(base + "/ideas?sort=votes").read().decode()
    portfolio = opener(base + "/portfolio").read().decode()
    idea = re.search(r'href="(/ideas/\d+)"', ideas)
    project = re.search(r'href="(/portfolio/projects/\d+)"', portfolio)
    found = {"home": "/", "ideas": "/ideas", "idea": idea.group(1) if idea else None,
             "idea form": "/ideas/new", "portfolio": "/portfolio",
             "project": project.group(1) if project else None, "sdgs": "/sdgs", "login": "/login"}
    return {name: path for name, path in found.items() if path}


def measure(browser, base: str, path: str, cookie: str | None, font_delay: int) -> dict:
    def new_context():
        context = browser.new_context(base_url=base, locale="nb-NO", **PHONE)
        if cookie:
            context.add_cookies([{"name": k, "value": v, "url": base}
                                 for k, v in (part.split("=", 1) for part in cookie.split("; "))])
        context.add_init_script(CLS_OBSERVER)
        return context

    # Layout shift, with the fonts held back (routing switches the HTTP cache off: its own context).
    context = new_context()

    def slow_font(route):
        time.sleep(font_delay / 1000)
        route.continue_()

    context.route(re.compile(r".*\.woff2(\?.*)?$"), slow_font)
    page = context.new_page()
    page.goto(path, wait_until="load")
    shifted = page.evaluate(READ_METRICS)
    context.close()

    # Transfer: a first visit, then the same page again in the same browser.
    context = new_context()
    page = context.new_page()
    page.goto(path, wait_until="load")
    first = page.evaluate(READ_METRICS)
    page.goto(path, wait_until="load")
    second = page.evaluate(READ_METRICS)
    context.close()
    return {
        "cls": round(shifted["cls"], 4),
        "shifts": shifted["shifts"],
        "cls_unthrottled": round(first["cls"], 4),
        "first_transfer": first["document"]["transfer"] + sum(r["transfer"] for r in first["resources"]),
        "first_encoded": first["document"]["encoded"] + sum(r["encoded"] for r in first["resources"]),
        "first_decoded": sum(r["decoded"] for r in first["resources"]),
        "resources": [(r["name"].replace(base, ""), r["transfer"], r["encoded"], r["decoded"])
                      for r in first["resources"]],
        "repeat_document": second["document"]["transfer"],
        "repeat_static": [(r["name"].replace(base, ""), r["transfer"])
                          for r in second["resources"] if r["transfer"] > 0],
    }


def _prepare_database(url: str) -> None:
    from bench.run import _flask

    _flask(["db", "upgrade", "heads"], url)
    _flask(["seed-demo", "--if-empty"], url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:////tmp/medvirk-page-metrics.db",
                        help="database for the demo data (seeded when empty)")
    parser.add_argument("--url", help="measure a server already running instead")
    parser.add_argument("--font-delay", type=int, default=FONT_DELAY, help="ms the fonts are held back")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--resources", action="store_true", help="list each resource of the first visit")
    args = parser.parse_args(argv)

    from types import SimpleNamespace

    from playwright.sync_api import sync_playwright

    from app.demo import DEMO_PASSWORD
    from bench.run import Server

    server = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        _prepare_database(args.db)
        server = Server(args.db, 1, [], Path("/tmp/medvirk-page-metrics-gunicorn.log"))
        base = server.base
    try:
        # The idea form needs a resident: bench.run's login through the form, on any server.
        cookie = Server.login(SimpleNamespace(base=base), "ingrid.haugen-berg@example.no", DEMO_PASSWORD)
        found = pages(base, lambda url: urllib.request.urlopen(url, timeout=30))
        results = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            for name, path in found.items():
                results[name] = {"path": path, **measure(
                    browser, base, path, cookie if name == "idea form" else None, args.font_delay)}
            browser.close()
    finally:
        if server:
            server.stop()

    print(f"{'page':<10} {'path':<24} {'CLS':>6} {'CLS0':>6} {'1st KB':>7} {'bodies':>7} "
          f"{'unzipped':>8} {'n':>3} {'2nd: static':>11}")
    for name, r in results.items():
        print(f"{name:<10} {r['path']:<24} {r['cls']:>6.3f} {r['cls_unthrottled']:>6.3f} "
              f"{r['first_transfer'] / 1024:>7.1f} {r['first_encoded'] / 1024:>7.1f} "
              f"{r['first_decoded'] / 1024:>8.1f} {len(r['resources']):>3} {len(r['repeat_static']):>11}")
        if args.resources:
            for res in r["resources"]:
                print(f"    {res[0]:<70} {res[1]:>8} {res[2]:>8} {res[3]:>8}")
        for shift in r["shifts"] if r["cls"] >= 0.01 else []:
            print(f"    shift {shift['value']:.4f} at {shift['at']:.0f} ms: {', '.join(shift['sources'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
