"""A person's data pages: "Mine data", its download, and the staff screens for a person."""

from app.privacy import bp  # noqa: F401
