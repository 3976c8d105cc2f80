"""Forms of moderation: they check shape; the services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.moderation import labels
from app.moderation.models import NOTE_MAX, Decision

_TOO_LONG = _l("Teksten kan være høyst 1000 tegn.")


def report_reason_choices():
    return [(reason.value, text) for reason, text in labels.REPORT_REASONS.items()]


def decision_reason_choices(keys=None):
    keys = keys or tuple(labels.DECISION_REASONS)
    return [("", _l("Velg begrunnelse")), *[(key, labels.DECISION_REASONS[key]) for key in keys]]


def decision_choices():
    return [("", _l("Velg avgjørelse")), *[(d.value, text) for d, text in labels.DECISIONS.items()]]


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Hvorfor rapporterer du dette?"),
        choices=report_reason_choices(),
        validators=[InputRequired(_l("Velg hvorfor du rapporterer dette."))],
    )
    note = TextAreaField(
        _l("Kommentar til moderatorene (valgfritt)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_TOO_LONG)],
        description=_l("Høyst 1000 tegn. Bare moderatorene ser det du skriver her."),
    )


class DecisionForm(FlaskForm):
    """One decision on one item (the item page) or on several (the queue)."""

    decision = SelectField(
        _l("Avgjørelse"), choices=decision_choices(),
        validators=[DataRequired(_l("Velg en avgjørelse."))],
    )
    reason = SelectField(
        _l("Begrunnelse"), choices=decision_reason_choices(),
        validators=[DataRequired(_l("Velg en begrunnelse fra listen."))],
        description=_l("Når innholdet skjules, vises begrunnelsen offentlig der innholdet sto."),
    )
    note = TextAreaField(
        _l("Melding til forfatteren (valgfritt)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_TOO_LONG)],
        description=_l("Forfatteren får meldingen sammen med avgjørelsen. Høyst 1000 tegn."),
    )


class AppealForm(FlaskForm):
    text = TextAreaField(
        _l("Hvorfor mener du innlegget bør være synlig?"),
        validators=[DataRequired(_l("Skriv klagen din.")), Length(max=NOTE_MAX, message=_TOO_LONG)],
        description=_l("Høyst 1000 tegn. Du kan klage én gang, og avgjørelsen på klagen er endelig."),
    )


class BlockForm(FlaskForm):
    reason = TextAreaField(
        _l("Begrunnelse"),
        validators=[DataRequired(_l("Skriv en begrunnelse.")), Length(max=NOTE_MAX, message=_TOO_LONG)],
        description=_l("Personen ser begrunnelsen."),
    )
    until = DateField(
        _l("Blokkert til (valgfritt)"), validators=[Optional()],
        description=_l("Tom dato: blokkert til en moderator opphever blokkeringen."),
    )
    hide_content = BooleanField(_l("Skjul alle idéene og kommentarene til personen"))


class UnblockForm(FlaskForm):
    reason = TextAreaField(
        _l("Begrunnelse (valgfritt)"), validators=[Optional(), Length(max=NOTE_MAX, message=_TOO_LONG)]
    )


class NameFlagForm(FlaskForm):
    reason = TextAreaField(
        _l("Melding til personen (valgfritt)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_TOO_LONG)],
        description=_l("For eksempel hva som mangler. Personen kan ikke delta før navnet er rettet."),
    )


def decision_value(value: str) -> Decision | None:
    try:
        return Decision(value)
    except ValueError:
        return None
