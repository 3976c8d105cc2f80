"""The lifecycle: a project's phase drives its linked ideas' status, cancelled hands back the
earlier answer with the explanation, completed means 100 %, and the phase history is kept."""

import pytest
from sqlalchemy import func, select

from app.core.errors import InvalidInput, InvalidState, NotAllowed
from app.extensions import db
from app.ideas.models import (
    PROJECT_TRANSITIONS,
    STAFF_TRANSITIONS,
    VOTING_OPEN,
    Idea,
    IdeaStatus,
    StatusChange,
    Visibility,
)
from app.portfolio import answers, services, signals
from app.portfolio.models import Project, ProjectPhase, ProjectPhaseChange
from tests.portfolio.conftest import make_idea, make_project

WHY = "Budsjettet ble kuttet i år."


def _history(idea: Idea) -> list[StatusChange]:
    return list(db.session.scalars(
        select(StatusChange).where(StatusChange.idea_id == idea.id).order_by(StatusChange.id)
    ))


def _accepted(**fields) -> Idea:
    """An idea the municipality accepted by hand (its own answer, not a project's)."""
    idea = make_idea(status=IdeaStatus.ACCEPTED, **fields)
    db.session.add(StatusChange(idea_id=idea.id, from_status=IdeaStatus.SUBMITTED,
                                to_status=IdeaStatus.ACCEPTED, explanation="Godt forslag."))
    db.session.commit()
    return idea


def _status(idea: Idea) -> IdeaStatus:
    return db.session.scalar(select(Idea.status).where(Idea.id == idea.id))


@pytest.mark.parametrize("phase, status", [
    (ProjectPhase.PLANNED, IdeaStatus.PLANNED),
    (ProjectPhase.IN_PROGRESS, IdeaStatus.IN_PROGRESS),
    (ProjectPhase.COMPLETED, IdeaStatus.IMPLEMENTED),
])
@pytest.mark.parametrize("linked", [1, 2])
def test_each_phase_moves_every_linked_idea_with_a_public_history_row(manager, phase, status, linked):
    ideas = [_accepted() for _ in range(linked)]
    project = make_project("Trygg skolevei", ideas=tuple(ideas))
    record = services.change_project_phase(manager, project, phase.value, "")
    assert record.from_phase == ProjectPhase.PROPOSED and record.to_phase == phase
    assert record.changed_by_id == manager.id
    for idea in ideas:
        assert _status(idea) == status
        last = _history(idea)[-1]
        assert (last.from_status, last.to_status, last.by_project) == (IdeaStatus.ACCEPTED, status, True)
        assert last.changed_by_id == manager.id
        assert "«Trygg skolevei»" in last.explanation  # says which project


def test_the_whole_way_through_and_cancelled_hands_back_the_earlier_answer(manager):
    idea = _accepted()
    project = make_project("Lekeplass i Eidet", ideas=(idea,))
    for phase in ("planned", "in_progress"):
        services.change_project_phase(manager, project, phase)
    assert _status(idea) == IdeaStatus.IN_PROGRESS
    services.change_project_phase(manager, project, "cancelled", WHY)
    assert _status(idea) == IdeaStatus.ACCEPTED
    last = _history(idea)[-1]
    assert (last.from_status, last.to_status) == (IdeaStatus.IN_PROGRESS, IdeaStatus.ACCEPTED)
    assert "Prosjektet «Lekeplass i Eidet» er avlyst." in last.explanation
    assert WHY in last.explanation  # the cancellation's explanation is shown on the idea
    phases = [(c.from_phase, c.to_phase) for c in db.session.scalars(
        select(ProjectPhaseChange).where(ProjectPhaseChange.project_id == project.id).order_by(ProjectPhaseChange.id))]
    assert phases == [(ProjectPhase.PROPOSED, ProjectPhase.PLANNED),
                      (ProjectPhase.PLANNED, ProjectPhase.IN_PROGRESS),
                      (ProjectPhase.IN_PROGRESS, ProjectPhase.CANCELLED)]


def test_cancelled_returns_an_idea_linked_while_submitted_to_its_acceptance_by_the_link(manager):
    idea = make_idea()
    project = make_project(phase=ProjectPhase.PLANNED)
    services.link_idea(manager, project, idea, "Dette tar vi med i planleggingen.")
    # Linking to a planned project accepts the idea and moves it on to match the phase.
    assert [c.to_status for c in _history(idea)] == [IdeaStatus.ACCEPTED, IdeaStatus.PLANNED]
    services.change_project_phase(manager, project, "cancelled", WHY)
    assert _status(idea) == IdeaStatus.ACCEPTED


def test_a_cancellation_needs_an_explanation_next_to_the_field(manager):
    idea = _accepted()
    project = make_project(phase=ProjectPhase.PLANNED, ideas=(idea,))
    with pytest.raises(InvalidInput) as error:
        services.change_project_phase(manager, project, "cancelled", "   ")
    assert "Skriv hvorfor prosjektet er avlyst" in error.value.fields["explanation"][0]
    db.session.rollback()
    assert db.session.get(Project, project.id).phase == ProjectPhase.PLANNED
    # The same rule through update_project (the edit form and the API's PATCH).
    with pytest.raises(InvalidInput) as error:
        services.update_project(manager, project, {"phase": "cancelled"})
    assert "phase_explanation" in error.value.fields


def test_linking_to_a_project_under_way_moves_the_idea_to_match(manager):
    for phase, status in ((ProjectPhase.PLANNED, IdeaStatus.PLANNED),
                          (ProjectPhase.IN_PROGRESS, IdeaStatus.IN_PROGRESS),
                          (ProjectPhase.COMPLETED, IdeaStatus.IMPLEMENTED)):
        idea = _accepted()
        services.link_idea(manager, make_project(phase=phase), idea, "")
        assert _status(idea) == status
    idea = _accepted()
    services.link_idea(manager, make_project(phase=ProjectPhase.PROPOSED), idea, "")
    assert _status(idea) == IdeaStatus.ACCEPTED  # a proposal drives nothing yet


def test_an_idea_in_two_projects_follows_the_most_advanced_one_not_cancelled(manager):
    idea = _accepted()
    slow = make_project("Sakte", phase=ProjectPhase.PROPOSED, ideas=(idea,))
    fast = make_project("Rask", phase=ProjectPhase.PROPOSED, ideas=(idea,))
    services.change_project_phase(manager, slow, "planned")
    services.change_project_phase(manager, fast, "in_progress")
    assert _status(idea) == IdeaStatus.IN_PROGRESS
    # The slower project moving does not pull the idea back.
    services.change_project_phase(manager, slow, "proposed")
    services.change_project_phase(manager, slow, "planned")
    assert _status(idea) == IdeaStatus.IN_PROGRESS
    # The leader is cancelled: the idea follows the other project, and says so.
    services.change_project_phase(manager, fast, "cancelled", WHY)
    assert _status(idea) == IdeaStatus.PLANNED
    last = _history(idea)[-1]
    assert "«Rask» er avlyst" in last.explanation and "«Sakte»" in last.explanation
    # Both gone: back to the municipality's own answer.
    services.change_project_phase(manager, slow, "cancelled", WHY)
    assert _status(idea) == IdeaStatus.ACCEPTED


@pytest.mark.parametrize("status, visibility", [
    (IdeaStatus.MERGED, Visibility.VISIBLE),
    (IdeaStatus.WITHDRAWN, Visibility.VISIBLE),
    (IdeaStatus.DECLINED, Visibility.VISIBLE),
    (IdeaStatus.ACCEPTED, Visibility.HIDDEN),
])
def test_merged_withdrawn_declined_and_hidden_ideas_are_not_moved(manager, status, visibility):
    idea = make_idea(status=status, visibility=visibility)
    project = make_project(ideas=(idea,))
    services.change_project_phase(manager, project, "in_progress")
    assert _status(idea) == status
    assert _history(idea) == []


def test_an_idea_answered_by_hand_afterwards_is_left_alone_by_a_cancellation(manager):
    idea = _accepted()
    project = make_project(phase=ProjectPhase.PROPOSED, ideas=(idea,))
    services.change_project_phase(manager, project, "in_progress")
    answers.change_idea_status(manager, idea, "implemented", "Ferdig, takk for idéen.")
    services.change_project_phase(manager, project, "cancelled", WHY)
    assert _status(idea) == IdeaStatus.IMPLEMENTED


def test_the_phase_signal_and_one_status_signal_per_moved_idea(manager):
    ideas = [_accepted(), _accepted()]
    project = make_project(ideas=tuple(ideas))
    seen: list = []

    def phase_listener(sender, **kw):
        seen.append(("phase", sender.id, kw["phase_change"].to_phase, kw["actor"].id))

    def status_listener(sender, **kw):
        seen.append(("status", sender.id, kw["status_change"].to_status, kw["actor"].id))

    with signals.project_phase_changed.connected_to(phase_listener), \
            signals.idea_status_changed.connected_to(status_listener):
        services.change_project_phase(manager, project, "planned")
    assert sorted(seen, key=str) == sorted([
        ("status", ideas[0].id, IdeaStatus.PLANNED, manager.id),
        ("status", ideas[1].id, IdeaStatus.PLANNED, manager.id),
        ("phase", project.id, ProjectPhase.PLANNED, manager.id),
    ], key=str)


def test_only_portfolio_managers_change_phases_and_the_same_phase_twice_is_refused(manager, resident):
    project = make_project(phase=ProjectPhase.PLANNED)
    with pytest.raises(NotAllowed):
        services.change_project_phase(resident, project, "in_progress")
    with pytest.raises(InvalidState, match="allerede i fasen"):
        services.change_project_phase(manager, project, "planned")
    with pytest.raises(InvalidInput):
        services.change_project_phase(manager, project, "\x00finished")


def test_internal_projects_are_not_named_in_the_ideas_public_history(manager):
    idea = _accepted()
    project = make_project("Hemmelig fagsystem", public=False, ideas=(idea,))
    services.change_project_phase(manager, project, "in_progress")
    last = _history(idea)[-1]
    assert "Hemmelig" not in last.explanation
    assert "interne arbeid" in last.explanation


# --- completed means 100 % --------------------------------------------------------------


def test_completing_sets_progress_to_100(manager):
    project = make_project(phase=ProjectPhase.IN_PROGRESS)
    project.progress = 60
    db.session.commit()
    services.change_project_phase(manager, project, "completed")
    assert db.session.get(Project, project.id).progress == 100
    # The edit form sends the stored progress with the new phase: it is raised, not refused.
    other = make_project(phase=ProjectPhase.IN_PROGRESS)
    other.progress = 40
    db.session.commit()
    services.update_project(manager, other, {"phase": "completed", "progress": 40})
    assert db.session.get(Project, other.id).progress == 100


def test_progress_below_100_on_a_completed_project_is_refused_next_to_the_field(manager):
    project = make_project(phase=ProjectPhase.IN_PROGRESS)
    with pytest.raises(InvalidInput) as error:
        services.update_project(manager, project, {"phase": "completed", "progress": 70})
    assert "fullført prosjekt har framdrift 100 %" in error.value.fields["progress"][0]
    db.session.rollback()
    services.change_project_phase(manager, project, "completed")
    with pytest.raises(InvalidInput) as error:
        services.update_project(manager, project, {"progress": 90})
    assert "progress" in error.value.fields
    db.session.rollback()
    with pytest.raises(InvalidInput) as error:
        services.post_project_update(manager, project, "Litt igjen likevel.", 90)
    assert "progress" in error.value.fields
    db.session.rollback()
    assert db.session.get(Project, project.id).progress == 100
    with pytest.raises(InvalidInput) as error:
        services.create_project(manager, {"title": "Ferdig", "phase": "completed", "progress": 50,
                                          "owner_service_area_id": project.owner_service_area_id})
    assert "progress" in error.value.fields


def test_progress_100_on_an_update_does_not_complete_the_project(manager):
    """Decided: 100 % is kept and the project stays in its phase; staff complete it with the
    phase form (the project page offers it), so the ideas move only when someone says so."""
    idea = _accepted()
    project = make_project(phase=ProjectPhase.IN_PROGRESS, ideas=(idea,))
    services.post_project_update(manager, project, "Alt er bygget.", 100)
    project = db.session.get(Project, project.id)
    assert (project.phase, project.progress) == (ProjectPhase.IN_PROGRESS, 100)
    assert _status(idea) == IdeaStatus.ACCEPTED  # never moved by the update


# --- the tables ---------------------------------------------------------------------------


def test_the_transition_tables_say_what_the_lifecycle_says():
    assert {IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.ACCEPTED,
                           IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS} == VOTING_OPEN
    for answered in (IdeaStatus.ACCEPTED, IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS):
        assert IdeaStatus.MERGED in STAFF_TRANSITIONS[answered]
    for closed in (IdeaStatus.MERGED, IdeaStatus.WITHDRAWN, IdeaStatus.DECLINED):
        assert closed not in PROJECT_TRANSITIONS
        assert all(closed not in targets for targets in PROJECT_TRANSITIONS.values())


def test_one_phase_change_costs_a_fixed_number_of_queries_for_many_ideas(manager):
    from tests.portfolio.conftest import count_queries

    def cost(n: int) -> int:
        project = make_project(ideas=tuple(_accepted() for _ in range(n)))
        # The service's own statements; the listeners' fan-out is measured by the notifications.
        with signals.idea_status_changed.muted(), signals.project_phase_changed.muted(), \
                count_queries() as counter:
            services.change_project_phase(manager, project, "planned")
        return counter.count

    few, many = cost(2), cost(8)
    # Per moved idea one UPDATE and one INSERT; everything else is fixed.
    assert many - few == 6 * 2
    assert db.session.scalar(select(func.count()).select_from(ProjectPhaseChange)) == 2


def test_unlinking_takes_back_the_status_the_project_gave_but_not_a_staff_answer(manager):
    idea = _accepted()
    project = make_project("Gatelys", phase=ProjectPhase.IN_PROGRESS, ideas=(idea,))
    services.change_project_phase(manager, project, "planned")
    assert _status(idea) == IdeaStatus.PLANNED
    services.unlink_idea(manager, project, idea)
    assert _status(idea) == IdeaStatus.ACCEPTED
    assert "ikke lenger en del av prosjektet «Gatelys»" in _history(idea)[-1].explanation
    # A status staff set by hand stays when the idea leaves a project.
    other = make_idea(status=IdeaStatus.UNDER_REVIEW)
    project2 = make_project(phase=ProjectPhase.PROPOSED, ideas=(other,))
    services.unlink_idea(manager, project2, other)
    assert _status(other) == IdeaStatus.UNDER_REVIEW
