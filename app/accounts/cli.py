"""`flask users ...`: create users, set roles, make API tokens; refusals exit with code 2."""

import click
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.models import Role
from app.accounts.permissions import SCOPABLE_ROLES
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


def _area_ids(names: tuple[str, ...]) -> list[int]:
    """Municipal areas by id or by bokmål name (case does not matter)."""
    areas = services.municipal_areas_to_choose(None)
    ids = []
    for name in names:
        key = name.strip().lower()
        found = [a for a in areas if str(a.id) == key or a.name_nb.lower() == key]
        if not found:
            known = ", ".join(a.name_nb for a in areas) or "none yet"
            _fail(f"no municipal area {name!r}; the areas are: {known}")
        ids.append(found[0].id)
    return ids


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role")
@click.option("--area", "areas", multiple=True, metavar="AREA",
              help="Limit a moderator or portfolio manager to this municipal area (name or id); "
                   "repeat for more. Replaces the areas the person had.")
@click.option("--whole-municipality", is_flag=True,
              help="Remove every area limit: the role covers the whole municipality.")
def set_role_command(email: str, role: str, areas: tuple[str, ...], whole_municipality: bool) -> None:
    """Give a user a role by hand, limited to areas if given."""
    user = services.get_user_by_email(email)
    if user is None:
        _fail(f"no user with e-mail {email}")
    if role not in {r.value for r in Role}:
        _fail(f"unknown role {role!r}; choose one of: {', '.join(r.value for r in Role)}")
    if areas and whole_municipality:
        _fail("choose --area or --whole-municipality, not both")
    if areas and Role(role) not in SCOPABLE_ROLES:
        _fail("only moderators and portfolio managers are limited to areas; admins always have "
              "the whole municipality")
    area_ids = _area_ids(areas)
    try:
        if user.role != role or not (areas or whole_municipality):
            services.change_role(None, user, role)
        if areas or whole_municipality:
            services.set_user_areas(None, user, area_ids)
    except ServiceError as error:
        details = "; ".join(m for msgs in error.fields.values() for m in msgs) or error.message
        _fail(details)
    limited = ", ".join(area.name_nb for area in user.areas)
    click.echo(f"{user.email} is now {role}" + (f" for {limited}." if limited else "."))


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
