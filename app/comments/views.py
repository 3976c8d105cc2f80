"""Pages of the discussion: post and reply, edit, delete; all work without JavaScript.

The thread itself is a section of the idea page (see app/comments/sections.py). A post that
succeeds redirects back to the comment on the idea page; one that fails shows the form again
on a page of its own, with the errors and everything the person typed.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from app.accounts.models import Organisation
from app.comments import bp, queries, services
from app.comments.forms import CommentForm, EditCommentForm
from app.comments.limits import post_comment_limit
from app.comments.models import Comment
from app.comments.permissions import comment_problem
from app.core.errors import NotFound, ServiceError
from app.core.forms import apply_errors
from app.core.input import to_int
from app.core.pagecache import public_page
from app.extensions import db
from app.ideas.permissions import can_view_idea


def idea_url(idea_id: int, anchor: str | None = None, **params) -> str:
    """The idea page, or this domain's discussion page where the idea page is not there."""
    params = {key: value for key, value in params.items() if value not in (None, "", 1, "oldest")}
    try:
        return url_for("ideas.detail", idea_id=idea_id, _anchor=anchor, **params)
    except BuildError:
        return url_for("comments.thread", idea_id=idea_id, _anchor=anchor, **params)


def comment_url(comment: Comment, order: str = "oldest") -> str:
    """The idea page at the page of the thread where the comment is, anchored at it."""
    return idea_url(
        comment.idea_id, anchor=f"comment-{comment.id}",
        comments=order, cpage=queries.thread_page_of(comment, order),
    )


def _order(value: str | None) -> str:
    return value if value in queries.ORDERS else "oldest"


def _login_redirect(idea_id: int):
    flash(_("Logg inn for å kommentere. Du kommer tilbake til idéen etterpå."), "info")
    return redirect(url_for("accounts.login", next=idea_url(idea_id, anchor="comments")))


def _organisation_choices(form: CommentForm, organisations: list[Organisation]) -> None:
    form.organisation_id.choices = [("", _("Meg selv (%(name)s)", name=current_user.full_name))] + [
        (str(o.id), o.name) for o in organisations
    ]


def _int_or_none(value) -> int | None:
    return to_int(value)


def _readable_idea(idea_id: int):
    """The idea, or 404 when it does not exist or is hidden from this person (ideas.can_view_idea).

    A hidden idea's discussion is hidden with it: not even its title is shown.
    """
    idea = services.get_idea_for_discussion(idea_id)
    if not can_view_idea(current_user, idea):
        raise NotFound(_("Fant ikke idéen."))
    return idea


@bp.route("/ideas/<int:idea_id>/comments")
@public_page
def thread(idea_id: int):
    """The discussion on a page of its own (the idea page shows the same section)."""
    idea = _readable_idea(idea_id)
    context = queries.thread_section(idea, current_user)
    try:
        back = url_for("ideas.detail", idea_id=idea.id)
    except BuildError:
        back = None
    return render_template("comments/thread.html", idea=idea, back_url=back, can_view=True, **context)


@bp.route("/ideas/<int:idea_id>/comments/new")
def new(idea_id: int):
    """The comment form on its own page: the no-JavaScript path for a reply, and the error page."""
    idea = _readable_idea(idea_id)
    if not current_user.is_authenticated:
        return _login_redirect(idea.id)
    if comment_problem(current_user, idea) == "unverified":
        # Verify before the form is shown, so nothing the person types is lost on the way.
        flash(_("Bekreft hvem du er med ID-porten, så kan du kommentere. Etterpå kommer du tilbake hit."), "info")
        return redirect(url_for("accounts.verify", next=request.full_path.rstrip("?")), 303)
    form = CommentForm(formdata=None)
    parent = None
    parent_id = _int_or_none(request.args.get("parent"))
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.idea_id != idea.id or parent.is_deleted:
            raise NotFound(_("Fant ikke kommentaren du vil svare på."))
        form.parent_id.data = str(parent.id)
    form.comments.data = _order(request.args.get("comments"))
    organisations = services.organisations_for_commenting(current_user)
    _organisation_choices(form, organisations)
    return _render_form(form, idea, parent, organisations)


def _render_form(form, idea, parent, organisations, status: int = 200):
    if parent is not None:
        form.body.label.text = _("Ditt svar")
    return render_template(
        "comments/new.html", form=form, idea=idea, parent=parent, organisations=organisations,
        problem=comment_problem(current_user, idea), verify_url=url_for("accounts.verify", next=request.path),
        back_url=idea_url(idea.id, anchor=f"comment-{parent.id}" if parent else "comments"),
    ), status


@bp.route("/ideas/<int:idea_id>/comments", methods=["POST"])
@post_comment_limit
def create(idea_id: int):
    if not current_user.is_authenticated:
        return _login_redirect(_readable_idea(idea_id).id)
    # Read once, as it is stored now and locked for the comment (post_comment decides on it).
    idea = services.idea_to_comment_on(idea_id, current_user._get_current_object())
    if idea is None or not can_view_idea(current_user, idea):
        raise NotFound(_("Fant ikke idéen."))
    form = CommentForm()
    organisations = services.organisations_for_commenting(current_user)
    _organisation_choices(form, organisations)
    valid = form.validate_on_submit()  # validation resets field errors, so it goes first
    parent = organisation = None
    if form.parent_id.data:
        parent = db.session.get(Comment, _int_or_none(form.parent_id.data) or 0)
        if parent is None:
            form.form_errors.append(_("Fant ikke kommentaren du svarer på. Den kan være slettet."))
            valid = False
    if form.organisation_id.data:
        organisation = db.session.get(Organisation, _int_or_none(form.organisation_id.data) or 0)
        if organisation is None:
            form.organisation_id.errors = [_("Velg en av organisasjonene i lista.")]
            valid = False
    if valid:
        try:
            comment = services.post_comment(
                current_user, idea, form.body.data, parent=parent, organisation=organisation
            )
        except ServiceError as error:
            apply_errors(form, error)
            # The hidden parent field has nowhere to show a message; the summary shows it.
            form.form_errors.extend(form.parent_id.errors)
            form.parent_id.errors = []
        else:
            flash(_("Svaret ditt er publisert.") if comment.parent_id else _("Kommentaren din er publisert."),
                  "success")
            return redirect(comment_url(comment, _order(form.comments.data)))
    # Refused for want of a verified identity: the form comes back as typed, with the way to verify.
    unverified = comment_problem(current_user, idea) == "unverified"
    return _render_form(form, idea, parent, organisations, status=403 if unverified else 200)


@bp.route("/comments/<int:comment_id>")
@public_page
def show(comment_id: int):
    """A lasting link to one comment: the idea page at the page of the thread where the comment
    is now, anchored at it. Notices link here, since the page a comment is on is not known when
    the notice is written and an anchor alone would land on the thread's first page."""
    comment = services.get_comment(comment_id)
    _readable_idea(comment.idea_id)
    return redirect(comment_url(comment, _order(request.args.get("comments"))), 303)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    comment = services.get_comment(comment_id)
    services.check_can_edit_comment(current_user, comment)
    form = EditCommentForm(obj=comment)
    if form.validate_on_submit():
        try:
            services.edit_comment(current_user, comment, form.body.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Kommentaren er endret."), "success")
            return redirect(comment_url(comment))
    return render_template(
        "comments/edit.html", form=form, comment=comment, idea=comment.idea,
        show_idea=can_view_idea(current_user, comment.idea),
        back_url=idea_url(comment.idea_id, anchor=f"comment-{comment.id}"),
    )


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int):
    """GET asks "are you sure?"; POST deletes. Both work without JavaScript."""
    comment = services.get_comment(comment_id)
    services.check_can_delete_comment(current_user, comment)
    if request.method == "POST":
        services.delete_comment(current_user, comment)
        flash(_("Kommentaren er slettet."), "success")
        anchor = f"comment-{comment.parent_id}" if comment.parent_id else "comments"
        return redirect(idea_url(comment.idea_id, anchor=anchor))
    return render_template(
        "comments/delete.html", comment=comment, idea=comment.idea,
        show_idea=can_view_idea(current_user, comment.idea),
        back_url=idea_url(comment.idea_id, anchor=f"comment-{comment.id}"),
    )
