"""Public pages kept for visitors who are not signed in (app/core/pagecache.py).

A kept page is served without a database statement; any write shows on the very next page; a
signed-in person, a flashed message, another language or an error is never served from it nor
kept; each visitor gets a CSRF token of their own that the forms accept.
"""

import json
import os
import re
import zlib

import pytest
import redis

from app import create_app
from app.core import cache, pagecache
from app.extensions import db
from app.ideas import services
from bench.querycount import count_queries
from tests.factories import login, make_user
from tests.ideas.factories import make_idea

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|name="csrf-token" content="([^"]+)"')


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAGE_CACHE_SECONDS": 30}


def _token(html: str) -> str | None:
    found = TOKEN.search(html)
    return next((group for group in found.groups() if group), None) if found else None


def _without_token(html: str) -> str:
    token = _token(html)
    return html.replace(token, "TOKEN") if token else html


def test_a_second_visitor_gets_the_kept_page_without_touching_the_database(app):
    idea = make_idea(title="Benker ved fjorden")
    first = app.test_client().get(f"/ideas/{idea.id}")
    assert first.status_code == 200
    with count_queries() as log:
        second = app.test_client().get(f"/ideas/{idea.id}")
    assert log.count == 0
    assert second.status_code == 200
    assert "Benker ved fjorden" in second.get_data(as_text=True)
    assert _without_token(second.get_data(as_text=True)) == _without_token(first.get_data(as_text=True))
    # The security headers are the app's own on every answer, kept or not.
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    # A HEAD is answered from it too.
    with count_queries() as log:
        assert app.test_client().head(f"/ideas/{idea.id}").status_code == 200
    assert log.count == 0


def test_any_write_shows_on_the_very_next_page(app):
    idea = make_idea(title="Lys i lysløypa")
    page = app.test_client().get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "data-vote-count>0<" in page
    services.vote_for_idea(make_user(), idea.id)  # a write: a new generation of pages
    with count_queries() as log:
        again = app.test_client().get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert log.count > 0
    assert again != page
    assert "data-vote-count>1<" in again
    # And a new idea is on the list at once.
    app.test_client().get("/ideas")
    make_idea(title="Gapahuk ved Storvatnet")
    assert "Gapahuk ved Storvatnet" in app.test_client().get("/ideas").get_data(as_text=True)


def test_each_visitor_gets_a_csrf_token_of_their_own_that_the_forms_accept(app_config):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        make_idea(title="Sykkelstativ ved skolen")
        anna, bjorn = app.test_client(), app.test_client()
        first = anna.get("/ideas").get_data(as_text=True)
        with count_queries() as log:
            second = bjorn.get("/ideas")
        assert log.count == 0  # kept
        assert second.headers.get("Set-Cookie", "").startswith("session=")  # Bjørn's own session
        token_anna, token_bjorn = _token(first), _token(second.get_data(as_text=True))
        assert token_anna and token_bjorn and token_anna != token_bjorn
        # Anna's token is worthless in Bjørn's session; his own works.
        refused = bjorn.post("/password/forgot", data={"email": "ingen@example.no", "csrf_token": token_anna})
        assert refused.status_code == 400
        accepted = bjorn.post("/password/forgot", data={"email": "ingen@example.no", "csrf_token": token_bjorn})
        assert accepted.status_code == 200
        db.session.remove()


def test_a_returning_visitor_is_served_from_it_again_and_again(app):
    make_idea(title="Bedre busstilbud")
    visitor = app.test_client()
    visitor.get("/ideas")
    for _ in range(3):
        with count_queries() as log:
            assert "Bedre busstilbud" in visitor.get("/ideas").get_data(as_text=True)
        assert log.count == 0


def test_a_page_that_shows_the_token_in_its_text_is_not_kept(app_config):
    """Someone who searches for their own token (or writes it in a comment) in the second it is
    valid must not get every later visitor's token placed in that text."""
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        make_idea(title="Skøytebane på torget")
        mallory = app.test_client()
        for _ in range(5):  # the token carries a timestamp: try again if a second ticked over
            token = _token(mallory.get("/ideas").get_data(as_text=True))
            page = mallory.get(f"/ideas?q={token}").get_data(as_text=True)
            if _token(page) == token:
                break
        assert _token(page) == token and page.count(token) > 2
        victim = app.test_client()
        with count_queries() as log:
            seen = victim.get(f"/ideas?q={token}").get_data(as_text=True)
        assert log.count > 0  # rendered for the victim, not kept from Mallory's
        own = _token(seen)
        # The victim's own token is in the CSRF fields only, never in the search text or links.
        assert own != token and seen.count(own) == sum(seen.count(f) for f in pagecache._token_fields(own))
        db.session.remove()


def test_a_message_flashed_and_shown_in_the_same_request_is_not_kept(app_config):
    from flask import flash, get_flashed_messages

    app = create_app(app_config)

    @app.get("/flash-here")
    @pagecache.public_page
    def flash_here():
        flash("Bare til deg")
        return "<!doctype html><p>" + " ".join(get_flashed_messages()) + "</p>"

    with app.app_context():
        assert "Bare til deg" in app.test_client().get("/flash-here").get_data(as_text=True)
        assert cache.read_bytes(cache.slot(pagecache.TOPIC, (pagecache._release(), "/flash-here?", "nb"))) is None


def test_a_savepoint_rolled_back_keeps_what_the_transaction_wrote_before_it(app):
    idea = make_idea(title="Før endringen")
    app.test_client().get(f"/ideas/{idea.id}")
    idea.title = "Etter endringen"
    db.session.flush()
    savepoint = db.session.begin_nested()
    savepoint.rollback()
    db.session.commit()
    assert "Etter endringen" in app.test_client().get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_a_signed_in_person_neither_fills_nor_reads_the_kept_page(app):
    idea = make_idea(title="Toalett ved badeplassen")
    person = make_user(name="Sigrid Innlogget")
    signed_in = app.test_client()
    login(signed_in, person)
    own = signed_in.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Logg ut" in own
    anonymous = app.test_client().get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Logg ut" not in anonymous and "Sigrid Innlogget" not in anonymous.split("<main")[0]
    # The kept page is there now; the signed-in person still gets a page of their own.
    with count_queries() as log:
        again = signed_in.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert log.count > 0
    assert "Logg ut" in again


def test_languages_are_kept_apart(app):
    make_idea(title="Fortau langs skoleveien")
    assert 'lang="nb"' in app.test_client().get("/ideas").get_data(as_text=True)
    english = app.test_client().get("/ideas", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="en"' in english
    nynorsk = app.test_client().get("/ideas?lang=nn")
    assert 'lang="nn"' in nynorsk.get_data(as_text=True)
    assert "lang=nn" in nynorsk.headers.get("Set-Cookie", "")  # the choice is remembered as before
    # The cookie is the visitor's: the kept nynorsk page does not set it for the next one's nb.
    assert 'lang="nb"' in app.test_client().get("/ideas").get_data(as_text=True)


def test_a_flashed_message_is_neither_kept_nor_served_from_the_kept_page(app):
    make_idea(title="Vannpost i parken")
    app.test_client().get("/")  # kept
    visitor = app.test_client()
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "Melding bare til deg")]
    own = visitor.get("/").get_data(as_text=True)
    assert "Melding bare til deg" in own
    assert "Melding bare til deg" not in app.test_client().get("/").get_data(as_text=True)


def test_only_marked_pages_and_only_successful_pages_are_kept(app):
    app.test_client().get("/ideas/999999")
    with count_queries() as log:
        assert app.test_client().get("/ideas/999999").status_code == 404
    assert log.count > 0
    # The login page is not marked: its form is rendered for each visitor.
    assert not getattr(app.view_functions["accounts.login"], "public_page", False)
    assert getattr(app.view_functions["ideas.index"], "public_page", False)


def test_no_visitor_data_in_the_key_and_nothing_kept_when_turned_off(app):
    app.config["PAGE_CACHE_SECONDS"] = 0
    make_idea()
    app.test_client().get("/ideas")
    with count_queries() as log:
        app.test_client().get("/ideas")
    assert log.count > 0
    app.config["PAGE_CACHE_SECONDS"] = 30
    page = app.test_client().get("/ideas?sort=votes", headers={"Host": "medvirk.test:8443"})
    assert page.status_code == 200
    # Kept under the address, the language and the release: nothing of the visitor or the port.
    where = cache.slot(pagecache.TOPIC, (pagecache._release(), "/ideas?sort=votes", "nb"))
    assert cache.read_bytes(where) is not None


@pytest.mark.parametrize("stored", [b"not zlib", zlib.compress(b"[1, 2]"), zlib.compress(b'{"headers": []}'),
                                    zlib.compress(b'{"body": 7, "headers": []}'),
                                    zlib.compress(b'{"body": "x", "headers": [[1, 2, 3]]}')])
def test_a_kept_entry_of_another_shape_is_rendered_afresh_not_an_error(app, stored):
    """An entry written by an older release (same static files, other code) is no page."""
    make_idea(title="Sandkasse i barnehagen")
    app.test_client().get("/ideas")
    cache.keep_bytes(cache.slot(pagecache.TOPIC, (pagecache._release(), "/ideas?", "nb")), stored, 30)
    page = app.test_client().get("/ideas")
    assert page.status_code == 200 and "Sandkasse i barnehagen" in page.get_data(as_text=True)


@pytest.mark.skipif(
    not REDIS_URL and os.environ.get("REQUIRE_REDIS") != "1",
    reason="TEST_REDIS_URL is not set (CI sets it)",
)
def test_with_redis_every_worker_serves_the_kept_page_and_a_write_in_one_reaches_the_other(app, app_config):
    assert REDIS_URL, "REQUIRE_REDIS=1 but TEST_REDIS_URL is not set"
    redis.Redis.from_url(REDIS_URL).flushdb()
    config = {**app_config, "REDIS_URL": REDIS_URL}
    worker_a, worker_b = create_app(config), create_app(config)
    with worker_a.app_context():
        idea = make_idea(title="Ladestasjon ved rådhuset")
        worker_a.test_client().get(f"/ideas/{idea.id}")
        db.session.remove()
    with worker_b.app_context():
        with count_queries() as log:
            page = worker_b.test_client().get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert log.count == 0  # worker A's page, from Redis
        assert "Ladestasjon ved rådhuset" in page
        services.vote_for_idea(make_user(), idea.id)  # written in worker B
        db.session.remove()
    with worker_a.app_context():
        assert "data-vote-count>1<" in worker_a.test_client().get(f"/ideas/{idea.id}").get_data(as_text=True)
        db.session.remove()


def test_the_apis_public_reads_are_kept_for_callers_without_a_token_and_never_mixed_with_a_callers_own(app):
    from app.accounts import services as accounts

    author = make_user(name="Tone Tokenbruker")
    idea = make_idea(title="Benk ved bussholdeplassen", author=author)
    _token, raw = accounts.create_api_token(author, "test")
    bearer = {"Authorization": f"Bearer {raw}"}
    mine = "/api/v1/ideas?mine=1"
    # The caller with a token gets their own answer, and it is not kept for anyone else.
    own = app.test_client().get(mine, headers=bearer).get_json()
    assert [item["id"] for item in own["items"]] == [idea.id]
    anonymous = app.test_client().get(mine).get_json()
    assert anonymous != own
    with count_queries() as log:
        assert app.test_client().get(mine).get_json() == anonymous  # kept for callers without a token
    assert log.count == 0
    assert app.test_client().get(mine, headers=bearer).get_json() == own  # not served the kept one
    # A write shows at once, in the JSON as on the pages.
    with count_queries() as log:
        listed = app.test_client().get("/api/v1/ideas").get_json()
    assert log.count > 0
    assert app.test_client().get("/api/v1/ideas").get_json() == listed
    services.vote_for_idea(make_user(), idea.id)
    again = app.test_client().get(f"/api/v1/ideas/{idea.id}")
    assert again.mimetype == "application/json" and again.get_json()["vote_count"] == 1
    assert app.test_client().get("/api/v1/ideas").get_json() != listed



def test_what_the_rate_limiter_counted_for_one_caller_is_not_kept_for_the_next(app):
    make_idea(title="Drikkevann ved lekeplassen")
    first = app.test_client().get("/api/v1/ideas")
    assert "X-RateLimit-Remaining" in first.headers  # the limiter counts the API's reads
    with app.test_request_context("/api/v1/ideas"):
        where = cache.slot(pagecache.TOPIC, (pagecache._release(), "/api/v1/ideas?", "nb"))
        kept = json.loads(zlib.decompress(cache.read_bytes(where)))
    assert kept["body"] == first.get_data(as_text=True)
    assert not [k for k, _v in kept["headers"] if k.lower().startswith("x-ratelimit") or k.lower() == "retry-after"]
    # The next caller is counted afresh, and told their own figures once.
    second = app.test_client().get("/api/v1/ideas")
    assert second.get_data() == first.get_data()
    assert second.headers.getlist("X-RateLimit-Remaining") == [str(int(first.headers["X-RateLimit-Remaining"]) - 1)]


def test_a_part_made_from_what_was_read_before_a_write_is_never_served_after_it(app):
    """generation_now() taken before the view reads: a write meanwhile (another tab's comment)
    leaves what the view then keeps where no later look finds it."""
    with app.test_request_context("/ideas/1"):
        since = pagecache.generation_now()
        make_user()  # a write after the view read, before it kept what it read
        assert pagecache.kept_fragment("part", (), lambda: "as read before", since=since) == "as read before"
    with app.test_request_context("/ideas/1"):
        assert pagecache.kept_fragment("part", (), lambda: "as it is now") == "as it is now"
        assert pagecache.kept_fragment("part", (), lambda: "rendered again") == "as it is now"  # kept now
