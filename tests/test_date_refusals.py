"""A date the CLI cannot read is a usage error that names the character, the missing part or the range at fault."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.dates import DateError, parse_date

runner = CliRunner()
TODAY = date(2021, 1, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2020-09-3\x01",
            r"'2020-09-3\x01' holds the control character U+0001; write the date with ASCII characters",
        ),
        (
            "2020-09-30\u200b",
            r"'2020-09-30\u200b' holds the invisible character U+200B; write the date with ASCII characters",
        ),
        (
            "September 2020",
            "'September 2020' has no day of the month; write it in full, such as 2020-09-30",
        ),
        (
            "30 February 2021",
            "cannot read '30 February 2021' as a date: day is out of range for month: 30 February 2021",
        ),
        # An offset from a valid day can still land outside the years allowed: the message gives the day it reached.
        ("+400000d", "'+400000d' is 3116-04-01, outside the years 1900 to 2999"),
        ("-400000d", "'-400000d' is 0925-12-03, outside the years 1900 to 2999"),
    ],
)
def test_a_date_that_cannot_be_read_says_why(text, message):
    with pytest.raises(DateError) as caught:
        parse_date(text, TODAY)
    assert message == str(caught.value)


def test_an_unreadable_as_of_is_a_usage_error_naming_the_option(plan_copy):
    """Exit 2, nothing on standard output, and the reason after the option's name."""
    result = runner.invoke(app, ["status", "--as-of", "September 2020", "--plan", str(plan_copy)])
    assert (
        2,
        "",
        "Usage: oagtrack status [OPTIONS]\nTry 'oagtrack status -h' for help.\n\nError: Invalid value for --as-of:"
        " 'September 2020' has no day of the month; write it in full, such as 2020-09-30\n",
    ) == (result.exit_code, result.stdout, result.stderr)
