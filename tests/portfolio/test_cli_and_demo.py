"""`flask portfolio ...` and the portfolio's part of `flask seed-demo`."""

from types import SimpleNamespace

from sqlalchemy import func, select

from app import demo_content
from app.accounts.models import Role
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus
from app.portfolio.demo import seed_portfolio
from app.portfolio.models import Assessment, Criterion, Decision, LocalTarget, Project, ProjectIdea
from tests.factories import make_service_area, make_user
from tests.portfolio.conftest import add_votes, make_idea


def test_portfolio_manager_answers_from_the_command_line(runner, manager):
    idea = make_idea()
    result = runner.invoke(args=["portfolio", "set-status", str(idea.id), "declined",
                                 "--explanation", "Ikke i år.", "--as", manager.email])
    assert result.exit_code == 0, result.output
    assert db.session.get(Idea, idea.id).status == IdeaStatus.DECLINED
    refused = runner.invoke(args=["portfolio", "set-status", str(idea.id), "accepted",
                                  "--explanation", "Likevel", "--as", manager.email])
    assert refused.exit_code != 0


def test_a_resident_cannot_answer_from_the_command_line(runner, resident):
    idea = make_idea()
    result = runner.invoke(args=["portfolio", "set-status", str(idea.id), "under_review", "--as", resident.email])
    assert result.exit_code != 0
    assert db.session.get(Idea, idea.id).status == IdeaStatus.SUBMITTED


def test_merge_and_inbox_from_the_command_line(runner, manager):
    idea, into = make_idea(title="Benker i parken", age_days=40), make_idea(title="Flere benker")
    add_votes(idea, 2)
    result = runner.invoke(args=["portfolio", "merge", str(idea.id), str(into.id),
                                 "--explanation", "Samme", "--as", manager.email])
    assert result.exit_code == 0, result.output
    assert "2 votes" in result.output
    make_idea(title="Gammel og glemt", age_days=50)
    listing = runner.invoke(args=["portfolio", "inbox", "--overdue"])
    assert "Gammel og glemt" in listing.output and "Flere benker" not in listing.output


def test_demo_step_builds_a_portfolio_linked_to_the_ideas(app):
    for area in demo_content.MUNICIPAL_AREAS:
        for name in area["service_areas"]:
            make_service_area(name, area_name=area["name"])
    people = [make_user(role=Role.ADMIN), make_user(role=Role.PORTFOLIO_MANAGER),
              make_user(role=Role.MODERATOR), make_user(role=Role.RESIDENT)]
    school_road = make_idea(title="Fortau langs skoleveien", body="Barna går i veien.")
    make_idea(title="Noe helt annet", body="Blomster i rundkjøringen.")
    content = SimpleNamespace(
        PROJECTS=demo_content.PROJECTS[:6], LOCAL_TARGETS=demo_content.LOCAL_TARGETS,
        CRITERIA=demo_content.CRITERIA, STATUS_EXPLANATIONS=demo_content.STATUS_EXPLANATIONS,
        DECISION_RATIONALES=demo_content.DECISION_RATIONALES,
    )
    seed_portfolio(content, people)
    assert db.session.scalar(select(func.count()).select_from(Project)) == 6
    assert db.session.scalar(select(func.count()).select_from(LocalTarget)) == len(demo_content.LOCAL_TARGETS)
    assert {c.key for c in db.session.scalars(select(Criterion))} == {c["key"] for c in demo_content.CRITERIA}
    link = db.session.scalars(select(ProjectIdea).where(ProjectIdea.idea_id == school_road.id)).one()
    assert link.project.title == "Trygg skolevei i Nordbygda"
    # The project is under way, so the idea it took up is too.
    assert db.session.get(Idea, school_road.id).status == IdeaStatus.IN_PROGRESS
    assert db.session.scalar(select(func.count()).select_from(Assessment)) > 0
    assert db.session.scalar(select(func.count()).select_from(Decision)) > 0
