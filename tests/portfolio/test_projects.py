"""Projects: creating and changing them, linking ideas, updates and their notices,
assessments, the board's ranking and budget line, decisions, similarity, criteria, targets."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.core.errors import InvalidInput, InvalidState, NotAllowed
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, StatusChange, Visibility
from app.notifications.models import Follow, Notice
from app.portfolio import queries, services
from app.portfolio.models import (
    Assessment,
    Criterion,
    DecisionOutcome,
    LocalTarget,
    Project,
    ProjectIdea,
    ProjectPhase,
)
from tests.factories import make_service_area, make_user
from tests.portfolio.conftest import add_votes, make_criteria, make_idea, make_project, make_target

# --- creating and changing ---------------------------------------------------------------


def test_portfolio_manager_creates_a_cross_sector_project(manager):
    owner = make_service_area("Vei og trafikk")
    school = make_service_area("Grunnskole")
    target = make_target(11, "11.2-L1")
    project = services.create_project(manager, {
        "title": "Trygg skolevei", "description": "**Fortau** langs veien", "kind": "project",
        "phase": "planned", "owner_service_area_id": owner.id,
        "service_area_ids": [school.id, owner.id], "responsible_id": manager.id, "sdgs": [3, 11],
        "local_target_ids": [target.id], "estimated_cost": "6 800 000",
        "planned_start": "2026-03-01", "planned_end": date(2026, 11, 1), "progress": 10, "public": False,
    })
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project.owner_service_area_id == owner.id
    assert [sa.id for sa in project.service_areas] == [school.id]  # the owner is not its own participant
    assert [g.number for g in project.sdgs] == [3, 11]
    assert [t.code for t in project.local_targets] == ["11.2-L1"]
    assert (project.estimated_cost, project.progress, project.public) == (6_800_000, 10, False)
    assert project.planned_start == date(2026, 3, 1)
    assert project.responsible_id == manager.id


def test_project_problems_are_reported_by_field_all_at_once(manager):
    with pytest.raises(InvalidInput) as caught:
        services.create_project(manager, {
            "title": "x", "kind": "castle", "owner_service_area_id": 999, "sdgs": [18],
            "estimated_cost": "-5", "progress": 101, "planned_start": "2026-05-01",
            "planned_end": "2026-01-01", "responsible_id": make_user().id,
        })
    assert set(caught.value.fields) == {
        "title", "kind", "owner_service_area_id", "sdgs", "estimated_cost", "progress",
        "planned_end", "responsible_id",
    }
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR])
def test_only_portfolio_managers_create_and_change_projects(app, role):
    person = make_user(role=role)
    with pytest.raises(NotAllowed):
        services.create_project(person, {"title": "Noe nytt", "owner_service_area_id": make_service_area().id})
    project = make_project()
    with pytest.raises(NotAllowed):
        services.update_project(person, project, {"progress": 50})


def test_patching_changes_only_the_fields_given(manager):
    project = make_project(title="Ny ballbinge", cost=500_000, sdgs=(3,))
    services.update_project(manager, project, {"phase": "in_progress", "progress": 30})
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert (project.title, project.estimated_cost, project.phase, project.progress) == (
        "Ny ballbinge", 500_000, ProjectPhase.IN_PROGRESS, 30)
    assert [g.number for g in project.sdgs] == [3]


def test_internal_project_is_not_found_for_the_public(manager, resident):
    project = make_project(public=False)
    from app.core.errors import NotFound

    for person in (None, resident):
        with pytest.raises(NotFound):
            services.get_project(person, project.id)
    assert services.get_project(manager, project.id) is project
    assert services.get_project(make_user(role=Role.MODERATOR), project.id) is project


# --- linking ideas ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW])
def test_linking_an_unanswered_idea_accepts_it_with_the_note(manager, status):
    idea = make_idea(status=status)
    project = make_project()
    services.link_idea(manager, project, idea, "Tas med i skoleveiprosjektet.")
    db.session.expire_all()
    idea = db.session.get(Idea, idea.id)
    assert idea.status == IdeaStatus.ACCEPTED
    assert idea.first_answered_at is not None
    change = db.session.scalars(select(StatusChange).where(StatusChange.idea_id == idea.id)).one()
    assert (change.from_status, change.to_status, change.explanation) == (
        status, IdeaStatus.ACCEPTED, "Tas med i skoleveiprosjektet.")
    link = db.session.scalars(select(ProjectIdea)).one()
    assert (link.project_id, link.idea_id, link.note) == (project.id, idea.id, "Tas med i skoleveiprosjektet.")


def test_linking_an_unanswered_idea_needs_the_note(manager):
    idea = make_idea()
    with pytest.raises(InvalidInput) as caught:
        services.link_idea(manager, make_project(), idea, "")
    assert "note" in caught.value.fields
    assert db.session.scalar(select(func.count()).select_from(ProjectIdea)) == 0
    assert idea.status == IdeaStatus.SUBMITTED


@pytest.mark.parametrize("status", [IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS, IdeaStatus.DECLINED])
def test_linking_an_answered_idea_keeps_its_status_and_tells_the_author(manager, status):
    author = make_user()
    idea = make_idea(author=author, status=status)
    project = make_project()
    services.link_idea(manager, project, idea, "")
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == status
    assert db.session.scalar(select(func.count()).select_from(StatusChange)) == 0
    assert db.session.scalars(select(Notice.kind).where(Notice.user_id == author.id)).all() == ["portfolio.linked"]


def test_an_idea_is_linked_to_a_project_only_once(manager):
    idea, project = make_idea(status=IdeaStatus.ACCEPTED), make_project()
    services.link_idea(manager, project, idea, "")
    with pytest.raises(InvalidState):
        services.link_idea(manager, project, idea, "Igjen")


@pytest.mark.parametrize("state", ["withdrawn", "merged", "hidden"])
def test_gone_ideas_cannot_be_linked(manager, state):
    idea = make_idea(visibility=Visibility.HIDDEN) if state == "hidden" else make_idea(status=IdeaStatus(state))
    with pytest.raises(InvalidState):
        services.link_idea(manager, make_project(), idea, "Merknad")


def test_an_idea_can_be_part_of_several_projects_and_unlinked(manager):
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    first, second = make_project(), make_project()
    services.link_idea(manager, first, idea, "")
    services.link_idea(manager, second, idea, "")
    assert {link.project_id for link in queries.projects_of_idea(idea.id, None)} == {first.id, second.id}
    services.unlink_idea(manager, first, idea)
    assert [link.project_id for link in queries.projects_of_idea(idea.id, None)] == [second.id]
    assert db.session.get(Idea, idea.id).status == IdeaStatus.ACCEPTED


def test_resident_cannot_link_ideas(resident):
    with pytest.raises(NotAllowed):
        services.link_idea(resident, make_project(), make_idea(), "Merknad")


# --- updates ----------------------------------------------------------------------------


def test_an_update_sets_progress_and_tells_authors_and_voters_once_each(manager):
    author = make_user()
    double_voter = make_user()
    first = make_idea(author=author, status=IdeaStatus.ACCEPTED)
    second = make_idea(status=IdeaStatus.ACCEPTED)
    add_votes(first, [double_voter, manager])
    add_votes(second, [double_voter])
    hidden = make_idea(visibility=Visibility.HIDDEN)
    hidden_voter = add_votes(hidden, 1)[0]
    # Voting follows the idea (votes made as rows here, so the follows are too); voters hear
    # of the project as followers, the authors as the people behind the ideas.
    for idea, voters in ((first, [double_voter, manager]), (second, [double_voter]), (hidden, [hidden_voter])):
        db.session.add_all(Follow(user_id=v.id, target_type="idea", target_id=idea.id) for v in voters)
    db.session.commit()
    project = make_project(ideas=(first, second, hidden))
    update = services.post_project_update(manager, project, "Fortauet er ferdig asfaltert.", 80)
    assert update.progress == 80
    assert db.session.get(Project, project.id).progress == 80
    notices = db.session.scalars(select(Notice).where(Notice.kind == "portfolio.update")).all()
    assert sorted(n.user_id for n in notices) == sorted([author.id, second.author_id])
    followers = db.session.scalars(select(Notice).where(Notice.kind == "follows.project_update")).all()
    assert [n.user_id for n in followers] == [double_voter.id]
    told = [n.user_id for n in notices + followers]
    assert hidden_voter.id not in told and manager.id not in told
    assert "Fortauet er ferdig asfaltert." in notices[0].body


def test_an_update_of_an_internal_project_tells_nobody(manager):
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    add_votes(idea, 2)
    project = make_project(public=False, ideas=(idea,))
    services.post_project_update(manager, project, "Intern status.", None)
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 0
    assert db.session.get(Project, project.id).progress == 0


@pytest.mark.parametrize(("text", "progress", "field"), [("", 10, "text"), ("Ok", 120, "progress"),
                                                         ("Ok", "mye", "progress")])
def test_an_update_needs_text_and_a_sensible_progress(manager, text, progress, field):
    with pytest.raises(InvalidInput) as caught:
        services.post_project_update(manager, make_project(), text, progress)
    assert field in caught.value.fields


# --- assessments and the ranking ------------------------------------------------------


def test_several_assessors_are_averaged_and_one_can_change_their_mind(manager, admin):
    make_criteria()
    project = make_project()
    services.assess_project(manager, project, {"risk": 2, "urgency": 5}, comment="Første blikk")
    services.assess_project(admin, project, {"risk": 5})
    services.assess_project(manager, project, {"risk": 3, "urgency": ""})
    card = queries.score_projects([project.id])[project.id]
    assert card.averages["risk"] == 4.0
    assert card.assessors["risk"] == 2
    assert "urgency" not in card.averages
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 2


@pytest.mark.parametrize(("scores", "field"), [({"risk": 6}, "risk"), ({"risk": 0}, "risk"),
                                               ({"beauty": 3}, "beauty"),
                                               ({"citizen_support": 5}, "citizen_support"),
                                               ({}, "scores")])
def test_assessment_scores_are_one_to_five_on_known_criteria(manager, scores, field):
    make_criteria()
    with pytest.raises(InvalidInput) as caught:
        services.assess_project(manager, make_project(), scores)
    assert field in caught.value.fields


def test_residents_cannot_assess_but_moderators_can(resident, moderator):
    make_criteria()
    project = make_project()
    with pytest.raises(NotAllowed):
        services.assess_project(resident, project, {"risk": 3})
    services.assess_project(moderator, project, {"risk": 3})


def test_weighted_ranking_matches_a_hand_computation(app, manager, admin):
    """Weights: support 20, SDGs 30, cost 50 (the rest 0); full support at 4 people.

    P: supporters 3 (one voted for both ideas) -> 1 + 4·3/4 = 4; SDG (4+2)/2 = 3; cost 5:
       (20·4 + 30·3 + 50·5) / 100 = 4.2
    Q: supporters 0 -> 1; SDG 5; cost 1: (20 + 150 + 50) / 100 = 2.2
    R: supporters 0 -> 1; SDG 4; cost not assessed (left out): (20 + 120) / 50 = 2.8
    """
    app.config["CITIZEN_SUPPORT_FULL_SCORE"] = 4
    make_criteria({"citizen_support": 20, "sdg_contribution": 30, "cost": 50})
    both = make_user()
    first, second = make_idea(), make_idea()
    add_votes(first, [both, make_user()])
    add_votes(second, [both, make_user()])
    p = make_project("P", ideas=(first, second), cost=1_000_000)
    q = make_project("Q", cost=500_000, public=False, phase=ProjectPhase.PLANNED)
    r = make_project("R", cost=3_000_000)
    make_project("Ferdig", phase=ProjectPhase.COMPLETED)
    make_project("Pågår", phase=ProjectPhase.IN_PROGRESS)
    services.assess_project(manager, p, {"sdg_contribution": 4, "cost": 5})
    services.assess_project(admin, p, {"sdg_contribution": 2})
    services.assess_project(manager, q, {"sdg_contribution": 5, "cost": 1})
    services.assess_project(admin, q, {"sdg_contribution": 5})
    services.assess_project(manager, r, {"sdg_contribution": 4})

    board = queries.board(queries.ProjectFilters())
    assert [row.project.title for row in board.rows] == ["P", "R", "Q"]
    scores = {row.project.title: row.card.score for row in board.rows}
    assert scores == pytest.approx({"P": 4.2, "R": 2.8, "Q": 2.2})
    assert {row.project.title: row.card.complete for row in board.rows} == {"P": True, "R": False, "Q": True}
    assert board.rows[0].card.supporters == 3
    assert [row.cumulative_cost for row in board.rows] == [1_000_000, 4_000_000, 4_500_000]

    within = queries.board(queries.ProjectFilters(), budget=2_000_000)
    # R does not fit, so the line is drawn above it: Q (cheap, but below the line) does not fit either.
    assert [row.fits for row in within.rows] == [True, False, False]
    assert (within.cost_within_budget, within.count_within_budget) == (1_000_000, 1)
    roomy = queries.board(queries.ProjectFilters(), budget=4_200_000)
    assert [row.fits for row in roomy.rows] == [True, True, False]
    assert roomy.cost_within_budget == 4_000_000


def test_citizen_support_counts_only_visible_linked_ideas(app):
    make_criteria()
    shown, hidden = make_idea(), make_idea(visibility=Visibility.HIDDEN)
    add_votes(shown, 2)
    add_votes(hidden, 5)
    project = make_project(ideas=(shown, hidden))
    assert queries.citizen_support([project.id]) == {project.id: 2}


def test_board_filters_by_area_kind_and_goal(app):
    make_criteria()
    roads = make_service_area("Vei", area_name="Samfunnsutvikling")
    school = make_service_area("Skole", area_name="Oppvekst")
    a = make_project("A", owner=roads, sdgs=(11,))
    b = make_project("B", owner=school, participants=(roads,), sdgs=(4,))
    make_project("C", owner=school, kind="acquisition")

    def titles(**kw):
        return sorted(row.project.title for row in queries.board(queries.ProjectFilters(**kw)).rows)

    assert titles(service_area_id=roads.id) == ["A", "B"]
    assert titles(municipal_area_id=school.municipal_area_id) == ["B", "C"]
    assert titles(kind="acquisition") == ["C"]
    assert titles(sdg=11) == ["A"]
    assert a.id and b.id


def test_decisions_are_recorded_with_rationale_and_history(manager):
    project = make_project()
    services.record_decision(manager, project, "2026-02-01", "deferred", "Venter på reguleringsplanen.",
                             deferred_to="2026-05-01")
    services.record_decision(manager, project, date(2026, 5, 1), "prioritised", "Nå er planen vedtatt.")
    db.session.expire_all()
    history = db.session.get(Project, project.id).decisions
    assert [(d.meeting_date, d.outcome) for d in history] == [
        (date(2026, 5, 1), DecisionOutcome.PRIORITISED), (date(2026, 2, 1), DecisionOutcome.DEFERRED)]
    board = queries.board(queries.ProjectFilters())
    assert board.rows[0].latest_decision.outcome == DecisionOutcome.PRIORITISED


def test_a_decision_needs_date_outcome_and_rationale(manager, moderator):
    with pytest.raises(InvalidInput) as caught:
        services.record_decision(manager, make_project(), "", "maybe", "")
    assert set(caught.value.fields) == {"meeting_date", "outcome", "rationale"}
    with pytest.raises(NotAllowed):
        services.record_decision(moderator, make_project(), "2026-01-01", "rejected", "Nei.")


# --- similarity -------------------------------------------------------------------------


def test_similar_projects_and_ideas_are_found_across_service_areas(manager):
    make_project("Nytt fagsystem for barnehageopptak", owner=make_service_area("Barnehage"),
                 kind="acquisition", description="Digital søknad om barnehageplass.")
    make_project("Internt fagsystem for turnus", owner=make_service_area("Helse"), public=False,
                 kind="acquisition", description="Turnusplanlegging.")
    make_project("Ny ballbinge på Sørvika", description="Kunstgress og vant.")
    make_idea(title="Digital søknad om barnehageplass", body="Papirskjemaet er tungvint.")
    make_idea(title="Flere benker i parken", body="Eldre trenger hvile.")
    text = "Anskaffe fagsystem for søknad om plass i skolefritidsordningen"
    staff_titles = [p.title for p in queries.similar_projects(text, manager)]
    assert staff_titles[:2] == ["Nytt fagsystem for barnehageopptak", "Internt fagsystem for turnus"] or \
        set(staff_titles[:2]) == {"Nytt fagsystem for barnehageopptak", "Internt fagsystem for turnus"}
    assert "Ny ballbinge på Sørvika" not in staff_titles
    public_titles = [p.title for p in queries.similar_projects(text, None)]
    assert "Internt fagsystem for turnus" not in public_titles
    assert [i.title for i in queries.similar_ideas(text)] == ["Digital søknad om barnehageplass"]


def test_project_search_follows_title_changes(manager):
    project = make_project("Ny ballbinge")
    services.update_project(manager, project, {"title": "Nytt kunstgressdekke"})
    assert queries.similar_projects("ballbinge", manager) == []
    assert [p.id for p in queries.similar_projects("kunstgressdekke", manager)] == [project.id]


# --- service areas in use, criteria, local targets ----------------------------------------


def test_a_service_area_used_by_a_project_or_an_idea_cannot_be_deleted(admin):
    owner, participant, topic, free = (make_service_area() for _ in range(4))
    make_project(owner=owner, participants=(participant,))
    make_idea(service_area=topic)
    for used in (owner, participant, topic):
        with pytest.raises(InvalidState):
            services.delete_area(admin, "service", used.id)
    services.delete_area(admin, "service", free.id)


def test_admin_edits_criteria_and_weights(admin, manager):
    make_criteria()
    climate = services.save_criterion(admin, None, {"key": "climate", "name_nb": "Klimaeffekt", "weight": 5})
    services.set_criteria_weights(admin, {str(climate.id): 12})
    assert db.session.get(Criterion, climate.id).weight == 12
    with pytest.raises(InvalidInput):
        services.save_criterion(admin, None, {"key": "climate", "name_nb": "Igjen", "weight": 5})
    with pytest.raises(InvalidInput):
        services.set_criteria_weights(admin, {str(climate.id): 101})
    with pytest.raises(NotAllowed):
        services.save_criterion(manager, climate, {"name_nb": "Klima", "weight": 1})
    services.assess_project(manager, make_project(), {"climate": 4})
    with pytest.raises(InvalidState):
        services.delete_criterion(admin, climate)


def test_admin_edits_local_targets(admin, manager):
    target = services.save_local_target(admin, None, {"sdg": 11, "code": "11.2-L1", "text_nb": "Trygg skolevei",
                                                      "text_en": "Safe routes to school"})
    assert (target.sdg_number, target.code, target.text_nn) == (11, "11.2-L1", "")
    with pytest.raises(InvalidInput) as caught:
        services.save_local_target(admin, None, {"sdg": 3, "code": "11.2-L1", "text_nb": "Feil mål"})
    assert "code" in caught.value.fields
    with pytest.raises(NotAllowed):
        services.save_local_target(manager, target, {"sdg": 11, "code": "11.2-L1", "text_nb": "x"})
    make_project(local_targets=[target])
    with pytest.raises(InvalidState):
        services.delete_local_target(admin, target)
    spare = make_target(7, "7.2-L1")
    services.delete_local_target(admin, spare)
    assert db.session.get(LocalTarget, spare.id) is None


def test_a_vote_reranks_the_board_without_reading_the_portfolio_again(app, manager):
    """The board keeps what only the portfolio holds (projects, assessments, costs) apart from
    the citizen support: a vote re-ranks at once, an assessment is read afresh at once."""
    from bench.querycount import count_queries

    app.config["CITIZEN_SUPPORT_FULL_SCORE"] = 2
    make_criteria({"citizen_support": 50, "sdg_contribution": 50})
    linked, unlinked = make_idea(), make_idea()
    a = make_project("A", ideas=(linked,))
    b = make_project("B")
    services.assess_project(manager, a, {"sdg_contribution": 3})
    services.assess_project(manager, b, {"sdg_contribution": 4})

    def ranked():
        board = queries.board(queries.ProjectFilters())
        return [(row.project.title, row.card.supporters) for row in board.rows]

    assert ranked() == [("B", 0), ("A", 0)]  # 2.5 against 2.0

    def reads_the_portfolio(log) -> bool:
        return any("FROM assessments" in sql or "FROM project_costs" in sql for sql, _ in log.statements)

    # A vote on an idea no project links: the support is counted again, nothing else.
    services_vote(unlinked)
    with count_queries() as log:
        assert ranked() == [("B", 0), ("A", 0)]
    assert not reads_the_portfolio(log)
    # Two votes on A's idea: A has full support (5) and goes first, still without reading
    # the projects, assessments or costs again.
    services_vote(linked)
    services_vote(linked)
    with count_queries() as log:
        assert ranked() == [("A", 2), ("B", 0)]  # (5 + 3) / 2 = 4 against (1 + 4) / 2 = 2.5
    assert not reads_the_portfolio(log)
    # An assessment is the portfolio's own: read afresh at once.
    services.assess_project(manager, b, {"sdg_contribution": 5})
    with count_queries() as log:
        assert ranked() == [("A", 2), ("B", 0)]
    assert reads_the_portfolio(log)
    services.assess_project(manager, a, {"sdg_contribution": 1})
    assert ranked() == [("A", 2), ("B", 0)]  # (5 + 1) / 2 = 3 against 3: more supporters first
    services.assess_project(manager, b, {"sdg_contribution": 5})
    make_project("C")
    assert [title for title, _ in ranked()] == ["A", "B", "C"]


def services_vote(idea):
    from app.ideas import services as ideas

    ideas.vote_for_idea(make_user(), idea.id)


def test_assessments_deleted_on_the_table_itself_leave_the_board_at_once(app, manager, admin):
    """Erasing an account deletes its assessments with a statement on the table (privacy's
    cascade): the board's kept portfolio part must start afresh all the same."""
    from sqlalchemy import delete

    make_criteria({"sdg_contribution": 100})
    a, b = make_project("A"), make_project("B")
    services.assess_project(admin, a, {"sdg_contribution": 5})
    services.assess_project(manager, b, {"sdg_contribution": 3})
    assert [row.project.title for row in queries.board(queries.ProjectFilters()).rows] == ["A", "B"]
    db.session.execute(delete(Assessment.__table__).where(Assessment.__table__.c.assessor_id == admin.id))
    db.session.commit()
    assert [row.project.title for row in queries.board(queries.ProjectFilters()).rows] == ["B", "A"]
