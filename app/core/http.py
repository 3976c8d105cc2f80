"""Small request helpers: safe redirects back to where the person was."""

from urllib.parse import urlsplit

from flask import redirect, request, url_for


def is_safe_target(target: str | None) -> bool:
    if not target:
        return False
    # A control character (CR/LF would split the Location header, and browsers drop tabs and
    # newlines inside URLs) or a backslash (browsers read "/\\evil" as "//evil") never belongs
    # in a path of ours.
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return False
    parts = urlsplit(target)
    # Only paths on this site: no scheme, no host, no protocol-relative "//evil".
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


def next_target(default_endpoint: str = "ideas.home", **values) -> str:
    for candidate in (request.form.get("next"), request.args.get("next")):
        if is_safe_target(candidate):
            return candidate
    return url_for(default_endpoint, **values)


def redirect_back(default_endpoint: str = "ideas.home", **values):
    """After a form POST: back to ?next=, the Referer on this site, or a default."""
    for candidate in (request.form.get("next"), request.args.get("next")):
        if is_safe_target(candidate):
            return redirect(candidate)
    referrer = request.referrer
    if referrer:
        parts = urlsplit(referrer)
        if parts.netloc == request.host:
            return redirect(parts.path + (f"?{parts.query}" if parts.query else ""))
    return redirect(url_for(default_endpoint, **values))


class LowerCaseHost:
    """WSGI middleware: a host name is case-insensitive (RFC 3986, 3.2.2), Werkzeug's
    TRUSTED_HOSTS check is not; "MEDVIRK.example.no" is the same site as "medvirk.example.no"."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        if host:
            environ["HTTP_HOST"] = host.lower()
        return self.wsgi_app(environ, start_response)
