"""The Atom feeds: valid Atom (parsed by feedparser), what a visitor may see and nothing more,
the idea list's filters, absolute links on SITE_URL, the reader's language, and caching."""

import feedparser
import pytest

from app.ideas.models import IdeaStatus
from app.portfolio.models import ProjectPhase
from tests.factories import login, make_organisation, make_service_area, make_user
from tests.opendata.conftest import answer, make_idea, make_project, move_phase, post_update

SITE = "https://medvik.example"


def parse(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.content_type.startswith("application/atom+xml")
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    # The elements RFC 4287 requires of a feed and of each entry.
    assert feed.feed.id and feed.feed.title and feed.feed.updated
    for entry in feed.entries:
        assert entry.id and entry.title and entry.updated and entry.link.startswith(SITE + "/")
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    return response, feed


def titles(feed) -> list[str]:
    return [e.title for e in feed.entries]


def test_new_ideas_feed_lists_visible_ideas_newest_first_never_hidden_ones(client):
    make_idea(title="Eldre idé om benker", age_days=3)
    make_idea(title="Ny idé om lys i parken", age_days=1)
    make_idea(title="Skjult idé med personangrep", hidden=True)
    response, feed = parse(client, "/feeds/ideas.atom")
    assert titles(feed) == ["Ny idé om lys i parken", "Eldre idé om benker"]
    assert "Skjult" not in response.get_data(as_text=True)
    assert feed.feed.link.startswith(SITE + "/ideas")
    assert any(link.rel == "self" and link.href == SITE + "/feeds/ideas.atom" for link in feed.feed.links)


def test_new_ideas_feed_applies_the_idea_lists_filters(client):
    roads, schools = make_service_area("Vei"), make_service_area("Skole")
    make_idea(title="Fortau langs skoleveien", service_area=roads, sdgs=(11,))
    make_idea(title="Leksehjelp i biblioteket", service_area=schools, sdgs=(4,))
    make_idea(title="Gatelys ved krysset", service_area=roads, status=IdeaStatus.ACCEPTED)
    assert titles(parse(client, f"/feeds/ideas.atom?service_area={roads.id}")[1]) == [
        "Gatelys ved krysset", "Fortau langs skoleveien"]
    assert titles(parse(client, "/feeds/ideas.atom?sdg=4")[1]) == ["Leksehjelp i biblioteket"]
    assert titles(parse(client, "/feeds/ideas.atom?status=accepted")[1]) == ["Gatelys ved krysset"]
    assert titles(parse(client, "/feeds/ideas.atom?q=leksehjelp")[1]) == ["Leksehjelp i biblioteket"]
    # Hostile or personal filters filter nothing they should not: no 500, no one's own list.
    _response, feed = parse(client, "/feeds/ideas.atom?service_area=99999999999&mine=1&voted=1&sdg=x")
    assert len(feed.entries) == 3


def test_feeds_are_bounded_to_fifty_entries(client):
    area = make_service_area()
    for n in range(53):
        make_idea(title=f"Idé {n}", service_area=area, age_days=60 - n)
    _response, feed = parse(client, "/feeds/ideas.atom")
    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Idé 52"


def test_an_idea_is_signed_by_its_organisation_never_by_the_person(client):
    person = make_user(name="Ola Personlig")
    organisation = make_organisation(admin=person, name="Medvik Turlag")
    make_idea(person, title="Turkart for alle", organisation_id=organisation.id)
    make_idea(person, title="Privat forslag")
    response, feed = parse(client, "/feeds/ideas.atom")
    assert "Ola Personlig" not in response.get_data(as_text=True)
    by_title = {e.title: e for e in feed.entries}
    assert by_title["Turkart for alle"].author == "Medvik Turlag"
    assert "author" not in by_title["Privat forslag"] or by_title["Privat forslag"].author != "Ola Personlig"


def test_idea_timeline_has_answers_and_public_project_news_only(client):
    idea = make_idea(title="Badeplass ved Storvatnet")
    answer(idea, IdeaStatus.ACCEPTED, "Vi lager badeplassen til sommeren.")
    public = make_project("Badeplass Storvatnet", ideas=(idea,))
    internal = make_project("Intern budsjettsak", public=False, ideas=(idea,))
    post_update(public, "Sanden er bestilt.")
    post_update(internal, "Intern merknad om budsjett.")
    move_phase(public, ProjectPhase.IN_PROGRESS)
    response, feed = parse(client, f"/feeds/ideas/{idea.id}.atom")
    text = response.get_data(as_text=True)
    assert "Vi lager badeplassen til sommeren." in text
    assert "Sanden er bestilt." in text
    assert "Intern" not in text
    assert feed.entries[-1].title == "Badeplass ved Storvatnet"  # the idea itself, oldest
    assert feed.feed.link == f"{SITE}/ideas/{idea.id}"


def test_hidden_idea_and_internal_project_have_no_feed_even_for_staff(client):
    hidden = make_idea(title="Skjult", hidden=True)
    internal = make_project("Intern", public=False)
    login(client, make_user(role="admin"))
    assert client.get(f"/feeds/ideas/{hidden.id}.atom").status_code == 404
    assert client.get(f"/feeds/projects/{internal.id}.atom").status_code == 404
    assert client.get("/feeds/ideas/999999.atom").status_code == 404
    assert client.get("/feeds/ideas/99999999999.atom").status_code == 404


def test_project_feed_has_updates_and_phase_changes(client):
    project = make_project("Ny lekeplass")
    post_update(project, "Gravingen starter mandag.")
    move_phase(project, ProjectPhase.CANCELLED, "Tomten ble solgt.")
    _response, feed = parse(client, f"/feeds/projects/{project.id}.atom")
    assert [e.get("content", [{}])[0].get("value") for e in feed.entries] == [
        "Tomten ble solgt.", "Gravingen starter mandag."]
    assert feed.entries[0].link == f"{SITE}/portfolio/projects/{project.id}"


def test_answers_feed_has_staff_answers_on_visible_ideas(client):
    seen = make_idea(title="Sykkelparkering ved stasjonen")
    hidden = make_idea(title="Skjult idé", hidden=True)
    answer(seen, IdeaStatus.DECLINED, "Det er ikke plass ved stasjonen.")
    answer(hidden, IdeaStatus.DECLINED, "Et svar på en skjult idé.")
    response, feed = parse(client, "/feeds/answers.atom")
    assert titles(feed) == ["Sykkelparkering ved stasjonen: Avslått"]
    assert "skjult" not in response.get_data(as_text=True).lower()


def test_feed_text_is_in_the_readers_language(app, client):
    from flask_babel import force_locale, gettext

    idea = make_idea(title="Benk")
    answer(idea, IdeaStatus.DECLINED, "Nei.")
    _response, feed = parse(client, "/feeds/answers.atom?lang=en")
    assert feed.feed.language == "en"
    assert titles(feed) == ["Benk: Declined"]
    with app.test_request_context(), force_locale("en"):
        expected = gettext("Kommunens svar – %(name)s", name=app.config["MUNICIPALITY_NAME"])
    assert feed.feed.title == expected  # the catalogue's English


def test_feed_answers_304_to_a_reader_that_has_it(client):
    make_idea(title="Benk")
    response, _feed = parse(client, "/feeds/ideas.atom")
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "max-age=300" in response.headers["Cache-Control"]
    again = client.get("/feeds/ideas.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("template_url", ["/", "/ideas", "/ideas?service_area={area}", "/ideas/{idea}",
                                          "/portfolio/projects/{project}"])
def test_pages_point_to_their_feed(client, template_url):
    area = make_service_area()
    idea = make_idea(service_area=area)
    project = make_project()
    html = client.get(template_url.format(area=area.id, idea=idea.id, project=project.id)).get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml"' in html
    if "service_area" in template_url:
        assert f"/feeds/ideas.atom?service_area={area.id}" in html


def test_control_characters_a_person_typed_do_not_break_the_feed(client):
    idea = make_idea(title="Benk\x01 ved\x1b vannet", body="Tekst\x0bmed\x08kontrolltegn \U0001f642")
    answer(idea, IdeaStatus.DECLINED, "Nei\x0c takk.")
    for url in ("/feeds/ideas.atom", f"/feeds/ideas/{idea.id}.atom", "/feeds/answers.atom"):
        _response, feed = parse(client, url)
        assert "Benk ved vannet" in feed.entries[0].title
    _response, feed = parse(client, "/feeds/ideas.atom")
    assert feed.entries[0].content[0].value == "Tekst medkontrolltegn \U0001f642"  # \x0b is a space


def test_initiatives_feed_follows_an_initiative_to_the_council_and_never_shows_signers(app, client):
    from datetime import date

    from app.initiatives import services as initiative_services
    from tests.initiatives.factories import make_collecting, make_proposal, make_staff

    app.config["POPULATION"] = 100  # two signatures are enough
    proposer = make_user(name="Frida Forslag")
    initiative = make_collecting(proposer, title="Gratis busskort for ungdom")
    for name in ("Signe Synlig", "Hans Hemmelig"):
        initiative_services.sign(make_user(name=name), initiative.id, confirmed_resident=True, show_name=True)
    initiative_services.submit_initiative(proposer, initiative.id)
    staff = make_staff()
    initiative_services.record_decision(staff, initiative.id, initiative_services.DecisionInput(
        case_number="2026/77", meeting_date=initiative_services.local_today(), text="Kommunestyret vedtar forslaget.",
        url="https://einnsyn.no/saksmappe?id=77"))
    initiative_services.record_measure(staff, initiative.id, "Busskortet er innført fra 1. januar.", date.today())
    make_proposal(title="Venter på moderator")
    response, feed = parse(client, "/feeds/initiatives.atom")
    text = response.get_data(as_text=True)
    assert set(titles(feed)) == {
        "Nytt innbyggerforslag: Gratis busskort for ungdom", "Sendt til kommunestyret: Gratis busskort for ungdom",
        "Kommunestyrets vedtak: Gratis busskort for ungdom", "Tiltak etter innbyggerforslaget: Gratis busskort for ungdom"}
    assert all(e.link == f"{SITE}/initiatives/{initiative.id}" for e in feed.entries)
    for secret in ("Signe Synlig", "Hans Hemmelig", "Venter på moderator", "forslag@example.no"):
        assert secret not in text
    page = client.get("/initiatives").get_data(as_text=True)
    assert 'type="application/atom+xml" href="/feeds/initiatives.atom"' in page
