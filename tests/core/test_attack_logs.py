"""Attack: personal data in the logs when something fails.

Before: a statement that failed (a statement timeout while someone logs in, say) was logged
with its parameters, so the log held the person's e-mail address (and on a write, names and
password hashes); a recipient the mail server refused was logged with its address.
"""

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.notifications.mail import deliver_due, queue_email
from tests.conftest import SmtpSink
from tests.core.test_faults import fault_pg  # noqa: F401  (fixture)
from tests.factories import make_user

ADDRESS = "kari.hemmelig@example.no"


def test_a_failed_statement_does_not_carry_its_parameters(app):
    with pytest.raises(DBAPIError) as raised:
        db.session.execute(text("SELECT id FROM no_such_table WHERE email = :email"), {"email": ADDRESS})
    db.session.rollback()
    assert ADDRESS not in str(raised.value)


def test_login_during_a_database_timeout_logs_no_address(fault_pg, caplog):  # noqa: F811 (the imported fixture)
    import psycopg

    app = fault_pg.app
    with app.app_context():
        make_user(email=ADDRESS)
        db.session.remove()
    client = app.test_client()
    caplog.set_level(logging.INFO)
    with psycopg.connect(fault_pg.plain_url) as locker:
        locker.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        response = client.post("/login", data={"email": ADDRESS, "password": "feil-passord-her"})
        locker.rollback()
    assert response.status_code == 503
    assert "Database unavailable" in caplog.text  # the failure is still logged
    assert ADDRESS not in caplog.text


class RefusingSink(SmtpSink):
    """A real SMTP server that refuses one recipient, as a server does for an unknown mailbox."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == ADDRESS:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_recipient_is_logged_without_the_address(app, caplog):
    sink = RefusingSink()
    sink.controller.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
        queue_email(ADDRESS, "Hei", "Innhold")
        db.session.commit()
        caplog.set_level(logging.INFO)
        sent, failed = deliver_due()
    finally:
        sink.controller.stop()
    assert (sent, failed) == (0, 1)
    # The test server's own log ("mail.log") names the address; the application's must not.
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))
    assert "Could not deliver e-mail" in ours
    assert "SMTPRecipientsRefused" in ours
    assert ADDRESS not in ours
