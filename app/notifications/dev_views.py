"""/dev/outbox: the e-mails the platform has written, readable in the browser in debug mode.

In development there is usually no mail server, and a confirmation link printed in the server
log as one long line is hard to find. The route exists only on an app built in debug mode
(`make dev`, `flask --debug run`); in production it is not routed at all, so it is a plain 404.
"""

from flask import current_app, render_template
from flask.blueprints import BlueprintSetupState
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.decorators import require
from app.core.navigation import register_staff_link
from app.core.pagination import page_args, paginate
from app.notifications import bp
from app.notifications.mail import MAX_ATTEMPTS
from app.notifications.models import OutboxMessage


@require("staff")
def dev_outbox():
    """Every message in the outbox, newest first, with its links clickable."""
    page, per_page = page_args(20)
    messages = paginate(select(OutboxMessage).order_by(OutboxMessage.id.desc()), page, per_page)
    return render_template(
        "notifications/dev_outbox.html",
        messages=messages,
        max_attempts=MAX_ATTEMPTS,
        # Without a mail server "sent" means written to the server log (app/notifications/mail.py).
        mail_server=bool(current_app.config["MAIL_SERVER"]),
    )


@bp.record
def _register_in_debug_only(state: BlueprintSetupState) -> None:
    # Decided per app, not per import: the test suite builds debug and non-debug apps side by
    # side, and only the debug ones may have the route.
    if state.app.debug:
        state.add_url_rule("/dev/outbox", "dev_outbox", dev_outbox)


# In the staff menu only where the route exists: the menu leaves out endpoints an app lacks.
register_staff_link("staff", "notifications.dev_outbox", _l("Utboks (utvikling)"))
