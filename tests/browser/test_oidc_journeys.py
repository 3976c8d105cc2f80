"""Sign-in journeys through a real OpenID Connect provider (idp/server.js), in Chromium.

This module serves its own Medvirk (the demo municipality, with ID-porten and a staff
provider configured) and its own provider; the provider runs on "localhost", Medvirk on
127.0.0.1, so their cookies stay apart as two sites' would.
"""

import itertools
import logging
import re
import secrets
import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.accounts.oidc_provider import CLIENT_SECRET, Idp, default_clients
from tests.browser.conftest import _ErrorRecorder, _fast_limits, _QuietHandler, _seed
from tests.browser.helpers import Site, SmtpSink, format_violations, free_port, login, run_axe

_ids = itertools.count(1)


@pytest.fixture(scope="module")
def oidc_idp():
    # Started before the site, whose port it must know: the site's port is chosen first.
    port = free_port()
    site_url = f"http://127.0.0.1:{port}"
    idp_port = free_port()
    provider = Idp(default_clients(site_url), issuer=f"http://localhost:{idp_port}", port=idp_port)
    provider.site_port = port
    provider.site_url = site_url
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def site(chromium_executable, tmp_path_factory, oidc_idp):
    """Medvirk with both providers, served on the port the provider knows."""
    from app import create_app

    base = tmp_path_factory.mktemp("oidc-site")
    smtp = SmtpSink(free_port())
    smtp.controller.start()
    common = {"issuer": oidc_idp.issuer, "client_secret": CLIENT_SECRET, "key_file": "",
              "groups_claim": "groups", "scopes": "openid profile groups"}
    app = create_app({
        "SECRET_KEY": secrets.token_hex(32),
        "SITE_URL": oidc_idp.site_url,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'medvirk.db'}",
        "MAIL_ASYNC": False, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port,
        "UPLOAD_DIR": str(base / "uploads"),
        "SESSION_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "IDENTITY_PEPPER": secrets.token_hex(16),
        "OIDC_PROVIDERS": {
            "idporten": {**common, "kind": "resident", "client_id": "medvirk",
                         "auth_method": "client_secret_basic",
                         "acr_values": "idporten-loa-substantial", "label": "ID-porten", "role_map": ""},
            "staff": {**common, "kind": "staff", "client_id": "medvirk-staff",
                      "auth_method": "client_secret_post", "acr_values": "",
                      "label": "Medvik kommune",
                      "role_map": "medvirk-moderators=moderator,medvirk-admins=admin"},
        },
    })
    _fast_limits(app)
    _seed(app)
    server = make_server("127.0.0.1", oidc_idp.site_port, app, threaded=True,
                         request_handler=_QuietHandler)
    site = Site(app, oidc_idp.site_url, smtp)
    recorder = _ErrorRecorder(site)
    recorder.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logging.getLogger().addHandler(recorder)
    thread = threading.Thread(target=server.serve_forever, name="medvirk-oidc-live", daemon=True)
    thread.start()
    yield site
    server.shutdown()
    thread.join(timeout=5)
    logging.getLogger().removeHandler(recorder)
    smtp.controller.stop()


def _at_provider(page, account: str) -> None:
    """The provider's own login page: the account, the level it offers, log in."""
    expect(page.get_by_role("heading", name="Testinnlogging")).to_be_visible()
    page.get_by_label("Konto").fill(account)
    page.get_by_role("button", name="Logg inn").click()


def _sign_in(page, account: str, button: str = "Logg inn med ID-porten") -> None:
    page.goto("/login")
    page.get_by_role("main").get_by_role("link", name=button).click()
    _at_provider(page, account)


def _first_time(page, name: str) -> None:
    expect(page.get_by_role("heading", level=1, name="Velkommen")).to_be_visible()
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    page.get_by_label("Fullt navn").fill(name)
    page.get_by_label(re.compile("^Jeg har lest personvernerklæringen")).check()
    page.get_by_role("button", name="Lag kontoen").click()
    expect(page.get_by_text("Velkommen! Kontoen din er klar.")).to_be_visible()


def _user(site: Site, **where):
    from app.accounts.models import User

    with site.context() as session:
        clauses = [getattr(User, k) == v for k, v in where.items()]
        user = session.scalar(select(User).where(*clauses))
        if user is not None:
            session.expunge(user)
        return user


def _role_of(site: Site, full_name: str) -> str:
    return _user(site, full_name=full_name).role.value


def test_resident_verifies_and_votes(new_context, site):
    author = site.new_resident("Anne Forfatter")
    idea_id = site.make_idea(author, f"Benker langs fjordstien ved Brygga {next(_ids)}")
    page = new_context().new_page()
    _sign_in(page, f"journey-vera-{next(_ids)}")
    _first_time(page, "Vera Verifisert")
    page.goto(f"/ideas/{idea_id}")
    box = page.get_by_role("complementary", name="Stem og støtt")
    box.get_by_role("button", name="Stem på idéen").click()
    expect(page.get_by_text("Stemmen din er registrert.").first).to_be_visible()
    page.goto("/profile")
    expect(page.get_by_text("Bekreftet med ID-porten")).to_be_visible()


def test_the_same_person_cannot_make_a_second_account(new_context, site):
    account = f"journey-dina-{next(_ids)}"
    first = new_context().new_page()
    _sign_in(first, account)
    _first_time(first, "Dina Dobbel")
    # The same person, with an e-mail account made some other day, tries to verify it.
    email = site.new_resident("Dina Dobbel")
    second = new_context().new_page()
    login(second, email)
    second.goto("/profile")
    second.get_by_role("button", name="Bekreft med ID-porten").click()
    _at_provider(second, account)
    expect(second.get_by_text(re.compile("Du har allerede en annen konto"))).to_be_visible()
    expect(second.get_by_role("link", name="Til innloggingen")).to_be_visible()
    violations = run_axe(second)
    assert not violations, format_violations(violations)


def test_a_linked_email_account_keeps_its_ideas(new_context, site):
    email = site.new_resident("Lars Lenket")
    title = f"Lys i lysløypa hele vinteren {next(_ids)}"
    site.make_idea(email, title)
    account = f"journey-lars-{next(_ids)}"
    page = new_context().new_page()
    login(page, email)
    page.goto("/profile")
    page.get_by_role("button", name="Bekreft med ID-porten").click()
    _at_provider(page, account)
    expect(page.get_by_text("Kontoen din er nå knyttet til ID-porten.")).to_be_visible()
    # Another day, another browser: ID-porten alone reaches the same account and its idea.
    later = new_context().new_page()
    _sign_in(later, account)
    later.goto("/ideas?mine=1")
    expect(later.get_by_role("link", name=title)).to_be_visible()


def test_staff_get_the_mapped_role_and_lose_it_with_the_group(new_context, site, oidc_idp):
    account = f"journey-staff-{next(_ids)}"
    oidc_idp.set_account(account, name="Sara Saksbehandler", groups=["medvirk-moderators"])
    page = new_context().new_page()
    _sign_in(page, account, "Logg inn som ansatt (Medvik kommune)")
    expect(page).not_to_have_url(re.compile("/login"))
    assert _role_of(site, "Sara Saksbehandler") == "moderator"
    assert _user(site, full_name="Sara Saksbehandler").password_hash == "!oidc"
    # Out of the group in the directory: the next sign-in takes the role away.
    oidc_idp.set_account(account, groups=[])
    later = new_context().new_page()
    _sign_in(later, account, "Logg inn som ansatt (Medvik kommune)")
    expect(later).not_to_have_url(re.compile("/login"))
    assert _role_of(site, "Sara Saksbehandler") == "resident"


def test_logout_ends_both_sessions(new_context, site):
    account = f"journey-lo-{next(_ids)}"
    page = new_context().new_page()
    _sign_in(page, account)
    _first_time(page, "Live Utlogget")
    page.get_by_role("banner").get_by_role("button", name="Logg ut").click()
    # The provider asks once; its answer sends the browser home.
    page.get_by_role("button", name="Logg ut").click()
    expect(page).to_have_url(re.compile(re.escape(site.url) + "/?$"))
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()
    # Signing in again asks at the provider again: its session is gone too.
    page.goto("/login")
    page.get_by_role("main").get_by_role("link", name="Logg inn med ID-porten").click()
    expect(page.get_by_role("heading", name="Testinnlogging")).to_be_visible()


def test_logging_out_at_the_provider_ends_our_session_through_its_frame(new_context, site, oidc_idp):
    # The person leaves at ID-porten (from another service, say). The provider's page frames our
    # front-channel logout; the frame is cross-site (localhost vs 127.0.0.1), so it carries no
    # cookie of ours and the session is found by its sid.
    page = new_context().new_page()
    _sign_in(page, f"journey-fc-{next(_ids)}")
    _first_time(page, "Frida Frontkanal")
    page.goto("/profile")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    with page.expect_response(lambda r: "/frontchannel-logout" in r.url) as framed:
        page.goto(f"{oidc_idp.issuer}/session/end?client_id=medvirk")
        page.get_by_role("button", name="Logg ut").click()
        expect(page.get_by_role("heading", name="Du er logget ut")).to_be_visible()
    assert framed.value.status == 200
    assert not framed.value.request.header_value("cookie")
    page.goto(f"{site.url}/profile")
    expect(page).to_have_url(re.compile("/login"))


def test_the_verify_page_leads_to_id_porten_and_back(new_context, site):
    page = new_context().new_page()
    page.goto("/verify?next=/ideas")
    expect(page.get_by_role("heading", level=1, name="Bekreft hvem du er")).to_be_visible()
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    page.get_by_role("main").get_by_role("link", name="Logg inn med ID-porten").click()
    _at_provider(page, f"journey-back-{next(_ids)}")
    _first_time(page, "Berit Tilbake")
    expect(page).to_have_url(re.compile(r"/ideas$"))
