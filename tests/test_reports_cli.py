"""report, timeline, calendar and export end to end, through Typer's CliRunner."""

from __future__ import annotations

import csv
import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from conftest import BUNDLED_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.query import STATES, standings
from oagtrack.core.store import load_plan

SMALL = Path(__file__).parent / "fixtures" / "reports" / "small.yaml"
PLAN = ["--plan", str(BUNDLED_PLAN)]
AS_OF = ["--as-of", "2021-01-31"]
runner = CliRunner()


def flat(text: str) -> str:
    """Text with every run of white space made one space: table columns move with the width."""
    return " ".join(text.split())


def bundled_rows():
    return standings(load_plan(BUNDLED_PLAN, date(2030, 1, 1)).plan, date(2021, 1, 31))


def run(*args: str, code: int = 0, env: dict[str, str] | None = None):
    result = runner.invoke(
        app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120", **(env or {})}, catch_exceptions=False
    )
    assert code == result.exit_code, result.output
    return result


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.ids: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id" and value]
        if tag not in {"meta"}:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data):
        self.parts.append(data)


def test_report_html_on_bundled_plan(tmp_path):
    """The acceptance test of issue 4: a valid page holding every milestone and its state."""
    target = tmp_path / "report.html"
    result = run("report", *AS_OF, "--format", "html", "-o", str(target), *PLAN)
    assert "" == result.stdout
    page = Text()
    page.feed(target.read_text(encoding="utf-8"))
    page.close()
    assert [] == page.open  # every element closed in order
    text = flat("".join(page.parts))  # a token kept whole by a span is a part of its own
    rows = bundled_rows()
    assert 15 == len(rows)
    for standing in rows:
        assert f"m-{standing.milestone.id}" in page.ids
        assert " ".join(standing.milestone.text.split()) in text
    for state in {s.state for s in rows}:
        assert state in text
    assert "Progress report: Immigration Removals" in text
    assert "<script" not in target.read_text(encoding="utf-8")


def test_report_markdown_renders_as_tables():
    """Every table has a header, a delimiter row and rows of the same width."""
    out = run("report", *AS_OF, "--format", "markdown", *PLAN).stdout
    lines = out.splitlines()
    assert lines[0] == "# Progress report: Immigration Removals"
    headers = [
        n
        for n, line in enumerate(lines)
        if line.startswith("| ") and n + 1 < len(lines) and lines[n + 1].startswith("| ---")
    ]
    assert len(headers) == 7  # summary, by recommendation, by org, by lead, slippage x2, stale (no changes: no table)
    for n in headers:
        width = lines[n].count(" | ")
        row = n + 2
        while row < len(lines) and lines[row].startswith("|"):
            assert width == lines[row].replace("\\|", "").count(" | ")
            row += 1
    assert "## Changes since 2021-01-01\n\n_None._" in out
    for label in ["1.1", "1.outcome", "3.4a", "3.4b.a", "3.4b.b", "3.outcome"]:
        assert f"| {label} |" in out  # every milestone is stale in the bundled plan
    assert (
        "### Action 3.4a \\[printed 3.4 a)\\]: overdue" in out and "#### Step 3.4b.a \\[printed a.\\]: overdue" in out
    )
    assert "**Response (agreed):** Agreed. The Agency" in out


def test_report_terminal_sections():
    out = run("report", *AS_OF, *PLAN).stdout
    for heading in (
        "Summary",
        "Slippage",
        "Stale items: open, no activity in 90 days",
        "Changes since 2021-01-01",
        "Recommendation 1",
        "Recommendation 3",
    ):
        assert f"\n{heading}\n" in out
    assert "15 milestones: 0% implemented (0 complete, 10 overdue, 4 due in the next 90 days, 1 later)" in out
    assert "Planned completion of the whole plan: 2021-09-30 (unchanged from the original plan)." in out


def test_report_on_fixture_shows_slippage_and_changes():
    out = run("report", "--as-of", "2021-01-31", "--plan", str(SMALL)).stdout
    assert (
        "1 of 8 milestones revised (2 revisions, +151 days in all, at most +151); 1 of 4 met their original date (25%)."
        in out
    )
    assert "Due: 2021-03-31 (originally 2020-10-31, +151 days, revised twice)" in out
    assert "Latest note: 2021-01-20: Vendor selected; build under way." in out
    assert "2021-01-15 1.2 revised Build a performance dashboard… due 2020-12-31" in flat(out)
    assert "due 2020-12-31 → 2021-03-31 (+90 days): Vendor contract signed" in flat(out)


def test_report_since_and_stale_after_options():
    out = run(
        "report", "--as-of", "2021-01-31", "--since", "Q3 2020-21", "--stale-after", "300d", "--plan", str(SMALL)
    ).stdout
    assert "As of 2021-01-31 · changes since 2020-10-01 · stale after 300 days" in out
    assert "2020-10-20 1.2 revised" in flat(out)
    assert "2020-11-20 2.1 completed Deploy a permanent help line. on time (later withdrawn)" in flat(out)


def test_report_filters():
    """--org IRCC keeps IRCC's milestones only; the report says it is filtered."""
    out = run("report", *AS_OF, "--org", "IRCC", "--format", "markdown", *PLAN).stdout
    assert "filtered" in out.splitlines()[2]
    assert "4 milestones: 0% implemented" in out
    assert "## Recommendation 1" not in out and "## Recommendation 3" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "--since", "2022-01-01"), "2022-01-01 is after the as-of date 2021-01-31"),
        (("report", "--stale-after", "soon"), "cannot read 'soon' as a duration"),
        (("report", "--state", "late"), "unknown state late"),
        (("report", "--format", "pdf"), "'pdf' is not one of"),
        (("timeline", "--from", "2021-05-01", "--to", "2021-01-01"), "2021-05-01 is after --to 2021-01-01"),
        (("calendar", "--remind", "3x"), "cannot read '3x' as a duration"),
        (("export", "--rec", "9"), "no recommendation '9'"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = run(*args, *AS_OF, *PLAN, code=2)
    assert message in " ".join(result.stderr.split())


def test_unwritable_output_exits_1(tmp_path):
    result = run("report", *AS_OF, "-f", "html", "-o", str(tmp_path / "missing" / "r.html"), *PLAN, code=1)
    assert f"oagtrack: cannot write {tmp_path / 'missing' / 'r.html'}: No such file or directory\n" == result.stderr


def test_invalid_plan_exits_1(tmp_path):
    broken = tmp_path / "plan.yaml"
    broken.write_text("schema_version: 1\n", encoding="utf-8")
    result = run("report", "--plan", str(broken), code=1)
    assert f"{broken}:1:1: plan: missing required key 'audit'" in result.stderr


def test_timeline_marks_without_colour():
    """Symbols and words: overdue rows say overdue and carry `!`, the as-of month is marked."""
    out = run("timeline", *AS_OF, "--plan", str(SMALL)).stdout
    lines = out.splitlines()
    assert lines[0] == "Timeline as of 2021-01-31   ◆ due  ✔ complete  ! overdue  ○ original date  ── slip  │ as of"
    row = next(line for line in lines if line.startswith("2.1 "))
    assert "overdue" in row and "!" in row and "2020-11-30, 62d overdue" in row
    slipped = next(line for line in lines if line.startswith("1.2 "))
    assert "○────" in slipped and "◆" in slipped and slipped.endswith("2021-03-31 was 2020-10-31 (+151d)")
    assert "\x1b" not in out


def test_timeline_range_and_filters():
    out = run(
        "timeline", *AS_OF, "--from", "2021-01-01", "--to", "2021-03-31", "--rec", "1", "--plan", str(SMALL)
    ).stdout
    lines = out.splitlines()
    assert lines[3].split() == ["Jan", "Feb", "Mar"]
    assert [line.split()[0] for line in lines[5:]] == ["1.1", "1.2", "1.3", "1.outcome"]
    assert "◀" in lines[5]  # 1.1 fell due before the range


def test_calendar_on_bundled_plan_is_stable():
    """15 events; two runs give the same UIDs (and the same bytes)."""
    first = run("calendar", *AS_OF, *PLAN).stdout
    second = run("calendar", *AS_OF, *PLAN).stdout
    assert first == second
    events = icalendar.Calendar.from_ical(first).walk("VEVENT")
    assert 15 == len(events)
    expected = [f"oag-2020-immigration-removals-{s.milestone.id}@oagtrack" for s in bundled_rows()]
    assert expected == [str(e["UID"]) for e in events]


def test_calendar_to_file_keeps_crlf(tmp_path):
    target = tmp_path / "plan.ics"
    run("calendar", *AS_OF, "--todo", "--remind", "none", "-o", str(target), *PLAN)
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert 15 == data.count(b"BEGIN:VTODO\r\n") and b"VALARM" not in data


def test_export_csv_round_trips_every_field(tmp_path):
    """Written to a file: a BOM first, then rows whose fields match the query exactly."""
    target = tmp_path / "milestones.csv"
    run("export", "--format", "csv", *AS_OF, "-o", str(target), "--plan", str(SMALL))
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,kind,recommendation,text,due,original_due,state")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [
        {"id": "1.2", "kind": "action", "recommendation": "1", "text": "Build a performance dashboard for removals.",
         "due": "2021-03-31", "original_due": "2020-10-31", "state": "open", "status": "in-progress",
         "days_overdue": "0", "leads": "Scott Harris", "completed": "", "evidence": "", "organizations": "CBSA",
         "verified": "", "verified_by": "", "days_late": "0", "revisions": "2",
         "latest_note_date": "2021-01-20", "latest_note": "Vendor selected; build under way."},
        {"id": "1.3", "kind": "action", "recommendation": "1",
         "text": "Determine the IT requirements for case management.", "due": "2020-12-31",
         "original_due": "2020-12-31", "state": "complete-late", "status": "complete",
         "days_overdue": "0", "leads": "Scott Harris", "completed": "2021-01-12", "evidence": "GCdocs 12345",
         "organizations": "CBSA", "verified": "", "verified_by": "", "days_late": "12", "revisions": "0",
         "latest_note_date": "", "latest_note": ""},
    ] == rows[1:3]  # fmt: skip
    assert ["1.1", "1.2", "1.3", "1.outcome", "2.1", "2.2.a", "2.2.b", "2.outcome"] == [row["id"] for row in rows]


def test_export_csv_to_stdout_has_no_bom():
    out = run("export", "--format", "csv", *AS_OF, *PLAN).stdout
    assert out.startswith("id,kind,")


def test_export_json_and_filters():
    document = json.loads(run("export", *AS_OF, "--state", "overdue", "--lead", "giles", *PLAN).stdout)
    assert "2021-01-31" == document["as_of"]
    rec3 = document["recommendations"][2]
    assert "overdue" == rec3["actions"][3]["state"]  # 3.4a, joint with giles


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("markdown", "| ID | Kind | Rec | Milestone |"), ("html", "<!DOCTYPE html>"), ("ics", "BEGIN:VCALENDAR")],
)
def test_export_other_formats(fmt, marker):
    out = run("export", "--format", fmt, *AS_OF, *PLAN).stdout
    assert marker in out
    for milestone in ("1.1", "3.4b.b", "3.outcome"):
        assert milestone in out


def test_every_state_word_is_known():
    """The HTML style sheet has a class for every state the core produces."""
    from oagtrack.render.html import CSS

    for state in STATES:
        assert f".state-{state} " in CSS


@pytest.mark.parametrize("command", ["report", "timeline", "calendar", "export"])
def test_help_ends_with_an_example(command):
    out = run(command, "--help").stdout
    assert f"Example: oagtrack {command}" in out


def test_report_with_nothing_selected():
    """A filter that admits nothing gives an empty report, not an error."""
    out = run("report", *AS_OF, "--state", "complete", "--format", "markdown", *PLAN).stdout
    assert "0 milestones: 0% implemented" in out
    assert "### By organization\n\n_None._" in out and "Planned completion" not in out


def test_report_plan_at_reads_git(tmp_path):
    """--plan-at HEAD reports on the committed plan, not the edited working copy."""
    import shutil
    import subprocess

    plan = tmp_path / "plan.yaml"
    shutil.copy(SMALL, plan)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "plan.yaml")
    git("commit", "-q", "-m", "plan")
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("title: Test Removals", "title: Edited Title"), encoding="utf-8"
    )
    assert "Progress report: Edited Title" in run("report", *AS_OF, "--plan", str(plan)).stdout
    assert "Progress report: Test Removals" in run("report", *AS_OF, "--plan-at", "HEAD", "--plan", str(plan)).stdout


def expected_details(standing) -> str:
    """What the timeline must print in full for a row: the due date, the original date, overdue days or completion."""
    text = str(standing.due)
    if standing.revisions:
        text += f" was {standing.original_due} ({standing.slip_days:+d}d)"
    if standing.state == "overdue":
        text += f", {standing.days_overdue}d overdue"
    elif standing.completed:
        text += f", done {standing.completed}"
    return text


@pytest.mark.parametrize("columns", [60, 80, 100, 120])
@pytest.mark.parametrize("plan_file", [BUNDLED_PLAN, SMALL], ids=["bundled", "small"])
@pytest.mark.parametrize("start", [(), ("--from", "2020-09-01")], ids=["all", "from"])
def test_timeline_never_cuts_dates_or_words(columns, plan_file, start):
    """At every width each milestone's date text appears whole, the
    legend is whole and no line is wider than the terminal (issue 4)."""
    out = run("timeline", *AS_OF, *start, "--plan", str(plan_file), env={"COLUMNS": str(columns)}).stdout
    lines = out.splitlines()
    assert [] == [line for line in lines if len(line) > columns]
    rows = standings(load_plan(plan_file, date(2030, 1, 1)).plan, date(2021, 1, 31))
    assert [] == [s.milestone.id for s in rows if expected_details(s) not in out]
    for item in ["◆ due", "✔ complete", "! overdue", "○ original date", "── slip", "│ as of"]:
        assert item in out
    # Every row is named by id; its date text is on the row or on the next, indented line.
    for s in rows:
        at = next(n for n, line in enumerate(lines) if line.split() and line.split()[0] == s.milestone.id)
        assert expected_details(s) in lines[at] or lines[at + 1].strip() == expected_details(s)


def test_timeline_shrinks_months_before_moving_dates():
    """At 80 columns the bundled plan fits with one character a month, dates beside their rows; at 60 they go below."""
    at_80 = run("timeline", *AS_OF, *PLAN, env={"COLUMNS": "80"}).stdout.splitlines()
    assert "MAMJJASONDJFMAMJJAS" == at_80[4].strip()
    assert at_80[6].startswith("1.1 ") and at_80[6].endswith("2020-09-30, 123d overdue")
    at_60 = run("timeline", *AS_OF, *PLAN, env={"COLUMNS": "60"}).stdout.splitlines()
    row = at_60.index(next(line for line in at_60 if line.startswith("1.1 ")))
    assert "          2020-09-30, 123d overdue" == at_60[row + 1]


def test_timeline_names_steps_and_actions_by_id():
    """`3.4a`, not the printed `3.4 a)` (issue 4)."""
    out = run("timeline", *AS_OF, *PLAN).stdout
    assert [] == [line for line in out.splitlines() if line.startswith("3.4 ")]
    assert any(line.startswith("3.4a ") for line in out.splitlines())


def test_report_at_80_columns_breaks_no_word_and_stays_short():
    """At 80 columns no header or name is split mid-word, milestone
    text in the tables is one line, and the report is short (issue 4)."""
    out = run("report", *AS_OF, *PLAN, env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert [] == [line for line in lines if len(line) > 80]
    assert len(lines) < 300  # 565 when every table wrapped each milestone's text
    # Pieces of words a mid-word break would leave at the start of a line.
    fragments = {"s", "ion", "Harris", "milestone", "Organizat", "Recommendat", "Scott"}
    assert [] == [line for line in lines if line.strip() in fragments]
    for header in ("Organization", "Recommendation", "All milestones", "Last activity", "Scott Harris"):
        assert header in out
    stale = lines[lines.index("Stale items: open, no activity in 90 days") + 3]
    assert stale.startswith("1.1 ") and "…" in stale and "2020-09-30   overdue   none recorded" in stale
    # The full text stays in the detail section.
    assert "The CBSA will continue to refine the removal strategy to improve oversight of the" in flat(out)


def test_report_says_agreed_once():
    """`Response (agreed): Agreed. …`, not `Response: agreed. Agreed.` (issue 4)."""
    out = run("report", *AS_OF, *PLAN).stdout
    assert "Response: agreed." not in out and "Response (agreed): Agreed. The Agency" in out
    html = run("report", *AS_OF, "--format", "html", *PLAN).stdout
    assert "<strong>Response (agreed):</strong> Agreed. The Agency" in html


def test_report_names_items_by_id():
    """The stale table and the detail headings name `3.4a`, with
    the printed `3.4 a)` beside it only in the heading (issue 4)."""
    lines = run("report", *AS_OF, *PLAN).stdout.splitlines()
    assert [] == [line for line in lines if line.startswith("3.4 a)")]
    assert any(line.startswith("3.4a ") for line in lines)
    assert any(line.startswith("Action 3.4a [printed 3.4 a)]  overdue") for line in lines)
    assert any(line.strip().startswith("Step 3.4b.a [printed a.]  overdue") for line in lines)


def test_column_widths_shrink_numbers_before_breaking_words():
    """Numeric headers wrap between words; no column is narrower than its longest word."""
    from oagtrack.render.report import column_widths
    from oagtrack.render.report_tables import Table as WordTable

    data = WordTable(
        ("Lead", "Total", "Days slipped"), (("Dr. Nicole Giles (IRCC)", "11", "+151"),), numeric=frozenset({1, 2})
    )
    assert [23, 5, 12] == column_widths(data, 120)
    assert [23, 5, 7] == column_widths(data, 41)  # "Days slipped" wraps to two lines
    assert [6, 5, 7] == column_widths(data, 10)  # too narrow: every column at its longest word


# -- what the committee asks, in every report format (issue 12) ---------------------------
@pytest.fixture(scope="module")
def committee_plan(tmp_path_factory) -> Path:
    """The small plan with 2.2.b retired on 2021-01-25: 2.1 reopened
    (01-05) and 1.1 verified (01-10) lie before --since 2021-01-20."""
    from oagtrack.core.edit import Retire, apply

    text = apply(
        SMALL.read_text(encoding="utf-8"),
        Retire("2.2.b", "Pilot cancelled; see the 2021 plan", date(2021, 1, 25)),
        today=date(2021, 1, 31),
    )
    path = tmp_path_factory.mktemp("committee") / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def committee_report(plan: Path, fmt: str) -> str:
    """The report in `fmt`: for the terminal and Markdown as
    printed; HTML as its visible text, one space between words."""
    out = run("report", *AS_OF, "--since", "2021-01-20", "--format", fmt, "--plan", str(plan)).stdout
    if fmt != "html":
        return out
    page = Text()
    page.feed(out[out.index("<body>") : out.index("</body>") + len("</body>")])
    return flat(" ".join(page.parts))


def test_report_gives_each_recommendation_a_status_with_its_milestones_done(committee_plan):
    """Implemented, in progress or not started, with the count of milestones done: a table, and a line in the detail."""
    terminal, markdown, html = (committee_report(committee_plan, fmt) for fmt in ("terminal", "markdown", "html"))
    assert "Recommendation   Status        Milestones done   Overdue   Text" in terminal
    assert (
        "2                in progress            0 of 3         1   CBSA and IRCC should encourage voluntary returns."
        in terminal
    )
    assert "| 2 | in progress | 0 of 3 | 1 | CBSA and IRCC should encourage voluntary returns. |" in markdown
    assert (
        "By recommendation Recommendation Status Milestones done Overdue Text 1 in progress 2 of 4 0 CBSA should refine"
        in html
    )
    assert (
        "\nRecommendation 2\nStatus: in progress, 0 of 3 milestones done (1 retired)\n" in terminal
    )  # 2.2.b retired: 3 apply
    assert "## Recommendation 2\n\n**Status:** in progress, 0 of 3 milestones done (1 retired)\n" in markdown
    assert "Recommendation 2 Status: in progress, 0 of 3 milestones done (1 retired)" in html


def test_summary_row_adds_up_and_verified_is_labelled_part_of_done(committee_plan):
    """Total = done on time + done late + overdue + due soon +
    later + retired; Verified says it counts within the done."""
    markdown = committee_report(committee_plan, "markdown")
    header = (
        "| Plan | Total | Done on time | Done late | Overdue | Due ≤90d | Later | Retired "
        "| Verified (of done) | % done |"
    )
    row = "| All milestones | 8 | 1 | 1 | 1 | 3 | 1 | 1 | 1 | 29% |"
    assert f"{header}\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n{row}\n" in markdown
    total, *parts = [int(cell) for cell in row.strip("| ").split(" | ")[1:8]]
    assert total == sum(parts)
    html = committee_report(committee_plan, "html")
    assert f"{header} {row}".replace("| ", "").replace(" |", "") in html
    assert "Retired Verified (of done) % done" in flat(committee_report(committee_plan, "terminal"))
    for text in (markdown, html):
        assert (
            "8 milestones: 29% implemented (2 complete, 1 of which verified, 1 overdue, 3 due in the next 90 days, "
            "1 later, 1 retired and not counted)" in text
        )


def test_detail_says_reopened_when_and_why_status_beside_state_and_who_verified(committee_plan):
    """Outside the --since window too: 2.1's reopening (day, reason, what
    it withdrew), its status beside its state, who verified 1.1 and when."""
    terminal, markdown, html = (committee_report(committee_plan, fmt) for fmt in ("terminal", "markdown", "html"))
    assert (
        "reopened" not in terminal[terminal.index("Changes since") : terminal.index("Recommendation 1\n")]
    )  # not in the window
    lines = terminal.splitlines()
    at = lines.index("Action 2.1  overdue (62 days overdue)")
    assert [
        "  Status: reopened (in progress again since 2021-01-05)",
        "  Deploy a permanent help line.",
        "  Leads: Scott Harris",
        "  Due: 2020-11-30",
        "  Reopened: 2021-01-05: Evidence incomplete (withdrew the completion of 2020-11-20)",
    ] == lines[at + 1 : at + 6]
    assert "  Verified: 2021-01-10 by Internal Audit" in lines
    assert (
        "- **State:** overdue (62 days overdue)\n- **Status:** reopened (in progress again since 2021-01-05)\n"
        "- **Reopened:** 2021-01-05: Evidence incomplete (withdrew the completion of 2020-11-20)\n"
    ) in markdown
    assert "- **Verified:** 2021-01-10 by Internal Audit" in markdown
    assert (
        "State overdue (62 days overdue) Status reopened (in progress again since 2021-01-05) Reopened 2021-01-05: "
        "Evidence incomplete (withdrew the completion of 2020-11-20)"
    ) in html
    assert "Verified 2021-01-10 by Internal Audit" in html


def test_html_keeps_a_retirement_reason_readable(committee_plan):
    """The reason is text beside the state's badge, never inside it, and nothing is struck through."""
    from oagtrack.render.html import CSS

    out = run("report", *AS_OF, "--format", "html", "--plan", str(committee_plan)).stdout
    assert "line-through" not in CSS
    assert (
        '<dt>State</dt><dd><span class="state state-retired">retired</span> (since <span '
        'class="nw">2021-01-25):</span> Pilot cancelled; see the 2021 plan</dd>'
    ) in out
