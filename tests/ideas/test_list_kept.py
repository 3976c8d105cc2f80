"""The idea list for people who are signed in (app/ideas/views.py: _results): the cards are kept
for everyone who voted for the same ideas of the page, between writes. A second look reads the
page's ids and the person's votes among them, not the cards; each person sees their own "you
voted" tags; a person's own lists are never kept for anyone; a write shows at once."""

import re

import pytest

from app.ideas import services
from bench.querycount import count_queries
from tests.factories import make_user, signed_in
from tests.ideas.factories import make_idea

VOTED = "Du har stemt"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAGE_CACHE_SECONDS": 30}


def _card(page: str, title: str) -> str:
    """The card of the idea titled `title`, from its title to the end of its article."""
    start = page.index(title)
    return page[start:page.index("</article>", start)]


def test_each_person_sees_their_own_votes_on_a_list_kept_for_everyone(app):
    voter, other, third = make_user(), make_user(), make_user()
    ferry = make_idea(title="Hyppigere ferje til øya")
    make_idea(title="Lesesal på biblioteket")
    services.vote_for_idea(voter, ferry.id)
    voter_client, other_client, third_client = signed_in(app, voter, other, third)
    mine = voter_client.get("/ideas").get_data(as_text=True)
    assert VOTED in _card(mine, "Hyppigere ferje til øya")
    assert VOTED not in _card(mine, "Lesesal på biblioteket")
    theirs = other_client.get("/ideas").get_data(as_text=True)
    assert VOTED not in theirs
    # A third person who voted for none of them is given the list kept for the second: the
    # page's ids and their votes among them, no card read.
    with count_queries() as log:
        kept = third_client.get("/ideas").get_data(as_text=True)
    assert VOTED not in kept and "Lesesal på biblioteket" in kept
    assert not any("ideas.title" in sql for sql, _params in log.statements)
    # And the voter, looking again, still has their tag.
    assert VOTED in _card(voter_client.get("/ideas").get_data(as_text=True), "Hyppigere ferje til øya")


def test_a_vote_shows_on_the_next_list_with_its_count_and_tag(app):
    person, onlooker = make_user(), make_user()
    idea = make_idea(title="Flere søppelkasser langs elva")
    client, onlooker_client = signed_in(app, person, onlooker)
    before = _card(client.get("/ideas").get_data(as_text=True), "Flere søppelkasser langs elva")
    assert VOTED not in before and "0 stemmer" in before
    assert "0 stemmer" in _card(onlooker_client.get("/ideas").get_data(as_text=True), "Flere søppelkasser")
    services.vote_for_idea(person, idea.id)
    after = _card(client.get("/ideas").get_data(as_text=True), "Flere søppelkasser langs elva")
    assert VOTED in after and "1 stemme" in after
    # Someone whose votes on the page did not change sees the new count too.
    seen = _card(onlooker_client.get("/ideas").get_data(as_text=True), "Flere søppelkasser langs elva")
    assert VOTED not in seen and "1 stemme" in seen


def test_a_persons_own_lists_are_never_kept_for_another(app):
    author, other = make_user(), make_user()
    make_idea(title="Skateboardrampe i parken", author=author)
    make_idea(title="Julebelysning i sentrum", author=other)
    author_client, other_client = signed_in(app, author, other)
    own = author_client.get("/ideas?mine=1").get_data(as_text=True)
    assert '<ol class="idea-list">' in own  # the list as markup, not as text
    assert "Skateboardrampe i parken" in own and "Julebelysning i sentrum" not in own
    assert 'for="mine">Idéer jeg har foreslått (1)' in own
    # The filter options count the person's own ideas under their own list.
    assert re.search(r'<option value="submitted"[^>]*>[^<]*\(1\)</option>', own)
    theirs = other_client.get("/ideas?mine=1").get_data(as_text=True)
    assert "Julebelysning i sentrum" in theirs and "Skateboardrampe i parken" not in theirs
    everyone = other_client.get("/ideas").get_data(as_text=True)
    assert re.search(r'<option value="submitted"[^>]*>[^<]*\(2\)</option>', everyone)


@pytest.mark.parametrize("query", ["?sort=trending", "?sort=votes", "?q=benk", "?sort=relevance&q=benk"])
def test_every_order_shows_the_list_as_markup(app, query):
    make_idea(title="Benk ved badestranda")
    for client in [*signed_in(app, make_user()), app.test_client()]:
        page = client.get("/ideas" + query).get_data(as_text=True)
        assert '<ol class="idea-list">' in page and "&lt;ol" not in page
        assert "Benk ved badestranda" in page
