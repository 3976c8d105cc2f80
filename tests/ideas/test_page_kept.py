"""The idea page for people who are signed in (app/ideas/views.py: detail): its content and its
discussion are kept for everyone who may do the same things on it, between writes. Each person
sees exactly the page they would see with nothing kept (their vote, their follow, their own
comments, their organisations, their staff controls, their waiting initiative), with a CSRF
token of their own; a second look costs the sign-in and the idea's row; a write shows at once."""

import re

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Role
from app.comments.models import Comment, CommentVisibility
from app.extensions import db
from app.ideas import services
from app.ideas.models import Idea, Visibility
from app.notifications import follows
from bench.querycount import count_queries
from tests.comments.factories import make_comment
from tests.factories import make_organisation, make_service_area, make_user, signed_in
from tests.ideas.factories import make_idea
from tests.initiatives.factories import make_proposal
from tests.portfolio.conftest import make_project

VOTED = "data-vote-note>Du har stemt på denne idéen."  # shown, not the hidden note for the script
FIELD = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
CSRF = re.compile(r'(name="csrf-token" content|name="csrf_token"\s+value)="[^"]*"')


@pytest.fixture
def app_config(app_config):
    # A dozen people sign in from one address: within what the limiter lets through.
    return {**app_config, "PAGE_CACHE_SECONDS": 30, "RATELIMIT_LOGIN": "100 per minute"}


def _main(page: str) -> str:
    """The page's <main>, without the CSRF tokens (each request has its own)."""
    return CSRF.sub("", page[page.index("<main"):page.index("</main>")])


@pytest.fixture
def street(app) -> dict:
    """An idea with a discussion, and people who each see something of their own on its page."""
    area = make_service_area("Vei og trafikk", area_name="Samfunnsutvikling")
    other_area = make_service_area("Grunnskole", area_name="Oppvekst og utdanning")
    author = make_user(name="Aud Forslagsstiller")
    idea = make_idea(author=author, title="Fortau langs Skoleveien", service_area=area)
    commenter = make_user(name="Kåre Kommentar")
    make_comment(idea, commenter, "Enig, det haster før vinteren.")
    hidden = make_comment(idea, commenter, "Noe moderatorene skjulte.")
    db.session.execute(db.update(Comment).where(Comment.id == hidden.id)
                       .values(visibility=CommentVisibility.HIDDEN, hidden_reason="Personangrep"))
    db.session.commit()
    voter = make_user(name="Vigdis Velger")
    services.vote_for_idea(voter, idea.id)
    follower = make_user(name="Frida Følger")
    follows.follow(follower, "idea", idea.id)
    member = make_user(name="Mona Medlem")
    make_organisation(name="Skoleveiens venner", members=(member,))
    manager, other_manager = make_user(role=Role.PORTFOLIO_MANAGER), make_user(role=Role.PORTFOLIO_MANAGER)
    accounts.set_user_areas(None, manager, [area.municipal_area_id])
    accounts.set_user_areas(None, other_manager, [other_area.municipal_area_id])
    # The author's innbyggerforslag from the idea, waiting for the moderators.
    make_proposal(author, from_idea_id=idea.id, title="Fortau langs Skoleveien nå")
    # An internal project of another area: a manager of that area may link the idea to it.
    other_project = make_project("Ny skolestruktur i nord", owner=other_area, public=False)
    everywhere = make_user(role=Role.PORTFOLIO_MANAGER)
    people = {
        "resident": make_user(), "resident_too": make_user(), "author": author, "commenter": commenter,
        "voter": voter, "follower": follower, "member": member, "moderator": make_user(role=Role.MODERATOR),
        "manager": manager, "other_manager": other_manager, "everywhere": everywhere,
        "admin": make_user(role=Role.ADMIN),
    }
    return {"idea": idea, "people": people, "hidden": hidden, "other_project": other_project}


def test_everyone_sees_the_page_they_would_see_with_nothing_kept(app, street):
    address = f"/ideas/{street['idea'].id}"
    clients = signed_in(app, *street["people"].values())
    names = list(street["people"])
    # Twice round: the first look of each fills what is kept or is given what another filled;
    # the second is given what is kept.
    kept = [{name: _main(client.get(address).get_data(as_text=True)) for name, client in zip(names, clients, strict=True)}
            for _round in range(2)]
    app.config["PAGE_CACHE_SECONDS"] = 0
    fresh = {name: _main(client.get(address).get_data(as_text=True)) for name, client in zip(names, clients, strict=True)}
    for name in names:
        assert kept[0][name] == fresh[name], name
        assert kept[1][name] == fresh[name], name
    # What tells them apart is there for the one it belongs to.
    assert VOTED in fresh["voter"] and VOTED not in fresh["resident"]
    assert "Slutt å følge" in fresh["follower"] and "Slutt å følge" not in fresh["resident"]
    assert "Noe moderatorene skjulte." in fresh["commenter"] and "Noe moderatorene skjulte." in fresh["moderator"]
    assert "Noe moderatorene skjulte." not in fresh["resident"]
    assert "Støtt på vegne av Skoleveiens venner" in fresh["member"]
    assert "Skriv som" in fresh["member"] and "Skriv som" not in fresh["resident"]
    assert "Fortau langs Skoleveien nå" in fresh["author"] and "Fortau langs Skoleveien nå" in fresh["moderator"]
    assert "Fortau langs Skoleveien nå" not in fresh["resident"]
    assert "For kommunen: svar på idéen" in fresh["manager"] and "For kommunen: svar på idéen" in fresh["admin"]
    assert "For kommunen: svar på idéen" not in fresh["other_manager"]
    # Two residents who may do the same things see the same page.
    assert fresh["resident"] == fresh["resident_too"]


def _as_kept_and_fresh(app, clients: dict, address: str) -> tuple[list[dict], dict]:
    """Each person's <main> twice with the page cache on (the first look of each fills what is
    kept or is given what another filled; the second is given what is kept), then fresh."""
    kept = [{name: _main(client.get(address).get_data(as_text=True)) for name, client in clients.items()}
            for _round in range(2)]
    app.config["PAGE_CACHE_SECONDS"] = 0
    fresh = {name: _main(client.get(address).get_data(as_text=True)) for name, client in clients.items()}
    app.config["PAGE_CACHE_SECONDS"] = 30
    for name in clients:
        assert kept[0][name] == fresh[name], name
        assert kept[1][name] == fresh[name], name
    return kept, fresh


def test_a_project_picked_in_the_address_shows_only_to_a_manager_who_may_link_it(app, street):
    """The staff controls keep a project picked in the address (?project_pick=) only for a
    manager whose areas it is in: one limited to the idea's area is never given the internal
    project of another area kept for a manager of every area."""
    people = street["people"]
    names = ("everywhere", "manager", "admin")
    clients = dict(zip(names, signed_in(app, *(people[name] for name in names)), strict=True))
    address = f"/ideas/{street['idea'].id}?project_pick={street['other_project'].id}"
    _kept, fresh = _as_kept_and_fresh(app, clients, address)
    assert "Ny skolestruktur i nord" in fresh["everywhere"] and "Ny skolestruktur i nord" in fresh["admin"]
    assert "Ny skolestruktur i nord" not in fresh["manager"]


def test_a_hidden_idea_is_kept_apart_for_its_author_and_its_moderators(app, street):
    idea, people = street["idea"], street["people"]
    db.session.execute(db.update(Idea).where(Idea.id == idea.id)
                       .values(visibility=Visibility.HIDDEN, hidden_reason="Personopplysninger"))
    db.session.commit()
    area_moderator = make_user(role=Role.MODERATOR)
    accounts.set_user_areas(None, area_moderator, [idea.service_area.municipal_area_id])
    elsewhere = make_user(role=Role.MODERATOR)
    accounts.set_user_areas(None, elsewhere, [people["other_manager"].areas[0].id])
    persons = {"author": people["author"], "moderator": people["moderator"], "area_moderator": area_moderator,
               "elsewhere": elsewhere, "resident": people["resident"], "commenter": people["commenter"]}
    clients = dict(zip(persons, signed_in(app, *persons.values()), strict=True))
    _kept, fresh = _as_kept_and_fresh(app, clients, f"/ideas/{idea.id}")
    assert "Fortau langs Skoleveien" in fresh["author"] and "Fortau langs Skoleveien" in fresh["area_moderator"]
    assert "Du ser innholdet fordi du skrev idéen." in fresh["author"]
    assert "Du ser innholdet fordi du skrev idéen." not in fresh["moderator"]
    for outside in ("elsewhere", "resident", "commenter"):
        assert "Fortau langs Skoleveien" not in fresh[outside], outside


def test_a_second_person_costs_the_sign_in_and_the_ideas_row(app, street):
    address = f"/ideas/{street['idea'].id}"
    first, second = signed_in(app, street["people"]["resident"], street["people"]["resident_too"])
    with count_queries() as log:
        first.get(address)
    assert any("thread_page" in sql for sql, _params in log.statements)  # the first look reads it
    with count_queries() as log:
        page = second.get(address).get_data(as_text=True)
    assert "Enig, det haster før vinteren." in page
    # The person, the idea's row, and their menu's counts (counted on their first page).
    assert log.count <= 3, log
    assert not any("thread_page" in sql or "status_changes" in sql for sql, _params in log.statements)


def test_a_comment_shows_on_the_next_look_at_once(app, street):
    idea, people = street["idea"], street["people"]
    address = f"/ideas/{idea.id}"
    reader, writer = signed_in(app, people["resident"], people["resident_too"])
    reader.get(address)
    make_comment(idea, people["resident_too"], "Og en fartsdump ved krysset.")
    page = reader.get(address).get_data(as_text=True)
    assert "Og en fartsdump ved krysset." in page
    # The writer, who now has a comment of their own there, gets its edit link; the reader not.
    own = writer.get(address).get_data(as_text=True)
    mine = db.session.scalar(select(Comment.id).where(Comment.body == "Og en fartsdump ved krysset."))
    assert f"/comments/{mine}/edit" in own and f"/comments/{mine}/edit" not in page


def test_each_person_gets_a_csrf_token_of_their_own_that_the_kept_forms_accept(app, street):
    idea, people = street["idea"], street["people"]
    address = f"/ideas/{idea.id}"
    first, second = signed_in(app, people["resident"], people["resident_too"])
    app.config["WTF_CSRF_ENABLED"] = True
    theirs = FIELD.search(_main_of(first.get(address))).group(1)
    with count_queries() as log:
        page = _main_of(second.get(address))
    assert not any("thread_page" in sql for sql, _params in log.statements)  # kept
    own = FIELD.search(page).group(1)
    assert own != theirs and theirs not in page
    # The first person's token is worthless in the second's session; the one on their page works.
    assert second.post(f"/ideas/{idea.id}/vote", data={"csrf_token": theirs, "action": "add"}).status_code == 400
    assert second.post(f"/ideas/{idea.id}/vote", data={"csrf_token": own, "action": "add"}).status_code == 303
    assert VOTED in second.get(address).get_data(as_text=True)


def _main_of(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.index("<main"):page.index("</main>")]
