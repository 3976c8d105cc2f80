"""The economic plan (handlings- og økonomiplan): its years, from PLAN_FIRST_YEAR and PLAN_YEARS."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

# A plan of more years than this is a typing mistake; the forms show one row per year.
MAX_PLAN_YEARS = 10


def _today() -> date:
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Oslo")
    return datetime.now(tz).date()


def plan_years() -> list[int]:
    """The plan's years in order, e.g. [2027, 2028, 2029, 2030].

    PLAN_FIRST_YEAR 0 (the default) means next calendar year in the site's time zone: the
    forum prioritises for the plan being prepared, and a server running past New Year moves
    on without a restart. PLAN_YEARS is kept within 1–10.
    """
    first = current_app.config.get("PLAN_FIRST_YEAR") or 0
    if not 1900 <= first <= 9990:
        first = _today().year + 1
    count = min(max(int(current_app.config.get("PLAN_YEARS") or 4), 1), MAX_PLAN_YEARS)
    return list(range(first, first + count))


def plan_period() -> tuple[date, date]:
    """The first and the last day of the plan (1 January of its first year, 31 December of its last)."""
    years = plan_years()
    return date(years[0], 1, 1), date(years[-1], 12, 31)
