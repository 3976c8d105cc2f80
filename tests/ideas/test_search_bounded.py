"""Search ranks a bounded set: the SEARCH_CANDIDATES newest matches by relevance, then the older
ones newest first; the count stays exact and every match is on some page, in every order."""

import pytest

from app.ideas.queries import IdeaFilters, count_ideas, list_ideas
from bench.querycount import count_queries
from tests.ideas.factories import make_idea

PLAIN = "Vi ønsker oss noe nytt i nærmiljøet, til glede for store og små."


def _ids(q: str, sort: str = "", per_page: int = 50, page: int = 1) -> list[int]:
    return [idea.id for idea in list_ideas(IdeaFilters(q=q, sort=sort), None, page, per_page).items]


def _every_page(q: str, sort: str = "", per_page: int = 3) -> list[int]:
    found, page = [], 1
    while chunk := _ids(q, sort, per_page, page):
        found += chunk
        page += 1
    return found


def test_a_small_set_is_ranked_whole_title_first(app):
    in_title = make_idea(title="Lekeplass i Fjordparken", body=PLAIN)
    in_body = make_idea(title="Benker ved vannet", body="Benker, og kanskje en lekeplass for de minste.")
    make_idea(title="Gatelys i sentrum", body=PLAIN)
    # The newer idea has the word only in its description: relevance, not age, decides.
    assert _ids("lekeplass") == [in_title.id, in_body.id]


def test_only_the_newest_candidates_are_ranked_the_rest_follow_newest_first(app):
    app.config["SEARCH_CANDIDATES"] = 3
    older = [make_idea(title=f"Lekeplass nummer {n}", body=PLAIN) for n in range(4)]
    newest_in_body = [make_idea(title=f"Benk nummer {n}", body="En benk ved en lekeplass.") for n in range(2)]
    newest_in_title = make_idea(title="Lekeplass på Nordbygda", body=PLAIN)
    make_idea(title="Gatelys i sentrum", body=PLAIN)
    ranked = [newest_in_title.id, newest_in_body[1].id, newest_in_body[0].id]
    assert _ids("lekeplass") == ranked + [idea.id for idea in reversed(older)]


def test_a_large_match_set_is_paged_without_gaps_or_repeats(app):
    app.config["SEARCH_CANDIDATES"] = 4
    matches = [make_idea(title=f"Lekeplass {n}", body=PLAIN if n % 2 else "Lekeplass, lekeplass!")
               for n in range(11)]
    make_idea(title="Gatelys i sentrum", body=PLAIN)
    hidden = make_idea(title="Skjult lekeplass", hidden=True)
    filters = IdeaFilters(q="lekeplass")
    assert count_ideas(filters, None) == 11
    paged = _every_page("lekeplass")
    assert sorted(paged) == sorted(idea.id for idea in matches)
    assert len(paged) == 11 and hidden.id not in paged
    assert paged == _ids("lekeplass")  # the pages add up to the one long list


@pytest.mark.parametrize("sort", ["newest", "votes", "comments", "trending"])
def test_every_match_is_reachable_in_the_other_orders(app, sort):
    app.config["SEARCH_CANDIDATES"] = 2
    matches = {make_idea(title=f"Lekeplass {n}", body=PLAIN).id for n in range(7)}
    make_idea(title="Gatelys i sentrum", body=PLAIN)
    paged = _every_page("lekeplass", sort)
    assert len(paged) == 7 and set(paged) == matches


@pytest.mark.parametrize("sort", ["newest", "votes", "comments"])
def test_other_orders_with_a_search_do_not_rank(app, sort):
    make_idea(title="Lekeplass i Fjordparken", body=PLAIN)
    with count_queries() as log:
        _ids("lekeplass", sort)
    sql = " ".join(statement for statement, _ in log.statements).lower()
    assert "ts_rank" not in sql and "bm25" not in sql


def test_relevance_ranks_at_most_the_candidates(app):
    make_idea(title="Lekeplass i Fjordparken", body=PLAIN)
    with count_queries() as log:
        _ids("lekeplass")
    ranking = [statement for statement, _ in log.statements if "ts_rank" in statement or "bm25" in statement]
    assert len(ranking) == 1 and "search_candidates" in ranking[0]


def test_websearch_syntax_on_postgresql(app, backend):
    if backend != "postgresql":
        pytest.skip("quotes, -word and or are websearch_to_tsquery's (PostgreSQL)")
    app.config["SEARCH_CANDIDATES"] = 2
    park = make_idea(title="Lekeplass i parken", body=PLAIN)
    school = make_idea(title="Lekeplass ved skolen", body=PLAIN)
    bench = make_idea(title="Benker i parken", body=PLAIN)
    assert _ids("lekeplass -skolen") == [park.id]
    assert set(_ids("lekeplass or benker")) == {park.id, school.id, bench.id}
    assert _ids('"lekeplass ved skolen"') == [school.id]


def test_similar_ideas_rank_only_the_newest_candidates(app):
    """The similar-ideas lookup ranks the SIMILAR_CANDIDATES newest ideas sharing a word: the
    best of those first; an older one, however alike, is left out."""
    from app.ideas.queries import similar_ideas

    oldest_and_closest = make_idea(title="Lekeplass med husker ved skolen", body="Lekeplass med husker.")
    newer = [make_idea(title=f"Benk nummer {n} ved skolen", body=PLAIN) for n in range(3)]
    newest = make_idea(title="Husker på lekeplassen", body=PLAIN)
    text = "Lekeplass med husker ved skolen"
    assert similar_ideas(text, limit=10)[0].id == oldest_and_closest.id
    app.config["SIMILAR_CANDIDATES"] = 4
    found = [idea.id for idea in similar_ideas(text, limit=10)]
    assert oldest_and_closest.id not in found
    assert found[0] == newest.id and set(found) == {newest.id} | {idea.id for idea in newer}
