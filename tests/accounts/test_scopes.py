"""Roles scoped to municipal areas: an admin limits a moderator or portfolio manager to some
areas (page, command line), every change is in the moderation log, admins and residents are
never limited, and an area that limits someone is not deleted from under them."""

import threading

import pytest
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import Role, User, user_municipal_areas
from app.accounts.permissions import can_in_areas, scope_of
from app.core.errors import InvalidInput, InvalidState, NotAllowed
from app.core.models import MunicipalArea
from app.extensions import db
from app.moderation.models import AuditAction, ModerationAction
from app.portfolio import services as portfolio
from tests.factories import login, make_service_area, make_user


@pytest.fixture
def areas(app) -> dict[str, MunicipalArea]:
    """Two municipal areas, each with a service area (names as Porsgrunn's sectors)."""
    health = make_service_area("Hjemmetjenester", area_name="Helse og velferd").municipal_area
    school = make_service_area("Grunnskole", area_name="Oppvekst og utdanning").municipal_area
    return {"health": health, "school": school}


@pytest.fixture
def admin(app) -> User:
    return make_user("Ada Administrator", role=Role.ADMIN)


def _log_notes(user: User) -> list[str]:
    return list(db.session.scalars(
        select(ModerationAction.note).where(ModerationAction.action == AuditAction.ROLE_CHANGED,
                                            ModerationAction.target_id == user.id)
        .order_by(ModerationAction.id)
    ))


# --- the rule ----------------------------------------------------------------------------


def test_no_areas_means_the_whole_municipality_and_admins_are_never_limited(areas, admin):
    moderator = make_user(role=Role.MODERATOR)
    assert scope_of(moderator) is None
    assert can_in_areas(moderator, "moderate", lambda: {areas["health"].id})
    services.set_user_areas(admin, moderator, [areas["health"].id])
    assert scope_of(moderator) == {areas["health"].id}
    assert can_in_areas(moderator, "moderate", lambda: {areas["health"].id, areas["school"].id})
    assert not can_in_areas(moderator, "moderate", lambda: {areas["school"].id})
    # The capability still comes first: an area does not make a moderator a portfolio manager.
    assert not can_in_areas(moderator, "manage_portfolio", lambda: {areas["health"].id})
    assert scope_of(admin) is None and scope_of(None) is None


def test_admin_gives_areas_on_the_user_page_and_the_log_and_the_list_say_so(client, areas, admin):
    manager = make_user("Per Porteføljesen", role=Role.PORTFOLIO_MANAGER)
    login(client, admin)
    page = client.get(f"/admin/users/{manager.id}").get_data(as_text=True)
    assert "Kommunalområder for rollen" in page and "Hele kommunen" in page
    assert f'value="{areas["health"].id}"' in page and 'type="checkbox"' in page
    response = client.post(f"/admin/users/{manager.id}", data={
        "action": "areas", "areas-areas": [str(areas["health"].id), str(areas["school"].id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert {a.id for a in db.session.get(User, manager.id).areas} == {areas["health"].id, areas["school"].id}
    assert _log_notes(manager) == ["portfolio_manager: hele kommunen → Helse og velferd, Oppvekst og utdanning"]
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "Porteføljeforvalter (Helse og velferd, Oppvekst og utdanning)" in listing
    page = client.get(f"/admin/users/{manager.id}").get_data(as_text=True)
    assert f'value="{areas["school"].id}" checked' in page
    # None chosen: the whole municipality again, and that is logged too.
    assert client.post(f"/admin/users/{manager.id}", data={"action": "areas"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, manager.id).areas == []
    assert _log_notes(manager)[-1] == "portfolio_manager: Helse og velferd, Oppvekst og utdanning → hele kommunen"


def test_saving_the_same_areas_again_writes_nothing_to_the_log(areas, admin):
    moderator = make_user(role=Role.MODERATOR)
    services.set_user_areas(admin, moderator, [areas["health"].id])
    services.set_user_areas(admin, moderator, [str(areas["health"].id), areas["health"].id])
    assert len(_log_notes(moderator)) == 1


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999999999", "1.5", "٣", "", "999999"])
def test_a_forged_area_is_an_error_next_to_the_field_never_a_500(client, areas, admin, value):
    moderator = make_user(role=Role.MODERATOR)
    login(client, admin)
    response = client.post(f"/admin/users/{moderator.id}",
                           data={"action": "areas", "areas-areas": [str(areas["health"].id), value]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="areas-areas-error"' in html
    assert ("Velg kommunalområdene fra listen." in html
            or "Ett eller flere av kommunalområdene finnes ikke." in html)
    db.session.expire_all()
    assert db.session.get(User, moderator.id).areas == []


def test_admins_and_residents_are_not_limited_to_areas(client, areas, admin):
    resident = make_user(role=Role.RESIDENT)
    with pytest.raises(InvalidState, match="Bare moderatorer og porteføljeforvaltere"):
        services.set_user_areas(admin, resident, [areas["health"].id])
    other_admin = make_user(role=Role.ADMIN)
    with pytest.raises(InvalidState):
        services.set_user_areas(admin, other_admin, [areas["health"].id])
    login(client, admin)
    assert "Kommunalområder for rollen" not in client.get(f"/admin/users/{resident.id}").get_data(as_text=True)
    html = client.post(f"/admin/users/{resident.id}", data={
        "action": "areas", "areas-areas": [str(areas["health"].id)]}).get_data(as_text=True)
    assert "Administratorer har alltid hele kommunen." in html


def test_only_admins_set_areas(areas):
    moderator = make_user(role=Role.MODERATOR)
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    with pytest.raises(NotAllowed):
        services.set_user_areas(manager, moderator, [areas["health"].id])
    with pytest.raises(NotAllowed):
        services.set_user_areas(moderator, moderator, [])


def test_a_moderator_cannot_post_to_the_user_page(client, areas):
    moderator = make_user(role=Role.MODERATOR)
    login(client, moderator)
    response = client.post(f"/admin/users/{moderator.id}",
                           data={"action": "areas", "areas-areas": [str(areas["health"].id)]})
    assert response.status_code == 403
    assert db.session.get(User, moderator.id).areas == []


def test_becoming_admin_or_resident_drops_the_areas_and_logs_it(areas, admin):
    moderator = make_user(role=Role.MODERATOR)
    services.set_user_areas(admin, moderator, [areas["health"].id])
    services.change_role(admin, moderator, Role.PORTFOLIO_MANAGER)
    assert [a.id for a in moderator.areas] == [areas["health"].id]  # still staff: kept
    services.change_role(admin, moderator, Role.RESIDENT)
    assert moderator.areas == []
    assert _log_notes(moderator)[-1] == "resident: Helse og velferd → hele kommunen"
    services.change_role(admin, moderator, Role.MODERATOR)
    assert scope_of(moderator) is None  # back as a moderator: the whole municipality, as shown


def test_a_retired_area_is_kept_but_not_newly_given(areas, admin):
    moderator = make_user(role=Role.MODERATOR)
    services.set_user_areas(admin, moderator, [areas["health"].id])
    portfolio.set_retired(admin, "municipal", areas["school"].id, True)
    portfolio.set_retired(admin, "municipal", areas["health"].id, True)
    with pytest.raises(InvalidInput, match="Oppvekst og utdanning er pensjonert") as error:
        services.set_user_areas(admin, moderator, [areas["health"].id, areas["school"].id])
    assert "areas" in error.value.fields
    services.set_user_areas(admin, moderator, [areas["health"].id])  # kept: no error
    assert scope_of(moderator) == {areas["health"].id}


def test_an_area_that_limits_someone_is_not_deleted_from_under_them(client, areas, admin):
    """Deleting it would leave a moderator with no area, which reads as the whole municipality."""
    empty = MunicipalArea(name="Kultur", position=9)
    db.session.add(empty)
    db.session.commit()
    moderator = make_user(role=Role.MODERATOR)
    services.set_user_areas(admin, moderator, [empty.id])
    with pytest.raises(InvalidState, match="Ta det bort fra dem under Brukere først"):
        portfolio.delete_area(admin, "municipal", empty.id)
    login(client, admin)
    response = client.post("/admin/structure", data={"action": "delete", "kind": "municipal", "id": empty.id},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Ta det bort fra dem under Brukere først" in response.get_data(as_text=True)
    assert db.session.get(MunicipalArea, empty.id) is not None
    services.set_user_areas(admin, moderator, [])
    portfolio.delete_area(admin, "municipal", empty.id)
    assert db.session.get(MunicipalArea, empty.id) is None


def test_deleting_the_account_takes_its_areas_with_it(areas, admin):
    from app.privacy.deletion import erase_on_behalf

    moderator = make_user(role=Role.MODERATOR)
    services.set_user_areas(admin, moderator, [areas["health"].id])
    erase_on_behalf(admin, moderator, keep_content=True, reason="Ba om det skriftlig 1. mars.")
    assert db.session.scalar(select(user_municipal_areas.c.user_id)) is None


# --- the command line --------------------------------------------------------------------


def test_cli_set_role_limits_to_areas_by_name_or_id(runner, areas):
    person = make_user(email="ola@example.no")
    result = runner.invoke(args=["users", "set-role", "ola@example.no", "moderator",
                                 "--area", "helse og velferd", "--area", str(areas["school"].id)])
    assert result.exit_code == 0, result.output
    assert "is now moderator for Helse og velferd, Oppvekst og utdanning." in result.output
    db.session.expire_all()
    assert scope_of(db.session.get(User, person.id)) == {areas["health"].id, areas["school"].id}
    result = runner.invoke(args=["users", "set-role", "ola@example.no", "moderator", "--whole-municipality"])
    assert result.exit_code == 0 and "is now moderator." in result.output
    db.session.expire_all()
    assert scope_of(db.session.get(User, person.id)) is None
    assert len(_log_notes(person)) == 3  # the role, then two area changes


@pytest.mark.parametrize(("args", "message"), [
    (["--area", "Kultur"], "no municipal area 'Kultur'; the areas are: Helse og velferd, Oppvekst og utdanning"),
    (["--area", "Helse og velferd", "--whole-municipality"], "not both"),
])
def test_cli_refuses_unknown_areas_with_exit_code_2(runner, areas, args, message):
    make_user(email="ola@example.no", role=Role.MODERATOR)
    result = runner.invoke(args=["users", "set-role", "ola@example.no", "moderator", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_refuses_areas_for_an_admin_before_changing_anything(runner, areas):
    person = make_user(email="ola@example.no")
    result = runner.invoke(args=["users", "set-role", "ola@example.no", "admin", "--area", "Helse og velferd"])
    assert result.exit_code == 2
    assert "admins always have the whole municipality" in result.output
    db.session.expire_all()
    assert db.session.get(User, person.id).role == Role.RESIDENT


# --- two admins at once ------------------------------------------------------------------


def test_two_admins_saving_areas_at_once_leave_one_choice_and_a_log_row_each(app, areas, backend):
    if backend != "postgresql":
        pytest.skip("rows are locked on PostgreSQL; SQLite serialises writers by design")
    moderator = make_user(role=Role.MODERATOR)
    admins = [make_user(role=Role.ADMIN) for _ in range(2)]
    choices = [[areas["health"].id], [areas["school"].id]]
    ids = {"moderator": moderator.id, "admins": [a.id for a in admins]}
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def save(index: int):
        with app.app_context():
            actor = db.session.get(User, ids["admins"][index])
            person = db.session.get(User, ids["moderator"])
            barrier.wait()
            try:
                services.set_user_areas(actor, person, choices[index])
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    db.session.expire_all()
    final = [a.id for a in db.session.get(User, moderator.id).areas]
    assert final in choices
    assert len(_log_notes(moderator)) == 2
    assert _log_notes(moderator)[-1].endswith(db.session.get(MunicipalArea, final[0]).name_nb)


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_has_a_portfolio_manager_and_a_moderator_for_one_area(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "espen.rasmussen-tjelle@medvik.kommune.no (only Helse og velferd)" in result.output
    assert "ola.fredrik.mo@medvik.kommune.no (only Helse og velferd)" in result.output
    scoped = {person.email: (person.role, [area.name_nb for area in person.areas])
              for person in db.session.scalars(select(User)) if person.areas}
    assert scoped == {
        "espen.rasmussen-tjelle@medvik.kommune.no": (Role.PORTFOLIO_MANAGER, ["Helse og velferd"]),
        "ola.fredrik.mo@medvik.kommune.no": (Role.MODERATOR, ["Helse og velferd"]),
    }
    # The README's table names them (the logins a reader tries first).
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "`espen.rasmussen-tjelle@medvik.kommune.no`" in readme and "`ola.fredrik.mo@medvik.kommune.no`" in readme
