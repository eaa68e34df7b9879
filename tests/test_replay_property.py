"""`--as-of D` shows exactly what was recorded by D: a property over random histories.

For a random sequence of updates (start, complete with evidence, verify,
note, revise, reopen, start again, retire) applied on non-decreasing dates,
the plan seen as of each date D, through `show`, `status` and `export -f
json`, is the plan built from only the updates dated on or before D.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from conftest import SMALL_PLAN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oagtrack.cli import app_for
from oagtrack.core import edit
from oagtrack.core.history import as_of
from oagtrack.core.model import Milestone
from oagtrack.core.query import stand, standings
from oagtrack.core.validate import validate_bytes
from oagtrack.render.export import plan_json
from oagtrack.render.terminal import plain_text, show_group, show_milestone, status_view

TODAY = date(2030, 1, 1)
START = date(2020, 6, 1)
IDS = ("1.1", "1.2", "1.3.a", "1.3.b", "1.outcome")
KINDS = ("start", "complete", "verify", "note", "revise", "reopen", "retire")

runner = CliRunner()


def make_update(kind: str, item_id: str, on: date, n: int) -> edit.Update:
    if kind == "start":
        return edit.Start(item_id, on)
    if kind == "complete":
        return edit.Complete(
            item_id,
            on,
            (f"https://evidence.example/{item_id}/{n}.pdf",) if n % 3 else (),
            f"note {n}" if n % 4 == 0 else "",
        )
    if kind == "verify":
        return edit.Verify(item_id, on, f"Auditor {n}")
    if kind == "note":
        return edit.Note(item_id, f"Progress note {n}", on)
    if kind == "revise":
        return edit.Revise(item_id, on + timedelta(days=30 + n), f"Reason {n}", on, "Committee" if n % 2 else "")
    if kind == "reopen":
        return edit.Reopen(item_id, f"Evidence {n} was not enough", on)
    return edit.Retire(item_id, f"No longer applies ({n})", on)


def views(text: str, day: date) -> dict[str, str]:
    """What show (every milestone), status and export -f json print as of `day`, through the commands' own pipeline."""
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert plan is not None, problems
    plan = as_of(plan, day)
    rows = standings(plan, day)
    seen = {"status": plain_text(status_view(plan, rows)), "export": plan_json(plan, rows, day)}
    for item in plan.items():
        if isinstance(item, Milestone) and item.steps:
            seen[item.id] = plain_text(show_group(plan, item, [stand(plan, step, day) for step in item.steps]))
        else:
            seen[item.id] = plain_text(show_milestone(plan, stand(plan, item, day)))
    return seen


def cli(text: str, tmp_file, day: date) -> tuple[str, str, str]:
    tmp_file.write_text(text, encoding="utf-8")
    out = []
    for args in (["show", "1.1"], ["status"], ["export", "-f", "json"]):
        argv = [*args, "--as-of", day.isoformat(), "-p", str(tmp_file)]
        result = runner.invoke(app_for(argv), argv)  # the app as `oagtrack` builds it: only the command run
        assert result.exit_code == 0, result.output
        out.append(result.stdout)
    return out[0], out[1], out[2]


steps = st.lists(st.tuples(st.integers(0, 45), st.sampled_from(KINDS), st.sampled_from(IDS)), min_size=1, max_size=12)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(steps=steps, probe=st.integers(0, 10_000))
def test_the_plan_as_of_any_day_is_the_plan_of_the_updates_made_by_then(steps, probe, tmp_path) -> None:
    applied: list[edit.Update] = []
    text = SMALL_PLAN
    texts = [text]  # texts[k]: the plan built from the first k updates applied, which are those dated by a day
    on = START
    for n, (gap, kind, item_id) in enumerate(steps):
        on += timedelta(days=gap)
        update = make_update(kind, item_id, on, n)
        try:
            text = edit.apply(text, update, today=TODAY)
        except edit.EditError:
            continue  # refused by the lifecycle: it was never recorded
        applied.append(update)
        texts.append(text)
    candidates = sorted(
        {u.on for u in applied}
        | {u.on - timedelta(days=1) for u in applied}
        | {START - timedelta(days=1), on + timedelta(days=1)}
    )
    days = sorted({candidates[(probe + k * 7919) % len(candidates)] for k in range(3)})  # up to three days per example
    for day in days:
        built = texts[sum(1 for u in applied if u.on <= day)]
        assert views(text, day) == views(built, day), day
    # And through the command line itself, on one of those days.
    day = days[probe % len(days)]
    full, prefix = tmp_path / "full.yaml", tmp_path / "prefix.yaml"
    through_cli = cli(text, full, day)
    assert through_cli == cli(texts[sum(1 for u in applied if u.on <= day)], prefix, day)
    exported = json.loads(through_cli[2])
    items = [item for rec in exported["recommendations"] for item in [rec["outcome"], *rec["actions"]]]
    items += [step for item in items for step in item.get("steps", [])]
    assert all(entry["date"] <= day.isoformat() for item in items for entry in item.get("history", []))
