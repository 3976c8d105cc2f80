"""Dates in the reader's language: "3. nov. 2026" in bokmål and nynorsk, "3 Nov 2026" in
English (not the American "Nov 3, 2026"), on pages, in date-times and in e-mail."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.moderation import services as moderation
from app.notifications.models import OutboxMessage
from tests.factories import login, make_user
from tests.ideas.factories import make_idea

DAY = date(2026, 11, 3)
# 13:05 UTC is 14:05 in Oslo in November (the site's time zone).
MOMENT = datetime(2026, 11, 3, 13, 5, tzinfo=UTC)

EXPECTED = {
    "nb": {"date": "3. nov. 2026", "datetime": "3. nov. 2026 14:05", "month": "november 2026"},
    "nn": {"date": "3. nov. 2026", "datetime": "3. nov. 2026 14:05", "month": "november 2026"},
    "en": {"date": "3 Nov 2026", "datetime": "3 Nov 2026, 14:05", "month": "November 2026"},
}


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_date_filters_in_each_language(app, locale):
    with app.test_request_context(), force_locale(locale):
        out = render_template_string(
            "{{ day | date }}|{{ moment | date }}|{{ moment | datetime }}|{{ day | date('LLLL y') }}",
            day=DAY, moment=MOMENT,
        )
    expected = EXPECTED[locale]
    assert out.split("|") == [expected["date"], expected["date"], expected["datetime"], expected["month"]]


def test_a_moment_is_dated_in_the_sites_time_zone(app):
    late = datetime(2026, 11, 3, 23, 30, tzinfo=UTC)  # already 4 November in Oslo
    with app.test_request_context(), force_locale("en"):
        assert render_template_string("{{ m | date }} · {{ m | datetime }}", m=late) == "4 Nov 2026 · 4 Nov 2026, 00:30"


def test_nothing_gives_an_empty_string(app):
    with app.test_request_context(), force_locale("en"):
        assert render_template_string("[{{ none | date }}][{{ none | datetime }}][{{ none | iso }}]", none=None) == "[][][]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # What SQLite hands back: naive UTC, with microseconds (the W3C checker rejects six digits).
        (datetime(2026, 11, 3, 13, 5, 9, 123456), "2026-11-03T13:05:09Z"),
        (datetime(2026, 11, 3, 13, 5, 9, 999999, tzinfo=UTC), "2026-11-03T13:05:09Z"),
        # PostgreSQL hands back the session's zone: written as the same moment in UTC.
        (datetime(2026, 11, 3, 14, 5, 9, 500000, tzinfo=timezone(timedelta(hours=1))), "2026-11-03T13:05:09Z"),
        (DAY, "2026-11-03"),
    ],
)
def test_iso_writes_whole_seconds_in_utc_for_time_elements(app, value, expected):
    with app.test_request_context(), force_locale("nb"):
        assert render_template_string("{{ v | iso }}", v=value) == expected


def test_idea_page_time_elements_carry_no_fractions_of_a_second(client):
    idea = make_idea()
    idea.created_at = MOMENT.replace(second=9, microsecond=654321)
    db.session.commit()
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    stamps = re.findall(r'<time datetime="([^"]*)"', page)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", s) for s in stamps), stamps
    assert '<time datetime="2026-11-03T13:05:09Z">' in page


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_idea_page_dates_in_the_pages_language(client, locale):
    idea = make_idea()
    idea.created_at = MOMENT
    db.session.commit()
    page = client.get(f"/ideas/{idea.id}?lang={locale}").get_data(as_text=True)
    assert f'<time datetime="2026-11-03T13:05:00Z">{EXPECTED[locale]["date"]}</time>' in page
    if locale == "en":
        assert "Nov 3, 2026" not in page and "3. Nov" not in page


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_staff_page_date_times_in_the_pages_language(client, locale):
    admin = make_user(role=Role.ADMIN)
    person = make_user()
    person.created_at = MOMENT
    person.last_seen_at = MOMENT
    db.session.commit()
    login(client, admin)
    page = client.get(f"/admin/users/{person.id}?lang={locale}").get_data(as_text=True)
    assert EXPECTED[locale]["date"] in page
    assert EXPECTED[locale]["datetime"] in page


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_an_email_dates_in_the_recipients_language(app, locale):
    moderator = make_user(role=Role.MODERATOR)
    person = make_user(locale=locale)
    with force_locale("nb"):  # the moderator works in bokmål; the e-mail is the recipient's
        moderation.block_person(moderator, person, "Gjentatt hets", until=MOMENT.replace(year=2036))
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == person.email)).one()
    assert EXPECTED[locale]["datetime"].replace("2026", "2036") in mail.body
    if locale == "en":
        assert "Nov 3, 2026" not in mail.body



@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_the_quick_formatter_writes_what_flask_babel_writes(app, locale):
    """core.templating applies Babel's pattern itself (a thread page formats fifty moments):
    the text is Flask-Babel's, across summer time and the turn of the year."""
    from flask_babel import format_date, format_datetime

    from app.core.templating import DATE_PATTERNS, DATETIME_PATTERNS, format_day, format_moment

    start = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    moments = [start + timedelta(hours=7 * step, minutes=13 * step) for step in range(1300)]
    with app.test_request_context(), force_locale(locale):
        for moment in moments:
            assert format_moment(moment) == format_datetime(moment, DATETIME_PATTERNS[locale])
            assert format_day(moment) == format_datetime(moment, DATE_PATTERNS[locale])
            assert format_day(moment.date()) == format_date(moment.date(), DATE_PATTERNS[locale])
            assert format_day(moment, "LLLL y") == format_datetime(moment, "LLLL y")


def test_a_change_of_language_in_one_request_changes_the_words(app):
    """An e-mail in the recipient's language is written inside a page's request."""
    from app.core.templating import format_moment

    with app.test_request_context():
        with force_locale("en"):
            assert format_moment(MOMENT) == "3 Nov 2026, 14:05"
        with force_locale("nb"):
            assert format_moment(datetime(2026, 5, 3, 13, 5, tzinfo=UTC)) == "3. mai 2026 15:05"
        with force_locale("en"):
            assert format_moment(datetime(2026, 5, 3, 13, 5, tzinfo=UTC)) == "3 May 2026, 15:05"


@pytest.mark.parametrize(("locale", "expected"), [("nb", "3,40|4,00|2,67"), ("nn", "3,40|4,00|2,67"), ("en", "3.40|4.00|2.67")])
def test_scores_have_the_languages_decimal_sign(app, locale, expected):
    """The board's and the project page's scores: "3,40" in Norwegian, not "3.40"."""
    with app.test_request_context(), force_locale(locale):
        assert render_template_string("{{ 3.4 | score }}|{{ 4 | score }}|{{ (8 / 3) | score }}") == expected
        assert render_template_string("[{{ none | score }}]", none=None) == "[]"


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_amounts_are_written_as_babel_writes_them(app, locale):
    """The number and nok filters group whole numbers themselves (the board writes hundreds):
    the text is Babel's, negative amounts and decimals included."""
    from decimal import Decimal

    from flask_babel import format_decimal

    values = [0, 7, -7, 999, 1000, -1000, 12345, 999999, 1000000, -48250000, 2**40, Decimal("1234.5"), 1234.25]
    with app.test_request_context(), force_locale(locale):
        for value in values:
            out = render_template_string("{{ v | number }}|{{ v | nok }}", v=value)
            assert out == f"{format_decimal(value)}|{format_decimal(value)} kr", value
        assert render_template_string("[{{ none | nok }}]{{ none | number }}", none=None) == "[]0"
