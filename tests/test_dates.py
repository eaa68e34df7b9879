"""Dates as people write them, including the Government of Canada fiscal forms."""

from __future__ import annotations

import sys
import unicodedata
from datetime import date, timedelta

import pytest

from oagtrack.core.dates import (
    MAX_CHARS,
    DateError,
    Period,
    check_plainly_written,
    fiscal_label,
    fiscal_quarter_of,
    parse_date,
    parse_duration,
    parse_iso,
    parse_period,
)

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


@pytest.mark.parametrize(
    ("day", "label"),
    [(date(2020, 4, 1), "Q1 2020-21"), (date(2021, 3, 31), "Q4 2020-21"), (date(2020, 12, 31), "Q3 2020-21")],
)
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


# -- one grammar: ASCII digits, nothing around a date, bounded numbers (issue 11, class 8) ----------------
#: Every character Python's int() or str.isdigit() might take for a digit, besides 0-9.
OTHER_DIGITS = [chr(code) for code in range(0x80, sys.maxunicode + 1) if chr(code).isnumeric()]
#: Every character str.strip() would remove.
BLANKS = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]


def test_the_classes_are_large():
    """Full-width, Arabic-Indic, Devanagari... digits, superscripts, fractions,
    Roman numerals; tabs, line breaks, no-break and ideographic spaces."""
    assert len(OTHER_DIGITS) > 1_000 and {"２", "٢", "²", "⁰", "½", "Ⅻ", "०"} <= set(OTHER_DIGITS)
    assert {" ", "\t", "\n", "\u00a0", "\u3000", "\u2028"} <= set(BLANKS)


def _refused(parse, text: str) -> str:
    with pytest.raises(DateError) as caught:
        parse(text)
    return str(caught.value)


def test_a_digit_other_than_0_to_9_is_refused_wherever_a_number_is_read():
    """In the file (parse_iso), on the command line (parse_date,
    parse_duration), in a year, a day or a number of days."""
    readers = [parse_iso, lambda text: parse_date(text, TODAY), lambda text: parse_duration(text)]
    for char in OTHER_DIGITS:
        for parse, text in zip(readers, [f"2020-09-{char}0", f"{char}020-09-30", f"3{char}d"]):
            assert f"holds {char!r} (U+{ord(char):04X}), which is not one of the digits 0-9" in _refused(parse, text)
        assert "holds" in _refused(lambda text: parse_date(text, TODAY), f"Q2 202{char}-21")


def test_a_date_with_blanks_around_it_is_refused_in_the_file_and_on_the_command_line():
    for blank in BLANKS:
        for text in (f"{blank}2021-06-30", f"2021-06-30{blank}"):
            for parse in (parse_iso, lambda text: parse_date(text, TODAY)):
                assert "before or after it; write the date alone, as '2021-06-30'" in _refused(parse, text)


def test_a_digit_is_suggested_in_ascii_when_it_has_one():
    assert "write the date with ASCII digits, as '2020-09-30'" in _refused(parse_iso, "２０２０-０９-３０")
    assert "write the date with ASCII digits, as '2020-09-30'" in _refused(parse_iso, "٢٠٢٠-09-30")
    assert _refused(parse_iso, "2020-09-3½").endswith("write the date with ASCII digits")  # no digit to suggest


@pytest.mark.parametrize(
    "text",
    [
        "9" * 5_000,
        "+" + "9" * 5_000 + "d",
        "-" + "9" * 5_000,
        "Q2 " + "2" * 5_000 + "-21",
        "September 30, " + "9" * 5_000,
        "9" * (MAX_CHARS + 1),
    ],
    ids=["digits", "offset", "negative offset", "fiscal year", "words", "just too long"],
)
def test_a_number_too_long_to_mean_anything_is_refused_before_it_is_converted(text):
    """Python refuses to convert more than 4,300 digits (a ValueError, so exit 70): refused first, in one short line."""
    for parse in (
        parse_iso,
        lambda text: parse_date(text, TODAY),
        lambda text: parse_duration(text, allow_negative=True),
    ):
        message = _refused(parse, text)
        assert f"is {len(text):,} characters, too long to be a" in message and len(message) < 120


@pytest.mark.parametrize("text", ["+99999999d", "99999999d", "9999999w", "0000000000000000000000000000000000030d"])
def test_a_duration_is_bounded_by_its_value_not_its_zeros(text):
    if text.startswith("0"):
        assert parse_duration(text) == timedelta(days=30)
    else:
        assert "is longer than the years 1900 to 2999" in _refused(
            lambda t: parse_duration(t, allow_negative=True), text
        )


def test_a_list_of_durations_may_have_spaces_after_its_commas():
    """`--remind "30d, 7d"`: the one place blanks around a number are allowed, and only ASCII spaces."""
    assert parse_duration(" 7d ") == timedelta(days=7)
    assert "blank characters" in _refused(parse_duration, "\u00a07d")


def test_ascii_is_still_read_in_every_form():
    assert check_plainly_written("Q2 2020–21", "date") is None  # the en dash of fiscal years is not a digit
    assert parse_date("Q2 2020–21", TODAY) == date(2020, 9, 30)
    assert parse_date("30 Sep 2020", TODAY) == date(2020, 9, 30)
    assert unicodedata.digit("２") == 2 and "２".isdigit()  # what Python would otherwise have read
