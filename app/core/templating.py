"""Jinja filters for dates, numbers and money in the reader's language."""

from datetime import UTC, date, datetime
from functools import lru_cache

from babel.dates import parse_pattern
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask, g, has_app_context
from flask_babel import format_decimal, format_timedelta, get_locale, get_timezone

from app.core.db import as_utc, utcnow
from app.core.forms import form_failed
from app.core.i18n import current_locale

# Day, abbreviated month, year: "3. nov. 2026" in bokmål and nynorsk, "3 Nov 2026" in
# English (CLDR's English "medium" is the American "Nov 3, 2026").
DATE_PATTERNS = {"nb": "d. MMM y", "nn": "d. MMM y", "en": "d MMM y"}
DATETIME_PATTERNS = {"nb": "d. MMM y HH:mm", "nn": "d. MMM y HH:mm", "en": "d MMM y, HH:mm"}


def format_day(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date (or a moment's date, in the site's time zone) in the current language.

    "medium" is the platform's own pattern; any other is a CLDR pattern such as "LLLL y".
    """
    if value is None:
        return ""
    code, locale, zone = _writing()
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(zone)
    return parse_pattern(DATE_PATTERNS[code] if fmt == "medium" else fmt).apply(value, locale)


def format_moment(value: datetime | None) -> str:
    """A date and time of day in the current language: "3 Nov 2026, 14:05" in English."""
    if not value:
        return ""
    code, locale, zone = _writing()
    return parse_pattern(DATETIME_PATTERNS[code]).apply(as_utc(value).astimezone(zone), locale)


# Flask-Babel's format_date() and format_datetime() look the locale, the time zone and the
# pattern up again on every call (29 µs a moment; a thread page shows fifty). The same Babel
# pattern applied directly (Babel keeps it parsed) writes the same text in a third of that.
def _writing():
    """(language code, Babel locale, time zone) of the text being written now."""
    code = current_locale()
    if not has_app_context():
        return code, get_locale(), get_timezone()
    kept = g.get("_writing")
    # Keyed by the language: force_locale (an e-mail in the recipient's language) changes it.
    if kept is None or kept[0] != code:
        kept = g._writing = (code, get_locale(), get_timezone())
    return kept


# A page shows the same few dates many times (a list's "created" and "updated" days): each
# distinct value is formatted once per request and language. The cap bounds a long app
# context (a CLI job sending many e-mails).
_FORMATTED_CAP = 2048


def _per_request(format_function):
    def memoised(value, *args):
        if value is None or not has_app_context():
            return format_function(value, *args)
        cache = g.setdefault("_formatted_dates", {})
        key = (format_function, current_locale(), value, args)
        try:
            return cache[key]
        except KeyError:
            pass
        except TypeError:  # not hashable: formatted every time
            return format_function(value, *args)
        if len(cache) >= _FORMATTED_CAP:
            cache.clear()
        result = cache[key] = format_function(value, *args)
        return result

    memoised.__name__ = format_function.__name__
    memoised.__doc__ = format_function.__doc__
    return memoised


_day = _per_request(format_day)
_datetime = _per_request(format_moment)


def _date(value: date | datetime | None, fmt: str = "medium") -> str:
    # A moment as its day in the site's time zone first, so moments of one day share a line.
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(get_timezone()).date()
    return _day(value, fmt)


def _ago(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_timedelta(as_utc(value) - utcnow(), add_direction=True, granularity="minute")


def iso_moment(value: date | datetime | None) -> str:
    """A machine-readable moment for `<time datetime>`: whole seconds in UTC with Z
    ("2026-11-03T14:05:09Z"), a date as "2026-11-03". The HTML standard allows at most
    three digits of a second and the W3C checker rejects the six Python writes.
    """
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    return as_utc(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value) -> str:
    value = value or 0
    if type(value) is int:
        return _whole_number(value)
    return format_decimal(value)


def _whole_number(value: int) -> str:
    """format_decimal() of a whole number, without its look-ups per call (the board writes a
    few hundred amounts): digits in threes with the language's group sign ("1 234 567" with
    no-break spaces in Norwegian, "1,234,567" in English)."""
    group = _sign(get_group_symbol, current_locale())
    text = f"{abs(value):,}"
    if group != ",":
        text = text.replace(",", group)
    return "-" + text if value < 0 else text


@lru_cache(maxsize=16)
def _sign(symbol, code: str) -> str:
    """A number symbol of a language (Babel's get_group_symbol or get_decimal_symbol), once."""
    return symbol(code)


def _score(value) -> str:
    """A score with two decimals and the language's decimal sign: "3,40" in bokmål and
    nynorsk, "3.40" in English. The board writes 850 of them, so not through format_decimal()."""
    if value is None:
        return ""
    text = f"{value:.2f}"
    sign = _sign(get_decimal_symbol, current_locale())
    return text.replace(".", sign) if sign != "." else text


def _nok(value) -> str:
    if value is None:
        return ""
    return f"{_whole_number(value) if type(value) is int else format_decimal(value)} kr"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=_date, datetime=_datetime, iso=iso_moment, ago=_ago, number=_number, nok=_nok, score=_score,
    )
    app.jinja_env.globals["now"] = utcnow
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["form_failed"] = form_failed


def field_attrs(field, describedby: str = "") -> dict:
    """HTML attributes for a form control: Designsystemet class, error state, descriptions."""
    attrs = {"class": "ds-input"}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.type == "SelectField" and field.flags.required and not _has_placeholder(field):
        # HTML allows `required` on a one-line select only when its first option is an empty
        # placeholder; a select that always has a choice needs no browser check (the form has one).
        attrs["required"] = False
    if describedby:
        attrs["aria-describedby"] = describedby
    return attrs


def _has_placeholder(field) -> bool:
    first = next(iter(field.iter_choices()), None)
    return first is not None and first[0] in ("", None)
