"""Admins edit the municipal structure: create, rename, reorder, retire; never delete in use."""

import pytest

from app.accounts.models import Role
from app.core.errors import InvalidState, NotAllowed
from app.core.models import MunicipalArea, ServiceArea
from app.extensions import db
from app.portfolio import services
from tests.factories import login, make_user


def test_admin_creates_renames_and_reorders_areas(client):
    admin = make_user(role=Role.ADMIN)
    login(client, admin)
    client.post("/admin/structure", data={"action": "create", "name": "Helse og velferd"})
    client.post("/admin/structure", data={"action": "create", "name": "Samfunnsutvikling"})
    first, second = db.session.scalars(db.select(MunicipalArea).order_by(MunicipalArea.position)).all()
    client.post("/admin/structure", data={"action": "create", "name": "Sykehjem", "parent_id": first.id})
    assert [s.name for s in first.service_areas] == ["Sykehjem"]
    client.post("/admin/structure", data={"action": "down", "kind": "municipal", "id": first.id})
    db.session.expire_all()
    ordered = db.session.scalars(db.select(MunicipalArea.name).order_by(MunicipalArea.position)).all()
    assert ordered == ["Samfunnsutvikling", "Helse og velferd"]
    client.post("/admin/structure", data={"action": "rename", "kind": "municipal", "id": second.id,
                                          "name": "Samfunn og miljø"})
    db.session.expire_all()
    assert db.session.get(MunicipalArea, second.id).name == "Samfunn og miljø"


def test_empty_name_is_refused_next_to_the_field(client):
    login(client, make_user(role=Role.ADMIN))
    response = client.post("/admin/structure", data={"action": "create", "name": ""})
    assert "Skriv et navn" in response.get_data(as_text=True)


def test_retired_service_area_leaves_the_pickers(app):
    admin = make_user(role=Role.ADMIN)
    area = services.create_municipal_area(admin, "Oppvekst og utdanning")
    school = services.create_service_area(admin, area.id, "Grunnskole")
    services.create_service_area(admin, area.id, "Barnehage")
    services.set_retired(admin, "service", school.id, True)
    names = [sa.name for _area, sas in services.active_service_areas_grouped() for sa in sas]
    assert names == ["Barnehage"]


def test_service_area_in_use_is_never_deleted(app):
    admin = make_user(role=Role.ADMIN)
    area = services.create_municipal_area(admin, "Samfunnsutvikling")
    roads = services.create_service_area(admin, area.id, "Vei og trafikk")
    services.SERVICE_AREA_USAGE_CHECKS.append(lambda service_area_id: service_area_id == roads.id)
    try:
        with pytest.raises(InvalidState):
            services.delete_area(admin, "service", roads.id)
    finally:
        services.SERVICE_AREA_USAGE_CHECKS.pop()
    with pytest.raises(InvalidState):
        services.delete_area(admin, "municipal", area.id)  # it still has a service area
    assert db.session.get(ServiceArea, roads.id) is not None


def test_unused_service_area_can_be_deleted(app):
    admin = make_user(role=Role.ADMIN)
    area = services.create_municipal_area(admin, "Samfunnsutvikling")
    empty = services.create_service_area(admin, area.id, "Ny tjeneste")
    services.delete_area(admin, "service", empty.id)
    assert db.session.get(ServiceArea, empty.id) is None


def test_only_admins_edit_structure(app):
    with pytest.raises(NotAllowed):
        services.create_municipal_area(make_user(role=Role.PORTFOLIO_MANAGER), "Noe")
