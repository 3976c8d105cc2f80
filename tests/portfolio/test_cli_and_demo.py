"""`flask portfolio ...` and the portfolio's part of `flask seed-demo`."""

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import func, select

from app import demo_content
from app.accounts import services as accounts
from app.accounts.models import Role, User
from app.comments.models import Comment
from app.core.db import utcnow
from app.extensions import db
from app.ideas.models import VOTING_OPEN, Endorsement, Idea, IdeaStatus, StatusChange, Vote
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
    school_road = make_idea(title="Fortau langs skoleveien", body="Barna går i veien.", age_days=120)
    make_idea(title="Noe helt annet", body="Blomster i rundkjøringen.", age_days=120)
    yesterdays = make_idea(title="Fortau til skolen i Eidet", body="Skoleveien er farlig.", age_days=1)
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
    # The project is under way, so the idea it took up is too: taken up after it was published,
    # under way after that, an answer at a time, none today.
    idea = db.session.get(Idea, school_road.id)
    assert idea.status == IdeaStatus.IN_PROGRESS
    assert idea.created_at < link.created_at < utcnow() - timedelta(days=1)
    times = [change.created_at for change in idea.status_changes]
    # The project went through "planned" before it was under way, and the idea followed it.
    assert [change.to_status for change in idea.status_changes][-3:] == [
        IdeaStatus.ACCEPTED, IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS]
    assert [change.by_project for change in idea.status_changes][-2:] == [True, True]
    assert times == sorted(times) and times[0] > idea.created_at and times[-1] < utcnow() - timedelta(hours=1)
    assert link.created_at in times
    assert idea.first_answered_at == times[0]
    # Yesterday's idea on the same subject is too new for a project under way: it waits.
    assert db.session.get(Idea, yesterdays.id).status == IdeaStatus.SUBMITTED
    assert db.session.scalar(select(func.count()).where(ProjectIdea.idea_id == yesterdays.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Assessment)) > 0
    assert db.session.scalar(select(func.count()).select_from(Decision)) > 0


def _fast_hash(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def test_the_whole_demo_has_a_believable_timeline(app, monkeypatch):
    """Later stages belong to older ideas; every answer, vote, comment and link falls between the
    idea's publication and now, answers in order and days apart; the newest ideas still wait."""
    from app.demo import seed_demo

    monkeypatch.setattr(accounts, "generate_password_hash", _fast_hash)
    seed_demo()
    now = utcnow()
    assert db.session.scalar(select(func.count()).select_from(User)) == len(demo_content.PEOPLE)
    assert db.session.scalar(select(func.count()).select_from(Project)) == len(demo_content.PROJECTS)
    ideas = {idea.id: idea for idea in db.session.scalars(select(Idea))}
    assert len(ideas) == 320

    history: dict[int, list[StatusChange]] = {}
    for change in db.session.scalars(select(StatusChange).order_by(StatusChange.idea_id, StatusChange.id)):
        history.setdefault(change.idea_id, []).append(change)
    for idea_id, changes in history.items():
        idea = ideas[idea_id]
        previous = idea.created_at
        for change in changes:
            # Each answer days after what came before it, never today in a lump.
            assert change.created_at - previous > timedelta(hours=12), (idea_id, change.to_status)
            assert change.created_at < now - timedelta(hours=1)
            previous = change.created_at
        assert changes[-1].to_status == idea.status
        answers = [c.created_at for c in changes if c.to_status != IdeaStatus.WITHDRAWN]
        assert idea.first_answered_at == (answers[0] if answers else None)
    assert all(idea.first_answered_at is None for idea_id, idea in ideas.items() if idea_id not in history)

    # Votes only while voting was open; votes, endorsements, comments and links after publishing.
    closed = {idea_id: next((c.created_at for c in changes if c.to_status not in VOTING_OPEN), now)
              for idea_id, changes in history.items()}
    for idea_id, when in db.session.execute(select(Vote.idea_id, Vote.created_at)):
        assert ideas[idea_id].created_at <= when <= closed.get(idea_id, now)
    for model in (Endorsement, Comment, ProjectIdea):
        for idea_id, when in db.session.execute(select(model.idea_id, model.created_at)):
            assert ideas[idea_id].created_at <= when <= now, model.__name__

    # The newest ideas are still waiting or under review, and later stages belong to older ideas.
    newest = sorted(ideas.values(), key=lambda idea: (idea.created_at, idea.id), reverse=True)[:10]
    assert all(idea.status in (IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.DECLINED) for idea in newest)
    assert sum(idea.status in VOTING_OPEN for idea in newest) >= 7

    def mean_age(*statuses):
        ages = [(now - idea.created_at).days for idea in ideas.values() if idea.status in statuses]
        return sum(ages) / len(ages)

    waiting = mean_age(IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW)
    assert waiting < mean_age(IdeaStatus.ACCEPTED, IdeaStatus.DECLINED) < mean_age(IdeaStatus.IMPLEMENTED)
    assert waiting < mean_age(IdeaStatus.IN_PROGRESS) < mean_age(IdeaStatus.IMPLEMENTED)
    assert mean_age(IdeaStatus.WITHDRAWN) > waiting
