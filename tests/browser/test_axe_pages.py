"""Every page type through axe-core (WCAG 2.0/2.1 A and AA) in bokmål and English, plus what axe
cannot see: <html lang>, one <h1> and headings in order, visible labels, errors tied to their
fields, text on every badge, and no console errors (a CSP violation is one).
"""

import pytest

from tests.browser.helpers import (
    LANGS,
    badge_problems,
    error_link_problems,
    format_violations,
    heading_problems,
    label_problems,
    open_all_details,
    page_problems,
    run_axe,
    with_lang,
)
from tests.browser.pages import PAGES, covered_endpoints, email_of, resolve

# Routes that are not pages a person reads: JSON, files, redirects, form targets.
NOT_PAGES_PREFIXES = ("api.", "static")
NOT_PAGES = {
    "ideas.image",  # a picture
    "moderation.log_csv",
    "portfolio.board_csv",
    "portfolio.decisions_csv",
    "portfolio.meeting_pdf",  # the meeting document (PDF, tagged; tests/portfolio/test_meeting_pdf.py)
    "portfolio.meeting_csv",
    "portfolio.project_changes_csv",
    "initiatives.signers_csv",  # a CSV download
    "initiatives.scan",  # a scan of paper signature lists, a download for staff
    "portfolio.systems_csv",  # the systems register as CSV, and the import's template
    "portfolio.systems_template",
    "moderation.report_sent",  # shown after a report, in the journeys
    "core.healthz",
    "core.readyz",  # plain text for load balancers
    "core.security_txt",  # plain text (RFC 9116)
    "accounts.confirm_email",  # a link that redirects; its failure page is "broken link"
    "accounts.logout",
    "comments.show",  # a lasting link to a comment: redirects to its page of the idea (test_comment_links)
    "accounts.oidc_frontchannel_logout",  # an empty page the provider frames (test_oidc_frontchannel)
    "portfolio.find_ideas",  # JSON for the staff pickers' suggestions
    "portfolio.find_projects",  # JSON for the staff pickers' suggestions
    "opendata.ideas_feed",  # Atom feeds, for feed readers
    "opendata.idea_feed",
    "opendata.project_feed",
    "opendata.answers_feed",
    "opendata.initiatives_feed",
    "opendata.download",  # the open-data CSV and JSON files
    "opendata.data_package",  # their metadata (JSON)
    "opendata.sitemap_xml",  # XML for search engines
    "opendata.sitemap_page",
    "opendata.robots",  # plain text for crawlers
}


def _open(new_context, site, spec, lang):
    path = resolve(site, spec)
    context = new_context(user=email_of(site, spec.who), lang=lang, csp="report")
    page = context.new_page()
    response = page.goto(with_lang(path, lang))
    assert response is not None
    assert response.status == spec.status, f"{spec.name}: {path} answered {response.status}"
    if spec.prepare:
        spec.prepare(page)
    return context, page, path


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_page_passes_axe_and_structure_checks(new_context, site, spec, lang):
    context, page, path = _open(new_context, site, spec, lang)
    problems = []
    violations = run_axe(page)
    if violations:
        problems.append("axe-core (WCAG 2.0/2.1 A, AA) violations:\n" + format_violations(violations))
    html_lang = page.evaluate("() => document.documentElement.lang")
    if html_lang != lang:
        problems.append(f'<html lang="{html_lang}">, expected "{lang}"')
    # What a search engine shows under the link (issue 17): every page says what it is.
    description = page.evaluate("() => (document.querySelector('meta[name=description]') || {}).content || ''")
    if len(description.strip()) < 20:
        problems.append(f"<meta name=description> missing or too short: {description!r}")
    problems.extend(heading_problems(page))
    problems.extend(error_link_problems(page))
    # What is folded away (filters, reply forms, more pictures) must be labelled too.
    open_all_details(page)
    problems.extend(label_problems(page))
    problems.extend(badge_problems(page))
    console = page_problems(context, document_url=page.url)
    if console:
        problems.append("console errors and CSP violations:\n  " + "\n  ".join(console))
    assert not problems, f"{spec.name} ({path}, {lang}):\n" + "\n".join(problems)


def test_nynorsk_sets_html_lang_and_is_remembered(page):
    for path in ("/", "/login", "/sdgs"):
        page.goto(with_lang(path, "nn"))
        assert page.evaluate("() => document.documentElement.lang") == "nn"
    # The choice is remembered: the next page without ?lang= is still nynorsk.
    page.goto("/privacy")
    assert page.evaluate("() => document.documentElement.lang") == "nn"


def test_every_page_route_is_in_the_page_table(site):
    """A new page must join the table above, so axe and the structure checks see it."""
    covered = covered_endpoints()
    missing = []
    for rule in site.app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint.startswith(NOT_PAGES_PREFIXES) or rule.endpoint in NOT_PAGES:
            continue
        if rule.endpoint not in covered:
            missing.append(f"{rule.endpoint} ({rule.rule})")
    assert not missing, "pages not in tests/browser/pages.py PAGES:\n  " + "\n  ".join(sorted(missing))
