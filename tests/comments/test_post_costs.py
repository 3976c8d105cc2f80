"""What posting a comment costs the database, and that it is one transaction with its notices.

The comment, its author's follow, the notice to the idea's author and that notice's e-mail are
written together: a comment is never saved without the people it concerns hearing of it. With
a mail worker (MAIL_WORKER) the request only queues the e-mail, so a comment with a notice is
at most 8 statements whichever way it is posted.
"""

import pytest
from sqlalchemy import select, text

from app.accounts.services import create_api_token
from app.comments.models import Comment
from app.extensions import db
from app.notifications.models import Follow, Notice, OutboxMessage
from bench.querycount import count_queries
from tests.comments.factories import make_idea
from tests.factories import login, make_user

BUDGET = 8


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAIL_WORKER": True}


def _api_post(client, token: str, idea_id: int, body: str):
    return client.post(f"/api/v1/ideas/{idea_id}/comments", json={"body": body},
                       headers={"Authorization": f"Bearer {token}"})


def test_an_api_comment_with_a_notice_costs_at_most_8_statements_and_queues_its_email(app, client):
    author = make_user(email="forslagsstiller@example.no")
    idea = make_idea(author=author)
    _token, raw = create_api_token(make_user(), "kommentar")
    _api_post(client, raw, idea.id, "Første kommentar, så alt er varmt.")
    db.session.remove()
    with count_queries() as log:
        response = _api_post(client, raw, idea.id, "Dette trengs, jeg går der hver dag.")
    assert response.status_code == 201, response.get_json()
    assert log.count <= BUDGET, f"{log.count} statements:\n{log}"
    # The notice was e-mailed to the idea's author: queued, and left to the worker.
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == author.email)).all()
    assert len(mail) == 2 and all(m.sent_at is None for m in mail)
    assert "Dette trengs" in mail[-1].body


def test_a_comment_through_the_form_costs_at_most_8_statements_more_than_a_page_view(app, client):
    """The form's POST also signs the person in from their session cookie (as every page does)
    and lists their organisations for the "write as" choice; its own work is the same 8."""
    author = make_user()
    idea = make_idea(author=author)
    commenter = make_user()
    login(client, commenter)
    client.post(f"/ideas/{idea.id}/comments", data={"body": "Første kommentar, så alt er varmt."})
    db.session.remove()
    with count_queries() as log:
        response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Et svar med nytt innhold."})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    own = [sql for sql, _ in log.statements
           if not sql.lstrip().upper().startswith("SELECT") or " FOR " in sql or "comments.body" in sql]
    # The writes (comment, count, follow, notice, e-mail), the locked idea and the duplicate check.
    assert len(own) <= BUDGET - 1, "\n".join(own)
    assert log.count <= BUDGET + 2, f"{log.count} statements:\n{log}"
    assert db.session.scalar(select(Notice).where(Notice.user_id == author.id)) is not None


def test_the_comment_its_follow_its_notice_and_its_email_are_one_transaction(app, client):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the transaction that wrote a row is PostgreSQL's xmin")
    author = make_user(email="eier@example.no")
    idea = make_idea(author=author)
    commenter = make_user()
    _token, raw = create_api_token(commenter, "kommentar")
    response = _api_post(client, raw, idea.id, "Dette henger sammen med skoleveien.")
    assert response.status_code == 201
    comment_id = response.get_json()["id"]

    def xmin(table: str, where: str, **params) -> str:
        return db.session.scalar(text(f"SELECT xmin::text FROM {table} WHERE {where}"), params)

    written = {
        "comment": xmin("comments", "id = :id", id=comment_id),
        "count": xmin("ideas", "id = :id", id=idea.id),
        "follow": xmin("follows", "user_id = :u AND target_id = :i", u=commenter.id, i=idea.id),
        "notice": xmin("notices", "user_id = :u", u=author.id),
        "email": xmin("outbox_messages", "to_address = :a", a=author.email),
    }
    assert None not in written.values(), written
    assert len(set(written.values())) == 1, written


def test_a_comment_refused_as_a_duplicate_leaves_no_follow_notice_or_email(app, client):
    author = make_user(email="eier@example.no")
    idea = make_idea(author=author)
    commenter = make_user()
    _token, raw = create_api_token(commenter, "kommentar")
    assert _api_post(client, raw, idea.id, "Akkurat samme tekst.").status_code == 201
    db.session.execute(Notice.__table__.delete())
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.execute(Follow.__table__.delete())
    db.session.commit()
    response = _api_post(client, raw, idea.id, "Akkurat  samme tekst.")
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count()).select_from(Comment)) == 1
    assert db.session.scalars(select(Notice)).all() == []
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert db.session.scalars(select(Follow)).all() == []


def test_a_comment_on_a_hidden_idea_is_404_and_takes_nothing(app, client):
    idea = make_idea(visible=False)
    _token, raw = create_api_token(make_user(), "kommentar")
    response = _api_post(client, raw, idea.id, "Kan jeg kommentere her?")
    assert response.status_code == 404
    assert _api_post(client, raw, 2**31 - 1, "Finnes ikke.").status_code == 404
    assert db.session.scalar(select(db.func.count()).select_from(Comment)) == 0


def test_the_lock_for_a_comment_counts_only_while_it_is_held(app):
    """post_comment trusts idea_to_comment_on's lock only in the transaction that took it, and
    not once a savepoint it was taken in has been rolled back (the locks went with it)."""
    from app.comments import services

    idea = make_idea()
    person, other = make_user(), make_user()
    held = services.idea_to_comment_on(idea.id, person)
    assert services._locked_for_comment(held, person)
    assert not services._locked_for_comment(held, other)
    assert services._locked_for_comment(held, person)
    db.session.rollback()
    assert not services._locked_for_comment(held, person)  # another transaction
    savepoint = db.session.begin_nested()
    held = services.idea_to_comment_on(idea.id, person)
    assert services._locked_for_comment(held, person)
    savepoint.rollback()
    assert not services._locked_for_comment(held, person)
    # Posting then takes the locks again, and works.
    comment = services.post_comment(person, held, "Etter en angret delhandling.")
    assert comment.id is not None
