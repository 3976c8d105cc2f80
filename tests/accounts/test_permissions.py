"""The permission matrix: every staff page × every role, and the capability table."""

import pytest

from app.accounts.models import Role
from app.accounts.permissions import CAPABILITIES, can
from tests.factories import login, make_organisation, make_user

# (url, roles that may open it). Later domains' staff pages join this list in their tests.
STAFF_PAGES = [
    ("/admin/users", {Role.ADMIN}),
    ("/admin/users/{user_id}", {Role.ADMIN}),
    ("/admin/structure", {Role.ADMIN}),
    ("/staff/organisations", {Role.MODERATOR, Role.ADMIN}),
]


@pytest.mark.parametrize(("url", "allowed"), STAFF_PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_staff_page_permission_matrix(client, url, allowed, role):
    user = make_user(role=role)
    make_organisation(verified=False)
    login(client, user)
    response = client.get(url.format(user_id=user.id))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize(("url", "allowed"), STAFF_PAGES)
def test_visitor_is_sent_to_login_from_staff_pages(client, url, allowed):
    response = client.get(url.format(user_id=1))
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_every_capability_is_held_by_admin():
    assert all(Role.ADMIN in roles for roles in CAPABILITIES.values())


def test_can_refuses_visitors_and_unknown_capabilities(app):
    assert not can(None, "moderate")
    with pytest.raises(KeyError):
        can(make_user(), "fly")


def test_admin_changes_role_and_blocks(client):
    admin = make_user(role=Role.ADMIN)
    target = make_user()
    login(client, admin)
    client.post(f"/admin/users/{target.id}", data={"action": "role", "role-role": "moderator"})
    assert target.role == Role.MODERATOR
    response = client.post(f"/admin/users/{target.id}", data={"action": "block", "block-reason": ""})
    assert "Skriv en begrunnelse" in response.get_data(as_text=True)
    client.post(f"/admin/users/{target.id}", data={"action": "block", "block-reason": "Trakassering"})
    assert target.block_active
    client.post(f"/admin/users/{target.id}", data={"action": "unblock"})
    assert not target.block_active


def test_the_last_admin_keeps_the_role(client):
    admin = make_user(role=Role.ADMIN)
    login(client, admin)
    response = client.post(f"/admin/users/{admin.id}", data={"action": "role", "role-role": "resident"})
    assert "minst én administrator" in response.get_data(as_text=True)
    assert admin.role == Role.ADMIN


def test_admin_searches_users(client):
    login(client, make_user(role=Role.ADMIN))
    make_user(name="Ingrid Haugen")
    html = client.get("/admin/users?q=haugen").get_data(as_text=True)
    assert "Ingrid Haugen" in html
    assert "1 bruker" in html
