"""Every change to a project on record: phase, cost, public flag, owner, responsible, priorities
and the forum's decisions, written with the change itself; shown to staff on the project page,
in the log of all projects, and as CSV safe for a spreadsheet."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.core.csv import BOM
from app.core.errors import InvalidInput
from app.extensions import db
from app.portfolio import audit, meetings, services
from app.portfolio.models import ProjectChange, ProjectPhase
from tests.factories import login, make_service_area, make_user
from tests.portfolio.conftest import make_project


def log(project) -> list[tuple[str, str, str]]:
    """(field, before, after), oldest first."""
    return [(c.field, c.before, c.after) for c in db.session.scalars(
        select(ProjectChange).where(ProjectChange.project_id == project.id).order_by(ProjectChange.id))]


def test_each_field_changed_through_the_project_form_is_on_record(manager):
    owner, other = make_service_area("Vei"), make_service_area("Park")
    responsible = make_user(role=Role.MODERATOR, name="Rolf Ansvarlig")
    project = make_project("Trygg skolevei", owner=owner, cost=1_000_000)
    services.update_project(manager, project, {
        "estimated_cost": "2 400 000", "public": False, "owner_service_area_id": other.id,
        "responsible_id": responsible.id, "phase": "planned",
    })
    assert set(log(project)) == {
        ("estimated_cost", "1000000", "2400000"),
        ("public", "true", "false"),
        ("owner_service_area", "Vei", "Park"),
        ("responsible", "", "Rolf Ansvarlig"),
        ("phase", "proposed", "planned"),
    }
    row = db.session.scalar(select(ProjectChange).where(ProjectChange.field == "phase"))
    assert row.actor_id == manager.id and row.created_at is not None


def test_saving_without_a_change_writes_nothing(manager):
    project = make_project(cost=500)
    services.update_project(manager, project, {"estimated_cost": "500", "public": True, "title": "Nytt navn"})
    assert log(project) == []


def test_a_phase_change_and_a_cancellation_are_on_record(manager):
    project = make_project()
    services.change_project_phase(manager, project, "planned")
    services.change_project_phase(manager, project, "cancelled", "Ikke penger.")
    assert log(project) == [("phase", "proposed", "planned"), ("phase", "planned", "cancelled")]


def test_a_refused_change_leaves_no_trace(manager):
    project = make_project(cost=100)
    with pytest.raises(InvalidInput):
        services.update_project(manager, project, {"estimated_cost": "200", "planned_start": "2026-05-01",
                                                   "planned_end": "2026-01-01"})
    db.session.rollback()
    assert log(project) == []


def test_the_forums_decisions_and_their_corrections_are_on_record(manager):
    project, other = make_project("Trygg skolevei"), make_project("Gang- og sykkelvei")
    meeting = meetings.create_meeting(manager, {"title": "Forum", "meeting_date": "2026-03-01"})
    meetings.add_to_agenda(manager, meeting, [project.id])
    item = meeting.agenda[0] if meeting.agenda else db.session.scalar(select(meetings.AgendaItem))
    first = meetings.record_meeting_decision(manager, meeting, item.id, {
        "outcome": "deferred", "deferred_to": "2026-09-01", "rationale": "Venter."})
    meetings.record_meeting_decision(manager, meeting, item.id, {
        "outcome": "merged", "merged_into_id": other.id, "rationale": "Samme sak."},
        based_on=meetings.decision_token(first))
    services.record_decision(manager, project, "2026-10-01", "prioritised", "Nå er det penger.")
    assert log(project) == [
        ("decision", "", "deferred: 2026-09-01\nVenter."),
        ("decision", "deferred: 2026-09-01\nVenter.", f"merged: #{other.id} Gang- og sykkelvei\nSamme sak."),
        ("decision", "", "prioritised\nNå er det penger."),
    ]


def test_another_module_records_its_own_fields(manager, app):
    """The plan's yearly costs and the priorities use the same function (app/portfolio/audit.py)."""
    project = make_project()
    audit.register_field("cost_2027_investment", "Investering 2027", lambda text: f"{text} kr")
    audit.record_project_change(project, manager, "cost_2027_investment", None, 1_500_000)
    audit.record_project_change(project, manager, "cost_2027_investment", 7, 7)  # no change
    db.session.commit()
    assert log(project) == [("cost_2027_investment", "", "1500000")]
    assert audit.describe("cost_2027_investment", "1500000") == "1500000 kr"
    assert audit.field_label("cost_2027_investment") == "Investering 2027"
    audit.FIELDS.pop("cost_2027_investment")


@pytest.mark.skipif(not hasattr(__import__("app.portfolio.models", fromlist=["Project"]).Project,
                                "political_priority"), reason="no priorities on projects yet")
def test_priorities_are_compared_when_the_project_has_them(manager):
    from app.portfolio.models import AdministrativePriority

    project = make_project()
    before = audit.snapshot(project)
    project.administrative_priority = AdministrativePriority.HIGH
    audit.record_differences(project, manager, before)
    db.session.commit()
    assert ("administrative_priority", "", "high") in log(project)
    assert audit.describe("administrative_priority", "high") == "Høy"


def test_values_read_in_the_readers_language(app):
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("en"):
        assert audit.describe("phase", "in_progress") == "In progress"
        assert audit.field_label("estimated_cost") == "Estimated cost"
    with app.test_request_context("/"), force_locale("nb"):
        assert audit.describe("phase", "in_progress") == "Pågår"
        assert audit.describe("public", "false") == "Internt"
        assert audit.describe("estimated_cost", "2400000") == "2\u00a0400\u00a0000 kr"
        assert audit.describe("decision", "deferred: 2026-09-01\nVenter.") == "Utsatt til 1. sep. 2026: Venter."
        assert audit.describe("unknown", "as it is") == "as it is"
        assert audit.describe("phase", "") == ""


# --- shown to staff, exported as CSV ------------------------------------------------------


def _changed_project(manager, title="Trygg skolevei", **fields):
    project = make_project(title, cost=1_000_000, **fields)
    services.update_project(manager, project, {"estimated_cost": "3000000"})
    services.change_project_phase(manager, project, "planned")
    return project


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_the_project_page_shows_the_log_to_staff_only(app, client, manager, moderator):
    project = _changed_project(manager)
    page = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Endringslogg" not in page and "Per Porteføljesen" not in page
    resident = signed_in(app, make_user())
    assert "Endringslogg" not in resident.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    page = signed_in(app, moderator).get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Endringslogg" in page and "Per Porteføljesen" in page
    assert "Anslått kostnad" in page and "Planlagt" in page
    assert page.index("Fase") < page.rindex("Anslått kostnad")  # newest first


def test_the_project_page_shows_the_newest_ten_and_links_to_the_rest(client, manager):
    project = make_project(cost=0)
    for n in range(1, 13):
        services.update_project(manager, project, {"estimated_cost": str(n * 1000)})
    login(client, manager)
    page = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Se hele endringsloggen" in page
    assert page.count("<td>Anslått kostnad</td>") == 10
    full = client.get(f"/staff/portfolio/changes?project={project.id}").get_data(as_text=True)
    assert full.count("<td>Anslått kostnad</td>") == 12


def test_the_log_of_all_projects_is_for_staff(app, client, manager, moderator):
    _changed_project(manager, "Trygg skolevei")
    _changed_project(manager, "Internt fagsystem", public=False)
    assert client.get("/staff/portfolio/changes").status_code == 302
    resident = signed_in(app, make_user())
    assert resident.get("/staff/portfolio/changes").status_code == 403
    assert resident.get("/staff/portfolio/changes.csv").status_code == 403
    client = signed_in(app, moderator)
    page = client.get("/staff/portfolio/changes").get_data(as_text=True)
    assert "Trygg skolevei" in page and "Internt fagsystem" in page
    assert client.get("/staff/portfolio/changes?project=999999").status_code == 404
    assert client.get("/staff/portfolio/changes?project=abc").status_code == 200  # no filter


def test_the_log_csv_is_safe_for_a_spreadsheet(client, manager):
    project = make_project("=cmd|' /C calc'!A0", cost=1)
    services.record_decision(manager, project, "2026-02-01", "rejected", "+SUM(A1:A9)")
    services.update_project(manager, project, {"estimated_cost": "2"})
    login(client, manager)
    response = client.get(f"/staff/portfolio/changes.csv?project={project.id}")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert f"endringslogg-{project.id}-{date.today().isoformat()}.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    lines = text.lstrip(BOM).strip().splitlines()
    assert lines[0] == "Tidspunkt (UTC);Prosjekt;Prosjekt-ID;Endret av;Felt;Før;Etter"
    assert len(lines) == 3
    assert "'=cmd|" in lines[1] and "Anslått kostnad;1 kr;2 kr" in lines[1].replace("\u00a0", " ")
    assert "Avvist: +SUM(A1:A9)" in lines[2] and "'=cmd" in lines[2]
    all_lines = client.get("/staff/portfolio/changes.csv").get_data(as_text=True).strip().splitlines()
    assert len(all_lines) == 3


def test_the_log_keeps_the_entry_when_the_person_is_deleted(client, manager):
    other = make_user(role=Role.PORTFOLIO_MANAGER, name="Slettet Ansatt")
    project = make_project(cost=1)
    services.update_project(other, project, {"estimated_cost": "5"})
    db.session.delete(other)
    db.session.commit()
    assert db.session.scalar(select(func.count(ProjectChange.id))) == 1
    login(client, manager)
    page = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "en tidligere ansatt" in page


def test_cancelling_through_the_form_is_on_record_with_the_phase(client, manager):
    project = make_project(phase=ProjectPhase.PLANNED)
    login(client, manager)
    client.post(f"/staff/projects/{project.id}/phase", data={"phase-phase": "cancelled",
                                                             "phase-explanation": "Ikke penger."})
    assert log(project) == [("phase", "planned", "cancelled")]
