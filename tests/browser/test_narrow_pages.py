"""Defects found by hand on narrow screens and in colour, checked in Chromium: at 320 px a long
tag on /my/reports stays inside its card; at 360 px the answer inbox (as cards) and the board keep
each idea's deadline and the actions in view; the "/" in the SDG matrix reads at 4.5:1 or more on
every cell colour. Screenshots land in artifacts/screenshots/narrow/ to be looked at.
"""

import re

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import ARTIFACTS, overflow_problems, with_lang

SHOTS = ARTIFACTS / "screenshots" / "narrow"


def _open(new_context, site, path: str, who: str | None, width: int) -> Page:
    email = site.user_email(who) if who else None
    page = new_context(user=email, viewport={"width": width, "height": 800}).new_page()
    page.goto(with_lang(path, "nb"))
    return page


def _shot(page: Page, name: str, selector: str) -> None:
    """The viewport with the element at its top, as a person sees it after scrolling there."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(selector).first.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def _outside(page: Page, selector: str, container: str | None = None, limit: int = 12) -> list[str]:
    """Elements matching `selector` whose box is not inside the viewport (or their `container`)."""
    return page.evaluate(
        """([selector, container, limit]) => {
            const out = [];
            const width = document.documentElement.clientWidth;
            for (const el of Array.from(document.querySelectorAll(selector)).slice(0, limit)) {
                const r = el.getBoundingClientRect();
                if (r.width === 0) { out.push(`${selector} "${el.innerText.trim().slice(0, 40)}" is not shown`); continue; }
                const box = container ? el.closest(container).getBoundingClientRect() : {left: 0, right: width};
                if (r.left < box.left - 0.5 || r.right > box.right + 0.5)
                    out.push(`${selector} "${el.innerText.trim().replace(/\\s+/g, ' ').slice(0, 40)}" spans ${Math.round(r.left)}–${Math.round(r.right)} px, outside ${Math.round(box.left)}–${Math.round(box.right)} px`);
            }
            return out;
        }""",
        [selector, container, limit],
    )


def _sideways_scroll(page: Page, selector: str) -> list[str]:
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter(el => el.scrollWidth > el.clientWidth + 1)
            .map(el => `${selector} scrolls sideways: ${el.scrollWidth} px in ${el.clientWidth} px`)""",
        selector,
    )


def test_a_long_tag_on_my_reports_stays_inside_its_card_at_320_px(new_context, site):
    page = _open(new_context, site, "/my/reports", "resident", 320)
    tags = page.locator(".moderation-card .ds-tag")
    assert tags.count(), "the demo resident has no reports with an outcome"
    assert page.locator(".moderation-card .ds-tag", has_text="Vurdert, fikk bli stående").count(), \
        "the demo resident has no dismissed report (the long tag)"
    _shot(page, "my-reports-320", ".moderation-card")
    problems = _outside(page, ".moderation-card .ds-tag", ".moderation-card") + overflow_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [320, 360])
def test_the_answer_inbox_is_cards_with_deadline_and_answer_button_in_view(new_context, site, width):
    page = _open(new_context, site, "/staff/answers", "portfolio_manager", width)
    assert page.locator(".inbox-table tbody tr").count(), "the demo inbox is empty"
    _shot(page, f"inbox-{width}", ".inbox-table")
    problems = (
        _outside(page, ".inbox-table td[data-label]")
        + _outside(page, ".inbox-table a.ds-button")
        + _sideways_scroll(page, ".table-wrap")
        + overflow_problems(page)
    )
    assert not problems, "\n".join(problems)
    # Each value is named in the card ("Frist: 3. des. 2026"), and the button still names its idea.
    first = page.locator(".inbox-table tbody tr").first
    labels = first.locator("td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert any(label.startswith('"Frist: "') for label in labels), labels
    assert re.fullmatch(r"Svar .+", first.locator("a.ds-button").text_content().strip())


def test_the_answer_inbox_is_a_table_on_a_wide_screen(new_context, site):
    page = _open(new_context, site, "/staff/answers", "portfolio_manager", 1280)
    assert page.evaluate("() => getComputedStyle(document.querySelector('.inbox-table')).display") == "table"
    assert page.locator(".inbox-table thead th", has_text="Frist").is_visible()
    assert not page.locator(".inbox-table td[data-label]").first.evaluate(
        "el => getComputedStyle(el, '::before').content.includes('Frist')"
    )


def test_the_board_keeps_each_projects_assess_link_in_view_at_360_px(new_context, site):
    page = _open(new_context, site, "/staff/portfolio/board", "portfolio_manager", 360)
    assert page.locator(".board-table tbody tr").count(), "the demo board is empty"
    _shot(page, "board-360", ".board-table")
    problems = _outside(page, ".board-table a.board-table__action") + _outside(
        page, ".board-table tbody td:nth-child(2) > a.ds-link:first-child"
    ) + overflow_problems(page)
    assert not problems, "\n".join(problems)


_CONTRAST_JS = """() => {
    const rgb = (value) => {
        const m = value.match(/rgba?\\(([\\d.]+),? ([\\d.]+),? ([\\d.]+)(?:,? \\/? ?([\\d.]+))?\\)/);
        if (!m) throw new Error('unreadable colour ' + value);
        return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    };
    const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c[3] > 0) return c;
        }
        return [255, 255, 255, 1];
    };
    const lum = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const out = [];
    for (const cell of document.querySelectorAll('.matrix-cell')) {
        for (const part of cell.querySelectorAll('.matrix-cell__sep, .matrix-cell__ideas, .matrix-cell__projects')) {
            const [a, b] = [lum(rgb(getComputedStyle(part).color)), lum(background(cell))];
            out.push({heat: cell.className, part: part.className, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)});
        }
    }
    return out;
}"""


def test_the_sdg_matrix_separator_has_aa_contrast_on_every_cell_colour(new_context, site):
    page = _open(new_context, site, "/sdgs", None, 1280)
    measured = page.evaluate(_CONTRAST_JS)
    heats = {m["heat"] for m in measured}
    assert any("heat-4" in h for h in heats), f"no cell of the darkest colour to measure: {heats}"
    low = sorted({(m["heat"], m["part"], round(m["ratio"], 2)) for m in measured if m["ratio"] < 4.5})
    assert not low, f"text under 4.5:1 in the SDG matrix: {low}"
