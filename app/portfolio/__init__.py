"""Municipal structure, projects, idea links, assessments and the SDG overview."""

from flask import Blueprint

bp = Blueprint("portfolio", __name__)

# The count cache's topic for what the board ranks that only the portfolio holds: its projects,
# assessments and costs (queries._ranking). A vote does not move it.
BOARD = "portfolio_board"

from app.portfolio import schema  # noqa: E402

schema.register()

from app.core import cache  # noqa: E402
from app.portfolio.models import (  # noqa: E402
    Assessment,
    Criterion,
    PlanBudget,
    Project,
    ProjectCost,
    ProjectIdea,
)

# The board's ranking: projects, their assessments, the criteria's weights and the voters of
# each project's linked ideas (votes are watched by the ideas domain), the yearly costs and budgets.
for _model in (Project, ProjectIdea, Assessment, Criterion, ProjectCost, PlanBudget):
    cache.watch(_model, "activity")
    # The part of it a vote does not change (app/portfolio/queries.py: _ranking).
    cache.watch(_model, BOARD)

from app.portfolio import (  # noqa: E402, F401
    cli,
    group_views,
    groups,
    meeting_views,
    plan_views,
    sections,
    staff_views,
    systems_views,
    views,
)

groups.connect_signals()
