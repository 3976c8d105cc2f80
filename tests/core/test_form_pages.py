"""What every form page shares: a form sent back with errors says so first, in the page's title
("Feil i skjemaet – ..."), whichever form it is; and the markup the W3C checker asks of a form
(a required select has an empty first choice or no `required`; a combobox is a text field)."""

import re
from html import unescape
from pathlib import Path

import pytest
from flask import render_template_string
from wtforms import Form, SelectField
from wtforms.validators import DataRequired

from app.accounts.models import Role
from app.core.templating import field_attrs
from tests.factories import login, make_user
from tests.ideas.factories import make_idea
from tests.portfolio.conftest import make_criteria, make_project

PREFIX = {"nb": "Feil i skjemaet – ", "en": "Errors in the form – "}


def _title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S)
    assert match, "no <title>"
    return unescape(match.group(1)).strip()


def _sent_back(client, role, method_path, data):
    if role is not None:
        login(client, make_user(role=role))
    return client.post(method_path, data=data)


# Each: (name, who is signed in, world -> path, what is sent): a form that comes back with errors.
CASES = [
    ("login", None, lambda w: "/login", {"email": "", "password": ""}),
    ("register", None, lambda w: "/register", {"full_name": "", "email": "ikke-en-adresse"}),
    ("idea", Role.RESIDENT, lambda w: "/ideas/new", {"title": "Benk", "body": "For kort"}),
    ("comment", Role.RESIDENT, lambda w: f"/ideas/{w['idea'].id}/comments", {"body": "x"}),
    ("report", Role.RESIDENT, lambda w: f"/report/idea/{w['idea'].id}", {"reason": "", "note": ""}),
    ("project", Role.PORTFOLIO_MANAGER, lambda w: "/staff/projects/new", {"title": "", "action": "create"}),
    # Hand-made forms (no WTForms form): their `errors`, or form_errors_shown set by the page.
    ("message settings", Role.RESIDENT, lambda w: "/messages/settings", {"channel-own_idea": "brevdue"}),
    ("assessment", Role.PORTFOLIO_MANAGER, lambda w: f"/staff/projects/{w['project'].id}/assessment",
     {"score-risk": "9"}),
    ("criteria weights", Role.ADMIN, lambda w: "/admin/criteria",
     lambda w: {"action": "weights", **{f"weight-{c.id}": "mye" for c in w["criteria"].values()}}),
]


@pytest.fixture
def world(app):
    criteria = make_criteria()
    return {"idea": make_idea(), "project": make_project(), "criteria": criteria}


@pytest.mark.parametrize(("name", "role", "path", "data"), CASES, ids=[c[0] for c in CASES])
def test_a_form_sent_back_with_errors_says_so_first_in_the_title(client, world, name, role, path, data):
    response = _sent_back(client, role, path(world), data(world) if callable(data) else data)
    assert response.status_code in (200, 400, 403, 422), response.status_code
    html = response.get_data(as_text=True)
    assert "ds-validation-message" in html or "ds-error-summary" in html, f"{name}: no error shown"
    title = _title(response)
    assert title.startswith(PREFIX["nb"]), title
    assert title.count("Feil i skjemaet") == 1, title


@pytest.mark.parametrize("lang", ["en"])
def test_the_title_prefix_is_in_the_pages_language(client, app, lang):
    response = client.post(f"/login?lang={lang}", data={"email": "", "password": ""})
    assert _title(response).startswith(PREFIX[lang])


@pytest.mark.parametrize("path", ["/login", "/register", "/accessibility"])
def test_a_form_page_without_errors_has_its_plain_title(client, app, path):
    assert "Feil i skjemaet" not in _title(client.get(path))


def test_the_idea_form_says_it_once(client, app):
    """The idea form wrote the prefix itself before base.html did: once is enough."""
    login(client, make_user())
    title = _title(client.post("/ideas/new", data={"title": "", "body": ""}))
    assert title.count(PREFIX["nb"].strip(" –")) == 1


def test_form_failed_finds_a_failed_form_alone_in_a_dict_or_list_or_errors_or_a_flag(app):
    failed, fine = _Choice(), _Choice()
    failed.always.errors = ["Velg en fase."]
    render = lambda **context: render_template_string("{{ form_failed() }}", **context)  # noqa: E731
    with app.test_request_context():
        assert render(form=failed) == "True"
        assert render(rows={1: fine, 2: failed}) == "True"
        assert render(forms=[fine, failed]) == "True"
        assert render(form_errors_shown={"group": ["Velg et av valgene."]}) == "True"
        assert render(errors={"score-risk": ["Velg en poengsum fra 1 til 5."]}) == "True"
        assert render(errors=["Velg minst ett prosjekt."]) == "True"
        assert render(form=fine, rows={1: fine}, form_errors_shown={}, errors={}) == "False"


def test_only_base_html_writes_the_prefix_in_a_title():
    """One place: a page that wrote it too said "Feil i skjemaet – Feil i skjemaet – ..."."""
    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.html")
                 if p.name != "base.html" and "Feil i skjemaet" in p.read_text(encoding="utf-8")]
    assert not offenders, offenders


class _Choice(Form):
    always = SelectField("Fase", choices=[("a", "A"), ("b", "B")], validators=[DataRequired()])
    placeholder = SelectField("Tema", choices=[("", "Velg"), ("b", "B")], validators=[DataRequired()])


def test_a_required_select_without_an_empty_first_choice_is_not_marked_required(app):
    form = _Choice()
    html_always = form.always(**field_attrs(form.always))
    html_placeholder = form.placeholder(**field_attrs(form.placeholder))
    assert "required" not in html_always
    assert re.search(r"\brequired\b", html_placeholder)


def test_the_staff_pickers_search_field_is_a_text_field_with_the_combobox_role(client, app):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    idea = make_idea()
    html = client.get(f"/staff/ideas/{idea.id}/answer").get_data(as_text=True)
    fields = re.findall(r'<input[^>]*role="combobox"[^>]*>', html)
    assert fields, "no picker on the answer page"
    assert all('type="text"' in f and 'type="search"' not in f for f in fields), fields
