"""`report -f xlsx` and `export -f xlsx` read back with openpyxl, the judge of what Excel gets.

Values keep their types (a date is a date cell, an id is text, a count a
number), each table is a sheet with its header frozen and filtered and its
columns sized, plan text stays text (never a formula, never a control
character Excel's XML cannot hold), and the same input gives the same bytes.
"""

from __future__ import annotations

import builtins
import os
import pty
import re
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape
from openpyxl.utils.exceptions import IllegalCharacterError
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.render import xlsx

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "reports" / "small.yaml"
HOSTILE = HERE / "fixtures" / "reports" / "hostile.yaml"
AS_OF = ["--as-of", "2021-01-31"]
REPORT_SHEETS = ["Summary", "Milestones", "Slippage", "Stale", "Changes", "Recommendations", "About"]
EXPORT_SHEETS = ["Milestones", "About"]
#: Characters no XML file holds: C0 controls but tab, LF, CR; U+FFFE, U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Characters that act on a terminal or reorder text (as `inert.ACTIVE`), newline and tab aside.
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1"}, catch_exceptions=False)


def write(target: Path, command: str, plan: Path, *args: str) -> Path:
    result = invoke(command, "--format", "xlsx", *AS_OF, "--plan", str(plan), "-o", str(target), *args)
    assert 0 == result.exit_code, result.output
    return target


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """The report and the export of the small and the hostile plans, each written once."""
    folder = tmp_path_factory.mktemp("books")
    return {
        f"{command}-{plan.stem}": write(folder / f"{command}-{plan.stem}.xlsx", command, plan)
        for command in ("report", "export")
        for plan in (SMALL, HOSTILE)
    }


def table(ws) -> list[dict[str, object]]:
    """A sheet's rows as dicts keyed by its header, empty cells None."""
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def by_id(ws, key: str = "ID") -> dict[str, dict[str, object]]:
    return {row[key]: row for row in table(ws)}


def valid_sheet_name(name: str) -> bool:
    """As Excel allows: 1 to 31 characters, none of []:*?/\\, no apostrophe at either end, not `History`."""
    return (
        0 < len(name) <= 31
        and not set(name) & set("[]:*?/\\")
        and name[0] != "'"
        and name[-1] != "'"
        and name.casefold() != "history"
    )


# -- shape ------------------------------------------------------------------
def test_one_sheet_per_table_each_name_valid_in_excel(books):
    """The report: summary, milestones, slippage, stale items,
    changes, recommendations, and what it is; the export: milestones."""
    assert REPORT_SHEETS == openpyxl.load_workbook(books["report-small"]).sheetnames
    assert EXPORT_SHEETS == openpyxl.load_workbook(books["export-small"]).sheetnames
    assert all(valid_sheet_name(name) for name in REPORT_SHEETS)
    assert len(REPORT_SHEETS) == len({name.casefold() for name in REPORT_SHEETS})


def test_every_header_is_frozen_filtered_bold_and_every_column_sized(books):
    """Each sheet of each workbook: panes frozen below row 1, an
    autofilter over the whole table, every column given a width."""
    for name, path in books.items():
        for ws in openpyxl.load_workbook(path):
            where = f"{name}:{ws.title}"
            last = get_column_letter(ws.max_column)
            assert ("A2", f"A1:{last}{ws.max_row}", "$1:$1") == (
                ws.freeze_panes,
                ws.auto_filter.ref,
                ws.print_title_rows,
            ), where
            for cell in ws[1]:
                dimension = ws.column_dimensions[cell.column_letter]
                assert cell.font.b and isinstance(cell.value, str), where
                assert dimension.customWidth and dimension.width >= min(len(cell.value), 60) + 2, (where, cell.value)
    milestones = openpyxl.load_workbook(books["export-small"])["Milestones"]
    assert (
        milestones.column_dimensions["D"].width > 3 * milestones.column_dimensions["A"].width
    )  # the text is wider than the id


# -- values and types ---------------------------------------------------------
def test_milestones_read_back_as_dates_numbers_and_text(books):
    """A date is a date cell shown yyyy-mm-dd, a count a number, an id text; empty is empty."""
    ws = openpyxl.load_workbook(books["export-small"])["Milestones"]
    rows = by_id(ws)
    assert {
        "ID": "1.2", "Kind": "action", "Rec": "1", "Milestone": "Build a performance dashboard for removals.",
        "Leads": "Scott Harris", "Organizations": "CBSA",
        "Due": datetime(2021, 3, 31), "Original due": datetime(2020, 10, 31), "Revisions": 2,
        "State": "open", "Status": "in-progress", "Days overdue": 0, "Completed": None, "Days late": 0,
        "Verified": None, "Verified by": None, "Evidence": None, "Latest note date": datetime(2021, 1, 20),
        "Latest note": "Vendor selected; build under way.",
    } == rows["1.2"]  # fmt: skip
    assert (datetime(2020, 9, 15), datetime(2021, 1, 10), "Internal Audit", 0) == tuple(
        rows["1.1"][k] for k in ("Completed", "Verified", "Verified by", "Days late")
    )
    assert (datetime(2021, 1, 12), 12, "GCdocs 12345") == tuple(
        rows["1.3"][k] for k in ("Completed", "Days late", "Evidence")
    )
    assert ["1.1", "1.2", "1.3", "1.outcome", "2.1", "2.2.a", "2.2.b", "2.outcome"] == list(rows)
    headers = [cell.value for cell in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for header, cell in zip(headers, row):
            if (
                header in ("Due", "Original due", "Completed", "Verified", "Latest note date")
                and cell.value is not None
            ):
                assert (True, "yyyy-mm-dd") == (cell.is_date, cell.number_format), header
            elif header in ("Revisions", "Days overdue", "Days late"):
                assert ("n", int) == (cell.data_type, type(cell.value)), header
            elif header in ("ID", "Rec"):
                assert ("s", str) == (cell.data_type, type(cell.value)), header


def test_ids_that_look_like_numbers_stay_text(tmp_path, small_plan_text):
    """`1.10` is not the number 1.1, nor `1` the number 1, on any sheet that names an item."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(small_plan_text.replace('id: "1.2"', 'id: "1.10"'), encoding="utf-8")
    book = openpyxl.load_workbook(write(tmp_path / "report.xlsx", "report", plan, "--since", "2020-01-01"))
    assert ["1.1", "1.10", "1.3.a", "1.3.b", "1.outcome"] == sorted(by_id(book["Milestones"]))
    for ws, column in (
        (book["Milestones"], "ID"),
        (book["Milestones"], "Rec"),
        (book["Stale"], "ID"),
        (book["Recommendations"], "Rec"),
    ):
        index = [cell.value for cell in ws[1]].index(column)
        cells = [row[index] for row in ws.iter_rows(min_row=2)]
        assert cells and all(cell.data_type == "s" and isinstance(cell.value, str) for cell in cells), (
            ws.title,
            column,
        )
    names = [row["Name"] for row in table(book["Slippage"]) if row["Group"] == "Recommendation"]
    assert ["1"] == names


def test_report_sheets_hold_the_report_s_numbers(books):
    """Summary and slippage as numbers whose parts add up; changes
    and stale items dated; the about sheet says as of when."""
    book = openpyxl.load_workbook(books["report-small"])
    summary = table(book["Summary"])
    assert ("Plan", "All milestones", 8, 1, 1, 1, 3, 2, 0, 1, 0.25) == tuple(summary[0].values())
    assert [
        ("Organization", "CBSA"),
        ("Organization", "IRCC"),
        ("Lead", "Scott Harris (CBSA)"),
        ("Lead", "Dr. Nicole Giles (IRCC)"),
    ] == [(row["Group"], row["Name"]) for row in summary[1:]]
    parts = ("Done on time", "Done late", "Overdue", "Due ≤90d", "Later", "Retired")
    assert all(row["Total"] == sum(row[part] for part in parts) for row in summary)
    assert "0%" == book["Summary"]["K2"].number_format
    slippage = table(book["Slippage"])
    assert ("Plan", "All milestones", 8, 1, 2, 151, 151, 4, 1, 0.25) == tuple(slippage[0].values())
    assert ["1", "2"] == [row["Name"] for row in slippage if row["Group"] == "Recommendation"]
    assert "+0;-0;0" == book["Slippage"]["F2"].number_format
    changes = table(book["Changes"])
    assert [(datetime(2021, 1, 5), "2.1", "reopened"), (datetime(2021, 1, 10), "1.1", "verified"),
            (datetime(2021, 1, 12), "1.3", "completed"), (datetime(2021, 1, 15), "1.2", "revised"),
            (datetime(2021, 1, 20), "1.2", "noted")] == [
        (row["Date"], row["ID"], row["What"]) for row in changes
    ]  # fmt: skip
    assert (datetime(2020, 12, 31), datetime(2021, 3, 31)) == (changes[3]["From due"], changes[3]["To due"])
    stale = by_id(book["Stale"])
    assert (datetime(2020, 7, 1), "started", 214) == (
        stale["2.2.a"]["Last activity"],
        stale["2.2.a"]["Activity"],
        stale["2.2.a"]["Days quiet"],
    )
    assert (None, "none recorded", None) == (
        stale["1.outcome"]["Last activity"],
        stale["1.outcome"]["Activity"],
        stale["1.outcome"]["Days quiet"],
    )
    about = {row["Item"]: row["Value"] for row in table(book["About"])}
    assert (datetime(2021, 1, 31), datetime(2021, 1, 1), "no") == (
        about["As of"],
        about["Changes since"],
        about["Filtered"],
    )


# -- plan text stays text ---------------------------------------------------------
FORMULA_LIKE = {
    "1.1": '=HYPERLINK("http://evil.example","click") <script>alert(1)</script>',
    "1.4": "\tstarts with a tab",
    "1.outcome": "-2+3 starts like a formula",
}


def test_hostile_text_reads_back_exactly_as_text_never_a_formula(books):
    """Formula-like text is the exact text, a string cell with
    Excel's quote prefix; control characters are shown as escapes."""
    for name in ("export-hostile", "report-hostile"):
        book = openpyxl.load_workbook(books[name])
        cells = {row[0].value: row[3] for row in book["Milestones"].iter_rows(min_row=2)}
        for item, text in FORMULA_LIKE.items():
            assert (text, "s", True) == (cells[item].value, cells[item].data_type, cells[item].quotePrefix), (
                name,
                item,
            )
        assert cells["1.3"].value.startswith(
            "@SUM(A1) bidi \\u202eevil\\u202c isolate \\u2066x\\u2069 c1 \\x9b tab\there Ünïcödé ✓ 日本語"
        )
        assert ("s", True) == (cells["1.3"].data_type, cells["1.3"].quotePrefix)
        assert "\\x0dstarts with a carriage return" == cells["1.5"].value  # a CR alone is shown, as in every output
        assert (
            "Line one | cell\nLine two, with comma; semicolon \\ backslash\nLine three" == cells["1.2"].value
        )  # CR LF: Excel's line break
        assert cells["1.2"].alignment.wrap_text
        rows = by_id(book["Milestones"])
        assert ("=CBSA", "Mallory [bold red]Évé[/bold red] <b>bold</b>") == (
            rows["1.1"]["Organizations"],
            rows["1.1"]["Leads"],
        )
        assert (
            'javascript:alert(1)\nhttps://example.org/ok?a=1&b="2"\ndata:text/html,<script>alert(1)</script>'
            == rows["1.1"]["Evidence"]
        )
        assert rows["1.2"]["Latest note"].startswith("\\x1b]52;c;ZXZpbA==\\x07 clipboard \\x1b]8;;http://evil.example")
        for ws in book:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, ws.title, cell.coordinate)
                    if isinstance(cell.value, str):
                        assert not ACTIVE.search(cell.value.replace("\n", "").replace("\t", "")), (
                            name,
                            ws.title,
                            cell.coordinate,
                        )
        with zipfile.ZipFile(books[name]) as archive:
            sheets = [
                archive.read(member).decode() for member in archive.namelist() if member.startswith("xl/worksheets/")
            ]
        assert sheets and not any("<f>" in sheet or "<f " in sheet for sheet in sheets)  # no formula stored anywhere


CONTROLS = "".join(map(chr, [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x9B, 0x202E])) + "\ufffe\uffff"


def test_characters_excel_cannot_hold_are_shown_not_fatal(tmp_path, small_plan_text):
    """C0 controls, U+FFFE and U+FFFF make openpyxl refuse or Excel's
    XML break: they are shown as escapes and the workbook is written."""
    with pytest.raises(IllegalCharacterError):
        openpyxl.Workbook().active["A1"] = "a\x01b"  # what a raw control character does to openpyxl
    escaped = "".join(
        f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in CONTROLS
    )  # as visible escapes, and as YAML escapes
    plan = tmp_path / "plan.yaml"
    plan.write_text(small_plan_text.replace("text: First action.", f'text: "a{escaped}b _x000D_ c"'), encoding="utf-8")
    for command in ("export", "report"):
        book = openpyxl.load_workbook(write(tmp_path / f"{command}.xlsx", command, plan))
        value = by_id(book["Milestones"])["1.1"]["Milestone"]
        assert f"a{escaped}b _x005F_x000D_ c" == value, command
        assert "a" + escaped + "b _x000D_ c" == unescape(
            value
        )  # as Excel reads it: `_x000D_` is the text, not a carriage return
        assert not NOT_XML.search(value) and not ILLEGAL_CHARACTERS_RE.search(value)


def test_cell_text_cuts_what_a_cell_cannot_hold_and_says_so():
    """Excel holds 32,767 characters in a cell: a longer text is cut to fit, with a note, never silently."""
    long = xlsx.cell_text("é" * 40_000)
    assert 32_767 == len(long)
    assert long.endswith(" … [cut: Excel holds 32,767 characters in a cell; this text has 40,000]") and long.startswith(
        "é" * 1000
    )
    spelled = xlsx.cell_text("_x0041_" * 6_000)  # each grows by six characters when escaped
    assert 32_767 - 13 < len(spelled) <= 32_767 and spelled.startswith("_x005F_x0041__x005F_x0041_")
    assert unescape(spelled).startswith("_x0041_" * 100)
    assert "short" == xlsx.cell_text("short")


# -- the same input, the same bytes -------------------------------------------------
def test_the_same_input_gives_the_same_bytes_whatever_the_clock(tmp_path, monkeypatch):
    """Every member of the zip, and the workbook's created and
    modified times, are the as-of date, not the time of writing."""
    first = write(tmp_path / "first.xlsx", "report", SMALL).read_bytes()
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # 2033: what zipfile would stamp on each member
    second = write(tmp_path / "second.xlsx", "report", SMALL).read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "second.xlsx") as archive:
        assert {(2021, 1, 31, 0, 0, 0)} == {member.date_time for member in archive.infolist()}
    properties = openpyxl.load_workbook(tmp_path / "second.xlsx").properties
    assert (datetime(2021, 1, 31), datetime(2021, 1, 31), "oagtrack") == (
        properties.created,
        properties.modified,
        properties.creator,
    )


# -- the command line ------------------------------------------------------------------
@pytest.mark.parametrize("command", ["report", "export"])
def test_a_workbook_without_o_is_a_usage_error_naming_it(command):
    """Binary is never printed: without -o, exit 2, a message naming -o, nothing on standard output."""
    result = invoke(command, "--format", "xlsx", *AS_OF, "--plan", str(SMALL))
    assert (2, b"") == (result.exit_code, result.stdout_bytes)
    assert "-o / --output" in result.stderr and "name the file with -o FILE" in result.stderr


def test_o_dash_writes_the_workbook_to_a_pipe(tmp_path):
    """`-o -` writes the bytes to standard output when it is not a terminal (here, the test's capture)."""
    result = invoke("export", "--format", "xlsx", *AS_OF, "--plan", str(SMALL), "-o", "-")
    assert 0 == result.exit_code, result.output
    assert write(tmp_path / "file.xlsx", "export", SMALL).read_bytes() == result.stdout_bytes


def test_o_dash_on_a_terminal_is_refused(tmp_path):
    """On a terminal, `-o -` is refused as no -o is: a workbook is no text to print."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "oagtrack", "export", "-f", "xlsx", "-o", "-", *AS_OF, "--plan", str(SMALL)],
            check=False, stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE, timeout=60,
            env={**os.environ, "NO_COLOR": "1"},
        )  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)
    assert 2 == done.returncode
    assert b"name the file with -o FILE" in done.stderr


@pytest.mark.parametrize("command", ["report", "export"])
def test_without_openpyxl_one_line_names_the_extra(command, tmp_path, monkeypatch):
    """No openpyxl installed: exit 1 with one line saying how to install it, and no file."""
    real_import = builtins.__import__

    def without_openpyxl(name, *args, **kwargs):
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_openpyxl)
    target = tmp_path / "out.xlsx"
    result = invoke(command, "--format", "xlsx", *AS_OF, "--plan", str(SMALL), "-o", str(target))
    assert (1, "oagtrack: -f xlsx needs openpyxl, which is not installed: pip install 'oagtrack[excel]'\n", "") == (
        result.exit_code, result.stderr, result.stdout,
    )  # fmt: skip
    assert not target.exists()


def test_only_a_workbook_imports_openpyxl(tmp_path):
    """The other formats, and start-up, never load openpyxl; -f xlsx does (so the check can see it)."""
    script = f"""
import sys
from oagtrack.cli import main
def run(*args):
    try:
        main([*args, "--as-of", "2021-01-31", "--plan", {str(SMALL)!r}])
    except SystemExit as done:
        assert not done.code, args
run("export", "-f", "csv", "-o", {str(tmp_path / "out.csv")!r})
run("report", "-f", "markdown", "-o", {str(tmp_path / "out.md")!r})
print("openpyxl" in sys.modules)
run("export", "-f", "xlsx", "-o", {str(tmp_path / "out.xlsx")!r})
print("openpyxl" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60)
    assert (0, "False\nTrue\n") == (done.returncode, done.stdout), done.stderr
