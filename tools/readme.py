"""Keep the README's example output true: check it, or rewrite it from real runs.

Every fenced block in README.md that starts with ```console and whose first
line is `$ oagtrack ARGS` (optionally after `VAR=value` settings, and
optionally ending `| head -n N`) is the real output of that
command, run in the repository folder on the bundled plan at 100 columns
without colour. `python tools/readme.py --update` rewrites the blocks;
tests/test_readme.py fails when one is out of date.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(```console\n\$ (?P<env>(?:[A-Z_]+=\S+ )*)oagtrack (?P<args>[^\n]*)\n)(?P<body>.*?)(```)", re.S)
HEAD = re.compile(r"\s*\|\s*head -n (\d+)\s*$")
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "OAGTRACK_PLAN": ""}


def run_example(command: str, env: str = "") -> str:
    """The output a reader would see for `$ [VAR=value ...] oagtrack <command>`, stdout then stderr."""
    import os

    from typer.testing import CliRunner

    from oagtrack.cli import app

    limit = None
    match = HEAD.search(command)
    if match:
        limit = int(match.group(1))
        command = command[: match.start()]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        settings = dict(ENV, **dict(pair.split("=", 1) for pair in env.split()))
        result = CliRunner().invoke(app, shlex.split(command), env=settings)
    finally:
        os.chdir(cwd)
    output = result.stdout + result.stderr
    lines = [line.rstrip() for line in output.splitlines()]
    if limit is not None and len(lines) > limit:
        lines = lines[:limit] + ["..."]
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + run_example(m.group("args"), m.group("env")) + m.group(5), text)


def stale_blocks(text: str) -> list[str]:
    """Commands whose block in `text` differs from what they print now."""
    return [m.group("args") for m in BLOCK.finditer(text) if m.group("body") != run_example(m.group("args"), m.group("env"))]


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    if argv[1:] == ["--update"]:
        README.write_text(render(text), encoding="utf-8")
        return 0
    stale = stale_blocks(text)
    for command in stale:
        print(f"README.md: output of `oagtrack {command}` is out of date; run python tools/readme.py --update")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
