"""The one-click unsubscribe page: GET shows a button, POST (the button or the mail client) unsubscribes.

No login and no CSRF token (the mail provider POSTs on its own, RFC 8058): the signed link
is the proof, and the CSRF check skips this endpoint (register_request_hooks). A GET never
changes anything, so link scanners that open every link in a mail unsubscribe no one.
"""

from flask import current_app, render_template, request, url_for

from app.core.errors import InvalidInput
from app.core.ratelimit import limit
from app.notifications import bp
from app.notifications import unsubscribe as service


def _preferences_path() -> str | None:
    # The preferences page, where the person can turn the e-mail on again (once it exists).
    endpoint = "notifications.preferences"
    return url_for(endpoint) if endpoint in current_app.view_functions else None


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@limit("RATELIMIT_UNSUBSCRIBE", methods=None)
def unsubscribe(token: str):
    try:
        link = service.read_token(token)
    except InvalidInput as error:
        return render_template("notifications/unsubscribe_invalid.html", message=str(error)), 400
    digest = link.group in service.DIGEST_GROUPS
    if request.method == "POST":
        changed = service.unsubscribe(link)
        return render_template("notifications/unsubscribe_done.html", label=link.label,
                               digest=digest, changed=bool(changed),
                               preferences_path=_preferences_path())
    return render_template("notifications/unsubscribe.html", label=link.label, digest=digest,
                           channel=service.current_channel(link))
