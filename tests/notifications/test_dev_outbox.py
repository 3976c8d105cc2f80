"""/dev/outbox: the outbox readable in the browser, for staff, and only in debug mode."""

import re

import pytest

from app import create_app
from app.accounts.models import Role, User
from app.extensions import db
from app.notifications.mail import MAX_ATTEMPTS, queue_email
from app.notifications.models import OutboxMessage
from tests.factories import login, make_user


@pytest.fixture
def debug_app(app, app_config):
    """An app built in debug mode (as `make dev` builds it) on the same, cleaned database."""
    debug = create_app({**app_config, "DEBUG": True})
    with debug.app_context():
        yield debug
        db.session.remove()


@pytest.fixture
def debug_client(debug_app):
    return debug_app.test_client()


def _queue(to="kari@example.no", subject="Bekreft e-postadressen din", body="Hei"):
    message = queue_email(to, subject, body)
    db.session.commit()
    return message


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.ADMIN])
def test_without_debug_mode_the_outbox_is_not_found_for_anyone(client, role):
    if role is not None:
        login(client, make_user(role=role))
    assert client.get("/dev/outbox").status_code == 404


def test_without_debug_mode_the_route_does_not_exist(app, debug_app):
    assert "/dev/outbox" not in {rule.rule for rule in app.url_map.iter_rules()}
    assert "/dev/outbox" in {rule.rule for rule in debug_app.url_map.iter_rules()}


def test_in_debug_mode_a_visitor_is_sent_to_log_in(debug_client):
    response = debug_client.get("/dev/outbox")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_in_debug_mode_a_resident_may_not_read_the_outbox(debug_client):
    login(debug_client, make_user(role=Role.RESIDENT))
    assert debug_client.get("/dev/outbox").status_code == 403


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN])
def test_in_debug_mode_staff_read_the_outbox(debug_client, role):
    _queue(subject="Velkommen til Medvirk")
    login(debug_client, make_user(role=role))
    response = debug_client.get("/dev/outbox")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Velkommen til Medvirk" in html
    assert "kari@example.no" in html
    assert "Utboks (utvikling)" in html


def test_outbox_is_newest_first_with_status_and_links_made_clickable(debug_client):
    # Logged in first: without MAIL_SERVER a request delivers (to the log) what is due once it
    # has answered, and these messages must still be waiting when the page is drawn.
    login(debug_client, make_user(role=Role.ADMIN))
    _queue(subject="Den eldste")
    sent = _queue(subject="Sendt allerede", body="Bekreft her: http://medvirk.test/confirm/abc.def?x=1&y=2")
    failing = _queue(subject="Feiler", body="Tekst")
    newest = _queue(subject="Den nyeste")
    sent.sent_at = sent.created_at
    failing.attempts, failing.last_error = MAX_ATTEMPTS, "ConnectionRefusedError: nei"
    db.session.commit()
    html = debug_client.get("/dev/outbox").get_data(as_text=True)
    positions = [html.index(s) for s in ("Den nyeste", "Feiler", "Sendt allerede", "Den eldste")]
    assert positions == sorted(positions)
    assert ('<a href="http://medvirk.test/confirm/abc.def?x=1&amp;y=2" rel="nofollow ugc noopener">'
            in html)
    assert "Skrevet til loggen" in html and "Ga opp" in html and "Venter" in html
    assert "ConnectionRefusedError: nei" in html
    assert newest.id > failing.id


def test_outbox_escapes_everything_a_message_holds(debug_client):
    _queue(to="x@example.no", subject="<script>alert(1)</script>",
           body='<img src=x onerror=alert(2)> http://medvirk.test/"><script>alert(3)</script>')
    login(debug_client, make_user(role=Role.ADMIN))
    html = debug_client.get("/dev/outbox").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '"><script>' not in html  # a quote in a link cannot end the href attribute


def test_outbox_is_paginated(debug_client):
    for n in range(25):
        _queue(subject=f"Melding nummer {n:02d}")
    login(debug_client, make_user(role=Role.ADMIN))
    first = debug_client.get("/dev/outbox").get_data(as_text=True)
    assert "Melding nummer 24" in first and "Melding nummer 05" in first
    assert "Melding nummer 04" not in first
    assert "25 e-poster i alt" in first
    second = debug_client.get("/dev/outbox?page=2").get_data(as_text=True)
    assert "Melding nummer 04" in second and "Melding nummer 00" in second
    assert "Melding nummer 05" not in second
    assert debug_client.get("/dev/outbox?page=99999999999").status_code == 200


def test_empty_outbox_says_so(debug_client):
    login(debug_client, make_user(role=Role.ADMIN))
    assert "Utboksen er tom." in debug_client.get("/dev/outbox").get_data(as_text=True)


def test_a_newcomer_registers_and_confirms_through_the_outbox(debug_client):
    """The local journey README describes: register, find the link on /dev/outbox, confirm."""
    admin = make_user(role=Role.ADMIN)
    registered = debug_client.post("/register", data={
        "full_name": "Kari Nordmann", "email": "kari@example.no",
        "password": "fjordlys-over-havna", "accept_terms": "y",
    })
    assert registered.status_code == 200
    login(debug_client, admin)
    html = debug_client.get("/dev/outbox").get_data(as_text=True)
    link = re.search(r'<a href="(http://medvirk\.test/confirm/[^"]+)"', html).group(1)
    confirmed = debug_client.get(link.replace("http://medvirk.test", "").replace("&amp;", "&"))
    assert confirmed.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "kari@example.no"))
    assert user.is_confirmed
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) >= 1


def test_the_staff_menu_links_to_the_outbox_in_debug_mode_only(client, debug_client):
    admin = make_user(role=Role.ADMIN)
    login(debug_client, admin)
    assert 'href="/dev/outbox"' in debug_client.get("/").get_data(as_text=True)
    login(client, admin)
    assert 'href="/dev/outbox"' not in client.get("/").get_data(as_text=True)
