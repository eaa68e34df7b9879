"""Renderers stay linear in the plan's size: asserted on call counts and shapes, never on time (#6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rich.text import Text
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.model import Plan
from oagtrack.core.query import standings
from oagtrack.core.store import load_plan
from oagtrack.render import ics, timeline

AS_OF = date(2021, 1, 31)
runner = CliRunner()


def plan_text(recs: int, *, overdue_rec: int | None = None) -> str:
    """`recs` recommendations of two actions, each action with two labelled steps (`1.2 a)` then `a.`, `b.`)."""
    out = [
        "schema_version: 2",
        "audit:",
        "  id: shapes",
        "  title: Shapes",
        "  auditor: OAG",
        '  year: "2020"',
        "  organizations: [CBSA]",
        "people:",
        "  p1:",
        "    name: Ann Lee",
        "    org: CBSA",
        "recommendations:",
    ]
    for rec in range(1, recs + 1):
        due = "2020-12-31" if rec == overdue_rec else "2021-06-30"
        out += [
            f'  - id: "{rec}"',
            "    text: Recommendation text.",
            "    leads: [p1]",
            "    response:",
            "      agreed: true",
            "      text: Agreed.",
            "    outcome:",
            f'      id: "{rec}.outcome"',
            "      text: Outcome.",
            "      due: 2022-03-31",
            "      status: not-started",
            "    actions:",
        ]
        for action in (1, 2):
            out += [
                f'      - id: "{rec}.{action}"',
                f'        label: "{rec}.{action} a)"',
                "        text: Action.",
                "        leads: [p1]",
                "        steps:",
            ]
            for step in "ab":
                out += [
                    f'          - id: "{rec}.{action}.{step}"',
                    f'            label: "{step}."',
                    "            text: Step.",
                    f"            due: {due}",
                    "            status: not-started",
                ]
    return "\n".join(out) + "\n"


def load(tmp_path: Path, recs: int, **options) -> Plan:
    path = tmp_path / f"plan-{recs}.yaml"
    path.write_text(plan_text(recs, **options), encoding="utf-8")
    return load_plan(path, date(2030, 1, 1)).plan


def count_calls(monkeypatch, owner, name: str) -> list[int]:
    calls = [0]
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize("todo", [False, True])
def test_calendar_never_scans_the_plan_per_step(tmp_path, monkeypatch, todo):
    """Each step's printed number comes from one index of actions, built once: no Plan.find per step or alarm."""
    plan = load(tmp_path, 30)
    finds = count_calls(monkeypatch, Plan, "find")
    indexes = count_calls(monkeypatch, ics, "actions_by_id")
    text = ics.calendar(plan, standings(plan, AS_OF), AS_OF, todo=todo)
    assert (0, 1) == (finds[0], indexes[0])
    assert "SUMMARY:30.2.b [printed 30.2 a) b.] Step. (CBSA\\, Ann Lee)" in text
    assert 30 * 4 * 2 == text.count("] due 2021-06-30\r\n")  # two reminders per step, each naming its printed number
    assert "DESCRIPTION:30.2.b [printed 30.2 a) b.] due 2021-06-30\r\n" in text


def appends_for(tmp_path, monkeypatch, recs: int) -> int:
    plan = load(tmp_path, recs)
    rows = standings(plan, AS_OF)
    appends = count_calls(monkeypatch, Text, "append")
    timeline.timeline(plan, rows, AS_OF, width=200)
    monkeypatch.undo()
    return appends[0]


def test_timeline_work_grows_linearly_with_rows(tmp_path, monkeypatch):
    """Each recommendation adds the same number of Text appends
    however many came before: runs of cells, not characters."""
    c10, c20, c40 = (appends_for(tmp_path, monkeypatch, recs) for recs in (10, 20, 40))
    assert 2 * (c20 - c10) == c40 - c20  # linear: no per-row cost that grows with the plan
    per_milestone = (c20 - c10) / (10 * 5)
    assert per_milestone < 20  # a row of many month cells costs a few appends, never one per character


def test_row_is_appended_in_runs_of_one_style():
    """A 24-month row of 96 cells is a handful of appends, with the same text and styles as one per character."""
    rows = _one_row()
    text = timeline._row_cells(rows, timeline.months_between(timeline.Month(2020, 1), timeline.Month(2021, 12)), AS_OF)
    assert 96 == len(text.plain)
    assert len(text.spans) <= 4
    assert "│" in text.plain and "◆" in text.plain


def _one_row():
    from oagtrack.core.store import load_plan as _load

    here = Path(__file__).parent.parent / "plan.yaml"
    return next(s for s in standings(_load(here, date(2030, 1, 1)).plan, AS_OF) if s.milestone.id == "3.1")


def test_large_timeline_charts_the_recommendations_needing_attention(tmp_path):
    """Above 500 milestones: 20 recommendations, most overdue first, and a line saying how to see all."""
    plan = load(tmp_path, 110, overdue_rec=77)  # 550 milestones, only recommendation 77 overdue
    rows = standings(plan, AS_OF)
    chart = timeline.timeline(plan, rows, AS_OF, width=200, show_all=False).plain
    lines = chart.splitlines()
    headings = [line.split(":")[0] for line in lines if line.startswith("Recommendation ")]
    assert ["Recommendation 77"] + [f"Recommendation {n}" for n in range(1, 20)] == headings
    assert (
        "100 of 550 milestones charted: the 20 of 110 recommendations most in need of attention, most overdue first."
        == lines[-2]
    )
    assert "--all charts each; --rec, --lead, --org, --state, --from and --to narrow." == lines[-1]
    full = timeline.timeline(plan, rows, AS_OF, width=200, show_all=True).plain
    assert 110 == sum(line.startswith("Recommendation ") for line in full.splitlines())


def test_timeline_cli_all_charts_every_milestone(tmp_path):
    """`timeline --all` charts every recommendation; without it a large plan is summarised."""
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(110), encoding="utf-8")
    env = {"NO_COLOR": "1", "COLUMNS": "200"}
    summary = runner.invoke(
        app, ["timeline", "--as-of", "2021-01-31", "--plan", str(path)], env=env, catch_exceptions=False
    )
    every = runner.invoke(
        app, ["timeline", "--all", "--as-of", "2021-01-31", "--plan", str(path)], env=env, catch_exceptions=False
    )
    assert (0, 0) == (summary.exit_code, every.exit_code)
    assert (20, 110) == (summary.output.count("\nRecommendation "), every.output.count("\nRecommendation "))
    assert "--all charts each" in summary.output and "--all charts each" not in every.output


def test_large_terminal_report_is_summarised_unless_all(tmp_path):
    """Above 500 milestones the terminal report cuts each long
    table to 20 rows and leaves out the detail; --all keeps all."""
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(110, overdue_rec=77), encoding="utf-8")
    env = {"NO_COLOR": "1", "COLUMNS": "200"}
    args = ["report", "--as-of", "2021-01-31", "--plan", str(path)]
    brief = runner.invoke(app, args, env=env, catch_exceptions=False)
    every = runner.invoke(app, [*args, "--all"], env=env, catch_exceptions=False)
    assert (0, 0) == (brief.exit_code, every.exit_code)
    assert "… and 90 more recommendations, most slipped first (--all lists every one)" in brief.output
    assert "… and 530 more stale items, quietest first (--all lists every one)" in brief.output
    assert brief.output.rstrip().endswith(
        "The detail of 110 recommendations (550 milestones) is left out: --all prints it; "
        "--format markdown or html always include it; --rec, --lead, --org, --state narrow."
    )
    assert "\nRecommendation 77\n" not in brief.output and "\nRecommendation 77\n" in every.output
    assert "--all lists every one" not in every.output
    assert 110 == every.output.count("\nExpected outcome  ")


def test_small_report_is_never_summarised(tmp_path):
    """At 500 milestones or fewer, the report is the same with or without --all."""
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(100), encoding="utf-8")  # exactly 500 milestones
    env = {"NO_COLOR": "1", "COLUMNS": "200"}
    args = ["report", "--as-of", "2021-01-31", "--plan", str(path)]
    assert runner.invoke(app, args, env=env).output == runner.invoke(app, [*args, "--all"], env=env).output
