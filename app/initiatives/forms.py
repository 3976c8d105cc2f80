"""Forms of innbyggerforslag: the shape of input only; services.py holds the rules.

The services check lengths, dates and addresses and name the field at fault; those messages
land next to the fields through core.forms.apply_errors, with what the person typed kept.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, TextAreaField

from app.ideas.forms import Required

SCAN_ACCEPT = "application/pdf,image/png,image/jpeg"


class InitiativeForm(FlaskForm):
    title = StringField(
        _l("Tittel"),
        description=_l("Kort og konkret, 10–150 tegn. For eksempel «Gratis busskort for ungdom»."),
        validators=[Required()], render_kw={"maxlength": 150, "autocomplete": "off"},
    )
    proposal = TextAreaField(
        _l("Hva skal kommunestyret ta stilling til?"),
        description=_l("Skriv forslaget slik kommunestyret kan vedta det, for eksempel «Kommunestyret ber "
                       "kommunedirektøren …». 20–3000 tegn."),
        validators=[Required()], render_kw={"rows": 5},
    )
    reasons = TextAreaField(
        _l("Begrunnelse"),
        description=_l("Hvorfor foreslår du dette, og hvem gjelder det? 20–6000 tegn."),
        validators=[Required()], render_kw={"rows": 8},
    )
    service_area_ids = SelectMultipleField(_l("Tema (ett til tre)"), validate_choice=False, coerce=str)
    contact_email = StringField(
        _l("E-post kommunen kan kontakte deg på"),
        description=_l("Bare kommunens ansatte ser adressen. Navnet ditt vises offentlig som forslagsstiller."),
        validators=[Required()], render_kw={"maxlength": 254, "autocomplete": "email", "type": "email"},
    )
    from_idea_id = HiddenField()


class SignForm(FlaskForm):
    confirmed_resident = BooleanField(validators=[Required()])
    show_name = BooleanField(_l("Vis navnet mitt i den offentlige listen over dem som har signert"))


class RefuseForm(FlaskForm):
    reason = TextAreaField(
        _l("Begrunnelse til forslagsstilleren"),
        description=_l("Hvilken av debattreglene bryter forslaget, og hva kan rettes? 10–2000 tegn."),
        validators=[Required()], render_kw={"rows": 4, "maxlength": 2000},
    )


class PaperForm(FlaskForm):
    count = StringField(
        _l("Antall underskrifter på papir"),
        description=_l("Tell gyldige underskrifter: én per person, med navn og underskrift."),
        validators=[Required()], render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 6},
    )
    scan = FileField(
        _l("Skanning av listene"),
        description=_l("PDF, PNG eller JPEG. Bare kommunens ansatte kan se den."),
        validators=[Required()], render_kw={"accept": SCAN_ACCEPT},
    )
    note = TextAreaField(_l("Merknad (valgfritt)"), render_kw={"rows": 2, "maxlength": 1000})


class DecisionForm(FlaskForm):
    case_number = StringField(_l("Saksnummer"), description=_l("For eksempel 2026/1234."),
                              validators=[Required()], render_kw={"maxlength": 60})
    meeting_date = StringField(_l("Møtedato"), description=_l("Datoen kommunestyret behandlet saken (ÅÅÅÅ-MM-DD)."),
                               validators=[Required()], render_kw={"type": "date"})
    text = TextAreaField(_l("Vedtaket"), description=_l("Vedtaket slik det står i protokollen."),
                         validators=[Required()], render_kw={"rows": 6})
    url = StringField(_l("Lenke til saken (valgfritt)"),
                      description=_l("For eksempel saken i eInnsyn eller kommunens postliste. Begynner med https://."),
                      render_kw={"maxlength": 500, "type": "url", "inputmode": "url"})


class SameContentForm(FlaskForm):
    case_number = StringField(_l("Saksnummer på den tidligere saken"), validators=[Required()],
                              render_kw={"maxlength": 60})
    case_title = StringField(_l("Tittel på den tidligere saken"), validators=[Required()],
                             render_kw={"maxlength": 200})
    case_date = StringField(_l("Datoen saken ble behandlet"),
                            description=_l("Må være i denne valgperioden (ÅÅÅÅ-MM-DD)."),
                            validators=[Required()], render_kw={"type": "date"})
    explanation = TextAreaField(_l("Forklaring (valgfritt)"), render_kw={"rows": 3, "maxlength": 2000})


class MeasureForm(FlaskForm):
    text = TextAreaField(_l("Hva er gjort?"), description=_l("Tiltaket vises offentlig på forslaget."),
                         validators=[Required()], render_kw={"rows": 4})
    carried_out_on = StringField(_l("Dato"), description=_l("Når tiltaket ble gjennomført (ÅÅÅÅ-MM-DD)."),
                                 validators=[Required()], render_kw={"type": "date"})
