"""Readiness checks for /readyz, and the text of /.well-known/security.txt."""

import logging
from datetime import UTC, datetime, timedelta

import redis
from flask import current_app
from sqlalchemy import text

from app.extensions import db

log = logging.getLogger("medvirk.health")


def database_state() -> str:
    """"ok" when a fresh statement gets an answer, else "unavailable" (never raises)."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not ready"; the reason goes to the log
        log.warning("readiness: database unavailable: %s", error)
        return "unavailable"
    return "ok"


def redis_state() -> str:
    """"ok", "unavailable", or "not configured" when REDIS_URL is empty (never raises)."""
    url = current_app.config.get("REDIS_URL") or ""
    if not url:
        return "not configured"
    client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as error:
        log.warning("readiness: Redis unavailable: %s", error)
        return "unavailable"
    finally:
        client.close()
    return "ok"


def readiness() -> dict[str, str]:
    return {"database": database_state(), "redis": redis_state()}


def _contact_uri(contact: str) -> str:
    # A bare address is accepted in the setting; RFC 9116 wants a URI.
    if ":" not in contact and "@" in contact:
        return "mailto:" + contact
    return contact


def security_txt(canonical: str) -> str | None:
    """The RFC 9116 file from SECURITY_CONTACT (comma-separated), or None when it is unset."""
    contacts = [c.strip() for c in (current_app.config.get("SECURITY_CONTACT") or "").split(",") if c.strip()]
    if not contacts:
        return None
    # Computed on every request, so the file never expires while the site runs.
    expires = (datetime.now(UTC) + timedelta(days=365)).replace(microsecond=0)
    lines = [f"Contact: {_contact_uri(contact)}" for contact in contacts]
    lines += [
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: no, nn, en",
        f"Canonical: {canonical}",
    ]
    return "\n".join(lines) + "\n"
