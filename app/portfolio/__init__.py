"""Municipal structure, projects, idea links, assessments and the SDG overview."""

from flask import Blueprint

bp = Blueprint("portfolio", __name__)

from app.portfolio import schema  # noqa: E402

schema.register()

from app.portfolio import cli, sections, staff_views, views  # noqa: E402, F401
