"""Factories for moderation tests: ideas and comments made directly with the models."""

import itertools

import pytest

from app.accounts.models import Role
from app.comments.models import Comment, CommentVisibility
from app.extensions import db
from app.ideas.models import Idea, Visibility
from tests.factories import login, make_service_area, make_user

_counter = itertools.count(1)


def make_idea(author=None, *, title: str | None = None, body: str = "Benker langs turstien ved fjorden.",
              visibility: Visibility = Visibility.VISIBLE, **fields) -> Idea:
    n = next(_counter)
    author = author or make_user()
    idea = Idea(
        title=title or f"Flere benker i Fjordparken {n}", body=body, author_id=author.id,
        service_area_id=make_service_area().id, visibility=visibility, **fields,
    )
    db.session.add(idea)
    db.session.commit()
    return idea


def make_comment(idea: Idea | None = None, author=None, *, body: str | None = None,
                 parent: Comment | None = None,
                 visibility: CommentVisibility = CommentVisibility.VISIBLE) -> Comment:
    n = next(_counter)
    idea = idea or make_idea()
    author = author or make_user()
    comment = Comment(
        idea_id=idea.id, author_id=author.id, body=body or f"Godt forslag, jeg er enig {n}.",
        parent_id=parent.id if parent else None, visibility=visibility,
    )
    db.session.add(comment)
    if visibility == CommentVisibility.VISIBLE:
        idea.comment_count = (idea.comment_count or 0) + 1
    db.session.commit()
    return comment


@pytest.fixture
def moderator(app):
    return make_user("Mona Moderator", role=Role.MODERATOR)


@pytest.fixture
def admin(app):
    return make_user("Ada Administrator", role=Role.ADMIN)


@pytest.fixture
def resident(app):
    return make_user("Rita Resident")


def logged_in(client, user):
    login(client, user)
    return client
