"""The ID token checks, against the real provider: every bad answer is a readable page, no 500."""

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests.accounts.oidc_provider import (  # noqa: F401
    Idp,
    Person,
    app_config,
    default_clients,
    free_port,
    site_path,
)

REJECTED = "Innloggingen kunne ikke bekreftes"


def _no_account():
    return db.session.scalar(select(User)) is None


def _callback(client, idp, **person):
    return Person(idp, **person).sign_in(client)


def test_a_good_token_passes(client, idp):
    response = _callback(client, idp)
    assert response.status_code == 302 and response.headers["Location"].endswith("/welcome")


@pytest.mark.parametrize("tamper", ["audience", "nonce", "signature"])
def test_a_spoiled_id_token_is_refused(client, idp, tamper):
    idp.set(tamper=tamper)
    response = _callback(client, idp)
    assert response.status_code == 400
    assert REJECTED in response.get_data(as_text=True)
    assert client.get("/login/oidc/welcome").status_code == 400


def test_a_lower_level_than_asked_is_refused(client, idp):
    response = _callback(client, idp, acr="idporten-loa-low")
    assert response.status_code == 400
    assert "for lavt sikkerhetsnivå" in response.get_data(as_text=True)


def test_a_higher_level_than_asked_is_accepted(client, idp):
    response = _callback(client, idp, acr="idporten-loa-high")
    assert response.headers["Location"].endswith("/welcome")


def test_an_expired_id_token_is_refused(client, idp):
    # Expired a minute ago: inside Authlib's default leeway (120 s), outside ours (30 s).
    idp.set(idTokenTtl=-60)
    response = _callback(client, idp)
    assert response.status_code == 400 and REJECTED in response.get_data(as_text=True)


def test_a_replayed_callback_is_refused(client, app, idp):
    start = client.get("/login/oidc/idporten")
    callback = site_path(Person(idp).authorize(start.headers["Location"]))
    assert client.get(callback).status_code == 302
    # The same browser again (its state is used up), and another browser (no state at all).
    assert client.get(callback).status_code == 400
    assert app.test_client().get(callback).status_code == 400


def test_a_provider_with_another_issuer_is_refused(app, client):
    impostor = Idp(default_clients(), issuer="http://impostor.example")
    try:
        app.config["OIDC_PROVIDERS"]["idporten"]["issuer"] = impostor.url
        app.extensions["medvirk.oidc"]._clients.clear()
        app.extensions["medvirk.oidc"]._registry["idporten"][1]["server_metadata_url"] = (
            impostor.url + "/.well-known/openid-configuration"
        )
        response = client.get("/login/oidc/idporten")
    finally:
        impostor.stop()
    assert response.status_code == 400 and REJECTED in response.get_data(as_text=True)


def test_provider_down_before_login_is_a_readable_page(app_config):  # noqa: F811 (the module's override)
    from app import create_app

    app_config["OIDC_PROVIDERS"]["idporten"]["issuer"] = f"http://127.0.0.1:{free_port()}"
    app = create_app(app_config)
    response = app.test_client().get("/login/oidc/idporten")
    assert response.status_code == 503
    assert "svarer ikke akkurat nå" in response.get_data(as_text=True)


def test_provider_down_at_the_callback_is_a_readable_page(app_config):  # noqa: F811 (the module's override)
    from app import create_app

    other = Idp(default_clients())
    app_config["OIDC_PROVIDERS"]["idporten"]["issuer"] = other.url
    app = create_app(app_config)
    client = app.test_client()
    try:
        start = client.get("/login/oidc/idporten")
        callback = Person(other).authorize(start.headers["Location"])
    finally:
        other.stop()
    response = client.get(site_path(callback))
    assert response.status_code == 503
    assert "svarer ikke akkurat nå" in response.get_data(as_text=True)


def test_private_key_jwt_client_authentication(app, client, idp, client_key_file):
    path, _jwk = client_key_file
    from app import create_app

    config = {**app.config, "OIDC_PROVIDERS": {"idporten": idp.provider_config(
        "medvirk-jwt", auth_method="private_key_jwt", key_file=str(path), client_secret="")}}
    jwt_app = create_app(config)
    response = Person(idp).sign_in(jwt_app.test_client())
    assert response.status_code == 302 and response.headers["Location"].endswith("/welcome")


def test_startup_refuses_oidc_without_a_pepper(app_config):  # noqa: F811 (the module's override)
    from app import create_app

    app_config["IDENTITY_PEPPER"] = ""
    with pytest.raises(RuntimeError, match="IDENTITY_PEPPER"):
        create_app(app_config)


def test_startup_refuses_verified_only_actions_without_a_resident_provider(app_config):  # noqa: F811
    from app import create_app

    staff_only = {name: conf for name, conf in app_config["OIDC_PROVIDERS"].items()
                  if conf.get("kind") == "staff"}
    with pytest.raises(RuntimeError, match="nobody could verify"):
        create_app({**app_config, "OIDC_PROVIDERS": staff_only, "VERIFIED_IDENTITY_REQUIRED_FOR": "vote"})
    # With ID-porten configured the same setting starts.
    create_app({**app_config, "VERIFIED_IDENTITY_REQUIRED_FOR": "vote"})
