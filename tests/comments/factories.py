"""Factories for the discussion tests: ideas made directly with the model, comments via the service."""

import itertools

from sqlalchemy import event

from app.accounts.models import Organisation, User
from app.comments import services
from app.comments.models import Comment
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, Visibility
from tests.factories import make_service_area, make_user

_n = itertools.count(1)


def make_idea(author: User | None = None, status: IdeaStatus = IdeaStatus.SUBMITTED,
              visible: bool = True, title: str | None = None) -> Idea:
    idea = Idea(
        title=title or f"Tryggere skolevei {next(_n)}",
        body="Barna går langs en vei uten fortau. Vi trenger fortau og lavere fart.",
        author=author or make_user(),
        service_area=make_service_area(),
        status=status,
        visibility=Visibility.VISIBLE if visible else Visibility.HIDDEN,
    )
    db.session.add(idea)
    db.session.commit()
    return idea


def make_comment(idea: Idea, author: User | None = None, body: str | None = None,
                 parent: Comment | None = None, organisation: Organisation | None = None) -> Comment:
    return services.post_comment(
        author or make_user(), idea, body or f"En kommentar nummer {next(_n)}",
        parent=parent, organisation=organisation,
    )


def comment_count(idea: Idea) -> int:
    return db.session.scalar(db.select(Idea.comment_count).where(Idea.id == idea.id))


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self)

    @property
    def count(self) -> int:
        return len(self.statements)
