"""The thread costs a fixed number of SQL queries whatever its length."""

import pytest
from flask import render_template
from flask_login import login_user

from app.accounts.models import User
from app.comments import queries, services
from app.extensions import db
from app.ideas.models import Idea
from tests.comments.factories import make_comment, make_idea
from tests.factories import make_organisation, make_user


def _fill(idea, top_level: int, people, organisation):
    """top_level comments from different people; every third has two replies (one for an
    organisation), one is hidden, one deleted with a reply kept, one edited."""
    tops = []
    for n in range(top_level):
        author = people[n % len(people)]
        top = make_comment(idea, author=author, body=f"Innlegg {idea.id}-{n}",
                           organisation=organisation if n % 4 == 0 and author is people[0] else None)
        tops.append(top)
        if n % 3 == 0:
            make_comment(idea, author=people[(n + 1) % len(people)], body=f"Svar {idea.id}-{n}a", parent=top)
            make_comment(idea, author=people[0], body=f"Svar {idea.id}-{n}b", parent=top, organisation=organisation)
    services.apply_comment_visibility(tops[1], "hidden", hidden_reason="Spam")
    db.session.commit()
    services.delete_comment(tops[0].author, tops[0])
    services.edit_comment(tops[-1].author, tops[-1], "Rettet")


def _render(app, idea_id, viewer_id, count_queries):
    """Load and render the section as the idea page does, counting the queries of both."""
    db.session.expire_all()
    with app.test_request_context(f"/ideas/{idea_id}/comments?comments=newest"):
        app.preprocess_request()  # a fresh request: nothing cached on g from an earlier one
        idea = db.session.get(Idea, idea_id)
        viewer = db.session.get(User, viewer_id) if viewer_id else None
        if viewer is not None:
            login_user(viewer)
        with count_queries() as counter:
            context = queries.thread_section(idea, viewer)
            html = render_template("comments/_section.html", idea=idea, viewer=viewer, **context)
    return counter.count, html, context["thread"]


@pytest.mark.parametrize("logged_in", [False, True])
def test_thread_costs_the_same_queries_at_5_and_50_comments(app, count_queries, logged_in, monkeypatch):
    # Pages of 50 threads here, so that all 50 are on one page (the idea page shows fewer).
    monkeypatch.setattr(queries.load_thread, "__kwdefaults__", {"order": "oldest", "page": 1, "per_page": 50})
    people = [make_user(f"Person Nummer{n}") for n in range(6)]
    organisation = make_organisation(members=(people[0],), name="Nordbygda Velforening")
    viewer = people[0] if logged_in else None
    counts = {}
    for size in (5, 50):
        idea = make_idea()
        _fill(idea, size, people, organisation)
        count, html, thread = _render(app, idea.id, viewer.id if viewer else None, count_queries)
        assert len(thread.entries) == size  # the deleted one stays: it has replies
        assert html.count('class="comment comment--reply') >= size // 3
        assert "Nordbygda Velforening" in html
        assert "Skjult av moderatorene: Spam" in html
        assert "Kommentaren er slettet." in html
        counts[size] = count
    assert counts[5] == counts[50]
    # the page with its replies and count (+ the writer's organisations and the unread-notice count)
    assert counts[50] <= (3 if logged_in else 1)


def test_a_thread_page_holds_at_most_the_page_size_of_top_level_comments(app):
    idea = make_idea()
    for n in range(7):
        make_comment(idea, body=f"Innlegg {n}")
    thread = queries.load_thread(idea, None, per_page=3, page=3)
    assert thread.total == 7 and thread.pages == 3 and len(thread.entries) == 1
    assert thread.window() == [1, 2, 3]


def test_thread_page_of_finds_the_page_of_a_reply_through_its_top_comment(app):
    idea = make_idea()
    tops = [make_comment(idea, body=f"Innlegg {n}") for n in range(5)]
    reply = make_comment(idea, body="Svar", parent=tops[3])
    assert queries.thread_page_of(reply, "oldest", per_page=2) == 2
    assert queries.thread_page_of(reply, "newest", per_page=2) == 1
    assert queries.thread_page_of(tops[4], "oldest", per_page=2) == 3

