"""E-mail through one service: queue in the outbox, deliver after the commit, retry later.

A slow or failing mail server never fails or slows a person's request: delivery runs
after the commit (in a thread unless MAIL_ASYNC is off), or in the mail worker alone
(`flask outbox deliver --loop`, with MAIL_WORKER on), and failures stay in the outbox for
`flask outbox deliver` to retry with backoff.
"""

import logging
import re
import smtplib
import threading
from contextlib import nullcontext, suppress
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from markupsafe import Markup
from sqlalchemy import event, literal_column, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.text import plain_text
from app.core.urls import site_url
from app.extensions import db
from app.notifications.models import OutboxMessage

log = logging.getLogger("medvirk.mail")

MAX_ATTEMPTS = 8  # also in the partial index ix_outbox_messages_due (models.py, migration 0021)
_PENDING_KEY = "outbox_pending"


# Inline styles of the HTML part: mail clients drop <style> and external sheets. Colours
# keep at least 4.5:1 against white (WCAG 2.1 AA).
_P_STYLE = "margin:0 0 16px 0;"
_A_STYLE = "color:#1e5fa8;text-decoration:underline;"
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")


def text_as_html(body: str) -> Markup:
    """The plain-text body as inline-styled HTML: escaped, paragraphs kept, links clickable."""
    html = str(plain_text(body))
    html = html.replace("<p>", f'<p style="{_P_STYLE}">').replace("<a href=", f'<a style="{_A_STYLE}" href=')
    return Markup(html)


def render_email(
    subject: str, body: str, *, action: tuple[str, str] | None = None,
    unsubscribe_url: str | None = None, html_template: str | None = None, **context,
) -> tuple[str, str]:
    """The text and the HTML part of one e-mail from the same content, in the current language.

    `action` is (label, absolute URL) of the page the e-mail is about; `unsubscribe_url` adds
    the footer that says how to stop this kind of e-mail. `html_template` replaces the body
    of the HTML layout (a digest's list); it extends notifications/email/_layout.html.
    """
    lang = str(get_locale() or current_app.config["DEFAULT_LOCALE"])
    values = {
        "subject": subject, "body": body, "action": action, "unsubscribe_url": unsubscribe_url,
        "site_url": site_url(), "lang": lang, **context,
    }
    text = render_template("notifications/email/_layout.txt", **values)
    html = render_template(html_template or "notifications/email/_layout.html",
                           body_html=text_as_html(body), **values)
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n", html


def queue_email(
    to: str, subject: str, body: str, *, html: str | None = None, action: tuple[str, str] | None = None,
    unsubscribe_url: str | None = None, locale: str | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction; sent after it commits.

    Every message has a text and an HTML part. Without `html` both are rendered from `body`
    through the e-mail layout (in `locale`, else the current language); with `html` the
    caller rendered both already (render_email) and `body` is used as it is.
    `unsubscribe_url` (notices and digests, never account mail) becomes the RFC 8058
    List-Unsubscribe header and the footer's link.
    """
    if html is None:
        with force_locale(locale) if locale else nullcontext():
            body, html = render_email(subject, body, action=action, unsubscribe_url=unsubscribe_url)
    message = OutboxMessage(to_address=to, subject=str(subject)[:200], body=body, html_body=html,
                            list_unsubscribe=unsubscribe_url)
    db.session.add(message)
    db.session.info[_PENDING_KEY] = True
    return message


def queue_templated(
    to: str, locale: str | None, template: str, subject: str, *,
    action: tuple[str, str] | None = None, unsubscribe_url: str | None = None, **context,
):
    """Render templates/notifications/email/<template>.txt in the recipient's language.

    `subject` is a lazy string (lazy_gettext) so it is translated under the same locale.
    The HTML part is rendered from the same text (queue_email).
    """
    with force_locale(locale or current_app.config["DEFAULT_LOCALE"]):
        body = render_template(f"notifications/email/{template}.txt", **context)
        return queue_email(to, str(subject), body, action=action, unsubscribe_url=unsubscribe_url)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 24 * 60))


def _email(config, message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="medvirk.local")
    # RFC 3834: written by a machine; auto-responders should not answer it.
    email["Auto-Submitted"] = "auto-generated"
    if message.list_unsubscribe:
        # RFC 2369 and RFC 8058: the mail client offers "unsubscribe" and POSTs to it itself.
        email["List-Unsubscribe"] = f"<{message.list_unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


class _Server:
    """One SMTP connection for a round of messages, opened when the first is sent, and opened
    again when the server has closed it in between; a message the server refuses closes it, so
    the next starts on a clean one."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _still_open(self) -> bool:
        """Whether the kept connection still answers: the server may have closed it since the last
        message (idle, or its limit of messages on one connection). Asked before a message is
        handed over, so that message is never sent twice, nor charged for the server's doing."""
        try:
            code, _text = self.smtp.noop()
        except (OSError, smtplib.SMTPException):
            return False
        return code == 250

    def send(self, message) -> None:
        email = _email(self.config, message)
        if self.smtp is not None and not self._still_open():
            self.close()
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            self.smtp.send_message(email)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            smtp, self.smtp = self.smtp, None
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def _closed_on_us(exc: Exception) -> bool:
    """The server dropped the connection, or said it is closing it (421)."""
    return isinstance(exc, smtplib.SMTPServerDisconnected) or getattr(exc, "smtp_code", None) == 421


def _server_down(exc: Exception) -> bool:
    """The server cannot be reached, dropped the connection or refuses us (greeting, TLS,
    login): the next message would fare no better, so the round ends and the rest wait for the
    next one. A message the server refuses (smtplib's other errors, OSErrors too) is that
    message's alone."""
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPHeloError,
                        smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError)) or _closed_on_us(exc):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)

_outbox = OutboxMessage.__table__


def _next_due():
    stmt = (
        select(_outbox.c.id, _outbox.c.to_address, _outbox.c.subject, _outbox.c.body, _outbox.c.html_body,
               _outbox.c.list_unsubscribe, _outbox.c.attempts)
        # The bound is written into the SQL, as in the partial index (ix_outbox_messages_due),
        # so the planner can use that index whatever plan it keeps.
        .where(_outbox.c.sent_at.is_(None), _outbox.c.attempts < literal_column(str(MAX_ATTEMPTS)),
               _outbox.c.next_attempt_at <= utcnow())
        .order_by(_outbox.c.id)
        .limit(1)
    )
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.execute(stmt).first()


def _record(message_id: int, **values) -> None:
    """Write what happened to one message and commit it at once."""
    db.session.execute(update(_outbox).where(_outbox.c.id == message_id).values(**values))
    db.session.info.pop(_PENDING_KEY, None)
    db.session.commit()


def deliver_due(limit: int = 100) -> tuple[int, int]:
    """Try every message that is due; returns (sent, failed). Needs an app context.

    One message at a time, each in its own transaction: a message that was handed to the
    server is marked sent at once, so nothing already delivered is sent again if a later one
    fails or the process stops; on PostgreSQL the row stays locked (SKIP LOCKED) while it is
    sent, so two workers never send the same message. A message that cannot be sent (the
    server refuses it, or the message itself is broken) is retried with backoff and never
    holds up the rest; a server that cannot be reached ends the round (the rest wait for the
    next). The messages of a round share one SMTP connection. Raises only when the database
    itself fails.
    """
    app = current_app._get_current_object()
    server = _Server(app.config)
    sent = failed = 0
    try:
        for _ in range(limit):
            message = _next_due()
            if message is None:
                break
            if message.to_address.lower().endswith(".invalid"):
                # RFC 2606: no mailbox exists there (a sign-in without an e-mail gets such an
                # address); never try it, and never retry it.
                _record(message.id, attempts=MAX_ATTEMPTS, last_error="not sent: reserved .invalid address")
                continue
            attempts = message.attempts + 1
            try:
                if app.config["MAIL_SERVER"]:
                    server.send(message)
                elif app.debug or app.testing:
                    log.info("E-mail to %s: %s\n%s", message.to_address, message.subject, message.body)
                else:
                    # Production without MAIL_SERVER: bodies hold reset and confirmation links,
                    # and addresses are personal data; neither belongs in a log.
                    log.warning("E-mail %s not sent: MAIL_SERVER is not set", message.id)
            except Exception as exc:  # any failure is this message's, never the batch's
                failed += 1
                # The reason stays with the message; the log gets no address (an SMTP refusal
                # quotes the recipient), only the kind of failure and the server's code.
                log.warning("Could not deliver e-mail %s: %s %s", message.id, type(exc).__name__,
                            getattr(exc, "smtp_code", ""))
                _record(message.id, attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000],
                        next_attempt_at=utcnow() + _backoff(attempts))
                if _server_down(exc):
                    break
                continue
            sent += 1
            _record(message.id, attempts=attempts, sent_at=utcnow(), last_error=None)
    finally:
        server.close()
        db.session.info.pop(_PENDING_KEY, None)
        # The last look for due mail opened a transaction: end it, so a worker between rounds
        # is not left idle in a transaction holding its connection. (With the database gone
        # this fails too; the error that ended the round is the one to raise.)
        with suppress(SQLAlchemyError):
            db.session.rollback()
    return sent, failed


def _deliver_in_background(app) -> None:
    def run():
        with app.app_context():
            try:
                deliver_due()
            except Exception:  # the request is long done; the worker will retry
                log.exception("Background e-mail delivery failed")
            finally:
                db.session.remove()

    threading.Thread(target=run, name="outbox-delivery", daemon=True).start()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.info.pop(_PENDING_KEY, False):
        return
    app = current_app._get_current_object()
    if app.config["MAIL_WORKER"]:
        return  # `flask outbox deliver --loop` sends it
    if app.config["MAIL_ASYNC"]:
        _deliver_in_background(app)
    else:
        session.info["outbox_deliver_now"] = True


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_PENDING_KEY, None)


def deliver_after_request(response):
    """Synchronous mode (tests, MAIL_ASYNC=0): deliver once the response is built.

    The person's action is committed by now: a failure here must not turn it into an error
    page (the mail stays in the outbox for `flask outbox deliver`).
    """
    if db.session.info.pop("outbox_deliver_now", False):
        try:
            deliver_due()
        except Exception:
            log.exception("E-mail delivery after the request failed; the outbox keeps the mail")
            db.session.rollback()
    return response
