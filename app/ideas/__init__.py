"""Ideas, votes, endorsements, images, search and the similar-idea lookup."""

from flask import Blueprint

from app.accounts.models import Organisation
from app.core import cache
from app.core.schema import EXTRA_SCHEMA_STEPS
from app.ideas.counts import install_counts
from app.ideas.models import Idea, Vote
from app.ideas.search import install_search

bp = Blueprint("ideas", __name__)

# Tests (create_all + install_reference_data) and migrations build the same search objects.
if install_search not in EXTRA_SCHEMA_STEPS:
    EXTRA_SCHEMA_STEPS.append(install_search)
# The counts kept by triggers (app/ideas/counts.py), likewise.
if install_counts not in EXTRA_SCHEMA_STEPS:
    EXTRA_SCHEMA_STEPS.append(install_counts)

# Cached counts (app/ideas/queries.py): "ideas" is what filter options and list totals count,
# which display counters do not change; "activity" also covers votes and comments.
cache.watch(Idea, "ideas", ignore={"vote_count", "comment_count", "endorsement_count", "updated_at"})
cache.watch(Organisation, "ideas")
cache.watch(Idea, "activity")
cache.watch(Vote, "activity")

from app.ideas import views  # noqa: E402, F401
