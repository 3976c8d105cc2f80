"""Sessions end when they should: logout, log out everywhere else, password change and reset.

Every test uses real test clients and copies real cookies, as someone who got hold of one would.
"""

import pytest

from app.accounts import services
from app.accounts.models import ApiToken, Role
from app.extensions import db
from tests.factories import PASSWORD, login, make_user

HOST = "medvirk.test"
NEW_PASSWORD = "Blåbærsyltetøy på fjelltur i oktober"


def _cookie(client, name: str) -> str:
    cookie = client.get_cookie(name, domain=HOST)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _client_with(app, **cookies):
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value, domain=HOST)
    return other


def _logged_in(client) -> bool:
    response = client.get("/profile")
    assert response.status_code in {200, 302}
    return response.status_code == 200


def _login_remembered(client, user):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return _cookie(client, "remember_token")


def _change_password(client, revoke: bool = False):
    data = {"action": "password", "password-current_password": PASSWORD, "password-password": NEW_PASSWORD}
    if revoke:
        data["password-revoke_api_tokens"] = "y"
    response = client.post("/profile", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def test_copied_session_cookie_stops_working_after_logout(app, client):
    login(client, make_user())
    copy = _client_with(app, session=_cookie(client, "session"))
    assert _logged_in(copy)
    client.post("/logout")
    assert not _logged_in(copy)


def test_remember_cookie_stops_working_after_logout(app, client):
    user = make_user()
    remember = _login_remembered(client, user)
    assert _logged_in(_client_with(app, remember_token=remember))
    client.post("/logout")
    assert not _logged_in(_client_with(app, remember_token=remember))
    # The next login gets a remember cookie of its own, not the same value again.
    assert _login_remembered(app.test_client(), user) != remember


def test_password_change_ends_other_sessions_and_remember_cookies_but_not_this_one(app, client):
    user = make_user()
    remember = _login_remembered(client, user)
    other = app.test_client()
    login(other, user)
    _change_password(client)
    assert _logged_in(client)
    assert not _logged_in(other)
    assert not _logged_in(_client_with(app, remember_token=remember))
    # This browser's own remember cookie was renewed with the new id and still works.
    assert _logged_in(_client_with(app, remember_token=_cookie(client, "remember_token")))


def test_log_out_everywhere_ends_a_second_clients_session(app, client):
    user = make_user()
    login(client, user)
    other = app.test_client()
    remember = _login_remembered(other, user)
    assert "Logg ut på alle andre enheter" in client.get("/profile").get_data(as_text=True)
    response = client.post("/profile", data={"action": "end_sessions"})
    assert response.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(other)
    assert not _logged_in(_client_with(app, remember_token=remember))


def _token_user():
    user = make_user(role=Role.MODERATOR)
    _token, raw = services.create_api_token(user, "Saksbehandlingssystem")
    return user, {"Authorization": f"Bearer {raw}"}


def test_password_change_with_the_box_ticked_revokes_api_tokens(client):
    user, headers = _token_user()
    assert client.get("/api/v1/moderation/queue", headers=headers).status_code == 200
    login(client, user)
    _change_password(client, revoke=True)
    response = client.get("/api/v1/moderation/queue", headers=headers)
    assert response.status_code == 401
    assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)
                             .where(ApiToken.revoked_at.is_(None))) == 0


def test_password_change_without_the_box_keeps_api_tokens(client):
    user, headers = _token_user()
    login(client, user)
    assert "Trekk også tilbake alle API-nøklene mine" in client.get("/profile").get_data(as_text=True)
    _change_password(client)
    assert client.get("/api/v1/moderation/queue", headers=headers).status_code == 200


def test_wrong_current_password_ends_nothing(app, client):
    user = make_user()
    login(client, user)
    other = app.test_client()
    login(other, user)
    response = client.post("/profile", data={
        "action": "password", "password-current_password": "feil-passord-her",
        "password-password": NEW_PASSWORD,
    })
    assert "Nåværende passord er feil" in response.get_data(as_text=True)
    assert _logged_in(client) and _logged_in(other)


def test_password_reset_ends_other_sessions(app, client):
    user = make_user()
    other = app.test_client()
    remember = _login_remembered(other, user)
    token = services.reset_token(user)
    response = client.post(f"/password/reset/{token}", data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(other)
    assert not _logged_in(_client_with(app, remember_token=remember))


@pytest.mark.parametrize("session_id", ["1", "1:", ":abc", "99999999999999999999999:abc", "2147483648:abc", "-1:abc", "١:abc", "x:y", "1\x00:abc"])
def test_malformed_or_old_style_session_ids_find_no_one(app, session_id):
    make_user()
    assert services.user_for_session_id(session_id) is None


def test_old_style_session_cookie_without_token_logs_no_one_in(app):
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert not _logged_in(client)
    assert services.user_for_session_id(user.get_id()) == user
