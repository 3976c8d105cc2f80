"""How statuses read on the page: a text label (never colour alone) and a tag colour."""

from flask_babel import lazy_gettext as _l

from app.ideas.models import IdeaStatus

STATUS_LABELS = {
    IdeaStatus.SUBMITTED: _l("Sendt inn"),
    IdeaStatus.UNDER_REVIEW: _l("Til vurdering"),
    IdeaStatus.ACCEPTED: _l("Godtatt"),
    IdeaStatus.PLANNED: _l("Planlagt"),
    IdeaStatus.IN_PROGRESS: _l("Under arbeid"),
    IdeaStatus.IMPLEMENTED: _l("Gjennomført"),
    IdeaStatus.DECLINED: _l("Avslått"),
    IdeaStatus.MERGED: _l("Slått sammen"),
    IdeaStatus.WITHDRAWN: _l("Trukket tilbake"),
}

# Designsystemet data-color of the status tag; the text above carries the meaning.
STATUS_COLOURS = {
    IdeaStatus.SUBMITTED: "info",
    IdeaStatus.UNDER_REVIEW: "warning",
    IdeaStatus.ACCEPTED: "success",
    IdeaStatus.PLANNED: "info",
    IdeaStatus.IN_PROGRESS: "info",
    IdeaStatus.IMPLEMENTED: "success",
    IdeaStatus.DECLINED: "danger",
    IdeaStatus.MERGED: "neutral",
    IdeaStatus.WITHDRAWN: "neutral",
}


def status_label(status) -> str:
    try:
        return str(STATUS_LABELS[IdeaStatus(status)])
    except ValueError:
        return str(status)


def status_colour(status) -> str:
    try:
        return STATUS_COLOURS[IdeaStatus(status)]
    except ValueError:
        return "neutral"
