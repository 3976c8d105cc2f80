"""Factories for the portfolio tests. Ideas and votes are rows made with the models directly,
so these tests do not lean on the ideas domain's services."""

import itertools
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app.accounts.models import Role, User
from app.core.db import utcnow
from app.core.models import Sdg, ServiceArea
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, Visibility, Vote
from app.portfolio.models import (
    Criterion,
    LocalTarget,
    Project,
    ProjectIdea,
    ProjectKind,
    ProjectPhase,
)
from app.portfolio.schema import DEFAULT_CRITERIA
from tests.factories import make_service_area, make_user

_n = itertools.count(1)


def make_idea(
    author: User | None = None,
    title: str | None = None,
    body: str = "Vi trenger et bedre tilbud i nærmiljøet.",
    service_area: ServiceArea | None = None,
    status: IdeaStatus = IdeaStatus.SUBMITTED,
    visibility: Visibility = Visibility.VISIBLE,
    sdgs: tuple[int, ...] = (),
    age_days: float = 0,
    **fields,
) -> Idea:
    idea = Idea(
        title=title or f"Idé nummer {next(_n)}",
        body=body,
        author=author or make_user(),
        service_area=service_area or make_service_area(),
        status=status,
        visibility=visibility,
        created_at=utcnow() - timedelta(days=age_days),
        **fields,
    )
    if sdgs:
        idea.sdgs = list(db.session.scalars(select(Sdg).where(Sdg.number.in_(sdgs))))
    db.session.add(idea)
    db.session.commit()
    return idea


def add_votes(idea: Idea, voters: list[User] | int, *, ago_days: float | None = None) -> list[User]:
    """Votes on the idea (new residents when a number is given), with vote_count kept exact."""
    if isinstance(voters, int):
        voters = [make_user() for _ in range(voters)]
    now = utcnow()
    for index, voter in enumerate(voters):
        created = now - timedelta(days=ago_days) + timedelta(seconds=index) if ago_days is not None else now
        db.session.add(Vote(idea_id=idea.id, user_id=voter.id, created_at=created))
    idea.vote_count = (idea.vote_count or 0) + len(voters)
    db.session.commit()
    return voters


def make_project(
    title: str | None = None,
    owner: ServiceArea | None = None,
    phase: ProjectPhase = ProjectPhase.PROPOSED,
    kind: ProjectKind = ProjectKind.PROJECT,
    public: bool = True,
    cost: int | None = 1_000_000,
    sdgs: tuple[int, ...] = (),
    description: str = "Et arbeid i kommunen.",
    participants: tuple[ServiceArea, ...] = (),
    ideas: tuple[Idea, ...] = (),
    **fields,
) -> Project:
    project = Project(
        title=title or f"Prosjekt {next(_n)}",
        description=description,
        owner_service_area=owner or make_service_area(),
        phase=phase, kind=kind, public=public, estimated_cost=cost, progress=0, **fields,
    )
    project.service_areas = list(participants)
    if sdgs:
        project.sdgs = list(db.session.scalars(select(Sdg).where(Sdg.number.in_(sdgs))))
    db.session.add(project)
    db.session.flush()
    for idea in ideas:
        db.session.add(ProjectIdea(project_id=project.id, idea_id=idea.id, note=""))
    db.session.commit()
    return project


def make_criteria(weights: dict[str, int] | None = None) -> dict[str, Criterion]:
    """The default criteria, with weights overridden where given (unlisted ones keep theirs)."""
    out = {}
    for position, row in enumerate(DEFAULT_CRITERIA, start=1):
        data = dict(row)
        if weights is not None:
            data["weight"] = weights.get(row["key"], 0)
        criterion = Criterion(position=position, **data)
        db.session.add(criterion)
        out[row["key"]] = criterion
    db.session.commit()
    return out


def make_target(sdg: int = 11, code: str | None = None) -> LocalTarget:
    target = LocalTarget(sdg_number=sdg, code=code or f"{sdg}.{next(_n)}-L1", text_nb="Et lokalt mål.")
    db.session.add(target)
    db.session.commit()
    return target


@pytest.fixture
def manager(app) -> User:
    return make_user(role=Role.PORTFOLIO_MANAGER, name="Per Porteføljesen")


@pytest.fixture
def admin(app) -> User:
    return make_user(role=Role.ADMIN, name="Ada Administrator")


@pytest.fixture
def moderator(app) -> User:
    return make_user(role=Role.MODERATOR, name="Mona Moderator")


@pytest.fixture
def resident(app) -> User:
    return make_user(role=Role.RESIDENT, name="Rita Resident")


@pytest.fixture
def world(app) -> dict:
    return make_world()


def make_world() -> dict:
    """A little of everything, so every page has something to show."""
    make_criteria()
    idea = make_idea(title="Fortau langs Skoleveien", sdgs=(11,))
    add_votes(idea, 2)
    project = make_project("Trygg skolevei", sdgs=(11,), ideas=(idea,))
    internal = make_project("Internt fagsystem", public=False, sdgs=(16,))
    target = make_target(11, "11.2-L1")
    return {"idea": idea, "project": project, "internal": internal, "target": target,
            "criterion": db.session.scalar(select(Criterion).where(Criterion.key == "risk"))}


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries():
    counter = QueryCounter()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)
