"""The discussion in the browser: thread, posting and replying, errors with kept text, edit, delete."""

import re

from app.comments import services
from app.comments.models import Comment, CommentVisibility
from app.extensions import db
from app.ideas.models import IdeaStatus
from tests.comments.factories import comment_count, make_comment, make_idea
from tests.factories import login, make_organisation, make_user


def _thread(client, idea, **params) -> str:
    response = client.get(f"/ideas/{idea.id}/comments", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _comment_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="comment[^"]*" id="comment-(\d+)"', html)]


# --- reading -------------------------------------------------------------------------------


def test_visitor_reads_the_thread_with_names_dates_and_replies(client):
    idea = make_idea()
    top = make_comment(idea, author=make_user("Ola Nordmann"), body="Godt forslag.")
    make_comment(idea, author=make_user("Kari Hansen"), body="Enig med Ola.", parent=top)
    html = _thread(client, idea)
    assert "Ola Nordmann" in html and "Kari Hansen" in html
    assert "Godt forslag." in html and "Enig med Ola." in html
    assert "comment--reply" in html
    assert "<time datetime=" in html
    assert "2 kommentarer" in html


def test_comment_text_is_escaped_with_paragraphs_and_nofollow_links(client):
    idea = make_idea()
    make_comment(idea, body="<script>alert(1)</script>\n\nSe https://example.no/sak for mer.")
    html = _thread(client, idea)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://example.no/sak" rel="nofollow ugc noopener">' in html
    assert "<p>Se" in html


def test_comment_on_behalf_of_organisation_shows_organisation_with_person_under(client):
    member = make_user("Per Olav Strand")
    organisation = make_organisation(members=(member,), name="Nordbygda Velforening")
    make_comment(make_idea(), author=member, organisation=organisation)
    idea = db.session.scalar(db.select(Comment)).idea
    html = _thread(client, idea)
    assert '<span class="comment__author">Nordbygda Velforening</span>' in html
    assert "skrevet av Per Olav Strand" in html


def test_edited_comment_shows_as_edited(client):
    author = make_user()
    comment = make_comment(make_idea(), author=author, body="Først")
    assert "redigert" not in _thread(client, comment.idea)
    services.edit_comment(author, comment, "Etterpå")
    assert "redigert" in _thread(client, comment.idea)


def test_hidden_comment_is_a_placeholder_with_reason_and_its_replies_stay(client):
    idea = make_idea()
    top = make_comment(idea, body="Stygg tekst her")
    make_comment(idea, body="Et saklig svar", parent=top)
    services.apply_comment_visibility(top, "hidden", hidden_reason="Sjikane")
    db.session.commit()
    html = _thread(client, idea)
    assert "Skjult av moderatorene: Sjikane" in html
    assert "Stygg tekst her" not in html
    assert "Et saklig svar" in html


def test_author_sees_own_hidden_comment_text_with_a_notice(client):
    author = make_user()
    idea = make_idea()
    top = make_comment(idea, author=author, body="Min skjulte tekst")
    services.apply_comment_visibility(top, "hidden", hidden_reason="Personopplysninger")
    db.session.commit()
    login(client, author)
    html = _thread(client, idea)
    assert "Min skjulte tekst" in html
    assert "Skjult av moderatorene: Personopplysninger" in html
    assert "Bare du og moderatorene ser teksten." in html


def test_other_person_does_not_see_hidden_text(client):
    idea = make_idea()
    top = make_comment(idea, body="Min skjulte tekst")
    services.apply_comment_visibility(top, "hidden", hidden_reason="Spam")
    db.session.commit()
    login(client, make_user())
    assert "Min skjulte tekst" not in _thread(client, idea)


def test_deleted_comment_with_replies_shows_as_deleted_and_without_replies_is_gone(client):
    idea = make_idea()
    author = make_user()
    with_replies = make_comment(idea, author=author, body="Tekst med svar")
    make_comment(idea, body="Svaret står", parent=with_replies)
    alone = make_comment(idea, author=author, body="Tekst uten svar")
    services.delete_comment(author, with_replies)
    services.delete_comment(author, alone)
    html = _thread(client, idea)
    assert "Kommentaren er slettet." in html
    assert "Tekst med svar" not in html and "Tekst uten svar" not in html
    assert "Svaret står" in html
    assert f'id="comment-{with_replies.id}"' in html
    assert f'id="comment-{alone.id}"' not in html


def test_deleted_comment_whose_replies_are_all_deleted_is_gone(client):
    idea = make_idea()
    author, replier = make_user(), make_user()
    top = make_comment(idea, author=author)
    reply = make_comment(idea, author=replier, parent=top)
    services.delete_comment(replier, reply)
    services.delete_comment(author, top)
    html = _thread(client, idea)
    assert "Kommentaren er slettet." not in html
    assert "Ingen har kommentert ennå." in html


def test_thread_oldest_first_by_default_and_newest_first_on_request(client):
    idea = make_idea()
    first = make_comment(idea, body="Første")
    second = make_comment(idea, body="Andre")
    reply = make_comment(idea, body="Svar på første", parent=first)
    assert _comment_ids(_thread(client, idea)) == [first.id, reply.id, second.id]
    # Replies read as a conversation under their comment, whatever the order above.
    assert _comment_ids(_thread(client, idea, comments="newest")) == [second.id, first.id, reply.id]


def test_thread_pages_top_level_comments(client, monkeypatch):
    from app.comments import queries

    monkeypatch.setattr(queries, "THREAD_PAGE_SIZE", 2)
    monkeypatch.setattr(queries.load_thread, "__kwdefaults__", {"order": "oldest", "page": 1, "per_page": 2})
    idea = make_idea()
    comments = [make_comment(idea, body=f"Kommentar {n}") for n in range(5)]
    page1 = _thread(client, idea)
    assert _comment_ids(page1) == [comments[0].id, comments[1].id]
    assert "cpage=2" in page1 and 'aria-label="Sider i diskusjonen"' in page1
    assert _comment_ids(_thread(client, idea, cpage=3)) == [comments[4].id]
    # Nonsense and too-high page numbers give a page, never an error.
    assert _comment_ids(_thread(client, idea, cpage="x")) == [comments[0].id, comments[1].id]
    assert _comment_ids(_thread(client, idea, cpage=99)) == [comments[4].id]


# --- who sees which form -------------------------------------------------------------------


def test_visitor_sees_login_link_back_to_the_discussion(client):
    idea = make_idea()
    html = _thread(client, idea)
    assert 'id="comment-body"' not in html
    assert "Logg inn for å kommentere" in html
    assert f"/login?next=/ideas/{idea.id}/comments%23comments" in html


def test_visitor_posting_is_sent_to_login_and_back_to_the_idea(client):
    idea = make_idea()
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Hei på dere"})
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]
    assert f"/ideas/{idea.id}" in response.headers["Location"]
    assert comment_count(idea) == 0


def test_unconfirmed_person_sees_why_they_cannot_comment(client):
    login(client, make_user(confirmed=False))
    html = _thread(client, make_idea())
    assert 'id="comment-body"' not in html
    assert "når du har bekreftet e-postadressen din" in html


def test_blocked_person_sees_why_and_their_text_is_kept_when_they_post(client):
    user = make_user(is_blocked=True, blocked_reason="Sjikane")
    idea = make_idea()
    login(client, user)
    assert "blokkert fra å delta, så du kan ikke kommentere" in _thread(client, idea)
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Min lange tekst"})
    html = response.get_data(as_text=True)
    assert "Kontoen din er blokkert fra å delta" in html
    assert "Min lange tekst" in html
    assert comment_count(idea) == 0


def test_withdrawn_idea_shows_discussion_closed(client):
    idea = make_idea()
    make_comment(idea, body="Skrevet før")
    idea.status = IdeaStatus.WITHDRAWN
    db.session.commit()
    login(client, make_user())
    html = _thread(client, idea)
    assert "diskusjonen er stengt" in html
    assert "Skrevet før" in html
    assert 'id="comment-body"' not in html and "Publiser svaret" not in html


def test_member_of_verified_organisation_can_choose_to_write_as_it(client):
    member = make_user("Per Olav Strand")
    make_organisation(members=(member,), name="Nordbygda Velforening")
    make_organisation(members=(member,), name="Uverifisert lag", verified=False)
    login(client, member)
    html = _thread(client, make_idea())
    assert "Meg selv (Per Olav Strand)" in html
    assert "Nordbygda Velforening</option>" in html
    assert "Uverifisert lag" not in html


def test_author_sees_edit_and_delete_only_on_own_comments(client):
    author = make_user()
    idea = make_idea()
    own = make_comment(idea, author=author)
    other = make_comment(idea)
    login(client, author)
    html = _thread(client, idea)
    assert f"/comments/{own.id}/edit" in html and f"/comments/{own.id}/delete" in html
    assert f"/comments/{other.id}/edit" not in html and f"/comments/{other.id}/delete" not in html


# --- posting -------------------------------------------------------------------------------


def test_resident_posts_a_comment_and_lands_on_it(client):
    idea = make_idea()
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Et godt forslag!"})
    assert response.status_code == 302
    comment = db.session.scalar(db.select(Comment))
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    assert comment_count(idea) == 1
    html = _thread(client, idea)
    assert "Kommentaren din er publisert." in html
    assert "Et godt forslag!" in html


def test_redirect_goes_to_the_page_of_the_thread_where_the_comment_is(client, monkeypatch):
    from app.comments import queries

    monkeypatch.setattr(queries.thread_page_of, "__defaults__", ("oldest", 2))
    idea = make_idea()
    for n in range(4):
        make_comment(idea, body=f"Kommentar {n}")
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Den femte"})
    assert "cpage=3" in response.headers["Location"]
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Den sjette", "comments": "newest"})
    assert "comments=newest" in response.headers["Location"]
    assert "cpage" not in response.headers["Location"]


def test_resident_replies_to_a_comment(client):
    idea = make_idea()
    top = make_comment(idea)
    login(client, make_user())
    response = client.post(
        f"/ideas/{idea.id}/comments", data={"body": "Et svar", "parent_id": str(top.id)}
    )
    assert response.status_code == 302
    reply = db.session.scalar(db.select(Comment).where(Comment.parent_id == top.id))
    assert reply.body == "Et svar"
    assert comment_count(idea) == 2


def test_member_posts_on_behalf_of_verified_organisation(client):
    member = make_user()
    organisation = make_organisation(members=(member,))
    idea = make_idea()
    login(client, member)
    response = client.post(
        f"/ideas/{idea.id}/comments",
        data={"body": "Vi hjelper til", "organisation_id": str(organisation.id)},
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Comment)).organisation_id == organisation.id


def test_posting_for_an_organisation_one_is_not_member_of_is_refused_next_to_the_field(client):
    organisation = make_organisation(admin=make_user(), name="Medvik IL")
    idea = make_idea()
    login(client, make_user())
    response = client.post(
        f"/ideas/{idea.id}/comments",
        data={"body": "Vi i idrettslaget mener", "organisation_id": str(organisation.id)},
    )
    html = response.get_data(as_text=True)
    assert "Du er ikke medlem av Medvik IL" in html
    assert "Vi i idrettslaget mener" in html
    assert comment_count(idea) == 0


def test_too_short_comment_shows_error_next_to_field_and_summary(client):
    idea = make_idea()
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1" in html and html.count("<h1") == 1
    assert 'id="error-summary"' in html
    assert 'href="#body"' in html
    assert 'id="body-error"' in html and "minst 2 tegn" in html
    assert 'aria-invalid="true"' in html
    assert comment_count(idea) == 0


def test_too_long_comment_keeps_everything_that_was_typed(client):
    idea = make_idea()
    text = "Lang tekst. " * 200
    login(client, make_user())
    html = client.post(f"/ideas/{idea.id}/comments", data={"body": text}).get_data(as_text=True)
    assert "høyst 2000 tegn" in html
    assert text.strip() in html


def test_duplicate_comment_is_refused_with_a_clear_message_and_text_kept(client):
    idea = make_idea()
    login(client, make_user())
    client.post(f"/ideas/{idea.id}/comments", data={"body": "Helt enig!"})
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "helt  enig!"})
    html = response.get_data(as_text=True)
    assert "allerede skrevet akkurat denne kommentaren" in html
    assert "helt  enig!" in html
    assert comment_count(idea) == 1


def test_failed_reply_keeps_the_reply_target_and_shows_the_comment_answered(client):
    idea = make_idea()
    top = make_comment(idea, author=make_user("Ola Nordmann"), body="Opprinnelig innlegg")
    login(client, make_user())
    html = client.post(
        f"/ideas/{idea.id}/comments", data={"body": "x", "parent_id": str(top.id)}
    ).get_data(as_text=True)
    assert "Svar på en kommentar" in html
    assert "Ola Nordmann skrev:" in html and "Opprinnelig innlegg" in html
    assert f'name="parent_id" type="hidden" value="{top.id}"' in html


def test_reply_to_a_missing_comment_is_refused_in_the_summary(client):
    idea = make_idea()
    login(client, make_user())
    html = client.post(
        f"/ideas/{idea.id}/comments", data={"body": "Et svar", "parent_id": "999999"}
    ).get_data(as_text=True)
    assert "Fant ikke kommentaren du svarer på" in html
    assert "Et svar" in html


def test_new_comment_page_shows_the_form(client):
    idea = make_idea()
    top = make_comment(idea, body="Det jeg svarer på")
    login(client, make_user())
    response = client.get(f"/ideas/{idea.id}/comments/new", query_string={"parent": top.id})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Det jeg svarer på" in html
    assert 'for="body"' in html


def test_comment_on_a_missing_idea_is_not_found(client):
    login(client, make_user())
    assert client.post("/ideas/424242/comments", data={"body": "Hei"}).status_code == 404
    assert client.get("/ideas/424242/comments").status_code == 404


def test_posting_is_rate_limited_per_person_with_a_friendly_page(client, app):
    app.config["RATELIMIT_COMMENTS"] = "2 per hour"
    idea = make_idea()
    login(client, make_user())
    # A form sent back with a mistake costs nothing.
    assert client.post(f"/ideas/{idea.id}/comments", data={"body": "x"}).status_code == 200
    for n in range(2):
        assert client.post(f"/ideas/{idea.id}/comments", data={"body": f"Nummer {n}"}).status_code == 302
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Nummer tre"})
    assert response.status_code == 429
    assert "For mange forsøk" in response.get_data(as_text=True)
    assert comment_count(idea) == 2
    # Someone else still can.
    client.post("/logout")
    login(client, make_user())
    assert client.post(f"/ideas/{idea.id}/comments", data={"body": "Nummer tre"}).status_code == 302


# --- editing and deleting ------------------------------------------------------------------


def test_author_edits_a_comment_through_the_page(client):
    author = make_user()
    comment = make_comment(make_idea(), author=author, body="Førsteutkast")
    login(client, author)
    page = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    assert "Førsteutkast" in page
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Rettet tekst"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Rettet tekst"


def test_failed_edit_keeps_the_new_text(client):
    author = make_user()
    comment = make_comment(make_idea(), author=author, body="Førsteutkast")
    login(client, author)
    text = "y" * 2001
    html = client.post(f"/comments/{comment.id}/edit", data={"body": text}).get_data(as_text=True)
    assert "høyst 2000 tegn" in html and text in html
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Førsteutkast"


def test_someone_else_cannot_open_or_post_the_edit_page(client):
    comment = make_comment(make_idea(), body="Original")
    login(client, make_user())
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Kapret"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Original"


def test_visitor_editing_is_sent_to_login(client):
    comment = make_comment(make_idea())
    response = client.get(f"/comments/{comment.id}/edit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_author_deletes_after_confirming(client):
    author = make_user()
    idea = make_idea()
    comment = make_comment(idea, author=author, body="Angrer på denne")
    login(client, author)
    confirm = client.get(f"/comments/{comment.id}/delete").get_data(as_text=True)
    assert "Slette kommentaren?" in confirm and "Angrer på denne" in confirm
    response = client.post(f"/comments/{comment.id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).visibility == CommentVisibility.DELETED
    assert comment_count(idea) == 0
    assert "Angrer på denne" not in _thread(client, idea)


def test_someone_else_cannot_delete(client):
    idea = make_idea()
    comment = make_comment(idea)
    login(client, make_user())
    assert client.get(f"/comments/{comment.id}/delete").status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    assert comment_count(idea) == 1


def test_moderation_hook_gets_each_shown_comment_as_target(client, app):
    # moderation/_links.html decides what to offer; the thread hands it every comment it
    # shows with text, and nothing for placeholders.
    import jinja2

    loader = jinja2.DictLoader({
        "moderation/_links.html": "{% macro links(target, kind) %}"
                                  "<a class='hook' data-type='{{ kind }}' data-id='{{ target.id }}'></a>{% endmacro %}"
    })
    app.jinja_env.loader = jinja2.ChoiceLoader([loader, app.jinja_env.loader])
    author = make_user()
    idea = make_idea()
    own = make_comment(idea, author=author)
    other = make_comment(idea)
    hidden = make_comment(idea)
    services.apply_comment_visibility(hidden, "hidden", hidden_reason="Spam")
    db.session.commit()
    login(client, author)
    html = _thread(client, idea)
    assert f"data-type='comment' data-id='{other.id}'" in html
    assert f"data-type='comment' data-id='{own.id}'" in html
    assert f"data-id='{hidden.id}'" not in html


def test_others_comments_get_the_report_link(client):
    idea = make_idea()
    other = make_comment(idea)
    own_author = make_user()
    own = make_comment(idea, author=own_author)
    login(client, own_author)
    html = _thread(client, idea)
    assert f"/report/comment/{other.id}" in html and "Rapporter" in html
    assert f"report/comment/{own.id}" not in html
