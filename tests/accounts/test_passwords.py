"""Passwords: one rule (zxcvbn with the person's name, e-mail, the municipality and Norwegian
words as context) for registration, reset, change and the CLI, explained in the person's words."""

import pytest

from app.accounts import services
from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from app.extensions import db
from tests.factories import PASSWORD, login, make_user

NAME, EMAIL = "Kari Nordmann", "kari.nordmann@example.no"
WEAK = "Passordet er for lett å gjette."
WORD = "Det ligner et vanlig ord eller et vanlig passord."
YEAR = "Årstall og datoer er lette å gjette."
OWN = "Det inneholder navnet ditt eller e-postadressen din."
SERIES = "Gjentakelser og rekker som aaa og 123 er lette å gjette."
ADVICE = "Bruk gjerne tre eller fire ord som ikke hører sammen."


@pytest.mark.parametrize(
    ("password", "reasons"),
    [
        ("passord123", [WORD, SERIES]),
        ("Sommer2026", [WORD, YEAR]),
        ("Passw0rd!!", [WORD]),
        ("medvirk-demo-2026", [WORD, YEAR]),  # the old demo password
        ("Oktober-1999", [WORD]),
        ("medvikkommune1", [WORD]),  # the municipality's name
        ("Kari Nordmann1", [OWN]),
        ("kari.nordmann.1234", [OWN]),
        ("aaaaaaaaaaaaaa", [SERIES]),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(app, password, reasons):
    problem = services.password_problem(password, EMAIL, NAME)
    assert problem is not None
    assert problem.startswith(WEAK)
    assert problem.endswith(ADVICE)
    for reason in reasons:
        assert reason in problem


@pytest.mark.parametrize(
    "password",
    ["fjordlys-over-havna", "korrekt-hest-batteri", "et-langt-og-godt-passord-42",
     "blå-måke-danser-på-brygga", DEMO_PASSWORD, PASSWORD, "x7#Qk!2mZp@9vL"],
)
def test_strong_passwords_pass(app, password):
    assert services.password_problem(password, EMAIL, NAME) is None


def test_a_very_long_password_is_checked_without_error(app):
    # zxcvbn refuses more than 72 characters; the rule checks the first 72.
    assert services.password_problem("blå-måke-danser-på-brygga-" * 40, EMAIL, NAME) is None
    assert services.password_problem("a" * 5000, EMAIL, NAME).startswith(WEAK)


def test_registration_says_why_next_to_the_field_and_keeps_the_rest(client):
    response = client.post("/register", data={
        "full_name": NAME, "email": EMAIL, "password": "Sommer2026", "accept_terms": "y",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="password-error"' in html
    assert YEAR in html and WORD in html
    assert f'value="{NAME}"' in html and f'value="{EMAIL}"' in html
    assert "Sommer2026" not in html
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_registration_refuses_the_persons_own_name(client):
    response = client.post("/register", data={
        "full_name": "Ingrid Haugen-Berg", "email": "ingrid@example.no",
        "password": "IngridHaugen77", "accept_terms": "y",
    })
    assert OWN in response.get_data(as_text=True)


def test_reset_uses_the_same_rule(client):
    user = make_user(name=NAME, email=EMAIL)
    token = services.reset_token(user)
    response = client.post(f"/password/reset/{token}", data={"password": "Nordmann2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert OWN in html and YEAR in html


def test_change_password_uses_the_same_rule(client):
    user = make_user(name=NAME, email=EMAIL)
    login(client, user)
    response = client.post("/profile", data={
        "action": "password", "password-current_password": PASSWORD, "password-password": "Passw0rd!!",
    })
    assert WORD in response.get_data(as_text=True)


def test_cli_uses_the_same_rule(runner):
    result = runner.invoke(args=["users", "create", EMAIL, "--name", NAME, "--password", "medvirk-demo-2026"])
    assert result.exit_code == 2
    assert WEAK in result.output and YEAR in result.output
    ok = runner.invoke(args=["users", "create", EMAIL, "--name", NAME, "--password", "fjordlys-over-havna"])
    assert ok.exit_code == 0, ok.output
