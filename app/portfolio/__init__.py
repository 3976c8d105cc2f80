"""Municipal structure, projects, idea links, assessments and the SDG overview."""

from flask import Blueprint

bp = Blueprint("portfolio", __name__)

from app.portfolio import schema  # noqa: E402

schema.register()

from app.core import cache  # noqa: E402
from app.portfolio.models import ProjectIdea  # noqa: E402

# Citizen support on the board counts the voters of each project's linked ideas.
cache.watch(ProjectIdea, "activity")

from app.portfolio import cli, sections, staff_views, views  # noqa: E402, F401
