"""Back-channel logout: when the person's session at the provider ends, ours ends too."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest

from tests.accounts.oidc_provider import (
    CLIENT_SECRET,
    TEST_SITE,
    Idp,
    Person,
    default_clients,
    free_port,
)
from tests.accounts.oidc_provider import app_config as oidc_app_config  # noqa: F401


class LogoutCatcher:
    """Receives what the provider's server POSTs to the back-channel logout URI."""

    def __init__(self):
        self.tokens: list[str] = []
        self.arrived = threading.Event()
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                catcher.tokens.append(parse_qs(body)["logout_token"][0])
                catcher.arrived.set()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def backchannel_idp():
    catcher = LogoutCatcher()
    client = {
        "client_id": "medvirk-bc", "client_secret": CLIENT_SECRET,
        "token_endpoint_auth_method": "client_secret_basic",
        "backchannel_logout_uri": f"http://127.0.0.1:{catcher.port}/backchannel",
        "redirect_uris": [f"{TEST_SITE}/login/oidc/idporten/callback"],
    }
    provider = Idp(default_clients(extra=[client]))
    yield provider, catcher
    provider.stop()
    catcher.stop()


@pytest.fixture
def app_config(oidc_app_config, backchannel_idp):  # noqa: F811
    provider, _catcher = backchannel_idp
    return {**oidc_app_config, "OIDC_PROVIDERS": {"idporten": provider.provider_config("medvirk-bc")}}


def test_ending_the_provider_session_ends_ours(client, backchannel_idp):
    provider, catcher = backchannel_idp
    person = Person(provider, "kari")
    person.sign_in(client)
    client.post("/login/oidc/welcome", data={"full_name": "Kari Nordmann", "accept_terms": "y"})
    assert client.get("/profile").status_code == 200
    # The person logs out at the provider (from another service, say).
    person.end_session(f"{provider.url}/session/end?client_id=medvirk-bc")
    assert catcher.arrived.wait(10), "the provider sent no back-channel logout"
    answer = client.post("/login/oidc/idporten/backchannel-logout",
                         data={"logout_token": catcher.tokens[0]}, headers={"Cookie": ""})
    assert answer.status_code == 200
    assert client.get("/profile").status_code == 302  # signed out here too


def test_a_forged_logout_token_is_refused(client, backchannel_idp):
    answer = client.post("/login/oidc/idporten/backchannel-logout", data={"logout_token": "a.b.c"})
    assert answer.status_code == 400 and answer.json["error"] == "invalid_request"


def test_an_id_token_is_not_a_logout_token(client, backchannel_idp):
    provider, _catcher = backchannel_idp
    Person(provider, "ola").sign_in(client)
    # The ID token the provider signed for this sign-in (Authlib keeps it on `g`, which the
    # test's app context shares): no logout event and a nonce, so it logs no one out.
    token = client.application.extensions["medvirk.oidc"].create_client("idporten").token["id_token"]
    answer = client.post("/login/oidc/idporten/backchannel-logout", data={"logout_token": token})
    assert answer.status_code == 400
