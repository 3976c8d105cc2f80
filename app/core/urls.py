"""Absolute addresses for e-mails, feeds and the API: built from SITE_URL, never from the request.

A link in an e-mail must not follow the `Host` header of whoever triggered the e-mail (a
reset link mailed to evil.example). Production refuses to start without SITE_URL (see
create_app); development and tests fall back to SERVER_NAME or the local development server.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for
from flask.globals import request_ctx
from werkzeug.exceptions import BadRequest, SecurityError

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


def site_path(endpoint: str, **values) -> str:
    """url_for() as a path, also outside a request (`flask outbox deliver`, digests, seeding).

    Outside a request Flask can only build with SERVER_NAME set; the path does not depend on
    any host, so a neutral binding builds it. Extra values become the query string.
    """
    values.pop("_external", None)
    if has_request_context() and request_ctx.url_adapter is not None:
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    values.pop("_method", None)
    values.pop("_scheme", None)
    current_app.inject_url_defaults(endpoint, values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return path + (f"#{anchor}" if anchor else "")


def external_url(endpoint: str, **values) -> str:
    """url_for() as an absolute address on SITE_URL, whatever host the request came to."""
    return absolute(site_path(endpoint, **values))


def trusted_hosts(config) -> list[str] | None:
    """Flask's TRUSTED_HOSTS: SITE_URL's host (and SERVER_NAME's, and any listed), or None.

    None (no check) only when neither SITE_URL nor TRUSTED_HOSTS is set: development.
    """
    extra = config.get("TRUSTED_HOSTS") or []
    if isinstance(extra, str):
        extra = [h.strip() for h in extra.split(",") if h.strip()]
    hosts = list(extra)
    site = (config.get("SITE_URL") or "").strip()
    if site:
        hosts.append(urlsplit(site).hostname or "")
        if config.get("SERVER_NAME"):
            # Tests and some deployments name the server; its own name is no foreign host.
            hosts.append(config["SERVER_NAME"].rsplit(":", 1)[0])
    hosts = [h for h in dict.fromkeys(hosts) if h]
    return hosts or None


def _foreign_host(error: SecurityError):
    # Flask could not bind the URL map to an untrusted Host, so url_for() and request.host
    # would fail again inside the error page; answer as if the request had come to SITE_URL.
    site = urlsplit(site_url())
    request.host = site.netloc
    request.trusted_hosts = None
    request_ctx.url_adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path or "/", url_scheme=site.scheme or "http"
    )
    return current_app.handle_http_exception(BadRequest())


def _reject_foreign_host_first():
    # Before any other hook reads request.host or builds a URL with the missing adapter.
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def init_app(app: Flask) -> None:
    app.before_request(_reject_foreign_host_first)
    app.register_error_handler(SecurityError, _foreign_host)
