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
ENVS = {m.group("args"): m.group("env") for m in readme.BLOCK.finditer(README)}


@pytest.mark.parametrize("command", EXAMPLES)
def test_readme_example_output_is_current(command):
    block = next(m.group("body") for m in readme.BLOCK.finditer(README) if m.group("args") == command)
    assert readme.run_example(command, ENVS[command]) == block, "run: python tools/readme.py --update"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_with_an_example(command):
    """Each command has a heading that names it, an example of its use, and help that ends with an example."""
    assert re.search(rf"^#{{2,4}} .*\b{command}\b", README, re.M | re.I), f"README has no heading for {command}"
    assert re.search(rf"^\$ oagtrack {command}\b", README, re.M), f"README shows no use of {command}"
    epilog = get_command(app).commands[command].epilog or ""
    assert re.search(rf"Example: oagtrack {command}\b", epilog), f"help of {command} does not end with an example"


def test_readme_gives_the_install_and_test_commands_ci_runs():
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/oagtrack status" in README
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install --quiet -e '.[test]'" in ci and "pytest" in ci
