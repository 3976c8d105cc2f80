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


def test_with_a_mail_worker_a_request_only_queues_and_the_worker_sends_it(app, client, smtp):
    """MAIL_WORKER: neither the request nor a thread of it delivers (MAIL_ASYNC is off here, so
    without the setting this request would send the e-mail itself); `flask outbox deliver
    --loop`, started as the production worker is, sends it within seconds."""
    from app.accounts.services import create_api_token
    from tests.comments.factories import make_idea
    from tests.conftest import MailWorker
    from tests.factories import make_user

    app.config["MAIL_WORKER"] = True
    author = make_user(email="eier@example.no")
    idea = make_idea(author=author)
    _token, raw = create_api_token(make_user(), "kommentar")
    response = client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Godt forslag, dette trengs."},
                           headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 201
    assert smtp.messages == []
    queued = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.to_address == author.email))
    assert queued is not None and queued.sent_at is None

    worker = MailWorker({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "worker-test",
                         "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "MAIL_WORKER": "1"})
    try:
        # Printed once the round is over: sent and marked sent.
        assert worker.wait_for("sent 1, failed 0"), worker.output
    finally:
        worker.stop()
    assert len(smtp.bodies_to(author.email)) == 1
    assert "Godt forslag, dette trengs." in smtp.bodies_to(author.email)[0]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, queued.id).sent_at is not None


def test_the_worker_refuses_an_interval_out_of_bounds(runner):
    for interval in ("0", "-1", "nan", "1e9"):
        result = runner.invoke(args=["outbox", "deliver", "--loop", "--interval", interval])
        assert result.exit_code == 2, (interval, result.output)
        assert "--interval" in result.output


def test_a_round_sends_over_one_connection(app, smtp):
    sessions = []
    keep = smtp.handle_DATA

    async def handle_data(server, session, envelope):
        sessions.append(session)  # one SMTP session per connection
        return await keep(server, session, envelope)

    smtp.handle_DATA = handle_data
    for n in range(3):
        queue_email(f"person{n}@example.no", f"Melding {n}", "Innhold")
    db.session.commit()
    assert deliver_due() == (3, 0)
    assert [m["Subject"] for m in smtp.messages] == ["Melding 0", "Melding 1", "Melding 2"]
    assert len(sessions) == 3 and len({id(s) for s in sessions}) == 1


def test_a_server_that_cannot_be_reached_ends_the_round_and_the_rest_wait_untried(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)  # nothing listens
    for n in range(3):
        queue_email(f"person{n}@example.no", f"Melding {n}", "Innhold")
    db.session.commit()
    assert deliver_due() == (0, 1)
    messages = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.attempts for m in messages] == [1, 0, 0]
    assert messages[0].last_error and messages[0].next_attempt_at > utcnow()
    assert [m.last_error for m in messages[1:]] == [None, None]
    assert all(m.sent_at is None for m in messages)


def test_a_message_the_server_refuses_does_not_hold_up_the_next(app, smtp):
    keep = smtp.handle_DATA

    async def refuse_the_first(server, session, envelope):
        if b"Melding 0" in envelope.content:
            return "554 Transaction failed: no thanks"
        return await keep(server, session, envelope)

    smtp.handle_DATA = refuse_the_first
    for n in range(2):
        queue_email(f"person{n}@example.no", f"Melding {n}", "Innhold")
    db.session.commit()
    assert deliver_due() == (1, 1)
    assert [m["Subject"] for m in smtp.messages] == ["Melding 1"]
    first, second = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert first.sent_at is None and "554" in first.last_error and first.attempts == 1
    assert second.sent_at is not None


def test_a_connection_the_server_closes_between_messages_is_opened_again_at_no_cost(app, smtp):
    """A server that ends a kept connection (its limit of messages on one, or idle) is not a
    failure of the next message: the connection is asked first (NOOP) and opened again, and
    the message is handed over once."""
    sessions = []
    keep = smtp.handle_DATA

    async def handle_data(server, session, envelope):
        sessions.append(session)
        return await keep(server, session, envelope)

    async def handle_noop(server, session, envelope, arg):
        # One message per connection: asked again after one, the server says it is closing.
        return "421 4.7.0 One message per connection, closing" if session in sessions else "250 OK"

    smtp.handle_DATA = handle_data
    smtp.handle_NOOP = handle_noop
    for n in range(3):
        queue_email(f"person{n}@example.no", f"Melding {n}", "Innhold")
    db.session.commit()
    assert deliver_due() == (3, 0)
    assert [m["Subject"] for m in smtp.messages] == ["Melding 0", "Melding 1", "Melding 2"]
    assert len({id(s) for s in sessions}) == 3
    messages = db.session.scalars(db.select(OutboxMessage)).all()
    assert [(m.attempts, m.last_error) for m in messages] == [(1, None)] * 3
