"""Choosing a language: ?lang= sets a cookie, only the profile (a POST) changes the account."""

from app.extensions import db
from tests.factories import login, make_user


def test_get_with_lang_does_not_change_the_stored_language(client):
    user = make_user(locale="nb")
    login(client, user)
    response = client.get("/?lang=en")
    assert response.status_code == 200
    assert 'lang="en"' in response.get_data(as_text=True)
    assert "lang=en" in response.headers["Set-Cookie"]
    db.session.expire_all()
    assert db.session.get(type(user), user.id).locale == "nb"


def test_switcher_cookie_then_profile_then_browser(client):
    user = make_user(locale="nn")
    login(client, user)
    # The profile's language on a device without a choice of its own.
    assert 'lang="nn"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    # A click on the switcher (the cookie) beats the profile on this device...
    client.get("/?lang=en")
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
    # ...and saving the profile sets both again.
    response = client.post(
        "/profile", data={"action": "profile", "profile-full_name": user.full_name, "profile-locale": "nb"},
        follow_redirects=True,
    )
    assert 'lang="nb"' in response.get_data(as_text=True)
    assert 'lang="nb"' in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(user), user.id).locale == "nb"


def test_core_i18n_imports_no_domain():
    import ast
    import inspect

    from app.core import i18n

    tree = ast.parse(inspect.getsource(i18n))
    modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert not [m for m in modules if m.startswith("app.") and not m.startswith("app.core")]
