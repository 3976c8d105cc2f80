"""A form sent back with errors, with JavaScript on, as a screen-reader user meets it: every field
at fault is aria-invalid="true" and names its error message once in aria-describedby, also after
Designsystemet's <ds-field> has run and while the person types to fix it; and the page's title
starts with "Feil i skjemaet", so the first thing read says the form came back.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import with_lang
from tests.browser.pages import PAGES, email_of, idea_with_comments, resolve, send_form_empty

# Sent empty, the message settings keep every choice and are saved: no error to look at.
ERROR_PAGES = [spec for spec in PAGES
               if spec.prepare is send_form_empty and spec.name != "message settings with errors"]

# For every visible error message: the controls that name it, and what is wrong with them.
_WIRING_JS = """() => {
    const problems = [];
    const shown = (el) => el.checkVisibility() && (el.innerText || '').trim();
    const messages = Array.from(document.querySelectorAll('.ds-validation-message')).filter(shown);
    const described = Array.from(document.querySelectorAll('[aria-describedby]'));
    for (const el of described) {
        const ids = el.getAttribute('aria-describedby').trim().split(/\\s+/);
        const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
        if (twice.length) problems.push(`#${el.id} aria-describedby="${ids.join(' ')}" names ${twice.join(', ')} twice`);
    }
    for (const msg of messages) {
        if (!msg.id) { problems.push(`error "${msg.innerText.trim()}" has no id`); continue; }
        const controls = described.filter(el => el.getAttribute('aria-describedby').trim().split(/\\s+/).includes(msg.id));
        if (!controls.length) problems.push(`error #${msg.id} is named by no control`);
        for (const el of controls) {
            if (el.tagName === 'FIELDSET') continue;  // a group: its choices carry the state
            if (el.getAttribute('aria-invalid') !== 'true')
                problems.push(`#${el.id} names error #${msg.id} but is aria-invalid="${el.getAttribute('aria-invalid')}"`);
        }
    }
    return {problems, messages: messages.map(m => m.id)};
}"""


def _settled(page: Page) -> None:
    """Designsystemet's script is deferred and its <ds-field> reacts to mutations: let it run."""
    page.wait_for_load_state("load")
    page.evaluate(
        """async () => {
            if (window.customElements && document.querySelector('ds-field')) await customElements.whenDefined('ds-field');
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        }"""
    )


def wiring_problems(page: Page, what: str) -> list[str]:
    _settled(page)
    result = page.evaluate(_WIRING_JS)
    if not result["messages"]:
        return [f"{what}: no error message shown"]
    return [f"{what}: {p}" for p in result["problems"]]


def type_into_invalid_fields(page: Page) -> int:
    """Type a letter at the end of every invalid text field, as a person starting to fix it."""
    fields = page.locator("input[aria-invalid=true]:is([type=text], [type=email], [type=password], :not([type])), "
                          "textarea[aria-invalid=true]")
    count = fields.count()
    for i in range(count):
        field = fields.nth(i)
        if field.is_visible():
            field.press("End")
            field.press_sequentially("a")
    return count


def _title_prefix(site, lang: str) -> str:
    return site.t(lang, "Feil i skjemaet")


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("spec", ERROR_PAGES, ids=[p.name for p in ERROR_PAGES])
def test_form_with_errors_keeps_its_error_state_with_javascript(new_context, site, spec, lang):
    path = resolve(site, spec)
    page = new_context(user=email_of(site, spec.who), lang=lang).new_page()
    page.goto(with_lang(path, lang))
    spec.prepare(page)
    problems = wiring_problems(page, "after sending")
    if not page.title().startswith(_title_prefix(site, lang) + " – "):
        problems.append(f"the title does not say the form came back: {page.title()!r}")
    if type_into_invalid_fields(page):
        problems += wiring_problems(page, "after typing")
    assert not problems, f"{spec.name} ({path}, {lang}):\n" + "\n".join(problems)


def test_idea_description_stays_invalid_with_javascript_while_it_is_fixed(new_context, site):
    page = new_context(user=site.user_email("resident")).new_page()
    page.goto("/ideas/new")
    page.get_by_label(re.compile("^Tittel")).fill("Benker langs elva")
    page.get_by_label(re.compile("^Beskrivelse")).fill("For kort")
    page.get_by_role("button", name="Gå videre").click()
    body = page.get_by_label(re.compile("^Beskrivelse"))
    _settled(page)
    expect(body).to_have_attribute("aria-invalid", "true")
    error_id = body.get_attribute("id") + "-error"
    assert body.get_attribute("aria-describedby").split().count(error_id) == 1
    body.press("End")
    body.press_sequentially(" og litt til")
    _settled(page)
    expect(body).to_have_attribute("aria-invalid", "true")
    assert body.get_attribute("aria-describedby").split().count(error_id) == 1
    assert not wiring_problems(page, "idea form")
    assert page.title().startswith("Feil i skjemaet – ")


def test_comment_with_an_error_keeps_its_error_state_with_javascript(new_context, site):
    path = idea_with_comments(site, "ideas.detail")
    page = new_context(user=site.user_email("resident")).new_page()
    page.goto(path)
    field = page.locator("#comment-body")
    field.fill("x")  # shorter than the two characters a comment needs
    page.get_by_role("button", name="Publiser kommentaren").click()
    body = page.get_by_label(re.compile("^Kommentar"))
    expect(body).to_have_attribute("aria-invalid", "true")
    problems = wiring_problems(page, "comment sent")
    body.press("End")
    body.press_sequentially("y")
    problems += wiring_problems(page, "comment being fixed")
    expect(body).to_have_attribute("aria-invalid", "true")
    assert not problems, "\n".join(problems)
    assert page.title().startswith("Feil i skjemaet – ")
