"""Every sign-in is recorded (method, address, time) and shown to its person on "Mine data"."""

import logging

from sqlalchemy import select

from app.accounts import services
from app.accounts.models import SignIn, User
from app.extensions import db
from tests.accounts.oidc_provider import Person, app_config, client_key_file, idp  # noqa: F401
from tests.factories import login, make_user

ADDRESS = "203.0.113.7"


def _sign_ins(user) -> list[SignIn]:
    db.session.expire_all()
    return db.session.scalars(select(SignIn).where(SignIn.user_id == user.id).order_by(SignIn.id)).all()


def test_a_password_sign_in_is_recorded_with_the_address(client, caplog):
    user = make_user()
    caplog.set_level(logging.DEBUG)
    client.post("/login", data={"email": user.email, "password": "korrekt-hest-batteri"},
                environ_base={"REMOTE_ADDR": ADDRESS})
    [record] = _sign_ins(user)
    assert (record.method, record.address) == ("password", ADDRESS)
    assert record.created_at is not None
    # The address is stored for the person, never written to the log.
    assert ADDRESS not in caplog.text


def test_a_failed_sign_in_records_nothing(client):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": "feil-passord-her"})
    assert _sign_ins(user) == []


def test_the_confirmation_and_reset_links_are_recorded_as_link(client):
    user = make_user(confirmed=False)
    assert client.get(f"/confirm/{services.confirmation_token(user)}").status_code == 302
    client.post("/logout")
    response = client.post(f"/password/reset/{services.reset_token(user)}",
                           data={"password": "et helt nytt og langt passord"})
    assert response.status_code == 302
    assert [r.method for r in _sign_ins(user)] == ["link", "link"]


def test_a_used_confirmation_link_is_no_sign_in(client):
    user = make_user(confirmed=False)
    token = services.confirmation_token(user)
    client.get(f"/confirm/{token}")
    client.post("/logout")
    client.get(f"/confirm/{token}")  # sent to the login page, not signed in
    assert len(_sign_ins(user)) == 1


def test_an_oidc_sign_in_names_the_provider(client, app, idp):  # noqa: F811
    response = Person(idp, "kari").sign_in(client)
    assert response.headers["Location"].endswith("/login/oidc/welcome")
    client.post("/login/oidc/welcome", data={"full_name": "Kari Nordmann", "accept_terms": "y"})
    client.post("/logout")
    Person(idp, "kari").sign_in(app.test_client())
    user = db.session.scalar(select(User))
    assert [r.method for r in _sign_ins(user)] == ["oidc:idporten", "oidc:idporten"]


def test_the_address_is_the_one_the_proxy_reports_when_a_proxy_is_trusted(app_config):  # noqa: F811
    from app import create_app

    proxied = create_app({**app_config, "TRUSTED_PROXIES": 1})
    with proxied.app_context():
        user = make_user()
        login(proxied.test_client(), user)
        client = proxied.test_client()
        client.post("/login", data={"email": user.email, "password": "korrekt-hest-batteri"},
                    headers={"X-Forwarded-For": f"198.51.100.1, {ADDRESS}"},
                    environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert [r.address for r in _sign_ins(user)] == ["127.0.0.1", ADDRESS]
