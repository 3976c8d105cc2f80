"""`flask users ...` and `flask seed-demo`: what they do and how they refuse."""

import pytest

from app.accounts.models import Role, User
from app.extensions import db


def test_users_create_makes_a_confirmed_user(runner):
    result = runner.invoke(args=["users", "create", "Ola@Example.no", "--name", "Ola Nordmann",
                                 "--password", "et-langt-passord-1", "--role", "moderator"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert user.email == "ola@example.no"
    assert user.role == Role.MODERATOR
    assert user.is_confirmed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ikke-epost", "--name", "Ola Nordmann", "--password", "et-langt-passord-1"], "gyldig e-postadresse"),
        (["ola@example.no", "--name", "Ola", "--password", "et-langt-passord-1"], "fornavn og etternavn"),
        (["ola@example.no", "--name", "Ola Nordmann", "--password", "password123"], "for lett å gjette"),
        (["ola@example.no", "--name", "Ola Nordmann", "--password", "et-langt-passord-1", "--role", "king"],
         "unknown role"),
    ],
)
def test_users_create_refuses_with_message_and_exit_code_2(runner, args, message):
    result = runner.invoke(args=["users", "create", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_users_create_refuses_an_existing_email(runner):
    args = ["users", "create", "ola@example.no", "--name", "Ola Nordmann", "--password", "et-langt-passord-1"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert "finnes allerede" in result.output


def test_users_set_role(runner):
    runner.invoke(args=["users", "create", "ola@example.no", "--name", "Ola Nordmann",
                        "--password", "et-langt-passord-1"])
    result = runner.invoke(args=["users", "set-role", "ola@example.no", "portfolio_manager"])
    assert result.exit_code == 0
    assert db.session.scalar(db.select(User)).role == Role.PORTFOLIO_MANAGER
    assert runner.invoke(args=["users", "set-role", "ola@example.no", "king"]).exit_code == 2
    assert runner.invoke(args=["users", "set-role", "ingen@example.no", "admin"]).exit_code == 2


def test_users_token_prints_a_working_token_once(runner, client):
    runner.invoke(args=["users", "create", "ola@example.no", "--name", "Ola Nordmann",
                        "--password", "et-langt-passord-1"])
    result = runner.invoke(args=["users", "token", "ola@example.no"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert token.startswith("mv_")
    from app.accounts.models import ApiToken

    stored = db.session.scalar(db.select(ApiToken))
    assert token not in stored.token_hash  # only the hash is kept


def test_seed_demo_loads_a_municipality_and_prints_logins(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "fjordlys-ved-brygga" in result.output
    assert "admin" in result.output and "moderator" in result.output
    from app.core.models import MunicipalArea, ServiceArea

    areas = db.session.scalars(db.select(MunicipalArea.name)).all()
    assert {"Oppvekst og utdanning", "Helse og velferd", "Samfunnsutvikling", "Organisasjon og støtte"} <= set(areas)
    assert db.session.scalar(db.select(db.func.count()).select_from(ServiceArea)) >= 12
    roles = set(db.session.scalars(db.select(User.role)).all())
    assert roles == set(Role)
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0
    assert "already has data" in again.output
