"""The registry of personal data: every column that refers to a person, exported or excluded.

The export (app/privacy/export.py) and the deletion work from what is declared here, and
tests/privacy/test_inventory.py walks the SQLAlchemy metadata: a new foreign key to
users.id, or a new column on users, that is neither exported nor excluded with a reason
fails the build, so nobody adds personal data that the person cannot see.
"""

from dataclasses import dataclass

from sqlalchemy import MetaData

# The export's sections, one JSON file each (<kind>.json); docs/export-format.md documents them.
KINDS = (
    "account",
    "organisations",
    "ideas",
    "votes",
    "endorsements",
    "comments",
    "reports",
    "moderation",
    "notices",
    "follows",
    "notice_preferences",
    "emails",
    "api_tokens",
    "sign_ins",
    "identities",
    "data_exports",
    "accessibility_reports",
    "initiatives",
    "signatures",
)


@dataclass(frozen=True)
class Exported:
    """The column's rows are in the export, in the file of `kind`."""

    kind: str


@dataclass(frozen=True)
class Excluded:
    """Deliberately left out of the export; `reason` says why (for the reviewer and the DPO)."""

    reason: str


Entry = Exported | Excluded

_STAFF_WORK = (
    "staff work done for the municipality (an official act on someone else's data), not "
    "personal data of the person as a participant; kept in the municipality's case records"
)

# Every foreign key to users.id, as "table.column".
USER_REFERENCES: dict[str, Entry] = {
    "accessibility_reports.reporter_id": Exported("accessibility_reports"),
    "accessibility_reports.handled_by_id": Excluded(_STAFF_WORK),
    "api_tokens.user_id": Exported("api_tokens"),
    "appeals.author_id": Exported("moderation"),
    "appeals.decided_by_id": Excluded(_STAFF_WORK),
    "assessments.assessor_id": Excluded(_STAFF_WORK + " (project scores)"),
    "comments.author_id": Exported("comments"),
    "competence_group_members.user_id": Excluded(_STAFF_WORK + " (membership of the forum's competence groups)"),
    "data_exports.user_id": Exported("data_exports"),
    "data_exports.requested_by_id": Excluded(
        "the staff member who exported someone else's data on their behalf; that person's "
        "export says `requested_by_staff`, and the audit log keeps who"
    ),
    "decisions.recorded_by_id": Excluded(_STAFF_WORK + " (forum decisions)"),
    "endorsements.endorsed_by_id": Exported("endorsements"),
    "follows.user_id": Exported("follows"),
    "identities.user_id": Exported("identities"),
    "ideas.author_id": Exported("ideas"),
    "initiative_measures.recorded_by_id": Excluded(_STAFF_WORK + " (measures after an innbyggerforslag)"),
    "initiative_paper_batches.registered_by_id": Excluded(
        _STAFF_WORK + " (paper signature lists registered; the row is their record of who and when)"
    ),
    "initiative_signatures.user_id": Exported("signatures"),
    "initiatives.decided_by_id": Excluded(_STAFF_WORK + " (the council's decision recorded)"),
    "initiatives.moderated_by_id": Excluded(_STAFF_WORK + " (pre-moderation of innbyggerforslag)"),
    "initiatives.proposer_id": Exported("initiatives"),
    "initiatives.rejected_by_id": Excluded(_STAFF_WORK + " (an innbyggerforslag refused as the same content)"),
    "invitations.invited_by_id": Exported("organisations"),
    "invitations.answered_by_id": Exported("organisations"),
    "meeting_participants.user_id": Excluded(_STAFF_WORK + " (taking part in the forum's meetings)"),
    "meetings.created_by_id": Excluded(_STAFF_WORK + " (the forum's meetings)"),
    "memberships.user_id": Exported("organisations"),
    "moderation_actions.actor_id": Excluded(_STAFF_WORK + " (moderation decisions)"),
    "moderation_actions.subject_user_id": Exported("moderation"),
    "moderation_cases.author_id": Exported("moderation"),
    "moderation_cases.decided_by_id": Excluded(_STAFF_WORK),
    "notice_preferences.user_id": Exported("notice_preferences"),
    "notices.user_id": Exported("notices"),
    "organisations.created_by_id": Exported("organisations"),
    "organisations.verified_by_id": Excluded(_STAFF_WORK + " (organisation verification)"),
    "plan_budgets.updated_by_id": Excluded(_STAFF_WORK + " (the economic plan's budget per year)"),
    "project_changes.actor_id": Excluded(_STAFF_WORK + " (the projects' audit log)"),
    "project_ideas.linked_by_id": Excluded(_STAFF_WORK + " (links from ideas to projects)"),
    "project_phase_changes.changed_by_id": Excluded(_STAFF_WORK + " (project phases)"),
    "project_updates.author_id": Excluded(_STAFF_WORK + " (project progress notes)"),
    "projects.created_by_id": Excluded(_STAFF_WORK + " (the portfolio)"),
    "projects.responsible_id": Excluded(_STAFF_WORK + " (the portfolio)"),
    "reports.reporter_id": Exported("reports"),
    "reports.resolved_by_id": Excluded(_STAFF_WORK),
    "sign_ins.user_id": Exported("sign_ins"),
    "status_changes.changed_by_id": Excluded(
        _STAFF_WORK + "; the answers to the person's own ideas are exported with them, "
        "without the staff member's name"
    ),
    "user_municipal_areas.user_id": Excluded(
        _STAFF_WORK + " (the municipal areas an admin limits a staff member's role to; each "
        "change is in the moderation log with the role changes)"
    ),
    "votes.user_id": Exported("votes"),
}

# Every column of users itself: the account file, or why not.
USER_COLUMNS: dict[str, Entry] = {
    "id": Exported("account"),
    "email": Exported("account"),
    "full_name": Exported("account"),
    "locale": Exported("account"),
    "role": Exported("account"),
    "confirmed_at": Exported("account"),
    "is_blocked": Exported("account"),
    "blocked_reason": Exported("account"),
    "blocked_until": Exported("account"),
    "name_flagged_at": Exported("account"),
    "name_flag_reason": Exported("account"),
    "created_at": Exported("account"),
    "last_seen_at": Exported("account"),
    "deletion_requested_at": Exported("account"),
    "deletion_keep_content": Exported("account"),
    "inactivity_warned_at": Exported("account"),
    "password_hash": Excluded("a secret: the hash would only help someone guess the password"),
    "session_token": Excluded("a secret: it would let whoever holds the file forge a session"),
}

# Personal data that no foreign key points to: matched by the person's e-mail address.
OTHER_PERSONAL_DATA: dict[str, Entry] = {
    "outbox_messages.to_address": Exported("emails"),
    "accessibility_reports.email": Exported("accessibility_reports"),
    "invitations.email": Exported("organisations"),
    "initiatives.contact_email": Exported("initiatives"),
    "initiative_signatures.identity_hash": Excluded(
        "the signer's identity's keyed hash (identities.person_hash), kept only so a second account "
        "of the same person cannot sign again; as person_hash, never exported"
    ),
    "identities.person_hash": Excluded(
        "a keyed hash of the national identity number: no use to the person, and with the key "
        "it would confirm a guessed number; the export says which identity, never the hash"
    ),
    "identities.subject_hash": Excluded("a keyed hash of the provider's subject; as person_hash"),
    "api_tokens.token_hash": Excluded("a secret's hash; the export names the token and its prefix"),
    "sign_ins.session_hash": Excluded(
        "a keyed hash of the provider's session id, kept to end that session at front-channel "
        "logout; a secret, and meaningless to the person"
    ),
    "data_exports.token_hash": Excluded("a secret's hash (the one-time download link)"),
}


def user_references(metadata: MetaData) -> list[str]:
    """Every "table.column" with a foreign key to users.id, from the metadata itself."""
    found = set()
    for table in metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table.name == "users" and fk.column.name == "id":
                found.add(f"{table.name}.{fk.parent.name}")
    return sorted(found)


def problems(metadata: MetaData) -> list[str]:
    """What the registry does not account for (empty when every piece is declared).

    A reference to users that is neither exported nor excluded, a users column not declared,
    a declared column that no longer exists, an excluded entry without a reason, or an
    unknown kind.
    """
    found: list[str] = []
    references = user_references(metadata)
    for name in references:
        if name not in USER_REFERENCES:
            found.append(f"{name}: refers to users but is neither exported nor excluded")
    for name in sorted(set(USER_REFERENCES) - set(references)):
        found.append(f"{name}: declared, but no such reference to users exists")
    users = metadata.tables.get("users")
    columns = {c.name for c in users.columns} if users is not None else set()
    for name in sorted(columns - set(USER_COLUMNS)):
        found.append(f"users.{name}: a column of users neither exported nor excluded")
    for name in sorted(set(USER_COLUMNS) - columns):
        found.append(f"users.{name}: declared, but users has no such column")
    for name in OTHER_PERSONAL_DATA:
        table, _sep, column = name.partition(".")
        if table not in metadata.tables or column not in metadata.tables[table].columns:
            found.append(f"{name}: declared, but no such column exists")
    for name, entry in {**USER_REFERENCES, **OTHER_PERSONAL_DATA,
                        **{f"users.{c}": e for c, e in USER_COLUMNS.items()}}.items():
        if isinstance(entry, Excluded) and len(entry.reason.strip()) < 10:
            found.append(f"{name}: excluded without a reason")
        if isinstance(entry, Exported) and entry.kind not in KINDS:
            found.append(f"{name}: exported to an unknown kind {entry.kind!r}")
    return found
