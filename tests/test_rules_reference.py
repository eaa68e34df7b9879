"""docs/rules.md says every rule the code checks, each in its docstring's words, in the order the code runs them."""

from __future__ import annotations

import sys

from conftest import ROOT

from oagtrack.core import history, review, validate

sys.path.insert(0, str(ROOT / "tools"))
import rules_reference  # noqa: E402


def test_rules_reference_is_current():
    """docs/rules.md is what tools/rules_reference.py writes from the rules in the code now."""
    assert rules_reference.render() == rules_reference.REFERENCE.read_text(encoding="utf-8"), (
        "run: python tools/rules_reference.py --update"
    )


def test_each_rule_is_one_line_of_the_reference():
    """A rule is listed by its name and the one line of its docstring, so the reader can find it in the code."""
    text = rules_reference.render()
    rules = [*validate.PLAN_RULES, *validate.MILESTONE_RULES, *validate.ENTRY_RULES, *history.RULES]
    rules += [*review.PLAN_CHANGE_RULES, *review.CHANGE_RULES]
    assert [] == [rule.__name__ for rule in rules if f"- `{rule.__name__}`: {rule.__doc__}\n" not in text]


def test_the_lifecycle_table_has_a_row_per_kind_of_entry():
    """The table of transitions comes from history.TRANSITIONS: a completion follows work not done."""
    text = rules_reference.render()
    assert "| `completed` | not-started, in-progress, reopened | complete |\n" in text
    assert len(history.TRANSITIONS) == text.count("\n| `")
