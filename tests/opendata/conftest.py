"""Factories for the open-data tests: rows made with the models directly."""

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.core.db import utcnow
from app.core.models import Sdg, ServiceArea
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, StatusChange, Visibility, Vote
from app.portfolio.models import (
    Project,
    ProjectIdea,
    ProjectPhase,
    ProjectPhaseChange,
    ProjectUpdate,
)
from tests.factories import make_organisation, make_service_area, make_user

_n = itertools.count(1)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SITE_URL": "https://medvik.example"}


def _goals(numbers) -> list[Sdg]:
    return list(db.session.scalars(select(Sdg).where(Sdg.number.in_(numbers)))) if numbers else []


def make_idea(author: User | None = None, title: str | None = None, *, body: str = "Benker langs turstien ved fjorden.",
              service_area: ServiceArea | None = None, status: IdeaStatus = IdeaStatus.SUBMITTED,
              hidden: bool = False, sdgs=(), age_days: float = 0, **fields) -> Idea:
    idea = Idea(
        title=title or f"Idé nummer {next(_n)}", body=body, author=author or make_user(),
        service_area=service_area or make_service_area(), status=status,
        visibility=Visibility.HIDDEN if hidden else Visibility.VISIBLE,
        created_at=utcnow() - timedelta(days=age_days), **fields,
    )
    idea.sdgs = _goals(sdgs)
    db.session.add(idea)
    db.session.commit()
    return idea


def add_votes(idea: Idea, count: int, *, days_ago: float = 0) -> None:
    when = utcnow() - timedelta(days=days_ago)
    for index in range(count):
        db.session.add(Vote(idea_id=idea.id, user_id=make_user().id, created_at=when + timedelta(seconds=index)))
    idea.vote_count += count
    db.session.commit()


def answer(idea: Idea, to: IdeaStatus, explanation: str, by: User | None = None, by_project: bool = False) -> StatusChange:
    change = StatusChange(idea_id=idea.id, from_status=idea.status, to_status=to, explanation=explanation,
                          changed_by=by or make_user(role=Role.PORTFOLIO_MANAGER), by_project=by_project)
    idea.status = to
    db.session.add(change)
    db.session.commit()
    return change


def make_project(title: str | None = None, *, public: bool = True, ideas=(), sdgs=(),
                 phase: ProjectPhase = ProjectPhase.PLANNED, **fields) -> Project:
    project = Project(title=title or f"Prosjekt {next(_n)}", description="Et arbeid i kommunen.",
                      owner_service_area=make_service_area(), phase=phase, public=public,
                      estimated_cost=250_000, progress=10, **fields)
    project.sdgs = _goals(sdgs)
    db.session.add(project)
    db.session.flush()
    for idea in ideas:
        db.session.add(ProjectIdea(project_id=project.id, idea_id=idea.id, note=""))
    db.session.commit()
    return project


def post_update(project: Project, text: str) -> ProjectUpdate:
    update = ProjectUpdate(project_id=project.id, text=text, progress=None)
    db.session.add(update)
    db.session.commit()
    return update


def move_phase(project: Project, to: ProjectPhase, explanation: str = "") -> ProjectPhaseChange:
    change = ProjectPhaseChange(project_id=project.id, from_phase=project.phase, to_phase=to, explanation=explanation)
    project.phase = to
    db.session.add(change)
    db.session.commit()
    return change


__all__ = ["add_votes", "answer", "make_idea", "make_organisation", "make_project", "move_phase", "post_update"]
