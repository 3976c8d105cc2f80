"""What every API module uses: the JSON body and typed fields from it, the acting user,
pagination, URLs."""

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import InvalidInput, NotAuthenticated, ServiceError
from app.core.input import MAX_ID, bad_text, parsed_json
from app.core.pagination import page_args

_MISSING = object()


def json_body() -> dict:
    """The request's JSON object (parsed once, size and depth bounded in app/core/input.py);
    a 422 naming `body` for anything else."""
    data = parsed_json()
    if data is None:
        return {}
    if not isinstance(data, dict):
        message = _("Innholdet må være et JSON-objekt.")
        raise InvalidInput(message, fields={"body": [message]})
    return data


def bad_shape(name: str, message: str, error: type[ServiceError] = ServiceError) -> ServiceError:
    """A field of the wrong JSON type: a malformed request (400); content that breaks a rule is
    the service's 422. The portfolio API has always answered 422 for both: `error` keeps that."""
    return error(message, fields={name: [message]})


def text_field(data: dict, name: str, default: Any = None, *, max_length: int | None = None,
               required: bool = False, error: type[ServiceError] = ServiceError) -> str | None:
    """A string (or null/absent: `default`). Raises ServiceError (400) for another type, and
    InvalidInput (422) when required and missing or longer than max_length."""
    value = data.get(name, default)
    if value is None:
        if required:
            message = _("Fyll ut %(name)s.", name=name)
            raise InvalidInput(message, fields={name: [message]})
        return None
    if not isinstance(value, str):
        raise bad_shape(name, _("%(name)s må være tekst.", name=name), error)
    if bad_text(value):  # already refused for request bodies; defaults come from the database
        raise bad_shape(name, _("%(name)s inneholder et tegn som ikke kan lagres.", name=name), error)
    if max_length is not None and len(value) > max_length:
        message = _("%(name)s kan være høyst %(max)s tegn.", name=name, max=max_length)
        raise InvalidInput(message, fields={name: [message]})
    return value


def int_field(data: dict, name: str, default: Any = None, *, minimum: int | None = None,
              maximum: int | None = None, required: bool = False,
              error: type[ServiceError] = ServiceError) -> int | None:
    """A whole number within [minimum, maximum] (null/absent: `default`). Raises ServiceError
    (400) for another type (booleans and 1.5 included) and InvalidInput (422) out of range."""
    value = data.get(name, _MISSING)
    if value is _MISSING or value is None:
        if required:
            message = _("%(name)s må være et heltall.", name=name)
            raise bad_shape(name, message, error)
        return default
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_shape(name, _("%(name)s må være et heltall.", name=name), error)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if minimum is not None and maximum is not None:
            message = _("%(name)s må være et heltall fra %(min)s til %(max)s.", name=name,
                        min=minimum, max=maximum)
        elif minimum is not None:
            message = _("%(name)s må være minst %(min)s.", name=name, min=minimum)
        else:
            message = _("%(name)s kan være høyst %(max)s.", name=name, max=maximum)
        raise InvalidInput(message, fields={name: [message]})
    return value


def id_field(data: dict, name: str, default: Any = None, *, required: bool = False,
             error: type[ServiceError] = ServiceError) -> int | None:
    """An id (a positive whole number a database key can hold), or `default` when null, absent
    or the empty string. An id no row can have is a 422 naming the field, like a missing row."""
    if data.get(name) == "":
        return default
    value = int_field(data, name, default, required=required, error=error)
    if value is not None and value is not default and not 1 <= value <= MAX_ID:
        message = _("Fant ingen %(name)s med dette nummeret.", name=name)
        raise InvalidInput(message, fields={name: [message]})
    return value


def bool_field(data: dict, name: str, default: bool = False) -> bool:
    """true/false (null/absent: `default`); a 400 for any other type."""
    value = data.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise bad_shape(name, _("%(name)s må være true eller false.", name=name))
    return value


def int_list_field(data: dict, name: str, default: list[int], *, minimum: int, maximum: int) -> list[int]:
    """A list of whole numbers within [minimum, maximum] (null: empty); a 400 naming the field
    for anything else."""
    value = data.get(name, default)
    if value is None:
        return []
    if (not isinstance(value, list) or len(value) > 100
            or any(isinstance(v, bool) or not isinstance(v, int) or not minimum <= v <= maximum
                   for v in value)):
        raise bad_shape(name, _("%(name)s må være en liste med tall fra %(min)s til %(max)s.",
                                name=name, min=minimum, max=maximum))
    return value


def acting_user():
    """The authenticated user (session cookie or bearer token); 401 otherwise."""
    if not current_user or not current_user.is_authenticated:
        raise NotAuthenticated(_("Logg inn, eller send en personlig API-nøkkel i Authorization-headeren."))
    return current_user._get_current_object()


def api_page_args() -> tuple[int, int]:
    return page_args(default_per_page=20, max_per_page=100)


def page_json(page, serialise) -> dict:
    return {
        "items": [serialise(item) for item in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }
