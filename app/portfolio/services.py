"""Use cases of the portfolio domain: the municipal structure, projects, their links to ideas,
updates, assessments, the forum's decisions, criteria and local SDG targets.

Each public function is one transaction; a broken rule raises an error from core/errors.py.
Answering and merging ideas lives in answers.py.
"""

import re
from collections.abc import Mapping
from datetime import date

from flask import g
from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User, user_municipal_areas
from app.accounts.permissions import can, can_in_areas, scope_of
from app.core.db import is_postgres, utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.core.input import MAX_ID, MAX_KRONER, bad_text
from app.core.models import NAME_LENGTH, MunicipalArea, Sdg, ServiceArea
from app.extensions import db
from app.ideas.models import (
    PROJECT_MOVABLE,
    PROJECT_TRANSITIONS,
    Idea,
    IdeaStatus,
    StatusChange,
    Visibility,
)
from app.portfolio import audit, signals
from app.portfolio.answers import apply_status, site_path
from app.portfolio.models import (
    Assessment,
    Criterion,
    Decision,
    LocalTarget,
    Project,
    ProjectIdea,
    ProjectKind,
    ProjectPhase,
    ProjectPhaseChange,
    ProjectUpdate,
    project_local_targets,
)
from app.portfolio.permissions import (
    can_assess_project,
    can_assess_projects,
    can_edit_criteria,
    can_edit_local_targets,
    can_manage_project,
    can_manage_projects,
    can_record_decision,
    can_record_decisions,
    can_view_project,
)

# Models elsewhere that point at a service area register a check here, so that a service
# area in use is never deleted, whichever domain uses it (ideas, projects, ...).
SERVICE_AREA_USAGE_CHECKS: list = []
# The same for municipal areas (e.g. the systems register: owner and users of a system).
MUNICIPAL_AREA_USAGE_CHECKS: list = []


def _require_structure(actor: User) -> None:
    if not can(actor, "manage_structure"):
        raise NotAllowed(_("Bare administratorer kan endre kommunens struktur."))


# The form fields of an area's three names: `name` is the bokmål one (the column `name`).
AREA_NAME_FIELDS = {"name": "name_nb", "name_nn": "name_nn", "name_en": "name_en"}


def _clean_names_of_area(given: Mapping) -> dict[str, str]:
    """{attribute: clean name} for the fields given (a field left out is left as it is).

    Bokmål is required, nynorsk and English optional (empty: the bokmål name is shown);
    spaces are collapsed, at most NAME_LENGTH characters, no text a database cannot hold.
    Raises InvalidInput naming every field at fault.
    """
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for field, attribute in AREA_NAME_FIELDS.items():
        if field not in given or (given[field] is None and field != "name"):
            continue
        raw = given[field]
        if raw is not None and not isinstance(raw, str):
            errors[field] = [_("Skriv navnet som tekst.")]
            continue
        value = " ".join((raw or "").split())
        if bad_text(value):
            errors[field] = [_("Navnet inneholder et tegn som ikke kan lagres. Fjern det og prøv igjen.")]
        elif field == "name" and not value:
            errors[field] = [_("Skriv et navn.")]
        elif len(value) > NAME_LENGTH:
            errors[field] = [_("Navnet kan være høyst %(n)d tegn.", n=NAME_LENGTH)]
        else:
            clean[attribute] = value
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return clean


def _refuse_taken(names: dict[str, str], siblings, message: str) -> None:
    """The same name twice among siblings, in any language, would read as one area."""
    siblings = list(siblings)
    errors = {}
    for field, attribute in AREA_NAME_FIELDS.items():
        value = names.get(attribute, "").lower()
        if value and any((getattr(s, attribute) or "").lower() == value for s in siblings):
            errors[field] = [message]
    if errors:
        raise InvalidInput(message, fields=errors)


def _commit_names(message: str) -> None:
    """Commit; the unique constraint settles two admins saving the same name at once."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidInput(message, fields={"name": [message]}) from None


def list_structure(include_retired: bool = True) -> list[MunicipalArea]:
    stmt = select(MunicipalArea).order_by(MunicipalArea.position, MunicipalArea.name)
    if not include_retired:
        stmt = stmt.where(MunicipalArea.retired_at.is_(None))
    areas = db.session.scalars(stmt).all()
    return list(areas)


def active_service_areas_grouped() -> list[tuple[MunicipalArea, list[ServiceArea]]]:
    """Active service areas grouped by active municipal area, for pickers."""
    rows = db.session.execute(
        select(ServiceArea, MunicipalArea)
        .join(MunicipalArea)
        .where(ServiceArea.retired_at.is_(None), MunicipalArea.retired_at.is_(None))
        .order_by(MunicipalArea.position, MunicipalArea.name, ServiceArea.position, ServiceArea.name)
    ).all()
    grouped: dict[int, tuple[MunicipalArea, list[ServiceArea]]] = {}
    for service_area, area in rows:
        grouped.setdefault(area.id, (area, []))[1].append(service_area)
    return list(grouped.values())


def create_municipal_area(actor: User, name: str, name_nn: str = "", name_en: str = "") -> MunicipalArea:
    """A new municipal area named in bokmål, and optionally nynorsk and English.

    Raises NotAllowed for non-admins, InvalidInput for an empty, overlong or taken name.
    """
    _require_structure(actor)
    names = _clean_names_of_area({"name": name, "name_nn": name_nn, "name_en": name_en})
    taken = _("Det finnes allerede et kommunalområde med dette navnet.")
    _refuse_taken(names, db.session.scalars(select(MunicipalArea)), taken)
    position = (db.session.scalar(select(func.max(MunicipalArea.position))) or 0) + 1
    area = MunicipalArea(position=position, **names)
    db.session.add(area)
    _commit_names(taken)
    return area


def create_service_area(actor: User, municipal_area_id: int, name: str, name_nn: str = "",
                        name_en: str = "") -> ServiceArea:
    """A new service area under a municipal area, named in bokmål (and optionally nn, en).

    Raises NotAllowed, NotFound for an unknown area, InvalidInput for a bad or taken name.
    """
    _require_structure(actor)
    area = db.session.get(MunicipalArea, municipal_area_id)
    if area is None:
        raise NotFound(_("Fant ikke kommunalområdet."))
    names = _clean_names_of_area({"name": name, "name_nn": name_nn, "name_en": name_en})
    taken = _("Det finnes allerede et virksomhetsområde med dette navnet her.")
    _refuse_taken(names, area.service_areas, taken)
    position = max((s.position for s in area.service_areas), default=0) + 1
    service_area = ServiceArea(municipal_area=area, position=position, **names)
    db.session.add(service_area)
    _commit_names(taken)
    return service_area


def _get(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        raise NotFound(_("Fant ikke området."))
    return obj


def rename(actor: User, kind: str, object_id: int, name: str, name_nn: str | None = None,
           name_en: str | None = None):
    """Rename a municipal area ("municipal") or service area ("service") in bokmål, and in
    nynorsk and English where given (None leaves that name as it is, "" removes it).

    Raises NotAllowed, NotFound, InvalidInput for an empty, overlong or taken name.
    """
    _require_structure(actor)
    obj = _get(MunicipalArea if kind == "municipal" else ServiceArea, object_id)
    names = _clean_names_of_area({"name": name, "name_nn": name_nn, "name_en": name_en})
    if kind == "municipal":
        taken = _("Det finnes allerede et kommunalområde med dette navnet.")
        siblings = db.session.scalars(select(MunicipalArea).where(MunicipalArea.id != obj.id))
    else:
        taken = _("Det finnes allerede et virksomhetsområde med dette navnet her.")
        siblings = [s for s in obj.municipal_area.service_areas if s.id != obj.id]
    _refuse_taken(names, siblings, taken)
    for attribute, value in names.items():
        setattr(obj, attribute, value)
    _commit_names(taken)
    return obj


def move(actor: User, kind: str, object_id: int, direction: int):
    """Move one step up (-1) or down (+1) among its siblings."""
    _require_structure(actor)
    model = MunicipalArea if kind == "municipal" else ServiceArea
    obj = _get(model, object_id)
    siblings = list_structure() if kind == "municipal" else list(obj.municipal_area.service_areas)
    siblings.sort(key=lambda s: (s.position, s.name))
    index = siblings.index(obj)
    target = index + direction
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
        db.session.commit()
    return obj


def set_retired(actor: User, kind: str, object_id: int, retired: bool):
    """Retire (hide from pickers, keep history) or bring back an area."""
    _require_structure(actor)
    obj = _get(MunicipalArea if kind == "municipal" else ServiceArea, object_id)
    obj.retired_at = utcnow() if retired else None
    db.session.commit()
    return obj


def service_area_in_use(service_area: ServiceArea) -> bool:
    return any(check(service_area.id) for check in SERVICE_AREA_USAGE_CHECKS)


def delete_area(actor: User, kind: str, object_id: int) -> None:
    """Delete an area nobody uses. Raises InvalidState when it is in use: retire it instead."""
    _require_structure(actor)
    if kind == "municipal":
        area = _get(MunicipalArea, object_id)
        if area.service_areas:
            raise InvalidState(_("Kommunalområdet har virksomhetsområder. Pensjoner det i stedet."))
        # Deleting it would leave its staff limited to nothing, or (their last area gone) to
        # nothing at all, which is the whole municipality: the admin decides first.
        if db.session.scalar(select(exists().where(user_municipal_areas.c.municipal_area_id == area.id))):
            raise InvalidState(_("Noen ansatte har rollen sin avgrenset til dette kommunalområdet. "
                                 "Ta det bort fra dem under Brukere først, eller pensjoner området."))
        if any(check(area.id) for check in MUNICIPAL_AREA_USAGE_CHECKS):
            raise InvalidState(_("Kommunalområdet er i bruk, for eksempel i systemregisteret. "
                                 "Pensjoner det i stedet."))
        db.session.delete(area)
    else:
        service_area = _get(ServiceArea, object_id)
        if service_area_in_use(service_area):
            raise InvalidState(_("Virksomhetsområdet er i bruk. Pensjoner det i stedet for å slette det."))
        db.session.delete(service_area)
        g.pop("service_area_parents", None)  # accounts.permissions.municipal_area_of: its id may return
    db.session.commit()


# --- what uses a service area -----------------------------------------------------------


def _projects_use(service_area_id: int) -> bool:
    from app.portfolio.models import project_service_areas

    owner = select(Project.id).where(Project.owner_service_area_id == service_area_id)
    participant = select(project_service_areas.c.project_id).where(
        project_service_areas.c.service_area_id == service_area_id
    )
    return bool(db.session.scalar(select(exists(owner) | exists(participant))))


def _ideas_use(service_area_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Idea.service_area_id == service_area_id))))


for _check in (_projects_use, _ideas_use):
    if _check not in SERVICE_AREA_USAGE_CHECKS:
        SERVICE_AREA_USAGE_CHECKS.append(_check)


# --- projects ---------------------------------------------------------------------------

MIN_TITLE = 3
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_NOTE = 2000
MAX_TEXT = 5000
PROJECT_FIELDS = frozenset({
    "title", "description", "kind", "phase", "owner_service_area_id", "service_area_ids",
    "responsible_id", "sdgs", "local_target_ids", "estimated_cost", "planned_start",
    "planned_end", "progress", "public", "phase_explanation",
})


def project_path(project_id: int) -> str:
    return site_path("portfolio.project", project_id=project_id)


# What a staff screen is about to do with a project, and who may (get_project's `to`).
_PROJECT_ACTS = {"manage": can_manage_project, "assess": can_assess_project, "decide": can_record_decision}


def get_project(viewer: User | None, project_id: int, *, to: str | None = None, shown: bool = False) -> Project:
    """The project, if the viewer may see it. Raises NotFound otherwise (internal projects
    are not admitted to exist for the public, nor to staff of other municipal areas).

    `to` ("manage", "assess", "decide"): for a staff screen that acts on it; raises
    NotAllowed when the project belongs to other municipal areas than the viewer's.
    `shown`: for a GET that only shows the project (queries.shown_project: its areas, goals and
    targets are read-only copies); never for a request that changes it.
    """
    from app.portfolio.queries import load_project, shown_project

    project = shown_project(project_id) if shown else load_project(project_id)
    if project is None or not can_view_project(viewer, project):
        raise NotFound(_("Fant ikke prosjektet."))
    if to is not None:
        _require_area(_PROJECT_ACTS[to](viewer, project))
    return project


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _require_area(allowed: bool) -> None:
    """After the capability: staff limited to some municipal areas act on theirs only."""
    _require(allowed, _("Prosjektet hører til et annet kommunalområde enn ditt."))


def _keep_in_scope(actor: User, clean: dict, project: Project | None) -> None:
    """A project that staff limited to some areas make or change must still belong to one of
    their areas afterwards (owner or participating service area), or it would be lost to them.
    Raises InvalidInput on the field that moved it away."""
    if scope_of(actor) is None:
        return
    owner = clean.get("owner_service_area") or project.owner_service_area
    others = clean.get("service_areas", project.service_areas if project else [])
    areas = {owner.municipal_area_id, *(service_area.municipal_area_id for service_area in others)}
    if can_in_areas(actor, "manage_portfolio", lambda: areas):
        return
    moved_owner = project is None or owner.id != project.owner_service_area_id
    field = "owner_service_area_id" if moved_owner else "service_area_ids"
    message = _("Prosjektet må høre til et av kommunalområdene dine: velg et virksomhetsområde der.")
    raise InvalidInput(message, fields={field: [message]})


def _as_int(value, field: str, errors: dict, message: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        errors[field] = message
        return None
    try:
        return int(str(value).replace(" ", "").replace("\u00a0", "")) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
        errors[field] = message
        return None


def _as_date(value, field: str, errors: dict) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("Skriv datoen som ÅÅÅÅ-MM-DD.")
        return None


def _as_id(value, field: str, errors: dict, message: str) -> int | None:
    """An id, or None with `message` on the field: no row has an id past MAX_ID, and asking the
    database for one is an error there rather than an empty answer."""
    number = _as_int(value, field, errors, message)
    if number is not None and not 1 <= number <= MAX_ID:
        errors[field] = message
        return None
    return number


def _as_id_list(value, field: str, errors: dict) -> list[int]:
    if value is None or value == "":
        return []
    if not isinstance(value, (list, tuple, set)):
        errors[field] = _("Må være en liste.")
        return []
    out = []
    for item in value:
        number = _as_id(item, field, errors, _("Må være en liste med tall."))
        if number is not None and number not in out:
            out.append(number)
    return out


def _clean_project(values: Mapping, project: Project | None) -> dict:
    """Check a project's fields; every problem is reported at once, by field."""
    errors: dict[str, str] = {}
    clean: dict = {}
    creating = project is None
    if "title" in values or creating:
        title = " ".join(str(values.get("title") or "").split())
        if len(title) < MIN_TITLE:
            errors["title"] = _("Skriv en tittel på minst %(n)d tegn.", n=MIN_TITLE)
        elif len(title) > MAX_TITLE:
            errors["title"] = _("Tittelen kan være høyst %(n)d tegn.", n=MAX_TITLE)
        clean["title"] = title
    if "description" in values:
        description = str(values.get("description") or "").strip().replace("\r\n", "\n")
        if len(description) > MAX_DESCRIPTION:
            errors["description"] = _("Beskrivelsen kan være høyst %(n)d tegn.", n=MAX_DESCRIPTION)
        clean["description"] = description
    for field, enum_cls, message in (
        ("kind", ProjectKind, _("Velg hva slags arbeid det er.")),
        ("phase", ProjectPhase, _("Velg en fase.")),
    ):
        if field in values:
            try:
                clean[field] = enum_cls(values[field])
            except ValueError:
                errors[field] = message
    if "owner_service_area_id" in values or creating:
        owner_id = _as_id(values.get("owner_service_area_id"), "owner_service_area_id", errors,
                           _("Velg virksomhetsområdet som eier arbeidet."))
        owner = db.session.get(ServiceArea, owner_id) if owner_id else None
        if owner is None:
            errors["owner_service_area_id"] = _("Velg virksomhetsområdet som eier arbeidet.")
        elif owner.retired and (creating or owner.id != project.owner_service_area_id):
            errors["owner_service_area_id"] = _("Virksomhetsområdet er pensjonert.")
        clean["owner_service_area"] = owner
    if "service_area_ids" in values:
        ids = _as_id_list(values.get("service_area_ids"), "service_area_ids", errors)
        found = db.session.scalars(select(ServiceArea).where(ServiceArea.id.in_(ids))).all() if ids else []
        if len(found) != len(ids):
            errors["service_area_ids"] = _("Ett eller flere virksomhetsområder finnes ikke.")
        clean["service_areas"] = list(found)
    if "responsible_id" in values:
        responsible_id = _as_id(values.get("responsible_id"), "responsible_id", errors,
                                 _("Velg en ansvarlig blant de ansatte."))
        responsible = db.session.get(User, responsible_id) if responsible_id else None
        if responsible_id and (responsible is None or not can(responsible, "staff")):
            errors["responsible_id"] = _("Den ansvarlige må være en av kommunens ansatte i Medvirk.")
        clean["responsible"] = responsible
    if "sdgs" in values:
        numbers = _as_id_list(values.get("sdgs"), "sdgs", errors)
        goals = db.session.scalars(select(Sdg).where(Sdg.number.in_(numbers))).all() if numbers else []
        if len(goals) != len(numbers):
            errors["sdgs"] = _("Bærekraftsmålene er nummerert fra 1 til 17.")
        clean["sdgs"] = list(goals)
    if "local_target_ids" in values:
        ids = _as_id_list(values.get("local_target_ids"), "local_target_ids", errors)
        targets = db.session.scalars(select(LocalTarget).where(LocalTarget.id.in_(ids))).all() if ids else []
        if len(targets) != len(ids):
            errors["local_target_ids"] = _("Ett eller flere lokale delmål finnes ikke.")
        clean["local_targets"] = list(targets)
    if "estimated_cost" in values:
        cost = _as_int(values.get("estimated_cost"), "estimated_cost", errors,
                       _("Skriv kostnaden i hele kroner, bare med tall."))
        if cost is not None and cost < 0:
            errors["estimated_cost"] = _("Kostnaden kan ikke være negativ.")
        elif cost is not None and cost > MAX_KRONER:
            # The column is a BIGINT; 1e137 or 2**63 would be a database error, not a message.
            errors["estimated_cost"] = _("Kostnaden kan være høyst %(max)s kroner.",
                                         max=f"{MAX_KRONER:,}".replace(",", " "))
            cost = None
        clean["estimated_cost"] = cost
    for field in ("planned_start", "planned_end"):
        if field in values:
            clean[field] = _as_date(values.get(field), field, errors)
    if "progress" in values:
        progress = _as_int(values.get("progress"), "progress", errors,
                           _("Framdrift er et tall fra 0 til 100."))
        if progress is not None and not 0 <= progress <= 100:
            errors["progress"] = _("Framdrift er et tall fra 0 til 100.")
        clean["progress"] = progress or 0
    if "public" in values:
        if not isinstance(values["public"], bool):
            errors["public"] = _("Må være sann eller usann.")
        clean["public"] = bool(values["public"])
    start = clean.get("planned_start", project.planned_start if project else None)
    end = clean.get("planned_end", project.planned_end if project else None)
    if start and end and end < start and "planned_end" not in errors:
        errors["planned_end"] = _("Planlagt slutt kan ikke være før planlagt start.")
    if errors:
        raise InvalidInput(_("Noe i prosjektet må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    owner = clean.get("owner_service_area") or (project.owner_service_area if project else None)
    if "service_areas" in clean and owner is not None:
        # The owner is not also a participant of its own project.
        clean["service_areas"] = [sa for sa in clean["service_areas"] if sa.id != owner.id]
    return clean


def _check_progress(clean: dict, project: Project | None, errors: dict) -> None:
    """Completed means 100 %: completing sets it, and a lower progress is refused.

    A progress the person did not change (the edit form sends the stored one) is raised to
    100 when the project is completed; a different progress below 100 is an error next to
    the field, as it is on a project that is already completed.
    """
    stored = project.progress if project is not None else 0
    phase = clean.get("phase", project.phase if project is not None else ProjectPhase.PROPOSED)
    if phase != ProjectPhase.COMPLETED or "progress" in errors:
        return
    given = clean.get("progress")
    completing = project is None or project.phase != ProjectPhase.COMPLETED
    if given is not None and given < 100 and (given != stored or not completing):
        errors["progress"] = _("Et fullført prosjekt har framdrift 100 %. Velg en annen fase "
                               "for å sette lavere framdrift.")
    else:
        clean["progress"] = 100


def create_project(actor: User, values: Mapping) -> Project:
    """Create a project (completed ones at 100 %). Raises NotAllowed, InvalidInput (by field)."""
    _require(can_manage_projects(actor), _("Bare porteføljeforvaltere kan opprette prosjekter."))
    clean = _clean_project(values, None)
    _keep_in_scope(actor, clean, None)
    errors: dict[str, str] = {}
    _check_progress(clean, None, errors)
    if errors:
        raise InvalidInput(_("Noe i prosjektet må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    project = Project(created_by_id=actor.id, kind=ProjectKind.PROJECT, phase=ProjectPhase.PROPOSED,
                      progress=0, public=True, description="")
    for name, value in clean.items():
        setattr(project, name, value)
    db.session.add(project)
    db.session.commit()
    return project


def update_project(actor: User, project: Project, changes: Mapping) -> Project:
    """Change some of a project's fields. A new phase goes through the same rules as
    change_project_phase (an explanation for a cancellation, 100 % when completed, the
    linked ideas' status), decided on the locked, current row.

    Raises NotAllowed, InvalidInput (by field), InvalidState (the project changed meanwhile).
    """
    _require(can_manage_projects(actor), _("Bare porteføljeforvaltere kan endre prosjekter."))
    _require_area(can_manage_project(actor, project))
    _lock_project(project)
    clean = _clean_project(changes, project)
    _keep_in_scope(actor, clean, project)
    errors: dict[str, str] = {}
    explanation = ""
    phase = clean.pop("phase", project.phase)
    if phase != project.phase:
        explanation = _clean_phase_explanation(phase, changes.get("phase_explanation"),
                                               "phase_explanation", errors)
    _check_progress({**clean, "phase": phase}, project, errors)
    if errors:
        raise InvalidInput(_("Noe i prosjektet må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    if phase == ProjectPhase.COMPLETED:
        clean["progress"] = 100
    before = audit.snapshot(project)  # cost, public, owner, responsible, priorities
    for name, value in clean.items():
        setattr(project, name, value)
    audit.record_differences(project, actor, before)
    moved = _set_phase(actor, project, phase, explanation) if phase != project.phase else None
    db.session.commit()
    if moved is not None:
        _send_phase_signals(actor, project, *moved)
    return project


# --- phases: what a project's phase does to its linked ideas ----------------------------

# The status each phase gives the project's ideas; proposed and cancelled give none (the idea
# goes back to its own answer unless another project still drives it).
PHASE_STATUS = {
    ProjectPhase.PLANNED: IdeaStatus.PLANNED,
    ProjectPhase.IN_PROGRESS: IdeaStatus.IN_PROGRESS,
    ProjectPhase.COMPLETED: IdeaStatus.IMPLEMENTED,
}
# An idea in several projects follows the most advanced one that is not cancelled.
_PHASE_RANK = {ProjectPhase.PLANNED: 1, ProjectPhase.IN_PROGRESS: 2, ProjectPhase.COMPLETED: 3}


def _lock_project(project: Project) -> Project:
    """The project's current row, locked until the transaction ends (FOR UPDATE on
    PostgreSQL), so two phase changes, or a phase change and a link, happen one after the
    other and each decides on what the other stored."""
    stmt = (select(Project).where(Project.id == project.id)
            .execution_options(populate_existing=True))
    if is_postgres():
        stmt = stmt.with_for_update(of=Project)
    db.session.scalars(stmt).one()
    return project


def _clean_phase_explanation(phase: ProjectPhase, explanation, field: str, errors: dict) -> str:
    text = str(explanation or "").strip().replace("\r\n", "\n")
    if phase == ProjectPhase.CANCELLED and not text:
        errors[field] = _("Skriv hvorfor prosjektet er avlyst. Forklaringen vises på idéene "
                          "som hører til det.")
    elif len(text) > MAX_NOTE:
        errors[field] = _("Forklaringen kan være høyst %(n)d tegn.", n=MAX_NOTE)
    return text


def parse_phase(value) -> ProjectPhase:
    try:
        return ProjectPhase(value)
    except ValueError:
        message = _("Velg en fase.")
        raise InvalidInput(message, fields={"phase": [message]}) from None


def change_project_phase(actor: User, project: Project, phase, explanation: str = "") -> ProjectPhaseChange:
    """Move a project to another phase, and its linked ideas with it.

    Planned, in progress and completed give the ideas the status "planned", "in progress"
    and "implemented"; completed sets progress to 100. A cancellation needs an explanation,
    and hands each idea back to the answer it had before a project drove it (unless another
    project still does). Decided on the locked, current row.

    Raises NotAllowed, InvalidInput (unknown phase, missing or long explanation),
    InvalidState (the project is already in that phase).
    """
    _require(can_manage_projects(actor), _("Bare porteføljeforvaltere kan endre prosjekter."))
    _require_area(can_manage_project(actor, project))
    phase = parse_phase(phase)
    _lock_project(project)
    if phase == project.phase:
        message = _("Prosjektet er allerede i fasen «%(phase)s».", phase=project.phase_label)
        raise InvalidState(message, fields={"phase": [message]})
    errors: dict[str, str] = {}
    explanation = _clean_phase_explanation(phase, explanation, "explanation", errors)
    if errors:
        raise InvalidInput(_("Noe i faseendringen må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    record, changes = _set_phase(actor, project, phase, explanation)
    db.session.commit()
    _send_phase_signals(actor, project, record, changes)
    return record


def _set_phase(actor: User, project: Project, phase: ProjectPhase,
               explanation: str) -> tuple[ProjectPhaseChange, list[tuple[Idea, StatusChange]]]:
    """Write the phase change and move the linked ideas, in the caller's transaction."""
    now = utcnow()
    record = ProjectPhaseChange(project_id=project.id, from_phase=project.phase, to_phase=phase,
                                explanation=explanation, changed_by_id=actor.id, created_at=now)
    db.session.add(record)
    audit.record_project_change(project, actor, "phase", project.phase, phase)
    project.phase = phase
    if phase == ProjectPhase.COMPLETED:
        project.progress = 100
    db.session.flush()
    linked = list(db.session.scalars(
        select(ProjectIdea.idea_id).where(ProjectIdea.project_id == project.id)
    ))
    changes = _drive_ideas(actor, linked, project, explanation, now)
    return record, changes


def _send_phase_signals(actor: User, project: Project, record: ProjectPhaseChange,
                        changes: list[tuple[Idea, StatusChange]]) -> None:
    for idea, change in changes:
        signals.idea_status_changed.send(idea, status_change=change, actor=actor)
    signals.project_phase_changed.send(project, phase_change=record, actor=actor)


def _default_text(message_id: str, **values) -> str:
    """A sentence stored in the public history, so written in the platform's default language."""
    from flask import current_app
    from flask_babel import force_locale

    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        return _phase_sentence(message_id, **values)


def _phase_sentence(kind: str, **values) -> str:
    # Each sentence is a literal here so that the extractor finds it.
    sentences = {
        "public_planned": lambda: _("Prosjektet «%(title)s» er planlagt.", **values),
        "public_in_progress": lambda: _("Arbeidet i prosjektet «%(title)s» er i gang.", **values),
        "public_completed": lambda: _("Prosjektet «%(title)s» er fullført.", **values),
        "public_cancelled": lambda: _("Prosjektet «%(title)s» er avlyst.", **values),
        "public_proposed": lambda: _("Prosjektet «%(title)s» er tilbake på forslagsstadiet.", **values),
        "internal_planned": lambda: _("Kommunens interne arbeid med idéen er planlagt."),
        "internal_in_progress": lambda: _("Kommunens interne arbeid med idéen er i gang."),
        "internal_completed": lambda: _("Kommunens interne arbeid med idéen er fullført."),
        "internal_cancelled": lambda: _("Kommunens interne arbeid med idéen er avlyst."),
        "internal_proposed": lambda: _("Kommunens interne arbeid med idéen er tilbake på forslagsstadiet."),
        "public_follows": lambda: _("Idéen er også en del av prosjektet «%(title)s», og følger det.", **values),
        "internal_follows": lambda: _("Idéen er også en del av kommunens interne arbeid, og følger det."),
        "back": lambda: _("Idéen har igjen svaret den hadde før prosjektet.", **values),
        "public_unlinked": lambda: _("Idéen er ikke lenger en del av prosjektet «%(title)s».", **values),
        "internal_unlinked": lambda: _("Idéen er ikke lenger en del av kommunens interne arbeid."),
    }
    return sentences[kind]()


def _project_sentence(project: Project, kind: str) -> str:
    prefix = "public" if project.public else "internal"
    return _default_text(f"{prefix}_{kind}", title=project.title)


def _previous_answer(history: list[StatusChange]) -> IdeaStatus | None:
    """The status before the trailing run of project-made changes, or None when the last
    change was not made by a project (the idea has its own answer; leave it)."""
    if not history or not history[-1].by_project:
        return None
    first = history[-1]
    for change in reversed(history):
        if not change.by_project:
            break
        first = change
    return first.from_status


def _drive_ideas(actor: User, idea_ids: list[int], trigger: Project, explanation: str,
                 now, said: str | None = None) -> list[tuple[Idea, StatusChange]]:
    """Give each idea the status its projects' phases say, writing a StatusChange each.

    The one place a project moves ideas (PROJECT_TRANSITIONS in app/ideas/models.py): the
    most advanced non-cancelled project wins; with none, an idea a project had moved goes
    back to its earlier answer. Hidden, merged, declined, withdrawn and implemented-by-hand
    ideas stay. Three queries for the lot, then one UPDATE and one INSERT per moved idea.
    """
    if not idea_ids:
        return []
    stmt = (select(Idea).where(Idea.id.in_(idea_ids)).order_by(Idea.id)
            .execution_options(populate_existing=True))
    if is_postgres():
        stmt = stmt.with_for_update(of=Idea)
    ideas = list(db.session.scalars(stmt))
    best: dict[int, Project] = {}
    for idea_id, project in db.session.execute(
        select(ProjectIdea.idea_id, Project).join(Project, Project.id == ProjectIdea.project_id)
        .where(ProjectIdea.idea_id.in_(idea_ids), Project.phase.in_(list(PHASE_STATUS)))
        .order_by(ProjectIdea.idea_id, Project.id)
    ).all():
        current = best.get(idea_id)
        if current is None or _PHASE_RANK[project.phase] > _PHASE_RANK[current.phase]:
            best[idea_id] = project
    histories: dict[int, list[StatusChange]] = {idea_id: [] for idea_id in idea_ids}
    for change in db.session.scalars(
        select(StatusChange).where(StatusChange.idea_id.in_(idea_ids))
        .order_by(StatusChange.idea_id, StatusChange.created_at, StatusChange.id)
    ):
        histories[change.idea_id].append(change)
    if said is None:  # what happened to the trigger project, in the ideas' public history
        said = _project_sentence(trigger, trigger.phase.value)
    if explanation:
        said = f"{said} {explanation}"
    out = []
    for idea in ideas:
        if idea.visibility != Visibility.VISIBLE or idea.status not in PROJECT_MOVABLE:
            continue
        leader = best.get(idea.id)
        history = histories[idea.id]
        if idea.status == IdeaStatus.IMPLEMENTED and not (history and history[-1].by_project):
            continue  # implemented by the municipality's own answer, not by a project
        if leader is not None:
            target = PHASE_STATUS[leader.phase]
            text = said if leader.id == trigger.id else f"{said} {_project_sentence(leader, 'follows')}"
        else:
            target = _previous_answer(history)
            text = f"{said} {_default_text('back')}"
        if target is None or target == idea.status:
            continue
        if target not in PROJECT_TRANSITIONS.get(idea.status, frozenset()):
            continue
        from_status = idea.status
        result = db.session.execute(
            update(Idea).where(Idea.id == idea.id, Idea.status == from_status)
            .values(status=target, first_answered_at=func.coalesce(Idea.first_answered_at, now)),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount != 1:
            continue
        change = StatusChange(idea_id=idea.id, from_status=from_status, to_status=target,
                              explanation=text, changed_by_id=actor.id, created_at=now,
                              by_project=True)
        db.session.add(change)
        db.session.expire(idea, ["status", "first_answered_at", "updated_at"])
        out.append((idea, change))
    db.session.flush()
    return out


# --- linking ideas ----------------------------------------------------------------------

# Linking an idea in one of these moves it to `accepted`, with the note as the answer.
ACCEPT_ON_LINK = frozenset({IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW})


def _internal_work_answer() -> str:
    # Stored as the public answer, so written in the platform's default language.
    from flask import current_app
    from flask_babel import force_locale

    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        return _("Idéen er tatt med i kommunens interne arbeid. Arbeidet er ikke offentlig ennå, "
                 "men du får beskjed her når det skjer noe med idéen.")


def link_idea(actor: User, project: Project, idea: Idea, note: str = "") -> ProjectIdea:
    """Make an idea part of a project, with a note shown with the link.

    A submitted or under-review idea is accepted at the same time, and a project already
    planned, in progress or completed moves it on to match (see _drive_ideas). For a public project the
    note is the municipality's public answer; an internal project is never named in public,
    so its idea gets a fixed answer (the municipality's internal work) and the note stays with
    the link, which only those who see the project read. Raises NotAllowed, InvalidState
    (already linked, or the idea is hidden, withdrawn or merged), InvalidInput (the note is
    missing where it is the answer, or too long).
    """
    _require(can_manage_projects(actor), _("Bare porteføljeforvaltere kan koble idéer til prosjekter."))
    _require_area(can_manage_project(actor, project))
    _lock_project(project)  # the phase the idea will follow is the stored one
    if idea.status in (IdeaStatus.WITHDRAWN, IdeaStatus.MERGED) or idea.visibility != Visibility.VISIBLE:
        raise InvalidState(_("Idéen er skjult, trukket tilbake eller slått sammen, og kan ikke kobles."))
    if db.session.scalar(select(ProjectIdea.id).where(
        ProjectIdea.project_id == project.id, ProjectIdea.idea_id == idea.id
    )):
        raise InvalidState(_("Idéen er allerede koblet til dette prosjektet."))
    note = (note or "").strip()
    accepts = idea.status in ACCEPT_ON_LINK
    if accepts and project.public and not note:
        message = _("Skriv en offentlig merknad. Idéen blir godtatt, og merknaden er kommunens svar.")
        raise InvalidInput(message, fields={"note": [message]})
    if len(note) > MAX_NOTE:
        message = _("Merknaden kan være høyst %(n)d tegn.", n=MAX_NOTE)
        raise InvalidInput(message, fields={"note": [message]})
    change = None
    if accepts:
        answer = note if project.public else _internal_work_answer()
        change = apply_status(actor, idea, IdeaStatus.ACCEPTED, answer)
    link = ProjectIdea(project_id=project.id, idea_id=idea.id, note=note, linked_by_id=actor.id)
    db.session.add(link)
    db.session.flush()
    # A project already planned, in progress or completed moves the idea to match at once.
    driven = _drive_ideas(actor, [idea.id], project, "", utcnow()) if project.phase in PHASE_STATUS else []
    if change is None and project.public and idea.author_id != actor.id:
        from app.notifications.services import notify

        notify(idea.author, "portfolio.linked", "portfolio_linked", url=project_path(project.id),
               idea=idea, project=project, note=note)
    db.session.commit()
    if change is not None:
        signals.idea_status_changed.send(idea, status_change=change, actor=actor)
    for moved, moved_change in driven:
        signals.idea_status_changed.send(moved, status_change=moved_change, actor=actor)
    return link


def unlink_idea(actor: User, project: Project, idea: Idea) -> None:
    """Take an idea out of a project. A status the project gave it does not outlive the link:
    the idea follows its other projects, or gets back its earlier answer; a status staff gave
    it stays. Raises NotAllowed, NotFound."""
    _require(can_manage_projects(actor), _("Bare porteføljeforvaltere kan koble fra idéer."))
    _require_area(can_manage_project(actor, project))
    _lock_project(project)
    link = db.session.scalar(select(ProjectIdea).where(
        ProjectIdea.project_id == project.id, ProjectIdea.idea_id == idea.id
    ))
    if link is None:
        raise NotFound(_("Idéen er ikke koblet til prosjektet."))
    db.session.delete(link)
    db.session.flush()
    said = _default_text(f"{'public' if project.public else 'internal'}_unlinked", title=project.title)
    driven = _drive_ideas(actor, [idea.id], project, "", utcnow(), said=said)
    db.session.commit()
    for moved, change in driven:
        signals.idea_status_changed.send(moved, status_change=change, actor=actor)


# --- updates ----------------------------------------------------------------------------


def post_project_update(actor: User, project: Project, text: str, progress=None) -> ProjectUpdate:
    """A dated progress note, optionally with a new progress value.

    The authors of the linked ideas and the project's and ideas' followers get a notice
    when the project is public (app/notifications/listeners.py).
    Raises NotAllowed, InvalidInput.
    """
    _require(can_manage_projects(actor), _("Bare porteføljeforvaltere kan skrive oppdateringer."))
    _require_area(can_manage_project(actor, project))
    errors: dict[str, str] = {}
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        errors["text"] = _("Skriv hva som har skjedd.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("Oppdateringen kan være høyst %(n)d tegn.", n=MAX_TEXT)
    progress = _as_int(progress, "progress", errors, _("Framdrift er et tall fra 0 til 100."))
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = _("Framdrift er et tall fra 0 til 100.")
    # Progress never contradicts the phase: below 100 % on a completed project is refused;
    # 100 % on one that is not completed is kept, and the project page offers to complete it.
    if progress is not None and progress < 100 and _lock_project(project).phase == ProjectPhase.COMPLETED:
        errors["progress"] = _("Et fullført prosjekt har framdrift 100 %. Velg en annen fase "
                               "for å sette lavere framdrift.")
    if errors:
        raise InvalidInput(_("Noe i oppdateringen må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    update_row = ProjectUpdate(project_id=project.id, author_id=actor.id, text=text, progress=progress)
    db.session.add(update_row)
    if progress is not None:
        project.progress = progress
    db.session.flush()
    db.session.commit()
    # The authors of the linked ideas and everyone who follows the project or one of its
    # ideas hear of it from the notifications' set-based fan-out (app/notifications/listeners.py).
    signals.project_update_posted.send(project, update=update_row, actor=actor)
    return update_row


# --- assessments and decisions ----------------------------------------------------------


def assess_project(actor: User, project: Project, scores: Mapping, comments: Mapping | None = None,
                   comment: str = "") -> list[Assessment]:
    """Record the actor's scores (1–5) of the project, by criterion key; a blank score
    removes the actor's earlier one. `comments` are per criterion, `comment` for the rest.

    Raises NotAllowed, InvalidInput (unknown or computed criterion, score outside 1–5,
    nothing to record).
    """
    _require(can_assess_projects(actor), _("Bare kommunens ansatte kan vurdere prosjekter."))
    _require_area(can_assess_project(actor, project))
    criteria = {c.key: c for c in db.session.scalars(select(Criterion))}
    comments = comments or {}
    errors: dict[str, str] = {}
    wanted: dict[int, tuple[int | None, str]] = {}
    for key, raw in (scores or {}).items():
        criterion = criteria.get(str(key))
        if criterion is None:
            errors[str(key)] = _("Ukjent kriterium.")
            continue
        if criterion.computed:
            if raw not in (None, ""):
                errors[str(key)] = _("Innbyggerstøtte regnes ut fra stemmene og kan ikke vurderes.")
            continue
        score = _as_int(raw, str(key), errors, _("Gi en poengsum fra 1 til 5."))
        if score is not None and not 1 <= score <= 5:
            errors[str(key)] = _("Gi en poengsum fra 1 til 5.")
        text = str(comments.get(key) or comment or "").strip()
        if len(text) > MAX_NOTE:
            errors[str(key)] = _("Kommentaren kan være høyst %(n)d tegn.", n=MAX_NOTE)
        wanted[criterion.id] = (score, text)
    if not errors and not wanted:
        errors["scores"] = _("Gi minst én poengsum.")
    if errors:
        raise InvalidInput(_("Noe i vurderingen må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    existing = {
        a.criterion_id: a for a in db.session.scalars(select(Assessment).where(
            Assessment.project_id == project.id, Assessment.assessor_id == actor.id
        ))
    }
    kept = []
    for criterion_id, (score, text) in wanted.items():
        row = existing.get(criterion_id)
        if score is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = Assessment(project_id=project.id, assessor_id=actor.id, criterion_id=criterion_id)
            db.session.add(row)
        row.score = score
        row.comment = text
        kept.append(row)
    db.session.commit()
    return kept


def record_decision(actor: User, project: Project, meeting_date, outcome, rationale: str,
                    deferred_to=None, merged_into_id=None) -> Decision:
    """Record the forum's decision on a project, outside the minutes of a meeting in Medvirk
    (the minutes: meetings.record_meeting_decision). The same rules (meetings.clean_decision):
    deferred needs the date it is deferred to, merged the project it joins, reasons always.
    Writes the audit log; the followers hear of it. Raises NotAllowed, InvalidInput."""
    from app.portfolio import meetings

    _require(can_record_decisions(actor), _("Bare porteføljeforvaltere kan føre beslutninger."))
    _require_area(can_record_decision(actor, project))
    errors: dict[str, str] = {}
    day = _as_date(meeting_date, "meeting_date", errors)
    if day is None and "meeting_date" not in errors:
        errors["meeting_date"] = _("Skriv datoen for møtet.")
    try:
        clean = meetings.clean_decision(actor, project, day, {
            "outcome": outcome, "rationale": rationale, "deferred_to": deferred_to,
            "merged_into_id": merged_into_id,
        })
    except InvalidInput as error:
        errors.update({field: messages[0] for field, messages in error.fields.items()})
    if errors:
        raise InvalidInput(next(iter(errors.values())) if len(errors) == 1 else _("Noe i beslutningen må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    decision = Decision(project_id=project.id, meeting_date=day, recorded_by_id=actor.id, **clean)
    db.session.add(decision)
    db.session.flush()
    meetings.after_decision(actor, project, decision)
    db.session.commit()
    signals.decision_recorded.send(project, decision=decision, actor=actor, corrected=False)
    return decision


# --- criteria and local targets (admins) ------------------------------------------------

_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
LOCALES = ("nb", "nn", "en")


def _clean_names(values: Mapping, prefix: str, max_length: int, required_message: str,
                 errors: dict) -> dict:
    clean = {}
    for locale in LOCALES:
        name = f"{prefix}_{locale}"
        value = " ".join(str(values.get(name) or "").split()) if max_length <= 200 else str(
            values.get(name) or "").strip()
        if locale == "nb" and not value:
            errors[name] = required_message
        elif len(value) > max_length:
            errors[name] = _("Høyst %(n)d tegn.", n=max_length)
        clean[name] = value
    return clean


def save_criterion(actor: User, criterion: Criterion | None, values: Mapping) -> Criterion:
    """Create (criterion None) or change a prioritisation criterion.

    Raises NotAllowed (not an admin), InvalidInput (bad key, name or weight).
    """
    _require(can_edit_criteria(actor), _("Bare administratorer kan endre kriteriene."))
    errors: dict[str, str] = {}
    clean = _clean_names(values, "name", 120, _("Skriv navnet på bokmål."), errors)
    for locale in LOCALES:
        clean[f"description_{locale}"] = str(values.get(f"description_{locale}") or "").strip()
    weight = _as_int(values.get("weight"), "weight", errors, _("Vekten er et helt tall fra 0 til 100."))
    if weight is None or not 0 <= weight <= 100:
        errors["weight"] = _("Vekten er et helt tall fra 0 til 100.")
    if criterion is None:
        key = str(values.get("key") or "").strip().lower()
        if not _KEY.match(key):
            errors["key"] = _("Nøkkelen er 2–40 små bokstaver (a–z), tall eller understrek, og begynner med en bokstav.")
        elif db.session.scalar(select(Criterion.id).where(Criterion.key == key)):
            errors["key"] = _("Det finnes allerede et kriterium med denne nøkkelen.")
    if errors:
        raise InvalidInput(_("Noe i kriteriet må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    if criterion is None:
        position = (db.session.scalar(select(func.max(Criterion.position))) or 0) + 1
        criterion = Criterion(key=key, position=position)
        db.session.add(criterion)
    for name, value in clean.items():
        setattr(criterion, name, value)
    criterion.weight = weight
    db.session.commit()
    return criterion


def set_criteria_weights(actor: User, weights: Mapping) -> list[Criterion]:
    """Set several criteria's weights at once, by criterion id. Raises NotAllowed, InvalidInput."""
    _require(can_edit_criteria(actor), _("Bare administratorer kan endre kriteriene."))
    criteria = {str(c.id): c for c in db.session.scalars(select(Criterion))}
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for key, raw in weights.items():
        if str(key) not in criteria:
            errors[str(key)] = _("Ukjent kriterium.")
            continue
        weight = _as_int(raw, str(key), errors, _("Vekten er et helt tall fra 0 til 100."))
        if weight is None or not 0 <= weight <= 100:
            errors[str(key)] = _("Vekten er et helt tall fra 0 til 100.")
        else:
            clean[str(key)] = weight
    if errors:
        raise InvalidInput(_("Noen av vektene må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    for key, weight in clean.items():
        criteria[key].weight = weight
    db.session.commit()
    return list(criteria.values())


def delete_criterion(actor: User, criterion: Criterion) -> None:
    """Delete a criterion nobody has used. Raises NotAllowed, InvalidState (set weight 0 instead)."""
    _require(can_edit_criteria(actor), _("Bare administratorer kan endre kriteriene."))
    if criterion.computed or db.session.scalar(
        select(exists().where(Assessment.criterion_id == criterion.id))
    ):
        raise InvalidState(_("Kriteriet er i bruk. Sett vekten til 0 i stedet for å slette det."))
    db.session.delete(criterion)
    db.session.commit()


def save_local_target(actor: User, target: LocalTarget | None, values: Mapping) -> LocalTarget:
    """Create (target None) or change a local SDG target such as «11.2-L1».

    Raises NotAllowed (not an admin), InvalidInput (unknown goal, bad or taken code, no text).
    """
    _require(can_edit_local_targets(actor), _("Bare administratorer kan endre de lokale delmålene."))
    errors: dict[str, str] = {}
    number = _as_int(values.get("sdg"), "sdg", errors, _("Velg et bærekraftsmål."))
    if number is None or db.session.get(Sdg, number) is None:
        errors["sdg"] = _("Velg et bærekraftsmål.")
    code = "".join(str(values.get("code") or "").split())
    if not code or len(code) > 20:
        errors["code"] = _("Skriv en kode på høyst 20 tegn, for eksempel 11.2-L1.")
    elif number is not None and not re.match(rf"^{number}[.\-]", code):
        errors["code"] = _("Koden begynner med målets nummer, for eksempel %(n)s.1-L1.", n=number)
    else:
        taken = db.session.scalar(select(LocalTarget.id).where(func.lower(LocalTarget.code) == code.lower()))
        if taken and (target is None or taken != target.id):
            errors["code"] = _("Koden er allerede i bruk.")
    clean = _clean_names(values, "text", 2000, _("Skriv delmålet på bokmål."), errors)
    if errors:
        raise InvalidInput(_("Noe i delmålet må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    if target is None:
        target = LocalTarget()
        db.session.add(target)
    target.sdg_number = number
    target.code = code
    for name, value in clean.items():
        setattr(target, name, value)
    db.session.commit()
    return target


def delete_local_target(actor: User, target: LocalTarget) -> None:
    """Delete a local target no project uses. Raises NotAllowed, InvalidState."""
    _require(can_edit_local_targets(actor), _("Bare administratorer kan endre de lokale delmålene."))
    if db.session.scalar(select(exists().where(project_local_targets.c.local_target_id == target.id))):
        raise InvalidState(_("Delmålet brukes av prosjekter. Fjern det fra prosjektene først."))
    db.session.delete(target)
    db.session.commit()
