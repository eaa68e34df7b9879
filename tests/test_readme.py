"""The README tells the truth: its example output is real, and every command is documented."""

from __future__ import annotations

import re
import sys

import pytest
from typer.main import get_command

from conftest import ROOT
from oagtrack.cli import app

sys.path.insert(0, str(ROOT / "tools"))
import readme  # noqa: E402

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)
EXAMPLES = [m.group("args") for m in readme.BLOCK.finditer(README)]


@pytest.mark.parametrize("command", EXAMPLES)
def test_readme_example_output_is_current(command):
    block = next(m.group("body") for m in readme.BLOCK.finditer(README) if m.group("args") == command)
    assert readme.run_example(command) == block, "run: python tools/readme.py --update"


def test_readme_gives_the_install_and_test_commands_ci_runs():
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/oagtrack status" in README
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install --quiet -e '.[test]'" in ci and "pytest" in ci
