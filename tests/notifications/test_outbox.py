"""The e-mail outbox: written with what caused it, delivered after commit, retried on failure."""

from datetime import timedelta

from app.core.db import utcnow
from app.extensions import db
from app.notifications.mail import deliver_due, queue_email
from app.notifications.models import OutboxMessage


def test_message_is_delivered_to_the_smtp_server_after_commit(app, smtp):
    queue_email("kari@example.no", "Hei", "Innhold")
    assert smtp.messages == []  # nothing leaves before the commit
    db.session.commit()
    sent, failed = deliver_due()
    assert (sent, failed) == (1, 0)
    assert smtp.messages[0]["Subject"] == "Hei"
    assert "Innhold" in smtp.bodies_to("kari@example.no")[0]
    assert db.session.scalar(db.select(OutboxMessage)).sent_at is not None


def test_rolled_back_work_sends_nothing(app, smtp):
    queue_email("kari@example.no", "Hei", "Innhold")
    db.session.rollback()
    assert deliver_due() == (0, 0)
    assert smtp.messages == []


def test_a_failing_mail_server_keeps_the_message_with_its_error_and_backs_off(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)  # nothing listens
    queue_email("kari@example.no", "Hei", "Innhold")
    db.session.commit()
    assert deliver_due() == (0, 1)
    message = db.session.scalar(db.select(OutboxMessage))
    assert message.sent_at is None
    assert message.attempts == 1
    assert "Error" in message.last_error or "refused" in message.last_error.lower()
    assert message.next_attempt_at > utcnow()
    # Not due yet: the next round leaves it alone.
    assert deliver_due() == (0, 0)


def test_outbox_deliver_command_retries_due_messages(app, runner, smtp):
    queue_email("kari@example.no", "Hei", "Innhold")
    db.session.commit()
    message = db.session.scalar(db.select(OutboxMessage))
    message.attempts = 1
    message.last_error = "earlier failure"
    message.next_attempt_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert smtp.messages


def test_registration_does_not_wait_for_a_slow_mail_server(app_config):
    """With MAIL_ASYNC on, the request returns while delivery runs in the background.

    The mail server accepts and then says nothing for 10 seconds; sending in the request would
    hold the answer until it gives up (MAIL_TIMEOUT, 8 s) or the server hangs up. The proof is
    the order of events, not a stopwatch: the answer came while the server was still silent."""
    import socket
    import threading
    import time

    from app import create_app

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted = threading.Event()
    hung_up = threading.Event()

    def stall():  # accepts and never answers the SMTP greeting
        conn, _ = server.accept()
        accepted.set()
        time.sleep(10)
        hung_up.set()
        conn.close()

    threading.Thread(target=stall, daemon=True).start()
    app = create_app({**app_config, "MAIL_ASYNC": True, "MAIL_SERVER": "127.0.0.1",
                      "MAIL_PORT": port, "MAIL_TIMEOUT": 8})
    client = app.test_client()
    started = time.monotonic()
    response = client.post("/register", data={
        "full_name": "Kari Nordmann", "email": "kari@example.no",
        "password": "fjordlys-over-havna", "accept_terms": "y"})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert not hung_up.is_set(), f"the request waited {elapsed:.1f}s, until the mail server hung up"
    assert elapsed < 8, f"the request waited {elapsed:.1f}s for the mail server"
    assert accepted.wait(8), "the background delivery never reached the mail server"
    server.close()


def test_a_reserved_invalid_address_is_never_tried_nor_retried(app, smtp):
    # A sign-in without an e-mail gets an address in RFC 2606's .invalid domain.
    queue_email("id-1234@identity.invalid", "Hei", "Innhold")
    queue_email("kari@example.no", "Hei", "Innhold")
    db.session.commit()
    assert deliver_due() == (1, 0)
    assert [m["To"] for m in smtp.messages] == ["kari@example.no"]
    kept = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.to_address.like("%.invalid")))
    assert kept.sent_at is None and "reserved" in kept.last_error
    assert deliver_due() == (0, 0)
