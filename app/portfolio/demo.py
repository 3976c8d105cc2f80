"""The portfolio part of `flask seed-demo`: local targets, criteria, some forty projects linked
to the demo ideas, assessments, decisions, updates, and answers to ideas. All through the
same services people use; only dates are set back afterwards, so the history looks lived in.

Every idea's history runs forward from its publication to today: a project takes it up a week
or more after it was published (before the project ended, for a completed one), it goes under
way when the project has started and is implemented when it has ended; ideas no project took up
are answered days to weeks after publishing, and voting stops at the answer that closes it."""

import random
import re
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update

from app.accounts.models import Role, User
from app.core.db import as_utc, utcnow
from app.core.models import ServiceArea
from app.demo import DEMO_STEPS
from app.extensions import db
from app.ideas.models import VOTING_OPEN, Idea, IdeaStatus, StatusChange, Visibility, Vote
from app.ideas.search import stem
from app.portfolio import answers, services
from app.portfolio.demo_groups import seed_groups
from app.portfolio.demo_meetings import seed_meetings
from app.portfolio.demo_plan import seed_plan
from app.portfolio.demo_systems import seed_systems
from app.portfolio.models import (
    Criterion,
    LocalTarget,
    Project,
    ProjectIdea,
    ProjectPhase,
    ProjectPhaseChange,
    ProjectUpdate,
)

MAX_IDEAS_PER_PROJECT = 4
# The phases a project goes through to reach its phase in the demo; its linked ideas follow
# (services.change_project_phase), a phase at a time.
PHASE_PATH = {
    ProjectPhase.PLANNED: (ProjectPhase.PLANNED,),
    ProjectPhase.IN_PROGRESS: (ProjectPhase.PLANNED, ProjectPhase.IN_PROGRESS),
    ProjectPhase.COMPLETED: (ProjectPhase.PLANNED, ProjectPhase.IN_PROGRESS, ProjectPhase.COMPLETED),
}
# An idea is taken up at the earliest this long after it was published.
LINK_DELAY = timedelta(days=7)
# The newest ideas wait a few days for their first answer.
FIRST_ANSWER_MIN_AGE = timedelta(days=3)


def _seed_targets(content, admin: User) -> dict[int, list[LocalTarget]]:
    by_goal: dict[int, list[LocalTarget]] = {}
    for data in content.LOCAL_TARGETS:
        target = services.save_local_target(admin, None, data)
        by_goal.setdefault(target.sdg_number, []).append(target)
    return by_goal


def _seed_criteria(content, admin: User) -> None:
    existing = {c.key: c for c in db.session.scalars(select(Criterion))}
    for data in content.CRITERIA:
        services.save_criterion(admin, existing.get(data["key"]), data)


def _matching_ideas(texts: dict[int, tuple[str, int, datetime]], keywords: list[str], taken: dict[int, int],
                    ready: dict[int, datetime], deadline: datetime) -> list[int]:
    """Ids of ideas ready to be taken up by `deadline` whose title or body has one of the keywords
    (at a word's start)."""
    patterns = [re.compile(rf"\b{re.escape(word.lower())}") for word in keywords]
    found = [idea_id for idea_id, (text, _votes, _created) in texts.items()
             if ready[idea_id] <= deadline and any(p.search(text) for p in patterns)]
    # Ideas not yet in many projects first, then the most supported.
    found.sort(key=lambda idea_id: (taken.get(idea_id, 0), -texts[idea_id][1], idea_id))
    return found[:MAX_IDEAS_PER_PROJECT]


def _best_targets(data: dict, targets: dict[int, list[LocalTarget]]) -> list[LocalTarget]:
    """The local targets under the project's goals that share most words with it (at most two)."""
    words = set(stem(w) for w in re.findall(r"\w{5,}", f"{data['title']} {data['description']} "
                                            f"{' '.join(data.get('idea_keywords', []))}".lower()))
    scored = []
    for goal in data["sdgs"]:
        for target in targets.get(goal, []):
            overlap = len(words & set(stem(w) for w in re.findall(r"\w{5,}", target.text_nb.lower())))
            if overlap:
                scored.append((overlap, target.code, target))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [target for _overlap, _code, target in scored[:2]]


def _explanation(content, status: IdeaStatus, n: int) -> str:
    options = content.STATUS_EXPLANATIONS.get(status.value) or ["Kommunen har behandlet idéen."]
    return options[n % len(options)]


def _backdate(model, row_id: int, when) -> None:
    db.session.execute(update(model).where(model.id == row_id).values(created_at=when))


def _link_deadline(phase: ProjectPhase, end: datetime, now: datetime) -> datetime:
    """By when a project has taken up its ideas: two weeks before a completed one ended, three
    weeks ago for one under way (so they can be under way too), a week ago otherwise."""
    if phase == ProjectPhase.COMPLETED:
        return end - timedelta(days=14)
    if phase == ProjectPhase.IN_PROGRESS:
        return now - timedelta(days=21)
    return now - timedelta(days=7)


def _fit(previous: datetime, desired: datetime, now: datetime, rng: random.Random) -> datetime:
    """`desired`, kept at least a day after `previous` and before now (somewhere between when it cannot)."""
    earliest, latest = previous + timedelta(days=1), now - timedelta(hours=2)
    if earliest >= latest:
        return previous + (now - previous) * rng.uniform(0.2, 0.8)
    if desired > latest:
        return latest - (latest - earliest) * rng.uniform(0, 0.5)
    return max(desired, earliest)


def _walk_phases(content, manager: User, project: Project, phase: ProjectPhase, linked: list[int],
                 answered: dict[int, datetime], ready: dict[int, datetime], start_at: datetime,
                 end_at: datetime, now: datetime, rng: random.Random, explained: int) -> int:
    """Take the project through its phases (its ideas follow): planned a few days after its
    last idea was taken up, under way at its start, completed at its end; each idea's move
    at least a day after its previous answer, all before today."""
    steps = PHASE_PATH.get(phase, ())
    if not steps:
        return explained
    latest = max([answered[idea_id] for idea_id in linked], default=as_utc(project.created_at))
    when = latest + timedelta(days=rng.uniform(2, 10))
    for step in steps:
        if step == ProjectPhase.IN_PROGRESS:
            when = max(when + timedelta(days=rng.uniform(7, 30)), start_at)
        elif step == ProjectPhase.COMPLETED:
            when = max(when + timedelta(days=rng.uniform(14, 60)), end_at)
        when = _fit(latest, when, now, rng)
        latest = when
        status = services.PHASE_STATUS[step]
        record = services.change_project_phase(manager, project, step.value,
                                               _explanation(content, status, explained))
        explained += 1
        moved = db.session.scalars(select(StatusChange).where(
            StatusChange.idea_id.in_(linked), StatusChange.by_project.is_(True),
            StatusChange.created_at == record.created_at,
        )).all() if linked else []
        _backdate(ProjectPhaseChange, record.id, when)
        for change in moved:
            answered[change.idea_id] = _fit(answered.get(change.idea_id, when), when, now, rng)
            _backdate(StatusChange, change.id, answered[change.idea_id])
    for idea_id in linked:
        ready[idea_id] = max(ready[idea_id], answered[idea_id] + timedelta(days=1))
    return explained


def seed_portfolio(content, people: list[User]) -> None:
    rng = random.Random(2026)
    admin = next(p for p in people if p.role == Role.ADMIN)
    managers = [p for p in people if p.role == Role.PORTFOLIO_MANAGER] or [admin]
    assessors = [p for p in people if p.role in (Role.PORTFOLIO_MANAGER, Role.ADMIN, Role.MODERATOR)]
    targets = _seed_targets(content, admin)
    _seed_criteria(content, admin)
    criteria = [c for c in db.session.scalars(select(Criterion)) if not c.computed]
    service_areas = {sa.name: sa for sa in db.session.scalars(select(ServiceArea))}
    # Read once: the services commit, and expired ideas would reload row by row.
    texts = {
        idea_id: (f"{title}\n{body}".lower(), votes, as_utc(created))
        for idea_id, title, body, votes, created in db.session.execute(
            select(Idea.id, Idea.title, Idea.body, Idea.vote_count, Idea.created_at).where(
                Idea.visibility == Visibility.VISIBLE,
                Idea.status.not_in([IdeaStatus.WITHDRAWN, IdeaStatus.MERGED]))
        )
    }
    taken: dict[int, int] = {}
    answered: dict[int, datetime] = {}  # each idea's latest status change so far
    # When a project can take an idea up: a while after it was published, after its last answer.
    ready = {idea_id: created + LINK_DELAY for idea_id, (_text, _votes, created) in texts.items()}
    today = date.today()
    now = utcnow()
    explained = 0

    for number, data in enumerate(content.PROJECTS):
        manager = managers[number % len(managers)]
        start = today + timedelta(days=data["start_offset_days"])
        goals = _best_targets(data, targets)
        project = services.create_project(manager, {
            "title": data["title"], "description": data["description"], "kind": data["kind"],
            # Created as a proposal; it reaches its phase below, with its ideas following.
            "phase": data["phase"] if ProjectPhase(data["phase"]) not in PHASE_PATH else "proposed",
            "owner_service_area_id": service_areas[data["owner"]].id,
            "service_area_ids": [service_areas[name].id for name in data["participants"]],
            "responsible_id": manager.id, "sdgs": data["sdgs"],
            "local_target_ids": [t.id for t in goals], "estimated_cost": data["estimated_cost"],
            "planned_start": start, "planned_end": start + timedelta(days=data["duration_days"]),
            "progress": 0, "public": data["public"],
        })
        # Created well before the forum's first meeting about it (up to 182 days ago).
        created = now - timedelta(days=max(200, -data["start_offset_days"] + 60) + number % 17)
        _backdate(Project, project.id, created)

        # Ideas behind the project, answered as the project moves along: taken up after they were
        # published and the project existed, under way once it started, implemented when it ended.
        phase = ProjectPhase(data["phase"])
        start_at = now + timedelta(days=data["start_offset_days"])
        end_at = start_at + timedelta(days=data["duration_days"])
        deadline = _link_deadline(phase, end_at, now)
        linked_here: list[int] = []
        if phase != ProjectPhase.CANCELLED:
            for idea_id in _matching_ideas(texts, data.get("idea_keywords", []), taken, ready, deadline):
                idea = db.session.get(Idea, idea_id)
                if idea.status in (IdeaStatus.MERGED, IdeaStatus.WITHDRAWN):
                    continue
                accepts = idea.status in services.ACCEPT_ON_LINK
                note = (f"Idéen er tatt med i «{data['title']}». " if accepts
                        else "") + _explanation(content, IdeaStatus.ACCEPTED, explained)
                explained += 1
                published = texts[idea_id][2]
                earliest = max(created, ready[idea_id])
                linked_at = earliest + (deadline - earliest) * rng.uniform(0.05, 0.6)
                if accepts and idea.status == IdeaStatus.SUBMITTED and linked_at - published > timedelta(days=45):
                    # Taken up long after publishing: it was under review in the meantime.
                    change = answers.change_idea_status(manager, idea, IdeaStatus.UNDER_REVIEW,
                                                        _explanation(content, IdeaStatus.UNDER_REVIEW, explained))
                    answered[idea.id] = _fit(published, published + timedelta(days=rng.uniform(3, 30)), linked_at, rng)
                    _backdate(StatusChange, change.id, answered[idea.id])
                link = services.link_idea(manager, project, idea, note)
                _backdate(ProjectIdea, link.id, linked_at)
                if accepts:  # the link's acceptance is the idea's answer, given when it was linked
                    accepted = db.session.scalar(select(func.max(StatusChange.id)).where(StatusChange.idea_id == idea.id))
                    _backdate(StatusChange, accepted, linked_at)
                    answered[idea.id] = linked_at
                taken[idea.id] = taken.get(idea.id, 0) + 1
                linked_here.append(idea.id)
                answered.setdefault(idea.id, linked_at)
                ready[idea.id] = max(ready[idea.id], answered.get(idea.id, linked_at) + timedelta(days=1))

        # Progress notes, spread between the start and today.
        notes = data.get("updates", [])
        for index, text in enumerate(notes, start=1):
            progress = round(data["progress"] * index / len(notes))
            row = services.post_project_update(manager, project, text, progress)
            span = max(7, (today - start).days) if start < today else 30
            _backdate(ProjectUpdate, row.id, now - timedelta(days=span * (len(notes) - index + 1) / (len(notes) + 1)))
        if not notes and data["progress"]:
            services.update_project(manager, project, {"progress": data["progress"]})
        explained = _walk_phases(content, manager, project, phase, linked_here, answered, ready,
                                 start_at, end_at, now, rng, explained)

        # The forum assesses and decides on what it still has to prioritise.
        if data["phase"] in ("proposed", "planned", "cancelled"):
            for assessor in rng.sample(assessors, k=min(len(assessors), rng.randint(2, 3))):
                services.assess_project(assessor, project, {
                    c.key: max(1, min(5, round(rng.gauss(3.4 if data["phase"] == "planned" else 2.9, 1))))
                    for c in criteria
                }, comment="")
        meeting = today - timedelta(days=14 + 28 * (number % 4))
        rationales = content.DECISION_RATIONALES
        if data["phase"] == "planned":
            if number % 3 == 0:
                services.record_decision(manager, project, meeting - timedelta(days=84), "deferred",
                                         rationales["deferred"][number % len(rationales["deferred"])],
                                         deferred_to=meeting)
            services.record_decision(manager, project, meeting, "prioritised",
                                     rationales["prioritised"][number % len(rationales["prioritised"])])
        elif data["phase"] == "proposed" and number % 2 == 0:
            services.record_decision(manager, project, meeting, "deferred",
                                     rationales["deferred"][number % len(rationales["deferred"])],
                                     deferred_to=meeting + timedelta(days=84))
        elif data["phase"] == "cancelled":
            services.record_decision(manager, project, meeting, "rejected",
                                     rationales["rejected"][number % len(rationales["rejected"])])
    db.session.commit()
    # The competence groups and the assessments that make some projects ready for decision.
    seed_groups(content, people)
    # Costs per plan year, the budget per year, council decisions and administrative priorities.
    seed_plan(people)
    # The register of systems in use (some match projects, for the duplicate-purchase check).
    seed_systems(people)
    # The forum's meetings: one held with its minutes, the next one planned from the board.
    seed_meetings(people)
    _answer_some_ideas(content, managers, rng)


def _answer_some_ideas(content, managers: list[User], rng: random.Random) -> None:
    """Answers to the ideas no project took up, days to weeks after each was published.

    Most old ideas are answered, and most of those under review for months have had a decision
    since; a few old ones wait in the inbox (overdue). Of the last five weeks' ideas a third are
    under review or declined, and those of the last few days all wait."""
    waiting = list(db.session.scalars(
        select(Idea).where(Idea.first_answered_at.is_(None), Idea.visibility == Visibility.VISIBLE,
                           Idea.status == IdeaStatus.SUBMITTED)
        .order_by(Idea.created_at, Idea.id)
    ))
    now = utcnow()
    for index, idea in enumerate(waiting):
        created = idea.created_at
        old = now - created > timedelta(days=35)
        # Old ideas are answered but for a few (overdue in the inbox); a third of the new ones.
        if now - created < FIRST_ANSWER_MIN_AGE or (old and index % 9 == 0) or (not old and index % 3 != 0):
            continue
        manager = managers[index % len(managers)]
        roll = rng.random()
        if not old:
            target = IdeaStatus.UNDER_REVIEW if roll < 0.8 else IdeaStatus.DECLINED
        elif roll < 0.55:
            target = IdeaStatus.UNDER_REVIEW
        elif roll < 0.8:
            target = IdeaStatus.DECLINED
        else:
            target = IdeaStatus.ACCEPTED
        change = answers.change_idea_status(manager, idea, target, _explanation(content, target, index))
        answered_at = _fit(created, created + timedelta(days=rng.uniform(2, 30), hours=rng.randint(0, 8)), now, rng)
        _backdate(StatusChange, change.id, answered_at)
        # Under review for more than two months: most have had their decision since.
        if target == IdeaStatus.UNDER_REVIEW and now - answered_at > timedelta(days=75) and rng.random() < 0.8:
            decision = IdeaStatus.DECLINED if rng.random() < 0.6 else IdeaStatus.ACCEPTED
            change = answers.change_idea_status(manager, idea, decision, _explanation(content, decision, index))
            _backdate(StatusChange, change.id,
                      _fit(answered_at, answered_at + timedelta(days=rng.uniform(14, 70)), now, rng))
    _date_first_answers()
    _close_voting(now)
    db.session.commit()


def _date_first_answers() -> None:
    """first_answered_at is the date of the idea's first answer, not the day of seeding."""
    db.session.execute(
        update(Idea).where(Idea.first_answered_at.is_not(None)).values(
            first_answered_at=select(func.min(StatusChange.created_at)).where(
                StatusChange.idea_id == Idea.id, StatusChange.to_status != IdeaStatus.WITHDRAWN,
            ).scalar_subquery()
        ).execution_options(synchronize_session=False)
    )


def _close_voting(now: datetime) -> None:
    """Nobody votes after an answer closes voting: an answered idea's votes are spread, in the
    same order, over the time it was open. (Withdrawn ideas' votes are the ideas step's.)"""
    closed = {
        idea_id: as_utc(when) for idea_id, when in db.session.execute(
            select(StatusChange.idea_id, func.min(StatusChange.created_at))
            .where(StatusChange.to_status.not_in([*VOTING_OPEN, IdeaStatus.WITHDRAWN]))
            .group_by(StatusChange.idea_id)
        )
    }
    if not closed:
        return
    rows = []
    for vote_id, idea_id, voted_at, published in db.session.execute(
        select(Vote.id, Vote.idea_id, Vote.created_at, Idea.created_at)
        .join(Idea, Idea.id == Vote.idea_id).where(Vote.idea_id.in_(list(closed)))
    ):
        published, voted_at = as_utc(published), as_utc(voted_at)
        share = (closed[idea_id] - published) / max(now - published, timedelta(seconds=1))
        if share < 1:
            rows.append({"id": vote_id, "created_at": published + (voted_at - published) * share})
    if rows:
        db.session.execute(update(Vote), rows)


if seed_portfolio not in DEMO_STEPS:
    DEMO_STEPS.append(seed_portfolio)
