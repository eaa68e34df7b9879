"""Updates as text splices: exact edits, every other byte kept, values read back verbatim."""

from __future__ import annotations

import codecs
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oagtrack import edit
from oagtrack.edit import Complete, EditError, Note, Reopen, Revise, Start, UnknownItem, Verify
from oagtrack.validate import validate_bytes

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
def test_complete_replaces_status_and_inserts_keys_after_it():
    """complete changes the status line and adds completed and evidence right after it."""
    new = edit.complete(SMALL, "1.1", D("2020-09-28"), ("https://example.org/e.pdf",), today=TODAY)
    assert [
        "-         status: not-started",
        "+         status: complete",
        "+         completed: 2020-09-28",
        "+         evidence:",
        "+           - https://example.org/e.pdf",
    ] == changed_lines(SMALL, new)


def test_complete_appends_to_an_existing_block_evidence_list_and_history():
    """Evidence and a note go at the end of the lists already there, at their indentation."""
    text = edit.reopen(SMALL, "1.2", "Evidence incomplete", D("2021-02-01"), today=TODAY)
    new = edit.complete(text, "1.2", D("2021-02-10"), ("second.pdf",), note="Re-done", today=TODAY)
    assert [
        "-         status: reopened",
        "+         status: complete",
        "+         completed: 2021-02-10",
        "+           - second.pdf",
        "+           - on: 2021-02-10",
        "+             event: note",
        "+             text: Re-done",
    ] == changed_lines(text, new)
    assert ("https://example.org/first.pdf", "second.pdf") == item(new, "1.2").evidence


def test_reopen_removes_completion_lines_and_records_it_in_history():
    """reopen: status reopened, completed removed, evidence kept, history says which completion was withdrawn."""
    new = edit.reopen(SMALL, "1.2", "Evidence incomplete", D("2021-02-01"), today=TODAY)
    assert [
        "-         status: complete",
        "+         status: reopened",
        "-         completed: 2021-01-15",
        "+           - on: 2021-02-01",
        "+             event: reopened",
        "+             completed: 2021-01-15",
        "+             reason: Evidence incomplete",
    ] == changed_lines(SMALL, new)
    after = item(new, "1.2")
    assert (after.status, after.completed, after.evidence) == ("reopened", None, ("https://example.org/first.pdf",))


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
    """The lifecycle through start, complete and verify, each read back from the text."""
    text = edit.start(SMALL, "1.1", D("2020-09-01"), today=TODAY)
    text = edit.complete(text, "1.1", D("2020-09-28"), today=TODAY)
    text = edit.verify(text, "1.1", D("2020-10-05"), "Internal Audit", today=TODAY)
    after = item(text, "1.1")
    assert (after.status, after.started, after.completed, after.verified, after.verified_by) == (
        "verified", D("2020-09-01"), D("2020-09-28"), D("2020-10-05"), "Internal Audit")
    assert changed_lines(SMALL, text) == [
        "-         status: not-started",
        "+         status: verified",
        "+         started: 2020-09-01",
        "+         completed: 2020-09-28",
        "+         verified: 2020-10-05",
        "+         verified_by: Internal Audit",
    ]


def test_reopen_of_a_verified_item_moves_the_verification_into_the_reopened_entry():
    """The item is no longer verified, but the history keeps when and by whom it had been (#3)."""
    text = edit.verify(SMALL, "1.2", D("2021-02-01"), "IA", today=TODAY)
    text = edit.reopen(text, "1.2", "Not enough", D("2021-02-02"), today=TODAY)
    after = item(text, "1.2")
    assert (after.status, after.completed, after.verified, after.verified_by) == ("reopened", None, None, "")
    assert (D("2021-02-02"), "reopened", D("2021-01-15"), D("2021-02-01"), "IA") == (
        after.history[-1].on, after.history[-1].kind, after.history[-1].completed, after.history[-1].verified, after.history[-1].verified_by)
    assert [
        "-         status: verified",
        "+         status: reopened",
    ] == [line for line in changed_lines(edit.verify(SMALL, "1.2", D("2021-02-01"), "IA", today=TODAY), text) if "status" in line]


def test_a_step_and_an_outcome_are_milestones():
    text = edit.complete(SMALL, "1.3.b", D("2021-02-01"), ("b.pdf",), today=TODAY)
    text = edit.note(text, "1.outcome", "On track", D("2021-02-02"), today=TODAY)
    assert item(text, "1.3.b").completed == D("2021-02-01")
    assert [e.text for e in item(text, "1.outcome").notes] == ["On track"]
    assert text.endswith("            started: 2020-10-01\n            completed: 2021-02-01\n            evidence:\n              - b.pdf\n# end of plan\n")


def test_status_is_added_when_the_item_has_none():
    """1.3.a has no status key: complete adds it after due, at the item's indentation."""
    new = edit.complete(SMALL, "1.3.a", D("2020-12-01"), today=TODAY)
    assert "            due: 2020-12-31\n            status: complete\n            completed: 2020-12-01\n          - id: \"1.3.b\"" in new


# -- flow style ----------------------------------------------------------------
def test_flow_items_are_edited_in_flow_style():
    """A flow mapping gets `, key: value` before its closing brace; its lists grow in place."""
    text = edit.complete(FLOW, "1.1", D("2020-09-28"), ("https://example.org/e.pdf", "x, y"), note="a: b", today=TODAY)
    assert '      - {id: "1.1", text: "First, in flow", due: 2020-09-30, status: complete, completed: 2020-09-28, evidence: [https://example.org/e.pdf, "x, y"], history: [{on: 2020-09-28, event: note, text: "a: b"}]}\n' in text
    text = edit.reopen(text, "1.2", "bad [x]", D("2021-02-01"), today=TODAY)
    assert '      - {id: "1.2", text: Second, due: 2021-01-31, status: reopened, evidence: [a.pdf], history: [{on: 2020-11-02, event: note, text: Draft shared.}, {on: 2021-02-01, event: reopened, completed: 2021-01-15, reason: "bad [x]"}]}\n' in text
    text = edit.start(text, "1.3", D("2020-10-01"), today=TODAY)
    assert "          due: 2021-02-28, status: in-progress, started: 2020-10-01,\n        }\n" in text
    assert len(changed_lines(FLOW, text)) == 6  # three lines out, three in


def test_flow_items_lose_keys_cleanly():
    text = edit.verify(FLOW, "1.2", D("2021-02-01"), "IA", today=TODAY)
    assert "status: verified, completed: 2021-01-15, evidence: [a.pdf]" in text
    text = edit.reopen(text, "1.2", "r", D("2021-02-02"), today=TODAY)
    assert '{id: "1.2", text: Second, due: 2021-01-31, status: reopened, evidence: [a.pdf], history: ' in text


def test_an_empty_flow_list_gets_its_first_entry():
    text = FLOW.replace("evidence: [a.pdf]", "evidence: []").replace("status: complete, completed: 2021-01-15, ", "")
    new = edit.complete(text, "1.2", D("2021-02-01"), ("e.pdf",), today=TODAY)
    assert "evidence: [e.pdf]" in new


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
    assert codecs.BOM_UTF8 + edit.apply_bytes(data, update, today=TODAY) == edit.apply_bytes(codecs.BOM_UTF8 + data, update, today=TODAY)


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
    """New keys after a `|+` block scalar go after its kept blank lines, which stay in the value."""
    text = SMALL.replace("        text: 'Second action'\n", "").replace(
        "          - on: 2020-11-02\n            event: note\n            text: Draft shared.\n",
        "          - on: 2020-11-02\n            event: note\n            text: |+\n              Draft shared.\n\n",
    )
    text = text.replace('      - id: "1.2"\n', '      - id: "1.2"\n        text: Second action\n')
    before = item(text, "1.2").history[0].text
    new = edit.note(text, "1.2", "Next", D("2021-02-01"), today=TODAY)
    assert before.startswith("Draft shared.\n\n")
    assert [before, "Next"] == [e.text for e in item(new, "1.2").notes]


def test_a_key_on_the_dash_line_is_removed_without_the_dash():
    """`- completed: ...` opening an item: the dash stays with the next key."""
    text = SMALL.replace(
        '      - id: "1.2"\n        text: \'Second action\'\n        due: 2021-01-31\n',
        "      - completed: 2021-01-15\n        id: \"1.2\"\n        text: 'Second action'\n        due: 2021-01-31\n",
    ).replace("        status: complete\n        completed: 2021-01-15\n", "        status: complete\n")
    new = edit.reopen(text, "1.2", "r", D("2021-02-01"), today=TODAY)
    assert '      - id: "1.2"\n        text: \'Second action\'\n' in new
    assert item(new, "1.2").completed is None


# -- refusals ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("update", "message"),
    [
        (Complete("1.2", D("2021-02-01")), "action 1.2 is already complete (completed 2021-01-15); to record a new completion, reopen it first: oagtrack reopen 1.2 --reason TEXT"),
        (Verify("1.1", D("2021-02-01"), "IA"), "action 1.1 is not-started; only a complete item can be verified: complete it first"),
        (Reopen("1.1", "why", D("2021-02-01")), "action 1.1 is not-started; only a complete or verified item can be reopened"),
        (Start("1.3.b", D("2021-02-01")), "step 1.3.b is already in-progress (started 2020-10-01); start applies to an item not started or reopened"),
        (Revise("1.1", D("2020-09-30"), "why", D("2020-09-01")), "action 1.1 is already due 2020-09-30; nothing to revise"),
        (Revise("1.1", D("2020-10-30"), "  ", D("2020-09-01")), "--reason must not be empty"),
        (Note("1.1", "", D("2020-09-01")), "TEXT must not be empty"),
        (Verify("1.2", D("2021-02-01"), ""), "--by must not be empty"),
        (Complete("1.3", D("2021-02-01")), "action 1.3 has steps; its steps are the milestones: update 1.3.a, 1.3.b"),
        (Complete("1", D("2021-02-01")), "'1' is a recommendation; update one of its milestones: 1.1, 1.2, 1.3.a, 1.3.b, 1.outcome"),
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


@pytest.mark.parametrize(
    ("update", "problem"),
    [
        (Complete("1.3.b", D("2020-09-01")), "started 2020-10-01 is after completed 2020-09-01"),
        (Verify("1.2", D("2021-01-01"), "IA"), "verified 2021-01-01 is before completed 2021-01-15"),
        (Note("1.2", "late", D("2020-01-01")), "comes after one dated 2020-11-02; history is oldest first"),
        (Reopen("1.2", "r", D("2021-01-01")), "reopened on 2021-01-01 a completion dated later (2021-01-15)"),
    ],
)
def test_an_update_that_would_make_the_plan_invalid_is_refused(update, problem):
    """The new text is validated before it is returned: the validator's message is passed on."""
    with pytest.raises(EditError) as caught:
        edit.apply(SMALL, update, today=TODAY)
    assert caught.value.lines[0] == "the update would make the plan invalid, so nothing was changed (positions are in the updated text):"
    assert problem in "\n".join(caught.value.lines[1:])


def test_an_update_dated_after_today_is_refused_before_anything_is_spliced():
    """The plan would refuse it too, but with a position in text never written."""
    with pytest.raises(EditError) as caught:
        edit.apply(SMALL, Complete("1.1", D("2030-01-02")), today=TODAY)
    assert caught.value.lines == ["dated 2030-01-02, after today (2030-01-01); record things once they happen"]


def test_a_completion_before_the_last_reopening_is_refused():
    text = edit.reopen(SMALL, "1.2", "r", D("2021-02-01"), today=TODAY)
    with pytest.raises(EditError, match="was reopened on 2021-02-01; a new completion must be dated on or after that, not 2021-01-20"):
        edit.complete(text, "1.2", D("2021-01-20"), today=TODAY)


def test_an_invalid_plan_is_not_edited():
    with pytest.raises(EditError) as caught:
        edit.apply(SMALL.replace("status: not-started", "status: done"), Note("1.1", "x", D("2020-01-01")), today=TODAY)
    assert caught.value.lines[0] == "the plan is invalid; fix it before updating it:"


# -- values read back verbatim ------------------------------------------------------------
TRICKY = [
    "yes: no # x", '"quoted"', "[red]", "{x}", "yes", "no", "1.10", "null", "~", "- dash", "a #b", "a#b", "trailing ", " leading",
    "tab\there", "line\nbreak", "crlf\r\nbreak", "emoji 🎉", "\x1b[31mred", "back\\slash", "'single'", "&anchor", "*alias", "!tag",
    "%pct", "@at", "`tick", "key:", "2020-01-01", "true", "é’", "a\u2028b", "a\x85b", "\ufeffbom", "a: b", "?", "-", ":", ",", "a, b",
    "http://x.org/a?b=1#frag", "NUL\x00", "\x7f", "\u202eRTL", "'", '"', "#", "|", ">", "0x1F", ".inf", "=", "<<",
]


@pytest.mark.parametrize("value", TRICKY)
@pytest.mark.parametrize("fixture", ["block", "flow"])
def test_text_values_read_back_verbatim(value, fixture):
    """A note, an evidence link and an approval are read back exactly as given, in block and flow items."""
    text = SMALL if fixture == "block" else FLOW
    new = edit.apply(text, Revise("1.1", D("2020-12-31"), value, D("2020-09-15"), approved_by=value), today=TODAY)
    new = edit.apply(new, Complete("1.1", D("2020-09-28"), (value,), note=value), today=TODAY)
    after = item(new, "1.1")
    assert (value, value, value, value) == (after.evidence[0], after.notes[0].text, after.revisions[0].reason, after.revisions[0].approved_by)


def test_plain_text_stays_plain():
    """Values YAML reads verbatim are not quoted: the diff reads like the rest of the file."""
    assert edit._scalar("Departmental Audit Committee, 2020-11-15", False) == "Departmental Audit Committee, 2020-11-15"
    assert edit._scalar("https://example.org/e.pdf", False) == "https://example.org/e.pdf"
    assert edit._scalar("yes: no # x", False) == '"yes: no # x"'
    assert edit._scalar("a, b", True) == '"a, b"'


def test_unified_diff_marks_a_missing_final_newline():
    old = b"a: 1\nb: 2"
    new = b"a: 1\nb: 3"
    assert edit.unified_diff(old, new, "plan.yaml") == (
        "--- a/plan.yaml\n+++ b/plan.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n\\ No newline at end of file\n+b: 3\n\\ No newline at end of file\n"
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
        kind = draw(st.sampled_from(["complete", "start", "revise", "note", "verify", "reopen"]))
        if kind == "complete":
            steps.append(Complete(item_id, day, tuple(draw(st.lists(_TEXT, max_size=2))), draw(st.one_of(st.just(""), _TEXT))))
        elif kind == "start":
            steps.append(Start(item_id, day))
        elif kind == "revise":
            due = draw(st.dates(D("2020-01-01"), D("2022-12-31")))
            steps.append(Revise(item_id, due, draw(_TEXT), day, draw(st.one_of(st.just(""), _TEXT))))
        elif kind == "note":
            steps.append(Note(item_id, draw(_TEXT), day))
        elif kind == "verify":
            steps.append(Verify(item_id, day, draw(_TEXT)))
        else:
            steps.append(Reopen(item_id, draw(_TEXT), day))
    return steps


def _reference(milestone) -> dict:
    return {
        "status": milestone.status, "due": milestone.due, "started": milestone.started, "completed": milestone.completed,
        "evidence": list(milestone.evidence), "verified": milestone.verified, "verified_by": milestone.verified_by,
        "history": [(e.on, e.kind, e.text, e.reason, e.from_due, e.to_due, e.approved_by, e.completed, e.verified, e.verified_by) for e in milestone.history],
    }


def _step(ref: dict, update) -> bool:
    """Apply `update` to the reference record; False if the lifecycle refuses it."""
    done = ref["status"] in ("complete", "verified")
    if isinstance(update, Complete):
        if done:
            return False
        ref.update(status="complete", completed=update.on)
        ref["evidence"] += [e for e in dict.fromkeys(update.evidence) if e not in ref["evidence"]]
        if update.note:
            ref["history"].append((update.on, "note", update.note, "", None, None, "", None, None, ""))
    elif isinstance(update, Start):
        if ref["status"] not in ("not-started", "reopened"):
            return False
        if ref["status"] == "reopened":
            if update.on < [h[0] for h in ref["history"] if h[1] == "reopened"][-1]:
                return False
            ref["history"].append((update.on, "restarted", "", "", None, None, "", None, None, ""))
        ref["status"] = "in-progress"
        ref["started"] = ref["started"] or update.on
    elif isinstance(update, Revise):
        if done or update.due == ref["due"]:
            return False
        ref["history"].append((update.on, "revised", "", update.reason, ref["due"], update.due, update.approved_by, None, None, ""))
        ref["due"] = update.due
    elif isinstance(update, Note):
        ref["history"].append((update.on, "note", update.text, "", None, None, "", None, None, ""))
    elif isinstance(update, Verify):
        if ref["status"] != "complete":
            return False
        ref.update(status="verified", verified=update.on, verified_by=update.by)
    elif isinstance(update, Reopen):
        if not done:
            return False
        ref["history"].append((update.on, "reopened", "", update.reason, None, None, "", ref["completed"], ref["verified"], ref["verified_by"]))
        ref.update(status="reopened", completed=None, verified=None, verified_by="")
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
        expected = {**ref[update.item_id], "evidence": list(ref[update.item_id]["evidence"]), "history": list(ref[update.item_id]["history"])}
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
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30), st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30))
def test_unified_diff_patches_old_into_new(old, new):
    """The diff --dry-run prints is a correct patch: applied to the old lines it gives the new ones."""
    old_bytes, new_bytes = "".join(x + "\n" for x in old).encode(), "".join(x + "\n" for x in new).encode()
    diff = edit.unified_diff(old_bytes, new_bytes, "plan.yaml")
    assert (diff == "") == (old == new)
    if diff:
        assert diff.startswith("--- a/plan.yaml\n+++ b/plan.yaml\n@@ -")
        assert new == _patch(old, diff)


def test_a_quoted_value_stays_quoted_the_same_way():
    """Replacing `status: "not-started"` or `due: '2020-09-30'` keeps the quotes; only the words change."""
    text = SMALL.replace("        status: not-started\n", '        status: "not-started"\n').replace("due: 2020-09-30   #", "due: '2020-09-30'   #")
    new = edit.revise(text, "1.1", D("2020-12-31"), "r", D("2020-09-27"), today=TODAY)
    new = edit.complete(new, "1.1", D("2020-09-28"), today=TODAY)
    assert ['-         due: \'2020-09-30\'   # as printed', "+         due: '2020-12-31'   # as printed", '-         status: "not-started"', '+         status: "complete"'] == changed_lines(text, new)[:4]


def test_positions_after_non_ascii_text_are_characters():
    """Accents, curly quotes and emoji before the item do not shift the splice."""
    text = "# Plan 🎉 — l’équipe\n" + SMALL.replace("Do the thing,", "Do the 🎉 thing’s,")
    new = edit.complete(text, "1.1", D("2020-09-28"), today=TODAY)
    assert new.startswith("# Plan 🎉 — l’équipe\n")
    assert new.replace("# Plan 🎉 — l’équipe\n", "").replace("Do the 🎉 thing’s,", "Do the thing,") == edit.complete(SMALL, "1.1", D("2020-09-28"), today=TODAY)
