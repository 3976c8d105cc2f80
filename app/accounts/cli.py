"""`flask users ...`: create users, set roles, make API tokens; refusals exit with code 2."""

import click
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.models import Role
from app.core.errors import ServiceError

users_cli = AppGroup("users", help="User accounts by hand: create people (the first admin), set roles, make API tokens.",
                     short_help="User accounts by hand: create, set roles, API tokens.")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help='Full name, e.g. "Kari Nordmann".')
@click.option("--password", required=True, help="At least 10 characters and hard to guess, e.g. three or four unrelated words.")
@click.option("--role", default="resident", show_default=True,
              help="resident, moderator, portfolio_manager or admin.")
def create_command(email: str, name: str, password: str, role: str) -> None:
    """Create a confirmed user by hand, e.g. the first admin."""
    if role not in {r.value for r in Role}:
        _fail(f"unknown role {role!r}; choose one of: {', '.join(r.value for r in Role)}")
    try:
        user = services.create_user(email, name, password, Role(role), confirmed=True)
    except ServiceError as error:
        details = "; ".join(m for msgs in error.fields.values() for m in msgs) or error.message
        _fail(details)
    click.echo(f"Created {user.email} ({user.role.value}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role")
def set_role_command(email: str, role: str) -> None:
    """Give an existing user a role, by hand."""
    user = services.get_user_by_email(email)
    if user is None:
        _fail(f"no user with e-mail {email}")
    if role not in {r.value for r in Role}:
        _fail(f"unknown role {role!r}; choose one of: {', '.join(r.value for r in Role)}")
    try:
        services.change_role(None, user, role)
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"{user.email} is now {role}.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="CLI", show_default=True, help="What the token is for.")
def token_command(email: str, name: str) -> None:
    """Make a personal API token and print it once, by hand."""
    user = services.get_user_by_email(email)
    if user is None:
        _fail(f"no user with e-mail {email}")
    _token, raw = services.create_api_token(user, name)
    click.echo(raw)
