"""The browser suite: Medvirk served on a free local port with the demo municipality, a real
SMTP server for its mail, and Debian's Chromium driven through Playwright.

Without /usr/bin/chromium the suite is skipped (install it with `apt-get install -y chromium`);
with REQUIRE_BROWSER=1 (CI) it fails instead, so it can never be skipped silently.

Run only this suite with `make test PYTEST_ARGS="-m browser"` (or leave it out with
`-m "not browser"`). Phone and desktop screenshots land in artifacts/screenshots/.
"""

import logging
import os
import secrets
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import update
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser.helpers import (
    AXE_NPM,
    AXE_STATIC,
    DESKTOP,
    Site,
    SmtpSink,
    fast_password_hash,
    free_port,
    login,
    make_png,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # Under pytest-xdist (--dist loadgroup) the browser tests share one worker, so the
            # demo site behind them is seeded and served once.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if not os.path.exists(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: the browser suite needs it. "
            "Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH)."
        )
        if REQUIRE_BROWSER:
            pytest.fail(message + " REQUIRE_BROWSER=1 forbids skipping.")
        pytest.skip(message + " Skipped; set REQUIRE_BROWSER=1 to make this a failure.")
    if not (AXE_STATIC.exists() or AXE_NPM.exists()):
        pytest.fail("axe-core is missing: run `make vendor`.")
    return CHROMIUM


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass


class _ErrorRecorder(logging.Handler):
    def __init__(self, site: Site):
        super().__init__(level=logging.ERROR)
        self.site = site

    def emit(self, record):
        self.site.server_errors.append(self.format(record))


def _fast_limits(app) -> None:
    # The suite registers, logs in and posts far more than a person would from one address.
    for key, value in list(app.config.items()):
        if isinstance(value, str) and " per " in value and ("RATE" in key or "LIMIT" in key):
            app.config[key] = "100000 per minute"


def _seed(app) -> None:
    from app.accounts import services as accounts
    from app.core.db import utcnow
    from app.core.schema import install_reference_data
    from app.demo import seed_demo
    from app.extensions import db
    from app.notifications.models import OutboxMessage

    with app.app_context():
        db.create_all()
        install_reference_data(db.session.connection())
        db.session.commit()
        mail_server = app.config["MAIL_SERVER"]
        app.config["MAIL_SERVER"] = ""
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(accounts, "generate_password_hash", fast_password_hash)
            seed_demo()
        # Demo notices stay in the outbox as sent: the SMTP server only sees what tests cause.
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).values(sent_at=utcnow())
        )
        db.session.commit()
        app.config["MAIL_SERVER"] = mail_server
        db.session.remove()


@pytest.fixture(scope="session")
def site(chromium_executable, tmp_path_factory):
    from app import create_app

    base = tmp_path_factory.mktemp("browser-site")
    smtp = SmtpSink(free_port())
    smtp.controller.start()
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(32),
            # Production mode needs SITE_URL; the port is known once the server listens (below).
            "SITE_URL": "http://127.0.0.1",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'medvirk.db'}",
            "MAIL_ASYNC": False,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp.port,
            "UPLOAD_DIR": str(base / "uploads"),
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    _fast_limits(app)
    _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["SITE_URL"] = url
    site = Site(app, url, smtp)
    site.add_examples(make_png(base / "brygga.png"))
    recorder = _ErrorRecorder(site)
    recorder.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logging.getLogger().addHandler(recorder)
    thread = threading.Thread(target=server.serve_forever, name="medvirk-live", daemon=True)
    thread.start()
    yield site
    server.shutdown()
    thread.join(timeout=5)
    logging.getLogger().removeHandler(recorder)
    smtp.controller.stop()


@pytest.fixture(scope="session")
def browser(chromium_executable):
    expect.set_options(timeout=7_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _no_server_errors(request):
    """A browser test fails when the server logged an error while it ran (a 500 behind a page)."""
    if "site" not in request.fixturenames:
        yield
        return
    site = request.getfixturevalue("site")
    before = len(site.server_errors)
    yield
    new = site.server_errors[before:]
    if new:
        pytest.fail("the server logged errors during the test:\n" + "\n\n".join(new), pytrace=False)


def _csp_report_only(route):
    """Turn the page's enforced CSP into Report-Only: axe can inject its stylesheets, and any
    violation by the page itself is still reported on the console (and fails the test)."""
    if route.request.resource_type != "document":
        route.continue_()
        return
    response = route.fetch()
    headers = dict(response.headers)
    policy = headers.pop("content-security-policy", None)
    if policy:
        headers["content-security-policy-report-only"] = policy
    route.fulfill(response=response, headers=headers)


@pytest.fixture
def new_context(browser, site):
    """new_context(user=None, lang="nb", js=True, viewport=DESKTOP, csp="enforce"): a fresh context.

    `user` is an e-mail; that person is logged in through the login form once per session and
    the cookies are reused. Every page's console is recorded (errors, CSP violations); with
    csp="report" the policy is reported instead of enforced, which axe needs.
    """
    contexts = []

    def make(user: str | None = None, lang: str = "nb", js: bool = True, viewport: dict | None = None,
             csp: str = "enforce", **options):
        state = None
        if user is not None:
            state = site.login_states.get(user)
            if state is None:
                ctx = browser.new_context(base_url=site.url, locale="nb-NO", viewport=DESKTOP)
                page = ctx.new_page()
                login(page, user)
                state = ctx.storage_state()
                ctx.close()
                site.login_states[user] = state
        context = browser.new_context(
            base_url=site.url,
            locale={"en": "en-GB", "nn": "nn-NO"}.get(lang, "nb-NO"),
            viewport=viewport or DESKTOP,
            java_script_enabled=js,
            storage_state=state,
            **options,
        )
        context.set_default_timeout(10_000)
        if csp == "report":
            context.route("**/*", _csp_report_only)
        context.console_messages = []

        def watch(page):
            page.on(
                "console",
                lambda msg: context.console_messages.append((msg.type, msg.text, msg.location.get("url", ""))),
            )

        context.on("page", watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
