"""Jinja filters for dates, numbers and money in the reader's language."""

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_timedelta

from app.core.db import as_utc, utcnow


def _date(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(as_utc(value), "d. MMM y" if fmt == "medium" else fmt)
    return format_date(value, fmt)


def _datetime(value: datetime | None) -> str:
    return format_datetime(as_utc(value), "d. MMM y HH:mm") if value else ""


def _ago(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_timedelta(as_utc(value) - utcnow(), add_direction=True, granularity="minute")


def _number(value) -> str:
    return format_decimal(value or 0)


def _nok(value) -> str:
    return "" if value is None else f"{format_decimal(value)} kr"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=_date, datetime=_datetime, ago=_ago, number=_number, nok=_nok,
    )
    app.jinja_env.globals["now"] = utcnow
    app.jinja_env.globals["field_attrs"] = field_attrs


def field_attrs(field, describedby: str = "") -> dict:
    """HTML attributes for a form control: Designsystemet class, error state, descriptions."""
    attrs = {"class": "ds-input"}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if describedby:
        attrs["aria-describedby"] = describedby
    return attrs
