"""The public bulk exports: what each file holds, and writing it to disk without holding it
in memory.

Each dataset is a tuple of documented columns and a generator of rows read in batches
(`yield_per`), so 100,000 ideas cost one batch of memory, not the whole table. A file is
written to a temporary name in OPEN_DATA_FOLDER and renamed over the old one (atomic), so a
download never sees half a file; it is made afresh at most every OPEN_DATA_MINUTES (one
worker at a time, the others serve the previous file meanwhile).

The licence (NLOD 2.0) is in each JSON file's "metadata" object. A CSV file has no place for
it that a CSV reader would not trip on, so it is stated in the companion Data Package
(`datapackage.json`, Frictionless Data), in a `Link: rel="license"` header and on the page.
"""

import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Organisation
from app.core.csv import csv_lines
from app.core.db import as_utc, is_postgres, utcnow
from app.core.i18n import LOCALES
from app.core.models import MunicipalArea, ServiceArea
from app.core.urls import external_url
from app.extensions import db
from app.ideas.models import Idea, Visibility, Vote, idea_sdgs
from app.initiatives.models import PUBLIC_STATUSES, Initiative
from app.portfolio import queries as portfolio_queries
from app.portfolio.models import Project, ProjectIdea
from app.portfolio.permissions import visible_projects

BATCH = 1000
FORMATS = ("csv", "json")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
LICENCE = {
    "name": "NLOD-2.0",
    "title": "Norsk lisens for offentlige data (NLOD) 2.0",
    "path": "https://data.norge.no/nlod/no/2.0",
}
LICENCE_EN = "https://data.norge.no/nlod/en/2.0"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless Table Schema types: integer, number, string, date, datetime, array
    description: object  # a lazy string: read in the reader's language


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object
    description: object
    columns: tuple[Column, ...]
    rows: Callable[[], Iterator[tuple]]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _iso(value):
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- the rows -------------------------------------------------------------------------------


def _partitions(stmt):
    """The statement's rows in batches of BATCH, read through a server-side cursor where the
    database has one (psycopg), never all at once."""
    result = db.session.execute(stmt.execution_options(yield_per=BATCH))
    yield from result.partitions()


def address_of(endpoint: str, key: str) -> Callable[[int], str]:
    """An id -> absolute address function for one route, built once: url_for per row is a
    third of a large export's time, and the rule is the same for every row."""
    marker = 987654321
    head, tail = external_url(endpoint, **{key: marker}).split(str(marker), 1)
    return lambda value: f"{head}{int(value)}{tail}"


def _sdgs_of(idea_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for idea_id, number in db.session.execute(
        select(idea_sdgs.c.idea_id, idea_sdgs.c.sdg_number)
        .where(idea_sdgs.c.idea_id.in_(idea_ids)).order_by(idea_sdgs.c.idea_id, idea_sdgs.c.sdg_number)
    ):
        found.setdefault(idea_id, []).append(number)
    return found


def idea_rows() -> Iterator[tuple]:
    """Visible ideas. No author: a person's name only appears as the organisation an idea was
    posted for, and no id that would tie one person's ideas together."""
    stmt = (
        select(
            Idea.id, Idea.title, Idea.body, Idea.status, Idea.service_area_id,
            ServiceArea.name_nb, MunicipalArea.name_nb, Organisation.name, Idea.place,
            Idea.latitude, Idea.longitude, Idea.vote_count, Idea.comment_count,
            Idea.endorsement_count, Idea.merged_into_id, Idea.created_at, Idea.updated_at,
        )
        .join(ServiceArea, ServiceArea.id == Idea.service_area_id)
        .join(MunicipalArea, MunicipalArea.id == ServiceArea.municipal_area_id)
        .outerjoin(Organisation, Organisation.id == Idea.organisation_id)
        .where(Idea.visibility == Visibility.VISIBLE)
        .order_by(Idea.id)
    )
    address = address_of("ideas.detail", "idea_id")
    for batch in _partitions(stmt):
        goals = _sdgs_of([row[0] for row in batch])
        for (idea_id, title, body, status, area_id, area, municipal_area, organisation, place,
             lat, lon, votes, comments, endorsements, merged_into, created, updated) in batch:
            yield (
                idea_id, title, body, address(idea_id), str(status.value),
                area_id, area, municipal_area, goals.get(idea_id, []), organisation or "",
                place or "", lat, lon, votes, comments, endorsements, merged_into,
                _iso(created), _iso(updated),
            )


def vote_rows() -> Iterator[tuple]:
    """Votes per visible idea per UTC day: counts only, never who."""
    if is_postgres():
        day = func.date(func.timezone("UTC", Vote.created_at))
    else:
        day = func.date(Vote.created_at)
    stmt = (
        select(Vote.idea_id, day.label("day"), func.count(Vote.id))
        .join(Idea, Idea.id == Vote.idea_id)
        .where(Idea.visibility == Visibility.VISIBLE)
        .group_by(Vote.idea_id, day)
        .order_by(Vote.idea_id, day)
    )
    for batch in _partitions(stmt):
        for idea_id, on, count in batch:
            yield idea_id, on if isinstance(on, str) else on.isoformat(), int(count)


def project_rows() -> Iterator[tuple]:
    """Public projects with their areas, goals, phase and the visible ideas linked to them."""
    stmt = (
        select(Project).where(visible_projects(None)).order_by(Project.id)
        .options(selectinload(Project.owner_service_area), selectinload(Project.service_areas),
                 selectinload(Project.sdgs))
    )
    address = address_of("portfolio.project", "project_id")
    result = db.session.scalars(stmt.execution_options(yield_per=200))
    for batch in result.partitions():
        ids = [p.id for p in batch]
        linked: dict[int, list[int]] = {}
        for project_id, idea_id in db.session.execute(
            select(ProjectIdea.project_id, ProjectIdea.idea_id)
            .join(Idea, Idea.id == ProjectIdea.idea_id)
            .where(ProjectIdea.project_id.in_(ids), Idea.visibility == Visibility.VISIBLE)
            .order_by(ProjectIdea.project_id, ProjectIdea.idea_id)
        ):
            linked.setdefault(project_id, []).append(idea_id)
        for p in batch:
            yield (
                p.id, p.title, p.description, address(p.id),
                p.kind.value, p.phase.value, p.progress, p.owner_service_area_id,
                p.owner_service_area.name_nb, [a.name_nb for a in p.service_areas],
                [g.number for g in p.sdgs], _iso(p.planned_start), _iso(p.planned_end),
                p.estimated_cost, linked.get(p.id, []), _iso(p.created_at), _iso(p.updated_at),
            )


def initiative_rows() -> Iterator[tuple]:
    """Public innbyggerforslag with their counts, deadline and the council's decision; never who
    signed, never the proposer's contact address."""
    stmt = (
        select(Initiative).where(Initiative.status.in_(PUBLIC_STATUSES)).order_by(Initiative.id)
        .options(selectinload(Initiative.service_areas), selectinload(Initiative.measures))
    )
    address = address_of("initiatives.detail", "initiative_id")
    for batch in db.session.scalars(stmt.execution_options(yield_per=200)).partitions():
        for i in batch:
            yield (
                i.id, i.title, i.proposal, address(i.id), i.current_status.value,
                [a.name_nb for a in i.service_areas], i.from_idea_id, i.signature_count,
                i.paper_signature_count, i.total_signatures, i.signature_threshold,
                _iso(i.collection_started_at), _iso(i.collection_ends_at), _iso(i.submitted_at),
                _iso(i.deadline), i.council_case_number, _iso(i.council_meeting_date), i.decision_text,
                i.decision_url, len(i.measures), _iso(i.created_at),
            )


def sdg_rows() -> Iterator[tuple]:
    """The SDG overview's numbers per goal, as a visitor sees them."""
    overview = portfolio_queries.sdg_overview(None)
    for row in overview.goals:
        goal = row.goal
        yield (goal.number, goal.name_nb, goal.name_nn, goal.name_en, goal.colour,
               row.ideas, row.votes, row.projects, row.cost)


C = Column
DATASETS: dict[str, Dataset] = {d.name: d for d in (
    Dataset("ideas", _l("Idéer"), _l("Alle synlige idéer, uten personopplysninger om forslagsstillerne."), (
        C("id", "integer", _l("Idéens nummer")),
        C("title", "string", _l("Tittel")),
        C("description", "string", _l("Beskrivelsen slik forslagsstilleren skrev den")),
        C("url", "string", _l("Adressen til idéen på nettstedet")),
        C("status", "string", _l("Status: submitted, under_review, accepted, planned, in_progress, implemented, declined, merged eller withdrawn")),
        C("service_area_id", "integer", _l("Virksomhetsområdets nummer")),
        C("service_area", "string", _l("Virksomhetsområdet (tema) på bokmål")),
        C("municipal_area", "string", _l("Kommunalområdet virksomhetsområdet hører til, på bokmål")),
        C("sdgs", "array", _l("Bærekraftsmålene idéen gjelder (nummer 1–17); i CSV skilt med komma")),
        C("organisation", "string", _l("Organisasjonen idéen er sendt inn på vegne av; tom når en privatperson sendte den")),
        C("place", "string", _l("Stedet idéen gjelder, slik det ble skrevet")),
        C("latitude", "number", _l("Breddegrad (WGS 84), tom uten kartpunkt")),
        C("longitude", "number", _l("Lengdegrad (WGS 84), tom uten kartpunkt")),
        C("vote_count", "integer", _l("Antall stemmer")),
        C("comment_count", "integer", _l("Antall synlige kommentarer")),
        C("endorsement_count", "integer", _l("Antall organisasjoner som støtter idéen")),
        C("merged_into_id", "integer", _l("Idéen denne er slått sammen med, ellers tom")),
        C("created_at", "datetime", _l("Når idéen ble sendt inn (UTC, ISO 8601)")),
        C("updated_at", "datetime", _l("Sist endret (UTC, ISO 8601)")),
    ), idea_rows),
    Dataset("votes", _l("Stemmer per idé per dag"), _l("Antall stemmer hver synlige idé fikk hver dag (UTC); aldri hvem som stemte."), (
        C("idea_id", "integer", _l("Idéens nummer")),
        C("date", "date", _l("Dagen (UTC, ÅÅÅÅ-MM-DD)")),
        C("votes", "integer", _l("Antall stemmer denne dagen som fortsatt gjelder")),
    ), vote_rows),
    Dataset("projects", _l("Prosjekter"), _l("Offentlige prosjekter i porteføljen med fase, bærekraftsmål og koblede idéer."), (
        C("id", "integer", _l("Prosjektets nummer")),
        C("title", "string", _l("Tittel")),
        C("description", "string", _l("Beskrivelse (Markdown)")),
        C("url", "string", _l("Adressen til prosjektet på nettstedet")),
        C("kind", "string", _l("Type: project, service_change, study eller acquisition")),
        C("phase", "string", _l("Fase: proposed, planned, in_progress, completed eller cancelled")),
        C("progress", "integer", _l("Fremdrift i prosent (0–100)")),
        C("owner_service_area_id", "integer", _l("Nummeret til virksomhetsområdet som eier prosjektet")),
        C("owner_service_area", "string", _l("Virksomhetsområdet som eier prosjektet, på bokmål")),
        C("service_areas", "array", _l("Andre berørte virksomhetsområder; i CSV skilt med komma")),
        C("sdgs", "array", _l("Bærekraftsmålene prosjektet gjelder (nummer 1–17); i CSV skilt med komma")),
        C("planned_start", "date", _l("Planlagt start, tom om den ikke er satt")),
        C("planned_end", "date", _l("Planlagt slutt, tom om den ikke er satt")),
        C("estimated_cost", "integer", _l("Anslått kostnad i hele kroner, tom om den ikke er anslått")),
        C("idea_ids", "array", _l("Synlige idéer koblet til prosjektet; i CSV skilt med komma")),
        C("created_at", "datetime", _l("Når prosjektet ble opprettet (UTC, ISO 8601)")),
        C("updated_at", "datetime", _l("Sist endret (UTC, ISO 8601)")),
    ), project_rows),
    Dataset("initiatives", _l("Innbyggerforslag"), _l("Offentlige innbyggerforslag (kommuneloven § 12-1) med antall underskrifter, terskel, frist og kommunestyrets vedtak; aldri hvem som signerte."), (
        C("id", "integer", _l("Forslagets nummer")),
        C("title", "string", _l("Tittel")),
        C("proposal", "string", _l("Hva kommunestyret blir bedt om å vedta")),
        C("url", "string", _l("Adressen til forslaget på nettstedet")),
        C("status", "string", _l("Status: collecting, expired, submitted, rejected_same_content eller decided")),
        C("service_areas", "array", _l("Virksomhetsområdene forslaget gjelder, på bokmål; i CSV skilt med komma")),
        C("from_idea_id", "integer", _l("Idéen forslaget kom fra, ellers tom")),
        C("signatures_online", "integer", _l("Underskrifter på nettstedet")),
        C("signatures_paper", "integer", _l("Underskrifter på papirlister registrert av kommunen")),
        C("signatures_total", "integer", _l("Underskrifter i alt")),
        C("threshold", "integer", _l("Underskrifter som trengs: 2 % av innbyggerne, aldri mer enn 300")),
        C("collection_started_at", "datetime", _l("Når innsamlingen startet (UTC, ISO 8601)")),
        C("collection_ends_at", "datetime", _l("Når innsamlingen slutter (UTC, ISO 8601)")),
        C("submitted_at", "datetime", _l("Når forslaget ble sendt inn (UTC, ISO 8601), ellers tom")),
        C("deadline", "date", _l("Fristen for kommunestyrets vedtak: seks måneder etter innsending")),
        C("council_case_number", "string", _l("Kommunestyrets saksnummer, ellers tom")),
        C("council_meeting_date", "date", _l("Møtedatoen for vedtaket, ellers tom")),
        C("decision", "string", _l("Kommunestyrets vedtak, ellers tomt")),
        C("decision_url", "string", _l("Lenke til saken, for eksempel i eInnsyn, ellers tom")),
        C("measures", "integer", _l("Antall tiltak kommunen har gjennomført etter vedtaket")),
        C("created_at", "datetime", _l("Når forslaget ble skrevet (UTC, ISO 8601)")),
    ), initiative_rows),
    Dataset("sdgs", _l("Bærekraftsmålene"), _l("Tallene i oversikten over bærekraftsmålene: idéer, stemmer, prosjekter og kostnad per mål."), (
        C("number", "integer", _l("Målets nummer (1–17)")),
        C("name_nb", "string", _l("Navnet på bokmål")),
        C("name_nn", "string", _l("Navnet på nynorsk")),
        C("name_en", "string", _l("Navnet på engelsk")),
        C("colour", "string", _l("FNs farge for målet (heksadesimal)")),
        C("ideas", "integer", _l("Synlige idéer som gjelder målet (uten avslåtte, sammenslåtte og tilbaketrukne)")),
        C("votes", "integer", _l("Stemmene på disse idéene")),
        C("projects", "integer", _l("Offentlige prosjekter som gjelder målet (uten avlyste)")),
        C("estimated_cost", "integer", _l("Summen av disse prosjektenes anslåtte kostnad i hele kroner")),
    ), sdg_rows),
)}


# --- metadata --------------------------------------------------------------------------------


def _in_every_language(text) -> dict[str, str]:
    out = {}
    for locale in LOCALES:
        with force_locale(locale):
            out[locale] = str(text)
    return out


def _fields(dataset: Dataset) -> list[dict]:
    return [{"name": c.name, "type": c.type, "description": _in_every_language(c.description)}
            for c in dataset.columns]


def file_metadata(dataset: Dataset) -> dict:
    """The metadata object at the head of a JSON file: licence, source, time, fields."""
    return {
        "title": _in_every_language(dataset.title),
        "description": _in_every_language(dataset.description),
        "publisher": current_app.config["MUNICIPALITY_NAME"],
        "license": {**LICENCE, "path_en": LICENCE_EN},
        "source": external_url("opendata.index"),
        "generated_at": utcnow().replace(microsecond=0).isoformat(),
        "fields": _fields(dataset),
    }


def data_package() -> dict:
    """The Frictionless Data Package that describes every file, the CSV files' metadata."""
    resources = []
    for dataset in DATASETS.values():
        schema = {"fields": [{**f, "description": f["description"]["en"]} for f in _fields(dataset)]}
        for fmt in FORMATS:
            resource = {
                "name": f"{dataset.name}-{fmt}",
                "path": external_url("opendata.download", dataset=dataset.name, fmt=fmt),
                "format": fmt,
                "mediatype": MEDIA_TYPES[fmt].split(";")[0],
                "encoding": "utf-8-sig" if fmt == "csv" else "utf-8",
                "title": str(_in_every_language(dataset.title)["en"]),
                "licenses": [LICENCE],
                "schema": schema,
            }
            if fmt == "csv":
                resource["dialect"] = {"delimiter": ";", "lineTerminator": "\r\n", "header": True}
            resources.append(resource)
    return {
        "name": "medvirk-open-data",
        "title": _("Åpne data fra Medvirk – %(name)s", name=current_app.config["MUNICIPALITY_NAME"]),
        "homepage": external_url("opendata.index"),
        "licenses": [LICENCE],
        "resources": resources,
    }


# --- writing ---------------------------------------------------------------------------------


def _csv_cell(value):
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return value


def write_csv(dataset: Dataset, out) -> int:
    rows = 0

    def cells():
        nonlocal rows
        for row in dataset.rows():
            rows += 1
            yield [_csv_cell(v) for v in row]

    for line in csv_lines(dataset.header, cells()):
        out.write(line)
    return rows


def write_json(dataset: Dataset, out) -> int:
    rows = 0
    out.write('{"metadata": ')
    out.write(json.dumps(file_metadata(dataset), ensure_ascii=False))
    out.write(', "data": [')
    names = dataset.header
    for row in dataset.rows():
        out.write(",\n" if rows else "\n")
        out.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False))
        rows += 1
    out.write("\n]}\n")
    return rows


WRITERS = {"csv": write_csv, "json": write_json}


def folder() -> Path:
    path = Path(current_app.config["OPEN_DATA_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(name: str, fmt: str) -> Path:
    return folder() / f"{name}.{fmt}"


def is_fresh(path: Path) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    return age < current_app.config["OPEN_DATA_MINUTES"] * 60


def build(name: str, fmt: str) -> int:
    """Write one file afresh: to a temporary file beside it, then renamed over it. Returns
    the number of rows."""
    dataset = DATASETS[name]
    target = path_of(name, fmt)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            rows = WRITERS[fmt](dataset, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        # A long export must not keep its snapshot (or, on PostgreSQL, its cursor) open.
        db.session.rollback()
    return rows


@contextmanager
def _lock(name: str, fmt: str, wait: bool):
    """One builder per file across workers (flock); yields whether this process holds it."""
    with open(folder() / f".{name}.{fmt}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_file(name: str, fmt: str) -> Path:
    """The file, made afresh first if it is older than OPEN_DATA_MINUTES.

    While another worker builds it, the previous file is served; with none yet, this request
    waits for that build instead of starting a second one.
    """
    target = path_of(name, fmt)
    if is_fresh(target):
        return target
    with _lock(name, fmt, wait=not target.exists()) as holding:
        if holding and not is_fresh(target):
            build(name, fmt)
    return target


def _remove_leftovers(older_than: float = 3600) -> None:
    """Temporary files of a build that was killed mid-way (a finished or failed one removes
    its own); only old ones, so a build running now keeps its file."""
    for path in folder().glob(".*.tmp"):
        try:
            if time.time() - path.stat().st_mtime > older_than:
                path.unlink()
        except FileNotFoundError:
            pass


def build_all(force: bool = False) -> list[tuple[str, str, int | None]]:
    """Every file (for cron): (dataset, format, rows written, or None when still fresh)."""
    _remove_leftovers()
    done = []
    for name in DATASETS:
        for fmt in FORMATS:
            if not force and is_fresh(path_of(name, fmt)):
                done.append((name, fmt, None))
                continue
            with _lock(name, fmt, wait=True):
                done.append((name, fmt, build(name, fmt)))
    return done
