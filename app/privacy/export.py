"""A person's data, all of it: counts for "Mine data", and the ZIP (GDPR art. 15 and 20).

One JSON file per kind (app/privacy/inventory.py lists them; docs/export-format.md documents
every field), the person's uploaded pictures, and index.html, a readable overview in their
language. Rows are read in batches (yield_per) as plain rows, never as thousands of ORM
objects, with one query per section whatever the person's history; the ZIP is written as it
is read, to a spooled file or the export folder.

Small exports are sent at once; larger ones (EXPORT_INLINE_MAX_ROWS) become a pending
DataExport that `flask privacy build-exports` builds, after which a one-time link (its
SHA-256 stored, never the token) works once until EXPORT_LINK_HOURS have passed.
"""

import hashlib
import io
import json
import logging
import os
import re
import secrets
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    desc,
    func,
    or_,
    select,
    text,
    update,
)

from app.accessibility.models import AccessibilityReport
from app.accounts.models import (
    ApiToken,
    Identity,
    Invitation,
    Membership,
    Organisation,
    SignIn,
    User,
)
from app.accounts.services import NO_EMAIL_DOMAIN
from app.comments.models import Comment
from app.core.db import UTCDateTime, as_utc, utcnow
from app.core.errors import NotFound, ServiceError
from app.core.i18n import LOCALE_NAMES
from app.core.models import ServiceArea
from app.core.urls import external_url, site_path
from app.extensions import db
from app.ideas import images
from app.ideas.models import Endorsement, Idea, IdeaImage, StatusChange, Visibility, Vote, idea_sdgs
from app.initiatives.models import PUBLIC_STATUSES, Initiative, Signature
from app.moderation.models import (
    Appeal,
    AuditAction,
    AuditTarget,
    ModerationAction,
    ModerationCase,
    Report,
)
from app.moderation.services import audit
from app.notifications.mail import queue_templated
from app.notifications.models import Follow, Notice, NoticePreference, OutboxMessage
from app.notifications.services import notify
from app.privacy.inventory import KINDS
from app.privacy.models import DataExport, ExportStatus

log = logging.getLogger(__name__)

FORMAT = "medvirk-export"
FORMAT_VERSION = 1
BATCH = 500
# Items per section shown on "Mine data" and in index.html; the JSON files hold them all.
RECENT = 5
OVERVIEW_RECENT = 20
IMAGE_FOLDER = "images"
# What build-exports writes into EXPORT_FOLDER (and its half-written form), and how old such a
# file with no export row must be before it is deleted as an orphan.
EXPORT_FILE = re.compile(r"^[0-9a-f]{32}\.zip(\.part)?$")
ORPHAN_AGE = timedelta(hours=1)


class ExportGone(ServiceError):
    """The download link was used already, or has expired (410)."""

    status_code = 410
    code = "gone"


# --- what is exported: one Section per list in a kind's file --------------------------


@dataclass(frozen=True)
class Section:
    """One list in a kind's file: `query(user)` selects labelled columns (the field names).

    `newest` is the column the most recent items are ordered by on "Mine data".
    """

    kind: str
    name: str
    query: Callable[[User], Select]
    newest: Callable[[], object]


def _visible_idea_title():
    # Another person's idea that moderators hid is not the person's data: its title is left
    # out (null); the idea's id stays, as the person's own act (vote, comment) refers to it.
    return case((Idea.visibility == Visibility.VISIBLE, Idea.title), else_=None).label("idea_title")


def _email(user: User):
    return func.lower(user.email)


def _account(user: User) -> Select:
    return select(
        User.id, User.email, User.full_name, User.locale, User.role, User.created_at,
        User.confirmed_at, User.last_seen_at, User.is_blocked, User.blocked_reason,
        User.blocked_until, User.name_flagged_at, User.name_flag_reason,
        User.deletion_requested_at, User.deletion_keep_content, User.inactivity_warned_at,
    ).where(User.id == user.id)


def _memberships(user: User) -> Select:
    return (
        select(Membership.organisation_id, Organisation.name.label("organisation_name"),
               Organisation.kind.label("organisation_kind"), Membership.role, Membership.created_at)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.user_id == user.id).order_by(Membership.id)
    )


def _organisations_created(user: User) -> Select:
    return (
        select(Organisation.id.label("organisation_id"), Organisation.name, Organisation.kind,
               Organisation.org_number, Organisation.description, Organisation.website,
               Organisation.status, Organisation.status_reason, Organisation.created_at)
        .where(Organisation.created_by_id == user.id).order_by(Organisation.id)
    )


def _invitations_received(user: User) -> Select:
    return (
        select(Invitation.id, Invitation.organisation_id,
               Organisation.name.label("organisation_name"), Invitation.email, Invitation.status,
               Invitation.created_at, Invitation.expires_at, Invitation.answered_at)
        .join(Organisation, Organisation.id == Invitation.organisation_id)
        .where(or_(func.lower(Invitation.email) == _email(user), Invitation.answered_by_id == user.id))
        .order_by(Invitation.id)
    )


def _invitations_sent(user: User) -> Select:
    # The invitee's address is their personal data, not the sender's: left out.
    return (
        select(Invitation.id, Invitation.organisation_id,
               Organisation.name.label("organisation_name"), Invitation.status,
               Invitation.created_at, Invitation.expires_at, Invitation.answered_at)
        .join(Organisation, Organisation.id == Invitation.organisation_id)
        .where(Invitation.invited_by_id == user.id).order_by(Invitation.id)
    )


def _ideas(user: User) -> Select:
    return (
        select(Idea.id, Idea.title, Idea.body, Idea.organisation_id,
               Organisation.name.label("organisation_name"),
               Idea.service_area_id, ServiceArea.name.label("service_area"),
               Idea.place, Idea.latitude, Idea.longitude, Idea.status, Idea.visibility,
               Idea.hidden_reason, Idea.withdrawn_reason, Idea.merged_into_id, Idea.vote_count,
               Idea.comment_count, Idea.endorsement_count, Idea.created_at, Idea.edited_at,
               Idea.updated_at)
        .join(ServiceArea, ServiceArea.id == Idea.service_area_id)
        .outerjoin(Organisation, Organisation.id == Idea.organisation_id)
        .where(Idea.author_id == user.id).order_by(Idea.id)
    )


def _answers(user: User) -> Select:
    # The municipality's public answers to the person's ideas, without who answered.
    return (
        select(StatusChange.idea_id, StatusChange.from_status, StatusChange.to_status,
               StatusChange.explanation, StatusChange.created_at)
        .join(Idea, Idea.id == StatusChange.idea_id)
        .where(Idea.author_id == user.id).order_by(StatusChange.id)
    )


def _votes(user: User) -> Select:
    return (
        select(Vote.idea_id, _visible_idea_title(), Vote.created_at)
        .join(Idea, Idea.id == Vote.idea_id)
        .where(Vote.user_id == user.id).order_by(Vote.id)
    )


def _endorsements(user: User) -> Select:
    return (
        select(Endorsement.idea_id, _visible_idea_title(), Endorsement.organisation_id,
               Organisation.name.label("organisation_name"), Endorsement.created_at)
        .join(Idea, Idea.id == Endorsement.idea_id)
        .join(Organisation, Organisation.id == Endorsement.organisation_id)
        .where(Endorsement.endorsed_by_id == user.id).order_by(Endorsement.id)
    )


def _comments(user: User) -> Select:
    return (
        select(Comment.id, Comment.idea_id, _visible_idea_title(), Comment.parent_id,
               Comment.organisation_id, Organisation.name.label("organisation_name"),
               Comment.body, Comment.visibility, Comment.hidden_reason, Comment.created_at,
               Comment.edited_at, Comment.updated_at)
        .join(Idea, Idea.id == Comment.idea_id)
        .outerjoin(Organisation, Organisation.id == Comment.organisation_id)
        .where(Comment.author_id == user.id).order_by(Comment.id)
    )


def _reports(user: User) -> Select:
    # What the person reported and why; not the reported content (someone else's).
    return (
        select(Report.id, Report.target_type, Report.target_id, Report.reason, Report.note,
               Report.created_at, Report.resolution, Report.resolved_at)
        .where(Report.reporter_id == user.id).order_by(Report.id)
    )


def _decisions_about_me(user: User) -> Select:
    # The moderators' internal note may name the people who reported: left out; the reason
    # is what the person was told.
    return (
        select(ModerationAction.id, ModerationAction.action, ModerationAction.target_type,
               ModerationAction.target_id, ModerationAction.reason, ModerationAction.created_at)
        .where(ModerationAction.subject_user_id == user.id).order_by(ModerationAction.id)
    )


def _cases(user: User) -> Select:
    return (
        select(ModerationCase.id, ModerationCase.target_type, ModerationCase.target_id,
               ModerationCase.state, ModerationCase.report_count, ModerationCase.decision,
               ModerationCase.decision_reason, ModerationCase.decision_note,
               ModerationCase.decided_at, ModerationCase.created_at)
        .where(ModerationCase.author_id == user.id).order_by(ModerationCase.id)
    )


def _appeals(user: User) -> Select:
    return (
        select(Appeal.id, Appeal.target_type, Appeal.target_id, Appeal.text, Appeal.created_at,
               Appeal.decision, Appeal.decision_reason, Appeal.decision_note, Appeal.decided_at)
        .where(Appeal.author_id == user.id).order_by(Appeal.id)
    )


def _notices(user: User) -> Select:
    return (
        select(Notice.id, Notice.kind, Notice.subject, Notice.body, Notice.url,
               Notice.created_at, Notice.read_at)
        .where(Notice.user_id == user.id).order_by(Notice.id)
    )


def _follows(user: User) -> Select:
    return (
        select(Follow.target_type, Follow.target_id, Follow.created_at)
        .where(Follow.user_id == user.id).order_by(Follow.id)
    )


def _preferences(user: User) -> Select:
    return (
        select(NoticePreference.kind, NoticePreference.channel)
        .where(NoticePreference.user_id == user.id).order_by(NoticePreference.kind)
    )


def _emails(user: User) -> Select:
    # The text part; the HTML part of the same message says the same.
    return (
        select(OutboxMessage.id, OutboxMessage.to_address, OutboxMessage.subject,
               OutboxMessage.body, OutboxMessage.created_at, OutboxMessage.sent_at)
        .where(func.lower(OutboxMessage.to_address) == _email(user)).order_by(OutboxMessage.id)
    )


def _api_tokens(user: User) -> Select:
    return (
        select(ApiToken.id, ApiToken.name, ApiToken.prefix, ApiToken.created_at,
               ApiToken.last_used_at, ApiToken.revoked_at)
        .where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    )


def _sign_ins(user: User) -> Select:
    return (
        select(SignIn.method, SignIn.address, SignIn.created_at)
        .where(SignIn.user_id == user.id).order_by(SignIn.id)
    )


def _identities(user: User) -> Select:
    # Never person_hash or subject_hash (inventory.OTHER_PERSONAL_DATA says why).
    return (
        select(Identity.provider, Identity.kind, Identity.issuer, Identity.level,
               Identity.verified_at, Identity.created_at)
        .where(Identity.user_id == user.id).order_by(Identity.id)
    )


def _data_exports(user: User) -> Select:
    return (
        select(DataExport.id, DataExport.status,
               DataExport.requested_by_id.is_not(None).label("requested_by_staff"),
               DataExport.size, DataExport.created_at, DataExport.ready_at,
               DataExport.expires_at, DataExport.downloaded_at)
        .where(DataExport.user_id == user.id).order_by(DataExport.id)
    )


def _accessibility_reports(user: User) -> Select:
    return (
        select(AccessibilityReport.id, AccessibilityReport.page, AccessibilityReport.description,
               AccessibilityReport.email, AccessibilityReport.created_at,
               AccessibilityReport.handled_at)
        .where(or_(AccessibilityReport.reporter_id == user.id,
                   func.lower(AccessibilityReport.email) == _email(user)))
        .order_by(AccessibilityReport.id)
    )


def _initiatives(user: User) -> Select:
    return (
        select(Initiative.id, Initiative.title, Initiative.proposal, Initiative.reasons,
               Initiative.contact_email, Initiative.from_idea_id, Initiative.status,
               Initiative.refusal_reason, Initiative.collection_started_at, Initiative.collection_ends_at,
               Initiative.signature_threshold, Initiative.signature_count,
               Initiative.paper_signature_count, Initiative.submitted_at, Initiative.deadline,
               Initiative.council_case_number, Initiative.council_meeting_date,
               Initiative.decision_text, Initiative.decision_url, Initiative.earlier_case_number,
               Initiative.earlier_case_title, Initiative.earlier_case_date, Initiative.created_at)
        .where(Initiative.proposer_id == user.id).order_by(Initiative.id)
    )


def _signatures(user: User) -> Select:
    # Another person's initiative that was never published is not the signer's data (they
    # cannot have signed one; the title is left out all the same).
    title = case((Initiative.status.in_(PUBLIC_STATUSES), Initiative.title), else_=None)
    return (
        select(Signature.initiative_id, title.label("initiative_title"), Signature.verified,
               Signature.confirmed_resident, Signature.show_name, Signature.created_at)
        .join(Initiative, Initiative.id == Signature.initiative_id)
        .where(Signature.user_id == user.id).order_by(Signature.id)
    )


SECTIONS: tuple[Section, ...] = (
    Section("account", "account", _account, lambda: User.created_at),
    Section("organisations", "memberships", _memberships, lambda: Membership.created_at),
    Section("organisations", "organisations_created", _organisations_created,
            lambda: Organisation.created_at),
    Section("organisations", "invitations_received", _invitations_received,
            lambda: Invitation.created_at),
    Section("organisations", "invitations_sent", _invitations_sent, lambda: Invitation.created_at),
    Section("ideas", "ideas", _ideas, lambda: Idea.created_at),
    Section("ideas", "answers", _answers, lambda: StatusChange.created_at),
    Section("votes", "votes", _votes, lambda: Vote.created_at),
    Section("endorsements", "endorsements", _endorsements, lambda: Endorsement.created_at),
    Section("comments", "comments", _comments, lambda: Comment.created_at),
    Section("reports", "reports", _reports, lambda: Report.created_at),
    Section("moderation", "decisions", _decisions_about_me, lambda: ModerationAction.created_at),
    Section("moderation", "cases", _cases, lambda: ModerationCase.created_at),
    Section("moderation", "appeals", _appeals, lambda: Appeal.created_at),
    Section("notices", "notices", _notices, lambda: Notice.created_at),
    Section("follows", "follows", _follows, lambda: Follow.created_at),
    Section("notice_preferences", "notice_preferences", _preferences, lambda: NoticePreference.kind),
    Section("emails", "emails", _emails, lambda: OutboxMessage.created_at),
    Section("api_tokens", "api_tokens", _api_tokens, lambda: ApiToken.created_at),
    Section("sign_ins", "sign_ins", _sign_ins, lambda: SignIn.created_at),
    Section("identities", "identities", _identities, lambda: Identity.created_at),
    Section("data_exports", "data_exports", _data_exports, lambda: DataExport.created_at),
    Section("accessibility_reports", "accessibility_reports", _accessibility_reports,
            lambda: AccessibilityReport.created_at),
    Section("initiatives", "initiatives", _initiatives, lambda: Initiative.created_at),
    Section("signatures", "signatures", _signatures, lambda: Signature.created_at),
)

# Headings of the kinds on "Mine data" and in index.html.
KIND_LABELS = {
    "account": _l("Konto"),
    "organisations": _l("Organisasjoner"),
    "ideas": _l("Idéer"),
    "votes": _l("Stemmer"),
    "endorsements": _l("Støtte fra organisasjoner"),
    "comments": _l("Kommentarer"),
    "reports": _l("Sendte rapporter om innhold"),
    "moderation": _l("Moderering og klager"),
    "notices": _l("Meldinger"),
    "follows": _l("Det du følger"),
    "notice_preferences": _l("Varslingsvalg"),
    "emails": _l("E-post fra Medvirk"),
    "api_tokens": _l("API-nøkler"),
    "sign_ins": _l("Innlogginger"),
    "identities": _l("Innlogging med ID-porten"),
    "data_exports": _l("Nedlastinger av dataene"),
    "accessibility_reports": _l("Meldinger om tilgjengelighet"),
    "initiatives": _l("Innbyggerforslag"),
    "signatures": _l("Underskrifter på innbyggerforslag"),
}


def _value(value):
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _record(row) -> dict:
    return {key: _value(value) for key, value in row._mapping.items()}


def _rows(stmt: Select) -> Iterator:
    """The statement's rows, fetched BATCH at a time (a server-side cursor on PostgreSQL)."""
    result = db.session.execute(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result
    finally:
        result.close()


# --- counts and recent items, for "Mine data" ------------------------------------------


@dataclass
class KindSummary:
    kind: str
    label: str
    rows: int  # every row of the kind's file (what the size of an export depends on)
    sections: dict[str, int]

    @property
    def count(self) -> int:
        """What a person counts: the kind's own section ("Idéer": the ideas, not their answers)."""
        return self.sections.get(self.kind, self.rows)


def summary(user: User) -> list[KindSummary]:
    """How many rows of each kind Medvirk holds about the person: a COUNT per section, all of
    them in one statement (issue 17: the pages showing it stay within a handful of queries)."""
    kinds: dict[str, KindSummary] = {
        kind: KindSummary(kind, str(KIND_LABELS[kind]), 0, {}) for kind in KINDS
    }
    counts = db.session.execute(select(*(
        select(func.count()).select_from(section.query(user).order_by(None).subquery())
        .scalar_subquery().label(f"n{position}")
        for position, section in enumerate(SECTIONS)
    ))).one()
    for section, n in zip(SECTIONS, counts, strict=True):
        n = n or 0
        kinds[section.kind].sections[section.name] = n
        kinds[section.kind].rows += n
    return list(kinds.values())


def total_rows(user: User) -> int:
    return sum(k.rows for k in summary(user))


def recent(user: User, section_name: str, limit: int = RECENT) -> list[dict]:
    """The newest `limit` records of one section, with the export's field names (for pages)."""
    section = next(s for s in SECTIONS if s.name == section_name)
    stmt = section.query(user).order_by(None).order_by(desc(section.newest())).limit(limit)
    return [{k: as_utc(v) if isinstance(v, datetime) else v for k, v in row._mapping.items()}
            for row in db.session.execute(stmt)]


# --- the ZIP ---------------------------------------------------------------------------


def _ideas_extras(user: User) -> tuple[dict[int, list[int]], dict[int, list[dict]]]:
    """SDGs and pictures of the person's ideas, one query each (an author has few ideas)."""
    sdgs: dict[int, list[int]] = {}
    for idea_id, number in db.session.execute(
        select(idea_sdgs.c.idea_id, idea_sdgs.c.sdg_number)
        .join(Idea, Idea.id == idea_sdgs.c.idea_id)
        .where(Idea.author_id == user.id).order_by(idea_sdgs.c.idea_id, idea_sdgs.c.sdg_number)
    ):
        sdgs.setdefault(idea_id, []).append(number)
    pictures: dict[int, list[dict]] = {}
    for row in db.session.execute(
        select(IdeaImage.idea_id, IdeaImage.filename, IdeaImage.content_type, IdeaImage.width,
               IdeaImage.height, IdeaImage.alt_text, IdeaImage.decorative, IdeaImage.created_at)
        .join(Idea, Idea.id == IdeaImage.idea_id)
        .where(Idea.author_id == user.id).order_by(IdeaImage.idea_id, IdeaImage.position)
    ):
        pictures.setdefault(row.idea_id, []).append({
            "file": f"{IMAGE_FOLDER}/{row.filename}", "content_type": row.content_type,
            "width": row.width, "height": row.height, "alt_text": row.alt_text,
            "decorative": row.decorative, "created_at": _value(row.created_at),
        })
    return sdgs, pictures


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _write_kind(archive: zipfile.ZipFile, user: User, kind: str, generated_at: str,
                extras: tuple[dict, dict] | None) -> None:
    with archive.open(f"{kind}.json", "w", force_zip64=True) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        out.write("{\n")
        out.write(f'  "format": {_dump(FORMAT)},\n  "version": {FORMAT_VERSION},\n')
        out.write(f'  "kind": {_dump(kind)},\n  "generated_at": {_dump(generated_at)}')
        for section in (s for s in SECTIONS if s.kind == kind):
            if section.name == "account":
                row = db.session.execute(section.query(user)).one()
                out.write(f',\n  "account": {_dump(_record(row))}')
                continue
            out.write(f',\n  {_dump(section.name)}: [')
            first = True
            for row in _rows(section.query(user)):
                item = _record(row)
                if section.name == "ideas" and extras is not None:
                    item["sdgs"] = extras[0].get(item["id"], [])
                    item["images"] = extras[1].get(item["id"], [])
                out.write(("\n    " if first else ",\n    ") + _dump(item))
                first = False
            out.write("]" if first else "\n  ]")
        out.write("\n}\n")
        out.flush()
        out.detach()


def _write_images(archive: zipfile.ZipFile, pictures: dict[int, list[dict]]) -> int:
    written = set()
    for items in pictures.values():
        for item in items:
            name = item["file"]
            filename = name.rsplit("/", 1)[-1]
            if name in written or not images.FILENAME.match(filename):
                continue
            path = images.path_of(filename)
            if os.path.exists(path):
                # Already compressed (JPEG, PNG, WebP): stored as they are.
                archive.write(path, name, compress_type=zipfile.ZIP_STORED)
                written.add(name)
    return len(written)


def write_zip(user: User, fileobj) -> int:
    """Write the person's whole export as a ZIP to `fileobj`; returns the rows written.

    Every kind of inventory.KINDS gets its file, even when empty, so a reader can rely on
    them; then the pictures, then index.html in the person's language.
    """
    generated_at = utcnow().isoformat()
    counts = summary(user)
    extras = _ideas_extras(user)
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            _write_kind(archive, user, kind, generated_at, extras if kind == "ideas" else None)
        picture_count = _write_images(archive, extras[1])
        archive.writestr("index.html", overview_html(user, counts, extras[1], picture_count, generated_at))
    return sum(k.rows for k in counts)


def overview_html(user: User, counts: list[KindSummary], pictures: dict[int, list[dict]],
                  picture_count: int, generated_at: str) -> str:
    """index.html: what the files hold, in the person's language, self-contained."""
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        return render_template(
            "privacy/export_overview.html", user=user, counts=counts,
            account=recent(user, "account", 1)[0],
            ideas=recent(user, "ideas", OVERVIEW_RECENT),
            comments=recent(user, "comments", OVERVIEW_RECENT),
            sign_ins=recent(user, "sign_ins", OVERVIEW_RECENT),
            pictures=pictures, picture_count=picture_count,
            # A time as the person reads one ("5. des. 2026 00:46"); the JSON files keep ISO 8601.
            generated_at=datetime.fromisoformat(generated_at),
            municipality_name=current_app.config["MUNICIPALITY_NAME"],
            lang=str(user.locale or current_app.config["DEFAULT_LOCALE"]),
            language_name=LOCALE_NAMES.get(user.locale or "", ""),
        )


def export_filename(user: User) -> str:
    return f"medvirk-data-{user.id}-{utcnow():%Y%m%d}.zip"


# --- requesting, building and downloading an export -------------------------------------


@dataclass
class ExportRequest:
    export: DataExport
    inline: bool  # small: the caller writes the ZIP now (write_zip)
    created: bool  # False: a pending export existed already, and is what this is


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_export(person: User, requested_by: User | None = None) -> ExportRequest:
    """Ask for the person's export, themselves or by staff on their behalf (audit-logged).

    Up to EXPORT_INLINE_MAX_ROWS rows it is made at once: a DataExport is recorded as
    downloaded and the caller writes the ZIP. Larger, a pending DataExport is queued for
    `flask privacy build-exports`; a person has one pending export at most, and asking
    again gives the pending one back (created False). Does not raise.
    """
    now = utcnow()
    staff_id = requested_by.id if requested_by is not None and requested_by.id != person.id else None
    # Lock the person's row: two requests at once queue here (PostgreSQL), and the insert
    # below is conditional on the stored state (SQLite, where the lock is a no-op).
    db.session.execute(select(User.id).where(User.id == person.id).with_for_update())
    inline = total_rows(person) <= int(current_app.config["EXPORT_INLINE_MAX_ROWS"])
    if inline:
        export = DataExport(user_id=person.id, requested_by_id=staff_id,
                            status=ExportStatus.DOWNLOADED, created_at=now, ready_at=now,
                            downloaded_at=now)
        db.session.add(export)
        created = True
    else:
        pending = and_(DataExport.user_id == person.id, DataExport.status == ExportStatus.PENDING)
        # One statement decides on the stored rows. Plain SQL: SQLAlchemy reports no rowcount
        # for an INSERT ... SELECT on psycopg.
        result = db.session.execute(
            text(
                "INSERT INTO data_exports (user_id, requested_by_id, status, created_at) "
                "SELECT :user_id, :staff_id, :pending, :now WHERE NOT EXISTS ("
                "SELECT 1 FROM data_exports WHERE user_id = :user_id AND status = :pending)"
            ).bindparams(
                bindparam("user_id", person.id, type_=Integer()),
                bindparam("staff_id", staff_id, type_=Integer()),
                bindparam("pending", ExportStatus.PENDING.value, type_=String()),
                bindparam("now", now, type_=UTCDateTime()),
            )
        )
        created = result.rowcount == 1
        export = db.session.scalars(select(DataExport).where(pending).order_by(DataExport.id)).first()
    if staff_id is not None and created:
        db.session.flush()
        audit(requested_by, AuditAction.DATA_EXPORTED, AuditTarget.USER, person.id,
              subject_user_id=person.id,
              reason="inline" if inline else f"export {export.id}")
    db.session.commit()
    return ExportRequest(export=export, inline=inline, created=created)


def exports_of(user: User, limit: int = 10) -> list[DataExport]:
    return db.session.scalars(
        select(DataExport).where(DataExport.user_id == user.id)
        .order_by(DataExport.id.desc()).limit(limit)
    ).all()


def get_export(user: User, export_id: int) -> DataExport:
    """The person's own export (or one staff asked for on someone's behalf); NotFound else."""
    export = db.session.get(DataExport, export_id)
    if export is None or user.id not in (export.user_id, export.requested_by_id):
        raise NotFound(_("Fant ikke nedlastingen."))
    return export


def export_for_token(user: User, token: str) -> DataExport:
    """The export a download link names, if it is the user's; NotFound for anyone else's."""
    export = db.session.scalar(select(DataExport).where(DataExport.token_hash == _hash(token or "")))
    if export is None or user.id not in (export.user_id, export.requested_by_id):
        raise NotFound(_("Fant ikke nedlastingen."))
    return export


def export_folder() -> str:
    return current_app.config["EXPORT_FOLDER"]


def claim_download(user: User, export: DataExport):
    """Use the one-time link: the ZIP, opened, to send once before the link expires.

    The file is opened first (a link whose file is gone is refused without being used up),
    then claimed with one conditional UPDATE on the stored row, so of two requests at once
    only one gets it. Raises NotFound for someone else's export, ExportGone (410) when it was
    downloaded, has expired or is not ready. The caller closes the file (send_file does).
    """
    if user.id not in (export.user_id, export.requested_by_id):
        raise NotFound(_("Fant ikke nedlastingen."))
    gone = ExportGone(_("Lenken er brukt eller utløpt. Den virker bare én gang og i %(hours)s timer. "
                        "Du kan be om en ny nedlasting på Mine data.",
                        hours=current_app.config["EXPORT_LINK_HOURS"]))
    if export.status == ExportStatus.PENDING:
        raise ExportGone(_("Dataene dine er ikke ferdige ennå. Du får en melding når de er klare."))
    if export.status != ExportStatus.READY or not export.filename:
        raise gone
    try:
        handle = open(os.path.join(export_folder(), export.filename), "rb")  # noqa: SIM115 - returned
    except OSError:
        raise gone from None
    now = utcnow()
    claimed = db.session.execute(
        update(DataExport)
        .where(DataExport.id == export.id, DataExport.status == ExportStatus.READY,
               DataExport.expires_at > now)
        .values(status=ExportStatus.DOWNLOADED, downloaded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        handle.close()
        raise gone
    return handle


@dataclass
class BuildResult:
    built: int = 0
    failed: int = 0
    expired: int = 0
    removed: int = 0


def _remove(path: str) -> bool:
    try:
        os.remove(path)
    except FileNotFoundError:
        return False
    return True


def _tidy(now: datetime) -> tuple[int, int]:
    """Expire links past their time and delete files that were downloaded or expired."""
    expired = db.session.execute(
        update(DataExport)
        .where(DataExport.status == ExportStatus.READY, DataExport.expires_at <= now)
        .values(status=ExportStatus.EXPIRED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    removed = 0
    done = (ExportStatus.DOWNLOADED, ExportStatus.EXPIRED, ExportStatus.FAILED)
    for export_id, filename in db.session.execute(
        select(DataExport.id, DataExport.filename)
        .where(DataExport.status.in_(done), DataExport.filename.is_not(None))
    ).all():
        removed += _remove(os.path.join(export_folder(), filename))
        db.session.execute(update(DataExport).where(DataExport.id == export_id).values(filename=None))
    db.session.commit()
    return expired, removed + _remove_orphans(now)


def _remove_orphans(now: datetime) -> int:
    """Files no export refers to any more (its person was erased, a build crashed).

    Only those older than ORPHAN_AGE: a build renames its file before it commits the row.
    """
    folder = export_folder()
    if not os.path.isdir(folder):
        return 0
    known = set(db.session.scalars(select(DataExport.filename).where(DataExport.filename.is_not(None))))
    removed = 0
    for name in os.listdir(folder):
        if not EXPORT_FILE.match(name) or name in known:
            continue
        path = os.path.join(folder, name)
        try:
            old = now.timestamp() - os.path.getmtime(path) > ORPHAN_AGE.total_seconds()
        except OSError:
            continue
        if old:
            removed += _remove(path)
    return removed


def _build_one(export_id: int, now: datetime) -> bool | None:
    """Build one pending export; None when another run has it (locked) or it is gone."""
    stmt = select(DataExport).where(DataExport.id == export_id, DataExport.status == ExportStatus.PENDING)
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    export = db.session.scalar(stmt)
    if export is None:
        db.session.rollback()
        return None
    folder = export_folder()
    os.makedirs(folder, exist_ok=True)
    filename = f"{secrets.token_hex(16)}.zip"
    partial = os.path.join(folder, filename + ".part")
    try:
        with open(partial, "wb") as out:
            write_zip(export.user, out)
        os.replace(partial, os.path.join(folder, filename))
    except Exception as error:  # one broken export must not stop the others
        _remove(partial)
        log.exception("data export %s failed", export_id)
        export.status = ExportStatus.FAILED
        export.error = type(error).__name__  # never the message: it may quote personal data
        db.session.commit()
        return False
    token = secrets.token_urlsafe(32)
    hours = int(current_app.config["EXPORT_LINK_HOURS"])
    export.status = ExportStatus.READY
    export.filename = filename
    export.size = os.path.getsize(os.path.join(folder, filename))
    export.token_hash = _hash(token)
    export.ready_at = now
    export.expires_at = now + timedelta(hours=hours)
    _tell_ready(export, token, hours)
    db.session.commit()
    return True


def _tell_ready(export: DataExport, token: str, hours: int) -> None:
    """A notice (no link: notices are stored) and an e-mail with the one-time link."""
    recipient = export.user
    if export.requested_by_id is not None:
        recipient = db.session.get(User, export.requested_by_id) or export.user
    link = external_url("privacy.download", token=token)
    notify(recipient, "privacy_export_ready", "privacy_export_ready", email=False,
           url=site_path("privacy.mine") if recipient.id == export.user_id
           else site_path("privacy.staff_person", user_id=export.user_id),
           person=export.user, hours=hours)
    if not recipient.email.endswith("@" + NO_EMAIL_DOMAIN):
        queue_templated(
            recipient.email, recipient.locale, "privacy_export_ready",
            _l("Dataene dine er klare til nedlasting"),
            action=(str(_l("Last ned dataene")), link), link=link, hours=hours,
            person=export.user, recipient=recipient,
        )


def build_exports(now: datetime | None = None) -> BuildResult:
    """`flask privacy build-exports`: tidy up, then build every pending export. Safe twice."""
    now = now or utcnow()
    result = BuildResult()
    result.expired, result.removed = _tidy(now)
    pending = db.session.scalars(
        select(DataExport.id).where(DataExport.status == ExportStatus.PENDING).order_by(DataExport.id)
    ).all()
    for export_id in pending:
        outcome = _build_one(export_id, now)
        if outcome is True:
            result.built += 1
        elif outcome is False:
            result.failed += 1
    return result
