"""Form helpers: service errors shown next to their fields, nothing typed lost."""

from flask_wtf import FlaskForm

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
