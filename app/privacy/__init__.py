"""A person's data: what Medvirk holds, its export, the account's deletion, and retention."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from app.privacy import deletion, policy_views, views  # noqa: E402, F401

# Signing in during the grace period cancels a requested deletion.
deletion.connect_signals()
