"""The projects' audit log: who changed a project's phase, cost, public flag, owner, responsible,
priorities and the forum's decisions, when, and from what to what.

Services write an entry in the transaction of the change itself, so the log and the change
commit or roll back together: `record_project_change` for one field, or `snapshot` before and
`record_differences` after a change of several. Values are stored as text (an id becomes a
name, an enum its value), and shown in the reader's language by `describe`.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.db import utcnow
from app.core.models import ServiceArea
from app.core.templating import format_day
from app.extensions import db
from app.portfolio.models import (
    OUTCOME_LABELS,
    PHASE_LABELS,
    DecisionOutcome,
    Project,
    ProjectChange,
    ProjectPhase,
)

MAX_FIELD = 60
# A value longer than this is cut (a rationale pasted twice is still on record in the decision).
MAX_VALUE = 10_000


def as_text(value) -> str:
    """A value as the log keeps it: "" for nothing, an enum's value, a date in ISO, a person or
    an area by name, "true"/"false"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, User):
        return value.full_name
    if isinstance(value, ServiceArea):
        return value.name_nb
    return str(value)[:MAX_VALUE]


def record_project_change(project: Project, actor: User | None, field: str, before, after) -> ProjectChange | None:
    """One entry in the caller's transaction (it does not commit); nothing when the value is the
    same before and after. `field` is a key of FIELDS, or one another module registered."""
    before_text, after_text = as_text(before), as_text(after)
    if before_text == after_text:
        return None
    row = ProjectChange(
        project_id=project.id, actor_id=getattr(actor, "id", None), field=field[:MAX_FIELD],
        before=before_text, after=after_text, created_at=utcnow(),
    )
    db.session.add(row)
    return row


# --- the fields -------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    label: object  # a lazy string
    show: Callable[[str], str] | None = None  # stored text -> text in the reader's language
    # For the fields record_differences compares: how to read the value off a project.
    read: Callable[[Project], object] | None = None


def _phase(text: str) -> str:
    try:
        return str(PHASE_LABELS[ProjectPhase(text)])
    except ValueError:
        return text


def _money(text: str) -> str:
    from flask_babel import format_decimal

    return f"{format_decimal(int(text))} kr" if text.lstrip("-").isdigit() else text


def _public(text: str) -> str:
    return {"true": _("Offentlig"), "false": _("Internt")}.get(text, text)


def _date(text: str) -> str:
    try:
        return format_day(date.fromisoformat(text))
    except ValueError:
        return text


def decision_text(decision) -> str:
    """A decision as the log keeps it: "<outcome>[: <detail>]" on the first line (the date it
    is deferred to, the project it is merged with), the reasons below."""
    head = decision.outcome.value
    if decision.outcome == DecisionOutcome.DEFERRED and decision.deferred_to:
        head += f": {decision.deferred_to.isoformat()}"
    elif decision.outcome == DecisionOutcome.MERGED and decision.merged_into_id:
        merged = decision.merged_into or db.session.get(Project, decision.merged_into_id)
        head += f": #{decision.merged_into_id} {merged.title if merged else ''}".rstrip()
    return f"{head}\n{decision.rationale}"


def _decision(text: str) -> str:
    head, _sep, reasons = text.partition("\n")
    outcome, _sep, detail = head.partition(": ")
    try:
        shown = str(OUTCOME_LABELS[DecisionOutcome(outcome)])
    except ValueError:
        shown = outcome
    if outcome == DecisionOutcome.DEFERRED and detail:
        shown = _("%(outcome)s til %(date)s", outcome=shown, date=_date(detail))
    elif outcome == DecisionOutcome.MERGED and detail:
        shown = _("%(outcome)s med %(project)s", outcome=shown, project=detail)
    return f"{shown}: {reasons}" if reasons else shown


FIELDS: dict[str, Field] = {
    "phase": Field(_l("Fase"), _phase),
    "estimated_cost": Field(_l("Anslått kostnad"), _money, lambda p: p.estimated_cost),
    "public": Field(_l("Synlighet"), _public, lambda p: p.public),
    "owner_service_area": Field(_l("Eier"), None, lambda p: p.owner_service_area),
    "responsible": Field(_l("Ansvarlig"), None, lambda p: p.responsible),
    "decision": Field(_l("Beslutning i forumet"), _decision),
}


def register_field(key: str, label, show: Callable[[str], str] | None = None,
                   read: Callable[[Project], object] | None = None) -> None:
    """A field another module logs (the yearly costs, the priorities): its label, how its
    stored text reads, and with `read` it is compared by record_differences too."""
    FIELDS[key] = Field(label, show, read)


def _register_priorities() -> None:
    """The priority columns, when the model has them (app/portfolio/priorities.py)."""
    from app.portfolio import models

    if not hasattr(Project, "political_priority"):
        return
    political = getattr(models, "POLITICAL_LABELS", {})
    administrative = getattr(models, "ADMINISTRATIVE_LABELS", {})

    def label_of(labels):
        def show(text: str) -> str:
            return next((str(label) for key, label in labels.items() if key.value == text), text)
        return show

    register_field("political_priority", _l("Politisk prioritet"), label_of(political),
                   lambda p: p.political_priority)
    register_field("council_case_number", _l("Saksnummer i kommunestyret"), None,
                   lambda p: p.council_case_number)
    register_field("council_decision_date", _l("Dato for vedtaket"), _date,
                   lambda p: p.council_decision_date)
    register_field("administrative_priority", _l("Administrativ prioritet"), label_of(administrative),
                   lambda p: p.administrative_priority)


_register_priorities()


def snapshot(project: Project) -> dict[str, str]:
    """The compared fields' values now, to hand to record_differences after the change."""
    return {key: as_text(field.read(project)) for key, field in FIELDS.items() if field.read}


def record_differences(project: Project, actor: User | None, before: dict[str, str]) -> list[ProjectChange]:
    """An entry for every compared field whose value differs from `before` (a snapshot)."""
    out = []
    for key, field in FIELDS.items():
        if field.read is None or key not in before:
            continue
        row = record_project_change(project, actor, key, before[key], field.read(project))
        if row is not None:
            out.append(row)
    return out


def field_label(key: str) -> str:
    field = FIELDS.get(key)
    return str(field.label) if field else key


def describe(key: str, text: str) -> str:
    """The stored text in the reader's language ("Planlagt", "2 400 000 kr"); "" stays ""."""
    if not text:
        return ""
    field = FIELDS.get(key)
    return field.show(text) if field and field.show else text


# --- reading the log --------------------------------------------------------------------

LATEST_ON_PROJECT = 10


def changes_query(project_id: int | None = None, viewer: User | None = None) -> Select:
    """The log of the projects the viewer may see, newest first, with who and which project;
    one project's when given."""
    from app.portfolio.permissions import project_changes_visible

    stmt = (
        select(ProjectChange).join(Project, Project.id == ProjectChange.project_id)
        .where(project_changes_visible(viewer))
        .options(joinedload(ProjectChange.actor), joinedload(ProjectChange.project))
        .order_by(ProjectChange.created_at.desc(), ProjectChange.id.desc())
    )
    if project_id is not None:
        stmt = stmt.where(ProjectChange.project_id == project_id)
    return stmt


def latest_changes(project_id: int, viewer: User | None, limit: int = LATEST_ON_PROJECT) -> list[ProjectChange]:
    """The newest entries for the project page (one query); one more than `limit` tells the
    page there are more."""
    return list(db.session.scalars(changes_query(project_id, viewer).limit(limit + 1)))


def csv_header() -> list[str]:
    return [_("Tidspunkt (UTC)"), _("Prosjekt"), _("Prosjekt-ID"), _("Endret av"), _("Felt"),
            _("Før"), _("Etter")]


def csv_rows(project_id: int | None = None, viewer: User | None = None, batch: int = 500) -> Iterator[list]:
    """The log as CSV rows, read in batches (the CSV streams; app/core/csv.py neutralises
    formulas in every cell)."""
    stmt = changes_query(project_id, viewer).execution_options(yield_per=batch)
    for row in db.session.scalars(stmt):
        yield [
            row.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            row.project.title, row.project_id,
            row.actor.full_name if row.actor else "",
            field_label(row.field), describe(row.field, row.before), describe(row.field, row.after),
        ]
