"""Each rule in validate's lists, alone: a plan that breaks it, with the exact problem at FILE:LINE:COL,
and one that keeps it.

The plans are the small plan of conftest.py with one change. A rule's
problems must go when the rule is taken out of its list, so each case
proves which rule found it, not only that something did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

import pytest
from conftest import SMALL_PLAN

from oagtrack.core import validate

TODAY = date(2022, 1, 1)

#: Each list of rules by its name in validate, so a test can take one rule out of it.
RULE_LISTS = {"PLAN_RULES": validate.PLAN_RULES, "MILESTONE_RULES": validate.MILESTONE_RULES}
RULE_LISTS["ENTRY_RULES"] = validate.ENTRY_RULES
ALL_RULES: list[tuple[str, Callable[..., Any]]] = [(name, rule) for name, rules in RULE_LISTS.items() for rule in rules]


def problems(text: str) -> list[str]:
    plan, found = validate.validate_bytes(text.encode("utf-8"), "p.yaml", TODAY)
    assert (plan is None) == bool(found)
    return [str(problem) for problem in found]


def edit(*changes: tuple[int, int, str]) -> str:
    """The small plan with lines `first` to `last` (1-based, inclusive) replaced by `new`; `last` = first - 1 inserts.

    Changes are applied last line first, so each names lines as numbered in the small plan.
    """
    lines = SMALL_PLAN.splitlines()
    for first, last, new in sorted(changes, reverse=True):
        lines[first - 1 : last] = new.splitlines()
    return "\n".join(lines) + "\n"


def action_1_1(status: str, *entries: str) -> str:
    """Action 1.1's status line (line 28 of the small plan) with a history of `entries`, each `key: value; ...`."""
    lines = [f"        status: {status}", "        history:"] if entries else [f"        status: {status}"]
    for entry in entries:
        pairs = entry.split("; ")
        lines += ["          - " + pairs[0], *("            " + pair for pair in pairs[1:])]
    return "\n".join(lines)


class Case(NamedTuple):
    broken: str
    expected: list[str]
    kept: str


COMPLETED = "date: 2020-09-20; event: completed; evidence: [https://example.org/1.1]"
REVISED = "date: 2020-09-15; event: revised; from: 2020-09-30; to: 2020-12-31; reason: partner late"

#: For each rule, by name: a plan that breaks it, the problems it reports, and a plan that keeps it.
CASES = {
    "plan_has_recommendations": Case(
        edit((13, 41, "recommendations: []")),
        ["p.yaml:13:18: recommendations: the plan has no recommendations"],
        SMALL_PLAN,
    ),
    "ids_are_unique": Case(
        edit((29, 29, '      - id: "1.1"')),
        ["p.yaml:29:13: duplicate id '1.1' (first at line 25, column 13)"],
        edit((29, 29, '      - id: "1.1.0"')),  # an id that begins with another's is another id
    ),
    "person_keys_are_not_ids": Case(
        edit((10, 10, '  "1.2":'), (32, 32, '        leads: ["1.2"]')),
        [
            "p.yaml:10:3: people: key '1.2' is also the id of action 1.2 (line 29, column 13); "
            "a name given to a command must name one thing"
        ],
        edit((10, 10, '  "1.2.lead":'), (32, 32, '        leads: ["1.2.lead"]')),
    ),
    "labels_name_one_item": Case(
        edit((27, 26, '        label: "1.2"')),
        [
            "p.yaml:27:16: action 1.1 label: '1.2' is also the id of action 1.2 (line 30, column 13); "
            "a label must name only its own item, or `oagtrack show 1.2` could mean either"
        ],
        edit((27, 26, '        label: "1.1"')),  # its own id names the item itself
    ),
    "steps_hold_the_dates": Case(
        edit((35, 34, "        due: 2021-06-30")),
        ["p.yaml:35:14: action 1.3: 'due' belongs on its steps, not on an action that has steps"],
        SMALL_PLAN,  # action 1.3 has steps and no due date, status or history
    ),
    "due_date_is_given": Case(
        edit((31, 31, "")),
        ["p.yaml:29:9: action 1.2: missing required key 'due'"],
        SMALL_PLAN,  # action 1.3 has steps: its due dates are theirs
    ),
    "history_keeps_its_rules": Case(
        edit((28, 28, action_1_1("complete", "date: 2020-09-20; event: completed"))),
        [
            "p.yaml:30:13: action 1.1: a completion needs evidence: at least one link or path "
            "(--evidence on the command line, evidence: in its history entry)"
        ],
        edit((28, 28, action_1_1("complete", COMPLETED))),
    ),
    "status_is_what_history_makes_it": Case(
        edit((28, 28, action_1_1("complete"))),
        [
            "p.yaml:28:17: action 1.1: status complete, but no history entry makes it not-started; "
            "record each change with the oagtrack commands, which write both"
        ],
        edit((28, 28, action_1_1("complete", COMPLETED))),
    ),
    "due_date_is_where_revisions_moved_it": Case(
        edit((28, 28, action_1_1("in-progress", "date: 2020-09-01; event: started", REVISED))),
        [
            "p.yaml:27:14: action 1.1: due 2020-09-30, but the last revision in history moved it to 2020-12-31; "
            "record every change with `oagtrack revise`"
        ],
        edit(
            (27, 27, "        due: 2020-12-31"),
            (28, 28, action_1_1("in-progress", "date: 2020-09-01; event: started", REVISED)),
        ),
    ),
    "entry_has_the_keys_its_kind_needs": Case(
        edit((28, 28, action_1_1("verified", COMPLETED, "date: 2020-10-01; event: verified"))),
        ["p.yaml:33:13: action 1.1: a verified entry needs 'by'"],
        edit((28, 28, action_1_1("verified", COMPLETED, "date: 2020-10-01; event: verified; by: Internal Audit"))),
    ),
    "entry_has_only_the_keys_its_kind_takes": Case(
        edit((28, 28, action_1_1("in-progress", "date: 2020-09-01; event: started; evidence: [a.pdf]"))),
        ["p.yaml:32:23: action 1.1: 'evidence' does not belong in a started entry (it takes date, event)"],
        edit((28, 28, action_1_1("complete", COMPLETED))),  # evidence belongs in a completion
    ),
}


@pytest.mark.parametrize(("list_name", "rule"), ALL_RULES, ids=[rule.__name__ for _, rule in ALL_RULES])
def test_a_plan_that_breaks_the_rule_is_told_exactly_where(list_name, rule):
    """The broken plan gets exactly the rule's problems, at FILE:LINE:COL."""
    case = CASES[rule.__name__]
    assert case.expected == problems(case.broken)


@pytest.mark.parametrize(("list_name", "rule"), ALL_RULES, ids=[rule.__name__ for _, rule in ALL_RULES])
def test_the_problems_are_the_rules_own(list_name, rule, monkeypatch):
    """Taken out of its list, the rule's problems go: no other rule or check reports them."""
    case = CASES[rule.__name__]
    monkeypatch.setattr(validate, list_name, tuple(other for other in RULE_LISTS[list_name] if other is not rule))
    left = problems(case.broken)
    assert [] == [message for message in case.expected if message in left]


@pytest.mark.parametrize(("list_name", "rule"), ALL_RULES, ids=[rule.__name__ for _, rule in ALL_RULES])
def test_a_plan_that_keeps_the_rule_passes(list_name, rule):
    """The plan kept to the rule, a near miss of the broken one, is valid."""
    assert [] == problems(CASES[rule.__name__].kept)


@pytest.mark.parametrize(("list_name", "rule"), ALL_RULES, ids=[rule.__name__ for _, rule in ALL_RULES])
def test_every_rule_says_in_one_line_what_must_hold(list_name, rule):
    """docs/rules.md shows each rule by its docstring: one sentence, on one line."""
    doc = rule.__doc__ or ""
    assert (True, False, True) == (bool(doc), "\n" in doc, doc.endswith("."))


def test_every_rule_has_a_case_and_every_case_a_rule():
    """A rule added to a list without a case here, or a case left after its rule went, fails."""
    assert sorted(rule.__name__ for _, rule in ALL_RULES) == sorted(CASES)
