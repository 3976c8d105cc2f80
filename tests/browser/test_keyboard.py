"""Journey 1 and the vote with the keyboard alone: Tab, Shift+Tab, Enter, Space and the arrow
keys. At every stop the focus is drawn, and it is never lost (on <body>) or trapped.
"""

import itertools
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_focus_visible,
    focus_state,
    focused_is,
    focused_label_is,
    make_png,
    page_problems,
    tab_to,
    tab_to_field,
)

_n = itertools.count(1)


def _type_into(page, label_pattern: str, text: str) -> None:
    tab_to_field(page, label_pattern)
    page.keyboard.type(text)


def test_newcomer_registers_and_proposes_an_idea_by_keyboard_alone(new_context, site, tmp_path):
    t = lambda msgid, **v: site.t("nb", msgid, **v)  # noqa: E731
    page = new_context().new_page()
    page.goto("/?lang=nb")
    n = next(_n)
    email = f"tastatur-{n}@example.no"

    # From the top of the front page to the registration link in the menu.
    tab_to(page, focused_is("^" + t("Registrer deg") + "$"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=t("Registrer deg"))).to_be_visible()

    _type_into(page, "^" + t("Fullt navn"), "Tore Tastatur")
    _type_into(page, "^" + t("E-postadresse"), email)
    # Back with Shift+Tab and forward again: the name field is where it was.
    page.keyboard.press("Shift+Tab")
    assert_focus_visible(page, after="Shift+Tab")
    assert focused_label_is(page, "^" + t("Fullt navn")), focus_state(page)
    tab_to_field(page, "^" + t("E-postadresse"))
    _type_into(page, "^" + t("Passord") + "$", "et-langt-og-godt-passord-42")
    tab_to(page, lambda s: s.get("type") == "checkbox")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), "Space did not tick the consent box"
    tab_to(page, lambda s: s["tag"] == "button" and t("Registrer deg") in s["name"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=t("Sjekk e-posten din"))).to_be_visible()

    page.goto(site.smtp.link_to(email, r"https?://\S+/confirm/\S+"))
    expect(page.get_by_text(t("Takk! E-postadressen din er bekreftet, og du kan nå delta."))).to_be_visible()

    site.require("ideas.create", "ideas.detail")
    tab_to(page, focused_is("^" + t("Foreslå en idé") + "$"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=t("Foreslå en idé"))).to_be_visible()
    title = f"Flere benker i Fjordparken for eldre {n}"
    _type_into(page, "^" + t("Tittel"), title)
    _type_into(page, "^" + t("Beskrivelse"),
               "Eldre som går tur i Fjordparken, trenger steder å hvile. Jeg foreslår benker hver 200. meter.")
    # A select with the arrow keys: down through the topics until "Kultur og idrett".
    tab_to_field(page, "^" + t("Tema"))
    for _ in range(30):
        page.keyboard.press("ArrowDown")
        chosen = page.evaluate("() => document.activeElement.selectedOptions[0]?.text || ''")
        if chosen == "Kultur og idrett":
            break
    assert chosen == "Kultur og idrett", f"arrow keys did not reach the topic (at {chosen!r})"
    # An SDG with Space.
    tab_to(page, lambda s: s.get("type") == "checkbox" and s.get("id") == "sdgs-3")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")
    # A picture: Space on the file field opens the chooser.
    tab_to_field(page, "^" + t("Velg bilde") + "$")  # the first picture slot
    assert page.evaluate("() => document.activeElement.type") == "file", focus_state(page)
    try:
        with page.expect_file_chooser(timeout=5000) as chooser:
            page.keyboard.press("Space")
    except PlaywrightTimeoutError:
        # Headless Chromium now and then lets the first key on a file field go without a
        # dialog (the focus is on the field: checked above). A person presses again.
        assert page.evaluate("() => document.activeElement.type") == "file", focus_state(page)
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
    chooser.value.set_files(make_png(tmp_path / "benk.png"))
    _type_into(page, "^" + re.escape(t("Hva viser bilde %(n)d?", n=1)), "En tom benk ved fjorden")
    tab_to(page, lambda s: s["tag"] == "button" and t("Gå videre") in s["name"])
    page.keyboard.press("Enter")

    # Either the idea or the check for duplicates comes next; wait for one of them (right after
    # Enter the form's own heading is still there).
    published = page.get_by_role("heading", level=1, name=title)
    similar = page.get_by_role("heading", level=1, name=t("Finnes idéen allerede?"))
    expect(published.or_(similar)).to_be_visible()
    if similar.count():
        tab_to(page, lambda s: s["tag"] == "button" and t("Publiser idéen min") in s["name"])
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_role("img", name="En tom benk ved fjorden")).to_be_visible()
    assert not page_problems(page.context)


def test_vote_and_take_it_back_by_keyboard_with_focus_kept_and_the_change_announced(new_context, site):
    site.require("ideas.detail", "ideas.vote")
    t = lambda msgid, **v: site.t("nb", msgid, **v)  # noqa: E731
    idea_id = site.make_idea(site.user_email("resident", 6), f"Hundeluftegård i Sentrum {next(_n)}")
    page = new_context(user=site.new_resident("Tina Tast")).new_page()
    page.goto(f"/ideas/{idea_id}?lang=nb")
    live = page.locator("[aria-live]").filter(has_text=t("Stemmen din er registrert."))

    tab_to(page, lambda s: s["tag"] == "button" and t("Stem på idéen") in s["name"])
    page.keyboard.press("Space")
    expect(live).to_have_count(1)
    state = assert_focus_visible(page, after="voting with Space")
    assert t("Trekk tilbake stemmen") in state["name"], f"focus moved away from the vote button: {state}"

    page.keyboard.press("Enter")
    expect(page.locator("[aria-live]").filter(has_text=t("Stemmen din er trukket tilbake."))).to_have_count(1)
    state = assert_focus_visible(page, after="taking the vote back with Enter")
    assert t("Stem på idéen") in state["name"], f"focus moved away from the vote button: {state}"
    # Shift+Tab leaves the button backwards: nothing traps the focus in the vote box.
    page.keyboard.press("Shift+Tab")
    assert t("Stem på idéen") not in focus_state(page).get("name", "")
    assert_focus_visible(page, after="Shift+Tab from the vote button")
    assert not page_problems(page.context)
