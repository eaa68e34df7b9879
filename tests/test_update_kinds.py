"""Each kind of update alone: the entries it records, the status it leaves, and the lines it writes into its item.

An update kind is one class in `core/edit.py` (`entries`, `status_after`,
`splice`); these tests call those three on one item, without `apply` and
its read-back check, which tests/test_edit.py covers end to end.
"""

from __future__ import annotations

from datetime import date

import pytest

from oagtrack.core import edit
from oagtrack.core.edit import Complete, EditError, Note, Reopen, Retire, Revise, Start, Verify
from oagtrack.core.model import Event, Milestone
from oagtrack.core.source import node_at, parse
from oagtrack.core.validate import validate_tree
from oagtrack.core.yamltext import ItemEditor

TODAY = date(2021, 6, 30)
D = date.fromisoformat

PLAN = """\
schema_version: 2
audit:
  id: kinds-audit
  title: Kinds audit
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
        text: Open.
        due: 2021-01-31
      - id: "1.2"
        text: Done.
        due: 2021-01-31
        status: complete
        history:
          - date: 2021-01-10
            event: completed
            evidence: [https://example.org/1.2]
"""

OPEN_ITEM = """\
      - id: "1.1"
        text: Open.
        due: 2021-01-31
"""
DONE_ITEM = """\
      - id: "1.2"
        text: Done.
        due: 2021-01-31
        status: complete
        history:
          - date: 2021-01-10
            event: completed
            evidence: [https://example.org/1.2]
"""


def item_and_editor(item_id: str) -> tuple[Milestone, ItemEditor]:
    root, problems = parse(PLAN, "plan.yaml")
    assert root is not None and [] == problems
    plan, problems = validate_tree(root, "plan.yaml", TODAY)
    assert plan is not None and [] == problems
    item = plan.find(item_id)
    assert isinstance(item, Milestone)
    return item, ItemEditor(PLAN, node_at(root, item.at.line, item.at.col))


def written(update: edit.Update) -> tuple[tuple[Event, ...], str]:
    """The entries `update` records on its item, and the item's lines once they are spliced in."""
    item, editor = item_and_editor(update.item_id)
    entries = update.entries(item)
    update.splice(editor, entries)
    before = OPEN_ITEM if update.item_id == "1.1" else DONE_ITEM
    start = PLAN.index(before)
    return entries, editor.result()[start : start + len(before) + len(editor.result()) - len(PLAN)]


def test_complete_records_a_completion_with_its_evidence_and_its_note():
    """Complete: one completed entry with each link once, then the note, and status complete."""
    update = Complete("1.1", D("2021-01-20"), ("a.pdf", "a.pdf", "b.pdf"), "All regions.")
    entries, lines = written(update)
    assert (
        Event(D("2021-01-20"), "completed", evidence=("a.pdf", "b.pdf")),
        Event(D("2021-01-20"), "note", text="All regions."),
    ) == entries
    assert "complete" == Complete.status_after
    assert (
        OPEN_ITEM + "        status: complete\n        history:\n          - date: 2021-01-20\n"
        "            event: completed\n            evidence:\n              - a.pdf\n              - b.pdf\n"
        "          - date: 2021-01-20\n            event: note\n            text: All regions.\n"
    ) == lines


def test_start_records_a_start_and_leaves_it_in_progress():
    """Start: one started entry, status in-progress."""
    entries, lines = written(Start("1.1", D("2021-01-05")))
    assert (Event(D("2021-01-05"), "started"),) == entries
    assert "in-progress" == Start.status_after
    assert (
        OPEN_ITEM + "        status: in-progress\n        history:\n          - date: 2021-01-05\n"
        "            event: started\n"
    ) == lines


def test_revise_records_both_dates_and_moves_the_due_date_in_place():
    """Revise: a revised entry from the old due date to the new one, the due key rewritten, the status kept."""
    entries, lines = written(Revise("1.1", D("2021-03-31"), "Partner late.", D("2021-01-05"), "Committee"))
    assert (
        Event(
            D("2021-01-05"),
            "revised",
            reason="Partner late.",
            from_due=D("2021-01-31"),
            to_due=D("2021-03-31"),
            approved_by="Committee",
        ),
    ) == entries
    assert None is Revise.status_after
    assert (
        OPEN_ITEM.replace("2021-01-31", "2021-03-31") + "        history:\n          - date: 2021-01-05\n"
        "            event: revised\n            from: 2021-01-31\n            to: 2021-03-31\n"
        "            reason: Partner late.\n            approved_by: Committee\n"
    ) == lines


def test_revise_to_the_date_already_due_is_refused():
    """Revise to the due date the item has: nothing to revise."""
    item, _ = item_and_editor("1.1")
    with pytest.raises(EditError) as refused:
        Revise("1.1", D("2021-01-31"), "No change.", D("2021-01-05")).entries(item)
    assert ["action 1.1 is already due 2021-01-31; nothing to revise"] == refused.value.lines


def test_note_records_a_note_and_keeps_the_status():
    """Note: one note entry; no status is written."""
    entries, lines = written(Note("1.1", "Kick-off held.", D("2021-01-05")))
    assert (Event(D("2021-01-05"), "note", text="Kick-off held."),) == entries
    assert None is Note.status_after
    assert (
        OPEN_ITEM + "        history:\n          - date: 2021-01-05\n            event: note\n"
        "            text: Kick-off held.\n"
    ) == lines


def test_verify_records_who_verified_and_leaves_it_verified():
    """Verify: one verified entry naming who checked, status verified in place of complete."""
    entries, lines = written(Verify("1.2", D("2021-01-15"), "Internal Audit"))
    assert (Event(D("2021-01-15"), "verified", by="Internal Audit"),) == entries
    assert "verified" == Verify.status_after
    assert (
        DONE_ITEM.replace("status: complete", "status: verified")
        + "          - date: 2021-01-15\n            event: verified\n            by: Internal Audit\n"
    ) == lines


def test_reopen_records_why_and_leaves_it_reopened():
    """Reopen: one reopened entry with its reason, status reopened."""
    entries, lines = written(Reopen("1.2", "Evidence incomplete.", D("2021-01-15")))
    assert (Event(D("2021-01-15"), "reopened", reason="Evidence incomplete."),) == entries
    assert "reopened" == Reopen.status_after
    assert (
        DONE_ITEM.replace("status: complete", "status: reopened")
        + "          - date: 2021-01-15\n            event: reopened\n            reason: Evidence incomplete.\n"
    ) == lines


def test_retire_records_why_and_leaves_it_retired():
    """Retire: one retired entry with its reason, status retired."""
    entries, lines = written(Retire("1.1", "Replaced by 1.3.", D("2021-01-15")))
    assert (Event(D("2021-01-15"), "retired", reason="Replaced by 1.3."),) == entries
    assert "retired" == Retire.status_after
    assert (
        OPEN_ITEM + "        status: retired\n        history:\n          - date: 2021-01-15\n"
        "            event: retired\n            reason: Replaced by 1.3.\n"
    ) == lines


@pytest.mark.parametrize(
    "update, option",
    [
        (Complete("1.1", D("2021-01-20"), (" ",)), "--evidence"),
        (Complete("1.1", D("2021-01-20"), ("a.pdf",), " "), "--note"),
        (Revise("1.1", D("2021-03-31"), " ", D("2021-01-05")), "--reason"),
        (Note("1.1", "", D("2021-01-05")), "TEXT"),
        (Verify("1.2", D("2021-01-15"), " "), "--by"),
        (Reopen("1.2", "", D("2021-01-15")), "--reason"),
        (Retire("1.1", "\t", D("2021-01-15")), "--reason"),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else value,
)
def test_every_kind_refuses_an_empty_text(update, option):
    """A blank text is refused by the kind itself, naming the option that gave it."""
    item, _ = item_and_editor(update.item_id)
    with pytest.raises(EditError) as refused:
        update.entries(item)
    assert [f"{option} must not be empty"] == refused.value.lines


def test_every_kind_of_update_is_tested_here():
    """Adding a kind is adding a class: it must also get its test above."""
    kinds = {kind.__name__ for kind in edit.UpdateKind.__subclasses__()}
    tested = {"Complete", "Start", "Revise", "Note", "Verify", "Reopen", "Retire"}
    assert tested == kinds
