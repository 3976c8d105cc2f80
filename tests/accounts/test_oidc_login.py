"""Resident sign-in with OpenID Connect against a real provider (idp/server.js)."""

from sqlalchemy import select

from app.accounts.models import Identity, User
from app.extensions import db
from tests.accounts.oidc_provider import Person, app_config  # noqa: F401
from tests.factories import PASSWORD, make_user


def _first_login(client, idp, account="kari", name="Kari Nordmann", email=""):
    response = Person(idp, account).sign_in(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login/oidc/welcome")
    return client.post("/login/oidc/welcome", data={
        "full_name": name, "email": email, "accept_terms": "y",
    })


def test_login_page_offers_the_providers(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Logg inn med ID-porten" in page
    assert "Logg inn som ansatt (Medvik kommune)" in page


def test_first_login_asks_for_a_name_and_creates_a_verified_account(client, idp):
    response = _first_login(client, idp)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.full_name == "Kari Nordmann"
    assert user.is_verified and user.is_confirmed
    identity = user.verified_identity
    assert identity.level == "idporten-loa-substantial"
    assert identity.issuer == idp.issuer
    # Only a keyed hash: the national identity number is nowhere in the database.
    assert len(identity.person_hash) == 64 and "12828099526" not in identity.person_hash
    assert client.get("/profile").status_code == 200


def test_authorize_request_carries_pkce_nonce_acr_and_language(client):
    response = client.get("/login/oidc/idporten?lang=nn")
    location = response.headers["Location"]
    for part in ("code_challenge_method=S256", "code_challenge=", "nonce=", "state=",
                 "acr_values=idporten-loa-substantial", "ui_locales=nn"):
        assert part in location


def test_first_login_keeps_what_was_typed_when_the_name_is_one_word(client, idp):
    response = _first_login(client, idp, name="Donald", email="donald@example.no")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "donald@example.no" in page and 'value="Donald"' in page
    assert db.session.scalar(select(User)) is None


def test_first_login_with_email_sends_a_confirmation(client, idp, smtp):
    _first_login(client, idp, email="kari@example.no")
    user = db.session.scalar(select(User))
    assert user.email == "kari@example.no" and not user.is_confirmed
    assert smtp.bodies_to("kari@example.no")


def test_the_same_person_signs_in_to_the_same_account(client, app, idp):
    _first_login(client, idp)
    client.post("/logout")
    other = app.test_client()
    response = Person(idp, "kari").sign_in(other)
    assert response.status_code == 302 and not response.headers["Location"].endswith("/welcome")
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_first_login_refuses_an_email_of_another_account(client, idp):
    make_user(email="kari@example.no")
    response = _first_login(client, idp, email="kari@example.no")
    assert "knytt ID-porten til kontoen fra profilen" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_an_email_account_is_linked_and_unlinked_from_the_profile(client, idp):
    user = make_user(email="ola@example.no")
    client.post("/login", data={"email": "ola@example.no", "password": PASSWORD})
    start = client.post("/profile/identity")
    callback = Person(idp, "ola").authorize(start.headers["Location"])
    from tests.accounts.oidc_provider import site_path

    response = client.get(site_path(callback))
    assert response.headers["Location"].endswith("/profile")
    db.session.refresh(user)
    assert user.is_verified
    assert "Bekreftet med ID-porten" in client.get("/profile").get_data(as_text=True)
    identity_id = user.verified_identity.id
    client.post("/profile", data={"action": "unlink_identity", "identity_id": identity_id})
    db.session.expire_all()
    assert db.session.get(Identity, identity_id) is None


def test_a_second_account_for_the_same_person_is_refused(client, app, idp):
    _first_login(client, idp, account="kari")
    make_user(email="kari2@example.no")
    second = app.test_client()
    second.post("/login", data={"email": "kari2@example.no", "password": PASSWORD})
    start = second.post("/profile/identity")
    from tests.accounts.oidc_provider import site_path

    response = second.get(site_path(Person(idp, "kari").authorize(start.headers["Location"])))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Du har allerede en annen konto" in page and "/login" in page
    assert db.session.scalar(select(db.func.count()).select_from(Identity)) == 1


def test_an_account_without_password_cannot_be_unlinked(client, idp):
    _first_login(client, idp)
    user = db.session.scalar(select(User))
    response = client.post("/profile", data={"action": "unlink_identity",
                                             "identity_id": user.verified_identity.id},
                           follow_redirects=True)
    assert "Kontoen har ikke passord" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Identity)) == 1


def test_staff_see_when_an_account_was_verified(client, app, idp):
    _first_login(client, idp)
    resident = db.session.scalar(select(User))
    make_user(email="admin@example.no", role="admin")
    admin = app.test_client()
    admin.post("/login", data={"email": "admin@example.no", "password": PASSWORD})
    page = admin.get(f"/admin/users/{resident.id}").get_data(as_text=True)
    assert "Bekreftet med ID-porten" in page
    own = admin.get("/profile").get_data(as_text=True)
    assert "Bekreftet med ID-porten" not in own


def test_logout_ends_the_provider_session_too(client, app, idp):
    person = Person(idp, "kari")
    person.sign_in(client)
    client.post("/login/oidc/welcome", data={"full_name": "Kari Nordmann", "accept_terms": "y"})
    # While the provider's session lives, another sign-in needs no login page.
    again = person.http.get(app.test_client().get("/login/oidc/idporten").headers["Location"],
                            allow_redirects=False)
    assert "/interaction/" not in again.headers["Location"]
    response = client.post("/logout")
    end_session = response.headers["Location"]
    assert end_session.startswith(idp.url + "/session/end")
    assert "client_id=medvirk" in end_session and "post_logout_redirect_uri=" in end_session
    # The provider confirms and sends the browser back to our front page.
    assert person.end_session(end_session) == "http://medvirk.test/"
    # Signing in again needs the provider's login page again: its session is gone.
    start = app.test_client().get("/login/oidc/idporten")
    first = person.http.get(start.headers["Location"], allow_redirects=False)
    assert "/interaction/" in first.headers["Location"]


def test_password_logout_goes_home(client):
    make_user(email="ola@example.no")
    client.post("/login", data={"email": "ola@example.no", "password": PASSWORD})
    assert client.post("/logout").headers["Location"].endswith("/")


def test_forms_may_lead_to_the_provider(client, idp):
    # "Log out" and "verify" post here and redirect to the provider: CSP form-action allows it.
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {idp.url}" in policy


def test_verifying_comes_back_to_where_the_person_was(client, idp):
    make_user(email="per@example.no")
    client.post("/login", data={"email": "per@example.no", "password": PASSWORD})
    start = client.post("/profile/identity", data={"next": "/ideas/7"})
    from tests.accounts.oidc_provider import site_path

    response = client.get(site_path(Person(idp, "per").authorize(start.headers["Location"])))
    assert response.headers["Location"].endswith("/ideas/7")


def test_signing_in_comes_back_to_next(client, idp):
    _first_login(client, idp, account="nina")
    client.post("/logout")
    response = Person(idp, "nina").sign_in(client, "/login/oidc/idporten?next=/ideas/3")
    assert response.headers["Location"].endswith("/ideas/3")
    # A foreign target is ignored.
    client.post("/logout")
    response = Person(idp, "nina").sign_in(client, "/login/oidc/idporten?next=//evil.example/")
    assert "evil" not in response.headers["Location"]


def test_the_verify_page_offers_verification_and_returns(client, idp):
    page = client.get("/verify?next=/ideas/5").get_data(as_text=True)
    assert "Bekreft hvem du er" in page and "next=%2Fideas%2F5" in page
    make_user(email="siri@example.no")
    client.post("/login", data={"email": "siri@example.no", "password": PASSWORD})
    page = client.get("/verify?next=/ideas/5").get_data(as_text=True)
    assert 'name="next" value="/ideas/5"' in page
    start = client.post("/profile/identity", data={"next": "/ideas/5"})
    from tests.accounts.oidc_provider import site_path

    client.get(site_path(Person(idp, "siri").authorize(start.headers["Location"])))
    # Verified now: the page sends the person straight on.
    assert client.get("/verify?next=/ideas/5").headers["Location"].endswith("/ideas/5")


def test_the_verify_page_is_not_there_without_a_provider(app_config):  # noqa: F811
    from app import create_app

    app = create_app({**app_config, "OIDC_PROVIDERS": {}})
    assert app.test_client().get("/verify").status_code == 404
