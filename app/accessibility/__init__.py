"""The accessibility statement and reports of accessibility problems, which land with the admins."""

from flask import Blueprint

bp = Blueprint("accessibility", __name__)

from app.accessibility import views  # noqa: E402, F401
