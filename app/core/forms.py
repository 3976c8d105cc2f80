"""Form helpers: service errors shown next to their fields, nothing typed lost."""

from flask_wtf import FlaskForm
from jinja2 import pass_context
from wtforms import Form

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


@pass_context
def form_failed(context) -> bool:
    """Whether the page shows a form sent back with errors, for base.html's title ("Feil i
    skjemaet – ..."): any WTForms form in the template's context with an error, or a truthy
    `form_errors_shown` that a page with a hand-made form sets (`{% set form_errors_shown = errors %}`).
    """
    values = context.get_all()
    if values.get("form_errors_shown"):
        return True
    return any(isinstance(value, Form) and (value.errors or value.form_errors) for value in values.values())
