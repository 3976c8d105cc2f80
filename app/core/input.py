"""Hostile input stopped in one place: bounded ids and numbers, text the database cannot store,
and JSON bodies parsed once, with limits.

Registered by `init_app` before the blueprints (the `int` converter must be in place when their
rules are added). Views and API modules use `to_int` and `parsed_json`, never their own parsing.
"""

import json
from datetime import date
from typing import Any

from flask import Flask, g, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from app.core.errors import InvalidInput, ServiceError

# Every primary and foreign key is a PostgreSQL INTEGER; a larger id cannot exist, and asking the
# database for one is an error there (and an OverflowError in SQLite's driver past 2**63).
MAX_ID = 2**31 - 1
# Far beyond any list's last page, yet small enough that OFFSET (page - 1) * per_page fits.
MAX_PAGE = 100_000
MAX_JSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
# Amounts in whole kroner: far above any municipality's budget, far below BIGINT's limit.
MAX_KRONER = 10**12
# Dates a person can mean here; year 1 or 9999 overflows as soon as a time zone is applied.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


DIGITS = "0123456789"


class IdConverter(IntegerConverter):
    """The app's `int` converter: a path id above MAX_ID matches no route, so it is a 404
    before any view or query runs."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def to_int(value: Any, *, minimum: int | None = 1, maximum: int | None = MAX_ID) -> int | None:
    """A lenient whole number from a query argument or form value: None for nonsense and for
    anything outside [minimum, maximum], so a filter or id nobody can hold is simply no match."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        # int() would take 10_000; a person never means that, and 4300-digit strings are slow.
        digits = value[1:] if value[:1] in "+-" else value
        if not digits or len(value) > 30 or digits.strip(DIGITS):
            return None
    elif not isinstance(value, int):
        return None
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def to_kroner(value: Any, name: str) -> int | None:
    """An amount in whole kroner from a query argument ("12 000 000" and "12000000" alike), or
    None when empty. Raises InvalidInput (422) naming the field above MAX_KRONER."""
    # ASCII digits only: str.isdigit() is also true for "³" and "١", which int() refuses.
    raw = "".join(ch for ch in str(value or "") if ch in DIGITS)
    if not raw:
        return None
    if len(raw) > len(str(MAX_KRONER)) or int(raw) > MAX_KRONER:
        message = _("Beløpet kan være høyst %(max)s kroner.", max=f"{MAX_KRONER:,}".replace(",", " "))
        raise InvalidInput(message, fields={name: [message]})
    return int(raw)


def to_date(value: Any, name: str, *, strict: bool = False) -> date | None:
    """An ISO date (ÅÅÅÅ-MM-DD) between EARLIEST_DATE and LATEST_DATE. Nonsense is None, or with
    `strict` an InvalidInput (422) naming the field."""
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is not None and EARLIEST_DATE <= day <= LATEST_DATE:
        return day
    if not strict:
        return None
    raise date_error(name)


def date_error(name: str) -> InvalidInput:
    """The one message for a date we cannot use, on the field `name`."""
    message = _("Skriv datoen som ÅÅÅÅ-MM-DD, mellom %(first)s og %(last)s.",
                first=EARLIEST_DATE.isoformat(), last=LATEST_DATE.isoformat())
    return InvalidInput(message, fields={name: [message]})


def bad_text(value: str) -> bool:
    """True for text no database column can hold: a NUL character (PostgreSQL refuses it) or a
    lone UTF-16 surrogate (not a character at all; UTF-8 cannot encode it)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _bad_text_error(name: str) -> ServiceError:
    message = _(
        "Feltet %(name)s inneholder et tegn som ikke kan lagres (et NUL-tegn eller en ugyldig "
        "Unicode-kode). Fjern tegnet og prøv igjen.",
        name=name,
    )
    return ServiceError(message, fields={name: [message]})


def _check_pairs(pairs) -> None:
    for name, values in pairs:
        if bad_text(name):
            raise _bad_text_error(name.encode("utf-8", "replace").decode().replace("\x00", "?"))
        for value in values:
            if isinstance(value, str) and bad_text(value):
                raise _bad_text_error(name)


def _malformed(message: str) -> ServiceError:
    # 422 like every API error about the body's content, so clients handle one code.
    return InvalidInput(message, fields={"body": [message]})


def _reject_constant(name: str):
    raise ValueError(name)


def _check_json(value: Any, path: str = "", depth: int = 0) -> None:
    """Walk a decoded body: bounded depth, and no text the database cannot hold."""
    if depth > MAX_JSON_DEPTH:
        raise _malformed(_("JSON-innholdet er nøstet for dypt (høyst %(depth)s nivåer).", depth=MAX_JSON_DEPTH))
    if isinstance(value, str):
        if bad_text(value):
            raise _bad_text_error(path or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            if bad_text(key):
                raise _bad_text_error(path or "body")
            _check_json(item, f"{path}.{key}" if path else key, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{path}[{index}]", depth + 1)


def parse_json(raw: bytes) -> Any:
    """Decode a JSON body strictly. Raises InvalidInput (422) naming `body` for a body too large,
    not UTF-8, not JSON, nested too deep or with NaN, and ServiceError (400) naming the field that
    holds a NUL or a lone surrogate."""
    if len(raw) > MAX_JSON_BYTES:
        raise _malformed(_("JSON-innholdet er for stort (høyst %(kb)s kB).", kb=MAX_JSON_BYTES // 1024))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _malformed(_("Innholdet må være gyldig JSON i UTF-8.")) from None
    try:
        # Python's parser accepts NaN and Infinity, which JSON does not have.
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise _malformed(_("Innholdet må være gyldig JSON.")) from None
    _check_json(data)
    return data


_NO_BODY = object()


def parsed_json() -> Any:
    """The request's JSON body, parsed once (None when there is none)."""
    data = g.get("_parsed_json", _NO_BODY)
    if data is _NO_BODY:
        raw = request.get_data(cache=True)
        data = parse_json(raw) if raw.strip() else None
        g._parsed_json = data
    return data


def check_request() -> None:
    """Before every view: query arguments, form fields and JSON bodies with text the database
    cannot hold are a 400 naming the field. NUL and lone surrogates are never typed by a person
    (browsers send neither), so an honest refusal loses nobody's text."""
    _check_pairs(request.args.lists())
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            _check_pairs(request.form.lists())
        elif request.is_json or request.path.startswith("/api/"):
            parsed_json()


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_request)

