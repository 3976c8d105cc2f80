"""Demo step: a few hundred ideas over the last 18 months, with votes and endorsements.

Ideas go through submit_idea (and a few through withdraw_idea), like any resident's. Votes and
endorsements are inserted in bulk for speed; the counters are then set from the rows in one
UPDATE each, so they are exact. Every date falls between the idea's publication and now:
a withdrawal days or weeks after publishing, votes and endorsements before it.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update

from app.accounts.models import Organisation, Role, User
from app.core.db import utcnow
from app.core.errors import ServiceError
from app.core.models import ServiceArea
from app.demo import DEMO_STEPS
from app.extensions import db
from app.ideas import services
from app.ideas.models import Endorsement, Idea, StatusChange, Vote

TARGET_IDEAS = 320
DAYS = 540  # about 18 months
PLACES = ("Nordbygda", "Sørvika", "Eidet", "Vestre Lia", "Sentrum", "Havna")


def _variant(template: dict, rng: random.Random) -> dict:
    """The same wish from another part of the municipality: the place changes, the words stay."""
    title, body, place = template["title"], template["body"], template.get("place")
    mentioned = [p for p in PLACES if p in title or p in body or p == place]
    new_place = rng.choice([p for p in PLACES if p not in mentioned])
    if mentioned:
        old = mentioned[0]
        title = title.replace(old, new_place)
        body = body.replace(old, new_place)
    if title == template["title"]:
        title = f"{title} i {new_place}" if len(title) + len(new_place) + 3 <= 120 else title
    return {**template, "title": title, "body": body, "place": new_place}


def _skewed_votes(rng: random.Random, voters: int, age_days: float) -> int:
    # Most ideas get a handful of votes, a few get very many (a long tail); older ones have had time.
    popularity = rng.paretovariate(1.3) - 1
    reach = min(1.0, 0.25 + age_days / 180)
    return min(voters, int(popularity * 6 * reach))


def seed_ideas(content, people: list[User], seed: int = 1) -> list[Idea]:
    """Publish the demo ideas; returns them, oldest first."""
    rng = random.Random(seed)
    residents = [p for p in people if p.role == Role.RESIDENT]
    service_areas = {sa.name: sa.id for sa in db.session.scalars(select(ServiceArea))}
    organisations = [o for o in db.session.scalars(select(Organisation).order_by(Organisation.id)) if o.is_verified]
    members = {o.id: [m.user for m in o.memberships] for o in organisations}

    templates = list(content.IDEA_TEMPLATES)
    plan = [dict(t) for t in templates]
    while len(plan) < TARGET_IDEAS:
        plan.append(_variant(rng.choice(templates), rng))
    rng.shuffle(plan)
    now = utcnow()
    # Oldest first, so ids follow time; a little more activity in recent months.
    ages = sorted((DAYS * (rng.random() ** 1.3) for _ in plan), reverse=True)

    ideas: list[Idea] = []
    for template, age in zip(plan, ages, strict=True):
        service_area_id = service_areas.get(template["service_area"])
        if service_area_id is None:
            continue
        organisation = None
        author = rng.choice(residents)
        if organisations and rng.random() < 0.15:
            organisation = rng.choice(organisations)
            author = rng.choice(members[organisation.id])
        created = now - timedelta(days=age, minutes=rng.randint(0, 600))
        try:
            idea = services.submit_idea(
                author,
                services.IdeaInput(
                    title=template["title"], body=template["body"], service_area_id=service_area_id,
                    sdgs=list(template.get("sdgs") or [])[:3], place=template.get("place"),
                    organisation_id=organisation.id if organisation else None,
                ),
                created_at=created,
            )
        except ServiceError:
            continue  # a template that breaks a rule is left out, as it would be for a person
        ideas.append(idea)

    # Withdrawn first, so votes and endorsements stop where the author took the idea back
    # (with a random stream of its own, so the votes and endorsements stay as they were).
    closed = _withdraw_a_few(ideas, random.Random(seed + 1), now)
    _seed_votes(ideas, residents, rng, now, closed)
    _seed_endorsements(ideas, organisations, members, rng, now, closed)
    return ideas


def _seed_votes(ideas: list[Idea], residents: list[User], rng: random.Random, now, closed: dict) -> None:
    rows = []
    for idea in ideas:
        age_days = max((now - idea.created_at).total_seconds() / 86400, 0.01)
        open_days = max((closed.get(idea.id, now) - idea.created_at).total_seconds() / 86400, 0.01)
        voters = [p for p in residents if p.id != idea.author_id]
        for voter in rng.sample(voters, _skewed_votes(rng, len(voters), age_days)):
            # Votes come soon after publishing more often than later.
            delay = open_days * (rng.random() ** 2)
            rows.append({"idea_id": idea.id, "user_id": voter.id, "created_at": idea.created_at + timedelta(days=delay)})
    if rows:
        db.session.execute(insert(Vote), rows)
    counted = select(func.count(Vote.id)).where(Vote.idea_id == Idea.id).scalar_subquery()
    db.session.execute(update(Idea).values(vote_count=counted).execution_options(synchronize_session=False))
    db.session.commit()


def _seed_endorsements(ideas, organisations, members, rng: random.Random, now, closed: dict) -> None:
    rows = []
    for idea in ideas:
        if not organisations or rng.random() > 0.12:
            continue
        until = closed.get(idea.id, now)
        for organisation in rng.sample(organisations, rng.choice((1, 1, 1, 2, 3))):
            rows.append({
                "idea_id": idea.id, "organisation_id": organisation.id,
                "endorsed_by_id": rng.choice(members[organisation.id]).id,
                "created_at": idea.created_at + (until - idea.created_at) * rng.random(),
            })
    if rows:
        db.session.execute(insert(Endorsement), rows)
    counted = select(func.count(Endorsement.id)).where(Endorsement.idea_id == Idea.id).scalar_subquery()
    db.session.execute(update(Idea).values(endorsement_count=counted).execution_options(synchronize_session=False))
    db.session.commit()


WITHDRAW_REASONS = (
    "Velforeningen har ordnet dette selv, så jeg trekker forslaget.",
    "Jeg ser at en lignende idé allerede har mange stemmer. Støtt heller den.",
    "",
)
WITHDRAW_MIN_AGE = timedelta(days=7)  # nobody has had time to take back yesterday's idea


def _withdraw_a_few(ideas: list[Idea], rng: random.Random, now) -> dict[int, datetime]:
    """A few authors take their idea back, a day to a few weeks after publishing it.

    Returns when each withdrawn idea was withdrawn, by id.
    """
    candidates = [idea for idea in ideas if now - idea.created_at >= WITHDRAW_MIN_AGE]
    withdrawn: dict[int, datetime] = {}
    for idea in rng.sample(candidates, min(len(candidates), max(1, len(ideas) // 40))):
        created = idea.created_at
        age_days = (now - created).total_seconds() / 86400
        when = created + timedelta(days=rng.uniform(1, min(30, age_days - 1)), hours=rng.randint(0, 10))
        try:
            services.withdraw_idea(idea.author, idea, rng.choice(WITHDRAW_REASONS))
        except ServiceError:
            continue
        db.session.execute(
            update(StatusChange).where(StatusChange.idea_id == idea.id).values(created_at=when)
        )
        db.session.commit()
        withdrawn[idea.id] = when
    return withdrawn


def _demo_step(content, people) -> None:
    seed_ideas(content, people)


if _demo_step not in DEMO_STEPS:
    DEMO_STEPS.append(_demo_step)

