"""The messages page (notices, newest first, an unread count in the menu), following, and the
settings for how notices arrive."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.local import LocalProxy

from app.core.errors import InvalidInput, NotFound
from app.core.http import is_safe_target
from app.core.input import to_int
from app.core.navigation import menu_count, register_menu_count
from app.core.pagination import page_args, paginate
from app.notifications import bp, follows, kinds, services

# Counted with the staff menu's waiting counts: one statement for the whole menu.
register_menu_count("unread_notices", services.unread_query)


def _unread_count() -> int:
    if current_user and current_user.is_authenticated:
        return menu_count(current_user._get_current_object(), "unread_notices")
    return 0


@bp.app_context_processor
def _unread():
    # Counted when a page shows it, not for every template: a notice's or an e-mail's text
    # rendered while a comment is posted has no menu.
    return {"unread_notices": LocalProxy(_unread_count)}


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



# --- follows ------------------------------------------------------------------------------


@bp.app_context_processor
def _follow_state():
    def is_following(target_type: str, target_id: int) -> bool:
        return follows.is_following(current_user, target_type, target_id)

    def follow_target(target_type: str, target_id):
        try:
            return follows.resolve_target(current_user, target_type, target_id)
        except NotFound:
            return None

    return {"is_following": is_following, "follow_target": follow_target}


def _back(default: str):
    target = request.form.get("next")
    return redirect(target if is_safe_target(target) else default)


@bp.route("/follow/<target_type>/<int:target_id>", methods=["POST"])
@login_required
def follow(target_type: str, target_id: int):
    target = follows.follow(current_user, target_type, target_id)
    flash(_("Du følger nå «%(title)s». Du bestemmer selv hvordan du får beskjed i innstillingene for "
            "meldinger.", title=target.title), "success")
    return _back(target.url)


@bp.route("/unfollow/<target_type>/<int:target_id>", methods=["POST"])
@login_required
def unfollow(target_type: str, target_id: int):
    follows.unfollow(current_user, target_type, target_id)
    flash(_("Du følger ikke lenger dette."), "success")
    return _back(url_for("notifications.preferences"))


# --- preferences --------------------------------------------------------------------------


@bp.route("/messages/settings", methods=["GET", "POST"])
@login_required
def preferences():
    errors: dict = {}
    channels, switches = services.preferences_of(current_user)
    status = 200
    if request.method == "POST":
        channels = {group: request.form.get(f"channel-{group}", "") for group in kinds.PREFERENCE_KINDS}
        switches = {switch: request.form.get(switch) == kinds.ON for switch in kinds.AUTO_FOLLOW}
        try:
            services.save_preferences(current_user, channels, switches)
        except InvalidInput as error:
            errors, status = error.fields or {}, 422
            flash(error.message, "danger")
        else:
            flash(_("Innstillingene for meldinger er lagret."), "success")
            return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html", channels=channels, switches=switches, errors=errors,
        groups=kinds.PREFERENCE_KINDS, channel_labels=kinds.CHANNEL_LABELS,
        auto_follow=kinds.AUTO_FOLLOW, following=follows.follows_of(current_user),
    ), status
