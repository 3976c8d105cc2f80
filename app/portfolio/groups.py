"""Competence groups: staff who assess projects for one or more municipal areas, or for every
area (cross-cutting); the use cases that change them, and each group's score of a project.

A project is assessed by the groups whose areas it touches (its owner service area's
municipal area and those of its other service areas) and by every cross-cutting group.

An assessment stays one person's (Assessment has no group): a member's assessment of a project
counts for every group they belong to that covers the project. A person in two such groups
(health and IT, say) assesses once, in their own judgement, and is not asked to split it; the
total still counts them once. A group's score is the board's formula (queries.weigh) over the
assessments of its members as they are now: a member who leaves takes their scores out of the
group's, one who joins brings theirs in. A group has assessed a project when its members
together have scored every criterion that weighs; a project is ready for decision when at least
one group covers it and every group that does has assessed it.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts import signals as account_signals
from app.accounts.models import User
from app.accounts.permissions import CAPABILITIES
from app.core.db import is_postgres
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.core.input import bad_text
from app.core.models import MunicipalArea
from app.extensions import db
from app.portfolio.models import (
    Assessment,
    CompetenceGroup,
    Criterion,
    Project,
    competence_group_members,
)
from app.portfolio.permissions import can_join_groups, can_manage_groups, project_area_ids
from app.portfolio.queries import (
    Averages,
    ScoreCard,
    criteria_list,
    plain_criteria,
    support_score,
    weigh_plain,
)
from app.portfolio.services import _as_id_list, _clean_names_of_area, _refuse_taken

MAX_DESCRIPTION = 2000


# --- the read side ----------------------------------------------------------------------


def list_groups(*, members: bool = True) -> list[CompetenceGroup]:
    """Every group with its areas (and members), area groups first, then by name: two or
    three queries whatever the number of groups."""
    options = [selectinload(CompetenceGroup.areas)]
    if members:
        options.append(selectinload(CompetenceGroup.members))
    return list(db.session.scalars(
        select(CompetenceGroup).options(*options)
        .order_by(CompetenceGroup.cross_cutting, CompetenceGroup.name_nb, CompetenceGroup.id)
    ))


def get_group(group_id: int) -> CompetenceGroup:
    """The group with its areas and members. Raises NotFound."""
    group = db.session.scalars(
        select(CompetenceGroup).where(CompetenceGroup.id == group_id)
        .options(selectinload(CompetenceGroup.areas), selectinload(CompetenceGroup.members))
    ).first()
    if group is None:
        raise NotFound(_("Fant ikke kompetansegruppen."))
    return group


def groups_of(user: User) -> list[CompetenceGroup]:
    """The groups the person is a member of (one query, their areas one more)."""
    return list(db.session.scalars(
        select(CompetenceGroup)
        .join(competence_group_members, competence_group_members.c.group_id == CompetenceGroup.id)
        .where(competence_group_members.c.user_id == user.id)
        .options(selectinload(CompetenceGroup.areas))
        .order_by(CompetenceGroup.cross_cutting, CompetenceGroup.name_nb, CompetenceGroup.id)
    ))


def staff_candidates(group: CompetenceGroup) -> list[User]:
    """The municipality's staff who are not yet in the group, by name."""
    in_group = select(competence_group_members.c.user_id).where(
        competence_group_members.c.group_id == group.id)
    return list(db.session.scalars(
        select(User).where(User.role.in_(CAPABILITIES["staff"]), User.id.not_in(in_group))
        .order_by(User.full_name, User.id)
    ))


def relevant_groups(project: Project, groups: list[CompetenceGroup]) -> list[CompetenceGroup]:
    """The groups that assess the project, in the order given."""
    areas = project_area_ids(project)
    return [group for group in groups if group.covers(areas)]


@dataclass
class GroupScore:
    """One group's view of one project: its members' averages weighed as the board does."""

    group: CompetenceGroup
    card: ScoreCard
    # The group's name in the page's language, looked up once per group, not once per row.
    name: str = ""

    # Read several times per cell on the board (850 cells): worked out once.
    @cached_property
    def started(self) -> bool:
        return any(self.card.assessors.values())

    @cached_property
    def assessed(self) -> bool:
        """Its members together have scored every criterion that weighs."""
        return self.started and self.card.complete


@dataclass
class ProjectGroups:
    """The groups that assess a project, each with its score, and whether all of them have."""

    scores: list[GroupScore]
    # Whether the municipality has any competence group at all (if not, pages say nothing of them).
    groups_exist: bool = True

    @property
    def missing(self) -> list[CompetenceGroup]:
        """The groups that have not (yet fully) assessed the project."""
        return [score.group for score in self.scores if not score.assessed]

    @property
    def missing_names(self) -> list[str]:
        return [score.name for score in self.scores if not score.assessed]

    @property
    def ready(self) -> bool:
        """Ready for decision: some group covers the project, and every one has assessed it."""
        return bool(self.scores) and not self.missing


def group_scores(projects: list[Project], cards: Mapping[int, ScoreCard],
                 criteria: list[Criterion] | None = None,
                 groups: list[CompetenceGroup] | None = None,
                 averages: Averages | None = None) -> dict[int, ProjectGroups]:
    """{project id: its groups and their scores} for the projects (loaded with their areas, as
    queries.board and load_project do), their total score cards (for citizen support, the
    same in every group's score), and the criteria.

    Three queries whatever the number of projects and groups: the groups, their areas and one
    GROUP BY over the members' assessments (only the first when there is no group); none but
    the groups when given the `averages` of queries.assessment_averages() (read for every group
    given).
    """
    if groups is None:
        groups = list_groups(members=False)
    if criteria is None:
        criteria = criteria_list()
    relevant = {project.id: relevant_groups(project, groups) for project in projects}
    wanted = {group.id for found in relevant.values() for group in found}
    given = averages
    averages = given.groups if given is not None else defaultdict(dict)
    if given is None and wanted:
        member = competence_group_members.c
        rows = db.session.execute(
            select(Assessment.project_id, member.group_id, Assessment.criterion_id,
                   func.avg(Assessment.score), func.count(Assessment.id))
            .join(competence_group_members, member.user_id == Assessment.assessor_id)
            .where(Assessment.project_id.in_(list(relevant)), member.group_id.in_(wanted))
            .group_by(Assessment.project_id, member.group_id, Assessment.criterion_id)
        )
        for project_id, group_id, criterion_id, average, count in rows:
            averages[(project_id, group_id)][criterion_id] = (float(average), count)
    # A board page weighs every row for every group (50 × 17): the criteria's columns, each
    # group's name and each project's citizen support are read once, not per weighing.
    plain = plain_criteria(criteria)
    names = {group.id: group.name for group in groups}
    out = {}
    for project in projects:
        total = cards.get(project.id)
        supporters = total.supporters if total is not None else 0
        support = support_score(supporters)
        out[project.id] = ProjectGroups([
            GroupScore(group, weigh_plain(ScoreCard(supporters=supporters),
                                          averages.get((project.id, group.id), {}), plain, support),
                       name=names[group.id])
            for group in relevant[project.id]
        ], groups_exist=bool(groups))
    return out


def board_groups(board) -> dict[int, ProjectGroups]:
    """group_scores for the rows a queries.Board shows."""
    return group_scores([row.project for row in board.rows], {row.project.id: row.card for row in board.rows},
                        board.criteria)


def board_csv_columns(board) -> tuple[list[str], Callable[[int], list]]:
    """The board CSV's columns for the groups: a score per group (empty where the group does not
    assess the project or has not begun), who has not assessed, ready for decision; and a
    function giving a project's values. None of them when there is no group."""
    every = list_groups(members=False)
    if not every:
        return [], lambda project_id: []
    state = group_scores([row.project for row in board.rows], {row.project.id: row.card for row in board.rows},
                         board.criteria, every)
    header = [_("Poeng fra %(group)s", group=group.name) for group in every]
    header += [_("Ikke vurdert av kompetansegruppene"), _("Klar for beslutning")]

    def values(project_id: int) -> list:
        found = state.get(project_id)
        if found is None:
            return [""] * len(header)
        scores = {item.group.id: item for item in found.scores}
        return [
            *[round(scores[g.id].card.score, 2) if g.id in scores and scores[g.id].started
              and scores[g.id].card.score is not None else "" for g in every],
            ", ".join(found.missing_names), found.ready,
        ]

    return header, values


def project_groups(project: Project, card: ScoreCard, criteria: list[Criterion] | None = None) -> ProjectGroups:
    """One project's groups and their scores (group_scores for one)."""
    return group_scores([project], {project.id: card}, criteria)[project.id]


def counted_for(user: User, groups: ProjectGroups, memberships: set[int] | None = None) -> list[CompetenceGroup]:
    """The groups, of those assessing the project, whose score the person's assessment counts in
    (`memberships`: the person's group ids, if already read)."""
    member = competence_group_members.c
    mine = memberships if memberships is not None else set(
        db.session.scalars(select(member.group_id).where(member.user_id == user.id)))
    return [item.group for item in groups.scores if item.group.id in mine]


# --- the use cases ----------------------------------------------------------------------


def _require_manage(actor: User | None) -> None:
    if not can_manage_groups(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere og administratorer kan endre kompetansegruppene."))


def _id_of(group: CompetenceGroup) -> int:
    """The group's id without reloading it (a row deleted meanwhile is then NotFound, not an error)."""
    identity = sa_inspect(group).identity
    return identity[0] if identity else group.id


def _lock_group(group_id: int) -> CompetenceGroup:
    """The group's current row, locked until the transaction ends (FOR UPDATE on PostgreSQL),
    so two changes to one group happen one after the other. Raises NotFound."""
    stmt = (select(CompetenceGroup).where(CompetenceGroup.id == group_id)
            .execution_options(populate_existing=True))
    if is_postgres():
        stmt = stmt.with_for_update(of=CompetenceGroup)
    group = db.session.scalars(stmt).first()
    if group is None:
        raise NotFound(_("Fant ikke kompetansegruppen. Den kan ha blitt slettet."))
    return group


def _taken() -> str:
    return _("Det finnes allerede en kompetansegruppe med dette navnet.")


def _clean_group(values: Mapping, group: CompetenceGroup | None) -> dict:
    """{attribute: value} for what `values` holds (on a new group: everything), with "area_ids"
    as the chosen areas. Raises InvalidInput naming every field at fault."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    names = {key: values.get(key) for key in ("name", "name_nn", "name_en")
             if group is None or key in values}
    if group is None:
        names["name"] = names.get("name") or ""
    try:
        clean.update(_clean_names_of_area(names))
    except InvalidInput as error:
        errors.update(error.fields)
    if "name_nb" in clean:
        others = [g for g in db.session.scalars(select(CompetenceGroup))
                  if group is None or g.id != group.id]
        try:
            _refuse_taken(clean, others, _taken())
        except InvalidInput as error:
            errors.update(error.fields)

    if group is None or "description" in values:
        raw = values.get("description")
        if raw is not None and not isinstance(raw, str):
            errors["description"] = [_("Skriv beskrivelsen som tekst.")]
        else:
            text = (raw or "").strip().replace("\r\n", "\n")
            if bad_text(text):
                errors["description"] = [_("Beskrivelsen inneholder et tegn som ikke kan lagres. "
                                           "Fjern det og prøv igjen.")]
            elif len(text) > MAX_DESCRIPTION:
                errors["description"] = [_("Beskrivelsen kan være høyst %(n)d tegn.", n=MAX_DESCRIPTION)]
            else:
                clean["description"] = text

    if group is None or "cross_cutting" in values:
        cross = values.get("cross_cutting", False)
        if not isinstance(cross, bool):
            errors["cross_cutting"] = [_("Velg om gruppen er tverrgående.")]
        else:
            clean["cross_cutting"] = cross
    cross_cutting = clean.get("cross_cutting", group.cross_cutting if group is not None else False)

    if group is None or "area_ids" in values:
        area_errors: dict = {}
        ids = _as_id_list(values.get("area_ids"), "area_ids", area_errors)
        areas = list(db.session.scalars(select(MunicipalArea).where(MunicipalArea.id.in_(ids)))) if ids else []
        had = {area.id for area in group.areas} if group is not None else set()
        if area_errors or len(areas) != len(ids):
            errors["area_ids"] = [_("Velg kommunalområdene fra listen.")]
        elif any(area.retired and area.id not in had for area in areas):
            retired = next(area for area in areas if area.retired and area.id not in had)
            errors["area_ids"] = [_("«%(name)s» er pensjonert og kan ikke velges.", name=retired.name)]
        else:
            areas.sort(key=lambda area: ids.index(area.id))
            clean["areas"] = areas
    chosen = clean.get("areas", group.areas if group is not None else [])
    if not cross_cutting and not chosen and "area_ids" not in errors:
        errors["area_ids"] = [_("Velg minst ett kommunalområde, eller gjør gruppen tverrgående.")]

    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return clean


def _commit_group(clean: dict) -> None:
    """Commit; a name taken or an area deleted by someone else a moment ago is a field error."""
    area_ids = [area.id for area in clean.get("areas", [])]  # read now: a rollback expires them
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        present = db.session.scalar(select(func.count(MunicipalArea.id)).where(MunicipalArea.id.in_(area_ids))) \
            if area_ids else 0
        if present != len(area_ids):
            message = _("Et av kommunalområdene finnes ikke lenger. Velg på nytt.")
            raise InvalidInput(message, fields={"area_ids": [message]}) from None
        raise InvalidInput(_taken(), fields={"name": [_taken()]}) from None


def create_group(actor: User, values: Mapping) -> CompetenceGroup:
    """A new competence group: `name` (bokmål, required), `name_nn`, `name_en`, `description`,
    `cross_cutting` (bool) and `area_ids` (at least one unless cross-cutting).

    Raises NotAllowed, InvalidInput (a name empty, too long or taken; no or unknown areas).
    """
    _require_manage(actor)
    clean = _clean_group(values, None)
    group = CompetenceGroup(**clean)
    db.session.add(group)
    _commit_group(clean)
    return group


def update_group(actor: User, group: CompetenceGroup, values: Mapping) -> CompetenceGroup:
    """Change the group's names, description, cross-cutting flag or areas (what `values`
    holds; the rest stays). Raises NotAllowed, NotFound (deleted meanwhile), InvalidInput."""
    _require_manage(actor)
    group = _lock_group(_id_of(group))
    clean = _clean_group(values, group)
    for attribute, value in clean.items():
        setattr(group, attribute, value)
    _commit_group(clean)
    return group


def delete_group(actor: User, group: CompetenceGroup) -> None:
    """Delete the group. Its members' assessments stay (they are the members' own and count in
    the total). Raises NotAllowed, NotFound (deleted already)."""
    _require_manage(actor)
    group = _lock_group(_id_of(group))
    db.session.delete(group)
    db.session.commit()


def _lock_user(user_id: int) -> User | None:
    stmt = select(User).where(User.id == user_id).execution_options(populate_existing=True)
    if is_postgres():
        # A role change at the same moment waits, or is waited for: either way the member is
        # staff when added, and the role change's listener removes them if they stop being it.
        stmt = stmt.with_for_update(of=User)
    return db.session.scalars(stmt).first()


def add_group_member(actor: User, group: CompetenceGroup, user_id) -> User:
    """Add a member of staff to the group. Raises NotAllowed, NotFound (the group is gone),
    InvalidInput (no such person, not staff, already a member)."""
    _require_manage(actor)
    group = _lock_group(_id_of(group))
    errors: dict = {}
    ids = _as_id_list([user_id] if user_id not in (None, "") else [], "member", errors)
    person = _lock_user(ids[0]) if ids else None
    if person is None:
        message = _("Velg en ansatt fra listen.")
        raise InvalidInput(message, fields={"member": [message]})
    if not can_join_groups(person):
        message = _("%(name)s er ikke ansatt i kommunen. Bare ansatte kan være med i en kompetansegruppe.",
                    name=person.full_name)
        raise InvalidInput(message, fields={"member": [message]})
    already = _("%(name)s er allerede med i gruppen.", name=person.full_name)
    member = competence_group_members.c
    if db.session.scalar(select(func.count()).select_from(competence_group_members).where(
            member.group_id == group.id, member.user_id == person.id)):
        raise InvalidInput(already, fields={"member": [already]})
    db.session.execute(insert(competence_group_members).values(group_id=group.id, user_id=person.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same person added by someone else a moment ago
        db.session.rollback()
        raise InvalidInput(already, fields={"member": [already]}) from None
    db.session.expire(group, ["members"])
    return person


def remove_group_member(actor: User, group: CompetenceGroup, user_id: int) -> None:
    """Take a member out of the group; their assessments stop counting for it (they stay the
    person's own, in the total). Raises NotAllowed, NotFound, InvalidState (not a member)."""
    _require_manage(actor)
    group = _lock_group(_id_of(group))
    member = competence_group_members.c
    removed = db.session.execute(
        delete(competence_group_members).where(member.group_id == group.id, member.user_id == user_id)
    ).rowcount
    if not removed:
        db.session.rollback()
        raise InvalidState(_("Personen er ikke med i gruppen (lenger)."))
    db.session.commit()
    db.session.expire(group, ["members"])


# --- a member who stops being staff leaves every group -----------------------------------


def _on_role_changed(actor, user: User, old_role=None, new_role=None, **_kw) -> None:
    """Sent inside the role change's transaction (accounts.change_role): the removal commits or
    rolls back with it."""
    if not can_join_groups(user):
        # The new role is written (and the row locked) first: an add_group_member that locked
        # the person a moment earlier has committed by then, and this DELETE sees its row;
        # one that comes later waits for this transaction and finds a resident.
        db.session.flush()
        db.session.execute(delete(competence_group_members).where(
            competence_group_members.c.user_id == user.id))


def connect_signals() -> None:
    account_signals.role_changed.connect(_on_role_changed)
