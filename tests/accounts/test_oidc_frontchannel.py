"""Front-channel logout: the provider's logout page frames ours, and our session ends too.

The provider (idp/server.js) does what ID-porten does: after the person logs out there, its
page loads each client's frontchannel_logout_uri with `iss` and `sid` in a hidden frame. The
frame is cross-site, so no cookie of ours comes with it: the session is found by `sid`.
"""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from app.accounts.models import SignIn
from app.extensions import db
from tests.accounts.oidc_provider import (
    Person,
    app_config,  # noqa: F401
    site_path,
)


def _signed_in(client, idp, account="kari"):
    person = Person(idp, account)
    person.sign_in(client)
    client.post("/login/oidc/welcome", data={"full_name": "Kari Nordmann", "accept_terms": "y"})
    assert client.get("/profile").status_code == 200
    return person


def _frames_after_logout(idp, person) -> list[str]:
    # The person logs out at the provider (from another service, say) and sees its page.
    done = person.end_session(f"{idp.url}/session/end?client_id=medvirk")
    page = person.http.get(done if done.startswith("http") else idp.url + done, timeout=10)
    return [unescape(src) for src in re.findall(r'<iframe src="([^"]+)"', page.text)]


def test_the_provider_logout_page_signs_us_out_without_our_cookie(app, client, idp):
    person = _signed_in(client, idp)
    frames = _frames_after_logout(idp, person)
    ours = [f for f in frames if "/login/oidc/idporten/frontchannel-logout" in f]
    assert len(ours) == 1, frames
    query = parse_qs(urlsplit(ours[0]).query)
    assert query["iss"] == [idp.issuer] and query["sid"][0]
    # The sid is kept only as a keyed hash with the sign-in record.
    record = db.session.scalar(select(SignIn).order_by(SignIn.id.desc()))
    assert record.session_hash and query["sid"][0] not in record.session_hash

    answer = app.test_client().get(site_path(ours[0]))  # the hidden frame: no cookie of ours
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert f"frame-ancestors {idp.url}" in answer.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in answer.headers  # the provider's page may frame it
    assert client.get("/profile").status_code == 302  # signed out here too


def test_another_issuer_or_an_unknown_session_signs_no_one_out(app, client, idp):
    _signed_in(client, idp)
    outsider = app.test_client()
    path = "/login/oidc/idporten/frontchannel-logout"
    assert outsider.get(path, query_string={"iss": "https://evil.example", "sid": "x"}).status_code == 400
    assert outsider.get(path, query_string={"iss": idp.issuer, "sid": "not-a-session"}).status_code == 200
    assert outsider.get(path, query_string={"sid": "\x00" * 300}).status_code == 400  # NUL: refused
    assert client.get("/profile").status_code == 200


def test_an_unknown_provider_has_no_logout_page(client):
    assert client.get("/login/oidc/nowhere/frontchannel-logout?sid=x").status_code == 404


def test_every_other_page_still_refuses_to_be_framed(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
