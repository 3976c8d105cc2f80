"""The demo's competence groups (`flask seed-demo`, called from the portfolio demo): a group for
each field of Medvik kommune, a cross-cutting IT and information security group, staff in them,
and assessments so the board shows projects ready for decision next to a proposal that the
health group has still to assess. All through the services people use."""

import random

from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.permissions import can
from app.core.models import MunicipalArea
from app.extensions import db
from app.portfolio import groups, queries, services
from app.portfolio.models import BOARD_PHASES, CompetenceGroup, Project, ProjectPhase
from app.portfolio.permissions import can_assess_project

HEALTH = "Helse og velferd"
# Members are the demo's staff by their place in the list of people (moderators, then portfolio
# managers, then the admin): each field has a portfolio manager and a moderator, one moderator
# sits in two groups, and the admin is the IT group.
GROUPS = (
    {"name": "Oppvekst og utdanning", "name_nn": "Oppvekst og utdanning", "name_en": "Childhood and Education",
     "description": "Barnehage, skole, kulturskole og fritid: barnas og elevenes behov og det pedagogiske arbeidet.",
     "areas": ("Oppvekst og utdanning",), "members": (2, 0)},
    {"name": HEALTH, "name_nn": "Helse og velferd", "name_en": "Health and Welfare",
     "description": "Sykehjem, hjemmetjenester, helse og rehabilitering, NAV: brukernes behov og fagkravene.",
     "areas": ("Helse og velferd",), "members": (3, 1)},
    {"name": "Teknikk og miljø", "name_nn": "Teknikk og miljø", "name_en": "Technical Services and Environment",
     "description": "Vei, vann og avløp, plan og bygg, eiendom og klima: drift, vedlikehold og miljøvirkning.",
     "areas": ("Samfunnsutvikling", "Organisasjon og støtte"), "members": (4, 0)},
    {"name": "IT og informasjonssikkerhet", "name_nn": "IT og informasjonstryggleik",
     "name_en": "IT and Information Security",
     "description": "Vurderer alle prosjekter: integrasjoner, personvern, informasjonssikkerhet og om kommunen "
                    "allerede har en løsning.",
     "cross_cutting": True, "members": (5,)},
)


def seed_groups(content, people: list[User]) -> list[CompetenceGroup]:
    """The groups and their members, then assessments: every planned project is assessed by all
    its groups (the forum has prioritised it), and one proposal touching health waits for the
    health group."""
    rng = random.Random(1616)
    staff = [p for p in people if can(p, "staff")]
    admin = next((p for p in people if p.role == Role.ADMIN), None)
    if not staff or admin is None:
        return []
    areas = {area.name_nb: area.id for area in db.session.scalars(select(MunicipalArea))}
    made = []
    for data in GROUPS:
        area_ids = [areas[name] for name in data.get("areas", ()) if name in areas]
        if not area_ids and not data.get("cross_cutting"):
            continue
        group = groups.create_group(admin, {
            "name": data["name"], "name_nn": data["name_nn"], "name_en": data["name_en"],
            "description": data["description"], "cross_cutting": bool(data.get("cross_cutting")),
            "area_ids": area_ids,
        })
        for index in dict.fromkeys(n % len(staff) for n in data["members"]):
            groups.add_group_member(admin, group, staff[index].id)
        made.append(group)
    if made:
        _assess_for_groups(rng)
    return made


def _assess_for_groups(rng: random.Random) -> None:
    criteria = [c for c in queries.criteria_list() if not c.computed]
    ids = list(db.session.scalars(select(Project.id).where(Project.phase.in_(BOARD_PHASES)).order_by(Project.id)))
    board = [queries.load_project(project_id) for project_id in ids]
    every = groups.list_groups()
    planned = [p for p in board if p.phase == ProjectPhase.PLANNED]
    proposed = [p for p in board if p.phase == ProjectPhase.PROPOSED]
    ready = planned or proposed[:1]
    for project in ready:
        _complete(project, groups.relevant_groups(project, every), criteria, rng)

    health = next((g for g in every if g.name_nb == HEALTH), None)
    waiting = next((p for p in proposed if p not in ready and health is not None
                    and health in groups.relevant_groups(p, every) and not health.cross_cutting), None)
    if waiting is None:
        return
    # The health group has not got to it yet: its members' scores are taken back (a blank
    # score removes one's own), and every other group has assessed it.
    for member in health.members:
        if can_assess_project(member, waiting):
            services.assess_project(member, waiting, {c.key: "" for c in criteria})
    others = [g for g in groups.relevant_groups(waiting, every) if g.id != health.id]
    _complete(waiting, others, criteria, rng, leave_out={m.id for m in health.members})


def _complete(project: Project, relevant: list[CompetenceGroup], criteria, rng: random.Random,
              leave_out: frozenset[int] | set[int] = frozenset()) -> None:
    """Each group that has not assessed the project gets a member's full assessment (what the
    member scored already is kept, the rest filled in)."""
    project = queries.load_project(project.id)
    card = queries.score_projects([project.id])[project.id]
    state = {item.group.id: item for item in groups.group_scores([project], {project.id: card})[project.id].scores}
    for group in relevant:
        if state.get(group.id) is None or state[group.id].assessed:
            continue
        member = next((m for m in group.members if m.id not in leave_out and can_assess_project(m, project)), None)
        if member is None:
            continue
        mine = queries.my_assessments(project, member)
        services.assess_project(member, project, {
            c.key: mine[c.key].score if c.key in mine else max(1, min(5, round(rng.gauss(3.4, 0.9))))
            for c in criteria
        }, comment="")
        card = queries.score_projects([project.id])[project.id]
        state = {item.group.id: item
                 for item in groups.group_scores([project], {project.id: card})[project.id].scores}
