"""The README and docs/ tell the truth: their example output is real, every command is documented, links resolve."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT
from typer.main import get_command

from oagtrack.cli import app

sys.path.insert(0, str(ROOT / "tools"))
import cli_reference  # noqa: E402
import readme  # noqa: E402

DOCUMENTS = readme.documents()
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The README and the guides: where a reader learns a command (the generated reference only repeats --help).
GUIDES = {path: path.read_text(encoding="utf-8") for path in DOCUMENTS if path != cli_reference.REFERENCE}
COMMANDS = sorted(get_command(app).commands)
RUNS = [run for path in DOCUMENTS for run in readme.runs(path)]
FENCED = re.compile(r"^```.*?^```", re.S | re.M)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)\)")


def test_every_document_is_checked():
    """README.md and each Markdown file in docs/ are checked, the generated reference among them."""
    names = [path.relative_to(ROOT).as_posix() for path in DOCUMENTS]
    assert names[0] == "README.md"
    assert {"docs/cli.md", "docs/plan-format.md", "docs/updating.md", "docs/reports.md"} <= set(names)


@pytest.mark.parametrize("run", RUNS, ids=[run.where for run in RUNS])
def test_example_output_is_current(run):
    """Each console block (each scratch walk-through, run in order) shows what its commands print now."""
    assert run.output() == [block.body for block in run.blocks], "run: python tools/readme.py --update"


def test_command_reference_is_current():
    """docs/cli.md is the --help of every command, as tools/cli_reference.py writes it."""
    assert cli_reference.render() == cli_reference.REFERENCE.read_text(encoding="utf-8"), (
        "run: python tools/cli_reference.py --update"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_with_an_example(command):
    """Each command has a heading that names it and an example of its use in the README or a guide,
    and help that ends with an example."""
    prose = "\n".join(FENCED.sub("", text) for text in GUIDES.values())
    assert re.search(rf"^#{{2,4}} .*\b{command}\b", prose, re.M | re.I), f"no heading names {command}"
    examples = "\n".join(GUIDES.values())
    assert re.search(rf"^\$ oagtrack {command}\b(?! --help$)", examples, re.M), f"no example of {command}"
    epilog = get_command(app).commands[command].epilog or ""
    assert re.search(rf"Example: oagtrack {command}\b", epilog), f"help of {command} does not end with an example"


def test_readme_gives_the_install_and_test_commands_ci_runs():
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/oagtrack status" in README
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install --quiet -e '.[test]'" in ci and "pytest" in ci


def test_readme_is_a_front_door():
    """The README stays short; the manual lives in docs/."""
    assert len(README.splitlines()) < 250


def test_the_benchmark_table_has_one_copy():
    """benchmarks/results.md holds the benchmark table; the docs link to it."""
    header = "| Measure | oagtrack | Floor | Ratio | Target | Result |"
    assert header in (ROOT / "benchmarks" / "results.md").read_text(encoding="utf-8")
    assert [path.name for path in DOCUMENTS if header in path.read_text(encoding="utf-8")] == []


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown text."""
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", FENCED.sub("", text), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        candidate, n = slug, 0
        while candidate in found:
            n += 1
            candidate = f"{slug}-{n}"
        found.add(candidate)
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=[path.name for path in DOCUMENTS])
def test_links_resolve(path):
    """Each relative link names a file that exists and, after `#`, a heading it has."""
    text = path.read_text(encoding="utf-8")
    broken = []
    for match in LINK.finditer(FENCED.sub("", text)):
        target = match.group("target")
        if re.match(r"[a-z]+:", target):
            continue
        name, _, anchor = target.partition("#")
        linked = (path.parent / name).resolve() if name else path
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
            broken.append(target)
    assert broken == []
