"""Every update works on every layout the parser accepts, at the very end of the file too.

The item updated is the last one in the file, so its last value is what
the file ends with: plain, quoted, a flow or block list, a block text in
each chomping (`|`, `|-`, `|+`, `>`, `>-`, `|2`), a history whose last
note is a block text, a flow-style item, a trailing comment; the file ends
with or without a final line break, a blank line or a comment, in LF or
CRLF. Each sequence of updates must be written (never a refusal, never an
internal error), leave a valid plan, and read back as exactly the updates
made (`edit.apply` checks that before it returns).
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import SMALL_PLAN

from oagtrack.core import edit
from oagtrack.core.validate import validate_bytes

TODAY = date(2030, 1, 1)
LAST_ITEM = """          - id: "1.3.b"
            text: Step two.
            due: 2021-06-30
"""
assert SMALL_PLAN.endswith(LAST_ITEM)
PAD = " " * 12

LAST_VALUES = {
    "plain": "",
    "flow-list": f"{PAD}leads: [bo]\n",
    "block-list": f"{PAD}leads:\n{PAD}  - bo\n",
    "single-quoted": f"{PAD}label: 'b.'\n",
    "double-quoted": f'{PAD}label: "b."\n',
    **{f"block{header}": f"{PAD}label: {header}\n{PAD}  b.\n" for header in ("|", "|-", "|+", ">", ">-", "|2", ">+2")},
    "history-ending-in-block-text": (
        f"{PAD}history:\n{PAD}  - date: 2020-08-01\n{PAD}    event: note\n{PAD}    text: |\n{PAD}      A note.\n"
    ),
    "history-flow": f"{PAD}history: [{{date: 2020-08-01, event: note, text: A note.}}]\n",
    "comment-after": f"{PAD}label: b.  # printed b.\n",
}
FLOW_ITEM = '          - {id: "1.3.b", text: Step two., due: 2021-06-30}\n'
ENDINGS = {"no-final-break": "", "final-break": "\n", "blank-line": "\n\n", "comment": "\n# the end"}

SEQUENCES = {
    "note": [edit.Note("1.3.b", "Half done", date(2020, 9, 1))],
    "start-complete-verify": [
        edit.Start("1.3.b", date(2020, 9, 1)),
        edit.Complete("1.3.b", date(2020, 9, 2), ("e.pdf",), "Done: all of it"),
        edit.Verify("1.3.b", date(2020, 9, 3), "Internal Audit"),
    ],
    "complete-reopen-start": [
        edit.Complete("1.3.b", date(2020, 9, 2), ("e.pdf",)),
        edit.Reopen("1.3.b", "Not enough", date(2020, 9, 3)),
        edit.Start("1.3.b", date(2020, 9, 4)),
    ],
    "revise-retire": [
        edit.Revise("1.3.b", date(2021, 9, 30), "Late partner", date(2020, 9, 1), "ADM"),
        edit.Retire("1.3.b", "Superseded", date(2020, 9, 5)),
    ],
}


def layout(last_value: str, ending: str, newline: str, flow: bool = False) -> str:
    item = FLOW_ITEM if flow else LAST_ITEM + last_value
    text = (SMALL_PLAN[: -len(LAST_ITEM)] + item).rstrip("\n") + ending
    return text.replace("\n", newline)


CASES = [
    pytest.param(
        name, value, ending, newline, False, id=f"{name}-{end_name}-{'crlf' if newline == chr(13) + chr(10) else 'lf'}"
    )
    for name, value in LAST_VALUES.items()
    for end_name, ending in ENDINGS.items()
    for newline in ("\n", "\r\n")
] + [
    pytest.param(
        "flow-item",
        "",
        ending,
        newline,
        True,
        id=f"flow-item-{end_name}-{'crlf' if newline == chr(13) + chr(10) else 'lf'}",
    )
    for end_name, ending in ENDINGS.items()
    for newline in ("\n", "\r\n")
]


@pytest.mark.parametrize(("name", "last_value", "ending", "newline", "flow"), CASES)
@pytest.mark.parametrize("sequence", list(SEQUENCES))
def test_every_update_on_every_layout(
    name: str, last_value: str, ending: str, newline: str, flow: bool, sequence: str
) -> None:
    text = layout(last_value, ending, newline, flow)
    before, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert before is not None, problems
    for update in SEQUENCES[sequence]:
        text = edit.apply(text, update, today=TODAY)  # raises EditError (code 70 for a bug) on any failure
    after, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert problems == []
    item = after.find("1.3.b")
    assert item.history[-len(SEQUENCES[sequence]) - (1 if sequence == "start-complete-verify" else 0) :][0].kind in {
        "note",
        "started",
        "completed",
        "revised",
    }
    old_item = before.find("1.3.b")
    assert (item.text, item.label, item.leads) == (
        old_item.text,
        old_item.label,
        old_item.leads,
    )  # what was there reads the same
    if "+" not in name:  # a kept (`+`) block text owns the blank lines after it: new lines follow them
        assert text.endswith(ending.replace("\n", newline))  # the file still ends as it did
    if newline == "\r\n":
        assert "\n" not in text.replace("\r\n", "")
