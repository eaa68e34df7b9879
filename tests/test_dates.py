"""Dates as people write them, including the Government of Canada fiscal forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oagtrack.dates import DateError, Period, fiscal_label, fiscal_quarter_of, parse_date, parse_duration, parse_iso, parse_period

TODAY = date(2021, 1, 31)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Q1 2020-21", date(2020, 4, 1), date(2020, 6, 30)),
        ("Q2 2020-21", date(2020, 7, 1), date(2020, 9, 30)),
        ("Q3 2020-21", date(2020, 10, 1), date(2020, 12, 31)),
        ("Q4 2020-21", date(2021, 1, 1), date(2021, 3, 31)),
        ("Q1 2020-2021", date(2020, 4, 1), date(2020, 6, 30)),
        ("q2 fy2020-21", date(2020, 7, 1), date(2020, 9, 30)),
        ("2020-21 Q2", date(2020, 7, 1), date(2020, 9, 30)),
        ("FY2020-21", date(2020, 4, 1), date(2021, 3, 31)),
        ("FY 2023-24", date(2023, 4, 1), date(2024, 3, 31)),
        ("Q4 2023-24", date(2024, 1, 1), date(2024, 3, 31)),  # leap year February inside
    ],
)
def test_fiscal_periods(text, start, end):
    assert parse_period(text) == Period(start, end)


def test_a_quarter_means_its_last_day_for_as_of_and_its_first_for_since():
    assert parse_date("Q2 2020-21", TODAY) == date(2020, 9, 30)
    assert parse_date("Q2 2020-21", TODAY, end_of_period=False) == date(2020, 7, 1)


@pytest.mark.parametrize(("day", "label"), [(date(2020, 4, 1), "Q1 2020-21"), (date(2021, 3, 31), "Q4 2020-21"), (date(2020, 12, 31), "Q3 2020-21")])
def test_fiscal_quarter_of_a_day(day, label):
    assert fiscal_label(day) == label
    assert day in fiscal_quarter_of(day)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-01-31", date(2021, 1, 31)),
        ("today", TODAY),
        ("yesterday", date(2021, 1, 30)),
        ("+30d", date(2021, 3, 2)),
        ("-2w", date(2021, 1, 17)),
        ("September 30, 2020", date(2020, 9, 30)),
        ("30 Sep 2020", date(2020, 9, 30)),
    ],
)
def test_command_line_dates(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-02-30", "2021-02-30 is not a date: February 2021 has 28 days"),
        ("2020-13-01", "2020-13-01 is not a date: there is no month 13"),
        ("September 30", "'September 30' has no year; write it in full, such as 2020-09-30"),
        ("30/09/2020", "cannot read '30/09/2020' as a date"),
        ("Q2 2020-22", "'Q2 2020-22' is not a fiscal year: 2020 is followed by 2021"),
        ("", "empty date"),
        ("0000-01-01", "0000-01-01 is outside the years 1900 to 2999"),
        ("9999-12-31", "9999-12-31 is outside the years 1900 to 2999"),
        ("+9999999999d", "'+9999999999d' is longer than the years 1900 to 2999"),
        ("Q4 9999-00", "'Q4 9999-00' is outside the years 1900 to 2999"),
        ("2021-01", "'2021-01' has no day of the month; write it in full, such as 2021-01-01"),
        ("2021-1", "'2021-1' has no day of the month; write it in full, such as 2021-01-01"),
        ("2021-13", "'2021-13' is not a date: there is no month 13"),
        ("December 31, 0001", "'December 31, 0001' is outside the years 1900 to 2999"),
    ],
)
def test_bad_dates_say_why(text, message):
    with pytest.raises(DateError) as caught:
        parse_date(text, TODAY)
    assert str(caught.value).startswith(message)


def test_parse_iso_is_strict():
    assert parse_iso("2020-02-29") == date(2020, 2, 29)
    with pytest.raises(DateError, match="is not a date in the form YYYY-MM-DD"):
        parse_iso("2020-2-9")


def test_durations():
    assert parse_duration("30d") == timedelta(days=30)
    assert parse_duration("2w") == timedelta(days=14)
    assert parse_duration("90") == timedelta(days=90)
    with pytest.raises(DateError, match="negative"):
        parse_duration("-5d")
    with pytest.raises(DateError, match="cannot read"):
        parse_duration("soon")
