"""The Medvirk application factory."""

import logging
import os
import secrets
import sys
from typing import Any
from urllib.parse import urlencode

from flask import Flask, g, request
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.local import LocalProxy

from app import config as app_config
from app.core.errors import NotAuthenticated
from app.extensions import babel, csrf, db, limiter, login_manager, migrate

BLUEPRINTS = (
    "app.core",
    "app.accounts",
    "app.accessibility",
    "app.ideas",
    "app.comments",
    "app.moderation",
    "app.portfolio",
    "app.initiatives",
    "app.opendata",
    "app.notifications",
    "app.privacy",
    "app.api",
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_path=os.path.join(root, "instance"),
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    register_config(app, overrides)
    register_proxies(app)

    @app.before_request
    def _fresh_request_state():
        # Registered before every extension's hook. A request shares the app context (and
        # so `g`) with an outer one when tests hold one open; nothing from an earlier
        # request (logged-in user, language, counts) may leak into this one.
        g.__dict__.clear()
        refresh()

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_templates(app)
    register_request_hooks(app)
    from app.core import errorpages

    errorpages.register(app)
    return app


def register_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.update(app_config.from_environment())
    if overrides:
        app.config.update(overrides)
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not (app.debug or app.testing)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    if app.testing and "PAGE_CACHE_SECONDS" not in (overrides or {}):
        # Unit tests change settings, the clock and rows past the ORM between two reads of a
        # page; tests/core/test_pagecache.py turns it on.
        app.config["PAGE_CACHE_SECONDS"] = 0
    secret = app.config.get("SECRET_KEY")
    if not secret or secret == app_config.INSECURE_SECRET:
        if app.debug or app.testing:
            app.config["SECRET_KEY"] = app_config.INSECURE_SECRET
        elif not _serves_requests():
            # `flask db upgrade`, `flask users ...`: nothing is signed for a browser here.
            app.config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            raise RuntimeError(
                "SECRET_KEY is not set. Medvirk refuses to start in production without one. "
                "Set a long random value, for example:\n"
                "  export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')\n"
                "(For local development, `make run` starts with --debug and needs none.)"
            )
    if not (app.config.get("SITE_URL") or "").strip() and not (app.debug or app.testing) and _serves_requests():
        raise RuntimeError(
            "SITE_URL is not set. Medvirk refuses to start in production without it: every link "
            "in every e-mail is built from it, never from the Host header of a request. Set the "
            "public address, for example:\n"
            "  export SITE_URL=https://medvirk.medvik.kommune.no\n"
            "(For local development, `make run` starts with --debug and needs none.)"
        )
    from app.core.urls import trusted_hosts

    # Only these hosts are served (400 for any other Host header) once SITE_URL is set.
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def register_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES load balancers, read the client's address and scheme from them.

    Without this every rate limit keyed on the address is one limit for the whole site (the
    balancer's address). Only X-Forwarded-For and -Proto are read, and only as many hops as
    configured, so a client cannot choose its own address; the host name comes from SITE_URL,
    never from X-Forwarded-Host.
    """
    from app.core.http import LowerCaseHost

    app.wsgi_app = LowerCaseHost(app.wsgi_app)
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def _database_options(app: Flask) -> None:
    """Connect and statement timeouts, so a database that is down or frozen is a quick 503.

    PostgreSQL: connect_timeout, and statement_timeout for processes that serve requests
    (a migration from the CLI may take longer); the pool waits no longer than a connect.
    SQLite: how long to wait for a lock held by another writer.
    """
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # A failed statement is logged (errorpages); its parameters are e-mail addresses, names
    # and password hashes, which have no place in a log.
    options.setdefault("hide_parameters", True)
    connect_args = dict(options.get("connect_args") or {})
    uri = str(app.config.get("SQLALCHEMY_DATABASE_URI") or "")
    connect = int(app.config.get("DATABASE_CONNECT_TIMEOUT") or 0)
    statement = int(app.config.get("DATABASE_STATEMENT_TIMEOUT") or 0)
    if uri.startswith("postgresql"):
        if connect > 0:
            connect_args.setdefault("connect_timeout", connect)
            options.setdefault("pool_timeout", connect)
        if statement > 0 and _serves_requests():
            connect_args.setdefault("options", f"-c statement_timeout={statement * 1000}")
    elif uri.startswith("sqlite") and connect > 0:
        connect_args.setdefault("timeout", connect)
    if connect_args:
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _serves_requests() -> bool:
    """False for flask CLI commands other than `flask run`; True under gunicorn and `run`."""
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        return True
    return "run" in sys.argv[1:]


def register_extensions(app: Flask) -> None:
    from app.core import assets, cache, i18n, pagecache, security, urls
    from app.core import input as input_checks

    urls.init_app(app)  # first: a foreign Host is refused before any other hook reads it
    _database_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked in register_request_hooks
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=os.path.join(app.root_path, "translations"),
    )
    if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis", "rediss")):
        # A Redis that hangs must not hold the request: fail fast and count in this process.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5, "socket_connect_timeout": 0.5})
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    i18n.init_app(app)
    security.init_app(app)
    # Static files hashed, compressed and cached for good, served in front of the app.
    assets.init_app(app)
    cache.init_app(app)
    # Bounded path ids (before the blueprints add their rules) and text/JSON checks.
    input_checks.init_app(app)
    # Public pages for visitors who are not signed in, kept briefly (after the checks above).
    pagecache.init_app(app)

    import app.models

    @login_manager.user_loader
    def load_user(user_id: str):
        # "<id>:<session token>" (User.get_id): a session or remember cookie issued before the
        # token changed (logout, password change) finds no one.
        from app.accounts.services import user_for_session_id

        return user_for_session_id(user_id)

    @login_manager.request_loader
    def load_user_from_token(req):
        raw = _bearer_token()
        if raw and req.path.startswith("/api/"):
            from app.accounts.services import user_for_api_token

            return user_for_api_token(raw)
        return None


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[len("Bearer ") :].strip() or None
    return None


def register_blueprints(app: Flask) -> None:
    import importlib

    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)


def register_cli(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.bench_cli import bench_cli
    from app.demo import seed_demo_command
    from app.ideas.cli import counts_cli, uploads_cli
    from app.initiatives.cli import initiatives_cli
    from app.notifications.cli import notifications_cli, outbox_cli
    from app.opendata.cli import opendata_cli
    from app.privacy.cli import privacy_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(uploads_cli)
    app.cli.add_command(counts_cli)
    app.cli.add_command(initiatives_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(bench_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(opendata_cli)


# Public sections in the main navigation, shown once their domain provides the page.
MAIN_NAV = (
    ("ideas.index", _l("Idéer")),
    ("portfolio.portfolio", _l("Portefølje")),
    ("initiatives.index", _l("Innbyggerforslag")),
)


ROLE_NAMES = {
    "resident": _l("Innbygger"),
    "moderator": _l("Moderator"),
    "portfolio_manager": _l("Porteføljeforvalter"),
    "admin": _l("Administrator"),
}


def _staff_nav(app: Flask) -> list[tuple[str, object, int | None]]:
    from app.accounts.permissions import can
    from app.core.navigation import staff_menu

    if not (current_user and current_user.is_authenticated and can(current_user, "staff")):
        return []
    return staff_menu(current_user._get_current_object())


def _link_shown(user, link) -> bool:
    from flask import current_app

    from app.accounts.permissions import can

    return can(user, "staff") and can(user, link.capability) and link.endpoint in current_app.view_functions


def _lang_url(code: str) -> str:
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return request.path + "?" + urlencode(args, doseq=True)


def register_templates(app: Flask) -> None:
    from app.accounts.permissions import can, can_participate, participation_problem
    from app.core import text
    from app.core.i18n import LOCALE_NAMES, LOCALES
    from app.core.navigation import show_links_when
    from app.core.templating import register_filters

    register_filters(app)
    show_links_when(_link_shown)

    @app.context_processor
    def inject():
        return {
            "can": can,
            "can_participate": can_participate,
            "participation_problem": participation_problem,
            "municipality_name": app.config["MUNICIPALITY_NAME"],
            "current_locale": str(get_locale() or app.config["DEFAULT_LOCALE"]),
            "locales": LOCALES,
            "locale_names": LOCALE_NAMES,
            "nav_counts": g.get("nav_counts", {}),
            "main_nav": [(e, label) for e, label in MAIN_NAV if e in app.view_functions],
            "lang_url": _lang_url,
            "role_names": ROLE_NAMES,
            # Worked out when a page shows the menu, not for every template (a notice's text).
            "staff_nav": LocalProxy(lambda: _staff_nav(app)),
        }

    app.jinja_env.filters["plain_text"] = text.plain_text
    app.jinja_env.filters["markdown"] = text.markdown
    app.jinja_env.filters["excerpt"] = text.excerpt


def register_request_hooks(app: Flask) -> None:
    from app.notifications.mail import deliver_after_request

    app.after_request(deliver_after_request)

    @app.before_request
    def _csrf_unless_bearer():
        # A session cookie needs the CSRF token (form field or X-CSRFToken header); a personal
        # API token in the Authorization header is not sent by browsers on their own, so it
        # needs none. But then the token alone says who is calling: an unknown or revoked one
        # is a 401, never a fall back to a session cookie that came along (and skipped CSRF).
        if g.get("database_error") is not None:
            # The rate limit could not look the person up: answer 503 now rather than wait
            # for another connect timeout (app/core/ratelimit.py).
            raise g.database_error
        api = request.path.startswith("/api/")
        if api and "Authorization" in request.headers:
            from app.accounts.services import user_for_api_token

            raw = _bearer_token()
            user = user_for_api_token(raw) if raw else None
            if user is None:
                raise NotAuthenticated(_("API-nøkkelen er ugyldig eller trukket tilbake."))
            g._login_user = user  # what Flask-Login's request loader would set, session or not
            return
        if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            return
        if api and not current_user.is_authenticated:
            # Every API write needs a person: say so (401), not "the form expired" (400).
            raise NotAuthenticated(
                _("Logg inn, eller send en personlig API-nøkkel i Authorization-headeren.")
            )
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if request.endpoint == "accounts.oidc_backchannel_logout":
            return  # server to server: the provider's signed logout token is the proof
        if request.endpoint == "notifications.unsubscribe":
            return  # RFC 8058 one-click POST from the mail provider: the signed link is the proof
        csrf.protect()

    @app.context_processor
    def _user():
        return {"current_user": current_user}
