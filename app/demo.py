"""`flask seed-demo`: a realistic demo municipality, through the same services people use."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Role,
    User,
    VerificationStatus,
)
from app.core.db import utcnow
from app.core.models import MunicipalArea, ServiceArea
from app.extensions import db

DEMO_PASSWORD = "fjordlys-ved-brygga"

# Each domain's demo.py appends step(content, people) functions here; they run in the order of
# DEMO_MODULES (ideas before the comments and answers on them), whichever was imported first.
DEMO_STEPS: list = []
DEMO_MODULES = ("app.ideas.demo", "app.comments.demo", "app.portfolio.demo", "app.moderation.demo",
                "app.initiatives.demo")


def _load_domain_steps() -> None:
    import importlib
    import importlib.util

    for name in DEMO_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def _ordered_steps() -> list:
    rank = {name: position for position, name in enumerate(DEMO_MODULES)}
    return sorted(DEMO_STEPS, key=lambda step: rank.get(step.__module__, len(rank)))


def _seed_structure(content) -> None:
    for position, area_data in enumerate(content.MUNICIPAL_AREAS, start=1):
        area = MunicipalArea(name=area_data["name"], name_nn=area_data.get("name_nn", ""),
                             name_en=area_data.get("name_en", ""), position=position)
        db.session.add(area)
        for sa_position, name in enumerate(area_data["service_areas"], start=1):
            name_nn, name_en = content.SERVICE_AREA_NAMES.get(name, ("", ""))
            db.session.add(ServiceArea(municipal_area=area, name=name, name_nn=name_nn, name_en=name_en,
                                       position=sa_position))
    db.session.commit()


def _seed_people(content) -> list[User]:
    people = []
    for person in content.PEOPLE:
        user = accounts.create_user(
            person["email"], person["full_name"], DEMO_PASSWORD, Role(person["role"]), confirmed=True
        )
        people.append(user)
    return people


def _seed_organisations(content, people: list[User]) -> None:
    residents = [p for p in people if p.role == Role.RESIDENT]
    moderator = next(p for p in people if p.role in (Role.MODERATOR, Role.ADMIN))
    for index, data in enumerate(content.ORGANISATIONS):
        organisation = Organisation(
            name=data["name"], kind=OrganisationKind(data["kind"]), org_number=data["org_number"],
            description=data["description"], website=data["website"], created_by_id=residents[index].id,
        )
        if data["verified"]:
            organisation.status = VerificationStatus.VERIFIED
            organisation.verified_by_id = moderator.id
            organisation.verified_at = utcnow()
        db.session.add(organisation)
        organisation.memberships.append(Membership(user=residents[index], role=MembershipRole.ADMIN))
        # Two more members each, so "post on behalf" has people to show.
        for offset in (10, 20):
            member = residents[(index + offset) % len(residents)]
            if member.id != residents[index].id:
                organisation.memberships.append(Membership(user=member, role=MembershipRole.MEMBER))
    db.session.commit()


def _seed_staff_areas(content, people: list[User]) -> None:
    """Limit some staff to their municipal areas. Last, so every step before them (answers,
    assessments, decisions over the whole portfolio) could use any staff member."""
    areas = {area.name_nb: area.id for area in db.session.scalars(select(MunicipalArea))}
    wanted = getattr(content, "STAFF_AREAS", {})
    for person in people:
        names = wanted.get(person.email)
        if names:
            accounts.set_user_areas(None, person, [areas[name] for name in names if name in areas])


def seed_demo() -> list[User]:
    from app import demo_content as content

    _seed_structure(content)
    people = _seed_people(content)
    _seed_organisations(content, people)
    _load_domain_steps()
    for step in _ordered_steps():
        step(content, people)
    _seed_staff_areas(content, people)
    return people


@click.command("seed-demo", short_help="Load the demo municipality, by hand (`make run` does it).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo municipality into an empty database, by hand (`make run` does it).

    Prints the demo logins; every demo account has the same password.
    """
    existing = db.session.scalar(select(func.count()).select_from(User))
    if existing:
        if if_empty:
            click.echo("The database already has data; demo data not loaded.")
            return
        raise click.ClickException("The database is not empty; seed-demo only fills an empty one.")
    # Nobody should get mail from a demo: the demo's e-mails stay in the outbox (/dev/outbox),
    # and none is tried while loading (thousands of notices; a warning each, and slow).
    current_app.config["MAIL_SERVER"] = ""
    current_app.config["MAIL_ASYNC"] = False
    people = seed_demo()
    click.echo(f"Demo municipality loaded. Every demo login has the password: {DEMO_PASSWORD}")
    for role in (Role.ADMIN, Role.PORTFOLIO_MANAGER, Role.MODERATOR, Role.RESIDENT):
        first = next(p for p in people if p.role == role and not p.areas)
        click.echo(f"  {role.value:<18} {first.email}")
    for person in people:
        if person.areas:
            areas = ", ".join(area.name_nb for area in person.areas)
            click.echo(f"  {person.role.value:<18} {person.email} (only {areas})")
