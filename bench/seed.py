"""Deterministic bulk data for the benchmark and the query-plan tests (`flask bench seed`).

The same seed and anchor give the same rows on SQLite and PostgreSQL: people, organisations,
ideas across every service area, SDG and status (a few hidden), votes skewed like real life
(Zipf: a few ideas with thousands, most with a handful; one per idea and person), comments
with one level of replies, endorsements, status histories and portfolio projects linked to
ideas. Counters (vote_count, comment_count of VISIBLE comments, endorsement_count) are
computed from the rows generated, so they match exactly.

Loading goes past the ORM: COPY through psycopg on PostgreSQL, executemany on SQLite, with
the secondary indexes dropped during the load and built again afterwards.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import click
import sqlalchemy as sa

from app.extensions import db

BENCH_PASSWORD = "bench-passord-2026"
EMAIL_DOMAIN = "bench.medvirk.test"
# A Norwegian word the benchmark searches for: in a few per cent of ideas, as in real life.
SEARCH_WORD = "lekeplass"
# The idea the benchmark opens: visible, with exactly this many comments (fewer in a tiny seed),
# and everything an idea page can show: an organisation, SDGs, an answer, a project with updates,
# an endorsement, replies, the search word in its title.
SHOWCASE_COMMENTS = 200


def showcase_id(ideas: int) -> int:
    return max(1, (ideas + 1) // 3)


def showcase_comments(comments: int) -> int:
    return SHOWCASE_COMMENTS if comments >= 4 * SHOWCASE_COMMENTS else max(2, comments // 2)


# The most-voted idea (issue 17): visible, accepted, first in the vote ranking (so the Zipf law
# gives it ~3,000 votes at 10,000 ideas and ~30,000 at 100,000: 60 % of the residents, the cap),
# with exactly this many comments wherever the seed has 4 times as many (fewer in a tiny seed).
TOP_COMMENTS = 300
# One public project (id 2) links this many ideas at 10,000 ideas and more; ideas // 50 below.
BIG_PROJECT_LINKS = 200


def top_id(ideas: int) -> int:
    """The most-voted idea's id; the showcase's in a seed of one or two ideas (then it is both)."""
    return max(1, (2 * ideas + 1) // 3)


def top_comments(comments: int) -> int:
    return TOP_COMMENTS if comments >= 4 * TOP_COMMENTS else max(2, comments // 4)


def big_project_links(ideas: int) -> int:
    return BIG_PROJECT_LINKS if ideas >= 10_000 else max(3, ideas // 50)

STAFF = (("admin", 1), ("portfolio_manager", 3), ("moderator", 3))

# Idea statuses and how often they occur, and the path of status changes that leads there.
STATUS_WEIGHTS = (
    ("submitted", 48), ("under_review", 16), ("accepted", 8), ("in_progress", 7),
    ("implemented", 6), ("declined", 9), ("merged", 2), ("withdrawn", 4),
)
STATUS_PATHS = {
    "submitted": (),
    "under_review": ("under_review",),
    "accepted": ("under_review", "accepted"),
    "in_progress": ("under_review", "accepted", "in_progress"),
    "implemented": ("under_review", "accepted", "in_progress", "implemented"),
    "declined": ("under_review", "declined"),
    "merged": ("merged",),
    "withdrawn": ("withdrawn",),
}
HIDDEN_SHARE = 0.02
VOTE_ZIPF = 0.85
COMMENT_ZIPF = 0.8
REPLY_SHARE = 0.35

_FIRST = (
    "Ingrid Per Amina Torbjørn Kari Sindre Marit Jonas Agnieszka Ola Nora Emma Olav Sofie Lars "
    "Henrik Ida Maja Jakob Ahmed Fatima Mohammed Sara Leah Eirik Astrid Magnus Hanne Tone Knut "
    "Silje Aksel Liv Oskar Vilde Mathias Thea Tobias Ingeborg Halvor Solveig Arne Ragnhild Emil "
    "Linnea Filip Aurora Sander Mari Kristian Hilde Bjørn Randi Yusuf Piotr Anna Ewa Daniel"
)
_LAST = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
    "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen "
    "Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde "
    "Solheim Berge Moe Nygård Bakke Kvamme Myklebust Vik Nowak Yusuf Haugland Fjeld Aasen"
)
FIRST_NAMES = tuple(_FIRST.split())
LAST_NAMES = tuple(_LAST.split())
PLACES = (
    "Sentrum", "Havna", "Nordbygda", "Sørvika", "Eidet", "Vestre Lia", "Fjordparken",
    "Holmen badeplass", "Medvikhallen", "Solgløtt sykehjem", "Medvik bibliotek", "Kirkeveien",
    "Skoleveien", "Bussterminalen", "Storgata", "Torget",
)
ORG_WORDS = (
    "Idrettslag", "Velforening", "Musikkorps", "Frivilligsentral", "Turlag", "Pensjonistforening",
    "Bygdekvinnelag", "Næringsforening", "Sjakklubb", "Ungdomsklubb", "Historielag", "Kor",
    "Seilforening", "Skolekorps", "Rideklubb", "Bedrift AS", "Handel AS", "Bygg AS",
)
EXTRA_TITLE_WORDS = (
    "ved skolen", "for barn og unge", "hele året", "i nærmiljøet", "for eldre", "langs fjorden",
    "i sentrum", "på kveldstid", "om vinteren", "for alle",
)
HIDDEN_REASON = "Skjult av moderator: brudd på retningslinjene for debatt."
WITHDRAWN_REASON = "Jeg trekker forslaget fordi det er dekket av et annet forslag."


@dataclass
class SeedSpec:
    ideas: int
    votes: int
    comments: int
    users: int
    projects: int = 0
    seed: int = 42
    anchor: datetime | None = None  # the "now" of the data; today at midnight UTC by default

    @classmethod
    def scaled(cls, ideas: int, seed: int = 42, **overrides) -> SeedSpec:
        """The benchmark's proportions: per idea 10 votes and 5 comments; one person per 2 ideas."""
        values = {
            "ideas": ideas, "votes": ideas * 10, "comments": ideas * 5,
            "users": max(300, ideas // 2), "projects": max(10, ideas // 50), "seed": seed,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class SeedReport:
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    showcase_idea_id: int | None = None
    anchor: datetime | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        rows = ", ".join(f"{n:,} {t}" for t, n in self.counts.items() if n)
        phases = ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items())
        return f"Seeded {rows} in {self.seconds:.1f}s ({phases})."


class SeedError(click.ClickException):
    pass


# --- loading ------------------------------------------------------------------------------


class Loader:
    """Bulk writes through the raw driver connection: COPY on PostgreSQL, executemany on SQLite."""

    CHUNK = 20_000

    def __init__(self, raw_connection, dialect: sa.Dialect, progress: bool):
        self.raw = raw_connection
        self.conn = raw_connection.driver_connection
        self.dialect = dialect
        self.pg = dialect.name == "postgresql"
        self.progress = progress
        self.loaded: dict[str, int] = {}
        self._dropped: list[tuple[str, str]] = []

    # reading -------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        cur = self.conn.cursor()
        cur.execute(sql if self.pg else sql.replace("%s", "?"), tuple(params))
        rows = cur.fetchall() if cur.description else []
        cur.close()
        return rows

    def execute(self, sql: str) -> None:
        cur = self.conn.cursor()
        cur.execute(sql)
        cur.close()

    def count(self, table: str) -> int:
        return self.query(f"SELECT COUNT(*) FROM {table}")[0][0]

    # writing -------------------------------------------------------------------------------
    def load(self, table: sa.Table, columns: Sequence[str], rows: Iterable[Sequence], total: int) -> None:
        """Insert the rows (tuples in the order of `columns`); other columns get their defaults."""
        fill_names, fill_values = _fillers(table, columns, self.dialect)
        names = list(columns) + fill_names
        converters = [_converter(table.c[name].type, self.dialect) for name in columns]
        convert = any(converters)
        fill = tuple(fill_values)

        def prepared():
            for row in rows:
                if convert:
                    row = tuple(c(v) if c and v is not None else v for c, v in zip(converters, row, strict=True))
                yield (*row, *fill) if fill else row

        label = f"{table.name:<22}"
        done = 0
        with _bar(self.progress, total, label) as bar:
            if self.pg:
                cur = self.conn.cursor()
                with cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                    for row in prepared():
                        copy.write_row(row)
                        done += 1
                        if done % self.CHUNK == 0:
                            bar.update(self.CHUNK)
                cur.close()
                bar.update(done % self.CHUNK)
            else:
                sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
                cur = self.conn.cursor()
                iterator = prepared()
                while True:
                    chunk = list(itertools.islice(iterator, self.CHUNK))
                    if not chunk:
                        break
                    cur.executemany(sql, chunk)
                    done += len(chunk)
                    bar.update(len(chunk))
                cur.close()
        self.loaded[table.name] = self.loaded.get(table.name, 0) + done

    def drop_secondary_indexes(self, tables: Sequence[str]) -> None:
        """Drop indexes that no constraint needs, to build them once after the load."""
        for name in tables:
            if self.pg:
                rows = self.query(
                    """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                       JOIN pg_class i ON i.oid = x.indexrelid
                       JOIN pg_class t ON t.oid = x.indrelid
                       WHERE t.relname = %s AND t.relnamespace = current_schema()::regnamespace
                         AND NOT x.indisprimary
                         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""",
                    (name,),
                )
            else:
                rows = self.query(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL", (name,),
                )
            for index_name, definition in rows:
                self.execute(f'DROP INDEX "{index_name}"')
                self._dropped.append((index_name, definition))
            if not self.pg:
                # FTS5 triggers index row by row; one 'rebuild' after the load is much faster.
                for trigger, definition in self.query(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", (name,)
                ):
                    self.execute(f'DROP TRIGGER "{trigger}"')
                    self._dropped.append((trigger, definition))

    def rebuild_indexes(self) -> None:
        if self.pg:
            self.execute("SET maintenance_work_mem = '256MB'")
        with _bar(self.progress, len(self._dropped), f"{'indexes':<22}") as bar:
            for _name, definition in self._dropped:
                self.execute(definition)
                bar.update(1)
        self._dropped.clear()

    def reset_sequences(self, tables: Sequence[sa.Table]) -> None:
        if not self.pg:
            return
        for table in tables:
            pk = list(table.primary_key.columns)
            if len(pk) == 1 and pk[0].name == "id" and isinstance(pk[0].type, sa.Integer):
                self.query(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                )


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


def _bar(enabled: bool, total: int, label: str):
    if not enabled or total <= 0:
        return _NoBar()
    return click.progressbar(length=total, label=label, show_pos=True, width=30)


def _fillers(table: sa.Table, columns: Sequence[str], dialect) -> tuple[list[str], list]:
    """Columns the generator does not give: their Python default, or NULL; else a clear error."""
    names, values = [], []
    for column in table.columns:
        if column.name in columns or column.computed is not None or column.server_default is not None:
            continue
        if column.default is not None and column.default.is_scalar:
            value = column.default.arg
        elif column.default is not None and column.default.is_callable:
            value = column.default.arg(None)
        elif column.nullable:
            continue
        else:
            raise SeedError(
                f"bench seed does not know how to fill {table.name}.{column.name} (NOT NULL, no default); "
                "add it to bench/seed.py."
            )
        value = getattr(value, "value", value)
        converter = _converter(column.type, dialect)
        names.append(column.name)
        values.append(converter(value) if converter and value is not None else value)
    return names, values


def _converter(type_, dialect) -> Callable | None:
    """Only SQLite needs help: it stores datetimes as text and booleans as integers."""
    if dialect.name != "sqlite":
        return None
    impl = type_.impl if isinstance(type_, sa.types.TypeDecorator) else type_
    if isinstance(impl, sa.DateTime):
        return _sqlite_datetime
    if isinstance(impl, sa.Date):
        return date.isoformat
    if isinstance(impl, sa.Boolean):
        return int
    return None


def _sqlite_datetime(value: datetime) -> str:
    # SQLAlchemy's SQLite format: naive UTC with microseconds.
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


# --- generating ---------------------------------------------------------------------------


def _zipf_cum_weights(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(rank ** -exponent for rank in range(1, n + 1)))


def _zipf_counts(rng: random.Random, order: list[int], total: int, exponent: float, cap: int) -> dict[int, int]:
    """Spread `total` over the ids in `order` (rank 1 first) by a Zipf law, at most `cap` each."""
    counts: dict[int, int] = {}
    if not order or total <= 0:
        return counts
    drawn = rng.choices(order, cum_weights=_zipf_cum_weights(len(order), exponent), k=total)
    for item in drawn:
        counts[item] = counts.get(item, 0) + 1
    overflow = 0
    for item, n in counts.items():
        if n > cap:
            overflow += n - cap
            counts[item] = cap
    # What the cap cut goes to ideas with room, lowest ranks first (they are many).
    position = len(order) - 1
    while overflow > 0 and position >= 0:
        item = order[position]
        room = cap - counts.get(item, 0)
        if room > 0:
            take = min(room, overflow, 3)
            counts[item] = counts.get(item, 0) + take
            overflow -= take
        position -= 1
    return counts


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = (end - start).total_seconds()
    return start + timedelta(seconds=rng.random() * max(span, 1.0))


def _sentences(text: str) -> list[str]:
    out = []
    for paragraph in text.split("\n"):
        for part in paragraph.replace("? ", "?|").replace(". ", ".|").replace("! ", "!|").split("|"):
            part = part.strip()
            if len(part) > 20:
                out.append(part)
    return out


class Generator:
    """Builds every row in memory from one random.Random; ids are assigned here."""

    def __init__(self, spec: SeedSpec, service_areas: list[tuple[int, str]], portfolio: bool,
                 criteria: list[int], local_targets: list[int]):
        from app import demo_content as content

        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.anchor = spec.anchor or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.start = self.anchor - timedelta(days=3 * 365)
        self.service_areas = service_areas
        self.portfolio = portfolio
        self.criteria = criteria
        self.local_targets = local_targets
        by_area: dict[str, list[dict]] = {}
        for template in content.IDEA_TEMPLATES:
            by_area.setdefault(template["service_area"], []).append(template)
        self.templates = content.IDEA_TEMPLATES
        self.templates_by_area = by_area
        self.sentences_by_area = {
            area: [s for t in templates for s in _sentences(t["body"])] for area, templates in by_area.items()
        }
        self.all_sentences = [s for t in content.IDEA_TEMPLATES for s in _sentences(t["body"])]
        self.comment_texts = list(content.COMMENT_TEXTS)
        self.reply_texts = list(content.REPLY_TEXTS)
        self.explanations = content.STATUS_EXPLANATIONS
        self.projects_content = getattr(content, "PROJECTS", [])

    # people ------------------------------------------------------------------------------
    def users(self, password_hash: str) -> list[tuple]:
        rng, spec = self.rng, self.spec
        roles = []
        for role, n in STAFF:
            roles += [role] * n
        rows = []
        span = (self.anchor - self.start).total_seconds()
        for uid in range(1, spec.users + 1):
            role = roles[uid - 1] if uid <= len(roles) else "resident"
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            created = self.start + timedelta(seconds=span * (uid / (spec.users + 1)) * 0.9)
            blocked = role == "resident" and rng.random() < 0.002
            rows.append((
                uid, f"bench{uid}@{EMAIL_DOMAIN}", name, password_hash, None, role, created,
                blocked, "Gjentatte brudd på retningslinjene." if blocked else None, created,
            ))
        self.staff_ids = {role: [i + 1 for i, r in enumerate(roles) if r == role] for role, _ in STAFF}
        self.resident_ids = list(range(len(roles) + 1, spec.users + 1)) or [1]
        self.blocked = {r[0] for r in rows if r[7]}
        return rows

    USER_COLUMNS = ("id", "email", "full_name", "password_hash", "locale", "role", "confirmed_at",
                    "is_blocked", "blocked_reason", "created_at")

    def organisations(self) -> tuple[list[tuple], list[tuple]]:
        rng = self.rng
        n = max(3, self.spec.users // 200)
        orgs, members = [], []
        self.org_members: list[tuple[int, int]] = []  # (user, organisation) of verified organisations
        mid = itertools.count(1)
        kinds = ("voluntary",) * 6 + ("business",) * 3 + ("public", "other")
        for oid in range(1, n + 1):
            word = ORG_WORDS[(oid - 1) % len(ORG_WORDS)]
            kind = "business" if word.endswith("AS") else rng.choice(kinds[:6] + kinds[9:])
            verified = rng.random() < 0.85
            created = _between(rng, self.start, self.anchor - timedelta(days=30))
            admin = rng.choice(self.resident_ids)
            orgs.append((
                oid, f"{rng.choice(PLACES)} {word} {oid}", kind, None,
                "verified" if verified else "pending",
                self.staff_ids["moderator"][0] if verified else None,
                created if verified else None, admin, created,
            ))
            chosen = {admin}
            members.append((next(mid), admin, oid, "admin", created))
            for _ in range(rng.randint(2, 6)):
                user = rng.choice(self.resident_ids)
                if user not in chosen:
                    chosen.add(user)
                    members.append((next(mid), user, oid, "member", created))
            if verified:
                self.org_members += [(u, oid) for u in chosen]
        self.organisation_ids = list(range(1, n + 1))
        return orgs, members

    ORG_COLUMNS = ("id", "name", "kind", "org_number", "status", "verified_by_id", "verified_at",
                   "created_by_id", "created_at")
    MEMBER_COLUMNS = ("id", "user_id", "organisation_id", "role", "created_at")

    # ideas -------------------------------------------------------------------------------
    def _author(self) -> int:
        # A few people write many ideas and comments; most write one or two.
        ids = self.resident_ids
        return ids[int(len(ids) * self.rng.random() ** 2.5)]

    def _text(self, area: str) -> tuple[str, str, str | None]:
        rng = self.rng
        templates = self.templates_by_area.get(area) or self.templates
        template = rng.choice(templates)
        title = template["title"]
        if rng.random() < 0.5:
            extra = rng.choice(EXTRA_TITLE_WORDS)
            if len(title) + len(extra) < 118:
                title = f"{title} {extra}"
        pool = self.sentences_by_area.get(area) or self.all_sentences
        body = " ".join(rng.sample(pool, min(len(pool), rng.randint(2, 5))))
        if rng.random() < 0.3:
            body = template["body"]
        return title, body, template.get("place")

    def ideas(self) -> dict[str, list[tuple]]:
        rng, spec = self.rng, self.spec
        statuses = [s for s, _ in STATUS_WEIGHTS]
        weights = [w for _, w in STATUS_WEIGHTS]
        n = spec.ideas
        span = (self.anchor - self.start).total_seconds()
        ideas, idea_sdgs, changes = [], [], []
        self.idea_created: list[datetime] = [self.anchor]  # index = idea id
        self.idea_status: list[str] = [""]
        self.idea_visible: list[bool] = [False]
        self.idea_area: list[int] = [0]
        sc_id = itertools.count(1)
        managers = self.staff_ids["portfolio_manager"] or [1]
        areas = self.service_areas
        # Every service area gets ideas; a few are much busier (roads, planning).
        area_weights = [3.0 if name in ("Vei og trafikk", "Plan og byggesak", "Kultur og idrett") else 1.0
                        for _, name in areas]
        area_cum = list(itertools.accumulate(area_weights))
        self.showcase = showcase_id(n)
        self.top = top_id(n)
        showcase_template = next((t for t in self.templates if SEARCH_WORD in t["title"].lower()), self.templates[0])
        area_ids = {name: a for a, name in areas}
        for iid in range(1, n + 1):
            created = self.start + timedelta(seconds=span * (iid - rng.random()) / (n + 1))
            status = rng.choices(statuses, weights)[0] if iid > 1 else "submitted"
            area_id, area_name = areas[bisect.bisect_left(area_cum, rng.random() * area_cum[-1])]
            title, body, place = self._text(area_name)
            hidden = rng.random() < HIDDEN_SHARE and iid > 1
            organisation = None
            if self.org_members and rng.random() < 0.1:
                author, organisation = rng.choice(self.org_members)
            else:
                author = self._author()
            place = (place or rng.choice(PLACES)) if rng.random() < 0.3 else None
            if iid == self.showcase:
                status, hidden = "in_progress", False
                title, body = showcase_template["title"], showcase_template["body"]
                place = showcase_template.get("place")
                area_id = area_ids.get(showcase_template["service_area"], area_id)
                if self.org_members:
                    author, organisation = self.org_members[0]
            elif iid == self.top:
                status, hidden = "accepted", False
            lat = lon = None
            if place and rng.random() < 0.6:
                lat, lon = 62.0 + rng.random() * 0.2, 6.0 + rng.random() * 0.4
            path = STATUS_PATHS[status]
            merged_into = rng.randint(1, iid - 1) if status == "merged" and iid > 1 else None
            if status == "merged" and merged_into is None:
                status, path = "submitted", ()
            answered = None
            when = created
            previous = "submitted"
            for step in path:
                when = _between(rng, when, min(self.anchor, when + timedelta(days=60)))
                staff = rng.choice(managers)
                if step == "withdrawn":
                    staff = author
                elif answered is None:
                    answered = when
                explanation = ""
                if step in ("accepted", "declined", "merged", "under_review", "in_progress", "implemented"):
                    options = self.explanations.get(step)
                    if options:
                        explanation = options[rng.randrange(len(options))] if isinstance(options, list) else str(options)
                    elif step == "merged":
                        explanation = f"Slått sammen med idé {merged_into}, som handler om det samme."
                changes.append((next(sc_id), iid, previous, step, explanation, staff, when))
                previous = step
            updated = when
            ideas.append((
                iid, title, body, author, organisation, area_id, place, lat, lon, status,
                "hidden" if hidden else "visible", HIDDEN_REASON if hidden else None, merged_into,
                WITHDRAWN_REASON if status == "withdrawn" else None, answered, created, updated,
            ))
            sdgs = rng.sample(range(1, 18), rng.choice((0, 1, 1, 2, 2, 2, 3)))
            if iid == self.showcase:
                sdgs = list(showcase_template.get("sdgs") or (3, 11))
            for sdg in sdgs:
                idea_sdgs.append((iid, sdg))
            self.idea_created.append(created)
            self.idea_status.append(status)
            self.idea_visible.append(not hidden)
            self.idea_area.append(area_id)
        self.ideas_rows = ideas
        return {"ideas": ideas, "idea_sdgs": idea_sdgs, "status_changes": changes}

    IDEA_COLUMNS = ("id", "title", "body", "author_id", "organisation_id", "service_area_id", "place",
                    "latitude", "longitude", "status", "visibility", "hidden_reason", "merged_into_id",
                    "withdrawn_reason", "first_answered_at", "created_at", "updated_at")
    CHANGE_COLUMNS = ("id", "idea_id", "from_status", "to_status", "explanation", "changed_by_id",
                      "created_at")

    def votes(self) -> list[tuple]:
        rng, spec = self.rng, self.spec
        order = list(range(1, spec.ideas + 1))
        rng.shuffle(order)
        # The showcase is a popular idea: rank 10 (or the middle of a tiny seed).
        order.remove(self.showcase)
        order.insert(min(9, len(order) // 2), self.showcase)
        if self.top != self.showcase:
            order.remove(self.top)
            order.insert(0, self.top)  # the most-voted idea
        self.popularity = order  # rank 1 first
        cap = max(1, int(len(self.resident_ids) * 0.6))
        counts = _zipf_counts(rng, order, spec.votes, VOTE_ZIPF, cap)
        self.vote_count = [0] * (spec.ideas + 1)
        rows = []
        vid = 1
        users = self.resident_ids
        anchor = self.anchor
        created_at = self.idea_created
        for iid in range(1, spec.ideas + 1):
            k = counts.get(iid, 0)
            if not k:
                continue
            self.vote_count[iid] = k
            start = created_at[iid]
            span = (anchor - start).total_seconds()
            # Votes come early: most within the first weeks of an idea's life.
            for user in rng.sample(users, k):
                rows.append((vid, iid, user, start + timedelta(seconds=span * rng.random() ** 3)))
                vid += 1
        return rows

    VOTE_COLUMNS = ("id", "idea_id", "user_id", "created_at")

    def comments(self) -> list[tuple]:
        rng, spec = self.rng, self.spec
        # Busy ideas get both votes and comments; shuffle a little so it is not one ranking.
        order = list(self.popularity)
        for i in range(0, len(order) - 1, 3):
            j = min(len(order) - 1, i + rng.randint(0, 20))
            order[i], order[j] = order[j], order[i]
        counts = _zipf_counts(rng, order, spec.comments, COMMENT_ZIPF, max(spec.comments, 1))
        showcase = self.showcase
        wanted = min(showcase_comments(spec.comments), spec.comments)
        diff = counts.get(showcase, 0) - wanted
        counts[showcase] = wanted
        pinned = {showcase}
        if self.top != showcase:
            top_wanted = min(top_comments(spec.comments), spec.comments - wanted)
            diff += counts.get(self.top, 0) - top_wanted
            counts[self.top] = top_wanted
            pinned.add(self.top)
        others = [i for i in order if i not in pinned]
        if others:
            counts[others[0]] = max(0, counts.get(others[0], 0) + diff)
        self.comment_count = [0] * (spec.ideas + 1)
        rows = []
        cid = 1
        anchor = self.anchor
        for iid in range(1, spec.ideas + 1):
            k = counts.get(iid, 0)
            if not k:
                continue
            start = self.idea_created[iid]
            span = (anchor - start).total_seconds()
            offsets = sorted(rng.random() ** 2 for _ in range(k))
            top_level: list[int] = []
            visible = 0
            showcase = iid == self.showcase
            for position, offset in enumerate(offsets):
                when = start + timedelta(seconds=span * offset)
                # The showcase's second comment is always a reply to its first.
                reply = position == 1 if showcase and position < 2 else rng.random() < REPLY_SHARE
                if top_level and reply:
                    parent = rng.choice(top_level[-30:])
                    body = rng.choice(self.reply_texts)
                else:
                    parent = None
                    body = rng.choice(self.comment_texts)
                    top_level.append(cid)
                if rng.random() < 0.4:
                    body = f"{body} {rng.choice(self.comment_texts)}"
                organisation = None
                if self.org_members and rng.random() < 0.05:
                    author, organisation = rng.choice(self.org_members)
                else:
                    author = self._author()
                roll = rng.random()
                # The showcase idea shows all its comments, so the page carries exactly 200.
                if showcase or roll >= 0.02:
                    visibility, reason = "visible", None
                    visible += 1
                elif roll < 0.015:
                    visibility, reason = "hidden", HIDDEN_REASON
                else:
                    visibility, reason = "deleted", None
                rows.append((cid, iid, author, organisation, parent, body, visibility, reason, when, when))
                cid += 1
            self.comment_count[iid] = visible
        return rows

    COMMENT_COLUMNS = ("id", "idea_id", "author_id", "organisation_id", "parent_id", "body",
                       "visibility", "hidden_reason", "created_at", "updated_at")

    def endorsements(self) -> list[tuple]:
        rng, spec = self.rng, self.spec
        self.endorsement_count = [0] * (spec.ideas + 1)
        verified = sorted({org for _, org in self.org_members})
        if not verified:
            return []
        members_of: dict[int, list[int]] = {}
        for user, org in self.org_members:
            members_of.setdefault(org, []).append(user)
        target = spec.ideas // 10
        order = self.popularity
        cum = _zipf_cum_weights(len(order), 0.7)
        seen: set[tuple[int, int]] = set()
        rows = []
        eid = 1
        for iid in rng.choices(order, cum_weights=cum, k=target):
            org = rng.choice(verified)
            if (iid, org) in seen:
                continue
            seen.add((iid, org))
            when = _between(rng, self.idea_created[iid], self.anchor)
            rows.append((eid, iid, org, rng.choice(members_of[org]), when))
            self.endorsement_count[iid] += 1
            eid += 1
        if not self.endorsement_count[self.showcase]:
            org = verified[0]
            rows.append((eid, self.showcase, org, members_of[org][0], self.anchor - timedelta(days=1)))
            self.endorsement_count[self.showcase] += 1
        return rows

    ENDORSEMENT_COLUMNS = ("id", "idea_id", "organisation_id", "endorsed_by_id", "created_at")

    def counter_rows(self) -> list[tuple]:
        return [
            (iid, self.vote_count[iid], self.comment_count[iid], self.endorsement_count[iid])
            for iid in range(1, self.spec.ideas + 1)
        ]

    # moderation --------------------------------------------------------------------------
    def moderation(self, ideas: list[tuple], comments: list[tuple]) -> dict[str, list[tuple]]:
        """Cases and reports: every hidden item was reported and decided; some visible ones wait.

        Hidden comments: most decided by a moderator (resolved, an audit entry), a tenth hidden
        by the report threshold and waiting. Visible items: a few with open reports.
        """
        rng = self.rng
        out: dict[str, list[tuple]] = {"moderation_cases": [], "reports": [], "moderation_actions": []}
        moderators = self.staff_ids["moderator"] or [1]
        residents = self.resident_ids
        case_id = itertools.count(1)
        report_id = itertools.count(1)
        action_id = itertools.count(1)
        reasons = ("spam", "offensive", "personal_data", "off_topic", "other")
        targets = [("idea", r[0], r[3], r[10], r[15]) for r in ideas]
        targets += [("comment", r[0], r[2], r[6], r[8]) for r in comments if r[6] != "deleted"]
        # The queue is never empty, whatever the size: idea 1 and a comment on an idea that is
        # neither the showcase nor the most-voted one wait with open reports (tests/perf compares
        # the queue's cost at 5 and 50 ideas, which means something only with both kinds in it).
        always = {("idea", 1)} if 1 not in (self.showcase, self.top) else set()
        always |= {("comment", r[0]) for r in itertools.islice(
            (r for r in comments if r[6] == "visible" and r[1] not in (self.showcase, self.top)), 1)}
        for kind, target, author, visibility, created in targets:
            if visibility == "hidden":
                waiting = rng.random() < 0.1
            elif rng.random() < (0.004 if kind == "idea" else 0.002) or (kind, target) in always:
                waiting = True
            else:
                continue
            cid = next(case_id)
            reporters = rng.sample(residents, min(len(residents), 3 if visibility == "hidden" else rng.randint(1, 2)))
            reporters = [r for r in reporters if r != author] or [residents[0]]
            first = _between(rng, created, min(self.anchor, created + timedelta(days=10)))
            for reporter in reporters:
                resolved = None if waiting else first + timedelta(days=1)
                out["reports"].append((
                    next(report_id), reporter, cid, kind, target, rng.choice(reasons), "", first,
                    None if waiting else "upheld", resolved, None if waiting else moderators[0],
                ))
            if waiting:
                state = "hidden" if visibility == "hidden" else "open"
                out["moderation_cases"].append((
                    cid, kind, target, author, state, state == "hidden", len(reporters), len(reporters),
                    first, first, None, None, None, None, None, first,
                ))
            else:
                decided = first + timedelta(days=1)
                moderator = rng.choice(moderators)
                out["moderation_cases"].append((
                    cid, kind, target, author, "resolved", False, 0, len(reporters), None, decided, "hide",
                    "offensive", HIDDEN_REASON, decided, moderator, first,
                ))
                out["moderation_actions"].append((
                    next(action_id), moderator, "hide", kind, target, author, "offensive", "", decided,
                ))
        return out

    MODERATION_COLUMNS = {
        "moderation_cases": ("id", "target_type", "target_id", "author_id", "state", "auto_hidden",
                             "open_report_count", "report_count", "first_open_report_at", "last_activity_at",
                             "decision", "decision_reason", "decision_note", "decided_at", "decided_by_id",
                             "created_at"),
        "reports": ("id", "reporter_id", "case_id", "target_type", "target_id", "reason", "note", "created_at",
                    "resolution", "resolved_at", "resolved_by_id"),
        "moderation_actions": ("id", "actor_id", "action", "target_type", "target_id", "subject_user_id",
                               "reason", "note", "created_at"),
    }

    # the pages around the ideas ------------------------------------------------------------
    def extras(self, municipal_areas: list[int], tables: set[str]) -> dict[str, list[tuple]]:
        """A few rows for every other page (issue 17's query-count table): citizens' initiatives
        with signatures, the forum's meetings with agendas, competence groups, systems in use,
        plan budgets and costs, the projects' audit log, accessibility reports.

        Their own random stream, so the ideas, votes and comments do not move; counts grow with
        the seed up to a small cap (a list page shows more at 50 ideas than at 5, never thousands).
        """
        rng = random.Random(self.spec.seed * 7919 + 17)
        spec, anchor = self.spec, self.anchor
        out: dict[str, list[tuple]] = {name: [] for name in self.EXTRA_COLUMNS if name in tables}
        staff = sorted(i for ids in self.staff_ids.values() for i in ids)
        managers = self.staff_ids["portfolio_manager"] or staff or [1]
        moderator = (self.staff_ids["moderator"] or staff or [1])[0]
        residents = [r for r in self.resident_ids if r not in self.blocked] or self.resident_ids
        areas = municipal_areas or [1]
        service_areas = [a for a, _ in self.service_areas] or [1]

        def past(days: int) -> datetime:
            return anchor - timedelta(days=days, seconds=rng.randrange(86_400))

        if "initiatives" in out:
            cycle = ("collecting", "awaiting_moderation", "submitted", "decided", "collecting", "expired")
            signature_id = itertools.count(1)
            measure_id = itertools.count(1)
            for iid in range(1, min(max(3, spec.ideas // 2), 100) + 1):
                status = cycle[(iid - 1) % len(cycle)]
                proposer = rng.choice(residents)
                created = past(rng.randint(30, 400))
                title, body, _place = self._text(self.service_areas[iid % len(self.service_areas)][1])
                moderated = created + timedelta(days=2) if status != "awaiting_moderation" else None
                started = moderated
                ends = (anchor + timedelta(days=rng.randint(20, 150)) if status == "collecting"
                        else created + timedelta(days=180) if started else None)
                if status in ("submitted", "decided", "expired") and ends and ends > anchor:
                    ends = anchor - timedelta(days=10)
                signers = rng.sample(residents, min(len(residents), rng.randint(1, 20))) if started else []
                submitted = ends + timedelta(days=1) if status in ("submitted", "decided") else None
                decided = submitted + timedelta(days=20) if status == "decided" and submitted else None
                out["initiatives"].append((
                    iid, f"Innbyggerforslag: {title}"[:150], body, "Kommunen bør gjøre dette fordi mange ønsker det.",
                    proposer, f"bench{proposer}@{EMAIL_DOMAIN}", status, created, decided or submitted or created,
                    moderated, moderator if moderated else None, started, ends, 300 if started else None,
                    ends if status == "expired" else None, len(signers), submitted,
                    (submitted + timedelta(days=182)).date() if submitted else None,
                    len(signers) if submitted else None,
                    f"2026/{iid:04d}" if decided else None, decided.date() if decided else None,
                    "Kommunestyret vedtok forslaget." if decided else None, decided,
                    managers[0] if decided else None,
                ))
                if "initiative_service_areas" in out:
                    out["initiative_service_areas"].append((iid, service_areas[iid % len(service_areas)]))
                if "initiative_signatures" in out:
                    for signer in signers:
                        out["initiative_signatures"].append((
                            next(signature_id), iid, signer, False, True, rng.random() < 0.5,
                            _between(rng, started, min(ends, anchor)),
                        ))
                if decided and "initiative_measures" in out:
                    out["initiative_measures"].append((
                        next(measure_id), iid, "Tiltaket er satt i gang.", decided.date(), managers[0], decided,
                    ))

        projects = list(range(1, spec.projects + 1)) if self.portfolio else []
        if "meetings" in out and projects:
            item_id = itertools.count(1)
            for mid in range(1, min(max(2, spec.projects // 5), 40) + 1):
                planned = mid == 1
                when = (anchor + timedelta(days=14)) if planned else past(30 * mid)
                out["meetings"].append((
                    mid, f"Tverrsektorielt forum {mid}", when.date(), "planned" if planned else "held",
                    "", 5_000_000, managers[0], when - timedelta(days=20), when - timedelta(days=20),
                ))
                for user in sorted(set(rng.sample(staff, min(len(staff), 3)))):
                    out["meeting_participants"].append((mid, user))
                chosen = rng.sample(projects, min(len(projects), max(2, spec.projects // 5)))
                cumulative = 0
                for position, pid in enumerate(chosen, start=1):
                    cumulative += 100_000 * position
                    out["agenda_items"].append((
                        next(item_id), mid, pid, position, position, round(5 - position * 0.1, 2), cumulative,
                        cumulative <= 5_000_000, when - timedelta(days=10),
                    ))
        if "competence_groups" in out:
            words = ("IT og informasjonssikkerhet", "Helse", "Oppvekst", "Teknisk", "Kultur", "Økonomi")
            for gid in range(1, min(max(2, spec.ideas // 5), 20) + 1):
                created = past(200)
                out["competence_groups"].append((
                    gid, f"{words[(gid - 1) % len(words)]} {gid}", "Vurderer prosjekter på sitt fagfelt.",
                    gid == 1, created, created,
                ))
                for area in sorted(set(rng.sample(areas, min(len(areas), 2)))):
                    out["competence_group_areas"].append((gid, area))
                for user in sorted(set(rng.sample(staff, min(len(staff), 2)))):
                    out["competence_group_members"].append((gid, user))
        if "systems" in out:
            suppliers = ("Visma", "Tieto", "Acos", "Framsikt", "Norkart", "")
            for sid in range(1, min(max(2, spec.ideas // 2), 200) + 1):
                name = f"Fagsystem {sid}"
                created = past(300)
                out["systems"].append((
                    sid, name, " ".join(name.casefold().split()), suppliers[sid % len(suppliers)],
                    areas[sid % len(areas)], (anchor + timedelta(days=rng.randint(-100, 900))).date(),
                    "Brukes i daglig drift.", "", created, created,
                ))
                out["system_areas"].append((sid, areas[(sid + 1) % len(areas)]))
        if "plan_budgets" in out and projects:
            for year in range(anchor.year, anchor.year + 4):
                out["plan_budgets"].append((year, 50_000_000, 10_000_000, managers[0], anchor))
            cost_id = itertools.count(1)
            for pid in projects:
                for year in (anchor.year, anchor.year + 1):
                    out["project_costs"].append((next(cost_id), pid, year, rng.randint(0, 50) * 100_000,
                                                 rng.randint(0, 10) * 50_000, anchor))
        if "project_changes" in out and projects:
            for pid in projects:
                out["project_changes"].append((pid, pid, rng.choice(managers), "phase", "proposed", "planned",
                                               past(rng.randint(1, 300))))
        if "accessibility_reports" in out:
            for rid in range(1, min(max(2, spec.ideas // 2), 50) + 1):
                out["accessibility_reports"].append((
                    rid, "/ideas", "Knappen for å stemme leses ikke opp av skjermleseren.", None,
                    rng.choice(residents), past(rng.randint(1, 200)),
                ))
        return out

    EXTRA_COLUMNS = {
        "initiatives": ("id", "title", "proposal", "reasons", "proposer_id", "contact_email", "status", "created_at",
                        "updated_at", "moderated_at", "moderated_by_id", "collection_started_at",
                        "collection_ends_at", "signature_threshold", "expired_at", "signature_count",
                        "submitted_at", "deadline", "submitted_signatures", "council_case_number",
                        "council_meeting_date", "decision_text", "decided_at", "decided_by_id"),
        "initiative_service_areas": ("initiative_id", "service_area_id"),
        "initiative_signatures": ("id", "initiative_id", "user_id", "verified", "confirmed_resident", "show_name",
                                  "created_at"),
        "initiative_measures": ("id", "initiative_id", "text", "carried_out_on", "recorded_by_id", "created_at"),
        "meetings": ("id", "title", "meeting_date", "status", "guests", "budget", "created_by_id", "created_at",
                     "updated_at"),
        "meeting_participants": ("meeting_id", "user_id"),
        "agenda_items": ("id", "meeting_id", "project_id", "position", "board_rank", "board_score",
                         "board_cumulative_cost", "board_fits", "created_at"),
        "competence_groups": ("id", "name", "description", "cross_cutting", "created_at", "updated_at"),
        "competence_group_areas": ("group_id", "municipal_area_id"),
        "competence_group_members": ("group_id", "user_id"),
        "systems": ("id", "name", "name_key", "supplier", "owner_area_id", "contract_end", "description", "url",
                    "created_at", "updated_at"),
        "system_areas": ("system_id", "municipal_area_id"),
        "plan_budgets": ("year", "investment", "running", "updated_by_id", "updated_at"),
        "project_costs": ("id", "project_id", "year", "investment", "running", "updated_at"),
        "project_changes": ("id", "project_id", "actor_id", "field", "before", "after", "created_at"),
        "accessibility_reports": ("id", "page", "description", "email", "reporter_id", "created_at"),
    }

    # portfolio ---------------------------------------------------------------------------
    def projects(self) -> dict[str, list[tuple]]:
        rng, spec = self.rng, self.spec
        out: dict[str, list[tuple]] = {k: [] for k in (
            "projects", "project_service_areas", "project_sdgs", "project_ideas", "project_updates",
            "project_local_targets", "assessments", "decisions")}
        if not spec.projects or not self.projects_content:
            return out
        phases = ("proposed", "planned", "in_progress", "completed", "cancelled")
        phase_weights = (30, 25, 25, 15, 5)
        managers = self.staff_ids["portfolio_manager"] or [1]
        assessors = managers + (self.staff_ids["admin"] or [])
        area_ids = [a for a, _ in self.service_areas]
        area_by_name = {name: a for a, name in self.service_areas}
        # Ideas that staff took up are the ones linked to projects.
        taken = [i for i in range(1, spec.ideas + 1) if i != self.showcase
                 and self.idea_status[i] in ("accepted", "in_progress", "implemented", "under_review")]
        rng.shuffle(taken)
        taken.insert(0, self.showcase)  # project 1, in progress with updates, carries the showcase
        link_id = itertools.count(1)
        update_id = itertools.count(1)
        assessment_id = itertools.count(1)
        decision_id = itertools.count(1)
        taken_iter = iter(taken)
        for pid in range(1, spec.projects + 1):
            template = self.projects_content[(pid - 1) % len(self.projects_content)]
            round_ = (pid - 1) // len(self.projects_content)
            title = template["title"] if round_ == 0 else f"{template['title']} ({round_ + 1})"
            phase = template.get("phase") if round_ == 0 else rng.choices(phases, phase_weights)[0]
            if phase not in phases:
                phase = rng.choices(phases, phase_weights)[0]
            if pid == 1:
                phase = "in_progress"
            owner = area_by_name.get(template.get("owner"), rng.choice(area_ids))
            created = _between(rng, self.start, self.anchor - timedelta(days=7))
            start = (self.anchor + timedelta(days=template.get("start_offset_days", 0) + rng.randint(-200, 200))).date()
            end = start + timedelta(days=template.get("duration_days", 180))
            progress = {"proposed": 0, "planned": 5, "completed": 100, "cancelled": 0}.get(phase, rng.randint(10, 90))
            out["projects"].append((
                pid, title[:200], template.get("description", ""), template.get("kind", "project"), phase,
                owner, rng.choice(managers), template.get("estimated_cost") or rng.randint(1, 500) * 10_000,
                start, end, progress, rng.random() < 0.9 or pid == 2, rng.choice(managers), created, created,
            ))
            participants = {area_by_name[n] for n in template.get("participants", []) if n in area_by_name}
            for area in sorted(participants - {owner}):
                out["project_service_areas"].append((pid, area))
            for sdg in sorted(set(template.get("sdgs") or rng.sample(range(1, 18), 2))):
                out["project_sdgs"].append((pid, sdg))
            if self.local_targets and rng.random() < 0.5:
                out["project_local_targets"].append((pid, rng.choice(self.local_targets)))
            links = rng.choice((0, 1, 2, 3, 3, 5)) if pid > 1 else 3
            if pid == 2:  # the project with many linked ideas (public)
                links = big_project_links(spec.ideas)
            for _ in range(links):
                iid = next(taken_iter, None)
                if iid is None:
                    break
                out["project_ideas"].append((next(link_id), pid, iid, "Forslaget er tatt inn i prosjektet.",
                                             rng.choice(managers), _between(rng, self.idea_created[iid], self.anchor)))
            updates = template.get("updates") or []
            if phase in ("in_progress", "completed"):
                when = created
                for text in updates:
                    when = _between(rng, when, self.anchor)
                    out["project_updates"].append((next(update_id), pid, rng.choice(managers), text, None, when))
            if phase in ("proposed", "planned") and self.criteria:
                for assessor in assessors[:2]:
                    for criterion in self.criteria:
                        out["assessments"].append((next(assessment_id), pid, assessor, criterion,
                                                   rng.randint(1, 5), "", created, created))
            if phase in ("planned", "in_progress", "completed", "cancelled") and rng.random() < 0.6:
                out["decisions"].append((
                    next(decision_id), pid, (created + timedelta(days=rng.randint(1, 60))).date(),
                    "prioritised" if phase != "cancelled" else "rejected",
                    "Vedtatt i det tverrsektorielle forumet.", rng.choice(managers), created,
                ))
        return out

    PROJECT_COLUMNS = {
        "projects": ("id", "title", "description", "kind", "phase", "owner_service_area_id", "responsible_id",
                     "estimated_cost", "planned_start", "planned_end", "progress", "public", "created_by_id",
                     "created_at", "updated_at"),
        "project_service_areas": ("project_id", "service_area_id"),
        "project_sdgs": ("project_id", "sdg_number"),
        "project_local_targets": ("project_id", "local_target_id"),
        "project_ideas": ("id", "project_id", "idea_id", "note", "linked_by_id", "created_at"),
        "project_updates": ("id", "project_id", "author_id", "text", "progress", "created_at"),
        "assessments": ("id", "project_id", "assessor_id", "criterion_id", "score", "comment", "created_at",
                        "updated_at"),
        "decisions": ("id", "project_id", "meeting_date", "outcome", "rationale", "recorded_by_id", "created_at"),
    }


# --- the whole seed -----------------------------------------------------------------------

# Tables the seed fills and so expects empty (reference data and structure may exist).
DATA_TABLES = ("users", "organisations", "memberships", "ideas", "idea_sdgs", "status_changes", "votes",
               "endorsements", "comments")
MODERATION_TABLES = ("moderation_cases", "reports", "moderation_actions")
PORTFOLIO_TABLES = ("projects", "project_service_areas", "project_sdgs", "project_local_targets",
                    "project_ideas", "project_updates", "assessments", "decisions")
BIG_TABLES = ("ideas", "idea_sdgs", "status_changes", "votes", "comments", "endorsements", "users",
              "memberships")


def portfolio_available() -> bool:
    import importlib.util

    if importlib.util.find_spec("app.portfolio.models") is None:
        return False
    import app.portfolio.models as portfolio

    return hasattr(portfolio, "Project") and hasattr(portfolio, "ProjectIdea")


def moderation_available() -> bool:
    import importlib.util

    if importlib.util.find_spec("app.moderation.models") is None:
        return False
    import app.moderation.models as moderation

    return all(hasattr(moderation, name) for name in ("ModerationCase", "Report", "ModerationAction"))


def missing_tables(engine: sa.Engine) -> list[str]:
    present = set(sa.inspect(engine).get_table_names())
    return [t for t in db.metadata.tables if t not in present]


def create_schema(engine: sa.Engine) -> None:
    """create_all() and the reference data, as the tests do (until migrations cover every model)."""
    from app.core.schema import install_reference_data

    db.metadata.create_all(engine)
    with engine.begin() as conn:
        install_reference_data(conn)


def reset_data(engine: sa.Engine) -> None:
    """Empty every table but the fixed reference data (SDGs) and Alembic's version."""
    keep = {"sdgs", "alembic_version"}
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in keep]
    present = set(sa.inspect(engine).get_table_names())
    tables = [t for t in tables if t.name in present]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(
                f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY CASCADE"
            )
        else:
            for table in tables:
                conn.execute(table.delete())


def _structure(loader: Loader) -> list[tuple[int, str]]:
    from app import demo_content as content

    rows = loader.query("SELECT id, name FROM service_areas WHERE retired_at IS NULL ORDER BY id")
    if rows:
        return [(r[0], r[1]) for r in rows]
    tables = db.metadata.tables
    areas, services = [], []
    sid = itertools.count(1)
    for position, area in enumerate(content.MUNICIPAL_AREAS, start=1):
        areas.append((position, area["name"], position))
        for sa_position, name in enumerate(area["service_areas"], start=1):
            services.append((next(sid), position, name, sa_position))
    loader.load(tables["municipal_areas"], ("id", "name", "position"), areas, len(areas))
    loader.load(tables["service_areas"], ("id", "municipal_area_id", "name", "position"), services, len(services))
    return [(s[0], s[2]) for s in services]


def _portfolio_reference(loader: Loader) -> tuple[list[int], list[int]]:
    """The prioritisation criteria and local targets: the demo's when the tables are empty."""
    from app import demo_content as content

    tables = db.metadata.tables
    criteria = [r[0] for r in loader.query("SELECT id FROM criteria ORDER BY id")]
    if not criteria and hasattr(content, "CRITERIA"):
        rows = [(i, c["key"], c["name_nb"], c.get("name_nn", ""), c.get("name_en", ""),
                 c.get("description_nb", ""), c.get("description_nn", ""), c.get("description_en", ""),
                 c.get("weight", 10), i) for i, c in enumerate(content.CRITERIA, start=1)]
        loader.load(tables["criteria"], ("id", "key", "name_nb", "name_nn", "name_en", "description_nb",
                                         "description_nn", "description_en", "weight", "position"), rows, len(rows))
        criteria = [r[0] for r in rows]
    computed = {r[0] for r in loader.query("SELECT id FROM criteria WHERE key = 'citizen_support'")}
    targets = [r[0] for r in loader.query("SELECT id FROM local_targets ORDER BY id")]
    if not targets and hasattr(content, "LOCAL_TARGETS"):
        rows = [(i, t["sdg"], t["code"], t["text_nb"], t.get("text_nn", ""), t.get("text_en", ""))
                for i, t in enumerate(content.LOCAL_TARGETS, start=1)]
        loader.load(tables["local_targets"], ("id", "sdg_number", "code", "text_nb", "text_nn", "text_en"),
                    rows, len(rows))
        targets = [r[0] for r in rows]
    return [c for c in criteria if c not in computed], targets


def seed(engine: sa.Engine, spec: SeedSpec, *, progress: bool = True, analyze: bool = True,
         password_hash: str | None = None) -> SeedReport:
    """Fill an empty database (schema made by `flask db upgrade` or create_all()). Raises SeedError.

    Every person gets BENCH_PASSWORD, or the given password_hash (tests pass one to skip scrypt).
    """
    from werkzeug.security import generate_password_hash

    report = SeedReport()
    started = time.perf_counter()
    missing = missing_tables(engine)
    if missing:
        raise SeedError(f"The schema lacks tables {', '.join(missing)}: run `flask db upgrade` "
                        "(or pass --create-schema).")
    with_portfolio = portfolio_available() and spec.projects > 0
    with_moderation = moderation_available()
    if spec.users < 10 or spec.ideas < 1:
        raise SeedError("Seed at least 10 users and 1 idea.")
    raw = engine.raw_connection()
    loader = Loader(raw, engine.dialect, progress)
    try:
        for table in (DATA_TABLES + (PORTFOLIO_TABLES if with_portfolio else ())
                      + (MODERATION_TABLES if with_moderation else ())):
            if loader.count(table):
                raise SeedError(f"Table {table} is not empty: seed an empty database (or pass --reset).")
        if loader.pg:
            if loader.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0]:
                # Foreign keys are right by construction; skipping their per-row triggers halves COPY.
                loader.execute("SET session_replication_role = replica")
            loader.execute("SET synchronous_commit = off")
        else:
            loader.conn.commit()
            loader.execute("PRAGMA foreign_keys = OFF")
            loader.execute("PRAGMA synchronous = OFF")
        tables = db.metadata.tables

        phase = time.perf_counter()
        service_areas = _structure(loader)
        criteria, targets = _portfolio_reference(loader) if with_portfolio else ([], [])
        gen = Generator(spec, service_areas, with_portfolio, criteria, targets)
        report.anchor = gen.anchor
        password_hash = password_hash or generate_password_hash(BENCH_PASSWORD)
        users = gen.users(password_hash)
        orgs, members = gen.organisations()
        idea_rows = gen.ideas()
        votes = gen.votes()
        comments = gen.comments()
        endorsements = gen.endorsements()
        portfolio = gen.projects() if with_portfolio else {}
        moderation = gen.moderation(idea_rows["ideas"], comments) if with_moderation else {}
        extras = gen.extras([r[0] for r in loader.query("SELECT id FROM municipal_areas ORDER BY id")],
                            set(tables))
        report.showcase_idea_id = gen.showcase
        # Counters go in with the ideas, so the rows are written once.
        counters = {r[0]: r[1:] for r in gen.counter_rows()}
        ideas = [(*row, *counters[row[0]]) for row in idea_rows["ideas"]]
        report.timings["generate"] = time.perf_counter() - phase

        phase = time.perf_counter()
        big = [t for t in BIG_TABLES if t in tables]
        if with_portfolio:
            big += ["projects", "project_ideas", "assessments"]
        if with_moderation:
            big += [t for t in MODERATION_TABLES if t in tables]
        loader.drop_secondary_indexes(big)
        loader.load(tables["users"], Generator.USER_COLUMNS, users, len(users))
        loader.load(tables["organisations"], Generator.ORG_COLUMNS, orgs, len(orgs))
        loader.load(tables["memberships"], Generator.MEMBER_COLUMNS, members, len(members))
        loader.load(tables["ideas"], (*Generator.IDEA_COLUMNS, "vote_count", "comment_count", "endorsement_count"),
                    ideas, len(ideas))
        loader.load(tables["idea_sdgs"], ("idea_id", "sdg_number"), idea_rows["idea_sdgs"], len(idea_rows["idea_sdgs"]))
        loader.load(tables["status_changes"], Generator.CHANGE_COLUMNS, idea_rows["status_changes"],
                    len(idea_rows["status_changes"]))
        loader.load(tables["votes"], Generator.VOTE_COLUMNS, votes, len(votes))
        loader.load(tables["comments"], Generator.COMMENT_COLUMNS, comments, len(comments))
        loader.load(tables["endorsements"], Generator.ENDORSEMENT_COLUMNS, endorsements, len(endorsements))
        for name, rows in portfolio.items():
            if name in tables and rows:
                loader.load(tables[name], Generator.PROJECT_COLUMNS[name], rows, len(rows))
        for name, rows in moderation.items():
            if name in tables and rows:
                loader.load(tables[name], Generator.MODERATION_COLUMNS[name], rows, len(rows))
        for name, rows in extras.items():
            if rows:
                loader.load(tables[name], Generator.EXTRA_COLUMNS[name], rows, len(rows))
        report.timings["load"] = time.perf_counter() - phase

        phase = time.perf_counter()
        loader.rebuild_indexes()
        loader.reset_sequences([tables[name] for name in loader.loaded])
        _refresh_search(loader)
        report.timings["indexes"] = time.perf_counter() - phase
        if loader.pg:
            loader.execute("SET session_replication_role = DEFAULT")
        loader.conn.commit()
        if not loader.pg:
            loader.execute("PRAGMA foreign_keys = ON")
            loader.execute("PRAGMA synchronous = NORMAL")
        if analyze:
            phase = time.perf_counter()
            _analyze(loader)
            report.timings["analyze"] = time.perf_counter() - phase
    except BaseException:
        try:
            loader.conn.rollback()
        finally:
            raw.close()
        raise
    raw.close()
    # The counts table (app/ideas/counts.py) follows writes by triggers, which COPY skipped above.
    from app.ideas.counts import rebuild

    with engine.begin() as conn:
        rebuild(conn)
    report.counts = dict(loader.loaded)
    report.seconds = time.perf_counter() - started
    return report


def _refresh_search(loader: Loader) -> None:
    """PostgreSQL's generated tsvector columns follow COPY by themselves; SQLite's FTS5 needs a rebuild."""
    if loader.pg:
        return
    names = {r[0] for r in loader.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for fts in sorted(n for n in names if n.endswith("_fts")):
        loader.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _analyze(loader: Loader) -> None:
    if loader.pg:
        # What autovacuum would do soon after a bulk load: statistics and the visibility map.
        loader.conn.autocommit = True
        try:
            loader.execute("VACUUM ANALYZE")
        finally:
            loader.conn.autocommit = False
    else:
        loader.execute("ANALYZE")
        loader.conn.commit()


# --- checking -----------------------------------------------------------------------------


COUNTER_CHECKS = {
    "vote_count": "SELECT COUNT(*) FROM votes v WHERE v.idea_id = ideas.id",
    "comment_count": "SELECT COUNT(*) FROM comments c WHERE c.idea_id = ideas.id AND c.visibility = 'visible'",
    "endorsement_count": "SELECT COUNT(*) FROM endorsements e WHERE e.idea_id = ideas.id",
}


def counter_mismatches(connection: sa.Connection) -> dict[str, int]:
    """How many ideas have each counter different from its rows (all zero after a seed)."""
    return {
        name: connection.exec_driver_sql(f"SELECT COUNT(*) FROM ideas WHERE {name} <> ({sql})").scalar_one()
        for name, sql in COUNTER_CHECKS.items()
    }
