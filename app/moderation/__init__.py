"""Reports, the moderation queue, decisions and the audit log."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from app.moderation import cli, services, staff_views, views  # noqa: E402, F401

services.connect_signals()
