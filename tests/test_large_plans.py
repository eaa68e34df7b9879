"""Large plans: the benchmark generator's plans validate, and `status` summarises them.

A plan of more than 200 milestones is shown as counts per recommendation and
per lead (drawing every row would take seconds); `--all` lists every one.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import date

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.query import by_lead, by_recommendation, standings
from oagtrack.core.validate import validate_bytes
from oagtrack.render.terminal import SUMMARY_ABOVE, SUMMARY_ROWS

_spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

AS_OF = generate.SNAPSHOT
runner = CliRunner()


@pytest.fixture(scope="module")
def big_plan(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "plan.yaml"
    path.write_text(generate.generate(300, seed=3), encoding="utf-8")
    return path


def test_a_generated_plan_is_valid_and_deterministic():
    """Same seed, same text; the plan validates on the day after its snapshot."""
    text = generate.generate(120, seed=7)
    assert text == generate.generate(120, seed=7)
    assert text != generate.generate(120, seed=8)
    plan, problems = validate_bytes(text.encode(), "g.yaml", date(2024, 7, 1))
    assert problems == []
    assert sum(len(rec.actions) for rec in plan.recommendations) == 120
    statuses = {m.status for m in plan.milestones()}
    assert {"complete", "in-progress", "not-started"} <= statuses
    assert any(m.revisions for m in plan.milestones()) and any(m.notes for m in plan.milestones())


def test_status_summarises_a_large_plan(big_plan):
    """Counts per recommendation and per lead, most overdue first, and the summary line."""
    plan, _ = validate_bytes(big_plan.read_bytes(), str(big_plan), AS_OF)
    rows = standings(plan, AS_OF)
    assert len(rows) > SUMMARY_ABOVE
    result = runner.invoke(
        app, ["status", "--as-of", AS_OF.isoformat(), "--plan", str(big_plan)], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert out[0].strip() == "Recommendations needing attention"
    recs = by_recommendation(rows)
    most = max(recs.items(), key=lambda item: item[1]["overdue"])
    first_row = out[3].split()
    assert (first_row[0], first_row[-5]) == (most[0], str(most[1]["overdue"]))
    assert f"… and {len(recs) - SUMMARY_ROWS} more recommendations" in out
    assert "Leads" in [line.strip() for line in out]
    leads = by_lead(rows)
    assert len(leads) <= SUMMARY_ROWS  # 12 people in a 300-action plan: every lead is shown
    assert not any("more leads" in line for line in out)
    assert all(plan.people[key].name in result.stdout for key in leads)
    assert re.fullmatch(
        rf"As of {AS_OF}: {len(rows)} milestones: \d+ complete, \d+ overdue, \d+ due soon, \d+ open", out[-2]
    )
    assert out[-1] == f"{len(rows)} milestones summarised: --all lists each; --rec, --lead, --org, --state narrow."


def test_status_all_lists_every_milestone(big_plan):
    """--all gives the table per recommendation, as for a small plan."""
    plan, _ = validate_bytes(big_plan.read_bytes(), str(big_plan), AS_OF)
    result = runner.invoke(
        app, ["status", "--all", "--as-of", AS_OF.isoformat(), "--plan", str(big_plan)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    first_cells = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert {m.id for m in plan.milestones()} <= first_cells
    assert "Recommendations needing attention" not in result.stdout


def test_a_filtered_large_plan_is_listed_in_full(big_plan):
    """Narrowed to one recommendation, the milestones fit: the usual tables."""
    result = runner.invoke(
        app, ["status", "--rec", "1", "--as-of", AS_OF.isoformat(), "--plan", str(big_plan)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("Recommendation 1: ")
    assert "1.outcome" in result.stdout
