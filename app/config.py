"""Settings read from the environment; every one has a default documented in README.md."""

import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'medvirk.db'}"
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 spelled out.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _text(name: str) -> str:
    """A text setting: the variable itself, or the contents of the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8")
    return os.environ.get(name, "")


def _oidc_providers() -> dict[str, dict]:
    """OIDC_PROVIDERS=idporten,staff and OIDC_<NAME>_<SETTING> per provider (README: Sign-in)."""
    providers = {}
    for name in filter(None, (n.strip().lower() for n in os.environ.get("OIDC_PROVIDERS", "").split(","))):
        def get(key: str, default: str = "", prefix: str = f"OIDC_{name.upper()}_") -> str:
            return os.environ.get(prefix + key, default)

        kind = get("KIND", "resident")
        providers[name] = {
            "kind": kind,
            "issuer": get("ISSUER"),
            "client_id": get("CLIENT_ID"),
            "client_secret": get("CLIENT_SECRET"),
            "key_file": get("KEY_FILE"),
            "auth_method": get("AUTH_METHOD", "private_key_jwt" if get("KEY_FILE") else "client_secret_basic"),
            "scopes": get("SCOPES", "openid profile" if kind == "resident" else "openid profile email"),
            "acr_values": get("ACR_VALUES", "idporten-loa-substantial" if kind == "resident" else ""),
            "label": get("LABEL", "ID-porten" if kind == "resident" else name),
            "groups_claim": get("GROUPS_CLAIM", "groups"),
            "role_map": get("ROLE_MAP"),
        }
    return providers


def _processors(value: str) -> list[tuple[str, str]]:
    """PRIVACY_PROCESSORS: "name: what they do" entries separated by ";" (the page lists them)."""
    processors = []
    for entry in filter(None, (e.strip() for e in value.split(";"))):
        name, _sep, purpose = entry.partition(":")
        processors.append((name.strip(), purpose.strip()))
    return processors


INSECURE_SECRET = "dev-only-insecure-secret-key"


def _limits(name: str, per_person: str, per_address: str) -> dict:
    """RATELIMIT_<name> and RATELIMIT_<name>_PER_ADDRESS, e.g. "5 per hour;20 per day"."""
    key = f"RATELIMIT_{name}"
    return {
        key: os.environ.get(key, per_person),
        f"{key}_PER_ADDRESS": os.environ.get(f"{key}_PER_ADDRESS", per_address),
    }


def from_environment() -> dict:
    """Build the configuration mapping from the process environment."""
    redis_url = os.environ.get("REDIS_URL", "")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Seconds before giving up on reaching the database, and on one statement (requests
        # only: CLI commands such as migrations may take longer); 0 switches one off. A
        # database that is down or frozen then answers 503 at once instead of holding workers.
        "DATABASE_CONNECT_TIMEOUT": _int("DATABASE_CONNECT_TIMEOUT", 5),
        "DATABASE_STATEMENT_TIMEOUT": _int("DATABASE_STATEMENT_TIMEOUT", 10),
        # How many proxies (load balancers) in front of the app set X-Forwarded-For/-Proto.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN", "10 per minute;50 per hour"),
        "RATELIMIT_REGISTER": os.environ.get("RATELIMIT_REGISTER", "5 per hour"),
        "RATELIMIT_RESET": os.environ.get("RATELIMIT_RESET", "5 per hour"),
        # Abuse limits (app/core/ratelimit.py): per person when logged in (else per address),
        # and a wider one per address, since a school or office shares one address.
        **_limits("IDEAS", "5 per hour", "30 per hour"),
        **_limits("COMMENTS", "30 per hour", "200 per hour"),
        **_limits("VOTES", "120 per hour", "1000 per hour"),
        **_limits("REPORTS", "20 per hour", "100 per hour"),
        **_limits("ENDORSEMENTS", "30 per hour", "200 per hour"),
        # Organisation invitations sent (each is an e-mail to an address the sender chose).
        **_limits("INVITATIONS", "20 per hour;50 per day", "50 per day"),
        **_limits("API", "300 per minute", "1000 per minute"),
        # One-click unsubscribe links (no login): mail providers POST from a few addresses.
        **_limits("UNSUBSCRIBE", "30 per hour", "600 per hour"),
        # Reports from this many different people hide an item at once, pending review.
        "HIDE_AFTER_REPORTS": _int("HIDE_AFTER_REPORTS", 3),
        "MUNICIPALITY_NAME": os.environ.get("MUNICIPALITY_NAME", "Medvik kommune"),
        "DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "nb"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Europe/Oslo"),
        "SITE_URL": os.environ.get("SITE_URL", ""),
        # More host names this site answers to (comma-separated), besides SITE_URL's own.
        "TRUSTED_HOSTS": os.environ.get("TRUSTED_HOSTS", ""),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 10),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Medvirk <ikke-svar@medvirk.local>"),
        # Contact in /.well-known/security.txt (mailto: or https:); empty: no security.txt.
        "SECURITY_CONTACT": os.environ.get("SECURITY_CONTACT", ""),
        # Deliver from a thread after the commit; tests turn this off to read the SMTP server.
        "MAIL_ASYNC": _bool("MAIL_ASYNC", True),
        # A mail worker (`flask outbox deliver --loop`) sends the outbox; requests only queue.
        "MAIL_WORKER": _bool("MAIL_WORKER", False),
        "CONFIRM_MAX_AGE_DAYS": _int("CONFIRM_MAX_AGE_DAYS", 7),
        "RESET_MAX_AGE_MINUTES": _int("RESET_MAX_AGE_MINUTES", 60),
        "INVITATION_MAX_AGE_DAYS": _int("INVITATION_MAX_AGE_DAYS", 14),
        # Days between a person asking to delete their account and its erasure; signing in
        # before then cancels it (app/privacy/deletion.py, `flask privacy enforce`).
        "ACCOUNT_DELETION_GRACE_DAYS": _int("ACCOUNT_DELETION_GRACE_DAYS", 7),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads")),
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_MB", 16) * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # None: secure outside debug and testing (decided in create_app).
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", True)
        if "SESSION_COOKIE_SECURE" in os.environ
        else None,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "ACCESSIBILITY_STATEMENT_URL": os.environ.get("ACCESSIBILITY_STATEMENT_URL", ""),
        # Markdown without raw HTML; empty means the built-in default text (in every language).
        "ACCESSIBILITY_STATEMENT_TEXT": _text("ACCESSIBILITY_STATEMENT_TEXT"),
        "PRIVACY_TEXT": _text("PRIVACY_TEXT"),
        # The privacy page (app/privacy/policy_views.py): who is responsible and how to reach
        # them. An empty controller is the municipality (MUNICIPALITY_NAME).
        "PRIVACY_CONTROLLER": os.environ.get("PRIVACY_CONTROLLER", ""),
        "PRIVACY_CONTROLLER_ADDRESS": os.environ.get("PRIVACY_CONTROLLER_ADDRESS", ""),
        "PRIVACY_CONTACT_EMAIL": os.environ.get("PRIVACY_CONTACT_EMAIL", ""),
        "DPO_NAME": os.environ.get("DPO_NAME", ""),
        "DPO_EMAIL": os.environ.get("DPO_EMAIL", ""),
        # "Name: what they do; Name: what they do", e.g. "Driftssenteret: hosting; Postkontoret AS: e-mail".
        "PRIVACY_PROCESSORS": _processors(os.environ.get("PRIVACY_PROCESSORS", "")),
        # Retention (`flask privacy enforce`, daily); the privacy page quotes the same numbers.
        "UNCONFIRMED_ACCOUNT_DAYS": _int("UNCONFIRMED_ACCOUNT_DAYS", 14),
        "ADDRESS_RETENTION_DAYS": _int("ADDRESS_RETENTION_DAYS", 90),
        "OUTBOX_RETENTION_DAYS": _int("OUTBOX_RETENTION_DAYS", 30),
        "INACTIVE_ACCOUNT_YEARS": _int("INACTIVE_ACCOUNT_YEARS", 3),
        "INACTIVE_ACCOUNT_WARNING_DAYS": _int("INACTIVE_ACCOUNT_WARNING_DAYS", 30),
        "RATELIMIT_ACCESSIBILITY_REPORT": os.environ.get("RATELIMIT_ACCESSIBILITY_REPORT", "5 per hour"),
        # A person's data export (app/privacy/export.py): up to this many rows it is sent at
        # once; larger, `flask privacy build-exports` builds it into EXPORT_FOLDER and mails a
        # link that works once for EXPORT_LINK_HOURS.
        "EXPORT_INLINE_MAX_ROWS": _int("EXPORT_INLINE_MAX_ROWS", 20000),
        "EXPORT_FOLDER": os.environ.get("EXPORT_FOLDER", str(INSTANCE_DIR / "exports")),
        "EXPORT_LINK_HOURS": _int("EXPORT_LINK_HOURS", 24),
        **_limits("EXPORT", "5 per hour", "30 per hour"),
        # Open data (app/opendata): the public files are made afresh at most this often, into
        # OPEN_DATA_FOLDER, and served from there (`flask opendata build` from cron as well).
        "OPEN_DATA_MINUTES": _int("OPEN_DATA_MINUTES", 60),
        "OPEN_DATA_FOLDER": os.environ.get("OPEN_DATA_FOLDER", str(INSTANCE_DIR / "open-data")),
        "PER_PAGE": _int("PER_PAGE", 20),
        # A search in relevance order ranks at most this many of its newest matches (issue 17).
        "SEARCH_CANDIDATES": _int("SEARCH_CANDIDATES", 300),
        "SIMILAR_CANDIDATES": _int("SIMILAR_CANDIDATES", 5000),
        # Counts over every idea (filter options, totals) are kept this long per worker; 0: off.
        "COUNT_CACHE_SECONDS": _int("COUNT_CACHE_SECONDS", 60),
        # Public pages as visitors who are not signed in see them, kept at most this long
        # (any write starts afresh; app/core/pagecache.py); 0: off.
        "PAGE_CACHE_SECONDS": _int("PAGE_CACHE_SECONDS", 30),
        # Portfolio: every idea gets a public answer within ANSWER_WITHIN_DAYS; one that has
        # reached PRIORITY_VOTES votes is due PRIORITY_ANSWER_DAYS after it reached them.
        "ANSWER_WITHIN_DAYS": _int("ANSWER_WITHIN_DAYS", 30),
        "PRIORITY_VOTES": _int("PRIORITY_VOTES", 50),
        "PRIORITY_ANSWER_DAYS": _int("PRIORITY_ANSWER_DAYS", 7),
        # Citizen support on the board: this many distinct supporters score 5 (of 1–5).
        "CITIZEN_SUPPORT_FULL_SCORE": _int("CITIZEN_SUPPORT_FULL_SCORE", 100),
        # The economic plan (handlings- og økonomiplan): its first year and how many years it
        # covers. 0: next calendar year, worked out when asked (app/portfolio/plan.py).
        "PLAN_FIRST_YEAR": _int("PLAN_FIRST_YEAR", 0),
        "PLAN_YEARS": _int("PLAN_YEARS", 4),
        # The systems register's CSV import (app/portfolio/systems.py): the largest file and
        # the most rows one import takes, all or nothing.
        "SYSTEMS_IMPORT_MAX_MB": _int("SYSTEMS_IMPORT_MAX_MB", 5),
        "SYSTEMS_IMPORT_MAX_ROWS": _int("SYSTEMS_IMPORT_MAX_ROWS", 10000),
        # Innbyggerforslag (app/initiatives): the residents (SSB table 07459) that set the
        # signature threshold, min(ceil(2 % of them), 300); how long a collection runs; the
        # year the council's election period began (0: the last local election year, counted
        # in fours from 2023); the largest scan of paper signature lists.
        "POPULATION": _int("POPULATION", 10000),
        "INITIATIVE_COLLECTION_DAYS": _int("INITIATIVE_COLLECTION_DAYS", 180),
        "ELECTION_PERIOD_START_YEAR": _int("ELECTION_PERIOD_START_YEAR", 0),
        "INITIATIVE_SCAN_MAX_MB": _int("INITIATIVE_SCAN_MAX_MB", 10),
        **_limits("INITIATIVES", "3 per hour;10 per day", "20 per day"),
        **_limits("SIGNATURES", "60 per hour", "1000 per hour"),
        # OpenID Connect sign-in (app/accounts/oidc.py): zero, one or several providers.
        "OIDC_PROVIDERS": _oidc_providers(),
        # Key of the HMAC that turns a national identity number into the stored hash; required
        # when a provider is configured. Changing it cuts every account off its identity.
        "IDENTITY_PEPPER": _text("IDENTITY_PEPPER").strip(),
        # Seconds of clock difference accepted on an ID token's times (Authlib's default is 120).
        "OIDC_LEEWAY": _int("OIDC_LEEWAY", 30),
        "OIDC_TIMEOUT": _int("OIDC_TIMEOUT", 5),
        # Actions only a person with a verified identity may take (comma-separated): any of
        # propose, vote, comment, report, endorse, sign. Empty: none.
        "VERIFIED_IDENTITY_REQUIRED_FOR": os.environ.get("VERIFIED_IDENTITY_REQUIRED_FOR", ""),
    }
