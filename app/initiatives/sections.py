"""What innbyggerforslag add to the idea page, through the ideas domain's section registry:
the author's "make it an innbyggerforslag" action, and the initiatives the idea became."""

from sqlalchemy import exists

from app.accounts.permissions import participation_problem
from app.ideas.models import Idea
from app.ideas.permissions import is_author
from app.ideas.sections import register_idea_section, register_viewer_state
from app.initiatives import queries
from app.initiatives.models import Initiative
from app.initiatives.permissions import can_moderate_initiatives


def _initiative_section(idea: Idea, viewer) -> dict:
    """One query: the initiatives made from this idea that the viewer may see."""
    return {
        "initiatives_from_idea": queries.from_idea(idea.id, viewer),
        "can_make_initiative": _can_make_initiative(idea, viewer),
    }


def _can_make_initiative(idea: Idea, viewer) -> bool:
    # An unverified author is sent to verify first by the form itself.
    return bool(idea.is_visible and is_author(viewer, idea)
                and participation_problem(viewer, "propose") in (None, "unverified"))


def _proposed_from(idea_id, user_id):
    return exists().where(Initiative.from_idea_id == idea_id, Initiative.proposer_id == user_id)


def _seen_as(idea: Idea, viewer, state: dict) -> tuple:
    """Moderators see every initiative from the idea, a proposer their own that wait."""
    return (
        can_moderate_initiatives(viewer),
        viewer.id if state.get("proposed", True) and viewer is not None else None,
        _can_make_initiative(idea, viewer),
    )


# Whether the viewer proposed an initiative from the idea is read with the idea's own row.
register_viewer_state("proposed", _proposed_from)
register_idea_section("initiatives", "initiatives/_idea_section.html", _initiative_section, order=40,
                      vary=_seen_as)
