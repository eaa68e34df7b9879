"""One change to a history is one line of `diff` and one problem of `check`, whatever follows it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oagtrack.core.plan_diff import milestone_changes
from oagtrack.core.review import check_change
from oagtrack.core.validate import validate_bytes

EVERY_EVENT = (Path(__file__).resolve().parent / "fixtures" / "valid" / "every-event.yaml").read_text(encoding="utf-8")
TODAY = date(2026, 12, 1)


def plan_of(text: str):
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert plan is not None, problems
    return plan


EDITS = {
    "start-date": (
        "          - date: 2020-07-02\n            event: started\n",
        "          - date: 2020-07-03\n            event: started\n",
        ["1.1 start date changed from 2020-07-02 to 2020-07-03"],
        "history entry 2020-07-02 (started) was edited (date: '2020-07-02' -> '2020-07-03')",
    ),
    "completion-date": (
        "          - date: 2020-09-28\n            event: completed\n",
        "          - date: 2020-09-27\n            event: completed\n",
        ["1.1 completion date changed from 2020-09-28 to 2020-09-27"],  # not also the reopening that replays it
        "history entry 2020-09-28 (completed) was edited (date: '2020-09-28' -> '2020-09-27')",
    ),
    "inserted-note": (
        "          - date: 2020-09-28\n            event: completed\n",
        "          - date: 2020-09-01\n            event: note\n            text: Backdated.\n"
        "          - date: 2020-09-28\n            event: completed\n",
        ["history of 1.1: an entry inserted among recorded ones: note on 2020-09-01: Backdated."],
        "history entry 2020-09-01 (note) was inserted among recorded entries",
    ),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_one_edit_is_one_change_and_one_problem(name: str) -> None:
    old_text, new_text, changes, problem = EDITS[name]
    assert EVERY_EVENT.count(old_text) == 1
    old, new = plan_of(EVERY_EVENT), plan_of(EVERY_EVENT.replace(old_text, new_text))
    assert changes == [change.summary for change in milestone_changes(old.find("1.1"), new.find("1.1"))]
    problems = check_change(old, new, "plan.yaml")
    assert len(problems) == 1 and problem in problems[0].message, [p.message for p in problems]


def test_an_entry_appended_is_a_change_and_no_problem() -> None:
    old = plan_of(EVERY_EVENT)
    marker = "          - date: 2020-12-10\n            event: note\n            text: All regions now covered.\n"
    new = plan_of(
        EVERY_EVENT.replace(
            marker,
            marker
            + "          - date: 2021-01-05\n            event: note\n            text: Shared with the committee.\n",
        )
    )
    assert ["1.1 note on 2021-01-05: Shared with the committee."] == [
        c.summary for c in milestone_changes(old.find("1.1"), new.find("1.1"))
    ]
    assert check_change(old, new, "plan.yaml") == []
