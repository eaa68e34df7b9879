"""Each rule of `history.RULES`, alone and in a plan: what it says about one entry, and where validate reports it.

A rule is a pure function of (state before, entry, today), so each is
called directly with the smallest state that breaks it and a near miss
that keeps it; then one plan per rule shows the complaint at FILE:LINE:COL.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest
from test_validate_rules import action_1_1, edit, problems

from oagtrack.core import history
from oagtrack.core.history import State
from oagtrack.core.model import Event

D = date.fromisoformat


class Case(NamedTuple):
    state: State
    event: Event
    today: date | None
    complaint: str | None  # None: the rule is kept


#: For each rule, by name: entries that break it, with the exact complaint, and near misses that keep it.
CASES: dict[str, list[Case]] = {
    "in_date_order": [
        Case(
            State(last=D("2021-02-01")),
            Event(D("2021-01-31"), "note", text="late"),
            None,
            "a note entry dated 2021-01-31 comes after one dated 2021-02-01; "
            "history is oldest first, and nothing is recorded before what it follows",
        ),
        Case(State(last=D("2021-02-01")), Event(D("2021-02-01"), "note", text="same day"), None, None),
    ],
    "not_in_future": [
        Case(
            State(),
            Event(D("2021-07-01"), "started"),
            D("2021-06-30"),
            "a started entry dated 2021-07-01, after today (2021-06-30); record things once they happen",
        ),
        Case(State(), Event(D("2021-06-30"), "started"), D("2021-06-30"), None),
        Case(State(), Event(D("2999-01-01"), "started"), None, None),  # no today: nothing is in the future
    ],
    "follows_lifecycle": [
        Case(
            State(status="in-progress", started=D("2021-01-04")),
            Event(D("2021-02-01"), "started"),
            None,
            "cannot be started on 2021-02-01: it is already in-progress (started 2021-01-04); "
            "start applies to a milestone not started or reopened",
        ),
        Case(
            State(status="complete", completed=D("2021-01-04")),
            Event(D("2021-02-01"), "started"),
            None,
            "cannot be started on 2021-02-01: it is complete (completed 2021-01-04); "
            "reopen it first if the completion no longer stands",
        ),
        Case(
            State(status="verified", completed=D("2021-01-04"), verified=D("2021-01-10"), verified_by="IA"),
            Event(D("2021-02-01"), "completed", evidence=("a.pdf",)),
            None,
            "cannot be completed on 2021-02-01: it is already verified (completed 2021-01-04, verified 2021-01-10 "
            "by IA); to record a new completion, reopen it first",
        ),
        Case(
            State(status="in-progress"),
            Event(D("2021-02-01"), "verified", by="IA"),
            None,
            "cannot be verified on 2021-02-01: it is in-progress; only a complete milestone can be verified: "
            "complete it first",
        ),
        Case(
            State(status="verified", completed=D("2021-01-04"), verified=D("2021-01-10"), verified_by="IA"),
            Event(D("2021-02-01"), "verified", by="IA"),
            None,
            "cannot be verified on 2021-02-01: it is already verified (2021-01-10, by IA)",
        ),
        Case(
            State(status="not-started"),
            Event(D("2021-02-01"), "reopened", reason="why"),
            None,
            "cannot be reopened on 2021-02-01: it is not-started; only a complete or verified milestone can be "
            "reopened",
        ),
        Case(
            State(status="complete", completed=D("2021-01-04")),
            Event(D("2021-02-01"), "revised", reason="late"),
            None,
            "cannot be revised on 2021-02-01: it is complete (completed 2021-01-04); "
            "reopen it before moving its due date",
        ),
        Case(
            State(status="complete", completed=D("2021-01-04")),
            Event(D("2021-02-01"), "retired", reason="moot"),
            None,
            "cannot be retired on 2021-02-01: it is complete (completed 2021-01-04); "
            "only work not done can be retired: reopen it first if the completion no longer stands",
        ),
        Case(
            State(status="retired", retired=D("2021-01-04")),
            Event(D("2021-02-01"), "started"),
            None,
            "cannot be started on 2021-02-01: it was retired on 2021-01-04, and a retired milestone takes only notes",
        ),
        Case(State(status="retired", retired=D("2021-01-04")), Event(D("2021-02-01"), "note", text="x"), None, None),
        Case(State(status="reopened"), Event(D("2021-02-01"), "started"), None, None),
    ],
    "completion_has_evidence": [
        Case(
            State(status="in-progress"),
            Event(D("2021-02-01"), "completed"),
            None,
            "a completion needs evidence: at least one link or path "
            "(--evidence on the command line, evidence: in its history entry)",
        ),
        # After a reopening, the evidence attached before still stands.
        Case(State(status="reopened", evidence=("a.pdf",)), Event(D("2021-02-01"), "completed"), None, None),
    ],
    "revision_moves_due": [
        Case(
            State(due=D("2021-03-31")),
            Event(D("2021-02-01"), "revised", from_due=D("2021-01-31"), to_due=D("2021-06-30"), reason="late"),
            None,
            "a revision from 2021-01-31, but the due date in force was 2021-03-31",
        ),
        Case(
            State(due=D("2021-03-31")),
            Event(D("2021-02-01"), "revised", from_due=D("2021-03-31"), to_due=D("2021-03-31"), reason="late"),
            None,
            "a revision from 2021-03-31 to the same date",
        ),
        Case(
            State(due=D("2021-03-31")),
            Event(D("2021-02-01"), "revised", from_due=D("2021-03-31"), to_due=D("2021-06-30"), reason="late"),
            None,
            None,
        ),
    ],
}

DIRECT = [(name, case) for name, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(("name", "case"), DIRECT, ids=[f"{name}-{i}" for i, (name, _) in enumerate(DIRECT)])
def test_the_rule_judges_one_entry(name, case):
    """Called alone, the rule gives exactly the complaint, or None for a near miss it keeps."""
    assert case.complaint == getattr(history, name)(case.state, case.event, case.today)


@pytest.mark.parametrize("name", list(CASES))
def test_only_this_rule_complains(name):
    """Every other rule keeps the entries that break this one, so a complaint names its rule."""
    others = [rule for rule in history.RULES if rule.__name__ != name]
    broken = [case for case in CASES[name] if case.complaint]
    assert [] == [(rule.__name__, c.event) for c in broken for rule in others if rule(c.state, c.event, c.today)]


#: For each rule, by name: a small plan whose history breaks it, and validate's problems.
IN_A_PLAN = {
    "in_date_order": (
        action_1_1("complete", "date: 2020-09-20; event: started", "date: 2020-09-10; event: note; text: x"),
        [
            "p.yaml:32:13: action 1.1: a note entry dated 2020-09-10 comes after one dated 2020-09-20; "
            "history is oldest first, and nothing is recorded before what it follows"
        ],
    ),
    "not_in_future": (
        action_1_1("in-progress", "date: 2022-01-02; event: started"),
        [
            "p.yaml:30:13: action 1.1: a started entry dated 2022-01-02, after today (2022-01-01); "
            "record things once they happen"
        ],
    ),
    "follows_lifecycle": (
        action_1_1("verified", "date: 2020-09-20; event: verified; by: IA"),
        [
            "p.yaml:30:13: action 1.1: cannot be verified on 2020-09-20: it is not-started; "
            "only a complete milestone can be verified: complete it first"
        ],
    ),
    "completion_has_evidence": (
        action_1_1("complete", "date: 2020-09-20; event: completed"),
        [
            "p.yaml:30:13: action 1.1: a completion needs evidence: at least one link or path "
            "(--evidence on the command line, evidence: in its history entry)"
        ],
    ),
    "revision_moves_due": (
        # The first revision sets the original due date; the second must start from where the first moved it.
        action_1_1(
            "not-started",
            "date: 2020-09-01; event: revised; from: 2020-08-31; to: 2020-09-30; reason: r",
            "date: 2020-09-02; event: revised; from: 2020-10-31; to: 2020-11-30; reason: r",
        ),
        ["p.yaml:35:13: action 1.1: a revision from 2020-10-31, but the due date in force was 2020-09-30"],
    ),
}


@pytest.mark.parametrize("name", list(IN_A_PLAN))
def test_validate_reports_the_complaint_at_the_entry(name):
    """In a plan, the complaint is reported at the entry, after the milestone it belongs to."""
    lines, expected = IN_A_PLAN[name]
    assert expected == problems(edit((28, 28, lines)))


@pytest.mark.parametrize("rule", history.RULES, ids=[rule.__name__ for rule in history.RULES])
def test_every_rule_says_in_one_line_what_must_hold(rule):
    """docs/rules.md shows each rule by its docstring: one sentence, on one line."""
    doc = rule.__doc__ or ""
    assert (True, False, True) == (bool(doc), "\n" in doc, doc.endswith("."))


def test_every_rule_is_tested_alone_and_in_a_plan():
    """A rule added to history.RULES without cases here, or cases left after their rule went, fails."""
    names = [rule.__name__ for rule in history.RULES]
    assert (names, names) == (list(CASES), list(IN_A_PLAN))
