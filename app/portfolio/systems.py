"""The register of systems in use: what the municipality already runs, who supplies it, which
municipal area owns it and which use it, and when its contract ends.

Services (the only code that writes systems) and queries in one module:

- `create_system`, `update_system`, `delete_system`: one system, from the staff pages;
- `import_systems`: a whole CSV file, all or nothing; a row whose name (case and spacing
  aside) is already in the register updates that system instead of adding it twice. The
  pages and `flask portfolio import-systems` call it alike;
- `systems_query`: the staff list (search, area, sort); `similar_systems`: the systems the
  duplicate-purchase check shows before a project is created; `contracts_ending`: what the
  board shows, contracts that end within the economic plan's years.

Search is full-text like projects' (app/portfolio/search.py): a Norwegian tsvector with a GIN
index on PostgreSQL, an FTS5 table with triggers on SQLite, installed by
`install_system_search` from the migration and app.core.schema's extra steps.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Connection,
    Select,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.core.db import is_postgres
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.core.input import EARLIEST_DATE, LATEST_DATE, bad_text, to_int
from app.core.models import MunicipalArea
from app.core.schema import install_fulltext
from app.extensions import db
from app.ideas.search import PG_CONFIG, STOP_WORDS, stem, words
from app.portfolio.models import System, system_areas
from app.portfolio.permissions import can_manage_systems, can_view_systems
from app.portfolio.plan import plan_period, site_today

MAX_NAME = 200
MAX_SUPPLIER = 200
MAX_DESCRIPTION = 5000
MAX_URL = 500

# --- search objects ---------------------------------------------------------------------

_PG_STEPS = (
    f"""ALTER TABLE systems ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('{PG_CONFIG}', coalesce(name, '')), 'A') ||
            setweight(to_tsvector('{PG_CONFIG}', coalesce(supplier, '')), 'B') ||
            setweight(to_tsvector('{PG_CONFIG}', coalesce(description, '')), 'C')
        ) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_search_systems ON systems USING gin (search_vector)",
)
_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE systems_fts USING fts5("
    "name, supplier, description, content='systems', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')"
)
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS systems_fts_insert AFTER INSERT ON systems BEGIN
        INSERT INTO systems_fts(rowid, name, supplier, description)
        VALUES (new.id, new.name, new.supplier, new.description);
    END""",
    """CREATE TRIGGER IF NOT EXISTS systems_fts_delete AFTER DELETE ON systems BEGIN
        INSERT INTO systems_fts(systems_fts, rowid, name, supplier, description)
        VALUES ('delete', old.id, old.name, old.supplier, old.description);
    END""",
    """CREATE TRIGGER IF NOT EXISTS systems_fts_update AFTER UPDATE OF name, supplier, description
        ON systems BEGIN
        INSERT INTO systems_fts(systems_fts, rowid, name, supplier, description)
        VALUES ('delete', old.id, old.name, old.supplier, old.description);
        INSERT INTO systems_fts(rowid, name, supplier, description)
        VALUES (new.id, new.name, new.supplier, new.description);
    END""",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS systems_fts_insert",
    "DROP TRIGGER IF EXISTS systems_fts_delete",
    "DROP TRIGGER IF EXISTS systems_fts_update",
    "DROP TABLE IF EXISTS systems_fts",
)


def install_system_search(connection: Connection) -> None:
    """Create the search objects for systems; running it again changes nothing."""
    install_fulltext(connection, "systems_fts", _PG_STEPS, _SQLITE_TABLE, _SQLITE_TRIGGERS)


def _terms(text_: str | None, *, fallback: bool = True) -> list[str]:
    """The words worth searching for, as plain letters and digits (nothing a query parser
    could read as syntax), at most 30. Only stop words: those, with `fallback`, else none."""
    found = ["".join(ch for ch in w if ch.isalnum()) for w in words(text_)]
    found = [w for w in found if w]
    kept = [w for w in found if w not in STOP_WORDS and len(w) > 1]
    return list(dict.fromkeys(kept or (found if fallback else [])))[:30]


# Weights of name, supplier and description in SQLite's bm25 (PostgreSQL: A, B, C).
_BM25_WEIGHTS = (5.0, 2.0, 1.0)


def _matches(text_: str | None, *, any_word: bool):
    """A subquery of (system_id, relevance) for systems whose name, supplier or description
    has the text's words (each as a word's start): all of them, or with `any_word` any,
    ranked by how well they match (higher is better on both databases). None: no words."""
    # A text of only small words ("og i på") looks like everything: no match for similarity.
    terms = _terms(text_, fallback=not any_word)
    if not terms:
        return None
    if is_postgres():
        vector = literal_column("systems.search_vector")
        operator = " | " if any_word else " & "
        query = func.to_tsquery(PG_CONFIG, operator.join(f"{t}:*" for t in terms))
        stmt = select(System.id.label("system_id"), func.ts_rank(vector, query).label("relevance")
                      ).where(vector.op("@@")(query))
        return stmt.subquery("system_search")
    fts = table("systems_fts", column("rowid"))
    operator = " OR " if any_word else " AND "
    expression = operator.join('"' + stem(t).replace('"', "") + '"*' for t in terms)
    bm25 = func.bm25(literal_column("systems_fts"), *_BM25_WEIGHTS)
    stmt = select(fts.c.rowid.label("system_id"), (-bm25).label("relevance")).where(
        literal_column("systems_fts").op("MATCH")(expression)
    )
    return stmt.subquery("system_search")


# --- reading ----------------------------------------------------------------------------


def name_key(name: str) -> str:
    """The name as compared: case and spacing do not make another system."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _listing(stmt: Select) -> Select:
    return stmt.options(joinedload(System.owner_area), selectinload(System.areas))


def get_system(actor: User, system_id: int) -> System:
    """One system with its areas. Raises NotAllowed (not staff), NotFound."""
    if not can_view_systems(actor):
        raise NotAllowed(_("Bare ansatte kan se systemregisteret."))
    system = db.session.scalar(_listing(select(System).where(System.id == (to_int(system_id) or 0))))
    if system is None:
        raise NotFound(_("Systemet finnes ikke."))
    return system


SORTS = {
    "name": _l("Navn"),
    "contract_end": _l("Kontraktslutt, først ut først"),
    "supplier": _l("Leverandør"),
    "updated": _l("Sist endret"),
}


@dataclass
class SystemFilters:
    q: str = ""
    area_id: int | None = None
    sort: str = "name"
    # Only contracts that end within the plan period (what the board shows).
    ending: bool = False

    @classmethod
    def from_args(cls, args) -> "SystemFilters":
        """Read the list's filters leniently: nonsense means no filter."""
        q = " ".join(str(args.get("q", ""))[:200].split())
        if bad_text(q):
            q = ""
        sort = args.get("sort", "name")
        return cls(q=q, area_id=to_int(args.get("area")), sort=sort if sort in SORTS else "name",
                   ending=args.get("ending") == "plan")

    @property
    def active(self) -> bool:
        return bool(self.q or self.area_id or self.ending)


def _escape_like(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def systems_query(filters: SystemFilters) -> Select:
    """The staff list: matching systems in the chosen order, owner and areas loaded with them.

    The search finds a system whose name, supplier or description has every word typed (as
    the start of a word, also inflected: "skolen" finds "skole"), or whose name holds the
    text anywhere ("flyt sk" finds "Visma Flyt Skole")."""
    stmt = select(System)
    if filters.q:
        matched = _matches(filters.q, any_word=False)
        by_name = System.name_key.like(f"%{_escape_like(name_key(filters.q))}%", escape="\\")
        stmt = stmt.where(or_(by_name, System.id.in_(select(matched.c.system_id)))
                          if matched is not None else by_name)
    if filters.area_id:
        used_by = exists().where(system_areas.c.system_id == System.id,
                                 system_areas.c.municipal_area_id == filters.area_id)
        stmt = stmt.where(or_(System.owner_area_id == filters.area_id, used_by))
    if filters.ending:
        first, last = contract_window()
        stmt = stmt.where(System.contract_end.between(first, last))
    order = {
        "name": (System.name_key,),
        "contract_end": (System.contract_end.is_(None), System.contract_end, System.name_key),
        "supplier": (System.supplier == "", func.lower(System.supplier), System.name_key),
        "updated": (System.updated_at.desc(), System.id.desc()),
    }[filters.sort]
    return _listing(stmt.order_by(*order, System.id))


def area_choices() -> list[MunicipalArea]:
    """Every municipal area (retired ones too: a system may still name one), in their order."""
    return list(db.session.scalars(
        select(MunicipalArea).order_by(MunicipalArea.position, MunicipalArea.name_nb)))


def similar_systems(text_: str, limit: int = 5) -> list[System]:
    """Systems in use whose name, supplier or description share words with the text, best
    match first: what the duplicate-purchase check shows before a project is created."""
    matched = _matches(text_, any_word=True)
    if matched is None:
        return []
    stmt = (select(System).join(matched, matched.c.system_id == System.id)
            .order_by(matched.c.relevance.desc(), System.id.desc()).limit(limit))
    return list(db.session.scalars(_listing(stmt)).unique())


def contract_window(today: date | None = None) -> tuple[date, date]:
    """From the start of the plan period (app/portfolio/plan.py), or today when that is
    earlier (a contract that ends before the plan starts must be dealt with in it too), to
    the plan's last day."""
    first, last = plan_period()
    return min(today or site_today(), first), last


def contracts_ending(limit: int = 50) -> tuple[list[System], int]:
    """Systems whose contract ends within the plan period, soonest first (at most `limit`),
    and how many there are in all."""
    first, last = contract_window()
    where = System.contract_end.between(first, last)
    total = db.session.scalar(select(func.count()).select_from(System).where(where)) or 0
    if not total:
        return [], 0
    stmt = (select(System).where(where).options(joinedload(System.owner_area))
            .order_by(System.contract_end, System.name_key, System.id).limit(limit))
    return list(db.session.scalars(stmt)), total


# --- writing one system -----------------------------------------------------------------

FIELDS = ("name", "supplier", "owner_area_id", "area_ids", "contract_end", "description", "url")


def _text(values: Mapping, name: str, limit: int, errors: dict, *, single_line: bool = True) -> str:
    raw = values.get(name)
    if raw is not None and not isinstance(raw, str):
        errors[name] = _("Skriv teksten som tekst.")
        return ""
    value = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    value = " ".join(value.split()) if single_line else value.strip()
    if bad_text(value):
        errors[name] = _("Teksten inneholder et tegn som ikke kan lagres (et NUL-tegn eller en ugyldig "
                         "Unicode-kode). Fjern tegnet og prøv igjen.")
    elif len(value) > limit:
        errors[name] = _("Skriv høyst %(n)d tegn (nå %(count)d).", n=limit, count=len(value))
    return value


def parse_date(value) -> date | None:
    """A date as people write it: 2027-12-31, 31.12.2027 or 31.12.27; None when empty.
    Raises ValueError for anything else, and for a date outside EARLIEST_DATE–LATEST_DATE."""
    if value is None or isinstance(value, date):
        day = value
    else:
        text_ = str(value).strip()
        if not text_:
            return None
        if "." in text_ or "/" in text_:
            parts = text_.replace("/", ".").split(".")
            if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
                raise ValueError(text_)
            day_, month, year = (int(p) for p in parts)
            if len(parts[2]) == 2:
                year += 2000
            elif len(parts[2]) != 4:
                raise ValueError(text_)
            day = date(year, month, day_)
        elif len(text_) == 10 and text_.isascii():
            day = date.fromisoformat(text_)
        else:
            raise ValueError(text_)
    if isinstance(day, datetime):
        day = day.date()
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(str(value))
    return day


def date_message(value) -> str:
    return _("«%(value)s» er ikke en dato vi kan bruke. Skriv den som 31.12.2027 eller 2027-12-31, "
             "mellom år %(first)d og %(last)d.", value=str(value)[:40],
             first=EARLIEST_DATE.year, last=LATEST_DATE.year)


def _url(values: Mapping, errors: dict) -> str:
    value = _text(values, "url", MAX_URL, errors)
    if value and "url" not in errors:
        try:
            parts = urlsplit(value)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value
        except ValueError:
            valid = False
        if not valid:
            errors["url"] = _("Skriv en nettadresse som begynner med https:// (eller http://).")
    return value


def _area_ids(raw) -> list[int | None]:
    if raw is None:
        return []
    if isinstance(raw, str | int):
        raw = [raw]
    return [to_int(v) if not isinstance(v, bool) else None for v in raw]


def _check_areas(values: Mapping, current: System | None, errors: dict,
                 areas: dict[int, MunicipalArea]) -> tuple[MunicipalArea | None, list[MunicipalArea]]:
    """The owner and the areas that use the system; a retired area only where the system
    already had it."""
    had = {a.id for a in current.areas} | {current.owner_area_id} if current is not None else set()
    owner = areas.get(to_int(values.get("owner_area_id")) or 0)
    if owner is None:
        errors["owner_area_id"] = _("Velg kommunalområdet som eier systemet.")
    elif owner.retired and owner.id not in had:
        errors["owner_area_id"] = _("Kommunalområdet «%(name)s» er pensjonert. Velg et annet.",
                                    name=owner.name)
    chosen: list[MunicipalArea] = []
    for area_id in dict.fromkeys(_area_ids(values.get("area_ids"))):
        area = areas.get(area_id or 0)
        if area is None:
            errors["area_ids"] = _("Velg kommunalområder fra listen.")
        elif area.retired and area.id not in had:
            errors["area_ids"] = _("Kommunalområdet «%(name)s» er pensjonert. Velg et annet.",
                                   name=area.name)
        else:
            chosen.append(area)
    return owner, chosen


@dataclass
class SystemValues:
    name: str
    supplier: str
    owner: MunicipalArea
    areas: list[MunicipalArea]
    contract_end: date | None
    description: str
    url: str


def clean_system(values: Mapping, current: System | None = None,
                 areas: dict[int, MunicipalArea] | None = None) -> tuple[SystemValues | None, dict[str, str]]:
    """The values of one system checked, or the message for each field at fault (by field
    name). `areas` (every municipal area by id) saves a query per row in an import."""
    errors: dict[str, str] = {}
    name = _text(values, "name", MAX_NAME, errors)
    if not name and "name" not in errors:
        errors["name"] = _("Skriv navnet på systemet.")
    supplier = _text(values, "supplier", MAX_SUPPLIER, errors)
    description = _text(values, "description", MAX_DESCRIPTION, errors, single_line=False)
    url = _url(values, errors)
    try:
        contract_end = parse_date(values.get("contract_end"))
    except (ValueError, TypeError):
        contract_end = None
        errors["contract_end"] = date_message(values.get("contract_end"))
    if areas is None:
        areas = {a.id: a for a in area_choices()}
    owner, chosen = _check_areas(values, current, errors, areas)
    if errors:
        return None, errors
    return SystemValues(name, supplier, owner, chosen, contract_end, description, url), {}


def _apply(system: System, clean: SystemValues) -> bool:
    """Set the values; whether anything changed."""
    before = _snapshot(system)
    system.name = clean.name
    system.name_key = name_key(clean.name)
    system.supplier = clean.supplier
    system.owner_area = clean.owner
    system.owner_area_id = clean.owner.id
    if [a.id for a in system.areas] != [a.id for a in clean.areas]:
        system.areas = list(clean.areas)
    system.contract_end = clean.contract_end
    system.description = clean.description
    system.url = clean.url
    return _snapshot(system) != before


def _snapshot(system: System) -> tuple:
    return (system.name, system.supplier, system.owner_area_id,
            tuple(sorted(a.id for a in system.areas)) if system.id else (),
            system.contract_end, system.description, system.url)


def _require_manager(actor: User) -> None:
    if not can_manage_systems(actor):
        raise NotAllowed(_("Bare porteføljeforvaltere og administratorer kan endre systemregisteret."))


def _invalid(errors: dict[str, str]) -> InvalidInput:
    return InvalidInput(_("Noe i systemet må rettes."),
                        fields={name: [message] for name, message in errors.items()})


def _name_taken(message_name: str) -> InvalidInput:
    message = _("Registeret har allerede et system som heter «%(name)s». Rediger det i stedet.",
                name=message_name)
    return InvalidInput(message, fields={"name": [message]})


def _taken_by(key: str, system_id: int | None) -> bool:
    stmt = select(System.id).where(System.name_key == key)
    if system_id is not None:
        stmt = stmt.where(System.id != system_id)
    return db.session.scalar(stmt.limit(1)) is not None


def _commit_or_taken(name: str) -> None:
    """Commit; the unique name settles two people saving the same name at the same moment."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _name_taken(name) from None


def create_system(actor: User, values: Mapping) -> System:
    """Add a system to the register.

    Raises NotAllowed (not a portfolio manager or admin), InvalidInput (a field at fault, or
    the name is taken: one system per name, case aside).
    """
    _require_manager(actor)
    clean, errors = clean_system(values)
    if errors:
        raise _invalid(errors)
    if _taken_by(name_key(clean.name), None):
        raise _name_taken(clean.name)
    system = System()
    db.session.add(system)
    _apply(system, clean)
    _commit_or_taken(clean.name)
    return system


def _lock(system: System) -> System:
    """The system's current row, locked until the transaction ends (FOR UPDATE on PostgreSQL),
    so two people saving it, or saving and deleting it, act one after the other."""
    # The id from the identity map: reading system.id would reload a row that may be gone.
    identity = sa_inspect(system).identity
    system_id = identity[0] if identity else 0
    stmt = select(System).where(System.id == system_id).execution_options(populate_existing=True)
    if is_postgres():
        # The mode an UPDATE takes anyway, taken first: an import running (which locks the
        # register) is waited for here, before this row is locked, so the two never deadlock.
        db.session.execute(text("LOCK TABLE systems IN ROW EXCLUSIVE MODE"))
        stmt = stmt.with_for_update(of=System)
    current = db.session.scalar(stmt)
    if current is None:
        db.session.rollback()
        raise NotFound(_("Systemet finnes ikke lenger. Noen kan ha slettet det."))
    return current


def update_system(actor: User, system: System, values: Mapping) -> System:
    """Change a system. Raises NotAllowed, NotFound (deleted meanwhile), InvalidInput."""
    _require_manager(actor)
    system = _lock(system)
    clean, errors = clean_system(values, system)
    if errors:
        db.session.rollback()
        raise _invalid(errors)
    if _taken_by(name_key(clean.name), system.id):
        db.session.rollback()
        raise _name_taken(clean.name)
    _apply(system, clean)
    _commit_or_taken(clean.name)
    return system


def delete_system(actor: User, system: System) -> None:
    """Remove a system from the register. Raises NotAllowed, NotFound (already deleted)."""
    _require_manager(actor)
    system = _lock(system)
    db.session.delete(system)
    db.session.commit()


def area_in_use(area_id: int) -> bool:
    """Whether a system is owned or used by the municipal area (it cannot be deleted then)."""
    owner = select(System.id).where(System.owner_area_id == area_id)
    user = select(system_areas.c.system_id).where(system_areas.c.municipal_area_id == area_id)
    return bool(db.session.scalar(select(exists(owner) | exists(user))))


# --- CSV: the file format ---------------------------------------------------------------

# The columns of the import and the export, in order, and the field each fills.
COLUMNS = {
    "navn": "name",
    "leverandør": "supplier",
    "eierområde": "owner_area_id",
    "brukes_av": "area_ids",
    "kontraktslutt": "contract_end",
    "beskrivelse": "description",
    "nettadresse": "url",
}
REQUIRED_COLUMNS = ("navn", "eierområde")
COLUMN_OF_FIELD = {field_: column_ for column_, field_ in COLUMNS.items()}
# A spreadsheet would run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Separators between the areas in «brukes_av».
AREA_SEPARATORS = (",", ";", "|", "\n")


def _header_key(text_: str) -> str:
    """A header as compared: case, spaces, hyphens and æøå versus ae/o/a do not matter."""
    key = "_".join(text_.strip().lstrip("\ufeff").casefold().replace("-", " ").split())
    return key.replace("æ", "ae").replace("ø", "o").replace("å", "a")


_COLUMN_KEYS = {_header_key(name): name for name in COLUMNS}


def template_csv_rows() -> list[list[str]]:
    """The template's header: the columns in order."""
    return [list(COLUMNS)]


def export_rows(systems: Iterable[System]):
    """The register as rows in the import format, so an export can be edited and imported."""
    for system in systems:
        yield [
            system.name, system.supplier, system.owner_area.name_nb,
            ", ".join(a.name_nb for a in system.areas), system.contract_end,
            system.description, system.url,
        ]


def export_query() -> Select:
    return _listing(select(System).order_by(System.name_key, System.id))


@dataclass
class RowError:
    line: int
    column: str | None
    message: str


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


class ImportRejected(InvalidInput):
    """The file has mistakes; nothing was imported. `errors` has each with its line."""

    def __init__(self, message: str, errors: list[RowError], total: int | None = None,
                 fields: dict | None = None):
        super().__init__(message, fields=fields)
        self.errors = errors
        self.total = len(errors) if total is None else total


# At most this many mistakes are kept (and shown): enough to see what is wrong with a file.
MAX_REPORTED_ERRORS = 500


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = _("Filen er ikke lagret som UTF-8 (linje %(line)d). Lagre den som «CSV UTF-8 "
                    "(kommadelt)» i Excel, eller som UTF-8 i et annet program, og prøv igjen.", line=line)
        raise ImportRejected(message, [RowError(line, None, message)], fields={"file": [message]}) from None


def _sniff_delimiter(first_line: str) -> str:
    """`;` or `,` (or a tab): whichever splits the header into most known column names."""
    best, best_known = ";", -1
    for delimiter in (";", ",", "\t"):
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for cell in cells if _header_key(cell) in _COLUMN_KEYS)
        if known > best_known:
            best, best_known = delimiter, known
    return best


def _cell(raw: str) -> tuple[str, str | None]:
    """A cell's text, or why it cannot be used. A cell that starts like a formula is refused;
    a leading apostrophe (how our export and Excel keep such text as text) is dropped."""
    if raw.startswith("'") and raw[1:2] and raw[1:].startswith(FORMULA_START):
        return raw[1:], None
    if raw.startswith(FORMULA_START) and raw.strip() not in ("", "-"):
        return raw, _("Cellen begynner med «%(char)s» og kan være en regnearkformel. Fjern tegnet, "
                      "eller skriv en apostrof (') foran om teksten skal begynne slik.",
                      char=raw[0].replace("\t", "tab").replace("\r", "CR"))
    if bad_text(raw):
        return raw, _("Cellen inneholder et tegn som ikke kan lagres (et NUL-tegn eller en ugyldig "
                      "Unicode-kode). Fjern tegnet.")
    return raw, None


def _area_index(areas: Iterable[MunicipalArea]) -> dict[str, MunicipalArea]:
    index: dict[str, MunicipalArea] = {}
    for area in areas:
        for name in (area.name_nb, area.name_nn, area.name_en):
            if name:
                index.setdefault(name_key(name), area)
    return index


def _area_names(text_: str, index: dict[str, MunicipalArea]) -> tuple[list[MunicipalArea], list[str]]:
    """The areas a «brukes_av» cell names, and the names nobody knows."""
    whole = index.get(name_key(text_))
    if whole is not None:
        return [whole], []
    parts = [text_]
    for separator in AREA_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    found, unknown = [], []
    for part in (" ".join(p.split()) for p in parts):
        if part:
            area = index.get(name_key(part))
            (found.append(area) if area is not None else unknown.append(part))
    return found, unknown


def _known_areas_text(areas: Iterable[MunicipalArea]) -> str:
    return ", ".join(a.name_nb for a in areas if not a.retired)


@dataclass
class _Row:
    line: int
    values: dict
    key: str
    reported: set  # the columns whose mistakes are already reported
    failed: bool


def _read_rows(text_: str, max_rows: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (column names) and each row's cells with the line it starts on.
    Raises ImportRejected for a file we cannot read as CSV."""
    first_line = text_.split("\n", 1)[0].rstrip("\r")
    reader = csv.reader(io.StringIO(text_, newline=""), delimiter=_sniff_delimiter(first_line))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if header is None:
                header = cells
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= max_rows:
                message = _("Filen har flere enn %(max)d rader. Del den opp i flere filer.", max=max_rows)
                raise ImportRejected(message, [RowError(start, None, message)], fields={"file": [message]})
            rows.append((start, cells))
    except csv.Error as error:
        message = _("Linje %(line)d kan ikke leses som CSV (%(reason)s).", line=line, reason=str(error)[:100])
        raise ImportRejected(message, [RowError(line, None, message)], fields={"file": [message]}) from None
    if header is None:
        message = _("Filen er tom. Den første linjen skal være overskriftene: %(columns)s.",
                    columns=";".join(COLUMNS))
        raise ImportRejected(message, [RowError(1, None, message)], fields={"file": [message]})
    return header, rows


def _columns(header: list[str]) -> list[str | None]:
    """The column each header cell names; unknown, repeated or missing columns are refused."""
    errors = []
    names: list[str | None] = []
    for cell in header:
        name = _COLUMN_KEYS.get(_header_key(cell))
        if name is None and cell.strip():
            errors.append(RowError(1, None, _("Ukjent kolonne «%(name)s». Kolonnene er: %(columns)s.",
                                              name=cell.strip()[:60], columns=";".join(COLUMNS))))
        elif name is not None and name in names:
            errors.append(RowError(1, name, _("Kolonnen «%(name)s» står to ganger.", name=name)))
        names.append(name)
    for required in REQUIRED_COLUMNS:
        if required not in names:
            errors.append(RowError(1, required, _("Kolonnen «%(name)s» mangler. Den første linjen skal "
                                                  "være overskriftene: %(columns)s.",
                                                  name=required, columns=";".join(COLUMNS))))
    if errors:
        raise ImportRejected(_("Overskriftene i filen må rettes."), errors)
    return names


def _row_values(cells: list[str], names: list[str | None], line: int, index: dict[str, MunicipalArea],
                known: str) -> tuple[dict, list[RowError]]:
    """One row as form values (by field name), and the mistakes in its cells (a cell at fault
    counts as empty, so the rest of the row is still checked and every mistake shown)."""
    found: list[RowError] = []
    if len(cells) > len(names) and any(c.strip() for c in cells[len(names):]):
        found.append(RowError(line, None, _("Raden har %(cells)d celler, men overskriften har %(columns)d. "
                                            "Sett tekst med skilletegn i anførselstegn.",
                                            cells=len(cells), columns=len(names))))
    values: dict = {}
    for position, name in enumerate(names):
        if name is None:
            continue
        field_ = COLUMNS[name]
        raw, problem = _cell(cells[position] if position < len(cells) else "")
        if problem:
            found.append(RowError(line, name, problem))
            raw = ""
        if field_ == "owner_area_id":
            text_ = " ".join(raw.split())
            area = index.get(name_key(text_)) if text_ else None
            if not text_ and not problem:
                found.append(RowError(line, name, _("Skriv hvilket kommunalområde som eier systemet.")))
            elif text_ and area is None:
                found.append(RowError(line, name, _("Ukjent kommunalområde «%(name)s». Kjente: %(known)s.",
                                                    name=text_[:80], known=known)))
            values[field_] = area.id if area else None
        elif field_ == "area_ids":
            areas, unknown = _area_names(raw, index)
            for part in unknown:
                found.append(RowError(line, name, _("Ukjent kommunalområde «%(name)s». Kjente: %(known)s.",
                                                    name=part[:80], known=known)))
            values[field_] = [a.id for a in areas]
        else:
            values[field_] = raw
    return values, found


def max_import_rows() -> int:
    return max(1, int(current_app.config.get("SYSTEMS_IMPORT_MAX_ROWS") or 10_000))


def max_import_bytes() -> int:
    return max(1, int(current_app.config.get("SYSTEMS_IMPORT_MAX_MB") or 5)) * 1024 * 1024


def import_systems(actor: User, data: bytes | str, *, dry_run: bool = False) -> ImportResult:
    """Import a CSV file of systems (the format: COLUMNS), all rows or none.

    UTF-8 with or without a byte-order mark; `;`, `,` or a tab between cells, read from the
    header. A row whose name is already in the register (case and spacing aside) updates that
    system: the file's columns replace its values, columns the file lacks are kept. With
    `dry_run` everything is checked and nothing is stored.

    Raises NotAllowed, ImportRejected (an InvalidInput with every mistake and its line; nothing
    stored), InvalidState (someone changed the register at the same moment; nothing stored).
    """
    _require_manager(actor)
    limit = max_import_bytes()
    if len(data) > limit:
        message = _("Filen er for stor. Den kan være høyst %(mb)d MB.", mb=limit // (1024 * 1024))
        raise ImportRejected(message, [RowError(1, None, message)], fields={"file": [message]})
    text_ = _decode(data)
    header, raw_rows = _read_rows(text_, max_import_rows())
    names = _columns(header)
    present = {COLUMNS[n] for n in names if n is not None}

    areas = area_choices()
    areas_by_id = {a.id: a for a in areas}
    index = _area_index(areas)
    known = _known_areas_text(areas)
    errors: list[RowError] = []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for line, cells in raw_rows:
        values, found = _row_values(cells, names, line, index, known)
        key = name_key(values.get("name") or "")
        if key and key in seen:
            found.append(RowError(line, "navn", _("Samme navn som på linje %(line)d. Hvert system skal "
                                                  "stå én gang.", line=seen[key])))
        seen.setdefault(key, line)
        errors.extend(found)
        rows.append(_Row(line, values, key, {e.column for e in found}, bool(found)))
        if len(errors) >= MAX_REPORTED_ERRORS:
            break

    existing = _existing_by_key([row.key for row in rows if row.key])
    result = ImportResult(dry_run=dry_run)
    changes: list[tuple[System | None, SystemValues]] = []
    for row in rows:
        current = existing.get(row.key)
        merged = dict(row.values)
        if current is not None:
            # Columns the file does not have keep the system's values.
            kept = {"name": current.name, "supplier": current.supplier,
                    "owner_area_id": current.owner_area_id, "area_ids": [a.id for a in current.areas],
                    "contract_end": current.contract_end, "description": current.description,
                    "url": current.url}
            merged = {**{k: v for k, v in kept.items() if k not in present}, **row.values}
        clean, field_errors = clean_system(merged, current, areas_by_id)
        for field_, message in field_errors.items():
            if COLUMN_OF_FIELD.get(field_) not in row.reported:  # one message per cell
                errors.append(RowError(row.line, COLUMN_OF_FIELD.get(field_), message))
        if clean is not None and not row.failed:
            changes.append((current, clean))
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if errors:
        db.session.rollback()
        errors.sort(key=lambda e: e.line)
        raise ImportRejected(
            _("Ingenting er importert. Rett feilene nedenfor (%(count)d) og prøv igjen.", count=len(errors)),
            errors[:MAX_REPORTED_ERRORS])

    for current, clean in changes:
        if current is None:
            system = System()
            db.session.add(system)
            _apply(system, clean)
            result.created.append(clean.name)
        elif _apply(current, clean):
            result.updated.append(clean.name)
        else:
            result.unchanged.append(clean.name)
    if dry_run:
        db.session.rollback()
        return result
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidState(_("Noen endret systemregisteret samtidig. Ingenting er importert; prøv igjen.")) from None
    return result


def _existing_by_key(keys: list[str]) -> dict[str, System]:
    """The register's systems with these names.

    On PostgreSQL the register is locked against other writers first (reading goes on), until
    the import ends: a second import waits and then finds the first one's systems (and
    updates them) instead of adding them twice; an edit waits for the import. One table lock
    instead of thousands of row locks (FOR UPDATE on 10,000 rows took seconds)."""
    if is_postgres():
        db.session.execute(text("LOCK TABLE systems IN SHARE ROW EXCLUSIVE MODE"))
    found: dict[str, System] = {}
    for start in range(0, len(keys), 1000):
        stmt = select(System).where(System.name_key.in_(keys[start:start + 1000])).options(
            selectinload(System.areas))
        for system in db.session.scalars(stmt):
            found[system.name_key] = system
    return found


def _register_area_check() -> None:
    from app.portfolio.services import MUNICIPAL_AREA_USAGE_CHECKS

    if area_in_use not in MUNICIPAL_AREA_USAGE_CHECKS:
        MUNICIPAL_AREA_USAGE_CHECKS.append(area_in_use)


_register_area_check()


@dataclass
class BoardContracts:
    """The board's box of contracts ending within the plan period."""

    systems: list[System]
    total: int
    first: date
    last: date
    today: date


def board_contracts(limit: int = 20) -> BoardContracts:
    """What the board shows: systems whose contract ends within the plan period, soonest first."""
    first, last = contract_window()
    found, total = contracts_ending(limit)
    return BoardContracts(found, total, first, last, site_today())
