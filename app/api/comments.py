"""API v1: comments endpoints, over the same services as the discussion on the idea page."""

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Organisation
from app.api import bp
from app.api import schemas as s
from app.api.common import acting_user, api_page_args, body, page_json, query
from app.api.openapi import operation
from app.comments import queries, services
from app.comments.limits import post_comment_limit
from app.comments.models import Comment
from app.comments.permissions import can_read_hidden_comment
from app.core.errors import InvalidInput, NotFound
from app.core.pagecache import public_page
from app.core.urls import external_url
from app.extensions import db
from app.ideas.models import Idea
from app.ideas.permissions import can_view_idea_content


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def comment_json(comment: Comment, viewer=None) -> dict:
    """A comment; hidden and deleted ones are placeholders (no text, no author) for everyone
    but the author and moderators, who read a hidden comment's text."""
    shows_text = comment.is_visible or (
        comment.is_hidden and can_read_hidden_comment(viewer, comment)
    )
    return {
        "id": comment.id,
        "idea_id": comment.idea_id,
        "parent_id": comment.parent_id,
        "author": {"name": comment.author.display_name} if shows_text else None,
        "organisation": (
            {"id": comment.organisation.id, "name": comment.organisation.name}
            if shows_text and comment.organisation else None
        ),
        "body": comment.body if shows_text else None,
        "created_at": comment.created_at.isoformat(),
        "edited": comment.edited_at is not None,
        "hidden": comment.is_hidden,
        "hidden_reason": comment.hidden_reason if comment.is_hidden else None,
        "deleted": comment.is_deleted,
        "url": external_url("ideas.detail", idea_id=comment.idea_id, _anchor=f"comment-{comment.id}"),
    }


COMMENTS = ("Comments",)


def _visible_idea(idea_id: int):
    """The idea, or 404 for one that does not exist or is hidden from this caller."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or not can_view_idea_content(_viewer(), idea):
        raise NotFound(_("Fant ikke idéen."))
    return idea


@bp.get("/ideas/<int:idea_id>/comments")
@public_page
@operation(tags=COMMENTS, query=s.CommentsQuery, ok={200: s.CommentPage})
def idea_comments(idea_id: int):
    """Every comment of the idea in time order (?order=oldest|newest); replies carry parent_id."""
    idea = _visible_idea(idea_id)
    page, per_page = api_page_args()
    result = queries.api_page(idea, page, per_page, query().order or "oldest")
    viewer = _viewer()
    return jsonify(page_json(result, lambda comment: comment_json(comment, viewer)))


@bp.post("/ideas/<int:idea_id>/comments")
@post_comment_limit
@operation(tags=COMMENTS, json=s.CommentCreate, ok={201: s.CommentOut}, auth=True, errors=(409,))
def idea_comment_create(idea_id: int):
    """Post a comment: body, optional parent_id (a reply), optional organisation_id."""
    user = acting_user()
    data = body()
    # Read once, as it is stored now and locked for the comment (post_comment decides on it).
    idea = services.idea_to_comment_on(idea_id, user)
    if idea is None or not can_view_idea_content(user, idea):
        raise NotFound(_("Fant ikke idéen."))
    parent = organisation = None
    parent_id = data.parent_id
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None:
            message = _("Fant ikke kommentaren du svarer på.")
            raise InvalidInput(message, fields={"parent_id": [message]})
    organisation_id = data.organisation_id
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            message = _("Fant ikke organisasjonen.")
            raise InvalidInput(message, fields={"organisation_id": [message]})
    comment = services.post_comment(user, idea, data.body, parent=parent, organisation=organisation)
    return jsonify(comment_json(comment, user)), 201


@bp.get("/comments/<int:comment_id>")
@public_page
@operation(tags=COMMENTS, ok={200: s.CommentOut})
def comment_detail(comment_id: int):
    """One comment (a hidden one as a placeholder; a deleted one is 404)."""
    comment = services.get_comment(comment_id)
    _visible_idea(comment.idea_id)
    if comment.is_deleted:
        raise NotFound(_("Kommentaren er slettet."))
    return jsonify(comment_json(comment, _viewer()))


@bp.patch("/comments/<int:comment_id>")
@operation(tags=COMMENTS, json=s.CommentEdit, ok={200: s.CommentOut}, auth=True, errors=(409,))
def comment_edit(comment_id: int):
    """The author edits: body."""
    user = acting_user()
    comment = services.get_comment(comment_id)
    comment = services.edit_comment(user, comment, body().body)
    return jsonify(comment_json(comment, user))


@bp.delete("/comments/<int:comment_id>")
@operation(tags=COMMENTS, ok={204: None}, auth=True, errors=(409,))
def comment_delete(comment_id: int):
    """The author deletes; 204."""
    user = acting_user()
    services.delete_comment(user, services.get_comment(comment_id))
    return "", 204
