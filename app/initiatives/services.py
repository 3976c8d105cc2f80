"""Use cases of innbyggerforslag: propose, moderate, sign, submit, and the council's answer.

Each public function is one transaction: it checks permission, then state (on the locked,
current initiative row wherever two people can act at once), then writes and commits. A
broken rule raises an error from core/errors.py. The pages, the API, the CLI and the demo
data all come through here. The moves between statuses are TRANSITIONS in models.py.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

# A module, not its names: accounts.services is still being imported when the notification
# listeners (imported by it) connect to this domain's signals.
from app.accounts import services as account_services
from app.accounts.models import User
from app.accounts.permissions import participation_problem
from app.core.dates import add_months
from app.core.db import is_postgres, utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotAuthenticated, NotFound
from app.core.input import EARLIEST_DATE, bad_text
from app.core.models import ServiceArea
from app.extensions import db
from app.ideas.models import Idea
from app.ideas.services import require_participation
from app.initiatives import scans, signals
from app.initiatives.models import (
    SUBMITTED_STATUSES,
    Actor,
    Initiative,
    InitiativeMeasure,
    InitiativeStatus,
    PaperSignatureBatch,
    Signature,
    can_move,
)
from app.initiatives.permissions import (
    can_manage_initiatives,
    can_moderate_initiatives,
    is_proposer,
)

log = logging.getLogger("medvirk.initiatives")

TITLE_MIN, TITLE_MAX = 10, 150
PROPOSAL_MIN, PROPOSAL_MAX = 20, 3000
REASONS_MIN, REASONS_MAX = 20, 6000
MAX_SERVICE_AREAS = 3
REASON_MIN, REASON_MAX = 10, 2000
CASE_NUMBER_MAX = 60
CASE_TITLE_MAX = 200
DECISION_MIN, DECISION_MAX = 5, 10000
URL_MAX = 500
MEASURE_MIN, MEASURE_MAX = 5, 5000
NOTE_MAX = 1000
MAX_PAPER_BATCH = 100_000
# kommuneloven § 12-1: 2 % of the residents, and 300 signatures are always enough.
SHARE_PERCENT = 2
ALWAYS_ENOUGH = 300
# The council must decide within six months of submission.
DECISION_MONTHS = 6
# Norwegian local elections are held every four years (2023, 2027, ...); the new council's
# period begins on 1 October of the election year.
ELECTION_YEAR_BASE = 2023
PERIOD_START_MONTH, PERIOD_START_DAY = 10, 1


# --- the rules in numbers ----------------------------------------------------------------


def threshold_for(population: int) -> int:
    """Signatures needed: min(ceil(2 % of the population), 300), in whole numbers (no floats).

    At least 1, so a misconfigured POPULATION of 0 never lets an empty list through.
    """
    population = max(int(population), 0)
    share = (SHARE_PERCENT * population + 99) // 100
    return max(1, min(share, ALWAYS_ENOUGH))


def current_threshold() -> int:
    return threshold_for(int(current_app.config.get("POPULATION") or 0))


def collection_days() -> int:
    return max(1, int(current_app.config.get("INITIATIVE_COLLECTION_DAYS") or 180))


def site_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Oslo")


def local_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(site_timezone()).date()


def collection_end(started: datetime) -> datetime:
    """When a collection started at `started` closes: after INITIATIVE_COLLECTION_DAYS whole
    days in the municipality's calendar, at the midnight that ends the last one (so a summer
    time change in between moves nothing, and "ends 3 June" means all of 3 June)."""
    tz = site_timezone()
    last_day = started.astimezone(tz).date() + timedelta(days=collection_days())
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)


def collection_last_day(initiative: Initiative) -> date | None:
    """The last calendar day signatures are taken (the day before the collection closes)."""
    if initiative.collection_ends_at is None:
        return None
    return (initiative.collection_ends_at - timedelta(microseconds=1)).astimezone(site_timezone()).date()


def decision_deadline(submitted_at: datetime) -> date:
    """The last day for the council's decision: the submission's calendar date in the
    municipality's time zone, six calendar months on (a missing day is the month's last)."""
    moment = submitted_at if submitted_at.tzinfo else submitted_at.replace(tzinfo=UTC)
    return add_months(moment.astimezone(site_timezone()).date(), DECISION_MONTHS)


def days_to_deadline(initiative: Initiative, today: date | None = None) -> int | None:
    """Days left until the deadline (0 on the day itself), negative when overdue; None
    before submission."""
    if initiative.deadline is None:
        return None
    return (initiative.deadline - (today or local_today())).days


def election_period_start(today: date | None = None) -> date:
    """The first day of the council's current election period (ELECTION_PERIOD_START_YEAR,
    or the last election year counted in fours from 2023)."""
    today = today or local_today()
    year = int(current_app.config.get("ELECTION_PERIOD_START_YEAR") or 0)
    if year <= 0:
        year = ELECTION_YEAR_BASE + ((today.year - ELECTION_YEAR_BASE) // 4) * 4
        if today < date(year, PERIOD_START_MONTH, PERIOD_START_DAY):
            year -= 4
    return date(year, PERIOD_START_MONTH, PERIOD_START_DAY)


# --- input ------------------------------------------------------------------------------


@dataclass
class InitiativeInput:
    title: str
    proposal: str
    reasons: str
    service_area_ids: list[int] = field(default_factory=list)
    contact_email: str = ""
    from_idea_id: int | None = None


@dataclass
class DecisionInput:
    case_number: str
    meeting_date: date | None
    text: str
    url: str = ""


@dataclass
class SameContentInput:
    case_number: str
    case_title: str
    case_date: date | None
    explanation: str = ""


@dataclass(frozen=True)
class SignatureState:
    signed: bool
    signature_count: int
    total: int
    threshold: int | None


class _Problems:
    """Collects one message per field, so a form shows every problem at once."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise InvalidInput(next(iter(self.fields.values()))[0], fields=self.fields)


def _clean(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _text(problems: _Problems, name: str, value, minimum: int, maximum: int, required: str) -> str:
    text = _clean(value if isinstance(value, str) else "")
    if bad_text(text):
        problems.add(name, _("Teksten har tegn vi ikke kan lagre. Fjern dem og prøv igjen."))
    elif not text and minimum:
        problems.add(name, required)
    elif text and len(text) < minimum:
        problems.add(name, _("Skriv minst %(n)d tegn.", n=minimum))
    elif len(text) > maximum:
        problems.add(name, _("Kan være høyst %(n)d tegn (nå %(len)d).", n=maximum, len=len(text)))
    return text


def _service_areas(problems: _Problems, ids) -> list[ServiceArea]:
    wanted: list[int] = []
    for value in ids or []:
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31 and value not in wanted:
            wanted.append(value)
    if not wanted:
        problems.add("service_area_ids", _("Velg minst ett tema forslaget gjelder."))
        return []
    if len(wanted) > MAX_SERVICE_AREAS:
        problems.add("service_area_ids", _("Velg høyst %(n)d temaer.", n=MAX_SERVICE_AREAS))
        return []
    found = list(db.session.scalars(
        select(ServiceArea).where(ServiceArea.id.in_(wanted), ServiceArea.retired_at.is_(None))
    ))
    if len(found) != len(wanted):
        problems.add("service_area_ids", _("Velg temaer fra listen."))
        return []
    return sorted(found, key=lambda s: wanted.index(s.id))


def _check(actor: User, data: InitiativeInput) -> tuple[str, str, str, list[ServiceArea], str, Idea | None]:
    problems = _Problems()
    title = " ".join(_text(problems, "title", data.title, TITLE_MIN, TITLE_MAX,
                           _("Gi forslaget en tittel.")).split())
    proposal = _text(problems, "proposal", data.proposal, PROPOSAL_MIN, PROPOSAL_MAX,
                     _("Skriv hva kommunestyret skal ta stilling til."))
    reasons = _text(problems, "reasons", data.reasons, REASONS_MIN, REASONS_MAX,
                    _("Skriv hvorfor du foreslår dette."))
    areas = _service_areas(problems, data.service_area_ids)
    email = account_services.normalise_email(data.contact_email if isinstance(data.contact_email, str) else "")
    if not email:
        problems.add("contact_email", _("Skriv e-postadressen kommunen kan kontakte deg på."))
    elif bad_text(email) or len(email) > 254 or account_services.email_problem(email):
        problems.add("contact_email", _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."))
    idea = None
    if data.from_idea_id is not None:
        idea = db.session.get(Idea, data.from_idea_id) if isinstance(data.from_idea_id, int) \
            and 0 < data.from_idea_id < 2**31 else None
        if idea is None or not idea.is_visible:
            problems.add("from_idea_id", _("Fant ikke idéen forslaget skulle bygge på."))
            idea = None
        elif idea.author_id != actor.id:
            problems.add("from_idea_id", _("Bare den som foreslo idéen, kan gjøre den til et innbyggerforslag."))
            idea = None
    problems.raise_if_any()
    return title, proposal, reasons, areas, email, idea


def _reason(value: str | None, name: str = "reason") -> str:
    problems = _Problems()
    text = _text(problems, name, value, REASON_MIN, REASON_MAX, _("Skriv en begrunnelse."))
    problems.raise_if_any()
    return text


# --- reading and locking --------------------------------------------------------------------


def get_initiative(initiative_id: int) -> Initiative:
    """Raises NotFound."""
    initiative = db.session.get(Initiative, initiative_id) if 0 < initiative_id < 2**31 else None
    if initiative is None:
        raise NotFound(_("Fant ikke innbyggerforslaget."))
    return initiative


def _lock(initiative_id: int) -> Initiative:
    """The initiative's current row, locked until the transaction ends (FOR UPDATE on
    PostgreSQL), so every decision is made on what is stored now. Raises NotFound."""
    if not isinstance(initiative_id, int) or not 0 < initiative_id < 2**31:
        raise NotFound(_("Fant ikke innbyggerforslaget."))
    stmt = select(Initiative).where(Initiative.id == initiative_id).execution_options(populate_existing=True)
    if is_postgres():
        stmt = stmt.with_for_update(of=Initiative)
    initiative = db.session.scalar(stmt)
    if initiative is None:
        raise NotFound(_("Fant ikke innbyggerforslaget."))
    return initiative


def _closed_message(initiative: Initiative) -> str:
    status = initiative.current_status
    if status == InitiativeStatus.AWAITING_MODERATION:
        return _("Forslaget er ikke godkjent for innsamling ennå.")
    if status == InitiativeStatus.REFUSED:
        return _("Forslaget ble ikke godkjent, så det samles ikke inn underskrifter.")
    if status == InitiativeStatus.EXPIRED:
        return _("Innsamlingen er avsluttet: fristen for å samle underskrifter har gått ut.")
    return _("Forslaget er sendt inn til kommunen, så underskriftene kan ikke endres lenger.")


# --- propose and moderate ---------------------------------------------------------------


def propose_initiative(actor: User, data: InitiativeInput, *, created_at: datetime | None = None) -> Initiative:
    """A resident writes an innbyggerforslag; it waits for a moderator before collection.

    Raises NotAuthenticated/NotAllowed when the person cannot take part (or has no verified
    identity where proposing needs one), InvalidInput (with fields) for content that breaks
    a rule or an idea that is not the person's. `created_at` is for the demo data only.
    """
    require_participation(actor, "propose")
    title, proposal, reasons, areas, email, idea = _check(actor, data)
    initiative = Initiative(
        title=title, proposal=proposal, reasons=reasons, proposer_id=actor.id,
        contact_email=email, from_idea_id=idea.id if idea else None,
        status=InitiativeStatus.AWAITING_MODERATION,
    )
    if created_at is not None:
        initiative.created_at = initiative.updated_at = created_at
    initiative.service_areas = areas
    db.session.add(initiative)
    db.session.flush()
    signals.initiative_proposed.send(actor, initiative=initiative)
    db.session.commit()
    return initiative


def _require_moderator(actor: User | None) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å delta."))
    if not can_moderate_initiatives(actor):
        raise NotAllowed(_("Bare moderatorer kan godkjenne innbyggerforslag."))


def approve_initiative(actor: User, initiative_id: int, *, now: datetime | None = None) -> Initiative:
    """A moderator approves the proposal: collection starts, with the threshold of today's
    POPULATION and INITIATIVE_COLLECTION_DAYS to run.

    Raises NotAllowed for anyone but a moderator, NotFound, InvalidState when it is no
    longer waiting (another moderator was first). `now` is for the demo data and tests.
    """
    _require_moderator(actor)
    initiative = _lock(initiative_id)
    if not can_move(initiative.status, InitiativeStatus.COLLECTING, Actor.MODERATOR):
        raise InvalidState(_("Forslaget er allerede behandlet av en moderator."))
    now = now or utcnow()
    initiative.status = InitiativeStatus.COLLECTING
    initiative.moderated_at = initiative.collection_started_at = now
    initiative.moderated_by_id = actor.id
    initiative.collection_ends_at = collection_end(now)
    initiative.signature_threshold = current_threshold()
    initiative.refusal_reason = None
    signals.initiative_approved.send(actor, initiative=initiative)
    db.session.commit()
    return initiative


def refuse_initiative(actor: User, initiative_id: int, reason: str) -> Initiative:
    """A moderator refuses the proposal against the debate rules, with a reason the proposer reads.

    Raises NotAllowed for anyone but a moderator, NotFound, InvalidInput without a reason
    (10–2000 characters), InvalidState when it is no longer waiting.
    """
    _require_moderator(actor)
    reason = _reason(reason)
    initiative = _lock(initiative_id)
    if not can_move(initiative.status, InitiativeStatus.REFUSED, Actor.MODERATOR):
        raise InvalidState(_("Forslaget er allerede behandlet av en moderator."))
    initiative.status = InitiativeStatus.REFUSED
    initiative.moderated_at = utcnow()
    initiative.moderated_by_id = actor.id
    initiative.refusal_reason = reason
    signals.initiative_refused.send(actor, initiative=initiative, reason=reason)
    db.session.commit()
    return initiative


# --- signatures -------------------------------------------------------------------------------


def _sign_problem(actor: User | None) -> None:
    problem = participation_problem(actor, "sign")
    if problem == "unverified":
        raise NotAllowed(_("Kommunen krever at du bekrefter hvem du er med ID-porten før du signerer."))
    require_participation(actor)


def _state(initiative_id: int, signed: bool) -> SignatureState:
    row = db.session.execute(
        select(Initiative.signature_count, Initiative.paper_signature_count, Initiative.signature_threshold)
        .where(Initiative.id == initiative_id)
    ).one()
    return SignatureState(signed, row[0], row[0] + row[1], row[2])


def _residence_message() -> str:
    return _("Kryss av for at du er folkeregistrert som bosatt i %(municipality)s. Bare de som bor i "
             "kommunen, kan stå bak et innbyggerforslag.", municipality=current_app.config["MUNICIPALITY_NAME"])


def sign(actor: User, initiative_id: int, *, show_name: bool = False, confirmed_resident: bool = False) -> SignatureState:
    """One signature per person while the initiative collects; signing again changes nothing.

    Decided on the locked initiative row; the signature and the counter change in one
    transaction; the unique constraints on (initiative, user) and (initiative, identity)
    settle what the lock cannot (SQLite). Raises NotAuthenticated/NotAllowed (also without a
    verified identity where VERIFIED_IDENTITY_REQUIRED_FOR names `sign`), InvalidInput on
    `confirmed_resident` when it is not ticked, NotFound, InvalidState when not collecting or
    when the same person has signed from another account.
    """
    _sign_problem(actor)
    if confirmed_resident is not True:
        message = _residence_message()
        raise InvalidInput(message, fields={"confirmed_resident": [message]})
    initiative = _lock(initiative_id)
    if not initiative.is_public and not is_proposer(actor, initiative):
        raise NotFound(_("Fant ikke innbyggerforslaget."))
    if not initiative.is_collecting:
        raise InvalidState(_closed_message(initiative))
    mine = db.session.scalar(
        select(Signature.id).where(Signature.initiative_id == initiative_id, Signature.user_id == actor.id)
    )
    if mine is not None:
        db.session.rollback()
        return _state(initiative_id, True)
    identity = actor.verified_identity
    identity_hash = identity.person_hash if identity is not None else None
    twice = _("Du har allerede signert dette forslaget med en annen konto. Hver person kan signere én gang.")
    if identity_hash is not None and db.session.scalar(
        select(Signature.id).where(Signature.initiative_id == initiative_id, Signature.identity_hash == identity_hash)
    ) is not None:
        db.session.rollback()
        raise InvalidState(twice)
    try:
        db.session.add(Signature(
            initiative_id=initiative_id, user_id=actor.id, identity_hash=identity_hash,
            verified=identity is not None, confirmed_resident=True, show_name=bool(show_name),
        ))
        db.session.flush()
        db.session.execute(
            update(Initiative).where(Initiative.id == initiative_id)
            .values(signature_count=Initiative.signature_count + 1)
            .execution_options(synchronize_session=False)
        )
        signals.initiative_signed.send(actor, initiative_id=initiative_id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # A parallel request won: our own signature is "already signed"; another account of
        # the same person is refused.
        if db.session.scalar(select(Signature.id).where(
            Signature.initiative_id == initiative_id, Signature.user_id == actor.id
        )) is None:
            raise InvalidState(twice) from None
    return _state(initiative_id, True)


def withdraw_signature(actor: User, initiative_id: int) -> SignatureState:
    """Take one's signature back before the initiative is submitted; without one, a no-op.

    Needs no verified identity. Raises NotAuthenticated/NotAllowed, NotFound, InvalidState
    once it is no longer collecting (the submitted count is the council's).
    """
    require_participation(actor)
    initiative = _lock(initiative_id)
    if not initiative.is_public and not is_proposer(actor, initiative):
        raise NotFound(_("Fant ikke innbyggerforslaget."))
    if initiative.current_status != InitiativeStatus.COLLECTING:
        raise InvalidState(_closed_message(initiative))
    removed = db.session.execute(
        delete(Signature).where(Signature.initiative_id == initiative_id, Signature.user_id == actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed:
        db.session.execute(
            update(Initiative).where(Initiative.id == initiative_id)
            .values(signature_count=Initiative.signature_count - removed)
            .execution_options(synchronize_session=False)
        )
        signals.signature_withdrawn.send(actor, initiative_id=initiative_id)
    db.session.commit()
    return _state(initiative_id, False)


def register_paper_signatures(actor: User, initiative_id: int, count, scan, note: str = "") -> PaperSignatureBatch:
    """Staff add signatures collected on paper: a count and a scan of the lists (PDF, PNG or
    JPEG, checked by content). The row records who registered it and when; the scan is
    stored for staff only.

    Raises NotAllowed unless the actor may manage initiatives, NotFound, InvalidInput (with
    fields `count`, `scan`, `note`), InvalidState when the initiative is not collecting.
    """
    if actor is None or not can_manage_initiatives(actor):
        raise NotAllowed(_("Bare saksbehandlere kan registrere underskrifter på papir."))
    problems = _Problems()
    number = count if isinstance(count, int) and not isinstance(count, bool) else None
    if number is None or not 1 <= number <= MAX_PAPER_BATCH:
        problems.add("count", _("Skriv antallet underskrifter som et helt tall mellom 1 og %(max)d.",
                                max=MAX_PAPER_BATCH))
    note = _text(problems, "note", note, 0, NOTE_MAX, "")
    stored = None
    if scan is None:
        problems.add("scan", _("Last opp en skanning av underskriftslistene (PDF, PNG eller JPEG)."))
    elif number is not None and not problems.fields:
        try:
            stored = scans.store_scan(scan, field="scan")
        except InvalidInput as error:
            for name, messages in error.fields.items():
                for message in messages:
                    problems.add(name, message)
    problems.raise_if_any()
    initiative = _lock(initiative_id)
    if not initiative.is_collecting:
        raise InvalidState(_closed_message(initiative))
    batch = PaperSignatureBatch(
        initiative_id=initiative_id, count=number, scan_filename=stored.filename,
        scan_content_type=stored.content_type, scan_size=stored.size, note=note,
        registered_by_id=actor.id,
    )
    db.session.add(batch)
    db.session.flush()
    db.session.execute(
        update(Initiative).where(Initiative.id == initiative_id)
        .values(paper_signature_count=Initiative.paper_signature_count + number)
        .execution_options(synchronize_session=False)
    )
    # Ids and numbers only: who signed is on the scan, never in a log.
    log.info("paper signatures registered: initiative %s, batch %s, %s signatures, by user %s",
             initiative_id, batch.id, number, actor.id)
    signals.paper_signatures_registered.send(actor, initiative=initiative, batch=batch)
    db.session.commit()
    db.session.refresh(initiative)
    return batch


# --- submission and expiry ----------------------------------------------------------------


def submit_initiative(actor: User, initiative_id: int, *, now: datetime | None = None) -> Initiative:
    """The proposer hands the initiative to the municipality once the threshold is reached;
    the six months for the council's decision start today.

    Raises NotAuthenticated/NotAllowed for anyone but the proposer, NotFound, InvalidState
    when it is not collecting (expired, already submitted) or has too few signatures.
    """
    require_participation(actor)
    initiative = _lock(initiative_id)
    if not is_proposer(actor, initiative):
        if not initiative.is_public:
            raise NotFound(_("Fant ikke innbyggerforslaget."))
        raise NotAllowed(_("Bare den som fremmet forslaget, kan sende det inn."))
    if initiative.current_status != InitiativeStatus.COLLECTING or not can_move(
        initiative.status, InitiativeStatus.SUBMITTED, Actor.PROPOSER
    ):
        raise InvalidState(_closed_message(initiative))
    threshold = initiative.signature_threshold or current_threshold()
    total = initiative.total_signatures
    if total < threshold:
        missing = threshold - total
        raise InvalidState(ngettext(
            "Forslaget mangler %(num)d underskrift før det kan sendes inn.",
            "Forslaget mangler %(num)d underskrifter før det kan sendes inn.", missing,
        ))
    now = now or utcnow()
    initiative.status = InitiativeStatus.SUBMITTED
    initiative.submitted_at = now
    initiative.deadline = decision_deadline(now)
    initiative.submitted_signatures = total
    signals.initiative_submitted.send(actor, initiative=initiative)
    db.session.commit()
    return initiative


def expire_collections(now: datetime | None = None) -> int:
    """Mark every collection whose time has run out as expired; returns how many.

    One conditional UPDATE, so two runs at once (or a submission a moment earlier) never
    expire a row twice or overwrite a submission. Safe to run as often as cron likes.
    """
    now = now or utcnow()
    done = db.session.execute(
        update(Initiative).where(
            Initiative.status == InitiativeStatus.COLLECTING,
            Initiative.collection_ends_at <= now,
        ).values(status=InitiativeStatus.EXPIRED, expired_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return done


# --- the council's answer -------------------------------------------------------------------


def _require_staff(actor: User | None) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å delta."))
    if not can_manage_initiatives(actor):
        raise NotAllowed(_("Bare saksbehandlere kan registrere kommunestyrets behandling."))


def _case_number(problems: _Problems, name: str, value) -> str:
    text = " ".join(_clean(value if isinstance(value, str) else "").split())
    if bad_text(text):
        problems.add(name, _("Teksten har tegn vi ikke kan lagre. Fjern dem og prøv igjen."))
    elif not text:
        problems.add(name, _("Skriv saksnummeret, for eksempel 2026/1234."))
    elif len(text) > CASE_NUMBER_MAX:
        problems.add(name, _("Saksnummeret kan være høyst %(n)d tegn.", n=CASE_NUMBER_MAX))
    return text


def _url(problems: _Problems, name: str, value) -> str | None:
    text = _clean(value if isinstance(value, str) else "")
    if not text:
        return None
    try:
        parts = urlsplit(text) if not bad_text(text) and not any(c.isspace() for c in text) else None
        valid = parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an unclosed IPv6 bracket, a port that is no number
        valid = False
    if not valid:
        problems.add(name, _("Skriv en fullstendig adresse som begynner med https://, for eksempel "
                             "https://einnsyn.no/..."))
    elif len(text) > URL_MAX:
        problems.add(name, _("Adressen kan være høyst %(n)d tegn.", n=URL_MAX))
    return text


def _day(problems: _Problems, name: str, value, *, not_before: date | None = None,
         before_message: str = "") -> date | None:
    if not isinstance(value, date) or isinstance(value, datetime):
        problems.add(name, _("Skriv datoen som ÅÅÅÅ-MM-DD."))
        return None
    if value < EARLIEST_DATE:
        problems.add(name, _("Skriv datoen som ÅÅÅÅ-MM-DD."))
    elif value > local_today():
        problems.add(name, _("Datoen kan ikke være fram i tid."))
    elif not_before is not None and value < not_before:
        problems.add(name, before_message)
    return value


def record_decision(actor: User, initiative_id: int, data: DecisionInput) -> Initiative:
    """Staff record the council's treatment: case number, meeting date, the decision and a
    link to the case (eInnsyn or the council's own archive). Proposer and signers are told.

    Raises NotAllowed unless the actor may manage initiatives, NotFound, InvalidInput (with
    fields case_number, meeting_date, text, url), InvalidState unless it is submitted.
    """
    _require_staff(actor)
    initiative = _lock(initiative_id)
    if not can_move(initiative.status, InitiativeStatus.DECIDED, Actor.STAFF):
        raise InvalidState(_("Bare et innsendt forslag kan få registrert vedtak."))
    problems = _Problems()
    case_number = _case_number(problems, "case_number", data.case_number)
    submitted_day = initiative.submitted_at.astimezone(site_timezone()).date()
    meeting = _day(problems, "meeting_date", data.meeting_date, not_before=submitted_day,
                   before_message=_("Møtet kan ikke være før forslaget ble sendt inn."))
    text = _text(problems, "text", data.text, DECISION_MIN, DECISION_MAX, _("Skriv vedtaket."))
    url = _url(problems, "url", data.url)
    problems.raise_if_any()
    initiative.status = InitiativeStatus.DECIDED
    initiative.council_case_number = case_number
    initiative.council_meeting_date = meeting
    initiative.decision_text = text
    initiative.decision_url = url
    initiative.decided_at = utcnow()
    initiative.decided_by_id = actor.id
    signals.initiative_decided.send(actor, initiative=initiative)
    db.session.commit()
    return initiative


def reject_same_content(actor: User, initiative_id: int, data: SameContentInput) -> Initiative:
    """Staff refuse a submitted initiative as the same content as a case the council treated
    in the current election period (kommuneloven § 12-1), naming that case.

    Raises NotAllowed unless the actor may manage initiatives, NotFound, InvalidInput (with
    fields case_number, case_title, case_date, explanation; a case before the period began
    is refused), InvalidState unless it is submitted.
    """
    _require_staff(actor)
    initiative = _lock(initiative_id)
    if not can_move(initiative.status, InitiativeStatus.REJECTED_SAME_CONTENT, Actor.STAFF):
        raise InvalidState(_("Bare et innsendt forslag kan avvises som likt en tidligere sak."))
    problems = _Problems()
    case_number = _case_number(problems, "case_number", data.case_number)
    case_title = " ".join(_text(problems, "case_title", data.case_title, 3, CASE_TITLE_MAX,
                                _("Skriv tittelen på den tidligere saken.")).split())
    start = election_period_start()
    case_date = _day(problems, "case_date", data.case_date, not_before=start, before_message=_(
        "Saken ble behandlet før denne valgperioden begynte (%(start)s). Bare saker fra valgperioden "
        "kan stenge for et nytt forslag med samme innhold.", start=start.isoformat()))
    explanation = _text(problems, "explanation", data.explanation, 0, REASON_MAX, "")
    problems.raise_if_any()
    initiative.status = InitiativeStatus.REJECTED_SAME_CONTENT
    initiative.earlier_case_number = case_number
    initiative.earlier_case_title = case_title
    initiative.earlier_case_date = case_date
    initiative.rejection_explanation = explanation or None
    initiative.rejected_at = utcnow()
    initiative.rejected_by_id = actor.id
    signals.initiative_rejected.send(actor, initiative=initiative)
    db.session.commit()
    return initiative


def record_measure(actor: User, initiative_id: int, text: str, carried_out_on) -> InitiativeMeasure:
    """Staff record a measure carried out as a result of the decision; dated, as often as needed.

    Raises NotAllowed unless the actor may manage initiatives, NotFound, InvalidInput (with
    fields text, carried_out_on), InvalidState unless the council has decided.
    """
    _require_staff(actor)
    initiative = _lock(initiative_id)
    if initiative.status != InitiativeStatus.DECIDED:
        raise InvalidState(_("Tiltak kan registreres når kommunestyret har fattet vedtak."))
    problems = _Problems()
    body = _text(problems, "text", text, MEASURE_MIN, MEASURE_MAX, _("Skriv hva som er gjort."))
    day = _day(problems, "carried_out_on", carried_out_on)
    problems.raise_if_any()
    measure = InitiativeMeasure(initiative_id=initiative_id, text=body, carried_out_on=day,
                                recorded_by_id=actor.id)
    db.session.add(measure)
    db.session.flush()
    signals.measure_recorded.send(actor, initiative=initiative, measure=measure)
    db.session.commit()
    return measure


# --- erasure (privacy.deletion calls these inside its own transaction) ---------------------


def forget_signer(user_id: int) -> None:
    """A person's signatures when their account is erased; does not commit.

    While an initiative still collects, the signature goes and the count drops, as if the
    person had taken it back (which they could). Once submitted, the count is the council's
    and must not drop: the row stays as an anonymous signature (no user, no identity, name
    not shown). An expired or refused initiative's count no longer matters: removed too.
    """
    handed_over = select(Initiative.id).where(Initiative.status.in_(SUBMITTED_STATUSES))
    removed = list(db.session.execute(
        select(Signature.initiative_id, Signature.id).where(
            Signature.user_id == user_id, Signature.initiative_id.not_in(handed_over)
        )
    ))
    for initiative_id, _signature_id in removed:
        db.session.execute(
            update(Initiative).where(Initiative.id == initiative_id)
            .values(signature_count=Initiative.signature_count - 1)
            .execution_options(synchronize_session=False)
        )
    if removed:
        db.session.execute(delete(Signature).where(Signature.id.in_([r[1] for r in removed]))
                           .execution_options(synchronize_session=False))
    db.session.execute(
        update(Signature).where(Signature.user_id == user_id)
        .values(user_id=None, identity_hash=None, show_name=False)
        .execution_options(synchronize_session=False)
    )


def hand_over_proposals(user_id: int, placeholder_id: int, keep_content: bool) -> None:
    """A person's own initiatives when their account is erased; does not commit.

    What was never published (waiting for moderation, refused) goes when the person chose to
    remove what they wrote. Everything public stays: others signed it, and a submitted one is
    the council's case. What stays is handed to "Tidligere deltaker", without the contact
    address.
    """
    if not keep_content:
        private = list(db.session.scalars(select(Initiative.id).where(
            Initiative.proposer_id == user_id,
            Initiative.status.in_((InitiativeStatus.AWAITING_MODERATION, InitiativeStatus.REFUSED)),
        )))
        if private:
            for initiative in db.session.scalars(select(Initiative).where(Initiative.id.in_(private))):
                db.session.delete(initiative)
            db.session.flush()
    db.session.execute(
        update(Initiative).where(Initiative.proposer_id == user_id)
        .values(proposer_id=placeholder_id, contact_email="")
        .execution_options(synchronize_session=False)
    )


def refresh_counts(initiative: Initiative) -> None:
    """Read the counters again after an atomic UPDATE (for a page shown in the same request)."""
    row = db.session.execute(
        select(Initiative.signature_count, Initiative.paper_signature_count).where(Initiative.id == initiative.id)
    ).one()
    set_committed_value(initiative, "signature_count", row[0])
    set_committed_value(initiative, "paper_signature_count", row[1])
