"""Forms of the privacy domain: they check shape; app/privacy/deletion.py checks the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

KEEP, REMOVE = "keep", "remove"


def _content_choice() -> RadioField:
    return RadioField(
        _l("Hva skal skje med det du har skrevet?"),
        choices=[
            (REMOVE, _l("Fjern ideene og kommentarene mine")),
            (KEEP, _l("La dem stå under «Tidligere deltaker», uten navnet mitt")),
        ],
        validators=[InputRequired(_l("Velg hva som skal skje med det du har skrevet."))],
    )


class DeleteAccountForm(FlaskForm):
    content = _content_choice()
    # Required for an account with a password (the service says so); an account that signs in
    # with ID-porten only proves itself with a recent sign-in instead.
    password = PasswordField(
        _l("Passordet ditt"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Vi spør for å være sikre på at det er du som sletter kontoen."),
        render_kw={"autocomplete": "current-password"},
    )

    @property
    def keep_content(self) -> bool:
        return self.content.data == KEEP


class StaffDeleteAccountForm(FlaskForm):
    content = RadioField(
        _l("Hva skal skje med det personen har skrevet?"),
        choices=[
            (REMOVE, _l("Fjern ideene og kommentarene")),
            (KEEP, _l("La dem stå under «Tidligere deltaker», uten navn")),
        ],
        validators=[InputRequired(_l("Velg hva personen ba om."))],
    )
    reason = TextAreaField(
        _l("Henvendelsen"),
        validators=[DataRequired(_l("Skriv hva personen ba om, og når.")), Length(max=1000)],
        description=_l("Hva personen ba om, når og hvordan (for eksempel «e-post 3. mars»). Lagres i moderasjonsloggen."),
    )

    @property
    def keep_content(self) -> bool:
        return self.content.data == KEEP
