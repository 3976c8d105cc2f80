"""API v1: the calling person's own data (export; account deletion)."""

from app.api import bp  # noqa: F401
