"""Exit 70 is for bugs only: every hostile number, date and output stream gets its ordinary answer.

A number or date on the command line is refused as a usage error (exit 2,
one `Error:` line naming the option), whatever its digits or its length; a
plan holding one is refused as invalid (exit 1, FILE:LINE:COL); a standard
output that is closed, whose reader leaves, or that cannot be written is
never an internal error. The options are found from the app itself, so a new
date or duration option is covered the day it is added.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from conftest import BUNDLED_PLAN, SMALL_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app, app_for, main

runner = CliRunner()


def invoke(args: list[str]):
    """Run a command line in process as `main` builds it: only the command named, which keeps these many runs quick."""
    return runner.invoke(app_for(args), args)


CORPUS = Path(__file__).parent / "bad"

#: The arguments each command needs besides the option tried, on SMALL_PLAN.
BASE_ARGS = {
    "show": ["1.1"],
    "complete": ["1.1", "--evidence", "e.pdf"],
    "start": ["1.1"],
    "revise": ["1.1", "--due", "2021-12-31", "--reason", "Late"],
    "note": ["1.1", "A note."],
    "verify": ["1.1", "--by", "Internal Audit"],
    "reopen": ["1.1", "--reason", "Not done"],
    "retire": ["1.1", "--reason", "Superseded"],
}

#: Dates no one can mean as written: digits other than 0-9, blanks around them, absurd lengths and sizes.
HOSTILE_DATES = {
    "full-width digits": "２０２０-09-30",
    "Arabic-Indic digits": "٢٠٢٠-٠٩-٣٠",
    "a superscript digit": "2020-09-3⁰",
    "a space before": " 2021-06-30",
    "a tab after": "2021-06-30\t",
    "5,000 digits": "9" * 5_000,
    "an offset of 5,000 digits": "+" + "9" * 5_000 + "d",
    "an offset of billions of days": "+99999999999d",
    "a quarter in full-width digits": "Q2 ２０２０-21",
    "a year far ahead": "December 31, 99999",
}

#: Numbers of days no one can mean as written.
HOSTILE_DURATIONS = {
    "5,000 digits": "9" * 5_000,
    "Arabic-Indic digits": "٣٠d",
    "a superscript digit": "3⁰d",
    "billions of days": "99999999999d",
    "weeks beyond the years allowed": "9999999w",
}


def _options_with_metavar(metavar: str) -> list[tuple[str, str]]:
    """(command, option) for every option of the app that takes a `metavar` (DATE, DAYS)."""
    group = typer.main.get_command(app)
    return [
        (name, param.opts[0])
        for name, command in group.commands.items()
        for param in command.params
        if param.metavar == metavar and param.opts[0].startswith("--")
    ]


DATE_OPTIONS = _options_with_metavar("DATE")
DURATION_OPTIONS = _options_with_metavar("DAYS")


def test_the_options_tried_are_every_date_and_duration_option():
    """The class is found, not listed: as-of, on, due, since, from, to; within, stale-after, remind."""
    assert {"--as-of", "--on", "--due", "--since", "--from", "--to"} == {option for _, option in DATE_OPTIONS}
    assert {"--within", "--stale-after", "--remind"} == {option for _, option in DURATION_OPTIONS}
    group = typer.main.get_command(app)
    needing_arguments = {
        name for name, command in group.commands.items() if any(param.required for param in command.params)
    }
    assert set() == {name for name, _ in DATE_OPTIONS + DURATION_OPTIONS} & needing_arguments - set(BASE_ARGS)


@pytest.fixture
def small_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    return path


def _command_line(command: str, option: str, value: str, plan: Path) -> list[str]:
    args = list(BASE_ARGS.get(command, []))
    if option in args:  # revise's own --due is the option tried
        at = args.index(option)
        del args[at : at + 2]
    return [command, *args, option, value, "--plan", str(plan)]


def _assert_usage_error(result, option: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith(("Error:", "oagtrack:"))]
    assert len(errors) == 1 and errors[0].startswith(f"Error: Invalid value for {option}: "), result.stderr
    assert "internal error" not in result.stderr
    assert len(errors[0]) < 300, errors[0]  # a 5,000-digit value is not repeated in full


@pytest.mark.parametrize("value", HOSTILE_DATES.values(), ids=HOSTILE_DATES.keys())
def test_every_date_option_refuses_every_hostile_date_as_a_usage_error(small_plan: Path, value: str):
    """Each DATE option of each command: exit 2, one line naming the option, the plan untouched."""
    for command, option in DATE_OPTIONS:
        result = invoke(_command_line(command, option, value, small_plan))
        _assert_usage_error(result, option)
    assert small_plan.read_text(encoding="utf-8") == SMALL_PLAN


@pytest.mark.parametrize("value", HOSTILE_DURATIONS.values(), ids=HOSTILE_DURATIONS.keys())
def test_every_duration_option_refuses_every_hostile_number_as_a_usage_error(small_plan: Path, value: str):
    """--within, --stale-after and --remind (each item of its list too): exit 2, one line naming the option."""
    for command, option in DURATION_OPTIONS:
        for written in (value, f"7d,{value}") if option == "--remind" else (value,):
            result = invoke(_command_line(command, option, written, small_plan))
            _assert_usage_error(result, option)


def test_plain_dates_and_durations_still_work(small_plan: Path):
    """The same options with ordinary values: exit 0 (what the refusals above are measured against)."""
    assert 0 == invoke(["status", "--as-of", "Q2 2020-21", "--within", "2w", "--plan", str(small_plan)]).exit_code
    assert (
        0 == invoke(["calendar", "--remind", "30d, 7d", "--as-of", "2020-09-01", "--plan", str(small_plan)]).exit_code
    )
    assert (
        0
        == invoke(
            ["report", "--as-of", "September 30, 2020", "--stale-after", "90", "--plan", str(small_plan)]
        ).exit_code
    )


# -- plans holding hostile numbers, through every kind of reading command ----------------
HOSTILE_NUMBER_PLANS = [
    "schema_version_superscript",
    "schema_version_arabic_indic",
    "schema_version_5000_digits",
    "date_5000_digits",
    "date_fullwidth_digits",
    "directive_version_too_long",
    "escape_beyond_unicode",
    "tag_escape_not_utf8",
]


@pytest.mark.parametrize("name", HOSTILE_NUMBER_PLANS)
@pytest.mark.parametrize(
    "command", [["status"], ["show", "1.1"], ["report"], ["export", "--format", "json"]], ids=lambda c: c[0]
)
def test_a_plan_holding_a_hostile_number_is_invalid_for_every_command(name: str, command: list[str]):
    """Exit 1 with the plan's positions, never 70."""
    path = CORPUS / f"{name}.yaml"
    result = invoke([*command, "--as-of", "2021-01-31", "--plan", str(path)])
    assert (result.exit_code, result.stdout) == (1, ""), result.output
    assert result.stderr.startswith(f"{path}:") and "internal error" not in result.stderr


# -- standard output: closed, abandoned, full ------------------------------------------------
def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "oagtrack", *args], stderr=subprocess.PIPE, text=True, timeout=60, check=False, **kwargs
    )


INVALID = CORPUS / "date_padded.yaml"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", str(BUNDLED_PLAN)], 0),
        (["validate", str(INVALID)], 1),
        (["validate", "--format", "json", str(BUNDLED_PLAN)], 0),
        (["status", "--as-of", "2021-01-31", "--plan", str(BUNDLED_PLAN)], 0),
        (["schema"], 0),
    ],
    ids=["validate-ok", "validate-invalid", "validate-json", "status", "schema"],
)
def test_a_closed_standard_output_gets_the_ordinary_answer(args: list[str], code: int):
    """`oagtrack ... >&-`: nothing to write to, so nothing is written; the exit code is the command's own."""
    shell = ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "oagtrack", *args]
    done = subprocess.run(shell, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    assert done.returncode == code, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert (done.stderr == "") == (code == 0)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["export", "--format", "json", "--plan", str(BUNDLED_PLAN)], 0),
        (["validate", "--format", "json", str(INVALID)], 1),
    ],
    ids=["export", "validate-invalid"],
)
def test_a_reader_that_stops_reading_does_not_change_the_answer(args: list[str], code: int):
    """`| head -0`: the rest of the output goes nowhere, silently; an invalid plan still exits 1, a valid one 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first byte
    try:
        done = _run(args, stdout=write_end)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (code, "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_an_output_that_cannot_be_written_is_one_clear_line():
    """A full disk under standard output: exit 1, one line saying so."""
    with open("/dev/full", "w") as full:
        done = _run(["export", "--format", "json", "--plan", str(BUNDLED_PLAN)], stdout=full)
    assert (done.returncode, done.stderr) == (1, "oagtrack: cannot write the output: No space left on device\n")


# -- terminal sizes from the environment -----------------------------------------------------
@pytest.mark.parametrize(
    "value",
    ["9" * 5_000, "٣٠", "0", "-5", "80x"],
    ids=["5,000 digits", "Arabic-Indic", "zero", "negative", "not a number"],
)
@pytest.mark.parametrize("name", ["COLUMNS", "LINES"])
def test_an_unreadable_terminal_size_is_ignored(monkeypatch, capsys, name: str, value: str):
    """$COLUMNS or $LINES that Rich would convert (or crash on): the output is as if it were unset."""
    args = ["status", "--as-of", "2021-01-31", "--plan", str(BUNDLED_PLAN)]
    monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as unset:
        main(list(args))
    expected = capsys.readouterr()
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as hostile:
        main(list(args))
    assert (0, 0) == (unset.value.code, hostile.value.code)
    assert expected == capsys.readouterr()
