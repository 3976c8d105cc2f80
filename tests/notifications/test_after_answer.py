"""The notices about a new comment are written after the answer (app/core/background.py): with
MAIL_ASYNC on, as in production, in a thread of their own, so the person posting does not wait
for them; they still reach the idea's author and the author of the comment answered, by e-mail
too through the real SMTP server, and the commenter follows the idea. With MAIL_ASYNC off (the
other tests) they are written in the request, as before."""

from sqlalchemy import select

from app.accounts import services as accounts
from app.comments.models import Comment
from app.core.background import wait_for_background
from app.extensions import db
from app.notifications.models import Follow, Notice
from bench.querycount import count_queries
from tests.comments.factories import make_comment, make_idea
from tests.factories import make_user


def _kinds_of(user) -> list[str]:
    return sorted(db.session.scalars(select(Notice.kind).where(Notice.user_id == user.id)))


def test_a_comment_is_answered_before_its_notices_are_written_and_they_still_arrive(app, client, smtp):
    app.config["MAIL_ASYNC"] = True
    author = make_user("Ida Idéhaver", email="ida@example.no")
    idea = make_idea(author=author, title="Lys i lysløypa hele vinteren")
    first = make_user("Frida Første", email="frida@example.no")
    top = make_comment(idea, author=first, body="Enig, det er mørkt fra fire.")
    wait_for_background()
    commenter = make_user("Kari Kommentar")
    _token, raw = accounts.create_api_token(commenter, "test")
    with count_queries() as log:
        response = client.post(f"/api/v1/ideas/{idea.id}/comments", headers={"Authorization": f"Bearer {raw}"},
                               json={"body": "Og brøyting av parkeringen.", "parent_id": top.id})
    assert response.status_code == 201, response.get_data(as_text=True)
    # The request wrote the comment; the notices were not the request's to write.
    assert not any("INSERT INTO notices" in sql for sql, _params in log.statements)
    wait_for_background()
    db.session.expire_all()
    assert _kinds_of(author) == ["ideas.comment", "ideas.comment"]
    assert _kinds_of(first) == ["comments.reply"]
    assert _kinds_of(commenter) == []
    assert db.session.scalar(select(Follow.id).where(Follow.user_id == commenter.id, Follow.target_id == idea.id))
    # Immediately by e-mail (the default for both), delivered after the notices' own commit.
    assert any("Og brøyting av parkeringen." in body for body in smtp.bodies_to("frida@example.no"))
    assert any("Og brøyting av parkeringen." in body for body in smtp.bodies_to("ida@example.no"))
    assert db.session.scalar(select(Comment.id).where(Comment.body == "Og brøyting av parkeringen."))


def test_with_mail_async_off_the_notices_are_part_of_the_request(app, client):
    author = make_user()
    idea = make_idea(author=author)
    commenter = make_user()
    _token, raw = accounts.create_api_token(commenter, "test")
    with count_queries() as log:
        response = client.post(f"/api/v1/ideas/{idea.id}/comments", headers={"Authorization": f"Bearer {raw}"},
                               json={"body": "Et godt forslag for nabolaget."})
    assert response.status_code == 201
    assert any("INSERT INTO notices" in sql for sql, _params in log.statements)
    assert _kinds_of(author) == ["ideas.comment"]
