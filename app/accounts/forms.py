"""Forms of the accounts domain: they check shape; services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, InputRequired, Length, Optional

from app.accounts.models import OrganisationKind, Role
from app.core.i18n import LOCALE_NAMES


def _required(message=None):
    return DataRequired(message=message or _l("Dette feltet må fylles ut."))


class RegisterForm(FlaskForm):
    full_name = StringField(
        _l("Fullt navn"),
        validators=[_required(_l("Skriv fullt navn.")), Length(max=120)],
        description=_l("Fornavn og etternavn. Debatten her føres under fullt navn."),
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-postadresse"),
        validators=[_required(_l("Skriv e-postadressen din.")), Length(max=254)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Passord"),
        validators=[_required(_l("Velg et passord."))],
        description=_l("Minst 10 tegn. Tre eller fire ord som ikke hører sammen, er lette å huske og vanskelige å gjette."),
        render_kw={"autocomplete": "new-password"},
    )
    accept_terms = BooleanField(
        _l("Jeg har lest personvernerklæringen og godtar at opplysningene mine lagres"),
        validators=[InputRequired(_l("Du må godta personvernvilkårene for å registrere deg."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-postadresse"),
        validators=[_required(_l("Skriv e-postadressen din."))],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Passord"),
        validators=[_required(_l("Skriv passordet ditt."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Husk meg på denne enheten"))


class FirstLoginForm(FlaskForm):
    """After a first sign-in with ID-porten, which proves who a person is but gives no name."""

    full_name = StringField(
        _l("Fullt navn"),
        validators=[_required(_l("Skriv fullt navn.")), Length(max=120)],
        description=_l("Fornavn og etternavn. Debatten her føres under fullt navn."),
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-postadresse (valgfritt)"),
        validators=[Optional(), Length(max=254)],
        description=_l("For varsler om idéene du følger. Vi sender en lenke for å bekrefte adressen."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    accept_terms = BooleanField(
        _l("Jeg har lest personvernerklæringen og godtar at opplysningene mine lagres"),
        validators=[InputRequired(_l("Du må godta personvernvilkårene for å registrere deg."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-postadresse"),
        validators=[_required(_l("Skriv e-postadressen din.")), Email(_l("Skriv en gyldig e-postadresse."))],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nytt passord"),
        validators=[_required(_l("Velg et passord."))],
        description=_l("Minst 10 tegn. Tre eller fire ord som ikke hører sammen, er lette å huske og vanskelige å gjette."),
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Nåværende passord"),
        validators=[_required(_l("Skriv det nåværende passordet ditt."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("Nytt passord"),
        validators=[_required(_l("Velg et nytt passord."))],
        description=_l("Minst 10 tegn. Tre eller fire ord som ikke hører sammen, er lette å huske og vanskelige å gjette."),
        render_kw={"autocomplete": "new-password"},
    )
    # Sessions end with the old password in any case; tokens are the person's choice, since a
    # system using one would stop working.
    revoke_api_tokens = BooleanField(
        _l("Trekk også tilbake alle API-nøklene mine"),
        description=_l("Gjør dette hvis du tror noen andre kan ha fått tak i passordet eller en nøkkel."),
    )


class ProfileForm(FlaskForm):
    full_name = StringField(
        _l("Fullt navn"),
        validators=[_required(_l("Skriv fullt navn.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(
        _l("Språk"),
        choices=[("", _l("Som nettleseren")), *list(LOCALE_NAMES.items())],
        validators=[Optional()],
    )


def organisation_kind_choices():
    return [
        (OrganisationKind.VOLUNTARY.value, _l("Frivillig organisasjon eller lag")),
        (OrganisationKind.BUSINESS.value, _l("Næringsliv")),
        (OrganisationKind.PUBLIC.value, _l("Offentlig virksomhet")),
        (OrganisationKind.OTHER.value, _l("Annet")),
    ]


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Navn på organisasjonen"),
        validators=[_required(_l("Skriv organisasjonens navn.")), Length(max=160)],
    )
    kind = RadioField(
        _l("Type organisasjon"),
        choices=organisation_kind_choices(),
        validators=[InputRequired(_l("Velg hva slags organisasjon det er."))],
    )
    org_number = StringField(
        _l("Organisasjonsnummer (valgfritt)"),
        validators=[Optional(), Length(max=11)],
        description=_l("Ni sifre. Uformelle lag uten organisasjonsnummer kan la feltet stå tomt."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    description = TextAreaField(
        _l("Beskrivelse (valgfritt)"), validators=[Optional(), Length(max=2000)]
    )
    website = URLField(
        _l("Nettside (valgfritt)"),
        # The column holds 300 characters; a longer address was a database error, not a message.
        validators=[Optional(), Length(max=300, message=_l("Adressen kan være høyst 300 tegn.")),
                    URL(message=_l("Skriv en hel adresse, for eksempel https://eksempel.no."))],
    )


class InviteMemberForm(FlaskForm):
    email = EmailField(
        _l("E-postadressen til personen"),
        validators=[_required(_l("Skriv e-postadressen til personen.")), Length(max=254)],
        description=_l("Personen får en invitasjon og blir medlem først når hen godtar den."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Begrunnelse"), validators=[_required(_l("Skriv en begrunnelse.")), Length(max=1000)]
    )


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Navn på nøkkelen"),
        validators=[_required(_l("Gi nøkkelen et navn.")), Length(max=80)],
        description=_l("For eksempel navnet på systemet som skal bruke den."),
    )


def role_choices():
    return [
        (Role.RESIDENT.value, _l("Innbygger")),
        (Role.MODERATOR.value, _l("Moderator")),
        (Role.PORTFOLIO_MANAGER.value, _l("Porteføljeforvalter")),
        (Role.ADMIN.value, _l("Administrator")),
    ]


class RoleForm(FlaskForm):
    role = SelectField(_l("Rolle"), choices=role_choices())


class AreasForm(FlaskForm):
    """The municipal areas a moderator's or portfolio manager's role is limited to (checkboxes;
    the service checks the ids, so a forged one is an error next to the field, not a 500)."""

    areas = SelectMultipleField(
        _l("Kommunalområder"), validate_choice=False,
        description=_l("Velg ingen for hele kommunen. Administratorer har alltid hele kommunen."),
    )


class BlockForm(FlaskForm):
    reason = TextAreaField(
        _l("Begrunnelse"), validators=[_required(_l("Skriv en begrunnelse.")), Length(max=1000)]
    )
