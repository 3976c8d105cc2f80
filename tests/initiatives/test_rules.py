"""The numbers of kommuneloven § 12-1: the threshold, the six-month deadline, the election period."""

from datetime import UTC, date, datetime

import pytest

from app.core.dates import add_months
from app.initiatives import services


@pytest.mark.parametrize(("population", "threshold"), [
    (5_000, 100),        # 2 % exactly
    (15_000, 300),       # 2 % is 300
    (700_000, 300),      # 300 is always enough
    (15_050, 300),       # 301 by share, capped
    (14_999, 300),       # 299.98 rounds up to 300
    (5_001, 101),        # 100.02 rounds up: ceil, not round
    (4_999, 100),        # 99.98 rounds up
    (50, 1),
    (1, 1),
    (0, 1),              # a misconfigured POPULATION never lets an empty list through
    (10_000, 200),
    (14_950, 299),
])
def test_threshold_is_two_percent_rounded_up_and_never_more_than_300(population, threshold):
    assert services.threshold_for(population) == threshold


def test_threshold_uses_whole_numbers_even_for_huge_populations():
    # A float would give ceil(0.02 * 10**17 + 1) wrongly; the cap hides it, the share must not.
    assert services.threshold_for(10**17 + 1) == 300
    assert services.threshold_for(4_950) == 99


def test_current_threshold_reads_population(app):
    app.config["POPULATION"] = 5_000
    assert services.current_threshold() == 100
    app.config["POPULATION"] = 700_000
    assert services.current_threshold() == 300


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 8, 31), 6, date(2027, 2, 28)),   # no 31 February: the month's last day
    (date(2027, 8, 31), 6, date(2028, 2, 29)),   # leap year: 29 February
    (date(2028, 2, 29), 6, date(2028, 8, 29)),   # from a leap day, the same day number
    (date(2026, 1, 15), 6, date(2026, 7, 15)),
    (date(2026, 12, 31), 6, date(2027, 6, 30)),  # across a year, June has 30 days
    (date(2026, 7, 31), 6, date(2027, 1, 31)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2100, 8, 31), 6, date(2101, 2, 28)),   # 2100 is no leap year
    (date(2099, 8, 31), 6, date(2100, 2, 28)),
    (date(2095, 8, 31), 6, date(2096, 2, 29)),
])
def test_add_months_clamps_to_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("submitted", "deadline"), [
    (datetime(2026, 8, 31, 10, 0, tzinfo=UTC), date(2027, 2, 28)),
    (datetime(2027, 8, 31, 10, 0, tzinfo=UTC), date(2028, 2, 29)),
    (datetime(2028, 2, 29, 10, 0, tzinfo=UTC), date(2028, 8, 29)),
    # 23:30 UTC on 31 July is 1 August in Oslo: the municipality's calendar day counts.
    (datetime(2026, 7, 31, 23, 30, tzinfo=UTC), date(2027, 2, 1)),
    # 22:30 UTC on 31 December (winter time, +1) is 23:30 in Oslo: still 31 December.
    (datetime(2026, 12, 31, 22, 30, tzinfo=UTC), date(2027, 6, 30)),
])
def test_decision_deadline_is_six_calendar_months_from_the_local_submission_day(app, submitted, deadline):
    assert services.decision_deadline(submitted) == deadline


@pytest.mark.parametrize(("setting", "today", "start"), [
    (0, date(2026, 12, 5), date(2023, 10, 1)),
    (0, date(2027, 9, 30), date(2023, 10, 1)),   # election in September, new council in October
    (0, date(2027, 10, 1), date(2027, 10, 1)),
    (0, date(2031, 10, 2), date(2031, 10, 1)),
    (2019, date(2026, 12, 5), date(2019, 10, 1)),
])
def test_election_period_start(app, setting, today, start):
    app.config["ELECTION_PERIOD_START_YEAR"] = setting
    assert services.election_period_start(today) == start
