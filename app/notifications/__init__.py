"""Follows, notices, the outbox and e-mail delivery."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from app.notifications import dev_views, listeners, unsubscribe_views, views  # noqa: E402, F401

listeners.connect_signals()
