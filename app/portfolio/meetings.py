"""The cross-sector forum's meetings: date, participants, an agenda taken from the board, and
minutes with one decision per project on the agenda. Services (the only code here that writes)
and the read side of the meeting pages, the CSV and the PDF.

Each public service is one transaction; a broken rule raises from app/core/errors.py. Where
two people can act on one item at once (two secretaries recording the same agenda item), the
service decides on the locked, current row, and the unique constraint on (meeting, project)
stands behind it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.accounts.permissions import CAPABILITIES, can
from app.core.db import as_utc, is_postgres, utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.core.input import EARLIEST_DATE, LATEST_DATE, MAX_ID, MAX_KRONER, bad_text, to_int
from app.extensions import db
from app.portfolio import audit, queries, signals
from app.portfolio.models import (
    BOARD_PHASES,
    AgendaItem,
    Decision,
    DecisionOutcome,
    Meeting,
    MeetingStatus,
    Project,
    ProjectPhase,
)
from app.portfolio.permissions import (
    can_manage_meetings,
    can_record_decision,
    can_record_decisions,
    can_view_meetings,
    can_view_project,
)

MIN_TITLE = 3
MAX_TITLE = 200
MAX_GUESTS = 2000
MAX_GUEST_LINES = 50
MAX_PARTICIPANTS = 200
MAX_RATIONALE = 5000
# Projects taken from the board at once; the agenda itself may grow past it over several posts.
MAX_AGENDA_ADD = 200


def _today() -> date:
    """Today where the municipality is (a meeting held "today" is held in Norway's today)."""
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Oslo")
    return datetime.now(tz).date()


def _refuse(errors: dict[str, str], message: str) -> None:
    """InvalidInput naming every field at fault; one fault is also the message (API, CLI)."""
    if errors:
        if len(errors) == 1:
            message = next(iter(errors.values()))
        raise InvalidInput(message, fields={field: [text] for field, text in errors.items()})


def _text(value) -> str:
    return "" if value is None else str(value)


def _day(value, field: str, errors: dict, required: str | None = None) -> date | None:
    """A date between EARLIEST_DATE and LATEST_DATE, or None with a message on the field."""
    if value in (None, ""):
        if required:
            errors[field] = required
        return None
    day = value if isinstance(value, date) and not isinstance(value, datetime) else None
    if day is None:
        try:
            day = date.fromisoformat(str(value)) if len(str(value)) == 10 else None
        except ValueError:
            day = None
    if day is None or not EARLIEST_DATE <= day <= LATEST_DATE:
        errors[field] = _("Skriv datoen som ÅÅÅÅ-MM-DD, mellom %(first)s og %(last)s.",
                          first=EARLIEST_DATE.isoformat(), last=LATEST_DATE.isoformat())
        return None
    return day


def _id(value) -> int | None:
    """An id a row can have, or None (a bool, text, 0 or 2**40 is no id)."""
    if isinstance(value, bool):
        return None
    number = to_int(value, minimum=1, maximum=MAX_ID)
    return number


def _lock(model, row_id: int, message: str):
    """The current row, locked until the transaction ends (FOR UPDATE on PostgreSQL; SQLite
    lets one writer in at a time), read afresh rather than from the session's memory."""
    stmt = select(model).where(model.id == row_id).execution_options(populate_existing=True)
    if is_postgres():
        stmt = stmt.with_for_update(of=model)
    row = db.session.scalars(stmt).first()
    if row is None:
        raise NotFound(message)
    return row


# --- reading ----------------------------------------------------------------------------


def meetings_query() -> Select:
    """Every meeting, the next or latest first: planned ones by date, then held ones newest first."""
    return select(Meeting).order_by(
        (Meeting.status == MeetingStatus.HELD).asc(), Meeting.meeting_date.desc(), Meeting.id.desc()
    )


def agenda_counts(meeting_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{meeting id: (projects on the agenda, decisions recorded)}: two GROUP BY queries."""
    if not meeting_ids:
        return {}
    items = dict(db.session.execute(
        select(AgendaItem.meeting_id, func.count(AgendaItem.id))
        .where(AgendaItem.meeting_id.in_(meeting_ids)).group_by(AgendaItem.meeting_id)
    ).all())
    decided = dict(db.session.execute(
        select(Decision.meeting_id, func.count(Decision.id))
        .where(Decision.meeting_id.in_(meeting_ids)).group_by(Decision.meeting_id)
    ).all())
    return {mid: (items.get(mid, 0), decided.get(mid, 0)) for mid in meeting_ids}


def get_meeting(viewer: User | None, meeting_id) -> Meeting:
    """The meeting with its participants. Raises NotAllowed for anyone but staff, NotFound."""
    if not can_view_meetings(viewer):
        raise NotAllowed(_("Møtene i porteføljeforumet er for kommunens ansatte."))
    meeting_id = _id(meeting_id)
    meeting = db.session.scalars(
        select(Meeting).where(Meeting.id == meeting_id).options(selectinload(Meeting.participants))
    ).first() if meeting_id else None
    if meeting is None:
        raise NotFound(_("Fant ikke møtet."))
    return meeting


@dataclass
class AgendaRow:
    item: AgendaItem
    project: Project
    decision: Decision | None
    # False: the viewer may not see this project (an area they are not staff for).
    visible: bool = True
    # The project it was merged with, when the viewer may see that one.
    merged_into: Project | None = None


@dataclass
class MeetingPage:
    meeting: Meeting
    rows: list[AgendaRow]
    # The money asked for: the estimated cost of every project on the agenda, and of those
    # prioritised in the minutes.
    agenda_cost: int
    prioritised_cost: int

    @property
    def decided(self) -> int:
        return sum(1 for row in self.rows if row.decision is not None)


def meeting_page(meeting: Meeting, viewer: User | None) -> MeetingPage:
    """The agenda in its order, each project with its decision at this meeting: two queries."""
    items = list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
        .options(joinedload(AgendaItem.project).joinedload(Project.owner_service_area))
        .order_by(AgendaItem.position, AgendaItem.id)
    ))
    decisions = {d.project_id: d for d in db.session.scalars(
        select(Decision).where(Decision.meeting_id == meeting.id)
        .options(joinedload(Decision.merged_into), joinedload(Decision.recorded_by))
    )}
    rows = []
    for item in items:
        decision = decisions.get(item.project_id)
        merged = decision.merged_into if decision is not None else None
        rows.append(AgendaRow(item, item.project, decision, can_view_project(viewer, item.project),
                              merged if merged is not None and can_view_project(viewer, merged) else None))
    agenda_cost = sum(row.project.estimated_cost or 0 for row in rows)
    prioritised = sum(row.project.estimated_cost or 0 for row in rows
                      if row.decision and row.decision.outcome == DecisionOutcome.PRIORITISED)
    return MeetingPage(meeting, rows, agenda_cost, prioritised)


def agenda_item(meeting: Meeting, item_id) -> AgendaItem:
    """One item of this meeting's agenda (an item of another meeting is not found here)."""
    item_id = _id(item_id)
    item = db.session.scalars(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id)
        .options(joinedload(AgendaItem.project))
    ).first() if item_id else None
    if item is None:
        raise NotFound(_("Saken står ikke på sakslisten til dette møtet."))
    return item


def decision_for(meeting: Meeting, project_id: int) -> Decision | None:
    return db.session.scalar(select(Decision).where(
        Decision.meeting_id == meeting.id, Decision.project_id == project_id))


def meeting_decisions_query(meeting: Meeting) -> Select:
    """The meeting's decisions in the agenda's order (for the CSV)."""
    return (
        select(Decision, AgendaItem)
        .join(AgendaItem, (AgendaItem.meeting_id == Decision.meeting_id)
              & (AgendaItem.project_id == Decision.project_id), isouter=True)
        .where(Decision.meeting_id == meeting.id)
        .options(joinedload(Decision.project).joinedload(Project.owner_service_area),
                 joinedload(Decision.merged_into), joinedload(Decision.recorded_by))
        .order_by(AgendaItem.position, Decision.id)
    )


# --- meetings ---------------------------------------------------------------------------

MEETING_FIELDS = ("title", "meeting_date", "participant_ids", "guests", "budget", "status")


def _clean_meeting(values: Mapping, meeting: Meeting | None) -> dict:
    """Every problem at once, by field."""
    errors: dict[str, str] = {}
    clean: dict = {}
    if "title" in values or meeting is None:
        title = " ".join(_text(values.get("title")).split())
        if bad_text(title):
            errors["title"] = _("Tittelen inneholder et tegn som ikke kan lagres. Fjern det og prøv igjen.")
        elif len(title) < MIN_TITLE:
            errors["title"] = _("Skriv en tittel på minst %(n)d tegn.", n=MIN_TITLE)
        elif len(title) > MAX_TITLE:
            errors["title"] = _("Tittelen kan være høyst %(n)d tegn.", n=MAX_TITLE)
        clean["title"] = title
    if "meeting_date" in values or meeting is None:
        clean["meeting_date"] = _day(values.get("meeting_date"), "meeting_date", errors,
                                     _("Skriv datoen for møtet."))
    if "participant_ids" in values:
        raw = values.get("participant_ids") or []
        if not isinstance(raw, list | tuple | set):
            raw = [raw]
        ids = []
        for value in raw:
            number = _id(value)
            if number is None:
                errors["participant_ids"] = _("Velg deltakerne blant kommunens ansatte.")
            elif number not in ids:
                ids.append(number)
        if len(ids) > MAX_PARTICIPANTS:
            errors["participant_ids"] = _("Et møte kan ha høyst %(n)d deltakere.", n=MAX_PARTICIPANTS)
            ids = []
        people = list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []
        if len(people) != len(ids) or any(not can(person, "staff") for person in people):
            errors["participant_ids"] = _("Deltakerne må være kommunens ansatte i Medvirk. "
                                          "Gjester utenfra skriver du i feltet for gjester.")
        clean["participants"] = sorted(people, key=lambda p: p.full_name)
    if "guests" in values:
        guests = _text(values.get("guests")).replace("\r\n", "\n")
        lines = [" ".join(line.split()) for line in guests.split("\n")]
        lines = [line for line in lines if line]
        if bad_text(guests):
            errors["guests"] = _("Gjestelisten inneholder et tegn som ikke kan lagres. Fjern det og prøv igjen.")
        elif len(guests) > MAX_GUESTS:
            errors["guests"] = _("Gjestelisten kan være høyst %(n)d tegn.", n=MAX_GUESTS)
        elif len(lines) > MAX_GUEST_LINES:
            errors["guests"] = _("Skriv høyst %(n)d gjester, én per linje.", n=MAX_GUEST_LINES)
        clean["guests"] = "\n".join(lines)
    if "budget" in values:
        raw = values.get("budget")
        budget = None
        if isinstance(raw, bool):
            errors["budget"] = _("Skriv budsjettrammen i hele kroner, bare med tall.")
        elif isinstance(raw, int):
            budget = raw
        elif _text(raw).strip():
            digits = _text(raw).replace(" ", "").replace("\u00a0", "")
            if not digits.isascii() or not digits.isdigit() or len(digits) > 13:
                errors["budget"] = _("Skriv budsjettrammen i hele kroner, bare med tall.")
            else:
                budget = int(digits)
        if budget is not None and not 0 <= budget <= MAX_KRONER:
            errors["budget"] = _("Budsjettrammen er et beløp fra 0 til %(max)s kroner.",
                                 max=f"{MAX_KRONER:,}".replace(",", " "))
            budget = None
        clean["budget"] = budget
    if "status" in values and meeting is not None:
        try:
            clean["status"] = MeetingStatus(values.get("status"))
        except ValueError:
            errors["status"] = _("Velg om møtet er planlagt eller holdt.")
    day = clean.get("meeting_date") or (meeting.meeting_date if meeting else None)
    if clean.get("status") == MeetingStatus.HELD and day is not None and day > _today() \
            and "meeting_date" not in errors:
        errors["status"] = _("Møtet kan ikke være holdt før møtedatoen (%(date)s).", date=day.isoformat())
    _refuse(errors, _("Noe i møtet må rettes."))
    return clean


def create_meeting(actor: User, values: Mapping) -> Meeting:
    """A planned meeting of the forum: title, date, participants (staff), guests (free text)
    and the budget line. Raises NotAllowed, InvalidInput (by field)."""
    if not can_manage_meetings(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan sette opp møter."))
    clean = _clean_meeting(values, None)
    meeting = Meeting(status=MeetingStatus.PLANNED, guests="", created_by_id=actor.id)
    for name, value in clean.items():
        setattr(meeting, name, value)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def update_meeting(actor: User, meeting: Meeting, values: Mapping) -> Meeting:
    """Change the meeting; a new date moves its decisions' date along, a new budget line or
    the meeting being held takes the board's ranking afresh for the agenda.

    Raises NotAllowed, NotFound (deleted meanwhile), InvalidInput (by field).
    """
    if not can_manage_meetings(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan endre møter."))
    meeting = _lock(Meeting, meeting.id, _("Fant ikke møtet."))
    clean = _clean_meeting(values, meeting)
    if "meeting_date" in clean and clean["meeting_date"] != meeting.meeting_date:
        # A date moved later must still come before every "deferred to" in the minutes.
        late = db.session.scalar(select(func.min(Decision.deferred_to)).where(
            Decision.meeting_id == meeting.id, Decision.deferred_to.is_not(None)))
        if late is not None and clean["meeting_date"] >= late:
            message = _("En sak i referatet er utsatt til %(date)s. Møtedatoen må være før den.",
                        date=late.isoformat())
            raise InvalidInput(message, fields={"meeting_date": [message]})
    refresh = (clean.get("budget", meeting.budget) != meeting.budget
               or (clean.get("status") == MeetingStatus.HELD and meeting.status != MeetingStatus.HELD))
    for name, value in clean.items():
        setattr(meeting, name, value)
    if "meeting_date" in clean:
        for decision in db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)):
            decision.meeting_date = meeting.meeting_date
    if refresh:
        _snapshot_ranking(meeting)
    db.session.commit()
    return meeting


def delete_meeting(actor: User, meeting: Meeting) -> None:
    """Delete a meeting with no decisions in its minutes (a decision is on record for good).
    Raises NotAllowed, NotFound, InvalidState."""
    if not can_manage_meetings(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan slette møter."))
    meeting = _lock(Meeting, meeting.id, _("Fant ikke møtet."))
    if db.session.scalar(select(func.count(Decision.id)).where(Decision.meeting_id == meeting.id)):
        raise InvalidState(_("Møtet har beslutninger i referatet og kan ikke slettes."))
    db.session.delete(meeting)
    db.session.commit()


# --- the agenda -------------------------------------------------------------------------


def _snapshot_ranking(meeting: Meeting) -> None:
    """Write the board's current rank, score, running cost and budget line onto each agenda
    item (the ranking the forum sees). A project no longer on the board gets no rank."""
    items = list(db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)))
    if not items:
        return
    board = queries.board(queries.ProjectFilters(), meeting.budget)
    rows = {row.project.id: row for row in board.rows}
    for item in items:
        row = rows.get(item.project_id)
        item.board_rank = row.rank if row else None
        item.board_score = round(row.card.score, 4) if row and row.card.score is not None else None
        item.board_cumulative_cost = row.cumulative_cost if row else None
        item.board_fits = row.fits if row else None


def board_choices(meeting: Meeting, page: int | None = None, per_page: int = queries.BOARD_PAGE_SIZE):
    """The board as the agenda page shows it (the meeting's budget line), and the ids of the
    projects already on the agenda."""
    board = queries.board(queries.ProjectFilters(), meeting.budget, page=page, per_page=per_page)
    taken = set(db.session.scalars(select(AgendaItem.project_id).where(AgendaItem.meeting_id == meeting.id)))
    return board, taken


def add_to_agenda(actor: User, meeting: Meeting, project_ids) -> list[AgendaItem]:
    """Put projects from the board on the agenda, after what is there, in the board's order.

    A project already on the agenda is left where it is. Raises NotAllowed, NotFound,
    InvalidInput (nothing chosen, an id that is no project on the board, one the actor may
    not see).
    """
    if not can_manage_meetings(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan sette opp sakslisten."))
    raw = project_ids if isinstance(project_ids, list | tuple | set) else [project_ids]
    ids: list[int] = []
    for value in raw:
        number = _id(value)
        if number is None:
            message = _("Velg prosjekter fra prioriteringstavla.")
            raise InvalidInput(message, fields={"project_ids": [message]})
        if number not in ids:
            ids.append(number)
    if not ids:
        message = _("Velg minst ett prosjekt.")
        raise InvalidInput(message, fields={"project_ids": [message]})
    if len(ids) > MAX_AGENDA_ADD:
        message = _("Velg høyst %(n)d prosjekter om gangen.", n=MAX_AGENDA_ADD)
        raise InvalidInput(message, fields={"project_ids": [message]})
    meeting = _lock(Meeting, meeting.id, _("Fant ikke møtet."))
    projects = {p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_(ids)))}
    if len(projects) != len(ids) or any(not can_view_project(actor, p) for p in projects.values()):
        message = _("Ett eller flere av prosjektene finnes ikke.")
        raise InvalidInput(message, fields={"project_ids": [message]})
    off_board = [p.title for p in projects.values() if p.phase not in BOARD_PHASES]
    if off_board:
        message = _("Bare foreslåtte og planlagte prosjekter står på tavla: %(titles)s.",
                    titles=", ".join(sorted(off_board)))
        raise InvalidInput(message, fields={"project_ids": [message]})
    existing = {item.project_id: item for item in db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))}
    new_ids = [pid for pid in ids if pid not in existing]
    board = queries.board(queries.ProjectFilters(), meeting.budget)
    order = {row.project.id: index for index, row in enumerate(board.rows)}
    new_ids.sort(key=lambda pid: (order.get(pid, len(order)), pid))
    position = max((item.position for item in existing.values()), default=0)
    added = []
    for pid in new_ids:
        position += 1
        item = AgendaItem(meeting_id=meeting.id, project_id=pid, position=position)
        db.session.add(item)
        added.append(item)
    db.session.flush()
    _snapshot_ranking(meeting)
    try:
        db.session.commit()
    except IntegrityError:  # the same project added by someone else a moment before
        db.session.rollback()
        raise InvalidState(_("Sakslisten ble endret mens du valgte. Se over den og prøv igjen.")) from None
    return added


def remove_from_agenda(actor: User, meeting: Meeting, item_id) -> None:
    """Take a project off the agenda, unless the minutes have its decision.
    Raises NotAllowed, NotFound, InvalidState."""
    if not can_manage_meetings(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan endre sakslisten."))
    _lock(Meeting, meeting.id, _("Fant ikke møtet."))
    item = agenda_item(meeting, item_id)
    if decision_for(meeting, item.project_id) is not None:
        raise InvalidState(_("Forumet har ført en beslutning om «%(title)s». Saken blir stående.",
                             title=item.project.title))
    db.session.delete(item)
    db.session.commit()


def move_agenda_item(actor: User, meeting: Meeting, item_id, direction: int) -> None:
    """One step up (-1) or down (+1) on the agenda. Raises NotAllowed, NotFound."""
    if not can_manage_meetings(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan endre sakslisten."))
    _lock(Meeting, meeting.id, _("Fant ikke møtet."))
    item = agenda_item(meeting, item_id)
    items = list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ))
    index = items.index(item)
    target = index + (1 if direction > 0 else -1)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        for position, row in enumerate(items, start=1):
            row.position = position
        db.session.commit()


def refresh_ranking(actor: User, meeting: Meeting) -> None:
    """Take the board's ranking afresh for the agenda. Raises NotAllowed, NotFound."""
    if not can_manage_meetings(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan endre sakslisten."))
    meeting = _lock(Meeting, meeting.id, _("Fant ikke møtet."))
    _snapshot_ranking(meeting)
    db.session.commit()


# --- decisions --------------------------------------------------------------------------


def clean_decision(actor: User, project: Project, meeting_date: date | None, values: Mapping) -> dict:
    """The rules of a decision, for the minutes and for a decision outside a meeting alike.

    outcome one of DecisionOutcome; reasons required; deferred needs the date it is deferred
    to (after the meeting); merged needs the project it is merged with (another project the
    actor may see, not cancelled). Raises InvalidInput naming every field at fault.
    """
    errors: dict[str, str] = {}
    clean: dict = {"deferred_to": None, "merged_into_id": None}
    try:
        clean["outcome"] = DecisionOutcome(values.get("outcome"))
    except ValueError:
        errors["outcome"] = _("Velg hva forumet besluttet.")
    rationale = _text(values.get("rationale")).strip().replace("\r\n", "\n")
    if bad_text(rationale):
        errors["rationale"] = _("Begrunnelsen inneholder et tegn som ikke kan lagres. Fjern det og prøv igjen.")
    elif not rationale:
        errors["rationale"] = _("Skriv begrunnelsen for beslutningen.")
    elif len(rationale) > MAX_RATIONALE:
        errors["rationale"] = _("Begrunnelsen kan være høyst %(n)d tegn.", n=MAX_RATIONALE)
    clean["rationale"] = rationale
    outcome = clean.get("outcome")
    if outcome == DecisionOutcome.DEFERRED:
        day = _day(values.get("deferred_to"), "deferred_to", errors, _("Skriv datoen saken er utsatt til."))
        if day is not None and meeting_date is not None and day <= meeting_date:
            errors["deferred_to"] = _("Saken må utsettes til en dato etter møtet (%(date)s).",
                                      date=meeting_date.isoformat())
        clean["deferred_to"] = day
    if outcome == DecisionOutcome.MERGED:
        raw = values.get("merged_into_id")
        target_id = _id(raw)
        target = db.session.get(Project, target_id) if target_id else None
        if raw in (None, ""):
            errors["merged_into_id"] = _("Velg prosjektet det slås sammen med.")
        elif target is None or not can_view_project(actor, target):
            errors["merged_into_id"] = _("Fant ikke prosjektet det skal slås sammen med.")
        elif target.id == project.id:
            errors["merged_into_id"] = _("Et prosjekt kan ikke slås sammen med seg selv. Velg et annet prosjekt.")
        elif target.phase == ProjectPhase.CANCELLED:
            errors["merged_into_id"] = _("«%(title)s» er avlyst. Velg et prosjekt som fortsetter.",
                                         title=target.title)
        else:
            clean["merged_into_id"] = target.id
    _refuse(errors, _("Noe i beslutningen må rettes."))
    return clean


def decision_token(decision: Decision) -> str:
    """Which version of a decision a person saw: its id and when it was last written. A form
    carries it, so a correction of a decision someone else changed meanwhile is refused."""
    written = decision.updated_at or decision.created_at
    return f"{decision.id}.{int(as_utc(written).timestamp() * 1_000_000)}"


def record_meeting_decision(actor: User, meeting: Meeting, item_id, values: Mapping,
                            based_on: str | None = None) -> Decision:
    """The forum's decision on one agenda item, in the minutes; or, with `based_on` the
    decision_token of the decision the person saw, a correction of it.

    Decided on the locked agenda item: of two people recording the same item at once, the
    first is recorded and the second is told what it says (InvalidState), so nobody's
    decision silently replaces another's. Writes the project's audit log; the project's
    followers hear of it (signals.decision_recorded, after the commit).

    Raises NotAllowed, NotFound (no such item on this agenda), InvalidInput (by field),
    InvalidState (recorded or changed by someone else meanwhile).
    """
    if not can_record_decisions(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere kan føre beslutninger."))
    item = agenda_item(meeting, item_id)
    item = _lock(AgendaItem, item.id, _("Saken står ikke på sakslisten til dette møtet."))
    meeting = db.session.get(Meeting, item.meeting_id)
    project = db.session.get(Project, item.project_id)
    if not can_record_decision(actor, project):
        raise NotAllowed(_("Du kan føre beslutninger om prosjekter i dine egne områder."))
    clean = clean_decision(actor, project, meeting.meeting_date, values)
    existing = decision_for(meeting, project.id)
    based_on = str(based_on or "").strip() or None
    if existing is not None and decision_token(existing) != based_on:
        who = existing.recorded_by.full_name if existing.recorded_by else _("en annen")
        if based_on is not None and based_on.split(".")[0] == str(existing.id):
            raise InvalidState(_("%(who)s endret beslutningen om «%(title)s» mens du skrev: %(outcome)s. "
                                 "Les den før du endrer den.", who=who, title=project.title,
                                 outcome=existing.outcome_label))
        raise InvalidState(_("%(who)s har allerede ført beslutningen om «%(title)s»: %(outcome)s. "
                             "Les den før du endrer den.", who=who, title=project.title,
                             outcome=existing.outcome_label))
    if existing is None and based_on is not None:
        raise InvalidState(_("Beslutningen du endret, finnes ikke lenger. Se over saken og prøv igjen."))
    before = audit.decision_text(existing) if existing is not None else ""
    if existing is None:
        decision = Decision(project_id=project.id, meeting_id=meeting.id, meeting_date=meeting.meeting_date,
                            recorded_by_id=actor.id, created_at=utcnow())
        db.session.add(decision)
    else:
        decision = existing
        decision.updated_at = utcnow()
        decision.recorded_by_id = actor.id
    for name, value in clean.items():
        setattr(decision, name, value)
    try:
        db.session.flush()
    except IntegrityError:  # the unique (meeting, project) where no lock stood (SQLite)
        db.session.rollback()
        raise InvalidState(_("Noen andre førte beslutningen om «%(title)s» samtidig. Les den før du "
                             "endrer den.", title=project.title)) from None
    db.session.refresh(decision, ["merged_into"])
    audit.record_project_change(project, actor, "decision", before, audit.decision_text(decision))
    db.session.commit()
    signals.decision_recorded.send(project, decision=decision, actor=actor, corrected=existing is not None)
    return decision


def after_decision(actor: User, project: Project, decision: Decision) -> None:
    """What a decision outside a meeting does too (services.record_decision): the audit log,
    in its transaction."""
    audit.record_project_change(project, actor, "decision", "", audit.decision_text(decision))


def staff_people() -> list[User]:
    """Who can be a participant: staff, by name."""
    return list(db.session.scalars(
        select(User).where(User.role.in_(CAPABILITIES["staff"])).order_by(User.full_name, User.id)
    ))
