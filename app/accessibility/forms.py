"""The problem report form on the accessibility statement: it checks shape; the service checks the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional


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
