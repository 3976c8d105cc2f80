"""The catalogue is resolved once per request and language (issue 17), and stays correct:
language switching between requests, force_locale inside one (e-mails, exports), refresh()."""

from flask import render_template_string
from flask_babel import Domain, force_locale, gettext, ngettext, refresh

SKIP = {"nb": "Hopp til hovedinnhold", "nn": "Hopp til hovudinnhaldet", "en": "Skip to main content"}
HOME = {"nb": "Forsiden", "nn": "Framsida", "en": "Home"}


def test_pages_translate_in_each_language_one_after_the_other(client):
    for locale in ("nb", "nn", "en", "nb", "en", "nn"):
        html = client.get(f"/ideas?lang={locale}").get_data(as_text=True)
        assert f'lang="{locale}"' in html
        assert SKIP[locale] in html and HOME[locale] in html
        others = {SKIP[other] for other in SKIP if other != locale}
        assert not any(text in html for text in others)


def test_force_locale_inside_a_request_gives_the_other_language(app):
    template = "{{ _('Forsiden') }}|{{ ngettext('%(num)d API-nøkkel er trukket tilbake.', " \
               "'%(num)d API-nøkler er trukket tilbake.', 2) }}"
    with app.test_request_context("/?lang=nb"):
        assert gettext("Forsiden") == "Forsiden"
        assert render_template_string(template) == "Forsiden|2 API-nøkler er trukket tilbake."
        with force_locale("en"):
            assert gettext("Forsiden") == "Home"
            assert render_template_string(template) == "Home|2 API keys have been revoked."
            with force_locale("nn"):
                assert gettext("Forsiden") == "Framsida"
                assert ngettext("%(num)d API-nøkkel er trukket tilbake.",
                                "%(num)d API-nøkler er trukket tilbake.", 1) == "1 API-nøkkel er trekt tilbake."
            assert render_template_string("{{ _('Forsiden') }}") == "Home"
        assert gettext("Forsiden") == "Forsiden"
        assert render_template_string(template) == "Forsiden|2 API-nøkler er trukket tilbake."


def test_force_locale_before_anything_was_translated(app):
    with app.test_request_context("/?lang=nn"):
        with force_locale("en"):
            assert render_template_string("{{ _('Forsiden') }}") == "Home"
        assert render_template_string("{{ _('Forsiden') }}") == "Framsida"


def test_refresh_picks_a_new_language(app):
    from flask import request

    with app.test_request_context("/?lang=en"):
        assert gettext("Forsiden") == "Home"
        request.args = {"lang": "nn"}
        refresh()
        assert gettext("Forsiden") == "Framsida"
        assert render_template_string("{{ _('Forsiden') }}") == "Framsida"


def test_the_catalogue_is_looked_up_once_per_request(client, monkeypatch):
    calls = []
    original = Domain.get_translations

    def counted(self):
        calls.append(1)
        return original(self)

    client.get("/ideas")
    monkeypatch.setattr(Domain, "get_translations", counted)
    response = client.get("/ideas?lang=en")
    assert response.status_code == 200 and SKIP["en"] in response.get_data(as_text=True)
    assert len(calls) == 1


def test_dates_formatted_once_per_value_and_language(app, monkeypatch):
    from datetime import UTC, date, datetime

    from app.core import templating

    calls = []

    def counting(original):
        def counted(*args, **kwargs):
            calls.append(args)
            return original(*args, **kwargs)
        return counted

    # Each formatting applies one Babel pattern.
    monkeypatch.setattr(templating, "parse_pattern", counting(templating.parse_pattern))
    moment = datetime(2026, 11, 3, 14, 5, tzinfo=UTC)
    later = datetime(2026, 11, 3, 22, 59, tzinfo=UTC)  # 23:59 in Oslo: the same day
    template = "{{ m|date }} {{ m|date }} {{ m|datetime }} {{ d|date }} {{ m|date('LLLL y') }} {{ l|date }}"
    with app.test_request_context("/?lang=nb"):
        assert render_template_string(template, m=moment, d=date(2026, 11, 4), l=later) == \
            "3. nov. 2026 3. nov. 2026 3. nov. 2026 15:05 4. nov. 2026 november 2026 3. nov. 2026"
        assert len(calls) == 4  # the day, the moment, the next day, the month: once each
        assert render_template_string("{{ m|date }}", m=datetime(2026, 11, 3, 23, 0, tzinfo=UTC)) == "4. nov. 2026"
        assert len(calls) == 4  # 00:00 in Oslo is the 4th, formatted already
        with force_locale("en"):
            assert render_template_string("{{ m|date }} {{ m|datetime }}", m=moment) == \
                "3 Nov 2026 3 Nov 2026, 15:05"
        assert render_template_string("{{ m|date }}", m=moment) == "3. nov. 2026"
        assert len(calls) == 6
        assert render_template_string("{{ none|date }}{{ none|datetime }}", none=None) == ""


def test_a_macro_module_shared_between_requests_writes_each_requests_language(app):
    """A macro imported without context lives in one module that Jinja keeps for every later
    render: the catalogue kept for its `_()` must not outlive the request or the language."""
    from types import SimpleNamespace

    idea = SimpleNamespace(vote_count=2, comment_count=1, endorsement_count=3)
    template = '{% from "ideas/_macros.html" import counts %}{{ counts(idea) }}'
    expected = {
        "nb": ("2 stemmer", "1 kommentar", "støttet av 3 organisasjoner"),
        "nn": ("2 stemmer", "1 kommentar", "støtta av 3 organisasjonar"),
        "en": ("2 votes", "1 comment", "supported by 3 organisations"),
    }
    for locale in ("nb", "en", "nn", "nb", "en"):
        # A context of its own for each request, as a served request has (the fixture's stays).
        with app.app_context(), app.test_request_context(f"/?lang={locale}"):
            html = render_template_string(template, idea=idea)
            assert all(text in html for text in expected[locale]), (locale, html)
            with force_locale("en" if locale != "en" else "nn"):
                other = render_template_string(template, idea=idea)
                assert expected["en" if locale != "en" else "nn"][2] in other
            assert expected[locale][2] in render_template_string(template, idea=idea)


def test_template_translations_escape_and_format_as_jinja_does(app):
    with app.test_request_context("/?lang=en"):
        out = render_template_string(
            "{{ _('%(name)s har skrevet', name=who) }}|{{ _('100 %%') }}|"
            "{{ ngettext('%(num)d stemme', '%(num)d stemmer', 1) }}",
            who="<b>Ola</b>",
        )
        assert out.startswith("&lt;b&gt;Ola&lt;/b&gt;") and "|100 %|1 vote" in out
        # A variable called num (or string, context) of the template's own: the count chooses
        # the plural form, the variable is what is written (initiatives: "3 of 1 signature").
        assert render_template_string(
            "{{ ngettext('%(num)d av %(threshold)d underskrift', '%(num)d av %(threshold)d underskrifter', 1,"
            " num=3, threshold=1) }}|{{ _('%(string)s!', string='hei') }}|"
            "{{ pgettext('meny', 'Forsiden') }}|{{ npgettext('x', '%(num)d stemme', '%(num)d stemmer', 2, context='y') }}"
        ) == "3 of 1 signature|hei!|Forsiden|2 stemmer"


def test_templates_are_not_reloaded_outside_debug(app):
    assert app.debug is False and app.jinja_env.auto_reload is False
