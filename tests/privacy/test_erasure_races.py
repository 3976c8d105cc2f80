"""An erasure racing a comment on one of the person's ideas (PostgreSQL row locks).

A comment holds its idea's row and then writes a notice to the idea's author, which takes KEY
SHARE on the author's row. The erasure locks the author first and changes their ideas after:
with FOR UPDATE on the author each waited for the other until PostgreSQL broke the deadlock,
failing one of them. It now takes FOR NO KEY UPDATE (deletion._lock_user), which lets the
notice through. The two are stepped by hand, in the order that deadlocked: the erasure is let
go once the comment holds its idea, and the comment goes on once the erasure waits for a lock.
"""

import threading
import time

import pytest
from sqlalchemy import select, text

from app.accounts.models import Role, User
from app.comments import services as comment_services
from app.comments.models import Comment
from app.extensions import db
from app.ideas.models import Idea
from app.privacy import deletion
from tests.comments.factories import make_idea
from tests.factories import make_user


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 5, "max_overflow": 2}}


def _wait_until_someone_waits_for_a_lock(seconds: float = 20) -> None:
    """Until another connection to this database waits for a row lock (the erasure, on the
    comment's idea), read from a connection of its own."""
    deadline = time.monotonic() + seconds
    with db.engine.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")).scalar()
            connection.rollback()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the erasure never waited for a lock")


def _in_thread(app, work, errors: list) -> threading.Thread:
    def run():
        with app.app_context():
            try:
                work()
            except Exception as error:  # the test reads it
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("keep_content", [True, False])
def test_a_comment_racing_the_erasure_of_the_ideas_author_never_deadlocks(app, keep_content):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    author = make_user("Ida Forslagsstiller")
    idea = make_idea(author=author)
    commenter = make_user()
    admin = make_user(role=Role.ADMIN)
    ids = {"author": author.id, "idea": idea.id, "commenter": commenter.id, "admin": admin.id}
    db.session.remove()
    idea_held = threading.Event()
    erasure_started = threading.Event()
    errors: list = []

    def comment():
        person = db.session.get(User, ids["commenter"])
        held = comment_services.idea_to_comment_on(ids["idea"], person)
        idea_held.set()
        assert erasure_started.wait(10)
        _wait_until_someone_waits_for_a_lock()
        comment_services.post_comment(person, held, "Dette har jeg ventet på lenge.")

    def erase():
        assert idea_held.wait(10)
        erasure_started.set()
        deletion.erase_on_behalf(db.session.get(User, ids["admin"]), db.session.get(User, ids["author"]),
                                 keep_content=keep_content, reason="Ba om det skriftlig 1. desember.")

    threads = [_in_thread(app, comment, errors), _in_thread(app, erase, errors)]
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == [], [f"{type(e).__name__}: {e}" for e in errors]
    db.session.expire_all()
    assert db.session.get(User, ids["author"]) is None
    kept = db.session.scalars(select(Comment.body).where(Comment.author_id == ids["commenter"])).all()
    # The comment stands wherever the idea does (under "Tidligere deltaker", or removed with it).
    idea_kept = db.session.get(Idea, ids["idea"]) is not None
    assert kept == (["Dette har jeg ventet på lenge."] if idea_kept else [])
    assert idea_kept or not keep_content
