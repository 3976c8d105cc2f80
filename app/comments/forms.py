"""Forms of the discussion: they check shape; services check the rules (length, duplicates, who)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired

from app.comments.services import MAX_LENGTH, MIN_LENGTH


def _body_field(label):
    return TextAreaField(
        label,
        validators=[DataRequired(_l("Skriv en kommentar."))],
        description=_l("%(min)d–%(max)d tegn. Lenker blir klikkbare. Du skriver under fullt navn.",
                       min=MIN_LENGTH, max=MAX_LENGTH),
    )


class CommentForm(FlaskForm):
    body = _body_field(_l("Kommentar"))
    parent_id = HiddenField()
    # Choices are the person's verified organisations, filled in by the view; the service
    # decides whether they may act for the one posted, so the refusal has a clear message.
    organisation_id = SelectField(_l("Skriv som"), choices=[], validate_choice=False)
    # The thread order the person was reading, so the redirect keeps it.
    comments = HiddenField()


class EditCommentForm(FlaskForm):
    body = _body_field(_l("Kommentar"))
