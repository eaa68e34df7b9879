"""An id names exactly one item: a name that fits two is refused, never resolved in file order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SMALL_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core import edit
from oagtrack.core.model import AmbiguousName, Person, Plan
from oagtrack.core.validate import validate_bytes

TODAY = date(2030, 1, 1)


def small_plan() -> Plan:
    plan, problems = validate_bytes(SMALL_PLAN.encode(), "plan.yaml", TODAY)
    assert plan is not None, problems
    return plan


def relabel(plan: Plan, item_id: str, label: str) -> Plan:
    rec = plan.recommendations[0]
    actions = tuple(action._replace(label=label) if action.id == item_id else action for action in rec.actions)
    return plan._replace(recommendations=(rec._replace(actions=actions),))


@pytest.mark.parametrize(
    ("plan_of", "name", "matches"),
    [
        (lambda p: relabel(p, "1.1", "1.2"), "1.2", ["1.1", "1.2"]),  # a label equal to another item's id
        (lambda p: relabel(relabel(p, "1.1", "x."), "1.2", "x."), "x.", ["1.1", "1.2"]),  # two items printed alike
        (
            lambda p: p._replace(people={**p.people, "1.3.a": Person("1.3.a", "Someone")}),
            "1.3.a",
            ["1.3.a", "1.3.a"],
        ),  # a person key
    ],
    ids=["label-is-another-id", "two-equal-labels", "person-key-is-an-id"],
)
def test_a_name_that_fits_two_items_is_refused(plan_of, name: str, matches: list[str]) -> None:
    plan = plan_of(small_plan())
    with pytest.raises(AmbiguousName) as caught:
        plan.find(name)
    assert [getattr(m, "id", getattr(m, "key", None)) for m in caught.value.matches] == matches
    with pytest.raises(edit.EditError) as refused:
        edit.find_milestone(plan, name)
    assert (
        refused.value.code == 1
        and f"{name!r} names more than one item" in refused.value.lines[0]
        and "name it by its id" in refused.value.lines[0]
    )


def test_an_item_labelled_with_its_own_id_is_one_item() -> None:
    plan = relabel(small_plan(), "1.1", "1.1")
    assert plan.find("1.1").id == "1.1"


def test_ids_and_labels_each_find_their_item() -> None:
    plan = relabel(small_plan(), "1.1", "1.1 a)")
    assert (
        plan.find("1.1").id,
        plan.find("1.1 a)").id,
        plan.find("1").id,
        plan.find("ana").key,
        plan.find("nope"),
    ) == ("1.1", "1.1", "1", "ana", None)


def test_the_command_line_never_updates_the_wrong_item(tmp_path: Path) -> None:
    """`complete 1.2` on a plan where 1.1 is printed "1.2": refused, exit 1, the file byte-identical."""
    text = SMALL_PLAN.replace("        text: First action.\n", '        label: "1.2"\n        text: First action.\n', 1)
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["complete", "1.2", "-e", "e.pdf", "--on", "2020-09-01", "-p", str(plan_file)])
    assert (result.exit_code, plan_file.read_text(encoding="utf-8")) == (1, text)
    assert "1.2" in result.stderr and "Traceback" not in result.output
