"""How moderation's keys read on the page: reasons, states, decisions and audit actions."""

from flask_babel import lazy_gettext as _l

from app.moderation.models import (
    AppealDecision,
    AuditAction,
    AuditTarget,
    CaseState,
    Decision,
    ReportReason,
    ReportResolution,
    TargetType,
)

REPORT_REASONS = {
    ReportReason.SPAM: _l("Reklame eller spam"),
    ReportReason.OFFENSIVE: _l("Hets, trusler eller krenkende innhold"),
    ReportReason.PERSONAL_DATA: _l("Personopplysninger om andre"),
    ReportReason.OFF_TOPIC: _l("Hører ikke hjemme her (utenfor temaet)"),
    ReportReason.OTHER: _l("Annet"),
}

# The reasons a moderator picks from. The label of a hiding reason is public: it stands in
# the placeholder where the hidden item was ("Skjult av moderatorene: <label>").
DECISION_REASONS = {
    "spam": _l("Reklame eller spam"),
    "offensive": _l("Hets, trusler eller krenkende innhold"),
    "personal_data": _l("Personopplysninger om andre"),
    "off_topic": _l("Utenfor temaet"),
    "illegal": _l("Ulovlig innhold"),
    "guidelines": _l("Brudd på retningslinjene for debatten"),
    "no_violation": _l("Bryter ikke retningslinjene"),
    "corrected": _l("Problemet er rettet"),
    "other": _l("Annet"),
}
HIDE_REASONS = ("spam", "offensive", "personal_data", "off_topic", "illegal", "guidelines", "other")
KEEP_REASONS = ("no_violation", "corrected", "other")
# The public reason while an item waits for a moderator after the report threshold hid it.
AUTO_HIDDEN_REASON = _l("Rapportert av flere lesere, venter på vurdering")
# A role limited to no municipal area, in the audit log's note of an area change.
WHOLE_MUNICIPALITY = _l("hele kommunen")
BLOCK_REASON = "guidelines"
# Audit-log notes, written in the default language like the rest of the log's data.
BLOCK_HIDE_NOTE = _l("Skjult da forfatteren ble blokkert")
BLOCK_UNTIL_NOTE = _l("til {until}")
BLOCK_HIDDEN_COUNT_NOTE = _l("{n} innlegg skjult")

TARGET_TYPES = {
    TargetType.IDEA: _l("Idé"),
    TargetType.COMMENT: _l("Kommentar"),
}

CASE_STATES = {
    CaseState.OPEN: _l("Åpen"),
    CaseState.HIDDEN: _l("Skjult, venter på vurdering"),
    CaseState.APPEALED: _l("Klage"),
    CaseState.RESOLVED: _l("Avgjort"),
}
CASE_STATE_COLOURS = {
    CaseState.OPEN: "warning",
    CaseState.HIDDEN: "danger",
    CaseState.APPEALED: "info",
    CaseState.RESOLVED: "neutral",
}

DECISIONS = {
    Decision.DISMISS: _l("Behold synlig"),
    Decision.HIDE: _l("Skjul"),
    Decision.RESTORE: _l("Gjenopprett"),
}

APPEAL_DECISIONS = {
    AppealDecision.GRANTED: _l("Klagen er tatt til følge, innlegget er synlig igjen"),
    AppealDecision.REJECTED: _l("Klagen er avslått, innlegget forblir skjult"),
}

REPORT_OUTCOMES = {
    None: _l("Under vurdering"),
    ReportResolution.UPHELD: _l("Skjult av moderatorene"),
    ReportResolution.DISMISSED: _l("Vurdert, fikk bli stående"),
}

AUDIT_ACTIONS = {
    AuditAction.HIDE: _l("Skjult"),
    AuditAction.RESTORE: _l("Gjenopprettet"),
    AuditAction.DISMISS: _l("Rapporter avvist"),
    AuditAction.BLOCK: _l("Blokkert"),
    AuditAction.UNBLOCK: _l("Blokkering opphevet"),
    AuditAction.NAME_FLAGGED: _l("Navn markert"),
    AuditAction.NAME_CORRECTED: _l("Navn rettet"),
    AuditAction.ORGANISATION_VERIFIED: _l("Organisasjon verifisert"),
    AuditAction.ORGANISATION_REJECTED: _l("Organisasjon avvist"),
    AuditAction.APPEAL_DECIDED: _l("Klage avgjort"),
    AuditAction.ROLE_CHANGED: _l("Rolle endret"),
    AuditAction.ACCOUNT_DELETED: _l("Konto slettet"),
    AuditAction.DATA_EXPORTED: _l("Data eksportert"),
}

AUDIT_TARGETS = {
    AuditTarget.IDEA: _l("Idé"),
    AuditTarget.COMMENT: _l("Kommentar"),
    AuditTarget.USER: _l("Person"),
    AuditTarget.ORGANISATION: _l("Organisasjon"),
}


def label(mapping: dict, key) -> str:
    """The label for a key (enum or its value); the key itself when unknown (free text)."""
    if key is None and None in mapping:
        return str(mapping[None])
    for candidate, text in mapping.items():
        if candidate is not None and (candidate == key or str(candidate) == str(key)):
            return str(text)
    return "" if key is None else str(key)


def reason_label(key: str | None) -> str:
    """A decision or report reason's label; free text (a block reason) as it is."""
    if not key:
        return ""
    if key in DECISION_REASONS:
        return str(DECISION_REASONS[key])
    return label(REPORT_REASONS, key)
