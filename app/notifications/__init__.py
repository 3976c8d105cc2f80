"""Follows, notices, the outbox and e-mail delivery."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from app.notifications import dev_views, views  # noqa: E402, F401
