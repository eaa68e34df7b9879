"""`export --format csv` read back with the `csv` module, as a program or a spreadsheet reads it.

Each evidence link or path is on a line of its own inside its cell: a path
holds spaces, a link commas, semicolons and pipes, but neither holds a line
break. The columns an audit committee asks for (organizations, verified
when and by whom, days late, revisions, the latest note) follow the older
ones, which keep their places.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import BUNDLED_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "reports" / "small.yaml"
HOSTILE = HERE / "fixtures" / "reports" / "hostile.yaml"
AS_OF = ["--as-of", "2021-01-31"]
runner = CliRunner()

#: Values a CSV writer must quote: spaces, commas, quotes, backslashes, a line break.
ROUND_TRIP_PLAN = r"""schema_version: 2
audit:
  id: t
  title: T
people:
  ana:
    name: "Ana \"A\" Lead, Jr."
    org: "Org, Inc."
  bo:
    name: Bo Second
    org: IRCC
recommendations:
  - id: "1"
    text: R.
    leads: [ana]
    response:
      agreed: true
      text: A.
    outcome:
      id: "1.outcome"
      text: O.
      due: 2021-03-31
    actions:
      - id: "1.1"
        text: "Two lines, \"quoted\"\nsecond, line"
        due: 2020-09-30
        leads: [ana, bo]
        status: verified
        history:
          - date: 2020-09-15
            event: completed
            evidence:
              - "C:\\Program Files\\MAP evidence\\report, final \"v2\".pdf"
              - "https://x.example/a,b;c|d e?q=\"1\""
              - "GCdocs 12345"
              - "line\nbreak"
          - date: 2020-10-01
            event: verified
            by: "Audit, \"Internal\""
          - date: 2020-10-02
            event: note
            text: "=cmd() a note, with \"quotes\"\nand a second line"
"""


def export_csv(plan: Path, target: Path, *args: str) -> list[dict[str, str]]:
    """Export to a file and read it back as a spreadsheet's CSV import would: BOM, quoted fields, CR LF rows."""
    result = runner.invoke(
        app,
        ["export", "--format", "csv", *AS_OF, "--plan", str(plan), "-o", str(target), *args],
        catch_exceptions=False,
    )
    assert 0 == result.exit_code, result.output
    with target.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_columns_old_ones_first_in_their_places(tmp_path):
    """The header: the twelve columns of before, unmoved, then the six new ones."""
    export_csv(SMALL, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert [
        "id", "kind", "recommendation", "text", "due", "original_due", "state", "status", "days_overdue", "leads",
        "completed", "evidence", "organizations", "verified", "verified_by", "days_late", "revisions",
        "latest_note_date", "latest_note",
    ] == header  # fmt: skip


def test_the_new_columns_say_what_the_committee_asks(tmp_path):
    """Organizations, verified date and by whom, days late, revisions and the latest note, per milestone."""
    rows = {row["id"]: row for row in export_csv(SMALL, tmp_path / "out.csv")}
    new = ("organizations", "verified", "verified_by", "days_late", "revisions", "latest_note_date", "latest_note")
    assert {
        "1.1": ("CBSA", "2021-01-10", "Internal Audit", "0", "0", "", ""),
        "1.2": ("CBSA", "", "", "0", "2", "2021-01-20", "Vendor selected; build under way."),
        "1.3": ("CBSA", "", "", "12", "0", "", ""),
        "2.2.a": ("IRCC", "", "", "0", "0", "", ""),
    } == {key: tuple(rows[key][column] for column in new) for key in ("1.1", "1.2", "1.3", "2.2.a")}


def test_a_joint_milestone_names_each_organization_once():
    """3.4a is led by CBSA and IRCC: both, in the order of the leads; a milestone of one organization names it once."""
    result = runner.invoke(
        app, ["export", "--format", "csv", *AS_OF, "--plan", str(BUNDLED_PLAN)], catch_exceptions=False
    )
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert ("Scott Harris; Dr. Nicole Giles", "CBSA; IRCC") == (rows["3.4a"]["leads"], rows["3.4a"]["organizations"])
    assert "CBSA" == rows["1.1"]["organizations"]


def test_values_with_spaces_commas_quotes_and_newlines_round_trip(tmp_path):
    """Every such value reads back exactly; each evidence link or
    path comes back whole by splitting its cell on line breaks."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(ROUND_TRIP_PLAN, encoding="utf-8")
    row = export_csv(plan, tmp_path / "out.csv")[0]
    assert 'Two lines, "quoted"\nsecond, line' == row["text"]
    assert 'Ana "A" Lead, Jr.; Bo Second' == row["leads"]
    assert "Org, Inc.; IRCC" == row["organizations"]
    assert 'Audit, "Internal"' == row["verified_by"]
    assert [
        'C:\\Program Files\\MAP evidence\\report, final "v2".pdf',
        'https://x.example/a,b;c|d e?q="1"',
        "GCdocs 12345",
        "line\\x0abreak",  # a line break inside one (no link or path has one) is shown, so it cannot split it in two
    ] == row["evidence"].split("\n")
    assert ("2020-10-01", "2020-10-02") == (row["verified"], row["latest_note_date"])


def test_formula_like_cells_in_the_new_columns_are_neutralised(tmp_path):
    """A note or an organization starting with `=` gets a quote, as every other cell does."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(ROUND_TRIP_PLAN, encoding="utf-8")
    row = export_csv(plan, tmp_path / "out.csv")[0]
    assert '\'=cmd() a note, with "quotes"\nand a second line' == row["latest_note"]
    hostile = {row["id"]: row for row in export_csv(HOSTILE, tmp_path / "hostile.csv")}
    assert "'=CBSA" == hostile["1.1"]["organizations"]
    assert (
        'javascript:alert(1)\nhttps://example.org/ok?a=1&b="2"\ndata:text/html,<script>alert(1)</script>'
        == hostile["1.1"]["evidence"]
    )
    for row in hostile.values():
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)


def test_a_first_evidence_line_like_a_formula_is_neutralised(tmp_path):
    """The quote goes before the cell's first line, where a spreadsheet would read a formula."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(ROUND_TRIP_PLAN.replace('"C:\\\\Program Files', '"+C:\\\\Program Files'), encoding="utf-8")
    row = export_csv(plan, tmp_path / "out.csv")[0]
    assert '\'+C:\\Program Files\\MAP evidence\\report, final "v2".pdf' == row["evidence"].split("\n")[0]
