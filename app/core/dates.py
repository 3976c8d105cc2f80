"""Calendar arithmetic the standard library lacks: whole months, clamped to the month's end."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months; a day the target month lacks becomes its last.

    31 August + 6 months is 28 (or 29) February; 29 February 2028 + 6 months is 29 August
    2028; 31 March - 1 month is 28/29 February. Negative `months` count backwards.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
