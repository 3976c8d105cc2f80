"""Form helpers (service errors shown next to their fields, nothing typed lost) and site-wide forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.core.errors import ServiceError


def apply_errors(form: FlaskForm, error: ServiceError) -> None:
    """Put a service's field errors on the form's fields; the rest goes on form.form_errors."""
    placed = False
    for name, messages in (error.fields or {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors or []) + list(messages)
            placed = True
        else:
            form.form_errors.extend(messages)
            placed = True
    if not placed and error.message:
        form.form_errors.append(error.message)


class AccessibilityReportForm(FlaskForm):
    page = StringField(
        _l("Hvor på nettstedet?"),
        validators=[Optional(), Length(max=500)],
        description=_l("Adressen til siden, eller beskriv hvor du var. Du kan la feltet stå tomt."),
    )
    description = TextAreaField(
        _l("Hva er problemet?"),
        validators=[
            DataRequired(_l("Beskriv problemet du møtte.")),
            Length(max=4000, message=_l("Beskrivelsen kan være høyst 4000 tegn.")),
        ],
        description=_l("Fortell hva du prøvde å gjøre, og hva som hindret deg. Nevn gjerne hjelpemiddel og nettleser."),
    )
    email = EmailField(
        _l("E-postadresse (valgfritt)"),
        validators=[Optional(), Length(max=254), Email(_l("Skriv en gyldig e-postadresse, eller la feltet stå tomt."))],
        description=_l("Fyll ut hvis du vil ha svar."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
