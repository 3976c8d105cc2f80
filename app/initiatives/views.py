"""Public pages of innbyggerforslag: the list, one initiative, propose, sign, submit."""

from app.initiatives import bp  # noqa: F401
