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
    skjemaet – ..."): a WTForms form in the template's context with an error (also one in a
    dict or list of forms, one per row), or, for a hand-made form, a truthy `errors` (the name
    every such view passes its messages under) or `form_errors_shown` set by the template
    (`{% set form_errors_shown = weight_errors %}`).
    """
    values = context.get_all()
    if values.get("form_errors_shown") or _truthy_errors(values.get("errors")):
        return True
    return any(form.errors or form.form_errors for value in values.values() for form in _forms_in(value))


def _truthy_errors(value) -> bool:
    return isinstance(value, dict | list | tuple) and bool(value)


def _forms_in(value) -> list[Form]:
    if isinstance(value, Form):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, Form)]
    return []
