"""Notices: a message in the platform and, by default, the same by e-mail.

Other domains call notify() (or send a signal a listener here turns into notify()).
It adds rows to the caller's transaction; the caller commits.
"""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.core.db import utcnow
from app.core.errors import NotFound
from app.core.urls import absolute
from app.extensions import db
from app.notifications.mail import queue_email
from app.notifications.models import Notice


def notify(
    user: User, kind: str, template: str, *, url: str | None = None, email: bool = True, **context
) -> Notice:
    """Write a notice (and an e-mail) for `user` in their language.

    `template` names templates/notifications/notices/<template>.txt, whose first line is
    the subject and the rest the body. Does not commit.
    """
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        text = render_template(f"notifications/notices/{template}.txt", user=user, url=url, **context)
        subject, _sep, body = text.strip().partition("\n")
        body = body.strip()
        notice = Notice(user_id=user.id, kind=kind, subject=subject.strip()[:200], body=body, url=url)
        db.session.add(notice)
        if email:
            # A mail client has no page to resolve "/ideas/314" against: always absolute.
            footer = _("Les meldingen i Medvirk: %(url)s", url=absolute(url)) if url else ""
            queue_email(user.email, subject.strip()[:200], body + ("\n\n" + footer if footer else ""))
    return notice


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).where(Notice.user_id == user.id, Notice.read_at.is_(None))
    ) or 0


def notices_for(user: User):
    return select(Notice).where(Notice.user_id == user.id).order_by(Notice.created_at.desc(), Notice.id.desc())


def mark_read(user: User, notice_id: int | None = None) -> None:
    """Mark one notice (or all of them) read. Raises NotFound for someone else's notice."""
    stmt = update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))
    if notice_id is not None:
        notice = db.session.get(Notice, notice_id)
        if notice is None or notice.user_id != user.id:
            raise NotFound(_("Fant ikke meldingen."))
        stmt = stmt.where(Notice.id == notice_id)
    db.session.execute(stmt.values(read_at=utcnow()))
    db.session.commit()
