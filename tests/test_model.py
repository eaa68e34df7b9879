"""The model's values: immutable, and equal when they say the same thing, wherever it was written."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import SMALL_PLAN

from oagtrack.core.model import Milestone, Position
from oagtrack.core.validate import validate_bytes

TODAY = date(2021, 6, 30)


def load(text: str):
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert plan is not None, problems
    return plan


def test_two_plans_that_say_the_same_thing_are_equal_wherever_it_is_written():
    moved = "# a comment that moves every line down\n\n" + SMALL_PLAN.replace(
        '      - id: "1.2"', '\n      - id: "1.2"'
    )
    a, b = load(SMALL_PLAN), load(moved)
    assert a.find("1.2").at != b.find("1.2").at
    assert a == b and not (a != b)
    assert a.find("1.2") == b.find("1.2") and hash(a.find("1.2")) == hash(b.find("1.2"))


def test_a_change_of_content_is_unequal():
    a, b = load(SMALL_PLAN), load(SMALL_PLAN.replace("text: Second action.", "text: Second action!"))
    assert a.find("1.2") != b.find("1.2") and a != b


def test_a_position_compares_line_and_column_and_never_prints_its_keys():
    many = tuple(part for n in range(1000) for part in (f"key{n}", n, 9))
    assert Position(3, 4, keys=("due", 0, 9)) == Position(3, 4, keys=many) and Position(3, 4) != Position(3, 5)
    assert repr(Position(3, 4, keys=many)) == "Position(line=3, col=4)"


def test_values_are_immutable_and_change_by_replacing():
    milestone = Milestone("1.1", "action", "1", "Text.", date(2020, 9, 30))
    with pytest.raises(AttributeError):
        milestone.status = "complete"  # type: ignore[misc]
    done = milestone._replace(status="complete")
    assert (milestone.status, done.status) == ("not-started", "complete")


def test_records_of_different_kinds_never_compare_equal():
    milestone = Milestone("1.1", "action", "1", "Text.", date(2020, 9, 30))
    assert milestone != tuple(milestone) and milestone != milestone._replace(kind="step")
