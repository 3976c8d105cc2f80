"""The user admin's search: a search that finds no one says so, instead of a table of headers."""

from app.accounts.models import Role
from tests.factories import login, make_user


def test_a_search_that_finds_no_one_says_so_without_an_empty_table(client, app):
    login(client, make_user(role=Role.ADMIN))
    html = client.get("/admin/users?q=zzqx").get_data(as_text=True)
    assert "Ingen brukere passer til «zzqx»" in html
    assert "<table" not in html and "<th" not in html


def test_a_search_that_finds_someone_shows_the_table(client, app):
    login(client, make_user(role=Role.ADMIN))
    make_user(name="Solveig Søkbar")
    html = client.get("/admin/users?q=Søkbar").get_data(as_text=True)
    assert "<table" in html and "Solveig Søkbar" in html
    assert "Ingen brukere passer" not in html


def test_a_page_past_the_last_links_back_to_the_first(client, app):
    login(client, make_user(role=Role.ADMIN))
    html = client.get("/admin/users?page=40").get_data(as_text=True)
    assert "Ingen brukere på denne siden." in html and "Gå til første side" in html
    assert "<table" not in html


def test_the_search_words_are_escaped_in_the_message(client, app):
    login(client, make_user(role=Role.ADMIN))
    html = client.get("/admin/users?q=<b>x</b>").get_data(as_text=True)
    assert "«&lt;b&gt;x&lt;/b&gt;»" in html
