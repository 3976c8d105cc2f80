"""Every page of the browser page table has a meta description, through the test client (no
browser): the demo municipality, each page as its person sees it. Idea and project pages
describe themselves with an excerpt."""

import re
import secrets

import pytest

from app.core.text import excerpt

META = re.compile(r'<meta name="description" content="([^"]*)">')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from app import create_app
    from tests.browser.conftest import _seed
    from tests.browser.helpers import Site, make_png

    base = tmp_path_factory.mktemp("meta-site")
    url = "http://medvik.example"
    app = create_app({
        "TESTING": True, "SECRET_KEY": secrets.token_hex(16), "SITE_URL": url,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'medvirk.db'}", "MAIL_ASYNC": False,
        "MAIL_SERVER": "", "UPLOAD_DIR": str(base / "uploads"), "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://", "WTF_CSRF_ENABLED": False,
        "OPEN_DATA_FOLDER": str(base / "open-data"),
    })
    _seed(app)
    site = Site(app, url, smtp=None)
    site.add_examples(make_png(base / "brygga.png"))
    return site


def _pages():
    from tests.browser.pages import PAGES

    return PAGES


@pytest.mark.parametrize("spec", _pages(), ids=[p.name for p in _pages()])
def test_every_page_has_a_meta_description(site, spec):
    from app.demo import DEMO_PASSWORD
    from tests.browser.pages import email_of, resolve

    path = resolve(site, spec)
    client = site.app.test_client()
    email = email_of(site, spec.who)
    if email:
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD},
                               base_url=site.url)
        assert response.status_code == 302, f"{spec.name}: could not sign in as {email}"
    response = client.get(path, base_url=site.url)
    assert response.status_code == spec.status, f"{spec.name}: {path} answered {response.status_code}"
    found = META.findall(response.get_data(as_text=True))
    assert len(found) == 1, f"{spec.name}: {len(found)} meta descriptions"
    assert len(found[0].strip()) >= 20, f"{spec.name}: meta description {found[0]!r}"


def test_idea_and_project_pages_describe_themselves_with_an_excerpt(site):
    from sqlalchemy import select

    from app.ideas.models import Idea, Visibility
    from app.portfolio.models import Project

    with site.context() as session:
        idea = session.scalars(select(Idea).where(Idea.visibility == Visibility.VISIBLE)).first()
        project = session.scalars(select(Project).where(Project.public.is_(True), Project.description != "")).first()
        idea_path, idea_text = f"/ideas/{idea.id}", excerpt(idea.body, 160)
        project_path, project_text = f"/portfolio/projects/{project.id}", excerpt(project.description, 160)
    from markupsafe import escape

    client = site.app.test_client()
    for path, text in ((idea_path, idea_text), (project_path, project_text)):
        html = client.get(path, base_url=site.url).get_data(as_text=True)
        assert META.findall(html) == [str(escape(text))]
