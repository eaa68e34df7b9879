"""Each rule of a change between two versions (`review.CHANGE_RULES`, `review.PLAN_CHANGE_RULES`), alone.

Every rule gets a change that breaks it, with the exact finding and where it
points in the new version, and a change that keeps it. `check_change`, which
runs them all, is tested in tests/test_rules.py.
"""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import pytest

from oagtrack.core import review
from oagtrack.core.model import Milestone, Plan, Position
from oagtrack.core.review import RETIRE_HINT, Finding
from oagtrack.core.validate import validate_bytes

TODAY = date(2021, 6, 30)

BASE = """\
schema_version: 2
audit:
  id: rules-audit
  title: Rules audit
people:
  ana:
    name: Ana Lead
recommendations:
  - id: "1"
    text: Do the thing.
    leads: [ana]
    response:
      agreed: true
      text: Agreed.
    outcome:
      id: "1.outcome"
      text: The thing is done.
      due: 2021-06-30
    actions:
      - id: "1.1"
        text: Done already.
        due: 2020-09-30
        status: complete
        history:
          - date: 2020-09-28
            event: completed
            evidence: [https://example.org/1.1]
      - id: "1.2"
        text: Due once.
        due: 2021-01-31
  - id: "2"
    text: Another.
    response:
      agreed: true
      text: Agreed.
    outcome:
      id: "2.outcome"
      text: Done.
      due: 2021-06-30
    actions:
      - id: "2.1"
        text: Act.
        due: 2021-03-31
        leads: [ana]
"""


def plan_of(text: str) -> Plan:
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert [] == problems
    assert plan is not None
    return plan


def changed(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def at(text: str, needle: str, after: str = "") -> Position:
    """The 1-based line and column where `needle` starts (after the first `after`)."""
    index = text.index(needle, text.index(after) if after else 0)
    line = text.count("\n", 0, index) + 1
    return Position(line, index - text.rfind("\n", 0, index))


def milestone_findings(rule, new_text: str, item_id: str, base_text: str = BASE) -> list[Finding]:
    old, new = plan_of(base_text).find(item_id), plan_of(new_text).find(item_id)
    assert isinstance(old, Milestone) and isinstance(new, Milestone)
    return list(rule(old, new))


def plan_findings(rule, new_text: str) -> list[tuple[str, Finding]]:
    return list(rule(plan_of(BASE), plan_of(new_text)))


# -- the rules on the plan as a whole -------------------------------------------
def test_recommendations_are_never_deleted_is_broken_by_deleting_one():
    """Recommendation 2 deleted: found at recommendation 1, the nearest one kept before it."""
    new = BASE[: BASE.index('  - id: "2"')]
    assert [("", Finding(at(new, 'id: "1"'), f"recommendation 2 was deleted; {RETIRE_HINT}"))] == plan_findings(
        review.recommendations_are_never_deleted, new
    )


def test_recommendations_are_never_deleted_is_kept_when_one_is_only_changed():
    """A recommendation whose text changes is still there."""
    new = changed("text: Another.", "text: Another, reworded.")
    assert [] == plan_findings(review.recommendations_are_never_deleted, new)


def test_items_are_never_deleted_is_broken_by_deleting_an_action():
    """Action 1.2 deleted: found at its recommendation, naming the item it is about."""
    new = changed('      - id: "1.2"\n        text: Due once.\n        due: 2021-01-31\n', "")
    expected = [("1.2", Finding(at(new, 'id: "1"'), f"action 1.2 was deleted; {RETIRE_HINT}"))]
    assert expected == plan_findings(review.items_are_never_deleted, new)


def test_items_are_never_deleted_is_kept_for_the_items_of_a_deleted_recommendation():
    """The items of a deleted recommendation are not reported one by one."""
    new = BASE[: BASE.index('  - id: "2"')]
    assert [] == plan_findings(review.items_are_never_deleted, new)


# -- the rules on each milestone kept -------------------------------------------
ONE_NOTE = changed(
    "        text: Due once.\n        due: 2021-01-31\n",
    "        text: Due once.\n        due: 2021-01-31\n        history:\n          - date: 2021-01-05\n"
    "            event: note\n            text: Kick-off.\n",
)
TWO_NOTES = changed(
    "            text: Kick-off.\n",
    "            text: Kick-off.\n          - date: 2021-01-06\n            event: note\n            text: Second.\n",
    ONE_NOTE,
)


def test_history_is_append_only_is_broken_by_removing_an_entry():
    """The second note of 1.2 removed: found at the history key's value."""
    assert [
        Finding(
            at(ONE_NOTE, "- date: 2021-01-05"), "history entry 2021-01-06 (note) was removed; history is append-only"
        )
    ] == milestone_findings(review.history_is_append_only, ONE_NOTE, "1.2", base_text=TWO_NOTES)


def test_history_is_append_only_is_broken_by_editing_an_entry():
    """The evidence of a recorded completion edited: found at the edited key's value."""
    new = changed("evidence: [https://example.org/1.1]", "evidence: [https://example.org/other]")
    assert [
        Finding(
            at(new, "[https://example.org/other]"),
            "history entry 2020-09-28 (completed) was edited (evidence: [https://example.org/1.1] ->"
            " [https://example.org/other]); history is append-only: add a new entry instead",
        )
    ] == milestone_findings(review.history_is_append_only, new, "1.1")


def test_history_is_append_only_is_broken_by_inserting_an_entry_before_recorded_ones():
    """A note dated before the recorded completion, put before it: found at the new entry."""
    new = changed(
        "          - date: 2020-09-28\n            event: completed\n",
        "          - date: 2020-09-01\n            event: note\n            text: Early.\n"
        "          - date: 2020-09-28\n            event: completed\n",
    )
    assert [
        Finding(
            at(new, "date: 2020-09-01"),
            "history entry 2020-09-01 (note) was inserted among recorded entries; history is append-only:"
            " new entries go at the end, dated on or after the last one",
        )
    ] == milestone_findings(review.history_is_append_only, new, "1.1")


def test_history_is_append_only_is_kept_by_appending_an_entry():
    """A note added after the completion is what the rule allows."""
    new = changed(
        "            evidence: [https://example.org/1.1]\n",
        "            evidence: [https://example.org/1.1]\n          - date: 2020-10-01\n            event: note\n"
        "            text: Followed up.\n",
    )
    assert [] == milestone_findings(review.history_is_append_only, new, "1.1")


REVISED_FROM_ELSEWHERE = changed(
    "        text: Due once.\n        due: 2021-01-31\n",
    "        text: Due once.\n        due: 2021-03-31\n        history:\n          - date: 2021-01-20\n"
    "            event: revised\n            from: 2021-02-15\n            to: 2021-03-31\n"
    "            reason: Partner late.\n",
)


def test_first_revision_moves_the_original_due_is_broken_by_a_revision_from_another_date():
    """A first revision from a date the item never had: found at its `from`."""
    assert [
        Finding(
            at(REVISED_FROM_ELSEWHERE, "2021-02-15"),
            "the first revision moves the due date from 2021-02-15, but it was 2021-01-31;"
            " the original due date never changes",
        )
    ] == milestone_findings(review.first_revision_moves_the_original_due, REVISED_FROM_ELSEWHERE, "1.2")


def test_first_revision_moves_the_original_due_is_kept_by_a_revision_from_the_due_date():
    """A revision from the date first committed to."""
    new = REVISED_FROM_ELSEWHERE.replace("from: 2021-02-15", "from: 2021-01-31")
    assert [] == milestone_findings(review.first_revision_moves_the_original_due, new, "1.2")


WITH_STEPS = changed(
    "        text: Due once.\n        due: 2021-01-31\n",
    '        text: Due once.\n        steps:\n          - id: "1.2.a"\n            text: Step.\n'
    "            due: 2021-01-31\n",
)


def test_due_stays_when_steps_are_added_is_broken_by_trading_the_due_date_for_steps():
    """Action 1.2 loses its due date to steps: found at the steps."""
    assert [
        Finding(
            at(WITH_STEPS, '- id: "1.2.a"'),
            "due date 2021-01-31 was dropped when steps were added; the original due date never changes:"
            " keep the action as it was and add new actions for the steps",
        )
    ] == milestone_findings(review.due_stays_when_steps_are_added, WITH_STEPS, "1.2")


def test_due_stays_when_steps_are_added_is_kept_by_an_action_given_steps_that_never_had_a_due_date():
    """An action that already had steps keeps them: there was no due date to keep."""
    assert [] == milestone_findings(review.due_stays_when_steps_are_added, WITH_STEPS, "1.2", base_text=WITH_STEPS)


def test_due_is_never_removed_is_broken_by_removing_the_due_date():
    """The due date of 1.2 gone: found at the item.

    `validate` requires a due date on every milestone without steps, so
    `check` never compares such a version; the rule is judged on the values.
    """
    old = plan_of(BASE).find("1.2")
    assert isinstance(old, Milestone)
    new = old._replace(due=None)
    assert [
        Finding(old.at, "due date 2021-01-31 was removed; the original due date never changes: put it back")
    ] == list(review.due_is_never_removed(old, new))


def test_due_is_never_removed_is_kept_when_the_due_date_stays():
    """A change of text leaves the due date where it was."""
    new = changed("text: Due once.", "text: Due once, reworded.")
    assert [] == milestone_findings(review.due_is_never_removed, new, "1.2")


def test_due_changes_only_by_revision_is_broken_by_editing_the_date():
    """The due date moved without a revision: found at the new date."""
    new = changed("due: 2021-01-31", "due: 2021-02-28")
    assert [
        Finding(
            at(new, "2021-02-28"),
            "due date changed from 2021-01-31 to 2021-02-28 without a revision entry; record it with oagtrack revise"
            " 1.2",
        )
    ] == milestone_findings(review.due_changes_only_by_revision, new, "1.2")


def test_due_changes_only_by_revision_is_kept_by_a_revision():
    """The same move recorded as a revision."""
    new = REVISED_FROM_ELSEWHERE.replace("from: 2021-02-15", "from: 2021-01-31")
    assert [] == milestone_findings(review.due_changes_only_by_revision, new, "1.2")


@pytest.mark.parametrize(
    "new_text",
    [REVISED_FROM_ELSEWHERE, WITH_STEPS, changed("due: 2021-01-31", "due: 2021-02-28")],
    ids=["revision from elsewhere", "steps", "edited"],
)
def test_exactly_one_due_date_rule_speaks_of_a_moved_original_due_date(new_text):
    """The four due-date rules split one question: however the date moved, one of them says so, once."""
    due_rules = [
        review.first_revision_moves_the_original_due,
        review.due_stays_when_steps_are_added,
        review.due_is_never_removed,
        review.due_changes_only_by_revision,
    ]
    assert [1] == [sum(len(milestone_findings(rule, new_text, "1.2")) for rule in due_rules)]


# -- every rule is listed, documented and tested -----------------------------------
ALL_RULES = [*review.PLAN_CHANGE_RULES, *review.CHANGE_RULES]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.__name__)
def test_every_rule_says_what_it_checks_in_one_line(rule):
    """docs/rules.md prints each rule's first docstring line; it must be the whole docstring, one sentence."""
    doc = inspect.getdoc(rule) or ""
    assert 1 == len(doc.splitlines()) and doc.endswith("."), rule.__name__


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.__name__)
def test_every_rule_is_broken_and_kept_by_a_test_here(rule):
    """Each rule has a test named for it that breaks it and one that keeps it."""
    names = [line for line in Path(__file__).read_text(encoding="utf-8").splitlines() if line.startswith("def test_")]
    assert [True, True] == [
        any(f"test_{rule.__name__}_is_broken" in name for name in names),
        any(f"test_{rule.__name__}_is_kept" in name for name in names),
    ]
