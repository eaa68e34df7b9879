"""Refusals at the command line: an output that cannot be written, a blank text, a Ctrl-C.

Each is one line on standard error with the exit code the README gives
(1 refused, 2 usage, 130 interrupted), and no traceback.
"""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

import oagtrack.cli
from oagtrack.cli import app, main

runner = CliRunner()
AS_OF = ["--as-of", "2021-01-31"]


def test_init_into_a_missing_folder_says_it_cannot_write_and_creates_nothing(tmp_path):
    target = tmp_path / "missing" / "plan.yaml"
    result = runner.invoke(app, ["init", "-o", str(target)])
    assert (1, "", f"oagtrack: cannot write {target}: No such file or directory\n") == (
        result.exit_code,
        result.stdout,
        result.stderr,
    )
    assert [] == os.listdir(tmp_path)


def test_an_excel_export_into_a_missing_folder_says_it_cannot_write(plan_copy, tmp_path):
    target = tmp_path / "missing" / "actions.xlsx"
    result = runner.invoke(
        app,
        ["export", "-f", "xlsx", "-o", str(target), *AS_OF, "--plan", str(plan_copy)],
    )
    assert (1, "", f"oagtrack: cannot write {target}: No such file or directory\n") == (
        result.exit_code,
        result.stdout,
        result.stderr,
    )
    assert ["plan.yaml"] == os.listdir(tmp_path)


@pytest.mark.parametrize(
    ("command", "usage", "message"),
    [
        (
            ["note", "1.1", "   "],
            "note [OPTIONS] {ID} [TEXT]",
            "Invalid value for TEXT: must not be empty: give the note's text",
        ),
        (
            ["complete", "1.1", "-e", "evidence.pdf", "--note", " "],
            "complete [OPTIONS] {ID}",
            "Invalid value for --note: must not be empty: give the note's text, or leave --note out",
        ),
    ],
)
def test_a_blank_text_is_a_usage_error_and_the_plan_is_unchanged(plan_copy, command, usage, message):
    before = plan_copy.read_bytes()
    result = runner.invoke(app, [*command, "--on", "2020-09-28", "--plan", str(plan_copy)])
    expected = f"Usage: oagtrack {usage}\nTry 'oagtrack {command[0]} -h' for help.\n\nError: {message}\n"
    assert (2, "", expected) == (result.exit_code, result.stdout, result.stderr)
    assert before == plan_copy.read_bytes()


def test_ctrl_c_during_a_command_ends_it_with_one_line_and_exit_130(monkeypatch, capsys):
    """What the shell expects of an interrupted program (128 + SIGINT), instead of a traceback."""

    def interrupted(args):
        def run(**kwargs):
            raise KeyboardInterrupt

        return run

    monkeypatch.setattr(oagtrack.cli, "app_for", interrupted)
    with pytest.raises(SystemExit) as exited:
        main(["status"])
    assert (130, "", "oagtrack: interrupted\n") == (
        exited.value.code,
        *capsys.readouterr(),
    )
