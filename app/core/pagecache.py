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
- only a 200 HTML or JSON answer is kept (the API's public reads are marked too, for callers
  without a token or a session), and not when the view set `Cache-Control: private`
  or `no-store`, or changed the session beyond the CSRF token (a flashed message);
- the CSRF token in a kept page belongs to the visitor it was rendered for; each visitor
  served from the cache gets their own in its place, and their session as before. Only the
  form fields and the meta tag are replaced, and a page that shows the token anywhere else
  (someone searched for it, or wrote it in a comment) is not kept;
- nothing about the visitor goes in: the key is the address, the language and the release
  (the static files' names, so a page never names files of another release).

Without Redis each process keeps its own pages, and a write in one process starts afresh only
there: other workers may show a page up to PAGE_CACHE_SECONDS old. Set REDIS_URL when several
workers serve the site.

    @bp.get("/ideas")
    @public_page
    def index(): ...

A part of a page that is the same for every signed-in person who may see the same things (the
prioritisation board for staff with the same areas and rights, an idea's content for people
who may do the same things on it) is kept the same way, in the same generation, with
`kept_fragment`: what of the viewer the part shows goes in its key, and the CSRF token in its
forms is replaced by the viewer's own.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Hashable
from typing import Literal

from flask import Flask, current_app, g, message_flashed, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.core import cache
from app.core.i18n import current_locale

TOPIC = "pages"
# A visitor who has not signed in: the CSRF token, and Flask-Login's note that the session
# holds no fresh sign-in (set on a returning visitor's session).
_SESSION_KEYS = frozenset({"csrf_token", "_fresh"})
_RELEASE = "page_cache_release"
_DROPPED_HEADERS = frozenset({"set-cookie", "content-length", "vary", "date", "retry-after"})
_KEPT_TYPES = frozenset({"text/html", "application/json"})


def public_page(view):
    """Mark a view whose page is the same for every visitor who is not signed in."""
    view.public_page = True
    return view


def init_app(app: Flask) -> None:
    cache.watch_every(TOPIC)
    app.before_request(_serve_kept_page)
    app.after_request(_keep_page)
    message_flashed.connect(_flashed, app)


def _flashed(sender, message, category, **extra) -> None:
    g.page_flashed = True


def _release() -> str:
    """The static files' hashed names in use, as a short digest (read once per process)."""
    release = current_app.extensions.get(_RELEASE)
    if release is None:
        files = current_app.extensions.get("static_files")
        names = sorted(files.manifest.items()) if files is not None else []
        release = hashlib.sha1(repr(names).encode()).hexdigest()[:12]
        current_app.extensions[_RELEASE] = release
    return release


def _token_fields(token: str) -> tuple[str, str]:
    return f'name="csrf_token" value="{token}"', f'name="csrf-token" content="{token}"'


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
    where = cache.slot(TOPIC, (_release(), request.full_path, current_locale()))
    if where is None:
        return None
    g.page_slot = where
    data = cache.read_bytes(where)
    if data is None:
        return None
    try:
        kept = json.loads(zlib.decompress(data))
        body, headers, token = kept["body"], [(str(k), str(v)) for k, v in kept["headers"]], kept.get("csrf")
        if not (isinstance(body, str) and (token is None or isinstance(token, str))):
            raise TypeError("not a kept page")
    except (zlib.error, ValueError, KeyError, TypeError):  # written in another shape (an older release)
        return None
    g.page_served = True
    if token:
        body = _own_token(body, token)
    return current_app.response_class(body, status=200, headers=headers)


def _keep_page(response):
    where = g.get("page_slot")
    if where is None or g.get("page_served") or request.method != "GET":
        return response
    if response.status_code != 200 or response.mimetype not in _KEPT_TYPES or response.is_streamed:
        return response
    control = response.cache_control
    if control.private or control.no_store or not set(session.keys()) <= _SESSION_KEYS:
        return response
    if g.get("page_flashed") or ("_login_user" in g and current_user.is_authenticated):
        return response
    body = response.get_data(as_text=True)
    token = _token_shown(body)
    if token is False:
        return response  # the token is in the text too: it would be handed to every visitor
    # Not the caller's own: the cookie, and what the rate limiter counted for them.
    headers = [(k, v) for k, v in response.headers.items()
               if k.lower() not in _DROPPED_HEADERS and not k.lower().startswith("x-ratelimit")]
    kept = {"body": body, "headers": headers, "csrf": token}
    cache.keep_bytes(where, zlib.compress(json.dumps(kept, ensure_ascii=False).encode(), 1), _seconds())
    return response


def generation_now() -> tuple | None:
    """The pages' generation as of now, for kept_fragment(since=…): take it before reading
    anything the fragment or its key is made of."""
    if _seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return None
    return cache.slot(TOPIC, None)


def kept_fragment(name: str, vary: Hashable | Callable[[], Hashable], render: Callable[[], str], *,
                  address: str | None = None, since: tuple | None = None) -> Markup:
    """The HTML render() returns for this address and language, kept like a public page.

    `vary` is everything of the viewer the fragment shows or is chosen by (their areas, their
    rights, which of the listed ideas they voted for), with a repr that is the same in every
    process; a function is called once the generation is read, so what it reads from the
    database is as new as the fragment. The viewer's CSRF token may stand in the fragment's
    forms (written `name="csrf_token" value="…"`, as macros/forms.html's csrf() does; a WTForms
    `form.csrf_token` field orders its attributes otherwise, and a fragment with one is not
    kept): each viewer it is served to gets their own there, as on a public page; a fragment
    that shows the token anywhere else is not kept. A commit after the generation was read
    leaves what is kept where nobody reads it. `address` stands for the request's path and
    query when the fragment depends on less of them (not on the page number). `since` is the
    generation_now() taken before the view read what `vary` or render() use; by default the
    generation is read here. A page that is kept whole for visitors keeps no parts of its own.
    """
    if _seconds() <= 0 or request.method not in ("GET", "HEAD") or g.get("page_slot") is not None:
        return Markup(render())
    where = since if since is not None else cache.slot(TOPIC, None)
    key = ("fragment", name, _release(), request.full_path if address is None else address, current_locale(),
           vary() if callable(vary) else vary)
    if where is not None:
        where = (*where[:2], key)
    kept = _read_kept(where)
    if kept is not None:
        html, token = kept
        return Markup(_own_token(html, token) if token else html)
    flashed = g.get("page_flashed")
    html = render()
    token = _token_shown(html)
    if g.get("page_flashed") == flashed and token is not False:
        kept = {"html": html, "csrf": token}
        cache.keep_bytes(where, zlib.compress(json.dumps(kept, ensure_ascii=False).encode(), 1), _seconds())
    return Markup(html)


def _read_kept(where) -> tuple[str, str | None] | None:
    data = cache.read_bytes(where)
    if data is None:
        return None
    try:
        kept = json.loads(zlib.decompress(data))
        html, token = kept["html"], kept.get("csrf")
        if isinstance(html, str) and (token is None or isinstance(token, str)):
            return html, token
    except (zlib.error, ValueError, KeyError, TypeError):  # written in another shape: rendered afresh
        pass
    return None


def _token_shown(html: str) -> str | Literal[False] | None:
    """The CSRF token the HTML holds in its forms and meta tag (None when it holds none), or
    False when it shows the token anywhere else too: that HTML is the viewer's own."""
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if not token or token not in html:
        return None
    if html.count(token) != sum(html.count(field) for field in _token_fields(token)):
        return False
    return token


def _own_token(html: str, kept_token: str) -> str:
    """The kept HTML with this visitor's own CSRF token in place of the one it was kept with."""
    for kept_field, own_field in zip(_token_fields(kept_token), _token_fields(generate_csrf()), strict=True):
        html = html.replace(kept_field, own_field)
    return html
