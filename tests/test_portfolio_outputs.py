"""report, timeline, calendar and export on a portfolio: every item once, each named by its qualified id.

Each output is read back by what consumes it: JSON by `json`, CSV by `csv`, the calendar by `icalendar`; the
report and the timeline are read as the lines a person sees.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio"
runner = CliRunner()
AS_OF = "2021-03-31"
#: The recommendations of the example portfolio, in the order its file names the plans.
RECOMMENDATIONS = [
    "oag-2020-immigration-removals:1",
    "oag-2020-immigration-removals:2",
    "oag-2020-immigration-removals:3",
    "ia-2019-grants:1",
    "ia-2019-grants:2",
    "oag-2018-procurement:1",
    "ia-2020-it-security:1",
]
MILESTONES = 27  # as `status` counts them: outcomes, actions, and the steps of an action in steps


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def portfolio(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("OAGTRACK_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


def leaf_milestones(exported: dict) -> list[dict]:
    """Every milestone of an exported plan that has a state of its own: outcomes, actions, steps."""
    found = []
    for rec in exported["recommendations"]:
        found.append(rec["outcome"])
        for action in rec["actions"]:
            found += action.get("steps") or [action]
    return found


def test_export_json_names_every_item_by_its_qualified_id(portfolio):
    result = run("export", "--as-of", AS_OF)
    assert (result.exit_code, result.stderr) == (0, "")
    exported = json.loads(result.stdout)
    assert exported["as_of"] == AS_OF
    assert [rec["id"] for rec in exported["recommendations"]] == RECOMMENDATIONS
    milestones = leaf_milestones(exported)
    ids = [m["id"] for m in milestones]
    assert len(ids) == len(set(ids)) == MILESTONES
    for milestone in milestones:
        audit, _, local = milestone["id"].partition(":")
        assert milestone["recommendation"] == f"{audit}:{local.split('.')[0]}", milestone["id"]
    assert {"lemieux", "okafor", "chen", "harris"} <= set(exported["people"])  # people of every plan, and shared


def test_export_csv_read_back_has_the_rows_of_the_json(portfolio, tmp_path):
    """Written with -o: a UTF-8 file with a byte-order mark, one row per milestone, the same ids and states."""
    target = tmp_path / "portfolio.csv"
    result = run("export", "--as-of", AS_OF, "-f", "csv", "-o", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    from_json = {m["id"]: m["state"] for m in leaf_milestones(json.loads(run("export", "--as-of", AS_OF).stdout))}
    assert {row["id"]: row["state"] for row in rows} == from_json
    assert len(rows) == MILESTONES
    assert sorted({row["recommendation"] for row in rows}) == sorted(RECOMMENDATIONS)


def test_the_calendar_of_a_portfolio_has_an_event_per_milestone_named_by_qualified_id(portfolio):
    result = run("calendar", "--as-of", AS_OF)
    assert result.exit_code == 0
    events = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert len(events) == MILESTONES
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == MILESTONES
    # A summary is the item's id, then its text; a done or retired item's starts with a word saying so.
    named = [re.sub(r"^(Done|Retired): ", "", str(event["SUMMARY"])).split(" ")[0] for event in events]
    exported = leaf_milestones(json.loads(run("export", "--as-of", AS_OF).stdout))
    assert sorted(named) == sorted(m["id"] for m in exported)
    assert "UID:portfolio-ia-2020-it-security%3A1.2@oagtrack" in result.stdout.splitlines()


def test_the_timeline_of_a_portfolio_heads_each_recommendation_with_its_qualified_id(portfolio):
    lines = run("timeline", "--as-of", AS_OF).stdout.splitlines()
    headings = [line.split(": ")[0].removeprefix("Recommendation ") for line in lines if line.startswith("Recom")]
    assert headings == RECOMMENDATIONS
    row = next(at for at, line in enumerate(lines) if line.startswith("ia-2020-it-security:1.2 "))
    assert "2021-02-28, 31d overdue" in " ".join(lines[row : row + 2])  # on the row, or below it when narrow


def test_the_report_of_a_portfolio_has_a_row_per_recommendation_of_every_audit(portfolio):
    lines = run("report", "--as-of", AS_OF, "-f", "markdown").stdout.splitlines()
    assert lines[0] == "# Progress report: Example department, audit portfolio (fictional, but for plan.yaml)"
    start = lines.index("### By recommendation")
    table = [line for line in lines[start + 1 :] if line.startswith("| ")]
    rows = table[2 : 2 + len(RECOMMENDATIONS)]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == RECOMMENDATIONS
    assert rows[-1] == (
        "| ia-2020-it-security:1 | in progress | 1 of 3 | 1 |"
        " Critical patches should be applied within the time the policy sets. |"
    )
