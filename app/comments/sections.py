"""The discussion as a section of the idea page (ideas/ renders it without importing comments/).

The discussion is the same for everyone who may do the same things in it, so it is kept for
them (app.ideas.sections): whether they may write and as whom, whether they may report,
whether they moderate the idea's area, and, for the few who wrote in it, who they are (their
edit and delete links). Whether the viewer wrote in it is read with the idea's own statement.
"""

from sqlalchemy import exists

from app.accounts.permissions import can_participate
from app.comments.models import Comment
from app.comments.permissions import comment_problem
from app.comments.queries import thread_section
from app.comments.services import organisations_for_commenting
from app.ideas.permissions import can_moderate_idea, can_view_idea_content
from app.ideas.sections import register_idea_section, register_viewer_state


def _commented(idea_id, user_id):
    return exists().where(Comment.idea_id == idea_id, Comment.author_id == user_id)


def _seen_as(idea, viewer, state: dict) -> tuple:
    """What of the viewer the discussion shows (app/comments/queries.Thread and its templates)."""
    problem = comment_problem(viewer, idea)
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return ("visitor", problem)
    organisations = organisations_for_commenting(viewer) if problem is None else []
    return (
        problem,
        can_view_idea_content(viewer, idea),
        can_participate(viewer),
        can_moderate_idea(viewer, idea),
        # "Write as": their organisations, and their own name as the first choice.
        tuple(organisation.id for organisation in organisations),
        viewer.full_name if organisations else None,
        # Their own comments carry edit and delete links, and their hidden ones the text.
        viewer.id if state.get("commented", True) else None,
    )


register_viewer_state("commented", _commented)
register_idea_section("comments", "comments/_section.html", thread_section, order=50, vary=_seen_as)
