"""sitemap.xml lists only public things, with absolute addresses and lastmod, and becomes an
index past the protocol's limit; robots.txt keeps crawlers out of staff screens and the API."""

from xml.etree import ElementTree

from app.opendata import sitemap
from tests.opendata.conftest import make_idea, make_project

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://medvik.example"


def locs(response, tag: str = "url") -> list[str]:
    assert response.status_code == 200
    assert response.content_type.startswith("application/xml")
    root = ElementTree.fromstring(response.data)
    return [el.findtext("s:loc", namespaces=NS) for el in root.findall(f"s:{tag}", NS)]


def test_sitemap_lists_public_ideas_and_projects_only(client):
    seen = make_idea(title="Synlig")
    hidden = make_idea(title="Skjult", hidden=True)
    public = make_project("Offentlig")
    internal = make_project("Internt", public=False)
    response = client.get("/sitemap.xml")
    urls = locs(response)
    assert f"{SITE}/ideas/{seen.id}" in urls
    assert f"{SITE}/portfolio/projects/{public.id}" in urls
    assert f"{SITE}/ideas/{hidden.id}" not in urls
    assert f"{SITE}/portfolio/projects/{internal.id}" not in urls
    assert f"{SITE}/" in urls and f"{SITE}/open-data" in urls
    assert all(url.startswith(SITE + "/") for url in urls)
    assert len(urls) == len(set(urls))
    root = ElementTree.fromstring(response.data)
    idea_entry = next(u for u in root.findall("s:url", NS) if u.findtext("s:loc", namespaces=NS).endswith(f"/ideas/{seen.id}"))
    assert idea_entry.findtext("s:lastmod", namespaces=NS).startswith(str(seen.updated_at.year))


def test_past_the_limit_sitemap_xml_is_an_index_of_pages_that_cover_everything_once(client, monkeypatch):
    ideas = [make_idea(title=f"Idé {n}") for n in range(7)]
    projects = [make_project(f"Prosjekt {n}") for n in range(3)]
    statics = len(sitemap.STATIC_ENDPOINTS) + len(sitemap.GOALS)
    monkeypatch.setattr(sitemap, "SITEMAP_LIMIT", 6)
    total = statics + len(ideas) + len(projects)
    pages = locs(client.get("/sitemap.xml"), tag="sitemap")
    assert pages == [f"{SITE}/sitemaps/{n}.xml" for n in range(1, -(-total // 6) + 1)]
    seen = []
    for page in pages:
        urls = locs(client.get(page.removeprefix(SITE)))
        assert len(urls) <= 6
        seen += urls
    assert len(seen) == total == len(set(seen))
    assert {f"{SITE}/ideas/{i.id}" for i in ideas} <= set(seen)
    assert {f"{SITE}/portfolio/projects/{p.id}" for p in projects} <= set(seen)
    assert client.get(f"/sitemaps/{len(pages) + 1}.xml").status_code == 404
    assert client.get("/sitemaps/0.xml").status_code == 404


def test_robots_txt_allows_public_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    text = response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    for line in ("User-agent: *", "Allow: /", "Disallow: /admin", "Disallow: /api", "Disallow: /profile",
                 f"Sitemap: {SITE}/sitemap.xml"):
        assert line in text.splitlines()
