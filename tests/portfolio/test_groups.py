"""Competence groups: who may be a member, which groups assess a project, each group's score,
which groups have not assessed, "ready for decision", the pages and their permissions."""

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select, update

from app.accounts import services as accounts
from app.accounts.models import Role, User
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.core.models import MunicipalArea, ServiceArea
from app.extensions import db
from app.portfolio import groups, queries, services
from app.portfolio.models import Assessment, CompetenceGroup, ProjectPhase, competence_group_members
from tests.factories import PASSWORD, login, make_service_area, make_user
from tests.portfolio.conftest import count_queries, make_criteria, make_project

# One criterion that weighs (resident benefit) unless a test says otherwise: scores read plainly.
ONE = {"resident_benefit": 1}


def _area(name: str) -> MunicipalArea:
    area = db.session.scalar(select(MunicipalArea).where(MunicipalArea.name_nb == name))
    if area is None:
        area = make_service_area(area_name=name).municipal_area
    return area


def _group(actor, name: str, *areas: str, cross_cutting: bool = False, members=(), **values) -> CompetenceGroup:
    group = groups.create_group(actor, {
        "name": name, "cross_cutting": cross_cutting, "area_ids": [_area(a).id for a in areas], **values})
    for person in members:
        groups.add_group_member(actor, group, person.id)
    return group


def _staff(role=Role.MODERATOR, name=None) -> User:
    return make_user(role=role, name=name)


def _assess(person, project, **scores):
    services.assess_project(person, project, scores)


def _scores(project):
    project = queries.load_project(project.id)
    card = queries.score_projects([project.id])[project.id]
    return card, groups.project_groups(project, card)


def _by_name(project_groups):
    return {item.group.name: item for item in project_groups.scores}


@pytest.fixture
def areas(app):
    """Three municipal areas, each with a service area: {name: service area}."""
    return {name: make_service_area(area_name=name)
            for name in ("Oppvekst og utdanning", "Helse og velferd", "Samfunnsutvikling")}


# --- the groups themselves --------------------------------------------------------------


def test_manager_creates_a_group_with_areas_and_names_in_three_languages(app, manager, areas):
    group = _group(manager, "Helse og velferd", "Helse og velferd", "Oppvekst og utdanning",
                   name_nn="Helse og velferd", name_en="Health and Welfare", description="  Sykehjem og NAV.  ")
    db.session.expire_all()
    group = db.session.get(CompetenceGroup, group.id)
    assert [a.name_nb for a in group.areas] == ["Oppvekst og utdanning", "Helse og velferd"]
    assert group.description == "Sykehjem og NAV." and group.cross_cutting is False
    with force_locale("en"):
        assert group.name == "Health and Welfare"
    other = _group(manager, "Teknikk og miljø", "Samfunnsutvikling")
    with force_locale("en"):
        assert other.name == "Teknikk og miljø"  # no English name: the bokmål one


def _bad(values: dict) -> dict:
    return {"name": "Gruppe", "cross_cutting": False, "area_ids": "AREA", **values}


@pytest.mark.parametrize("values, field, words", [
    ({"name": ""}, "name", "Skriv et navn"),
    ({"name": "   "}, "name", "Skriv et navn"),
    ({"name": "x" * 121}, "name", "høyst 120 tegn"),
    ({"name": "Null\x00byte"}, "name", "ikke kan lagres"),
    ({"name": "\ud800"}, "name", "ikke kan lagres"),
    ({"name": 42}, "name", "som tekst"),
    ({"name_en": "y" * 121}, "name_en", "høyst 120 tegn"),
    ({"description": "z" * 2001}, "description", "høyst 2000 tegn"),
    ({"description": "a\x00b"}, "description", "ikke kan lagres"),
    ({"description": ["liste"]}, "description", "som tekst"),
    ({"cross_cutting": "ja"}, "cross_cutting", "tverrgående"),
    ({"area_ids": []}, "area_ids", "minst ett kommunalområde"),
    ({"area_ids": None}, "area_ids", "minst ett kommunalområde"),
    ({"area_ids": [987654]}, "area_ids", "fra listen"),
    ({"area_ids": ["abc"]}, "area_ids", "fra listen"),
    ({"area_ids": [2**40]}, "area_ids", "fra listen"),
    ({"area_ids": [-1]}, "area_ids", "fra listen"),
    ({"area_ids": "1"}, "area_ids", "fra listen"),
    ({"area_ids": [True]}, "area_ids", "fra listen"),
], ids=lambda v: repr(v)[:30] if isinstance(v, dict) else None)
def test_a_group_is_refused_with_the_reason_next_to_the_field(manager, areas, values, field, words):
    values = _bad(values)
    if values["area_ids"] == "AREA":
        values["area_ids"] = [areas["Helse og velferd"].municipal_area_id]
    with pytest.raises(InvalidInput) as caught:
        groups.create_group(manager, values)
    assert words in " ".join(caught.value.fields[field])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CompetenceGroup)) == 0


def test_every_field_at_fault_is_named_at_once(manager, areas):
    with pytest.raises(InvalidInput) as caught:
        groups.create_group(manager, {"name": "", "description": "x" * 3000, "area_ids": []})
    assert set(caught.value.fields) == {"name", "description", "area_ids"}


def test_two_groups_cannot_share_a_name_in_any_case(manager, areas):
    _group(manager, "Helse og velferd", "Helse og velferd", name_en="Health")
    with pytest.raises(InvalidInput, match="finnes allerede"):
        _group(manager, "HELSE OG VELFERD", "Helse og velferd")
    db.session.rollback()
    with pytest.raises(InvalidInput) as caught:
        _group(manager, "Helse", "Helse og velferd", name_en="health")
    assert "name_en" in caught.value.fields
    db.session.rollback()
    other = _group(manager, "Oppvekst", "Oppvekst og utdanning")
    groups.update_group(manager, other, {"name": "Oppvekst"})  # its own name is not taken
    with pytest.raises(InvalidInput, match="finnes allerede"):
        groups.update_group(manager, other, {"name": "helse og velferd"})


def test_a_name_taken_by_someone_else_a_moment_ago_is_a_field_error(manager, areas, monkeypatch):
    """Two managers creating "Helse" at once: both pass the check, the unique constraint settles it."""
    _group(manager, "Helse", "Helse og velferd")
    monkeypatch.setattr(groups, "_refuse_taken", lambda *args: None)  # the check saw no "Helse" yet
    with pytest.raises(InvalidInput) as caught:
        _group(manager, "Helse", "Helse og velferd")
    assert caught.value.fields == {"name": ["Det finnes allerede en kompetansegruppe med dette navnet."]}
    assert db.session.scalar(select(func.count()).select_from(CompetenceGroup)) == 1


def test_an_area_deleted_by_an_admin_a_moment_ago_is_a_field_error(manager, admin, areas, monkeypatch):
    empty = services.create_municipal_area(admin, "Tomt område")
    clean = groups._clean_group

    def clean_then_deleted(values, group):
        found = clean(values, group)
        with db.engine.begin() as connection:  # the admin's deletion commits meanwhile
            connection.execute(MunicipalArea.__table__.delete().where(MunicipalArea.id == empty.id))
        return found

    monkeypatch.setattr(groups, "_clean_group", clean_then_deleted)
    with pytest.raises(InvalidInput) as caught:
        groups.create_group(manager, {"name": "Ny", "area_ids": [empty.id]})
    assert "finnes ikke lenger" in caught.value.fields["area_ids"][0]
    assert db.session.scalar(select(func.count()).select_from(CompetenceGroup)) == 0


def test_a_cross_cutting_group_needs_no_area_and_keeps_the_ones_it_had(manager, areas):
    it = _group(manager, "IT og informasjonssikkerhet", cross_cutting=True)
    assert it.cross_cutting and it.areas == []
    health = _group(manager, "Helse", "Helse og velferd")
    groups.update_group(manager, health, {"cross_cutting": True})
    assert health.covers({areas["Samfunnsutvikling"].municipal_area_id})
    # Back to covering its own area: the area it had is still there.
    groups.update_group(manager, health, {"cross_cutting": False})
    assert [a.name_nb for a in health.areas] == ["Helse og velferd"]
    assert not health.covers({areas["Samfunnsutvikling"].municipal_area_id})
    with pytest.raises(InvalidInput, match="minst ett kommunalområde"):
        groups.update_group(manager, it, {"cross_cutting": False})


def test_a_retired_area_cannot_be_chosen_but_a_group_keeps_it(manager, admin, areas):
    group = _group(manager, "Helse", "Helse og velferd")
    retired = areas["Samfunnsutvikling"].municipal_area
    services.set_retired(admin, "municipal", retired.id, True)
    with pytest.raises(InvalidInput, match="pensjonert"):
        groups.update_group(manager, group, {"area_ids": [areas["Helse og velferd"].municipal_area_id, retired.id]})
    db.session.rollback()
    services.set_retired(admin, "municipal", retired.id, False)
    groups.update_group(manager, group, {"area_ids": [retired.id]})
    services.set_retired(admin, "municipal", retired.id, True)
    groups.update_group(manager, group, {"area_ids": [retired.id], "name": "Helse og teknikk"})
    assert [a.id for a in group.areas] == [retired.id]


def test_deleting_an_unused_municipal_area_takes_it_off_the_groups(manager, admin, app):
    empty = services.create_municipal_area(admin, "Tomt område")
    _area("Helse og velferd")
    group = _group(manager, "Helse", "Helse og velferd", "Tomt område")
    services.delete_area(admin, "municipal", empty.id)
    db.session.expire_all()
    assert [a.name_nb for a in db.session.get(CompetenceGroup, group.id).areas] == ["Helse og velferd"]


@pytest.mark.parametrize("role, allowed", [
    (Role.RESIDENT, False), (Role.MODERATOR, False), (Role.PORTFOLIO_MANAGER, True), (Role.ADMIN, True),
])
def test_who_may_manage_groups(app, areas, role, allowed):
    actor = make_user(role=role)
    manager = make_user(role=Role.ADMIN)
    existing = _group(manager, "Finnes", "Helse og velferd")
    member = _staff()
    calls = [
        lambda: groups.create_group(actor, {"name": "Ny", "area_ids": [areas["Helse og velferd"].municipal_area_id]}),
        lambda: groups.update_group(actor, existing, {"description": "Endret"}),
        lambda: groups.add_group_member(actor, existing, member.id),
        lambda: groups.remove_group_member(actor, existing, member.id),
        lambda: groups.delete_group(actor, existing),
    ]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(NotAllowed, match="porteføljeforvaltere og administratorer"):
                call()
            db.session.rollback()


def test_a_portfolio_manager_limited_to_an_area_cannot_manage_groups(app, areas):
    from app.portfolio.permissions import can_manage_groups, can_view_groups

    scoped = make_user(role=Role.PORTFOLIO_MANAGER)
    scoped.areas = [areas["Helse og velferd"].municipal_area]
    db.session.commit()
    assert can_view_groups(scoped) and not can_manage_groups(scoped)
    with pytest.raises(NotAllowed):
        groups.create_group(scoped, {"name": "Helse", "area_ids": [areas["Helse og velferd"].municipal_area_id]})


# --- members ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN])
def test_staff_may_be_members_of_several_groups(manager, areas, role):
    person = make_user(role=role)
    one = _group(manager, "En", "Helse og velferd", members=[person])
    two = _group(manager, "To", cross_cutting=True, members=[person])
    assert [g.id for g in groups.groups_of(person)] == [one.id, two.id]


def test_only_staff_may_be_members(manager, areas):
    group = _group(manager, "Helse", "Helse og velferd")
    resident = make_user(name="Rita Resident")
    with pytest.raises(InvalidInput) as caught:
        groups.add_group_member(manager, group, resident.id)
    assert caught.value.fields["member"] == [
        "Rita Resident er ikke ansatt i kommunen. Bare ansatte kan være med i en kompetansegruppe."]
    assert groups.groups_of(resident) == []


@pytest.mark.parametrize("value", [None, "", "abc", 0, -3, 2**31, 2**63, 987654, [1], True, "1 OR 1=1"])
def test_adding_a_member_who_is_no_one_says_choose_from_the_list(manager, areas, value):
    group = _group(manager, "Helse", "Helse og velferd")
    with pytest.raises(InvalidInput) as caught:
        groups.add_group_member(manager, group, value)
    assert caught.value.fields["member"] == ["Velg en ansatt fra listen."]


def test_a_member_is_added_once_and_removed_once(manager, areas):
    group = _group(manager, "Helse", "Helse og velferd")
    person = _staff(name="Ola Fredrik Mo")
    groups.add_group_member(manager, group, person.id)
    with pytest.raises(InvalidInput, match="Ola Fredrik Mo er allerede med i gruppen"):
        groups.add_group_member(manager, group, str(person.id))
    db.session.rollback()
    groups.remove_group_member(manager, group, person.id)
    with pytest.raises(InvalidState, match="ikke med i gruppen"):
        groups.remove_group_member(manager, group, person.id)


def test_a_member_who_stops_being_staff_leaves_every_group(manager, admin, areas):
    person = _staff()
    _group(manager, "En", "Helse og velferd", members=[person])
    _group(manager, "To", cross_cutting=True, members=[person])
    accounts.change_role(admin, person, Role.PORTFOLIO_MANAGER)  # still staff: stays
    assert len(groups.groups_of(person)) == 2
    accounts.change_role(admin, person, Role.RESIDENT)
    assert groups.groups_of(person) == []


def test_adding_a_member_decides_on_the_stored_role(manager, areas):
    """Another admin made the person a resident a moment ago; this request read them as staff."""
    group = _group(manager, "Helse", "Helse og velferd")
    person = _staff()
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(update(User).where(User.id == person.id).values(role=Role.RESIDENT))
    assert person.role == Role.MODERATOR  # what this session still believes
    with pytest.raises(InvalidInput, match="ikke ansatt"):
        groups.add_group_member(manager, group, person.id)


def test_a_group_deleted_meanwhile_is_not_found(manager, areas):
    group = _group(manager, "Helse", "Helse og velferd")
    person = _staff()
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(CompetenceGroup.__table__.delete().where(CompetenceGroup.id == group.id))
    for call in (lambda: groups.update_group(manager, group, {"description": "Ny"}),
                 lambda: groups.add_group_member(manager, group, person.id),
                 lambda: groups.delete_group(manager, group)):
        with pytest.raises(NotFound, match="Fant ikke kompetansegruppen"):
            call()
        db.session.rollback()


def test_deleting_a_group_keeps_its_members_assessments(manager, areas):
    make_criteria(ONE)
    person = _staff()
    group = _group(manager, "Helse", "Helse og velferd", members=[person])
    project = make_project(owner=areas["Helse og velferd"])
    _assess(person, project, resident_benefit=4)
    groups.delete_group(manager, group)
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 1
    assert db.session.scalar(select(func.count()).select_from(competence_group_members)) == 0
    card, project_groups = _scores(project)
    assert card.score == 4 and project_groups.scores == [] and not project_groups.groups_exist


def test_an_erased_member_leaves_the_group(manager, admin, areas):
    from app.privacy.deletion import erase_on_behalf

    person = _staff()
    group = _group(manager, "Helse", "Helse og velferd", members=[person])
    erase_on_behalf(admin, person, keep_content=True, reason="Ba om det skriftlig 1. mars.")
    db.session.expire_all()
    assert db.session.get(CompetenceGroup, group.id).members == []


# --- which groups assess a project, and their scores -------------------------------------


def test_a_project_is_assessed_by_the_groups_of_the_areas_it_touches_and_the_cross_cutting(manager, areas):
    school = _group(manager, "Oppvekst", "Oppvekst og utdanning")
    health = _group(manager, "Helse", "Helse og velferd")
    tech = _group(manager, "Teknikk", "Samfunnsutvikling")
    it = _group(manager, "IT", cross_cutting=True)
    owned = make_project(owner=areas["Helse og velferd"])
    shared = make_project(owner=areas["Oppvekst og utdanning"], participants=(areas["Samfunnsutvikling"],))
    everyone = groups.list_groups()
    assert [g.id for g in groups.relevant_groups(queries.load_project(owned.id), everyone)] == [health.id, it.id]
    assert {g.id for g in groups.relevant_groups(queries.load_project(shared.id), everyone)} == {
        school.id, tech.id, it.id}


def test_a_groups_score_is_the_boards_formula_over_its_members_only(manager, areas):
    make_criteria(ONE)
    nurse, teacher, outsider = _staff(), _staff(), _staff()
    _group(manager, "Helse", "Helse og velferd", members=[nurse])
    _group(manager, "Oppvekst", "Oppvekst og utdanning", members=[teacher])
    project = make_project(owner=areas["Helse og velferd"], participants=(areas["Oppvekst og utdanning"],))
    _assess(nurse, project, resident_benefit=5)
    _assess(teacher, project, resident_benefit=1)
    _assess(outsider, project, resident_benefit=3)
    card, project_groups = _scores(project)
    assert card.score == pytest.approx(3.0)
    scores = _by_name(project_groups)
    assert scores["Helse"].card.score == pytest.approx(5.0)
    assert scores["Oppvekst"].card.score == pytest.approx(1.0)


def test_a_group_of_every_assessor_scores_exactly_the_total(manager, areas):
    make_criteria()  # the default weights, citizen support included
    people = [_staff() for _ in range(3)]
    _group(manager, "Alle", cross_cutting=True, members=people)
    project = make_project(owner=areas["Helse og velferd"])
    for n, person in enumerate(people):
        _assess(person, project, sdg_contribution=1 + n, resident_benefit=5 - n, cost=3, risk=2 + n % 2,
                urgency=4)
    card, project_groups = _scores(project)
    (only,) = project_groups.scores
    assert only.card.score == pytest.approx(card.score) and only.card.averages == pytest.approx(card.averages)
    assert only.assessed and project_groups.ready


def test_a_member_of_two_groups_counts_for_both_and_once_in_the_total(manager, areas):
    make_criteria(ONE)
    both, other = _staff(), _staff()
    _group(manager, "Helse", "Helse og velferd", members=[both])
    _group(manager, "IT", cross_cutting=True, members=[both, other])
    project = make_project(owner=areas["Helse og velferd"])
    _assess(both, project, resident_benefit=5)
    _assess(other, project, resident_benefit=1)
    card, project_groups = _scores(project)
    assert card.score == pytest.approx(3.0) and card.assessors["resident_benefit"] == 2
    scores = _by_name(project_groups)
    assert scores["Helse"].card.score == pytest.approx(5.0)
    assert scores["IT"].card.score == pytest.approx(3.0)
    assert groups.counted_for(both, project_groups) == [scores["Helse"].group, scores["IT"].group]
    assert groups.counted_for(other, project_groups) == [scores["IT"].group]


def test_a_member_who_leaves_takes_their_scores_out_of_the_group(manager, areas):
    make_criteria(ONE)
    a, b = _staff(), _staff()
    group = _group(manager, "Helse", "Helse og velferd", members=[a, b])
    project = make_project(owner=areas["Helse og velferd"])
    _assess(a, project, resident_benefit=5)
    _assess(b, project, resident_benefit=1)
    assert _by_name(_scores(project)[1])["Helse"].card.score == pytest.approx(3.0)
    groups.remove_group_member(manager, group, b.id)
    assert _by_name(_scores(project)[1])["Helse"].card.score == pytest.approx(5.0)


def test_which_groups_have_not_assessed_and_when_a_project_is_ready(manager, areas):
    make_criteria({"resident_benefit": 1, "risk": 1})
    nurse, teacher, techie = _staff(), _staff(), _staff()
    health = _group(manager, "Helse og velferd", "Helse og velferd", members=[nurse])
    school = _group(manager, "Oppvekst og utdanning", "Oppvekst og utdanning", members=[teacher])
    it = _group(manager, "IT og informasjonssikkerhet", cross_cutting=True, members=[techie])
    project = make_project(owner=areas["Oppvekst og utdanning"], participants=(areas["Helse og velferd"],))

    _, state = _scores(project)
    assert [g.id for g in state.missing] == [health.id, school.id, it.id] and not state.ready
    assert all(not item.started and item.card.score is None for item in state.scores)

    _assess(teacher, project, resident_benefit=4, risk=2)
    _assess(techie, project, resident_benefit=3)  # one criterion of two: started, not done
    _, state = _scores(project)
    items = _by_name(state)
    assert items["Oppvekst og utdanning"].assessed
    assert items["IT og informasjonssikkerhet"].started and not items["IT og informasjonssikkerhet"].assessed
    assert [g.id for g in state.missing] == [health.id, it.id] and not state.ready

    _assess(techie, project, resident_benefit=3, risk=3)
    _assess(nurse, project, resident_benefit=5, risk=1)
    _, state = _scores(project)
    assert state.missing == [] and state.ready


def test_a_criterion_of_weight_zero_need_not_be_assessed(manager, areas):
    make_criteria(ONE)  # risk, cost, ... weigh 0
    person = _staff()
    _group(manager, "Helse", "Helse og velferd", members=[person])
    project = make_project(owner=areas["Helse og velferd"])
    _assess(person, project, resident_benefit=2)
    assert _scores(project)[1].ready


def test_no_covering_group_or_no_members_is_never_ready(manager, areas):
    make_criteria(ONE)
    _group(manager, "Oppvekst", "Oppvekst og utdanning")  # no members
    person = _staff()
    uncovered = make_project(owner=areas["Samfunnsutvikling"])
    _assess(person, uncovered, resident_benefit=5)
    _, state = _scores(uncovered)
    assert state.groups_exist and state.scores == [] and not state.ready
    covered = make_project(owner=areas["Oppvekst og utdanning"])
    _assess(person, covered, resident_benefit=5)
    _, state = _scores(covered)
    assert [g.name for g in state.missing] == ["Oppvekst"] and not state.ready


def test_group_scores_cost_three_queries_whatever_the_number_of_projects(manager, areas):
    make_criteria()
    people = [_staff() for _ in range(4)]
    _group(manager, "Helse", "Helse og velferd", members=people[:2])
    _group(manager, "Oppvekst", "Oppvekst og utdanning", members=people[1:3])
    _group(manager, "IT", cross_cutting=True, members=people[3:])
    counts = []
    for n in (2, 12):
        projects = [make_project(owner=areas["Helse og velferd" if i % 2 else "Oppvekst og utdanning"])
                    for i in range(n)]
        for project in projects:
            for person in people:
                _assess(person, project, resident_benefit=3, risk=2)
        db.session.expire_all()
        loaded = [queries.load_project(p.id) for p in projects]
        cards = queries.score_projects([p.id for p in loaded])
        criteria = queries.criteria_list()
        # Once per request: which municipal area each service area is in (permissions.project_area_ids).
        groups.group_scores(loaded[:1], cards, criteria)
        with count_queries() as counter:
            found = groups.group_scores(loaded, cards, criteria)
        counts.append(counter.count)
        assert all(len(found[p.id].scores) == 2 for p in loaded)
    assert counts == [3, 3]


# --- the pages --------------------------------------------------------------------------


def _board(client):
    response = client.get("/staff/portfolio/board")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_board_shows_each_groups_score_who_has_not_assessed_and_what_is_ready(client, manager, areas):
    make_criteria(ONE)
    nurse, teacher = _staff(), _staff()
    _group(manager, "Helse og velferd", "Helse og velferd", members=[nurse])
    _group(manager, "Oppvekst og utdanning", "Oppvekst og utdanning", members=[teacher])
    ready = make_project("Ny barnehage", owner=areas["Oppvekst og utdanning"])
    waiting = make_project("Velferdsteknologi i skolen", owner=areas["Oppvekst og utdanning"],
                           participants=(areas["Helse og velferd"],))
    _assess(teacher, ready, resident_benefit=4)
    _assess(teacher, waiting, resident_benefit=2)
    login(client, manager)
    page = _board(client)
    ready_row = page[page.index("Ny barnehage"):page.index("</tr>", page.index("Ny barnehage"))]
    waiting_row = page[page.index("Velferdsteknologi"):page.index("</tr>", page.index("Velferdsteknologi"))]
    assert "Oppvekst og utdanning: <strong>4,00</strong>" in ready_row and "Klar for beslutning" in ready_row
    assert "Ikke vurdert av" not in ready_row and "Helse og velferd:" not in ready_row
    assert "Helse og velferd: –" in waiting_row and "Oppvekst og utdanning: <strong>2,00</strong>" in waiting_row
    assert "Ikke vurdert av: Helse og velferd" in waiting_row and "Klar for beslutning" not in waiting_row


def test_the_board_csv_has_a_score_per_group_who_has_not_assessed_and_ready(client, manager, areas):
    import csv
    import io

    make_criteria(ONE)
    nurse, teacher = _staff(), _staff()
    _group(manager, "Helse og velferd", "Helse og velferd", members=[nurse])
    _group(manager, "Oppvekst og utdanning", "Oppvekst og utdanning", members=[teacher])
    ready = make_project("Ny barnehage", owner=areas["Oppvekst og utdanning"])
    waiting = make_project("Velferdsteknologi i skolen", owner=areas["Oppvekst og utdanning"],
                           participants=(areas["Helse og velferd"],))
    make_project("Gatelys", owner=areas["Samfunnsutvikling"])
    _assess(teacher, ready, resident_benefit=4)
    _assess(teacher, waiting, resident_benefit=2)
    login(client, manager)
    response = client.get("/staff/portfolio/board.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    assert header[-4:] == ["Poeng fra Helse og velferd", "Poeng fra Oppvekst og utdanning",
                           "Ikke vurdert av kompetansegruppene", "Klar for beslutning"]
    by_title = {row[1]: row[-4:] for row in rows[1:]}
    assert by_title["Ny barnehage"] == ["", "4.0", "", "ja"]
    assert by_title["Velferdsteknologi i skolen"] == ["", "2.0", "Helse og velferd", "nei"]
    assert by_title["Gatelys"] == ["", "", "", "nei"]


def test_the_api_board_carries_the_groups_and_ready_for_decision(client, manager, areas):
    from app.accounts.services import create_api_token

    make_criteria(ONE)
    teacher = _staff()
    school = _group(manager, "Oppvekst og utdanning", "Oppvekst og utdanning", members=[teacher])
    health = _group(manager, "Helse og velferd", "Helse og velferd")
    ready = make_project("Ny barnehage", owner=areas["Oppvekst og utdanning"])
    waiting = make_project("Velferdsteknologi i skolen", owner=areas["Oppvekst og utdanning"],
                           participants=(areas["Helse og velferd"],))
    _assess(teacher, ready, resident_benefit=4)
    _assess(teacher, waiting, resident_benefit=2)
    token = create_api_token(manager, "tavle")[1]
    response = client.get("/api/v1/portfolio/board", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    items = {item["project"]["title"]: item for item in response.get_json()["items"]}
    assert items["Ny barnehage"]["ready_for_decision"] is True
    assert items["Ny barnehage"]["groups"] == [
        {"id": school.id, "name": "Oppvekst og utdanning", "cross_cutting": False, "score": 4.0, "assessed": True}]
    assert items["Velferdsteknologi i skolen"]["ready_for_decision"] is False
    assert [(g["id"], g["score"], g["assessed"]) for g in items["Velferdsteknologi i skolen"]["groups"]] == [
        (health.id, None, False), (school.id, 2.0, True)]


def test_the_board_without_groups_says_nothing_of_them(client, manager, areas):
    make_criteria(ONE)
    make_project("Ny barnehage", owner=areas["Oppvekst og utdanning"])
    login(client, manager)
    page = _board(client)
    assert "Ikke vurdert av" not in page and "Klar for beslutning" not in page
    assert "Ingen kompetansegruppe dekker" not in page


def test_the_board_costs_the_same_queries_with_5_and_25_projects(client, manager, areas):
    make_criteria()
    people = [_staff() for _ in range(3)]
    _group(manager, "Helse", "Helse og velferd", members=people[:2])
    _group(manager, "IT", cross_cutting=True, members=people[2:])
    login(client, manager)
    ids = {name: area.id for name, area in areas.items()}
    people = [person.id for person in people]
    counts = []
    for n in (5, 20):
        for i in range(n):
            project = make_project(
                owner=db.session.get(ServiceArea, ids["Helse og velferd" if i % 2 else "Samfunnsutvikling"]),
                participants=(db.session.get(ServiceArea, ids["Oppvekst og utdanning"]),))
            for person_id in people[: 1 + i % 3]:
                _assess(db.session.get(User, person_id), project, resident_benefit=1 + i % 5, risk=3)
        _board(client)  # warm
        db.session.remove()
        with count_queries() as counter:
            _board(client)
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_project_page_shows_staff_the_group_scores_and_the_public_nothing(client, manager, areas):
    make_criteria(ONE)
    nurse = _staff()
    _group(manager, "Helse og velferd", "Helse og velferd", members=[nurse])
    _group(manager, "IT og informasjonssikkerhet", cross_cutting=True)
    project = make_project("Trygghetsalarmer", owner=areas["Helse og velferd"])
    _assess(nurse, project, resident_benefit=3)
    public = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Kompetansegruppene" not in public and "Ikke vurdert av" not in public
    login(client, manager)
    page = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Kompetansegruppene" in page and "Ikke vurdert av: IT og informasjonssikkerhet" in page
    assert "<strong>3,00</strong>" in page and "Påbegynt" not in page


def test_the_assessment_page_says_which_groups_the_assessment_counts_for(client, manager, areas):
    make_criteria(ONE)
    _group(manager, "Helse og velferd", "Helse og velferd", members=[manager])
    _group(manager, "IT og informasjonssikkerhet", cross_cutting=True, members=[manager])
    _group(manager, "Oppvekst og utdanning", "Oppvekst og utdanning", members=[manager])
    project = make_project("Trygghetsalarmer", owner=areas["Helse og velferd"])
    login(client, manager)
    page = client.get(f"/staff/projects/{project.id}/assessment").get_data(as_text=True)
    assert ("Vurderingen din teller for kompetansegruppene Helse og velferd, IT og informasjonssikkerhet, "
            "og én gang i den samlede poengsummen.") in page
    response = client.post(f"/staff/projects/{project.id}/assessment", data={"score-resident_benefit": "4"})
    assert response.status_code == 302
    page = client.get(f"/staff/projects/{project.id}/assessment").get_data(as_text=True)
    # Both groups it counts for have assessed now; the school group does not cover the project.
    assert "Klar for beslutning" in page and "Ikke vurdert av" not in page
    assert page.count("<strong>4,00</strong>") == 2 and "Oppvekst og utdanning" not in page
    outsider = _staff()
    client.post("/logout")
    login(client, outsider)
    page = client.get(f"/staff/projects/{project.id}/assessment").get_data(as_text=True)
    assert "Du er ikke med i noen kompetansegruppe som vurderer dette prosjektet" in page


@pytest.mark.parametrize("role, list_status, manage_status", [
    (None, 302, 302), (Role.RESIDENT, 403, 403), (Role.MODERATOR, 200, 403),
    (Role.PORTFOLIO_MANAGER, 200, 200), (Role.ADMIN, 200, 200),
])
def test_who_sees_the_group_pages(client, areas, role, list_status, manage_status):
    group = _group(make_user(role=Role.ADMIN), "Helse", "Helse og velferd")
    if role is not None:
        login(client, make_user(role=role))
    assert client.get("/staff/portfolio/groups").status_code == list_status
    assert client.get(f"/staff/portfolio/groups/{group.id}").status_code == manage_status
    posts = [
        ("/staff/portfolio/groups", {"new-name": "Ny", "new-area_ids": str(areas["Helse og velferd"].municipal_area_id)}),
        (f"/staff/portfolio/groups/{group.id}", {"name": "Helse 2", "area_ids": str(areas["Helse og velferd"].municipal_area_id)}),
        (f"/staff/portfolio/groups/{group.id}/members", {"member-member": "1"}),
        (f"/staff/portfolio/groups/{group.id}/delete", {}),
    ]
    for url, data in posts:
        status = client.post(url, data=data).status_code
        if manage_status == 200:
            assert status in (200, 302), (url, status)
        else:
            assert status == manage_status, (url, status)


def test_moderators_read_the_list_without_the_form(client, moderator, manager, areas):
    _group(manager, "Helse og velferd", "Helse og velferd", members=[moderator])
    login(client, moderator)
    page = client.get("/staff/portfolio/groups").get_data(as_text=True)
    assert "Helse og velferd" in page and moderator.full_name in page
    assert "Ny kompetansegruppe" not in page and "/staff/portfolio/groups/" not in page


def test_a_manager_creates_edits_and_fills_a_group_through_the_pages(client, manager, moderator, areas):
    login(client, manager)
    health = str(areas["Helse og velferd"].municipal_area_id)
    # A mistake keeps everything typed and says what is wrong next to the field.
    response = client.post("/staff/portfolio/groups", data={
        "new-name": "Helse og velferd", "new-name_en": "x" * 130, "new-description": "Sykehjem og NAV",
        "new-area_ids": health})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Navnet kan være høyst 120 tegn." in page
    assert 'value="Helse og velferd"' in page and "Sykehjem og NAV" in page
    assert f'value="{health}" checked' in page
    response = client.post("/staff/portfolio/groups", data={
        "new-name": "Helse og velferd", "new-description": "Sykehjem og NAV", "new-area_ids": health})
    assert response.status_code == 302
    group = db.session.scalar(select(CompetenceGroup))
    assert response.headers["Location"].endswith(f"/staff/portfolio/groups/{group.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "er opprettet" in page and moderator.full_name in page  # offered as a member

    response = client.post(f"/staff/portfolio/groups/{group.id}/members", data={"member-member": str(moderator.id)})
    assert response.status_code == 302
    response = client.post(f"/staff/portfolio/groups/{group.id}/members", data={"member-member": "abc"})
    assert response.status_code == 200 and "Velg en ansatt fra listen." in response.get_data(as_text=True)
    response = client.post(f"/staff/portfolio/groups/{group.id}/members", data={"member-member": str(moderator.id)})
    assert "er allerede med i gruppen" in response.get_data(as_text=True)

    response = client.post(f"/staff/portfolio/groups/{group.id}", data={
        "name": "Helse og omsorg", "cross_cutting": "y", "description": ""})
    assert response.status_code == 302
    db.session.expire_all()
    group = db.session.get(CompetenceGroup, group.id)
    assert group.name_nb == "Helse og omsorg" and group.cross_cutting and group.areas == []
    assert [m.id for m in group.members] == [moderator.id]

    response = client.post(f"/staff/portfolio/groups/{group.id}/members/{moderator.id}/remove")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{moderator.full_name} er tatt ut av gruppen." in page
    response = client.post(f"/staff/portfolio/groups/{group.id}/members/{moderator.id}/remove",
                           follow_redirects=True)
    assert "ikke med i gruppen" in response.get_data(as_text=True)
    response = client.post(f"/staff/portfolio/groups/{group.id}/delete", follow_redirects=True)
    assert "er slettet" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CompetenceGroup)) == 0


@pytest.mark.parametrize("url", [
    "/staff/portfolio/groups/987654", "/staff/portfolio/groups/99999999999999999999",
    "/staff/portfolio/groups/-1", "/staff/portfolio/groups/abc",
])
def test_a_group_that_does_not_exist_is_a_404(client, manager, url):
    login(client, manager)
    assert client.get(url).status_code == 404
    assert client.post(url + "/delete").status_code == 404


def test_hostile_form_input_is_answered_without_a_server_error(client, manager, areas):
    login(client, manager)
    group = _group(manager, "Helse", "Helse og velferd")
    attempts = [
        ("/staff/portfolio/groups", {"new-name": "A\x00B", "new-area_ids": "1"}),
        ("/staff/portfolio/groups", {"new-name": "Gruppe", "new-area_ids": ["1", "abc", "99999999999999"]}),
        ("/staff/portfolio/groups", {"new-name": "Gruppe", "new-cross_cutting": "maybe"}),
        (f"/staff/portfolio/groups/{group.id}", {"name": "x" * 100_000, "area_ids": "-5"}),
        (f"/staff/portfolio/groups/{group.id}/members", {"member-member": "99999999999999999999"}),
        (f"/staff/portfolio/groups/{group.id}/members", {"member-member": ["1", "2"]}),
        (f"/staff/portfolio/groups/{group.id}/members/99999999/remove", {}),
    ]
    for url, data in attempts:
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data, response.status_code)
    db.session.expire_all()
    # Only the cross-cutting one ("maybe" ticks a checkbox as anything but "false" would).
    assert set(db.session.scalars(select(CompetenceGroup.name_nb))) == {"Helse", "Gruppe"}


def test_the_group_pages_are_translated(client, manager, areas):
    _group(manager, "Helse og velferd", "Helse og velferd")
    login(client, manager)
    page = client.get("/staff/portfolio/groups?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page


# --- two managers at the same moment (PostgreSQL) ----------------------------------------


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


def _session(live_server: str, user: User):
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    data = urllib.parse.urlencode({"email": user.email, "password": PASSWORD}).encode()
    try:
        opener.open(urllib.request.Request(f"{live_server}/login", data=data, headers={"Host": "medvirk.test"}))
    except urllib.error.HTTPError as error:
        assert error.code == 302
    return opener


def _post_at_once(calls) -> list[int]:
    barrier = threading.Barrier(len(calls))

    def send(call):
        opener, url, data = call
        request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(),
                                         headers={"Host": "medvirk.test"})
        barrier.wait()
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def test_two_managers_adding_one_person_at_once_add_them_once(app, live_server, areas):
    managers = [make_user(role=Role.PORTFOLIO_MANAGER) for _ in range(2)]
    openers = [_session(live_server, m) for m in managers]
    for _round in range(5):
        group = _group(managers[0], f"Gruppe {_round}", "Helse og velferd")
        person = _staff()
        url = f"{live_server}/staff/portfolio/groups/{group.id}/members"
        statuses = _post_at_once([(opener, url, {"member-member": person.id}) for opener in openers])
        assert sorted(statuses) == [200, 302], statuses  # one added, one told "already a member"
        db.session.expire_all()
        assert [m.id for m in db.session.get(CompetenceGroup, group.id).members] == [person.id]


def test_a_manager_adding_a_person_an_admin_demotes_at_once_leaves_no_resident_in_a_group(app, live_server, areas):
    manager, admin = make_user(role=Role.PORTFOLIO_MANAGER), make_user(role=Role.ADMIN)
    manager_opener, admin_opener = _session(live_server, manager), _session(live_server, admin)
    for _round in range(5):
        group = _group(manager, f"Gruppe {_round}", "Helse og velferd")
        person = _staff()
        statuses = _post_at_once([
            (manager_opener, f"{live_server}/staff/portfolio/groups/{group.id}/members", {"member-member": person.id}),
            (admin_opener, f"{live_server}/admin/users/{person.id}", {"action": "role", "role-role": "resident"}),
        ])
        assert all(status < 500 for status in statuses), statuses
        db.session.expire_all()
        assert db.session.get(User, person.id).role == Role.RESIDENT, statuses
        assert db.session.get(CompetenceGroup, group.id).members == [], statuses


# --- the demo ---------------------------------------------------------------------------


def test_the_demo_has_its_groups_projects_ready_for_decision_and_one_waiting_for_health(app):
    from app import demo_content
    from app.portfolio.demo_groups import seed_groups

    for area in demo_content.MUNICIPAL_AREAS:
        for name in area["service_areas"]:
            make_service_area(name, area_name=area["name"])
    people = [make_user(name=p["full_name"], email=p["email"], role=p["role"])
              for p in demo_content.PEOPLE if p["role"] != "resident"] + [make_user()]
    make_criteria()
    owners = {sa.name_nb: sa for sa in db.session.scalars(select(ServiceArea))}
    planned = make_project("Nytt sykehjem", owner=owners["Sykehjem og omsorg"], phase=ProjectPhase.PLANNED)
    school = make_project("Skolebibliotek", owner=owners["Grunnskole"])
    welfare = make_project("Velferdsteknologi", owner=owners["Helse og rehabilitering"],
                           participants=(owners["IT og digitalisering"],))
    make_project("Gatelys", owner=owners["Vei og trafikk"])
    for project in (planned, school, welfare):  # the portfolio demo's assessments, by some of the staff
        for person in people[:3]:
            _assess(person, project, sdg_contribution=3, resident_benefit=4)

    seed_groups(demo_content, people)

    made = {g.name_nb: g for g in groups.list_groups()}
    assert set(made) == {"Oppvekst og utdanning", "Helse og velferd", "Teknikk og miljø",
                         "IT og informasjonssikkerhet"}
    assert made["IT og informasjonssikkerhet"].cross_cutting
    assert {a.name_nb for a in made["Teknikk og miljø"].areas} == {"Samfunnsutvikling", "Organisasjon og støtte"}
    assert all(group.members and all(m.role != Role.RESIDENT for m in group.members) for group in made.values())
    board = queries.board(queries.ProjectFilters())
    state = {row.project.title: value for row in board.rows
             for project_id, value in groups.board_groups(board).items() if project_id == row.project.id}
    assert state["Nytt sykehjem"].ready
    assert [g.name_nb for g in state["Velferdsteknologi"].missing] == ["Helse og velferd"]
    assert not state["Gatelys"].ready
