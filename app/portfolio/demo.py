"""The portfolio part of `flask seed-demo`: local targets, criteria, some forty projects linked
to the demo ideas, assessments, decisions, updates, and answers to ideas. All through the
same services people use; only dates are set back afterwards, so the history looks lived in."""

import random
import re
from datetime import date, timedelta

from sqlalchemy import select, update

from app.accounts.models import Role, User
from app.core.db import utcnow
from app.core.models import ServiceArea
from app.demo import DEMO_STEPS
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, StatusChange, Visibility
from app.ideas.search import stem
from app.portfolio import answers, services
from app.portfolio.models import (
    Criterion,
    LocalTarget,
    Project,
    ProjectIdea,
    ProjectPhase,
    ProjectUpdate,
)

MAX_IDEAS_PER_PROJECT = 4
# How a linked idea follows its project through the lifecycle.
IDEA_PATH = {
    ProjectPhase.IN_PROGRESS: (IdeaStatus.IN_PROGRESS,),
    ProjectPhase.COMPLETED: (IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED),
}


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


def _matching_ideas(texts: dict[int, tuple[str, int]], keywords: list[str], taken: dict[int, int]) -> list[int]:
    """Ids of ideas whose title or body has one of the keywords (at a word's start)."""
    patterns = [re.compile(rf"\b{re.escape(word.lower())}") for word in keywords]
    found = [idea_id for idea_id, (text, _votes) in texts.items() if any(p.search(text) for p in patterns)]
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
        idea_id: (f"{title}\n{body}".lower(), votes)
        for idea_id, title, body, votes in db.session.execute(
            select(Idea.id, Idea.title, Idea.body, Idea.vote_count).where(
                Idea.visibility == Visibility.VISIBLE,
                Idea.status.not_in([IdeaStatus.WITHDRAWN, IdeaStatus.MERGED]))
        )
    }
    taken: dict[int, int] = {}
    today = date.today()
    now = utcnow()
    explained = 0

    for number, data in enumerate(content.PROJECTS):
        manager = managers[number % len(managers)]
        start = today + timedelta(days=data["start_offset_days"])
        goals = _best_targets(data, targets)
        project = services.create_project(manager, {
            "title": data["title"], "description": data["description"], "kind": data["kind"],
            "phase": data["phase"], "owner_service_area_id": service_areas[data["owner"]].id,
            "service_area_ids": [service_areas[name].id for name in data["participants"]],
            "responsible_id": manager.id, "sdgs": data["sdgs"],
            "local_target_ids": [t.id for t in goals], "estimated_cost": data["estimated_cost"],
            "planned_start": start, "planned_end": start + timedelta(days=data["duration_days"]),
            "progress": 0, "public": data["public"],
        })
        # Created well before the forum's first meeting about it (up to 182 days ago).
        created = now - timedelta(days=max(200, -data["start_offset_days"] + 60) + number % 17)
        _backdate(Project, project.id, created)

        # Ideas behind the project, answered as the project moves along.
        if data["phase"] != "cancelled":
            for idea_id in _matching_ideas(texts, data.get("idea_keywords", []), taken):
                idea = db.session.get(Idea, idea_id)
                if idea.status in (IdeaStatus.MERGED, IdeaStatus.WITHDRAWN):
                    continue
                note = (f"Idéen er tatt med i «{data['title']}». " if idea.status in services.ACCEPT_ON_LINK
                        else "") + _explanation(content, IdeaStatus.ACCEPTED, explained)
                explained += 1
                link = services.link_idea(manager, project, idea, note)
                _backdate(ProjectIdea, link.id, created + (now - created) * rng.uniform(0.05, 0.6))
                taken[idea.id] = taken.get(idea.id, 0) + 1
                for step in IDEA_PATH.get(ProjectPhase(data["phase"]), ()):
                    db.session.refresh(idea)
                    if step in answers.staff_moves(idea):
                        answers.change_idea_status(manager, idea, step, _explanation(content, step, explained))
                        explained += 1

        # Progress notes, spread between the start and today.
        notes = data.get("updates", [])
        for index, text in enumerate(notes, start=1):
            progress = round(data["progress"] * index / len(notes))
            row = services.post_project_update(manager, project, text, progress)
            span = max(7, (today - start).days) if start < today else 30
            _backdate(ProjectUpdate, row.id, now - timedelta(days=span * (len(notes) - index + 1) / (len(notes) + 1)))
        if not notes and data["progress"]:
            services.update_project(manager, project, {"progress": data["progress"]})

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
                                         rationales["deferred"][number % len(rationales["deferred"])])
            services.record_decision(manager, project, meeting, "prioritised",
                                     rationales["prioritised"][number % len(rationales["prioritised"])])
        elif data["phase"] == "proposed" and number % 2 == 0:
            services.record_decision(manager, project, meeting, "deferred",
                                     rationales["deferred"][number % len(rationales["deferred"])])
        elif data["phase"] == "cancelled":
            services.record_decision(manager, project, meeting, "rejected",
                                     rationales["rejected"][number % len(rationales["rejected"])])
    db.session.commit()
    _answer_some_ideas(content, managers, rng)


def _answer_some_ideas(content, managers: list[User], rng: random.Random) -> None:
    """Most old ideas get an answer; some of the newest wait in the inbox, a few overdue."""
    waiting = list(db.session.scalars(
        select(Idea).where(Idea.first_answered_at.is_(None), Idea.visibility == Visibility.VISIBLE,
                           Idea.status == IdeaStatus.SUBMITTED)
        .order_by(Idea.created_at, Idea.id)
    ))
    now = utcnow()
    for index, idea in enumerate(waiting):
        old = now - idea.created_at > timedelta(days=35)
        # Old ideas are answered but for a few (overdue in the inbox); a third of the new ones.
        if (old and index % 9 == 0) or (not old and index % 3 != 0):
            continue
        manager = managers[index % len(managers)]
        roll = rng.random()
        if roll < 0.55:
            target = IdeaStatus.UNDER_REVIEW
        elif roll < 0.8:
            target = IdeaStatus.DECLINED
        else:
            target = IdeaStatus.ACCEPTED
        answers.change_idea_status(manager, idea, target, _explanation(content, target, index))
    # Answers are dated after each idea, one after the other, not all today.
    changes = db.session.execute(
        select(StatusChange.id, StatusChange.idea_id, Idea.created_at)
        .join(Idea, Idea.id == StatusChange.idea_id).order_by(StatusChange.idea_id, StatusChange.id)
    ).all()
    previous: dict[int, object] = {}
    for change_id, idea_id, created in changes:
        after = previous.get(idea_id, created)
        when = min(now, after + timedelta(days=rng.randint(3, 30), hours=rng.randint(0, 8)))
        previous[idea_id] = when
        _backdate(StatusChange, change_id, when)
    db.session.execute(
        update(Idea).where(Idea.first_answered_at.is_not(None)).values(
            first_answered_at=select(StatusChange.created_at).where(StatusChange.idea_id == Idea.id)
            .order_by(StatusChange.created_at).limit(1).scalar_subquery()
        )
    )
    db.session.commit()


if seed_portfolio not in DEMO_STEPS:
    DEMO_STEPS.append(seed_portfolio)
