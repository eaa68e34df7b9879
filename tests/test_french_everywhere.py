"""Every command in French on the bundled plan after a quarter of updates: none of our English messages is left.

The quarter is the one the report's picture shows (`tools/screenshot.quarter`:
started, completed, verified, revised, reopened, retired, noted). Every
command a reader reads is run with `--lang fr`, in every human format, and
its output searched for each stretch of English words of the catalog's
messages (placeholders cut out). A stretch the French keeps as it is, and a
stretch the plan's own English text holds (shown as written, marked
`[non traduit]`), prove nothing and are left out.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.render import language

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402
import screenshot  # noqa: E402

runner = CliRunner()
AS_OF = "2021-01-31"
#: Words French writes the same.
SAME_IN_FRENCH = frozenset({"ID", "Plan", "Total", "Note", "Audit", "Organisation", "Type", "Date", "Description"})

COMMANDS = (
    ("status",),
    ("overdue",),
    ("upcoming", "--within", "90d"),
    ("show", "1"),
    ("show", "1.1"),
    ("show", "2.1"),
    ("show", "3.4b"),
    ("show", "harris"),
    ("report", "--since", "2020-10-01"),
    ("report", "--since", "2020-10-01", "-f", "markdown"),
    ("report", "--since", "2020-10-01", "-f", "html"),
    ("timeline",),
    ("calendar",),
    ("export", "-f", "csv"),
    ("export", "-f", "markdown"),
    ("export", "-f", "html"),
    ("kca",),
    ("committee",),
    ("committee", "-f", "markdown"),
    ("digest",),
    ("validate",),
)


@pytest.fixture(scope="module")
def quarter_plan(tmp_path_factory) -> Path:
    plan = tmp_path_factory.mktemp("quarter") / "plan.yaml"
    plan.write_text(screenshot.quarter_plan_text(), encoding="utf-8")
    return plan


def english_fragments(plan_text: str) -> dict[str, str]:
    french = language.translations("fr")
    plan_text = " ".join(plan_text.split())  # folded YAML: the plan's words as a reader sees them, one space apart
    found: dict[str, str] = {}
    for singular, plural in catalogs.extract():
        forms = [french.gettext(singular)] if plural is None else [french.ngettext(singular, plural, n) for n in (1, 2)]
        translated = " ".join(forms)
        for message in {singular, plural or singular}:
            for piece in catalogs.PLACEHOLDER.split(message):
                piece = piece.strip(" :;,.()[]…-+%≤/'\"")
                words = piece.split()
                if sum(char.isalpha() for char in piece) < 4 or piece in SAME_IN_FRENCH or piece in translated:
                    continue
                if len(words) == 1 and piece.lower() in plan_text.lower():
                    continue  # a word of the plan's own English text, shown as written
                if piece in plan_text:
                    continue
                found[piece] = message
    return found


def readable(text: str) -> str:
    """What a reader reads of an output: an HTML page without its style sheet and tags."""
    if "<html" not in text:
        return text
    text = re.sub(r"(?s)<style>.*?</style>", "", text)
    return re.sub(r"<[^>]+>", "\n", text)


def output(plan: Path, *command: str) -> str:
    result = runner.invoke(app, [*command, "--plan", str(plan), "--lang", "fr"] + (
        ["--as-of", AS_OF] if command[0] not in ("validate",) else []
    ))  # fmt: skip
    assert result.exit_code == 0, (command, result.output)
    return readable(result.stdout)


def test_no_english_message_is_left_in_any_french_output(quarter_plan):
    fragments = english_fragments(quarter_plan.read_text(encoding="utf-8"))
    assert "days overdue" in fragments and "Progress report" in fragments  # the list is not empty by mistake
    patterns = {piece: re.compile(rf"(?<![\w-]){re.escape(piece)}(?![\w-])") for piece in fragments}
    left = sorted(
        {
            (" ".join(command), piece)
            for command in COMMANDS
            for line in output(quarter_plan, *command).splitlines()
            if "[non traduit]" not in line  # the plan's own English, marked as such
            for piece, pattern in patterns.items()
            if pattern.search(line)
        }
    )
    assert left == []


def test_the_french_workbook_has_no_english_message_either(quarter_plan, tmp_path):
    pytest.importorskip("openpyxl")
    target = tmp_path / "rapport.xlsx"
    result = runner.invoke(
        app, ["report", "-f", "xlsx", "-o", str(target), "--plan", str(quarter_plan), "--as-of", AS_OF, "--lang", "fr"]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as book:
        shared = book.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in book.namelist() else ""
        sheets = " ".join(
            book.read(name).decode("utf-8") for name in book.namelist() if name.startswith("xl/worksheets")
        )
    text = re.sub(r"<[^>]+>", "\n", shared + sheets)
    fragments = english_fragments(quarter_plan.read_text(encoding="utf-8"))
    left = sorted(
        piece
        for piece in fragments
        for line in text.splitlines()
        if "[non traduit]" not in line and re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", line)
    )
    assert left == []
