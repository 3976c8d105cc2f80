"""Staff single sign-on: the provider's groups decide the role at every sign-in."""

from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.services import has_password
from app.extensions import db
from tests.accounts.oidc_provider import Person, app_config  # noqa: F401
from tests.factories import make_user


def _staff_sign_in(app, idp, account):
    return Person(idp, account).sign_in(app.test_client(), "/login/oidc/staff")


def test_staff_member_signs_in_without_a_password_and_gets_the_mapped_role(app, idp):
    idp.set_account("staff-moderator", name="Mona Moderator", groups=["medvirk-moderators"])
    response = _staff_sign_in(app, idp, "staff-moderator")
    assert response.status_code == 302 and not response.headers["Location"].endswith("/welcome")
    user = db.session.scalar(select(User))
    assert user.full_name == "Mona Moderator"
    assert user.role == Role.MODERATOR
    assert not has_password(user)
    # A staff sign-in is not a verified resident identity.
    assert not user.is_verified


def test_staff_member_removed_from_the_group_loses_the_role_at_next_sign_in(app, idp):
    other_admin = make_user(role=Role.ADMIN, email="other-admin@example.no")
    idp.set_account("staff-leaver", name="Lise Leaver", groups=["medvirk-admins"])
    _staff_sign_in(app, idp, "staff-leaver")
    user = db.session.scalar(select(User).where(User.id != other_admin.id))
    assert user.role == Role.ADMIN
    idp.set_account("staff-leaver", groups=["medvirk-moderators"])
    _staff_sign_in(app, idp, "staff-leaver")
    db.session.expire_all()
    assert user.role == Role.MODERATOR
    idp.set_account("staff-leaver", groups=[])
    _staff_sign_in(app, idp, "staff-leaver")
    db.session.expire_all()
    assert user.role == Role.RESIDENT
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 2


def test_the_directory_cannot_remove_the_last_administrator(app, idp, caplog):
    idp.set_account("staff-only-admin", name="Åse Admin", groups=["medvirk-admins"])
    _staff_sign_in(app, idp, "staff-only-admin")
    user = db.session.scalar(select(User))
    assert user.role == Role.ADMIN
    idp.set_account("staff-only-admin", groups=["medvirk-moderators"])
    with caplog.at_level("WARNING"):
        response = _staff_sign_in(app, idp, "staff-only-admin")
    assert response.status_code == 302
    db.session.expire_all()
    # Nobody else could manage users: the role stays until a second admin exists.
    assert user.role == Role.ADMIN
    assert "last administrator" in caplog.text and "Åse" not in caplog.text
    make_user(role=Role.ADMIN, email="second-admin@example.no")
    _staff_sign_in(app, idp, "staff-only-admin")
    db.session.expire_all()
    assert user.role == Role.MODERATOR


def test_staff_provider_without_acr_values_asks_for_none(client):
    location = client.get("/login/oidc/staff").headers["Location"]
    assert "acr_values" not in location and "client_id=medvirk-staff" in location


def test_an_unknown_provider_is_not_found(client):
    assert client.get("/login/oidc/nowhere").status_code == 404
