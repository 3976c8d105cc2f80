"""A project's political priority (the council's decision) and administrative priority: the
rule that sets them, and the board's filters by either.

The board never lets a score outweigh the council in silence: a project the council has
prioritised stands above every other on the board, whatever its score, marked
"Politisk vedtatt" with its case number (queries.board); the help text on the board says so.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app.accounts.models import User
from app.core.db import utcnow
from app.core.errors import InvalidInput, NotAllowed
from app.core.input import EARLIEST_DATE, bad_text
from app.extensions import db
from app.portfolio import audit
from app.portfolio.models import AdministrativePriority, PoliticalPriority, Project
from app.portfolio.permissions import can_prioritise_project
from app.portfolio.plan import site_today

MAX_CASE_NUMBER = 40
MAX_DECISION_TEXT = 500
PRIORITY_FIELDS = ("political_priority", "council_case_number", "council_decision_date",
                   "council_decision_text", "administrative_priority")
# The board's filter value for "no decision / not set".
NONE = "none"


def _text(values: Mapping, field: str, limit: int, errors: dict, too_long: str, *, single_line: bool) -> str:
    raw = values.get(field)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        errors[field] = _("Skriv teksten som tekst.")
        return ""
    text = " ".join(raw.split()) if single_line else raw.strip().replace("\r\n", "\n")
    if bad_text(text):
        errors[field] = _("Feltet inneholder et tegn som ikke kan lagres. Fjern det og prøv igjen.")
    elif len(text) > limit:
        errors[field] = too_long
    return text


def _day(value, errors: dict) -> date | None:
    field = "council_decision_date"
    if value in (None, ""):
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            day = None
    today = site_today()
    if day is None or not EARLIEST_DATE <= day <= today:
        errors[field] = _("Skriv datoen for vedtaket som ÅÅÅÅ-MM-DD, mellom %(first)s og i dag.",
                          first=EARLIEST_DATE.isoformat())
        return None
    return day


def _choice(values: Mapping, field: str, enum_cls, errors: dict, message: str):
    raw = values.get(field)
    if raw in (None, "", NONE):
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        errors[field] = message
        return None


def clean_priorities(values: Mapping) -> dict:
    """Check the priority fields; every problem is reported at once, by field.

    A council decision needs its case number and date (the text is optional); fields about a
    decision without one chosen are an error rather than dropped, so nothing typed is lost.
    Raises InvalidInput.
    """
    errors: dict[str, str] = {}
    political = _choice(values, "political_priority", PoliticalPriority, errors,
                        _("Velg hva kommunestyret vedtok."))
    case_number = _text(values, "council_case_number", MAX_CASE_NUMBER, errors,
                        _("Saksnummeret kan være høyst %(n)d tegn.", n=MAX_CASE_NUMBER), single_line=True)
    decided = _day(values.get("council_decision_date"), errors)
    text = _text(values, "council_decision_text", MAX_DECISION_TEXT, errors,
                 _("Teksten om vedtaket kan være høyst %(n)d tegn.", n=MAX_DECISION_TEXT), single_line=False)
    administrative = _choice(values, "administrative_priority", AdministrativePriority, errors,
                             _("Velg høy, middels, lav eller ingen."))
    if political is not None:
        if not case_number and "council_case_number" not in errors:
            errors["council_case_number"] = _("Skriv saksnummeret til vedtaket, for eksempel 2026/123.")
        if decided is None and "council_decision_date" not in errors:
            errors["council_decision_date"] = _("Skriv datoen for vedtaket.")
    elif "political_priority" not in errors and (case_number or decided or text):
        errors["political_priority"] = _("Velg hva kommunestyret vedtok, eller tøm feltene om vedtaket.")
    if errors:
        raise InvalidInput(_("Noe i prioriteringen må rettes."),
                           fields={field: [message] for field, message in errors.items()})
    return {
        "political_priority": political, "council_case_number": case_number,
        "council_decision_date": decided, "council_decision_text": text,
        "administrative_priority": administrative,
    }


def set_project_priorities(actor: User, project: Project, values: Mapping) -> Project:
    """Set the project's political and administrative priority (both may be cleared).

    Decided on the locked, current row. Raises NotAllowed, InvalidInput (by field).
    """
    from app.portfolio.services import _lock_project

    if not can_prioritise_project(actor, project):
        raise NotAllowed(_("Bare porteføljeforvaltere kan sette prioriteringer."))
    clean = clean_priorities(values)
    _lock_project(project)
    before = audit.snapshot(project)
    changed = {name: value for name, value in clean.items() if getattr(project, name) != value}
    for name, value in changed.items():
        setattr(project, name, value)
    if changed:
        project.updated_at = utcnow()
        # On record with the change itself (app/portfolio/audit.py): who, when, before, after.
        audit.record_differences(project, actor, before)
    db.session.commit()
    return project


# --- the board's filters ----------------------------------------------------------------


@dataclass(frozen=True)
class PriorityFilters:
    """The board's filters by priority: a PoliticalPriority / AdministrativePriority value,
    NONE for projects without one, or None for no filter. Staff only: the public lists do
    not filter by the administration's priority."""

    political: str | None = None
    administrative: str | None = None

    @classmethod
    def from_args(cls, args) -> "PriorityFilters":
        """Leniently: nonsense means no filter."""

        def choice(name: str, enum_cls) -> str | None:
            value = args.get(name, "")
            return value if value == NONE or value in {m.value for m in enum_cls} else None

        return cls(political=choice("political", PoliticalPriority),
                   administrative=choice("administrative", AdministrativePriority))

    @property
    def active(self) -> bool:
        return self.political is not None or self.administrative is not None

    def key(self) -> tuple:
        return (self.political, self.administrative)

    def apply(self, stmt: Select) -> Select:
        for value, column in ((self.political, Project.political_priority),
                              (self.administrative, Project.administrative_priority)):
            if value == NONE:
                stmt = stmt.where(column.is_(None))
            elif value is not None:
                stmt = stmt.where(column == value)
        return stmt


audit.register_field("council_decision_text", _l("Om vedtaket i kommunestyret"), None,
                     lambda project: project.council_decision_text)
