"""Factories for the ideas tests: ideas through the service, images made with Pillow, a query counter."""

import io
import itertools

from PIL import Image
from sqlalchemy import event, select

from app.accounts.models import User
from app.core.models import ServiceArea
from app.extensions import db
from app.ideas import services
from app.ideas.models import Idea, IdeaStatus, Visibility
from tests.factories import make_service_area, make_user

_n = itertools.count(1)

BODY = "Barna går langs en vei uten fortau. Vi trenger fortau, lys og lavere fart forbi skolen."


def make_idea(
    author: User | None = None,
    title: str | None = None,
    body: str = BODY,
    service_area: ServiceArea | None = None,
    sdgs: tuple[int, ...] = (),
    status: IdeaStatus = IdeaStatus.SUBMITTED,
    hidden: bool = False,
    hidden_reason: str | None = None,
    **fields,
) -> Idea:
    """An idea published through submit_idea; status and visibility set afterwards if asked."""
    idea = services.submit_idea(
        author or make_user(),
        services.IdeaInput(
            title=title or f"Idé nummer {next(_n)} om nærmiljøet",
            body=body,
            service_area_id=(service_area or make_service_area()).id,
            sdgs=list(sdgs),
            **fields,
        ),
    )
    if status != IdeaStatus.SUBMITTED or hidden:
        idea.status = status
        if hidden:
            idea.visibility = Visibility.HIDDEN
            idea.hidden_reason = hidden_reason or "Personopplysninger"
        db.session.commit()
    return idea


def counts(idea: Idea) -> tuple[int, int]:
    """(vote_count, endorsement_count) as the database has them now."""
    db.session.expire_all()
    return tuple(db.session.execute(
        select(Idea.vote_count, Idea.endorsement_count).where(Idea.id == idea.id)
    ).one())


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), gps: bool = False, colour=(200, 30, 30)) -> bytes:
    """A small picture; with gps=True it carries EXIF with a GPS position and a camera name."""
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "Kameraprodusent"  # Make
        exif[0x0110] = "Hemmelig kamera"  # Model
        gps_ifd = {1: "N", 2: (59.0, 54.0, 30.0), 3: "E", 4: (10.0, 45.0, 12.0)}
        exif[0x8825] = gps_ifd
        kwargs["exif"] = exif.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


class QueryCounter:
    """Counts the SQL statements run while the block is open."""

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


__all__ = ["QueryCounter", "counts", "image_bytes", "make_idea", "make_service_area", "make_user"]
