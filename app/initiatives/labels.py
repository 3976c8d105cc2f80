"""How an initiative's status reads on the page: a text label (never colour alone) and a tag colour."""

from flask_babel import lazy_gettext as _l

from app.initiatives.models import InitiativeStatus

S = InitiativeStatus
STATUS_LABELS = {
    S.AWAITING_MODERATION: _l("Venter på godkjenning"),
    S.REFUSED: _l("Ikke godkjent"),
    S.COLLECTING: _l("Samler underskrifter"),
    S.EXPIRED: _l("Innsamlingen er avsluttet"),
    S.SUBMITTED: _l("Sendt til kommunestyret"),
    S.REJECTED_SAME_CONTENT: _l("Avvist: samme innhold som en tidligere sak"),
    S.DECIDED: _l("Vedtatt av kommunestyret"),
}

# Designsystemet data-color of the status tag; the text above carries the meaning.
STATUS_COLOURS = {
    S.AWAITING_MODERATION: "neutral",
    S.REFUSED: "danger",
    S.COLLECTING: "info",
    S.EXPIRED: "neutral",
    S.SUBMITTED: "warning",
    S.REJECTED_SAME_CONTENT: "neutral",
    S.DECIDED: "success",
}


def status_label(status) -> str:
    try:
        return str(STATUS_LABELS[InitiativeStatus(status)])
    except ValueError:
        return str(status)


def status_colour(status) -> str:
    try:
        return STATUS_COLOURS[InitiativeStatus(status)]
    except ValueError:
        return "neutral"
