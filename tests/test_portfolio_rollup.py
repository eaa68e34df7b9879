"""Portfolio roll-ups: ageing buckets at their limits, the KCA table's original-date rule, each lead's digest."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from oagtrack.core import rollup
from oagtrack.core.history import as_of as plan_as_of
from oagtrack.core.query import standings
from oagtrack.core.validate import validate_bytes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "portfolio" / "plans"


def plan_of(text: str):
    plan, problems = validate_bytes(text.encode(), "plan.yaml", date(2030, 1, 1))
    assert plan is not None, problems
    return plan


def one_action(due: str, history: str = "", audit: str = "") -> str:
    return f"""schema_version: 2
audit:
  id: a-1
  title: Test (fictional)
{audit}people:
  p: {{name: P}}
recommendations:
  - id: "1"
    text: T
    response: {{agreed: true, text: R}}
    outcome: {{id: "1.outcome", text: O, due: 2035-01-01, status: not-started}}
    actions:
      - id: "1.1"
        text: A
        due: {due}
        leads: [p]
{history}"""


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(1, 0), (90, 0), (91, 1), (180, 1), (181, 2), (365, 2), (366, 3), (1095, 3), (1096, 4), (5000, 4)],
)
def test_ageing_buckets_at_their_limits(days, bucket):
    assert rollup.ageing_bucket(days) == bucket
    due = date(2020, 1, 1)
    plan = plan_of(one_action(due.isoformat()))
    as_of = due + timedelta(days=days)
    counts = rollup.ageing(standings(plan_as_of(plan, as_of), as_of))
    assert counts == [1 if n == bucket else 0 for n in range(len(rollup.AGEING_BUCKETS))]


def test_an_item_due_today_is_not_aged():
    with pytest.raises(ValueError):
        rollup.ageing_bucket(0)
    plan = plan_of(one_action("2020-01-01"))
    assert sum(rollup.ageing(standings(plan, date(2020, 1, 1)))) == 0


REVISED = """        status: not-started
        history:
          - date: 2020-06-01
            event: revised
            from: 2020-09-30
            to: 2024-12-31
            reason: later
"""


def test_original_completion_is_the_latest_original_due_date_never_a_revised_one():
    plan = plan_of(one_action("2024-12-31", REVISED))
    items = standings(plan, date(2021, 1, 1))
    # the outcome (2035) is the latest original date; the action's revised date (2024) is not its original (2020)
    assert rollup.original_completion(items) == date(2035, 1, 1)
    action_only = [s for s in items if s.id == "1.1"]
    assert rollup.original_completion(action_only) == date(2020, 9, 30)
    assert rollup.current_completion(action_only) == date(2024, 12, 31)


def test_percent_implemented_leaves_out_retired_items():
    retired = (
        "        status: retired\n        history:\n          - {date: 2020-02-01, event: retired, reason: gone}\n"
    )
    plan = plan_of(one_action("2020-01-01", retired))
    items = standings(plan, date(2021, 1, 1))
    assert rollup.percent_implemented(items) == 0.0  # the outcome still applies, not done
    assert rollup.percent_implemented([s for s in items if s.id == "1.1"]) is None


def test_reason_for_delay_is_the_latest_revision_or_note_recorded_by_then():
    history = REVISED + "          - date: 2020-07-01\n            event: note\n            text: still waiting\n"
    plan = plan_of(one_action("2024-12-31", history))
    at_june = [s for s in standings(plan_as_of(plan, date(2020, 6, 15)), date(2020, 6, 15)) if s.id == "1.1"][0]
    reason = rollup.reason_for_delay(at_june)
    assert reason is not None and reason.kind == "revised"
    later = [s for s in standings(plan, date(2025, 1, 1)) if s.id == "1.1"][0]
    reason = rollup.reason_for_delay(later)
    assert reason is not None and reason.kind == "note" and reason.text == "still waiting"


def test_each_lead_owes_what_is_overdue_or_due_soon_across_audits():
    plans = [plan_of(one_action("2020-01-01")), plan_of(one_action("2020-02-10").replace("a-1", "a-2"))]
    owed = rollup.owed_by_lead(plans, date(2020, 2, 1), timedelta(days=14))
    assert [(o.lead, [(a, s.id) for a, s in o.overdue], [(a, s.id) for a, s in o.due_soon]) for o in owed] == [
        ("p", [("a-1", "1.1")], [("a-2", "1.1")])
    ]


def test_quarters_start_in_april_july_october_and_january():
    assert rollup.quarter_start(date(2021, 1, 31)) == date(2021, 1, 1)
    assert rollup.quarter_start(date(2020, 6, 30)) == date(2020, 4, 1)
    assert rollup.quarter_start(date(2020, 7, 1)) == date(2020, 7, 1)
    assert rollup.quarter_start(date(2020, 12, 31)) == date(2020, 10, 1)
