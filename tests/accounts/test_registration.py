"""Registration, confirmation, login, passwords: the rules and what people see."""

import re
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.accounts import services
from app.accounts.models import User
from app.core.errors import InvalidInput, InvalidState
from app.extensions import db
from tests.factories import PASSWORD, login, make_user

GOOD = {
    "full_name": "Kari Nordmann",
    "email": "Kari@Example.no",
    "password": "fjordlys-over-havna",
    "accept_terms": "y",
}


def _register(client, **overrides):
    data = {**GOOD, **overrides}
    return client.post("/register", data={k: v for k, v in data.items() if v is not None})


def test_resident_registers_and_gets_a_confirmation_link(client, smtp):
    response = _register(client)
    assert response.status_code == 200
    assert "Sjekk e-posten din" in response.get_data(as_text=True)
    user = db.session.scalar(db.select(User))
    assert user.email == "kari@example.no"  # stored lower-cased
    assert not user.is_confirmed
    link = smtp.link_to("kari@example.no", r"http://medvirk\.test/confirm/\S+")
    confirmed = client.get(link.replace("http://medvirk.test", ""))
    assert confirmed.status_code == 302
    db.session.refresh(user)
    assert user.is_confirmed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "Kari", "Skriv både fornavn og etternavn"),
        ("full_name", "", "Skriv fullt navn"),
        ("email", "ikke-en-adresse", "Skriv en gyldig e-postadresse"),
        ("password", "kort", "minst 10 tegn"),
        ("password", "password123", "for vanlig"),
        ("accept_terms", None, "godta personvernvilkårene"),
    ],
)
def test_registration_refuses_with_message_and_keeps_what_was_typed(client, field, value, message):
    response = _register(client, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'class="ds-error-summary"' in html
    # The error sits next to its field and is tied to it.
    assert f'id="{field}-error"' in html
    assert f'aria-describedby="{field}-error' in html or f'{field}-error"' in html
    # Everything else typed is still there (never the password).
    if field != "full_name":
        assert 'value="Kari Nordmann"' in html
    if field != "email":
        assert 'value="Kari@Example.no"' in html
    assert "fjordlys-over-havna" not in html
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_registration_shows_every_problem_in_one_round(client):
    # A missing consent (the form's check) and a too-short name and password (the account
    # rules) come back together, each at its field, not one round after the other.
    response = _register(client, full_name="Kari", password="kort", accept_terms=None)
    html = response.get_data(as_text=True)
    assert "Skriv både fornavn og etternavn" in html
    assert "minst 10 tegn" in html
    assert "godta personvernvilkårene" in html
    for field in ("full_name", "password", "accept_terms"):
        assert f'id="{field}-error"' in html
    assert 'value="Kari@Example.no"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_registering_a_taken_email_looks_the_same_and_tells_only_the_owner(client, smtp):
    owner = make_user(email="kari@example.no")
    response = _register(client)
    assert "Sjekk e-posten din" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    assert any("allerede en konto" in body for body in smtp.bodies_to(owner.email))


def test_unconfirmed_person_sees_why_and_can_resend(client, smtp):
    user = make_user(confirmed=False)
    login(client, user)
    html = client.get("/").get_data(as_text=True)
    assert "Bekreft e-postadressen din for å delta" in html
    response = client.post("/confirm/resend", follow_redirects=True)
    assert "Vi har sendt en ny lenke" in response.get_data(as_text=True)
    assert smtp.link_to(user.email, r"/confirm/\S+")


def test_confirmation_link_tampered_is_refused(client):
    user = make_user(confirmed=False)
    token = services.confirmation_token(user)
    response = client.get(f"/confirm/{token[:-3]}xyz")
    assert response.status_code == 400
    assert "ikke gyldig" in response.get_data(as_text=True)


def test_confirmation_link_expired_is_refused(app, client):
    user = make_user(confirmed=False)
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="confirm-email")
    old = serializer.dumps({"id": user.id, "email": user.email})
    app.config["CONFIRM_MAX_AGE_DAYS"] = 0
    time.sleep(1.1)  # itsdangerous timestamps have one-second resolution
    response = client.get(f"/confirm/{old}")
    assert response.status_code == 400
    assert "utløpt" in response.get_data(as_text=True)


def test_confirmation_link_used_twice_is_harmless(client):
    user = make_user(confirmed=False)
    token = services.confirmation_token(user)
    assert client.get(f"/confirm/{token}").status_code == 302
    assert client.get(f"/confirm/{token}").status_code == 302


def test_login_wrong_password_and_unknown_email_look_the_same(client):
    user = make_user()
    wrong = client.post("/login", data={"email": user.email, "password": "feil-passord-her"})
    unknown = client.post("/login", data={"email": "ingen@example.no", "password": "feil-passord-her"})
    assert wrong.status_code == unknown.status_code == 200
    message = "E-postadressen eller passordet er feil"
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_login_is_rate_limited(app, client):
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    for _ in range(3):
        client.post("/login", data={"email": "x@example.no", "password": "feil-passord-her"})
    response = client.post("/login", data={"email": "x@example.no", "password": "feil-passord-her"})
    assert response.status_code == 429
    assert response.headers.get("Retry-After")
    assert "For mange forsøk" in response.get_data(as_text=True)


def test_login_returns_to_next_but_never_to_another_site(client):
    user = make_user()
    response = client.post("/login?next=/sdgs", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/sdgs")
    client.post("/logout")
    response = client.post(
        "/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD}
    )
    assert "evil.example" not in response.headers["Location"]


def test_forgotten_password_does_not_reveal_whether_email_exists(client, smtp):
    user = make_user()
    known = client.post("/password/forgot", data={"email": user.email}).get_data(as_text=True)
    unknown = client.post("/password/forgot", data={"email": "ingen@example.no"}).get_data(as_text=True)
    assert re.sub(r"\S+@example\.no", "X", known) == re.sub(r"\S+@example\.no", "X", unknown)
    assert smtp.bodies_to(user.email)
    assert not smtp.bodies_to("ingen@example.no")


def test_reset_link_works_once(client, smtp):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    link = smtp.link_to(user.email, r"/password/reset/\S+")
    path = link[link.index("/password/reset/") :]
    response = client.post(path, data={"password": "nytt-langt-passord"})
    assert response.status_code == 302
    client.post("/logout")
    reused = client.get(path)
    assert reused.status_code == 400
    assert "allerede brukt" in reused.get_data(as_text=True)
    assert services.authenticate(user.email, "nytt-langt-passord") is not None


def test_reset_link_expired_or_tampered_is_refused(app, client):
    user = make_user()
    token = services.reset_token(user)
    assert client.get(f"/password/reset/{token}x").status_code == 400
    app.config["RESET_MAX_AGE_MINUTES"] = 0
    time.sleep(1.1)
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 400
    assert "utløpt" in response.get_data(as_text=True)


def test_reset_refuses_a_weak_password_and_keeps_the_link(client):
    user = make_user()
    token = services.reset_token(user)
    response = client.post(f"/password/reset/{token}", data={"password": "1234567890"})
    assert response.status_code == 200
    assert "for vanlig" in response.get_data(as_text=True)


def test_profile_change_name_and_language(client):
    user = make_user()
    login(client, user)
    response = client.post(
        "/profile",
        data={"action": "profile", "profile-full_name": "Kari  Nordmann Berg", "profile-locale": "nn"},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.full_name == "Kari Nordmann Berg"
    assert user.locale == "nn"
    assert 'lang="nn"' in client.get("/").get_data(as_text=True)


def test_profile_refuses_one_word_name(client):
    user = make_user()
    login(client, user)
    response = client.post(
        "/profile", data={"action": "profile", "profile-full_name": "Kari", "profile-locale": ""}
    )
    assert "Skriv både fornavn og etternavn" in response.get_data(as_text=True)


def test_change_password_needs_the_current_one(client):
    user = make_user()
    login(client, user)
    response = client.post(
        "/profile",
        data={"action": "password", "password-current_password": "feil-feil-feil",
              "password-password": "et-helt-nytt-passord"},
    )
    assert "Nåværende passord er feil" in response.get_data(as_text=True)


def test_create_user_refuses_duplicates(app):
    make_user(email="ola@example.no")
    with pytest.raises(InvalidState):
        services.create_user("OLA@example.no", "Ola Nordmann", "et-langt-passord-1")


def test_services_refuse_bad_input_with_fields(app):
    with pytest.raises(InvalidInput) as error:
        services.register_user(services.RegistrationInput("Ola", "ola", "kort"))
    assert set(error.value.fields) == {"full_name", "email", "password"}


def test_logout_is_a_post(client):
    user = make_user()
    login(client, user)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302


def test_passwords_are_hashed_with_scrypt(app):
    user = services.create_user("ola@example.no", "Ola Nordmann", "et-langt-passord-1")
    assert user.password_hash.startswith("scrypt:")
