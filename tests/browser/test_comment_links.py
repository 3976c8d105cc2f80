"""A link to a comment written before the discussion was paged (/ideas/<id>#comment-<n>, no page
number) still lands on the comment, on whichever page of the discussion it now is."""

import re

from playwright.sync_api import expect

from app.comments.queries import THREAD_PAGE_SIZE


def test_an_old_comment_link_finds_the_page_the_comment_is_on(new_context, site):
    author = site.user_email("resident")
    idea_id = site.make_idea(author, "Benker langs elvestien", "Flere benker, så eldre kan hvile på turen.")
    comment_ids = [
        site.make_comment(author, idea_id, f"Innlegg nummer {n} om benkene.")
        for n in range(THREAD_PAGE_SIZE + 3)
    ]
    last = comment_ids[-1]  # oldest first: the last one is on page 2
    page = new_context().new_page()

    page.goto(f"/ideas/{idea_id}?lang=nb#comment-{last}")
    expect(page).to_have_url(re.compile(rf"cpage=2.*#comment-{last}$"))
    expect(page.locator(f"#comment-{last}")).to_be_visible()

    # A comment on the first page: the link is left as it is.
    first = comment_ids[0]
    page.goto(f"/ideas/{idea_id}?lang=nb#comment-{first}")
    expect(page.locator(f"#comment-{first}")).to_be_visible()
    assert "cpage=" not in page.url


def test_a_link_to_a_comment_that_is_gone_does_not_loop(new_context, site):
    author = site.user_email("resident")
    idea_id = site.make_idea(author, "Lys i lysløypa hele vinteren", "Lyset slukkes for tidlig om kvelden.")
    page = new_context().new_page()
    responses = []
    page.on("response", lambda response: responses.append(response.url))
    page.goto(f"/ideas/{idea_id}?lang=nb#comment-999999999")
    page.wait_for_load_state("networkidle")
    # One try at /comments/999999999 (a 404 page), and no further redirects.
    assert sum("/comments/999999999" in url for url in responses) <= 1
