"""Whole public pages kept briefly for visitors who are not signed in.

Most visits to a public page are anonymous, and every one of them sees the same page in a
given language: rendering it afresh for each costs the database and the templates 10–25 ms.
A view marked `@public_page` is kept, rendered, for PAGE_CACHE_SECONDS under its address and
language, in the count cache's store (Redis when REDIS_URL is set, shared by every worker):

- any commit that writes anything through the session starts a new generation of pages, so a
  vote, a comment, an answer or a moderation decision shows on the very next page; what
  changes with the clock alone (a deadline passing) shows within PAGE_CACHE_SECONDS;
- only a request from someone who is not signed in is answered from it or fills it: no
  session but the CSRF token, no remember cookie, no Authorization header, a GET or HEAD;
- only a 200 text/html answer is kept, and not when the view set `Cache-Control: private`
  or `no-store`, or changed the session beyond the CSRF token (a flashed message);
- the CSRF token in a kept page belongs to the visitor it was rendered for; each visitor
  served from the cache gets their own in its place, and their session as before;
- nothing about the visitor goes in: the key is the host, the address and the language.

    @bp.get("/ideas")
    @public_page
    def index(): ...
"""

from __future__ import annotations

import json
import zlib

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.core import cache
from app.core.i18n import current_locale

TOPIC = "pages"
_SESSION_KEYS = frozenset({"csrf_token"})
_DROPPED_HEADERS = frozenset({"set-cookie", "content-length", "vary", "date"})


def public_page(view):
    """Mark a view whose page is the same for every visitor who is not signed in."""
    view.public_page = True
    return view


def init_app(app: Flask) -> None:
    cache.watch_every(TOPIC)
    app.before_request(_serve_kept_page)
    app.after_request(_keep_page)


def _seconds() -> float:
    return float(current_app.config.get("PAGE_CACHE_SECONDS") or 0)


def _anonymous_request() -> bool:
    if request.method not in ("GET", "HEAD") or "Authorization" in request.headers:
        return False
    if request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
        return False
    return set(session.keys()) <= _SESSION_KEYS


def _serve_kept_page():
    if _seconds() <= 0 or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "public_page", False) or not _anonymous_request():
        return None
    where = cache.slot(TOPIC, (request.host, request.full_path, current_locale()))
    if where is None:
        return None
    g.page_slot = where
    data = cache.read_bytes(where)
    if data is None:
        return None
    try:
        kept = json.loads(zlib.decompress(data))
    except (zlib.error, ValueError):  # written by an older release: render afresh
        return None
    g.page_served = True
    body = kept["body"]
    if kept.get("csrf"):
        body = body.replace(kept["csrf"], generate_csrf())
    return current_app.response_class(body, status=200, headers=kept["headers"])


def _keep_page(response):
    where = g.get("page_slot")
    if where is None or g.get("page_served") or request.method != "GET":
        return response
    if response.status_code != 200 or response.mimetype != "text/html" or response.is_streamed:
        return response
    control = response.cache_control
    if control.private or control.no_store or not set(session.keys()) <= _SESSION_KEYS:
        return response
    if "_login_user" in g and current_user.is_authenticated:
        return response
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS]
    kept = {"body": response.get_data(as_text=True), "headers": headers,
            "csrf": g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))}
    cache.keep_bytes(where, zlib.compress(json.dumps(kept, ensure_ascii=False).encode(), 1), _seconds())
    return response
