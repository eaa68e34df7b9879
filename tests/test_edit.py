"""Updates as text splices: exact edits, every other byte kept, values read back verbatim."""

from __future__ import annotations

import codecs
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oagtrack.core import edit, yamltext
from oagtrack.core.edit import Complete, EditError, Note, Reopen, Retire, Revise, Start, UnknownItem, Verify
from oagtrack.core.validate import validate_bytes
from oagtrack.render.unified_diff import unified_diff

FIXTURES = Path(__file__).parent / "fixtures" / "edit"
SMALL = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
FLOW = (FIXTURES / "flow.yaml").read_text(encoding="utf-8")
TODAY = date(2030, 1, 1)
D = date.fromisoformat


def parsed(text: str):
    plan, problems = validate_bytes(text.encode("utf-8"), "plan.yaml", TODAY)
    assert problems == []
    return plan


def item(text: str, item_id: str):
    return parsed(text).find(item_id)


def changed_lines(old: str, new: str) -> list[str]:
    import difflib

    return [line for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:1] in "+-"]


# -- exact edits, block style ---------------------------------------------------
def test_complete_replaces_status_and_inserts_a_dated_completion_after_it():
    """complete changes the status line and adds a history whose completed entry carries the evidence."""
    new = edit.complete(SMALL, "1.1", D("2020-09-28"), ("https://example.org/e.pdf",), today=TODAY)
    assert [
        "-         status: not-started",
        "+         status: complete",
        "+         history:",
        "+           - date: 2020-09-28",
        "+             event: completed",
        "+             evidence:",
        "+               - https://example.org/e.pdf",
    ] == changed_lines(SMALL, new)
    after = item(new, "1.1")
    assert (after.status, after.completed, after.evidence) == (
        "complete",
        D("2020-09-28"),
        ("https://example.org/e.pdf",),
    )


def test_complete_appends_its_entries_to_an_existing_block_history():
    """A new completion (with its evidence) and a note go at the end of the history there, at its indentation."""
    text = edit.reopen(SMALL, "1.2", "Evidence incomplete", D("2021-02-01"), today=TODAY)
    new = edit.complete(text, "1.2", D("2021-02-10"), ("second.pdf",), note="Re-done", today=TODAY)
    assert [
        "-         status: reopened",
        "+         status: complete",
        "+           - date: 2021-02-10",
        "+             event: completed",
        "+             evidence:",
        "+               - second.pdf",
        "+           - date: 2021-02-10",
        "+             event: note",
        "+             text: Re-done",
    ] == changed_lines(text, new)
    assert ("https://example.org/first.pdf", "second.pdf") == item(new, "1.2").evidence
    assert D("2021-02-10") == item(new, "1.2").completed


def test_reopen_appends_a_reopened_entry_and_the_replay_withdraws_the_completion():
    """reopen: status reopened, a reopened entry with the reason; the completion entry stays, the replay withdraws it,
    evidence kept."""
    new = edit.reopen(SMALL, "1.2", "Evidence incomplete", D("2021-02-01"), today=TODAY)
    assert [
        "-         status: complete",
        "+         status: reopened",
        "+           - date: 2021-02-01",
        "+             event: reopened",
        "+             reason: Evidence incomplete",
    ] == changed_lines(SMALL, new)
    after = item(new, "1.2")
    assert (after.status, after.completed, after.evidence) == ("reopened", None, ("https://example.org/first.pdf",))
    reopening = after.history[-1]
    assert (reopening.on, reopening.kind, reopening.reason, reopening.completed, reopening.verified) == (
        D("2021-02-01"),
        "reopened",
        "Evidence incomplete",
        D("2021-01-15"),
        None,
    )


def test_revise_keeps_the_original_date_in_the_history():
    """revise changes the due line and the first revision's `from` is the original date."""
    new = edit.revise(SMALL, "1.1", D("2020-12-31"), "Pandemic", D("2020-09-15"), "Audit Committee", today=TODAY)
    new = edit.revise(new, "1.1", D("2021-02-28"), "Again", D("2020-12-01"), today=TODAY)
    after = item(new, "1.1")
    assert (after.due, after.original_due) == (D("2021-02-28"), D("2020-09-30"))
    assert [(e.from_due, e.to_due, e.reason, e.approved_by) for e in after.revisions] == [
        (D("2020-09-30"), D("2020-12-31"), "Pandemic", "Audit Committee"),
        (D("2020-12-31"), D("2021-02-28"), "Again", ""),
    ]
    assert "        due: 2021-02-28   # as printed\n" in new


def test_start_then_complete_then_verify():
    """The lifecycle through start, complete and verify: one dated entry each, read back from the text."""
    text = edit.start(SMALL, "1.1", D("2020-09-01"), today=TODAY)
    text = edit.complete(text, "1.1", D("2020-09-28"), ("e.pdf",), today=TODAY)
    text = edit.verify(text, "1.1", D("2020-10-05"), "Internal Audit", today=TODAY)
    after = item(text, "1.1")
    assert (after.status, after.started, after.completed, after.verified, after.verified_by) == (
        "verified",
        D("2020-09-01"),
        D("2020-09-28"),
        D("2020-10-05"),
        "Internal Audit",
    )
    assert changed_lines(SMALL, text) == [
        "-         status: not-started",
        "+         status: verified",
        "+         history:",
        "+           - date: 2020-09-01",
        "+             event: started",
        "+           - date: 2020-09-28",
        "+             event: completed",
        "+             evidence:",
        "+               - e.pdf",
        "+           - date: 2020-10-05",
        "+             event: verified",
        "+             by: Internal Audit",
    ]


def test_reopen_of_a_verified_item_keeps_the_verification_in_the_history():
    """The item is no longer verified, but the replayed reopened entry says when and by whom it had been (#3)."""
    text = edit.verify(SMALL, "1.2", D("2021-02-01"), "IA", today=TODAY)
    text = edit.reopen(text, "1.2", "Not enough", D("2021-02-02"), today=TODAY)
    after = item(text, "1.2")
    assert (after.status, after.completed, after.verified, after.verified_by) == ("reopened", None, None, "")
    assert (D("2021-02-02"), "reopened", D("2021-01-15"), D("2021-02-01"), "IA") == (
        after.history[-1].on,
        after.history[-1].kind,
        after.history[-1].completed,
        after.history[-1].verified,
        after.history[-1].verified_by,
    )
    assert [
        "-         status: verified",
        "+         status: reopened",
    ] == [
        line
        for line in changed_lines(edit.verify(SMALL, "1.2", D("2021-02-01"), "IA", today=TODAY), text)
        if "status" in line
    ]


def test_a_step_and_an_outcome_are_milestones():
    text = edit.complete(SMALL, "1.3.b", D("2021-02-01"), ("b.pdf",), today=TODAY)
    text = edit.note(text, "1.outcome", "On track", D("2021-02-02"), today=TODAY)
    assert item(text, "1.3.b").completed == D("2021-02-01")
    assert [e.text for e in item(text, "1.outcome").notes] == ["On track"]
    assert text.endswith(
        "            history:\n"
        "              - date: 2020-10-01\n"
        "                event: started\n"
        "              - date: 2021-02-01\n"
        "                event: completed\n"
        "                evidence:\n"
        "                  - b.pdf\n"
        "# end of plan\n"
    )


def test_status_is_added_when_the_item_has_none():
    """1.3.a has no status key: complete adds it after due, then its history, at the item's indentation."""
    new = edit.complete(SMALL, "1.3.a", D("2020-12-01"), ("a.pdf",), today=TODAY)
    assert (
        "            due: 2020-12-31\n"
        "            status: complete\n"
        "            history:\n"
        "              - date: 2020-12-01\n"
        "                event: completed\n"
        "                evidence:\n"
        "                  - a.pdf\n"
        '          - id: "1.3.b"'
    ) in new


# -- flow style ----------------------------------------------------------------
def test_flow_items_are_edited_in_flow_style():
    """A flow mapping gets `, key: value` before its closing brace; its history grows in place."""
    text = edit.complete(FLOW, "1.1", D("2020-09-28"), ("https://example.org/e.pdf", "x, y"), note="a: b", today=TODAY)
    assert (
        '      - {id: "1.1", text: "First, in flow", due: 2020-09-30, status: complete, history: '
        '[{date: 2020-09-28, event: completed, evidence: [https://example.org/e.pdf, "x, y"]}, {date: 2020-09-28,'
        ' event: note, text: "a: b"}]}\n'
    ) in text
    text = edit.reopen(text, "1.2", "bad [x]", D("2021-02-01"), today=TODAY)
    assert (
        '      - {id: "1.2", text: Second, due: 2021-01-31, status: reopened, history: [{date: 2020-11-02, event:'
        " note, text: Draft shared.}, "
        '{date: 2021-01-15, event: completed, evidence: [a.pdf]}, {date: 2021-02-01, event: reopened, reason: "bad'
        ' [x]"}]}\n'
    ) in text
    text = edit.start(text, "1.3", D("2020-10-01"), today=TODAY)
    assert (
        "          due: 2021-02-28, status: in-progress, history: [{date: 2020-10-01, event: started}],\n        }\n"
        in text
    )
    assert len(changed_lines(FLOW, text)) == 6  # three lines out, three in


def test_flow_items_change_status_in_place_and_keep_every_entry():
    """verify then reopen a flow item: the status word is replaced, each entry appended, none rewritten."""
    text = edit.verify(FLOW, "1.2", D("2021-02-01"), "IA", today=TODAY)
    assert (
        "status: verified, history: [{date: 2020-11-02, event: note, text: Draft shared.}, {date: 2021-01-15, event:"
        " completed, evidence: [a.pdf]}, {date: 2021-02-01, event: verified, by: IA}]}" in text
    )
    text = edit.reopen(text, "1.2", "r", D("2021-02-02"), today=TODAY)
    assert '{id: "1.2", text: Second, due: 2021-01-31, status: reopened, history: ' in text
    assert "{date: 2021-02-01, event: verified, by: IA}, {date: 2021-02-02, event: reopened, reason: r}]}" in text
    after = item(text, "1.2")
    assert (after.status, after.completed, after.verified, after.evidence) == ("reopened", None, None, ("a.pdf",))
    assert (after.history[-1].completed, after.history[-1].verified, after.history[-1].verified_by) == (
        D("2021-01-15"),
        D("2021-02-01"),
        "IA",
    )


def test_an_empty_flow_list_gets_its_first_entry():
    text = FLOW.replace("status: not-started}", "status: not-started, history: []}")
    new = edit.complete(text, "1.1", D("2021-02-01"), ("e.pdf",), today=TODAY)
    assert "status: complete, history: [{date: 2021-02-01, event: completed, evidence: [e.pdf]}]}" in new


# -- every other byte ---------------------------------------------------------------
UPDATES = [
    Complete("1.1", D("2020-09-28"), ("https://example.org/e.pdf",), "done"),
    Start("1.1", D("2020-09-01")),
    Revise("1.1", D("2020-12-31"), "Pandemic: yes: no # x", D("2020-09-15"), "Committee, 2020-09-14"),
    Note("1.2", "multi\nline", D("2021-01-20")),
    Verify("1.2", D("2021-02-01"), "IA"),
    Reopen("1.2", "[red]", D("2021-02-01")),
    Complete("1.3.b", D("2021-02-01"), ("b.pdf",)),
    Note("1.outcome", '"quoted"', D("2021-02-01")),
]


@pytest.mark.parametrize("update", UPDATES, ids=lambda u: f"{type(u).__name__}-{u.item_id}")
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_are_kept(update, newline):
    """Editing a CRLF (or CR) file gives the LF result with that line ending throughout."""
    lf = edit.apply(SMALL, update, today=TODAY)
    assert lf.replace("\n", newline) == edit.apply(SMALL.replace("\n", newline), update, today=TODAY)


@pytest.mark.parametrize("update", UPDATES, ids=lambda u: f"{type(u).__name__}-{u.item_id}")
def test_a_bom_is_kept(update):
    data = SMALL.encode("utf-8")
    assert codecs.BOM_UTF8 + edit.apply_bytes(data, update, today=TODAY) == edit.apply_bytes(
        codecs.BOM_UTF8 + data, update, today=TODAY
    )


@pytest.mark.parametrize("update", UPDATES, ids=lambda u: f"{type(u).__name__}-{u.item_id}")
def test_a_missing_final_newline_stays_missing(update):
    """Even when the new lines go at the very end of the file (1.3.b is last)."""
    text = SMALL.removesuffix("# end of plan\n")
    without = text.removesuffix("\n")
    new = edit.apply(without, update, today=TODAY)
    assert edit.apply(text, update, today=TODAY).removesuffix("\n") == new
    assert not new.endswith("\n")


def test_nothing_outside_the_item_changes():
    """Every line before and after the item's lines is byte-for-byte the same."""
    new = edit.complete(SMALL, "1.1", D("2020-09-28"), ("e.pdf",), today=TODAY)
    head, _, tail = SMALL.partition("        status: not-started\n")
    assert new.startswith(head) and new.endswith(tail)


def test_a_value_in_keep_mode_keeps_its_trailing_lines():
    """New entries after a `|+` block scalar go after its kept blank lines, which stay in the value."""
    text = SMALL.replace("        text: 'Second action'\n", "").replace(
        "          - date: 2020-11-02\n            event: note\n            text: Draft shared.\n"
        "          - date: 2021-01-15\n            event: completed\n            evidence:\n              -"
        " https://example.org/first.pdf\n",
        "          - date: 2021-01-15\n            event: completed\n            evidence:\n              -"
        " https://example.org/first.pdf\n"
        "          - date: 2021-01-15\n            event: note\n            text: |+\n              Draft shared.\n\n",
    )
    text = text.replace('      - id: "1.2"\n', '      - id: "1.2"\n        text: Second action\n')
    before = item(text, "1.2").history[-1].text
    new = edit.note(text, "1.2", "Next", D("2021-02-01"), today=TODAY)
    assert before.startswith("Draft shared.\n\n")
    assert [before, "Next"] == [e.text for e in item(new, "1.2").notes]


def test_a_key_on_the_dash_line_is_replaced_without_the_dash():
    """`- status: ...` opening an item: its value changes in place, the dash and the next keys stay."""
    text = SMALL.replace(
        "      - id: \"1.2\"\n        text: 'Second action'\n        due: 2021-01-31\n",
        "      - status: complete\n        id: \"1.2\"\n        text: 'Second action'\n        due: 2021-01-31\n",
    ).replace("          - bo\n        status: complete\n", "          - bo\n")
    new = edit.reopen(text, "1.2", "r", D("2021-02-01"), today=TODAY)
    assert "      - status: reopened\n        id: \"1.2\"\n        text: 'Second action'\n" in new
    assert [
        "-       - status: complete",
        "+       - status: reopened",
        "+           - date: 2021-02-01",
        "+             event: reopened",
        "+             reason: r",
    ] == changed_lines(text, new)
    assert (item(new, "1.2").status, item(new, "1.2").completed) == ("reopened", None)


# -- refusals ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("update", "message"),
    [
        (
            Complete("1.2", D("2021-02-01"), ("e.pdf",)),
            "action 1.2: cannot be completed on 2021-02-01: it is already complete (completed 2021-01-15); to record a"
            " new completion, reopen it first",
        ),
        (
            Complete("1.1", D("2020-09-28")),
            "action 1.1: a completion needs evidence: at least one link or path (--evidence on the command line,"
            " evidence: in its history entry)",
        ),
        (
            Verify("1.1", D("2021-02-01"), "IA"),
            "action 1.1: cannot be verified on 2021-02-01: it is not-started; only a complete milestone can be"
            " verified: complete it first",
        ),
        (
            Reopen("1.1", "why", D("2021-02-01")),
            "action 1.1: cannot be reopened on 2021-02-01: it is not-started; only a complete or verified milestone"
            " can be reopened",
        ),
        (
            Start("1.3.b", D("2021-02-01")),
            "step 1.3.b: cannot be started on 2021-02-01: it is already in-progress (started 2020-10-01); start"
            " applies to a milestone not started or reopened",
        ),
        (
            Start("1.2", D("2021-02-01")),
            "action 1.2: cannot be started on 2021-02-01: it is complete (completed 2021-01-15); reopen it first if"
            " the completion no longer stands",
        ),
        (
            Revise("1.2", D("2021-03-31"), "why", D("2021-02-01")),
            "action 1.2: cannot be revised on 2021-02-01: it is complete (completed 2021-01-15); reopen it before"
            " moving its due date",
        ),
        (
            Revise("1.1", D("2020-09-30"), "why", D("2020-09-01")),
            "action 1.1 is already due 2020-09-30; nothing to revise",
        ),
        (Revise("1.1", D("2020-10-30"), "  ", D("2020-09-01")), "--reason must not be empty"),
        (Note("1.1", "", D("2020-09-01")), "TEXT must not be empty"),
        (Verify("1.2", D("2021-02-01"), ""), "--by must not be empty"),
        (Complete("1.3", D("2021-02-01")), "action 1.3 has steps; its steps are the milestones: update 1.3.a, 1.3.b"),
        (
            Complete("1", D("2021-02-01")),
            "'1' is a recommendation; update one of its milestones: 1.1, 1.2, 1.3.a, 1.3.b, 1.outcome",
        ),
        (Note("ana", "x", D("2021-02-01")), "'ana' is a person; update one of the milestones they lead"),
    ],
)
def test_refusals_say_why(update, message):
    with pytest.raises(EditError) as caught:
        edit.apply(SMALL, update, today=TODAY)
    assert [message] == caught.value.lines
    assert caught.value.code == 1


def test_an_unknown_id_carries_the_known_ids():
    with pytest.raises(UnknownItem) as caught:
        edit.apply(SMALL, Complete("1.9", D("2020-09-28")), today=TODAY)
    assert (caught.value.item_id, caught.value.known[:4]) == ("1.9", ["1", "1.1", "1.2", "1.3"])


def test_a_verified_milestone_is_refused_a_second_verification_and_a_completion():
    text = edit.verify(SMALL, "1.2", D("2021-02-01"), "IA", today=TODAY)
    with pytest.raises(EditError) as caught:
        edit.apply(text, Verify("1.2", D("2021-02-02"), "IA"), today=TODAY)
    assert caught.value.lines == [
        "action 1.2: cannot be verified on 2021-02-02: it is already verified (2021-02-01, by IA)"
    ]
    with pytest.raises(EditError) as caught:
        edit.apply(text, Complete("1.2", D("2021-02-02"), ("e.pdf",)), today=TODAY)
    assert caught.value.lines == [
        "action 1.2: cannot be completed on 2021-02-02: it is already verified (completed 2021-01-15, verified"
        " 2021-02-01 by IA); to record a new completion, reopen it first"
    ]


OLDEST_FIRST = "history is oldest first, and nothing is recorded before what it follows"


@pytest.mark.parametrize(
    ("update", "message"),
    [
        (
            Complete("1.3.b", D("2020-09-01"), ("b.pdf",)),
            f"step 1.3.b: a completed entry dated 2020-09-01 comes after one dated 2020-10-01; {OLDEST_FIRST}",
        ),
        (
            Verify("1.2", D("2021-01-01"), "IA"),
            f"action 1.2: a verified entry dated 2021-01-01 comes after one dated 2021-01-15; {OLDEST_FIRST}",
        ),
        (
            Note("1.2", "late", D("2020-01-01")),
            f"action 1.2: a note entry dated 2020-01-01 comes after one dated 2021-01-15; {OLDEST_FIRST}",
        ),
        (
            Reopen("1.2", "r", D("2021-01-01")),
            f"action 1.2: a reopened entry dated 2021-01-01 comes after one dated 2021-01-15; {OLDEST_FIRST}",
        ),
    ],
)
def test_an_entry_dated_before_the_last_one_is_refused(update, message):
    """The update's entries are replayed after the history with validate's rules (history.RULES): nothing is spliced."""
    with pytest.raises(EditError) as caught:
        edit.apply(SMALL, update, today=TODAY)
    assert caught.value.lines == [message]
    assert caught.value.code == 1


@pytest.mark.parametrize(
    ("after", "status", "entry", "message"),
    [
        (
            "                event: started\n",
            ("            status: in-progress\n", "            status: complete\n"),
            "              - date: 2020-09-01\n                event: completed\n                evidence:\n          "
            "        - b.pdf\n",
            f"step 1.3.b: a completed entry dated 2020-09-01 comes after one dated 2020-10-01; {OLDEST_FIRST}",
        ),
        (
            "              - https://example.org/first.pdf\n",
            None,
            "          - date: 2020-01-01\n            event: note\n            text: late\n",
            f"action 1.2: a note entry dated 2020-01-01 comes after one dated 2021-01-15; {OLDEST_FIRST}",
        ),
    ],
)
def test_validate_refuses_the_same_entry_written_by_hand_with_the_same_words(after, status, entry, message):
    """One set of rules: a hand edit writing what a refused update would write gets the same complaint from validate."""
    text = SMALL.replace(after, after + entry)
    if status:
        text = text.replace(*status)
    assert text.count(entry) == 1
    plan, problems = validate_bytes(text.encode("utf-8"), "plan.yaml", TODAY)
    line = text[: text.index(entry)].count("\n") + 1
    column = entry.index("date:") + 1
    assert (plan, [str(p) for p in problems]) == (None, [f"plan.yaml:{line}:{column}: {message}"])


def test_an_update_dated_after_today_is_refused_before_anything_is_spliced():
    """The plan would refuse it too, but with a position in text never written."""
    with pytest.raises(EditError) as caught:
        edit.apply(SMALL, Complete("1.1", D("2030-01-02")), today=TODAY)
    assert caught.value.lines == ["dated 2030-01-02, after today (2030-01-01); record things once they happen"]


def test_a_completion_before_the_last_reopening_is_refused():
    text = edit.reopen(SMALL, "1.2", "r", D("2021-02-01"), today=TODAY)
    with pytest.raises(EditError) as caught:
        edit.complete(text, "1.2", D("2021-01-20"), today=TODAY)
    assert caught.value.lines == [
        f"action 1.2: a completed entry dated 2021-01-20 comes after one dated 2021-02-01; {OLDEST_FIRST}"
    ]


def test_an_invalid_plan_is_not_edited():
    with pytest.raises(EditError) as caught:
        edit.apply(SMALL.replace("status: not-started", "status: done"), Note("1.1", "x", D("2020-01-01")), today=TODAY)
    assert caught.value.lines[0] == "the plan is invalid; fix it before updating it:"


# -- values read back verbatim ------------------------------------------------------------
TRICKY = [
    "yes: no # x",
    '"quoted"',
    "[red]",
    "{x}",
    "yes",
    "no",
    "1.10",
    "null",
    "~",
    "- dash",
    "a #b",
    "a#b",
    "trailing ",
    " leading",
    "tab\there",
    "line\nbreak",
    "crlf\r\nbreak",
    "emoji 🎉",
    "\x1b[31mred",
    "back\\slash",
    "'single'",
    "&anchor",
    "*alias",
    "!tag",
    "%pct",
    "@at",
    "`tick",
    "key:",
    "2020-01-01",
    "true",
    "é’",
    "a\u2028b",
    "a\x85b",
    "\ufeffbom",
    "a: b",
    "?",
    "-",
    ":",
    ",",
    "a, b",
    "http://x.org/a?b=1#frag",
    "NUL\x00",
    "\x7f",
    "\u202eRTL",
    "'",
    '"',
    "#",
    "|",
    ">",
    "0x1F",
    ".inf",
    "=",
    "<<",
]


@pytest.mark.parametrize("value", TRICKY)
@pytest.mark.parametrize("fixture", ["block", "flow"])
def test_text_values_read_back_verbatim(value, fixture):
    """A note, an evidence link and an approval are read back exactly as given, in block and flow items."""
    text = SMALL if fixture == "block" else FLOW
    new = edit.apply(text, Revise("1.1", D("2020-12-31"), value, D("2020-09-15"), approved_by=value), today=TODAY)
    new = edit.apply(new, Complete("1.1", D("2020-09-28"), (value,), note=value), today=TODAY)
    after = item(new, "1.1")
    assert (value, value, value, value) == (
        after.evidence[0],
        after.notes[0].text,
        after.revisions[0].reason,
        after.revisions[0].approved_by,
    )


def test_plain_text_stays_plain():
    """Values YAML reads verbatim are not quoted: the diff reads like the rest of the file."""
    assert (
        yamltext.scalar("Departmental Audit Committee, 2020-11-15", False) == "Departmental Audit Committee, 2020-11-15"
    )
    assert yamltext.scalar("https://example.org/e.pdf", False) == "https://example.org/e.pdf"
    assert yamltext.scalar("yes: no # x", False) == '"yes: no # x"'
    assert yamltext.scalar("a, b", True) == '"a, b"'


def test_unified_diff_marks_a_missing_final_newline():
    old = b"a: 1\nb: 2"
    new = b"a: 1\nb: 3"
    assert unified_diff(old, new, "plan.yaml") == (
        "--- a/plan.yaml\n+++ b/plan.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n\\ No newline at end of file\n+b: 3\n\\ No"
        " newline at end of file\n"
    )


# -- property: any sequence of valid updates ------------------------------------------
IDS = ["1.1", "1.2", "1.3.a", "1.3.b", "1.outcome"]
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12).filter(lambda s: s.strip())


@st.composite
def update_sequences(draw):
    steps = []
    day = D("2021-01-20")  # after every date already in the fixture, so history stays in order
    for _ in range(draw(st.integers(1, 6))):
        day += timedelta(days=draw(st.integers(0, 20)))
        item_id = draw(st.sampled_from(IDS))
        kind = draw(st.sampled_from(["complete", "start", "revise", "note", "verify", "reopen", "retire"]))
        if kind == "complete":
            steps.append(
                Complete(item_id, day, tuple(draw(st.lists(_TEXT, max_size=2))), draw(st.one_of(st.just(""), _TEXT)))
            )
        elif kind == "start":
            steps.append(Start(item_id, day))
        elif kind == "revise":
            due = draw(st.dates(D("2020-01-01"), D("2022-12-31")))
            steps.append(Revise(item_id, due, draw(_TEXT), day, draw(st.one_of(st.just(""), _TEXT))))
        elif kind == "note":
            steps.append(Note(item_id, draw(_TEXT), day))
        elif kind == "verify":
            steps.append(Verify(item_id, day, draw(_TEXT)))
        elif kind == "reopen":
            steps.append(Reopen(item_id, draw(_TEXT), day))
        else:
            steps.append(Retire(item_id, draw(_TEXT), day))
    return steps


def _entry(
    on,
    kind,
    text="",
    reason="",
    from_due=None,
    to_due=None,
    approved_by="",
    evidence=(),
    by="",
    completed=None,
    verified=None,
    verified_by="",
):
    """A history entry as the reference records it: every field of `Event` but its position."""
    return (
        on,
        kind,
        text,
        reason,
        from_due,
        to_due,
        approved_by,
        tuple(evidence),
        by,
        completed,
        verified,
        verified_by,
    )


def _reference(milestone) -> dict:
    return {
        "status": milestone.status,
        "due": milestone.due,
        "started": milestone.started,
        "completed": milestone.completed,
        "evidence": list(milestone.evidence),
        "verified": milestone.verified,
        "verified_by": milestone.verified_by,
        "retired": milestone.retired_on,
        "history": [
            _entry(
                e.on,
                e.kind,
                e.text,
                e.reason,
                e.from_due,
                e.to_due,
                e.approved_by,
                e.evidence,
                e.by,
                e.completed,
                e.verified,
                e.verified_by,
            )
            for e in milestone.history
        ],
    }


def _step(ref: dict, update) -> bool:
    """Apply `update` to the reference record, written from the lifecycle of version 2; False if it is refused."""
    status = ref["status"]
    done = status in ("complete", "verified")
    if status == "retired" and not isinstance(update, Note):
        return False  # a retired milestone takes only notes
    if isinstance(update, Complete):
        evidence = tuple(dict.fromkeys(update.evidence))
        if done or not (evidence or ref["evidence"]):
            return False  # complete twice, or a first completion without evidence
        ref["history"].append(_entry(update.on, "completed", evidence=evidence))
        if update.note:
            ref["history"].append(_entry(update.on, "note", text=update.note))
        ref.update(status="complete", completed=update.on, verified=None, verified_by="")
        ref["evidence"] += [e for e in evidence if e not in ref["evidence"]]
    elif isinstance(update, Start):
        if status not in ("not-started", "reopened"):
            return False
        ref["history"].append(_entry(update.on, "started"))  # a restart is just another start
        ref["status"] = "in-progress"
        ref["started"] = ref["started"] or update.on
    elif isinstance(update, Revise):
        if done or update.due == ref["due"]:
            return False
        ref["history"].append(
            _entry(
                update.on,
                "revised",
                reason=update.reason,
                from_due=ref["due"],
                to_due=update.due,
                approved_by=update.approved_by,
            )
        )
        ref["due"] = update.due
    elif isinstance(update, Note):
        ref["history"].append(_entry(update.on, "note", text=update.text))
    elif isinstance(update, Verify):
        if status != "complete":
            return False
        ref["history"].append(_entry(update.on, "verified", by=update.by))
        ref.update(status="verified", verified=update.on, verified_by=update.by)
    elif isinstance(update, Reopen):
        if not done:
            return False
        ref["history"].append(
            _entry(
                update.on,
                "reopened",
                reason=update.reason,
                completed=ref["completed"],
                verified=ref["verified"],
                verified_by=ref["verified_by"],
            )
        )
        ref.update(status="reopened", completed=None, verified=None, verified_by="")
    elif isinstance(update, Retire):
        if done:
            return False  # only work not done can be retired
        ref["history"].append(_entry(update.on, "retired", reason=update.reason))
        ref.update(status="retired", retired=update.on)
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=update_sequences(),
    fixture=st.sampled_from(["block", "flow"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    final_newline=st.booleans(),
)
def test_any_sequence_of_valid_updates_reads_back_as_the_updates_applied(steps, fixture, newline, bom, final_newline):
    """Every accepted update validates and reads back as the reference model; every refused one changes nothing."""
    text = SMALL if fixture == "block" else FLOW
    text = text.replace("\n", newline)
    if not final_newline:
        text = text.removesuffix(newline)
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    plan = parsed(text)
    ref = {i: _reference(plan.find(i)) for i in IDS if plan.find(i) is not None}
    for update in steps:
        if update.item_id not in ref:
            continue
        expected = {
            **ref[update.item_id],
            "evidence": list(ref[update.item_id]["evidence"]),
            "history": list(ref[update.item_id]["history"]),
        }
        if not _step(expected, update):
            with pytest.raises(EditError):
                edit.apply_bytes(data, update, today=TODAY)
            continue
        data = edit.apply_bytes(data, update, today=TODAY)
        ref[update.item_id] = expected
        new_plan, problems = validate_bytes(data, "plan.yaml", TODAY)
        assert problems == []
        assert {i: _reference(new_plan.find(i)) for i in ref} == ref
        assert data.startswith(codecs.BOM_UTF8) == bom
        assert data.endswith(newline.encode()) == final_newline
        assert (b"\r\n" in data) == (newline == "\r\n")


def _patch(old: list[str], diff: str) -> list[str]:
    """Apply a unified diff to `old`, checking every context and removed line."""
    import re

    result, pos = [], 0
    lines = diff.splitlines()[2:]
    index = 0
    while index < len(lines):
        header = re.fullmatch(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", lines[index])
        assert header, lines[index]
        start = int(header[1]) - (0 if header[2] == "0" else 1)
        result += old[pos:start]
        pos = start
        index += 1
        while index < len(lines) and not lines[index].startswith("@@"):
            tag, line = lines[index][0], lines[index][1:]
            if tag in " -":
                assert old[pos] == line
                pos += 1
            if tag in " +":
                result.append(line)
            index += 1
    return result + old[pos:]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30),
    st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30),
)
def test_unified_diff_patches_old_into_new(old, new):
    """The diff --dry-run prints is a correct patch: applied to the old lines it gives the new ones."""
    old_bytes, new_bytes = "".join(x + "\n" for x in old).encode(), "".join(x + "\n" for x in new).encode()
    diff = unified_diff(old_bytes, new_bytes, "plan.yaml")
    assert (diff == "") == (old == new)
    if diff:
        assert diff.startswith("--- a/plan.yaml\n+++ b/plan.yaml\n@@ -")
        assert new == _patch(old, diff)


def test_a_quoted_value_stays_quoted_the_same_way():
    """Replacing `status: "not-started"` or `due: '2020-09-30'` keeps the quotes; only the words change."""
    text = SMALL.replace("        status: not-started\n", '        status: "not-started"\n').replace(
        "due: 2020-09-30   #", "due: '2020-09-30'   #"
    )
    new = edit.revise(text, "1.1", D("2020-12-31"), "r", D("2020-09-27"), today=TODAY)
    new = edit.complete(new, "1.1", D("2020-09-28"), ("e.pdf",), today=TODAY)
    assert [
        "-         due: '2020-09-30'   # as printed",
        "+         due: '2020-12-31'   # as printed",
        '-         status: "not-started"',
        '+         status: "complete"',
    ] == changed_lines(text, new)[:4]


def test_positions_after_non_ascii_text_are_characters():
    """Accents, curly quotes and emoji before the item do not shift the splice."""
    text = "# Plan 🎉 — l’équipe\n" + SMALL.replace("Do the thing,", "Do the 🎉 thing’s,")
    new = edit.complete(text, "1.1", D("2020-09-28"), ("e.pdf",), today=TODAY)
    assert new.startswith("# Plan 🎉 — l’équipe\n")
    assert new.replace("# Plan 🎉 — l’équipe\n", "").replace("Do the 🎉 thing’s,", "Do the thing,") == edit.complete(
        SMALL, "1.1", D("2020-09-28"), ("e.pdf",), today=TODAY
    )
