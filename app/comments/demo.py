"""Demo step: comments and replies under the demo ideas, posted through the services people use."""

import random
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import Organisation, Role, User
from app.comments import services
from app.comments.models import Comment
from app.comments.permissions import discussion_open
from app.core.db import as_utc, utcnow
from app.core.errors import ServiceError
from app.demo import DEMO_STEPS
from app.extensions import db
from app.ideas.models import Idea

# Comment texts that speak for an organisation are posted on its behalf when it is verified
# (an unverified one, like Natur og Ungdom in the demo, leaves the text to the person).
ORGANISATION_HINTS = (
    ("velforening", "Nordbygda Velforening"),
    ("medvik il", "Medvik Idrettslag"),
    ("pensjonistforening", "Medvik Pensjonistforening"),
    ("næringsforum", "Medvik Næringsforum"),
    ("frivilligsentral", "Medvik Frivilligsentral"),
    ("borettslaget", "Borettslaget Vestre Lia"),
    ("natur og ungdom", "Natur og Ungdom Medvik"),
)
# How many top-level comments an idea gets: most a few, some none, a few a lively debate.
COMMENTS_PER_IDEA = (0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 7, 10)


def _speaker(text: str, organisations: dict[str, Organisation], verified: set[str]) -> Organisation | None:
    lowered = text.lower()
    for hint, name in ORGANISATION_HINTS:
        if hint in lowered and name in verified:
            return organisations[name]
    return None


def seed_comments(content, people: list[User], seed: int = 3) -> int:
    """Add comments and replies to every open demo idea; returns how many were posted."""
    rng = random.Random(seed)
    # People as (id, person) pairs: every post commits, and reading `person.id` on an expired
    # object afterwards would cost a query per candidate per comment.
    residents = [(p.id, p) for p in people if p.role == Role.RESIDENT]
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    verified = {name for name, o in organisations.items() if o.is_verified}
    members = {
        o.name: [(m.user.id, m.user) for m in o.memberships] for o in organisations.values()
        if o.name in verified
    }
    ideas = [idea for idea in db.session.scalars(select(Idea).order_by(Idea.id)) if discussion_open(idea)]
    posted = 0
    for idea in ideas:
        written: list[Comment] = []
        used: set[tuple[int, str]] = set()

        def post(text, parent=None, author=None, exclude=None,
                 _idea=idea, _written=written, _used=used):
            organisation = _speaker(text, organisations, verified) if author is None else None
            if author is None:
                pool = members.get(organisation.name, residents) if organisation else residents
                candidates = [(i, p) for i, p in pool if (i, text) not in _used and i != exclude]
                author_id, author = rng.choice(candidates or residents)
            else:
                author_id = author.id
            if organisation is not None and author_id not in {i for i, _ in members.get(organisation.name, [])}:
                organisation = None
            try:
                comment = services.post_comment(author, _idea, text, parent=parent, organisation=organisation)
            except ServiceError:
                return None  # e.g. the same person and text twice within the hour: skip it
            _used.add((author_id, text))
            _written.append(comment)
            return comment

        for text in rng.sample(content.COMMENT_TEXTS, rng.choice(COMMENTS_PER_IDEA)):
            top = post(text)
            if top is None:
                continue
            for reply_text in rng.sample(content.REPLY_TEXTS, rng.choice((0, 0, 0, 1, 1, 2, 3))):
                # Now and then the idea's author answers in their own discussion.
                if rng.random() < 0.3 and idea.author_id != top.author_id:
                    post(reply_text, parent=top, author=idea.author)
                else:
                    post(reply_text, parent=top, exclude=top.author_id)
        posted += len(written)
        _spread_in_time(idea, written, rng)
        # One in a while someone takes a comment back after it got answers: the thread shows the gap.
        tops_with_replies = {c.parent_id for c in written if c.parent_id}
        for comment in written:
            if comment.id in tops_with_replies and rng.random() < 0.04:
                services.delete_comment(comment.author, comment)
                posted -= 1
    return posted


def _spread_in_time(idea: Idea, comments: list[Comment], rng: random.Random) -> None:
    """Give the comments believable times between the idea's publication and now, in order."""
    if not comments:
        return
    start = as_utc(idea.created_at) or utcnow()
    span = max((utcnow() - start).total_seconds(), 60.0)
    offsets = sorted(rng.uniform(0, span) for _ in comments)
    for comment, offset in zip(comments, offsets, strict=True):
        comment.created_at = start + timedelta(seconds=offset)
    db.session.commit()


def _step(content, people: list[User]) -> None:
    seed_comments(content, people)


DEMO_STEPS.append(_step)
