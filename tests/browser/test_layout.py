"""The shared layout in a real browser: skip link, focus, reflow at 320 CSS px, 200 % zoom,
no orientation lock, and phone and desktop screenshots of the main pages as artefacts.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    ROOT,
    assert_focus_visible,
    clipped_text_problems,
    focus_state,
    overflow_problems,
    page_problems,
    with_lang,
)
from tests.browser.pages import MAIN_PAGES, PAGES, email_of, resolve


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til hovedinnhold")
    expect(skip).to_be_focused()
    assert_focus_visible(page, after="the first Tab")
    box = skip.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10 and box["y"] >= 0, "skip link not shown on focus"
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab lands inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')"), focus_state(page)


@pytest.mark.parametrize("spec", MAIN_PAGES, ids=[p.name for p in MAIN_PAGES])
def test_tab_walks_the_whole_page_with_visible_focus_and_no_trap(new_context, site, spec):
    """From the top, Tab visits every control once, each drawn with a visible focus, and leaves
    the page after the footer's last link: nothing is skipped, hidden or trapped."""
    path = resolve(site, spec)
    page = new_context(user=email_of(site, spec.who)).new_page()
    page.goto(with_lang(path, "nb"))
    count = page.evaluate(
        """() => Array.from(document.querySelectorAll(
                'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
            .filter(el => el.checkVisibility() && !el.disabled).length"""
    )
    seen = []
    for _ in range(count + 10):
        page.keyboard.press("Tab")
        state = focus_state(page)
        if state["lost"]:
            break  # past the last control: the browser's own UI is next
        assert state["visible"], f"{spec.name}: no visible focus on {state['html']}"
        assert not seen or state["index"] != seen[-1], f"{spec.name}: focus is stuck on {state['html']}"
        seen.append(state["index"])
    last = page.evaluate(
        "() => Array.prototype.indexOf.call(document.getElementsByTagName('*'), Array.from(document.querySelectorAll('footer a')).pop())"
    )
    assert last in seen, f"{spec.name}: Tab never reached the footer ({len(seen)} stops of about {count})"


def test_shift_tab_goes_back_the_way_tab_came(page):
    page.goto("/?lang=nb")
    page.get_by_role("link", name="Personvern").focus()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Tilgjengelighetserklæring")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Personvern")).to_be_focused()
    assert_focus_visible(page, after="Tab")


@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_page_reflows_at_320_css_pixels(new_context, site, spec):
    """WCAG 1.4.10: content at 320 CSS px wide (1280 px at 400 %) without horizontal scrolling."""
    path = resolve(site, spec)
    page = new_context(user=email_of(site, spec.who), viewport={"width": 320, "height": 640}).new_page()
    page.goto(with_lang(path, "nb"))
    if spec.prepare:
        spec.prepare(page)
    problems = overflow_problems(page)
    assert not problems, f"{spec.name} ({path}) at 320 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("spec", MAIN_PAGES, ids=[p.name for p in MAIN_PAGES])
def test_main_pages_readable_at_200_percent_zoom(new_context, site, spec):
    """WCAG 1.4.4: 200 % zoom of a 1280 px window is a 640 CSS px viewport with twice the pixels;
    with the text itself doubled on top, nothing is cut off or forces sideways scrolling."""
    path = resolve(site, spec)
    context = new_context(user=email_of(site, spec.who), viewport={"width": 640, "height": 450},
                          device_scale_factor=2)
    page = context.new_page()
    page.goto(with_lang(path, "nb"))
    problems = overflow_problems(page) + clipped_text_problems(page)
    assert not problems, f"{spec.name} ({path}) at 200 %:\n" + "\n".join(problems)
    assert not page_problems(context)


def test_no_stylesheet_locks_the_orientation():
    """WCAG 1.3.4: no CSS that rotates or hides the page in one orientation."""
    sheets = list((ROOT / "static" / "css").glob("*.css")) + list((ROOT / "static" / "vendor").rglob("*.css"))
    offenders = []
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"@media[^{]*orientation[^{]*\{", text):
            offenders.append(f"{sheet.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, "orientation media queries (check they do not lock the layout):\n" + "\n".join(offenders)


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("spec", MAIN_PAGES, ids=[p.name for p in MAIN_PAGES])
def test_screenshots_of_the_main_pages(new_context, site, spec, size):
    """Phone (375×812) and desktop (1280×900) screenshots, saved as artefacts of the run in
    artifacts/screenshots/; at both sizes the page has no sideways scroll."""
    viewport = PHONE if size == "phone" else DESKTOP
    path = resolve(site, spec)
    page = new_context(user=email_of(site, spec.who), viewport=viewport, is_mobile=size == "phone",
                       has_touch=size == "phone").new_page()
    page.goto(with_lang(path, "nb"))
    folder = ARTIFACTS / "screenshots" / size
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{_slug(spec.name)}.png"), full_page=True)
    problems = overflow_problems(page)
    assert not problems, f"{spec.name} ({path}) on a {size}:\n" + "\n".join(problems)
