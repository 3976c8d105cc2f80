"""Innbyggerforslag (kommuneloven § 12-1): proposals to the council, signatures, the decision."""

from flask import Blueprint

from app.core import cache
from app.initiatives.models import Initiative

bp = Blueprint("initiatives", __name__)

# The list's filter counts (queries.status_counts) start afresh with any change of status.
cache.watch(Initiative, "initiatives", ignore={"signature_count", "paper_signature_count", "updated_at"})

from app.initiatives import views  # noqa: E402, F401
