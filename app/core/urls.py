"""Absolute addresses for e-mails, feeds and the API: built from SITE_URL, never from the request.

A link in an e-mail must not follow the `Host` header of whoever triggered the e-mail (a
reset link mailed to evil.example). Production refuses to start without SITE_URL (see
create_app); development and tests fall back to SERVER_NAME or the local development server.
"""

from flask import current_app, url_for

DEVELOPMENT_SITE = "http://127.0.0.1:5000"


def site_url() -> str:
    """The one public address, without a trailing slash."""
    site = (current_app.config.get("SITE_URL") or "").strip()
    if site:
        return site.rstrip("/")
    server_name = current_app.config.get("SERVER_NAME")
    if server_name:
        scheme = current_app.config.get("PREFERRED_URL_SCHEME") or "http"
        return f"{scheme}://{server_name}"
    return DEVELOPMENT_SITE


def absolute(path: str | None) -> str:
    """A site path ("/ideas/3") made absolute; an absolute URL or an empty value is kept."""
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + (path if path.startswith("/") else "/" + path)


def external_url(endpoint: str, **values) -> str:
    """url_for() as an absolute address on SITE_URL, whatever host the request came to."""
    values.pop("_external", None)
    return absolute(url_for(endpoint, **values))
