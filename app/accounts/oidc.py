"""OpenID Connect sign-in (ID-porten for residents, the municipality's provider for staff).

Authlib's Flask client does the protocol (discovery, PKCE, state, nonce, the token request);
this module adds what Authlib leaves to the application: the issuer in discovery must be the
configured one, the ID token's audience and `acr` are checked, the clock leeway is ours, and
the national identity number (`pid`) is turned into a keyed hash at once and then forgotten.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from flask import Flask, current_app
from flask_babel import gettext as _
from joserfc.errors import JoseError

from app.core.errors import NotFound, ServiceError

log = logging.getLogger(__name__)

EXTENSION = "medvirk.oidc"

# ID-porten's levels of assurance, lowest first; a token must reach the level asked for.
LEVELS = ["idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high"]


class SignInRejected(ServiceError):
    """The provider's answer or its ID token is not acceptable; the person signs in again."""

    status_code = 400
    code = "sign_in_rejected"


class ProviderUnavailable(ServiceError):
    """The identity provider did not answer (or answered nonsense): try again later."""

    status_code = 503
    code = "unavailable"


@dataclass(frozen=True)
class VerifiedLogin:
    """What a successful sign-in proves. Holds no national identity number, only its hash."""

    provider: str
    kind: str
    issuer: str
    person_hash: str
    level: str | None
    subject_hash: str = ""
    session_hash: str = ""
    groups: tuple[str, ...] = ()
    name: str = ""
    email: str = ""


def init_app(app: Flask) -> None:
    """Register the configured providers; refuse to start with a provider but no pepper."""
    providers = app.config.get("OIDC_PROVIDERS") or {}
    if providers and not app.config.get("IDENTITY_PEPPER"):
        raise RuntimeError(
            "IDENTITY_PEPPER is not set, but OIDC_PROVIDERS is. Medvirk stores only a keyed hash "
            "of the national identity number and needs a long random key for it, for example:\n"
            "  export IDENTITY_PEPPER=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
    required = (app.config.get("VERIFIED_IDENTITY_REQUIRED_FOR") or "").strip()
    if required and not any(c.get("kind", "resident") == "resident" for c in providers.values()):
        # Every action it names would dead-end at a verify page that has nowhere to send people.
        raise RuntimeError(
            f"VERIFIED_IDENTITY_REQUIRED_FOR is {required!r}, but no resident sign-in (ID-porten) "
            "provider is configured in OIDC_PROVIDERS: nobody could verify. Configure one, or "
            "leave VERIFIED_IDENTITY_REQUIRED_FOR empty."
        )
    oauth = OAuth(app)
    for name, conf in providers.items():
        method = conf.get("auth_method") or "client_secret_basic"
        secret = conf.get("client_secret") or ""
        auth_methods = None
        if method == "private_key_jwt":
            secret = Path(conf["key_file"]).read_text(encoding="utf-8")
            auth_methods = [PrivateKeyJWT()]
        oauth.register(
            name,
            client_id=conf["client_id"],
            client_secret=secret,
            server_metadata_url=conf["issuer"].rstrip("/") + "/.well-known/openid-configuration",
            client_auth_methods=auth_methods,
            client_kwargs={
                "scope": conf.get("scopes") or "openid",
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": method,
                "default_timeout": app.config.get("OIDC_TIMEOUT", 5),
            },
        )
    app.extensions[EXTENSION] = oauth
    if providers:
        _allow_forms_to_providers(app, providers)


def _allow_forms_to_providers(app: Flask, providers: dict) -> None:
    """Let forms lead to the providers: "log out" and "verify" post here, then redirect there,
    and browsers hold a redirect after a form to the page's CSP form-action."""
    from urllib.parse import urlsplit

    from app.core.security import CSP

    origins = sorted({
        f"{parts.scheme}://{parts.netloc}"
        for parts in (urlsplit(conf.get("issuer") or "") for conf in providers.values())
        if parts.scheme in ("http", "https") and parts.netloc
    })
    policy = CSP.replace("form-action 'self'", " ".join(["form-action 'self'", *origins]))

    @app.after_request
    def _csp_with_providers(response):
        # Runs before core's header hook, which then keeps this value (setdefault).
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


def providers() -> dict[str, dict]:
    return current_app.config.get("OIDC_PROVIDERS") or {}


def provider(name: str) -> dict:
    """The settings of one provider. Raises NotFound for a name that is not configured."""
    conf = providers().get(name)
    if conf is None:
        raise NotFound(_("Denne innloggingen finnes ikke."))
    return conf


def issuer(name: str) -> str:
    """The provider's issuer as its discovery document names it (what ID tokens carry).

    Raises ProviderUnavailable, SignInRejected (discovery names another issuer), NotFound.
    """
    return _metadata(name)["issuer"]


def provider_origin(name: str) -> str:
    """scheme://host[:port] of the provider: the only page that may frame our logout page."""
    parts = urlsplit(provider(name)["issuer"])
    return f"{parts.scheme}://{parts.netloc}"


def resident_provider() -> str | None:
    """The name of the provider that verifies residents (ID-porten), if one is configured."""
    return next((n for n, c in providers().items() if c.get("kind") == "resident"), None)


def _client(name: str):
    provider(name)
    return current_app.extensions[EXTENSION].create_client(name)


def _metadata(name: str) -> dict:
    """Discovery, checked: the document must name the issuer we were configured with."""
    client = _client(name)
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        log.warning("OIDC provider %s: discovery failed: %s", name, exc.__class__.__name__)
        raise _unavailable() from exc
    expected = provider(name)["issuer"].rstrip("/")
    if str(metadata.get("issuer", "")).rstrip("/") != expected:
        log.warning("OIDC provider %s: discovery names another issuer", name)
        client.server_metadata.clear()  # read again next time, it may be fixed
        raise _rejected()
    return metadata


def _unavailable() -> ProviderUnavailable:
    return ProviderUnavailable(
        _("Innloggingstjenesten svarer ikke akkurat nå. Vent litt og prøv igjen.")
    )


def _rejected() -> SignInRejected:
    return SignInRejected(
        _("Innloggingen kunne ikke bekreftes. Prøv å logge inn på nytt.")
    )


def person_hash(issuer: str, subject: str) -> str:
    """HMAC-SHA256 of the issuer and the person's identifier, keyed with IDENTITY_PEPPER."""
    key = current_app.config["IDENTITY_PEPPER"].encode()
    return hmac.new(key, f"{issuer}\n{subject}".encode(), hashlib.sha256).hexdigest()


def subject_hash(issuer: str, sub: str) -> str:
    """HMAC of the provider's subject: what a back-channel logout token names."""
    return person_hash(issuer, "sub:" + sub)


def session_hash(issuer: str, sid: str) -> str:
    """HMAC of the provider's session id (`sid`): what a front-channel logout names."""
    return person_hash(issuer, "sid:" + sid)


def authorize_redirect(name: str, redirect_uri: str, locale: str):
    """The redirect to the provider's login page. Raises ProviderUnavailable, NotFound."""
    conf = provider(name)
    _metadata(name)
    extra = {"ui_locales": locale}
    if conf.get("acr_values"):
        extra["acr_values"] = conf["acr_values"]
    try:
        # Authlib makes and keeps state, nonce and the PKCE verifier in the session.
        return _client(name).authorize_redirect(redirect_uri, **extra)
    except requests.RequestException as exc:
        raise _unavailable() from exc


def _claims_options(name: str) -> dict:
    conf = provider(name)
    return {
        "iss": {"essential": True, "values": [conf["issuer"].rstrip("/"), conf["issuer"]]},
        "aud": {"essential": True, "values": [conf["client_id"]]},
    }


def _check_level(conf: dict, claims: dict) -> str | None:
    """The token's acr, when it reaches the lowest level asked for. Raises SignInRejected."""
    asked = (conf.get("acr_values") or "").split()
    acr = claims.get("acr")
    if not asked:
        return acr
    known = [level for level in asked if level in LEVELS]
    if acr in asked:
        return acr
    if known and acr in LEVELS and LEVELS.index(acr) >= min(LEVELS.index(k) for k in known):
        return acr
    raise SignInRejected(
        _("Innloggingen hadde for lavt sikkerhetsnivå. Logg inn med MinID, BankID, Buypass eller "
          "Commfides på nivå «betydelig» eller høyere.")
    )


def finish_login(name: str) -> VerifiedLogin:
    """Complete the code flow on the callback request and check the ID token.

    Raises SignInRejected when the answer or the token is not acceptable (state, nonce, issuer,
    audience, signature, expiry, level), ProviderUnavailable when the provider does not answer.
    """
    conf = provider(name)
    metadata = _metadata(name)
    client = _client(name)
    try:
        token = client.authorize_access_token(
            claims_options=_claims_options(name), leeway=current_app.config.get("OIDC_LEEWAY", 30)
        )
    except requests.RequestException as exc:
        log.warning("OIDC provider %s: token request failed: %s", name, exc.__class__.__name__)
        raise _unavailable() from exc
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as exc:
        # Never the token or its claims in the log: they hold the national identity number.
        log.warning("OIDC provider %s: sign-in rejected: %s", name, exc.__class__.__name__)
        raise _rejected() from exc
    claims = token.get("userinfo")
    if not claims:
        log.warning("OIDC provider %s: no ID token in the answer", name)
        raise _rejected()
    level = _check_level(conf, claims)
    subject = claims.get("pid") or claims.get("sub")
    if not subject:
        raise _rejected()
    issuer = metadata["issuer"]
    raw_groups = claims.get(conf.get("groups_claim") or "groups") or []
    if isinstance(raw_groups, str):
        raw_groups = [raw_groups]
    return VerifiedLogin(
        provider=name,
        kind=conf.get("kind", "resident"),
        issuer=issuer,
        person_hash=person_hash(issuer, str(subject)),
        level=level,
        subject_hash=subject_hash(issuer, str(claims.get("sub") or "")),
        session_hash=session_hash(issuer, str(claims["sid"])) if claims.get("sid") else "",
        groups=tuple(str(g) for g in raw_groups),
        name=str(claims.get("name") or ""),
        email=str(claims.get("email") or ""),
    )


def logout_url(name: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session address (RP-initiated logout), or None when it has none.

    No id_token_hint: the ID token holds the national identity number and is not kept.
    """
    try:
        metadata = _metadata(name)
    except ServiceError:
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    from urllib.parse import urlencode

    query = urlencode({"client_id": provider(name)["client_id"],
                       "post_logout_redirect_uri": post_logout_redirect_uri})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def role_for_groups(name: str, groups: tuple[str, ...]) -> str | None:
    """The highest role the provider's ROLE_MAP gives these groups ("group=role,..."), or None."""
    mapping = provider(name).get("role_map") or ""
    if isinstance(mapping, str):
        pairs = [item.split("=", 1) for item in mapping.split(",") if "=" in item]
        mapping = {group.strip(): role.strip() for group, role in pairs}
    order = ["resident", "moderator", "portfolio_manager", "admin"]
    roles = [mapping[g] for g in groups if mapping.get(g) in order]
    return max(roles, key=order.index) if roles else None


BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def verify_logout_token(name: str, raw: str) -> tuple[str, str]:
    """Check a back-channel logout token; returns (issuer, subject hash) of the person.

    Checked as the spec says: the provider's signature, issuer, our audience, times, the
    back-channel logout event, a `sub`, and no `nonce`. Raises SignInRejected, or
    ProviderUnavailable when the provider's keys cannot be read.
    """
    from joserfc import jwt
    from joserfc.jwk import KeySet
    from joserfc.jwt import JWTClaimsRegistry

    conf = provider(name)
    metadata = _metadata(name)
    client = _client(name)
    try:
        keys = KeySet.import_key_set(client.fetch_jwk_set())
        token = jwt.decode(raw or "", keys, algorithms=metadata.get("id_token_signing_alg_values_supported"))
        JWTClaimsRegistry(
            leeway=current_app.config.get("OIDC_LEEWAY", 30),
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": conf["client_id"]},
            iat={"essential": True},
            sub={"essential": True},
        ).validate(token.claims)
    except requests.RequestException as exc:
        raise _unavailable() from exc
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        log.warning("OIDC provider %s: logout token rejected: %s", name, exc.__class__.__name__)
        raise _rejected() from exc
    claims = token.claims
    if "nonce" in claims or BACKCHANNEL_EVENT not in (claims.get("events") or {}):
        log.warning("OIDC provider %s: logout token rejected: not a logout event", name)
        raise _rejected()
    return metadata["issuer"], subject_hash(metadata["issuer"], str(claims["sub"]))
