"""Comments and replies."""

from flask import Blueprint

bp = Blueprint("comments", __name__)

from app.comments import sections, views  # noqa: E402, F401
