"""Users, sessions, organisations, roles and permissions."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from app.accounts import staff_views, views  # noqa: E402, F401
