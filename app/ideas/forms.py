"""Forms of the ideas domain.

The rules on an idea's content (lengths, at most three goals, alt text) live in
services._check, shared with the API, so the forms here only carry the input; the service's
messages land next to the fields through core.forms.apply_errors.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from app.ideas.images import MAX_IMAGES

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class Required:
    """Marks a field as required (asterisk, `required` attribute); the service checks it."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class IdeaForm(FlaskForm):
    title = StringField(
        _l("Tittel"),
        description=_l("Kort og konkret, 5–120 tegn. For eksempel «Tryggere skolevei i Nordbygda»."),
        validators=[Required()],
        render_kw={"maxlength": 120, "autocomplete": "off"},
    )
    body = TextAreaField(
        _l("Beskrivelse"),
        description=_l("Hva er problemet, og hva foreslår du? 20–5000 tegn. Lenker blir klikkbare."),
        validators=[Required()],
        render_kw={"rows": 8},
    )
    service_area_id = SelectField(_l("Tema"), validators=[Required()], validate_choice=False, coerce=str)
    sdgs = SelectMultipleField(_l("Bærekraftsmål"), validate_choice=False, coerce=str)
    place = StringField(
        _l("Sted (valgfritt)"),
        description=_l("En adresse, et område eller et stedsnavn, hvis idéen gjelder et bestemt sted."),
        render_kw={"maxlength": 200},
    )
    organisation_id = RadioField(_l("Hvem står bak idéen?"), validate_choice=False, coerce=str, default="")


def _add_image_slots(form_class) -> None:
    for n in range(1, MAX_IMAGES + 1):
        setattr(form_class, f"image_{n}", FileField(
            _l("Bilde %(n)d", n=n),
            description=_l("JPEG, PNG eller WebP, høyst 5 MB."),
            render_kw={"accept": IMAGE_ACCEPT},
        ))
        setattr(form_class, f"alt_{n}", StringField(
            _l("Hva viser bilde %(n)d?", n=n),
            description=_l("Kort tekst for dem som ikke ser bildet, for eksempel «Hull i asfalten foran skolen»."),
            render_kw={"maxlength": 300},
        ))
        setattr(form_class, f"decorative_{n}", BooleanField(_l("Bilde %(n)d er bare pynt og trenger ingen tekst", n=n)))
        # An upload kept from an earlier step (signed), or an image the idea already has.
        setattr(form_class, f"token_{n}", HiddenField())
        setattr(form_class, f"existing_{n}", HiddenField())
        setattr(form_class, f"remove_{n}", BooleanField(_l("Fjern bilde %(n)d", n=n)))


_add_image_slots(IdeaForm)


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Hvorfor trekker du idéen? (valgfritt)"),
        description=_l("Begrunnelsen vises offentlig på idéen. Høyst 1000 tegn."),
        render_kw={"rows": 4, "maxlength": 1000},
    )
