"""Plain factories and a login helper for the tests."""

import itertools

from werkzeug.security import generate_password_hash

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

PASSWORD = "korrekt-hest-batteri"
_counter = itertools.count(1)
# Hashing with scrypt is slow on purpose; the tests share one hash.
_HASH = generate_password_hash(PASSWORD)


def make_user(
    name: str | None = None,
    email: str | None = None,
    role: Role | str = Role.RESIDENT,
    confirmed: bool = True,
    **fields,
) -> User:
    n = next(_counter)
    user = User(
        full_name=name or f"Kari Nordmann{n}",
        email=(email or f"person{n}@example.no").lower(),
        password_hash=_HASH,
        role=Role(role),
        confirmed_at=utcnow() if confirmed else None,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_organisation(
    admin: User | None = None, verified: bool = True, name: str | None = None,
    org_number: str | None = None, members: tuple[User, ...] = (),
) -> Organisation:
    n = next(_counter)
    organisation = Organisation(
        name=name or f"Medvik idrettslag {n}",
        kind=OrganisationKind.VOLUNTARY,
        org_number=org_number,
        status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
    )
    db.session.add(organisation)
    if admin is not None:
        organisation.memberships.append(Membership(user=admin, role=MembershipRole.ADMIN))
    for member in members:
        organisation.memberships.append(Membership(user=member, role=MembershipRole.MEMBER))
    db.session.commit()
    return organisation


def make_service_area(name: str | None = None, area_name: str | None = None) -> ServiceArea:
    n = next(_counter)
    area = db.session.scalar(db.select(MunicipalArea).where(MunicipalArea.name == (area_name or "Samfunnsutvikling")))
    if area is None:
        area = MunicipalArea(name=area_name or "Samfunnsutvikling", position=n)
        db.session.add(area)
    service_area = ServiceArea(municipal_area=area, name=name or f"Vei og trafikk {n}", position=n)
    db.session.add(service_area)
    db.session.commit()
    return service_area


def login(client, user: User, password: str = PASSWORD):
    response = client.post(
        "/login", data={"email": user.email, "password": password}, follow_redirects=False
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def signed_in(app, *people: User) -> list:
    """A test client per person, all signed in before anything is kept (signing in is a write,
    which starts the kept pages afresh)."""
    clients = []
    for person in people:
        client = app.test_client()
        login(client, person)
        clients.append(client)
    return clients
