"""Every e-mail: a text and an HTML part from the same content, absolute links, RFC 8058 headers on notices.

Delivered through the real local SMTP server (the `smtp` fixture) and read back with the
email package, as a mail client would.
"""

import re
from html.parser import HTMLParser

import pytest

from app.extensions import db
from app.notifications.mail import deliver_due, queue_email, queue_templated
from app.notifications.models import OutboxMessage
from app.notifications.services import notify
from tests.factories import make_user

SITE = "https://medvik.example"


@pytest.fixture(autouse=True)
def _site(app):
    app.config["SITE_URL"] = SITE


class _Links(HTMLParser):
    """Every href and src, and the lang of <html>, as a mail client's renderer sees them."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs, self.lang, self.tags = [], [], None, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])


def parts(message):
    """(text, html) of a received message; both must be there."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def parsed(html: str) -> _Links:
    links = _Links()
    links.feed(html)
    return links


def assert_absolute(text: str, links: _Links) -> None:
    for href in links.hrefs:
        assert href.startswith(SITE + "/"), href
    for url in re.findall(r"https?://\S+", text):
        assert url.startswith(SITE + "/"), url


def test_a_plain_queued_mail_arrives_with_a_text_and_an_accessible_html_part(app, smtp):
    queue_email("kari@example.no", "Nytt <svar>", "Hei Kari,\n\nSe https://medvik.example/ideas/3 nå.\n\nHilsen")
    db.session.commit()
    assert deliver_due() == (1, 0)
    text, html = parts(smtp.messages[0])
    assert "Se https://medvik.example/ideas/3 nå." in text
    links = parsed(html)
    assert links.lang == "nb"
    assert links.srcs == []  # no images, scripts or frames: nothing fetched from anywhere
    assert not {"img", "script", "link", "style", "iframe"} & links.tags
    assert "https://medvik.example/ideas/3" in links.hrefs
    assert "Nytt &lt;svar&gt;" in html  # the subject is the heading, escaped
    assert "<h1" in html
    assert smtp.messages[0]["Auto-Submitted"] == "auto-generated"
    assert smtp.messages[0]["List-Unsubscribe"] is None  # not a notice: nothing to leave


def test_text_a_person_wrote_is_escaped_in_the_html_part(app, smtp):
    queue_email("kari@example.no", "Hei", 'Idéen «<script>alert(1)</script>» fikk svar & "ros".')
    db.session.commit()
    deliver_due()
    _text, html = parts(smtp.messages[0])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_html_part_is_in_the_recipients_language(app, smtp):
    queue_templated("ola@example.no", "nn", "confirm_email", "Stadfest", user=make_user(),
                    url=SITE + "/confirm/abc", days=7)
    db.session.commit()
    deliver_due()
    text, html = parts(smtp.messages[0])
    assert parsed(html).lang == "nn"
    assert f"{SITE}/confirm/abc" in text
    assert f'href="{SITE}/confirm/abc"' in html


def test_registration_confirmation_has_both_parts_absolute_links_and_no_unsubscribe(app, client, smtp):
    response = client.post("/register", data={
        "full_name": "Kari Nordmann", "email": "kari@example.no",
        "password": "fjordlys-over-havna",
        "accept_terms": "y",
    })
    assert "Sjekk e-posten din" in response.get_data(as_text=True)
    [message] = [m for m in smtp.messages if "kari@example.no" in m["To"]]
    text, html = parts(message)
    links = parsed(html)
    assert any("/confirm" in href for href in links.hrefs)
    assert_absolute(text, links)
    assert message["List-Unsubscribe"] is None


def test_password_reset_has_both_parts_and_no_unsubscribe(app, client, smtp):
    make_user(email="kari@example.no")
    client.post("/password/forgot", data={"email": "kari@example.no"})
    [message] = smtp.messages
    text, html = parts(message)
    links = parsed(html)
    assert any("/password/reset/" in href for href in links.hrefs), links.hrefs
    assert_absolute(text, links)
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None


def test_a_notice_mail_links_to_its_page_and_carries_the_one_click_headers(app, smtp):
    person = make_user(email="kari@example.no")
    notify(person, "moderation.restored", "moderation_restored", url="/ideas/7",
           target_type="idea", excerpt="Benk ved fjorden", reason="Feil", note=None)
    db.session.commit()
    deliver_due()
    [message] = smtp.messages
    text, html = parts(message)
    links = parsed(html)
    assert f"{SITE}/ideas/7" in links.hrefs  # the exact page, absolute
    header = message["List-Unsubscribe"]
    assert re.fullmatch(rf"<{re.escape(SITE)}/unsubscribe/[\w.-]+>", header), header
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header[1:-1]
    assert url in text and url in links.hrefs  # the same link in both parts' footer
    assert_absolute(text, links)
    stored = db.session.scalar(db.select(OutboxMessage))
    assert stored.list_unsubscribe == url and stored.html_body


def test_a_notice_that_cannot_be_switched_off_has_no_unsubscribe(app, smtp):
    person = make_user(email="kari@example.no")
    # A kind in no preference group is always sent, so there is nothing to unsubscribe from.
    notify(person, "accounts.something_new", "moderation_unblocked", url="/profile")
    db.session.commit()
    deliver_due()
    [message] = smtp.messages
    parts(message)
    assert message["List-Unsubscribe"] is None


def test_a_message_queued_before_html_existed_is_still_sent_as_text(app, smtp):
    db.session.add(OutboxMessage(to_address="kari@example.no", subject="Gammel", body="Bare tekst"))
    db.session.commit()
    assert deliver_due() == (1, 0)
    [message] = smtp.messages
    assert message.get_content_type() == "text/plain"
    assert "Bare tekst" in message.get_content()
