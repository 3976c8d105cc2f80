"""The idea page shows the discussion a page of threads at a time, and a comment's link (from a
notice, or back from signing in) finds the page it is on."""

import re

from sqlalchemy import select

from app.accounts.models import User
from app.comments import queries
from app.extensions import db
from app.notifications.models import Notice
from tests.comments.factories import make_comment, make_idea
from tests.factories import login, make_user


def _idea_page(client, idea, **params) -> str:
    response = client.get(f"/ideas/{idea.id}", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _top_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="comment" id="comment-(\d+)"', html)]


def _threads(idea, count: int, people) -> list:
    return [make_comment(idea, author=people[n % len(people)], body=f"Innlegg {idea.id}-{n}") for n in range(count)]


def test_the_idea_page_shows_the_first_page_of_threads_and_a_link_to_the_next(client):
    people = [make_user(f"Person Nummer{n}") for n in range(3)]
    idea = make_idea()
    tops = _threads(idea, queries.THREAD_PAGE_SIZE + 3, people)
    html = _idea_page(client, idea)
    assert _top_ids(html) == [c.id for c in tops[:queries.THREAD_PAGE_SIZE]]
    # A plain link (no JavaScript), in a named navigation landmark, back to the discussion.
    assert 'aria-label="Sider i diskusjonen"' in html
    assert f'href="/ideas/{idea.id}?cpage=2#comments" rel="next"' in html
    page2 = _idea_page(client, idea, cpage=2)
    assert _top_ids(page2) == [c.id for c in tops[queries.THREAD_PAGE_SIZE:]]
    assert 'aria-current="page"' in page2 and 'rel="prev"' in page2
    # The heading still counts every comment, not only the page's.
    assert f"({queries.THREAD_PAGE_SIZE + 3} kommentarer)" in page2


def test_newest_first_pages_from_the_newest(client):
    idea = make_idea()
    tops = _threads(idea, queries.THREAD_PAGE_SIZE + 2, [make_user()])
    html = _idea_page(client, idea, comments="newest")
    assert _top_ids(html) == [c.id for c in reversed(tops)][:queries.THREAD_PAGE_SIZE]
    assert "comments=newest&amp;cpage=2#comments" in html


def test_a_page_past_the_end_shows_the_last_page(client):
    idea = make_idea()
    tops = _threads(idea, queries.THREAD_PAGE_SIZE + 1, [make_user()])
    assert _top_ids(_idea_page(client, idea, cpage=40)) == [tops[-1].id]


def test_a_short_discussion_has_no_page_links(client):
    idea = make_idea()
    _threads(idea, 3, [make_user()])
    html = _idea_page(client, idea)
    assert len(_top_ids(html)) == 3
    assert "Sider i diskusjonen" not in html


def test_a_comments_link_lands_on_the_page_where_it_is(client):
    people = [make_user(f"Person Nummer{n}") for n in range(3)]
    idea = make_idea()
    tops = _threads(idea, queries.THREAD_PAGE_SIZE + 2, people)
    late = tops[-1]
    reply = make_comment(idea, author=people[0], body="Et svar langt ned", parent=late)
    first = client.get(f"/comments/{tops[0].id}")
    assert first.status_code == 303
    assert first.headers["Location"].endswith(f"/ideas/{idea.id}#comment-{tops[0].id}")
    for comment in (late, reply):
        response = client.get(f"/comments/{comment.id}")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/ideas/{idea.id}?cpage=2#comment-{comment.id}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="comment-{reply.id}"' in html


def test_the_notice_of_a_reply_links_to_the_comment_on_its_page(client):
    people = [make_user(f"Person Nummer{n}") for n in range(3)]
    idea = make_idea()
    tops = _threads(idea, queries.THREAD_PAGE_SIZE + 1, people)
    replier = make_user("Kari Svarer")
    reply = make_comment(idea, author=replier, body="Jeg er enig", parent=tops[-1])
    notice = db.session.scalars(
        select(Notice).where(Notice.user_id == tops[-1].author_id, Notice.kind == "comments.reply")
    ).one()
    assert notice.url == f"/comments/{reply.id}"
    response = client.get(notice.url)
    assert response.headers["Location"].endswith(f"?cpage=2#comment-{reply.id}")


def test_a_comment_on_a_hidden_idea_has_no_link_for_visitors(client):
    idea = make_idea()
    comment = make_comment(idea)
    idea.visibility = idea.visibility.__class__("hidden")
    db.session.commit()
    assert client.get(f"/comments/{comment.id}").status_code == 404
    assert client.get("/comments/999999").status_code == 404


def test_sign_in_to_reply_comes_back_to_the_comment(client):
    idea = make_idea()
    comment = make_comment(idea)
    html = _idea_page(client, idea)
    assert f"/login?next=/comments/{comment.id}" in html


def test_the_idea_page_costs_the_same_statements_at_3_and_40_threads(app, client, count_queries):
    people = [make_user(f"Person Nummer{n}") for n in range(4)]
    viewer = make_user("Vera Leser")
    viewer_id = viewer.id
    ideas = {}
    for size in (3, 40):
        idea = make_idea()
        for top in _threads(idea, size, people)[::3]:
            make_comment(idea, author=people[1], body=f"Svar til {top.id}", parent=top)
        ideas[size] = idea.id
    counts = {}
    for signed_in in (False, True):
        if signed_in:
            login(client, db.session.get(User, viewer_id))
        for size, idea_id in ideas.items():
            client.get(f"/ideas/{idea_id}")  # warm: first-request work is not the page's cost
            db.session.remove()
            with count_queries() as counter:
                assert client.get(f"/ideas/{idea_id}").status_code == 200
            db.session.remove()
            counts[signed_in, size] = counter.count
    assert counts[False, 3] == counts[False, 40] and counts[True, 3] == counts[True, 40], counts
    assert max(counts.values()) <= 8, counts
