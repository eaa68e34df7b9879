"""Plan text that tries to break each output format stays inert in every one of them.

The hostile fixture holds `<script>`, `|`, newlines, formulas (`=`, `+`, `-`,
`@`, tab, CR), Rich markup, ESC/OSC 8/OSC 52 sequences, a C1 control, bidi
overrides and isolates, accents and wide characters.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.render.export import neutralise

HOSTILE = Path(__file__).parent / "fixtures" / "reports" / "hostile.yaml"
BASE = ["--plan", str(HOSTILE), "--as-of", "2021-01-31"]
SCRIPT = "<script>alert(1)</script>"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, [*args, *BASE], env={"NO_COLOR": "1", "COLUMNS": "200"}, catch_exceptions=False)
    assert 0 == result.exit_code, result.output
    return result.stdout


class Page(HTMLParser):
    """Collects the tags, attributes and text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "section", "article", "h1", "h2", "h3", "h4",
    "p", "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "span", "a", "dl", "dt", "dd", "ul", "li",
    "strong",
}  # fmt: skip


@pytest.mark.parametrize("args", [("report", "--format", "html"), ("export", "--format", "html")])
def test_html_escapes_every_piece_of_plan_text(args):
    """`<script>` shows as text; only our own tags; links only to http(s)."""
    page = Page()
    out = run(*args)
    page.feed(out)
    assert set(page.tags) <= ALLOWED_TAGS
    assert "script" not in page.tags and "img" not in page.tags
    text = "".join(page.text)
    assert SCRIPT in text
    hrefs = [value for name, value in page.attrs if name == "href"]
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert {
        "class",
        "lang",
        "charset",
        "name",
        "content",
        "href",
        "rel",
        "id",
        "scope",
        "tabindex",
        "role",
        "aria-labelledby",
    } >= {name for name, _ in page.attrs}
    assert not UNSAFE.search(out.replace("\n", ""))


def test_html_evidence_link_only_for_web_addresses():
    """javascript: and data: evidence stay plain text; the https one is a link with its quotes escaped."""
    out = run("report", "--format", "html")
    assert '<a href="https://example.org/ok?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer">' in out
    assert "<dd>javascript:alert(1)</dd>" in out
    assert "<dd>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</dd>" in out


def _rows(table_lines: list[str]) -> list[list[str]]:
    return [re.split(r"(?<!\\)\|", line)[1:-1] for line in table_lines]


@pytest.mark.parametrize("args", [("report", "--format", "markdown"), ("export", "--format", "markdown")])
def test_markdown_tables_hold_their_shape(args):
    """Each table row has as many cells as its header: `|` escaped, newlines collapsed, no HTML."""
    out = run(*args)
    tables: list[list[str]] = []
    previous = ""
    for line in out.splitlines():
        if line.startswith("|"):
            if previous.startswith("|"):
                tables[-1].append(line)
            else:
                tables.append([line])
        previous = line
    assert tables
    for table in tables:
        widths = {len(row) for row in _rows(table)}
        assert 1 == len(widths), table
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert not UNSAFE.search(out.replace("\n", ""))


def test_markdown_cell_for_pipes_and_newlines():
    """Text 1.2 (with `|` and two newlines) is one cell, its pipe escaped."""
    out = run("export", "--format", "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| 1.2 |"))
    assert "| Line one \\| cell Line two, with comma; semicolon \\\\ backslash Line three |" in row


def test_csv_neutralises_formulas_and_round_trips(tmp_path):
    """Cells starting with = + - @ tab CR get a quote; everything else reads back exactly."""
    target = tmp_path / "out.csv"
    run("export", "--format", "csv", "-o", str(target))
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = {row["id"]: row["text"] for row in rows}
    assert texts["1.1"] == '\'=HYPERLINK("http://evil.example","click") ' + SCRIPT
    assert texts["1.3"].startswith("'@SUM(A1)")
    assert texts["1.4"] == "'\tstarts with a tab"
    assert (
        texts["1.5"] == "\\x0dstarts with a carriage return"
    )  # a CR alone would move a terminal's cursor: shown, so no formula
    assert texts["1.outcome"] == "'-2+3 starts like a formula"
    assert texts["1.2"] == "Line one | cell\nLine two, with comma; semicolon \\ backslash\r\nLine three"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert not UNSAFE.search(value.replace("\r\n", "").replace("\n", "").replace("\t", ""))


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_neutralise(cell):
    assert "'" + cell == neutralise(cell)


def test_json_keeps_exact_strings():
    """JSON is for programs: the text comes back byte for byte, control characters included."""
    document = json.loads(run("export", "--format", "json"))
    actions = {a["id"]: a for a in document["recommendations"][0]["actions"]}
    assert "Line one | cell\nLine two, with comma; semicolon \\ backslash\r\nLine three" == actions["1.2"]["text"]
    assert actions["1.2"]["history"][0]["text"].startswith("\x1b]52;c;ZXZpbA==\x07")
    assert "bidi \u202eevil\u202c" in actions["1.3"]["text"]


@pytest.mark.parametrize("args", [("report",), ("timeline",)])
def test_terminal_prints_markup_literally_and_escapes_controls(args):
    """`[red]` is printed, not obeyed; ESC, BEL, C1, bidi controls arrive as visible escapes."""
    out = run(*args)
    assert not UNSAFE.search(out.replace("\n", ""))
    assert "Recommendation with " + SCRIPT in out and "Line one | cell" in out
    if args == ("report",):
        assert "[red]markup[/red]" in out
        assert "[bold red]Évé[/bold red]" in out
        assert "\\x1b]52;c;ZXZpbA==\\x07" in out and "\\x1b]8;;http://evil.example" in out
        assert "bidi \\u202eevil\\u202c isolate \\u2066x\\u2069 c1 \\x9b" in out
        assert SCRIPT in out


def test_terminal_report_written_to_file_is_plain(tmp_path):
    """`report -o FILE` in terminal format writes plain text, no escape codes."""
    target = tmp_path / "report.txt"
    run("report", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text and "[red]markup[/red]" in text


MENTIONS = "@octocat fixes #12 > <b>quoted</b> & owner/repo#7, mail a@b.org"


def _hostile_with_mentions(tmp_path: Path) -> Path:
    """The hostile fixture with mentions, issue references and `>` in the text of 1.4."""
    text = HOSTILE.read_text(encoding="utf-8")
    old = '        text: "\\tstarts with a tab"\n'
    assert old in text
    path = tmp_path / "mentions.yaml"
    path.write_text(text.replace(old, f'        text: "\\tstarts with a tab {MENTIONS}"\n'), encoding="utf-8")
    return path


def test_report_and_diff_markdown_share_one_escaper(tmp_path):
    """Report Markdown and the diff's pull-request comment make mentions, issue links and HTML inert alike."""
    from oagtrack.render.inert import markdown_inert

    changed = _hostile_with_mentions(tmp_path)
    report = runner.invoke(
        app,
        ["report", "--format", "markdown", "--plan", str(changed), "--as-of", "2021-01-31"],
        env={"NO_COLOR": "1"},
        catch_exceptions=False,
    )
    diff = runner.invoke(
        app,
        ["diff", "--old-file", str(HOSTILE), "--new-file", str(changed), "--format", "markdown"],
        env={"NO_COLOR": "1"},
        catch_exceptions=False,
    )
    assert (0, 0) == (report.exit_code, diff.exit_code), report.output + diff.output
    inert = "@\u200boctocat fixes #\u200b12 &gt; &lt;b&gt;quoted&lt;/b&gt; &amp; owner/repo#\u200b7, mail a@b.org"
    assert inert == markdown_inert(MENTIONS) == markdown_inert(MENTIONS, cell=True)
    assert inert in report.stdout
    assert f"**{inert}**\n" in diff.stdout  # the word diff: the added words in bold
    for out in (report.stdout, diff.stdout):
        assert "@octocat" not in out and "#12" not in out and "repo#7" not in out and "<b>" not in out
        assert not UNSAFE.search(out.replace("\n", ""))
