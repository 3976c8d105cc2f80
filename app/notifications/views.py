"""The messages page: a person's notices, newest first, with an unread count in the menu."""

from flask import g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.http import is_safe_target
from app.core.input import to_int
from app.core.pagination import page_args, paginate
from app.notifications import bp, services


@bp.app_context_processor
def _unread():
    if current_user and current_user.is_authenticated:
        if "unread_notices" not in g:
            g.unread_notices = services.unread_count(current_user)
        return {"unread_notices": g.unread_notices}
    return {"unread_notices": 0}


@bp.route("/messages")
@login_required
def messages():
    page, per_page = page_args(20)
    notices = paginate(services.notices_for(current_user), page, per_page)
    return render_template("notifications/messages.html", notices=notices)


@bp.route("/messages/read", methods=["POST"])
@login_required
def mark_read():
    notice_id = to_int(request.form.get("notice_id"))
    services.mark_read(current_user, notice_id)
    target = request.form.get("next")
    if notice_id and is_safe_target(target):
        return redirect(target)
    return redirect(url_for("notifications.messages"))


