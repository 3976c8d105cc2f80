"""A real OpenID Connect provider for the tests: idp/server.js (oidc-provider) under node.

The provider runs once per test session on a free port; `Idp` drives its login pages with
`requests` (as a browser would) and hands the callback back to the Flask test client.
With CI or REQUIRE_BROWSER set, a missing node or package fails the run instead of skipping.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "idp" / "server.js"
PACKAGE = ROOT / "node_modules" / "oidc-provider"
REQUIRED = bool(os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"))
TEST_SITE = "http://medvirk.test"
CLIENT_SECRET = "test-client-secret"
PEPPER = "test-identity-pepper"


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _missing(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (CI/REQUIRE_BROWSER is set: the OIDC tests must run)")
    pytest.skip(reason)


def default_clients(site: str = TEST_SITE, extra: list[dict] | None = None) -> list[dict]:
    callbacks = [f"{site}/login/oidc/{name}/callback" for name in ("idporten", "staff")]
    base = {
        "redirect_uris": callbacks,
        "post_logout_redirect_uris": [f"{site}/"],
        "default_acr_values": ["idporten-loa-substantial"],
    }
    return [
        {**base, "client_id": "medvirk", "client_secret": CLIENT_SECRET,
         "token_endpoint_auth_method": "client_secret_basic",
         "frontchannel_logout_uri": f"{site}/login/oidc/idporten/frontchannel-logout"},
        {**base, "client_id": "medvirk-staff", "client_secret": CLIENT_SECRET,
         "token_endpoint_auth_method": "client_secret_post",
         "frontchannel_logout_uri": f"{site}/login/oidc/staff/frontchannel-logout"},
        *({**base, **client} for client in extra or []),
    ]


class Idp:
    """One running provider process."""

    def __init__(self, clients: list[dict], issuer: str | None = None, port: int | None = None):
        if shutil.which("node") is None:
            _missing("node is not installed")
        if not PACKAGE.exists():
            _missing("the npm package oidc-provider is not installed (run `npm ci`)")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.issuer = issuer or self.url
        env = {**os.environ, "IDP_PORT": str(self.port), "IDP_ISSUER": self.issuer,
               "IDP_CLIENTS": json.dumps(clients)}
        self.process = subprocess.Popen(
            ["node", str(SCRIPT)], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{self.url}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the test provider did not start:\n{self.process.stdout.read()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def set_account(self, account: str, **claims) -> None:
        requests.post(f"{self.url}/__test/accounts/{account}", json=claims, timeout=5).raise_for_status()

    def set(self, **settings) -> None:
        requests.post(f"{self.url}/__test/settings", json=settings, timeout=5).raise_for_status()

    def provider_config(self, client_id: str = "medvirk", kind: str = "resident", **extra) -> dict:
        return {
            "kind": kind, "issuer": self.issuer, "client_id": client_id,
            "client_secret": CLIENT_SECRET, "key_file": "",
            "auth_method": "client_secret_basic", "scopes": "openid profile groups",
            "acr_values": "idporten-loa-substantial", "label": "ID-porten",
            "groups_claim": "groups", "role_map": "", **extra,
        }


class Person:
    """A browser at the provider: its own cookies, so its provider session persists."""

    def __init__(self, idp: Idp, account: str = "kari", acr: str = "idporten-loa-substantial"):
        self.idp = idp
        self.account = account
        self.acr = acr
        self.http = requests.Session()

    def authorize(self, authorize_url: str) -> str:
        """Follow the provider from its authorize URL to our callback; returns the callback URL."""
        url = authorize_url
        for _ in range(12):
            response = self.http.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "/interaction/" in url:
                action = re.search(r'action="([^"]+)"', response.text).group(1)
                response = self.http.post(
                    urljoin(url, action), data={"account": self.account, "acr": self.acr},
                    allow_redirects=False, timeout=10,
                )
            if response.status_code not in (302, 303):
                raise AssertionError(f"provider answered {response.status_code}: {response.text[:500]}")
            url = urljoin(url, response.headers["Location"])
            if not url.startswith(self.idp.url):
                return url
        raise AssertionError("too many redirects at the provider")

    def sign_in(self, client, start_path: str = "/login/oidc/idporten"):
        """Start at our login path, log in at the provider, return the callback's response."""
        start = client.get(start_path)
        assert start.status_code == 302, start.get_data(as_text=True)[:500]
        callback = self.authorize(start.headers["Location"])
        return client.get(site_path(callback))

    def end_session(self, logout_url: str) -> str:
        """Confirm the provider's logout page; returns where the provider sends the browser."""
        page = self.http.get(logout_url, timeout=10)
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text).group(1)
        action = re.search(r'action="([^"]+)"', page.text).group(1)
        done = self.http.post(urljoin(logout_url, action), data={"xsrf": xsrf, "logout": "yes"},
                              allow_redirects=False, timeout=10)
        return done.headers.get("Location", "")


def site_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="session")
def client_key_file(tmp_path_factory) -> tuple[Path, dict]:
    """A private key for private_key_jwt, and the public JWK the provider registers."""
    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048)
    path = tmp_path_factory.mktemp("oidc") / "client-key.pem"
    path.write_bytes(key.as_pem(private=True))
    return path, key.as_dict(private=False)


@pytest.fixture(scope="session")
def idp(client_key_file):
    _path, public_jwk = client_key_file
    jwt_client = {
        "client_id": "medvirk-jwt", "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "RS256", "jwks": {"keys": [public_jwk]},
    }
    provider = Idp(default_clients(extra=[jwt_client]))
    yield provider
    provider.stop()


@pytest.fixture
def app_config(app_config, idp):
    """The usual test configuration plus the two providers (import this to override it)."""
    idp.set(idTokenTtl=3600, tamper=None)
    return {
        **app_config,
        "IDENTITY_PEPPER": PEPPER,
        "OIDC_PROVIDERS": {
            "idporten": idp.provider_config(),
            "staff": idp.provider_config(
                "medvirk-staff", kind="staff", auth_method="client_secret_post", acr_values="",
                label="Medvik kommune",
                role_map="medvirk-moderators=moderator,medvirk-admins=admin",
            ),
        },
    }
