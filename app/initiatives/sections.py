"""What innbyggerforslag add to the idea page, through the ideas domain's section registry:
the author's "make it an innbyggerforslag" action, and the initiatives the idea became."""

from app.accounts.permissions import participation_problem
from app.ideas.models import Idea
from app.ideas.permissions import is_author
from app.ideas.sections import register_idea_section
from app.initiatives import queries


def _initiative_section(idea: Idea, viewer) -> dict:
    """One query: the initiatives made from this idea that the viewer may see."""
    return {
        "initiatives_from_idea": queries.from_idea(idea.id, viewer),
        # An unverified author is sent to verify first by the form itself.
        "can_make_initiative": idea.is_visible and is_author(viewer, idea)
        and participation_problem(viewer, "propose") in (None, "unverified"),
    }


register_idea_section("initiatives", "initiatives/_idea_section.html", _initiative_section, order=40)
