"""The staff pages (issue 17): at most 8 SQL statements each, with 5 items as with 50.

The bench seed (tests/perf/conftest.py) holds ideas, comments, reports, projects and decisions;
the staff screens of meetings, systems, competence groups, initiatives and accessibility
reports get as many rows of their own here (5 with the small seed, 50 with the large one).
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.accessibility.models import AccessibilityReport
from app.accounts.models import User
from app.core.models import MunicipalArea
from app.extensions import db
from app.initiatives import services as initiatives
from app.portfolio import groups, meetings, systems
from bench.endpoints import discover
from tests.perf.conftest import LARGE, SMALL, measure_get, perf_app, seeded

BUDGET = 8

# (name, path filled from the seeded ids, viewer: an admin unless a role limited to one area)
PAGES = (
    ("staff_answers", "/staff/answers"),
    ("staff_answers_scoped", "/staff/answers", "scoped_manager"),
    ("staff_decisions_scoped", "/staff/portfolio/decisions", "scoped_manager"),
    ("moderation_queue_scoped", "/moderation", "scoped_moderator"),
    ("moderation_log_scoped", "/moderation/log", "scoped_moderator"),
    ("moderation_item", "/moderation/idea/{idea}"),
    ("moderation_comment", "/moderation/comment/{reported_comment}"),
    ("moderation_comment_scoped", "/moderation/comment/{reported_comment}", "scoped_moderator"),
    ("answer_idea", "/staff/ideas/{idea}/answer"),
    ("project_costs", "/staff/projects/{project}/costs"),
    ("project_priorities", "/staff/projects/{project}/priorities"),
    ("admin_criterion", "/admin/criteria/{criterion}"),
    ("admin_local_targets", "/admin/local-targets"),
    ("staff_organisations", "/staff/organisations"),
    ("staff_decisions", "/staff/portfolio/decisions"),
    ("moderation_queue", "/moderation"),
    ("moderation_log", "/moderation/log"),
    ("moderation_people", "/moderation/people"),
    ("moderation_person", "/moderation/people/{resident}"),
    ("admin_users", "/admin/users"),
    ("admin_user", "/admin/users/{resident}"),
    ("privacy_search", "/admin/privacy?q=a"),
    ("accessibility_reports", "/admin/accessibility-reports"),
    ("initiatives_staff", "/staff/initiatives"),
    ("initiatives_moderation", "/staff/initiatives/moderation"),
    ("initiative_staff", "/staff/initiatives/{initiative}"),
    ("meetings", "/staff/meetings"),
    ("meeting", "/staff/meetings/{meeting}"),
    ("meeting_new", "/staff/meetings/new"),
    ("systems", "/staff/systems"),
    ("system", "/staff/systems/{system}"),
    ("system_new", "/staff/systems/new"),
    ("groups", "/staff/portfolio/groups"),
    ("group", "/staff/portfolio/groups/{group}"),
    ("plan_budgets", "/staff/portfolio/plan-budgets"),
    ("project_changes", "/staff/portfolio/changes"),
    ("admin_criteria", "/admin/criteria"),
    ("admin_structure", "/admin/structure"),
    ("admin_area_names", "/admin/structure/municipal/{area}"),
    ("admin_local_target", "/admin/local-targets/{local_target}"),
    ("meeting_agenda", "/staff/meetings/{meeting}/agenda"),
    ("meeting_edit", "/staff/meetings/{meeting}/edit"),
    ("meeting_csv", "/staff/meetings/{meeting}/decisions.csv"),
    ("system_edit", "/staff/systems/{system}/edit"),
    ("systems_import", "/staff/systems/import"),
    ("systems_csv", "/staff/systems.csv"),
    ("decisions_csv", "/staff/portfolio/decisions.csv"),
    ("changes_csv", "/staff/portfolio/changes.csv"),
    ("moderation_log_csv", "/moderation/log.csv"),
    ("signers_csv", "/staff/initiatives/{initiative}/signers.csv"),
    ("find_ideas", "/staff/find/ideas?q=skole"),
    ("find_projects", "/staff/find/projects?q=skole"),
)


def _extras(n: int, staff_id: int) -> dict:
    """n meetings, systems, competence groups, initiatives and accessibility reports."""
    actor = db.session.get(User, staff_id)
    area_ids = list(db.session.scalars(sa.text("SELECT id FROM municipal_areas ORDER BY id")))
    service_area_ids = list(db.session.scalars(sa.text("SELECT id FROM service_areas ORDER BY id")))
    residents = list(db.session.scalars(sa.text(
        "SELECT id FROM users WHERE role = 'resident' AND NOT is_blocked ORDER BY id")))
    made: dict = {}
    for i in range(n):
        meeting = meetings.create_meeting(actor, {
            "title": f"Porteføljeforum {i + 1}", "meeting_date": (date(2027, 1, 5) + timedelta(days=7 * i)).isoformat(),
            "participant_ids": [actor.id]})
        system = systems.create_system(actor, {
            "name": f"Registersystem {n}-{i + 1}", "supplier": f"Leverandør {i % 7}", "owner_area_id": area_ids[i % len(area_ids)],
            "area_ids": area_ids[: 1 + i % len(area_ids)], "contract_end": f"31.12.{2027 + i % 5}",
            "description": "Et system kommunen bruker.", "url": ""})
        group = groups.create_group(actor, {
            "name": f"Kompetansegruppe {n}-{i + 1}", "cross_cutting": i % 2 == 0,
            "area_ids": [area_ids[i % len(area_ids)]]})
        groups.add_group_member(actor, group, actor.id)
        proposer = db.session.get(User, residents[i % len(residents)])
        initiative = initiatives.propose_initiative(proposer, initiatives.InitiativeInput(
            title=f"Innbyggerforslag nummer {i + 1} om lys i løypa",
            proposal="Kommunestyret ber kommunedirektøren sette opp lys i lysløypa ved skolen.",
            reasons="Det er mørkt om vinteren, og mange går på tur etter jobb og skole.",
            service_area_ids=[service_area_ids[i % len(service_area_ids)]], contact_email="forslag@example.no"))
        if i % 2:
            initiatives.approve_initiative(actor, initiative.id)
            made.setdefault("initiative", initiative.id)  # the case page shows one past moderation
        db.session.add(AccessibilityReport(
            page="/ideas", description="Knappen mangler tekst.", email=""))
        made.setdefault("meeting", meeting.id)
        made.setdefault("system", system.id)
        made.setdefault("group", group.id)
    db.session.commit()
    made["resident"] = residents[0]
    made["criterion"] = db.session.scalar(sa.text("SELECT MIN(id) FROM criteria"))
    made["local_target"] = db.session.scalar(sa.text("SELECT MIN(id) FROM local_targets"))
    made["area"] = area_ids[0]
    # A reported comment (its case, reports and history on the page), else any comment.
    made["reported_comment"] = db.session.scalar(sa.text(
        "SELECT target_id FROM moderation_cases WHERE target_type = 'comment' ORDER BY report_count DESC, id "
        "LIMIT 1")) or db.session.scalar(sa.text("SELECT MIN(id) FROM comments WHERE visibility <> 'deleted'"))
    comment_area = db.session.scalar(sa.text(
        "SELECT s.municipal_area_id FROM comments c JOIN ideas i ON i.id = c.idea_id "
        "JOIN service_areas s ON s.id = i.service_area_id WHERE c.id = :id"), {"id": made["reported_comment"]})
    for role in ("moderator", "portfolio_manager"):
        # Staff whose work is limited to one area (the reported comment's): the menu and the
        # lists read their areas.
        user = db.session.scalar(sa.select(User).where(User.role == role).order_by(User.id))
        user.areas = [db.session.get(MunicipalArea, comment_area)]
        made[f"scoped_{role.split('_')[-1]}"] = user.id
    db.session.commit()
    return made


def _measure(app, ids: dict) -> dict:
    out = {}
    for name, path, *viewer in PAGES:
        url = path.format(**ids)
        out[name] = measure_get(app, url, ids[viewer[0] if viewer else "staff_user"])
    return out


@pytest.fixture(scope="module")
def measured(database_url, tmp_path_factory):
    app = perf_app(database_url, tmp_path_factory)
    results = {}
    with app.app_context():
        for label, spec, n in (("small", SMALL, 5), ("large", LARGE, 50)):
            with seeded(app, spec):
                ids = discover(db.session.connection(), per_page=app.config.get("PER_PAGE", 20)).values()
                ids.update(_extras(n, ids["staff_user"]))
                results[label] = _measure(app, ids)
        db.engine.dispose()
    return results


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("name", [page[0] for page in PAGES])
def test_staff_page_costs_at_most_8_queries(measured, name, size):
    status, log = measured[size][name]
    assert status == 200, (name, size, status)
    assert log.count <= BUDGET, f"{name} ({size} seed): {log.count} queries\n{log}"
