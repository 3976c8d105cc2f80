"""Ideas, votes, endorsements, images, search and the similar-idea lookup."""

from flask import Blueprint

from app.core.schema import EXTRA_SCHEMA_STEPS
from app.ideas.search import install_search

bp = Blueprint("ideas", __name__)

# Tests (create_all + install_reference_data) and migrations build the same search objects.
if install_search not in EXTRA_SCHEMA_STEPS:
    EXTRA_SCHEMA_STEPS.append(install_search)

from app.ideas import views  # noqa: E402, F401
