"""Golden files: every report format on a small fixture plan, as of 2021-01-31, byte for byte.

A change of output fails here until it is reviewed. To accept a change on
purpose, regenerate and read the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render_golden.py
    git diff tests/golden/reports/
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "reports" / "small.yaml"
GOLDEN = HERE / "golden" / "reports"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
runner = CliRunner()

#: name of the golden file -> command; a command with `-o` writes the file, the others print.
CASES = {
    "report.txt": ["report"],
    "report.md": ["report", "--format", "markdown", "-o"],
    "report.html": ["report", "--format", "html", "-o"],
    "report-since.md": ["report", "--format", "markdown", "--since", "2020-04-01", "--stale-after", "30d", "-o"],
    "timeline.txt": ["timeline"],
    "calendar.ics": ["calendar", "-o"],
    "calendar-todo.ics": ["calendar", "--todo", "--remind", "14d", "-o"],
    "export.csv": ["export", "--format", "csv", "-o"],
    "export.json": ["export", "--format", "json", "-o"],
    "export.md": ["export", "--format", "markdown", "-o"],
    "export.html": ["export", "--format", "html", "-o"],
}


def render(name: str, tmp_path: Path) -> bytes:
    args = list(CASES[name])
    target = tmp_path / name
    if args[-1] == "-o":
        args.append(str(target))
    result = runner.invoke(
        app,
        [*args, "--as-of", "2021-01-31", "--plan", str(SMALL)],
        env={"NO_COLOR": "1", "COLUMNS": "100"},
        catch_exceptions=False,
    )
    assert 0 == result.exit_code, result.output
    return target.read_bytes() if args[-1] == str(target) else result.stdout_bytes


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name, tmp_path):
    """The output equals the reviewed golden file (UPDATE_GOLDEN=1 rewrites it)."""
    actual = render(name, tmp_path)
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(actual)
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 and review it"
    assert path.read_bytes().decode("utf-8") == actual.decode("utf-8")
    assert path.read_bytes() == actual  # line endings too
