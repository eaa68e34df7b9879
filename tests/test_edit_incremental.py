"""Incremental checking of updates: the item's own lines prove the new file, or the whole file decides.

`edit.revalidate_item` may only accept: whenever it returns a milestone, the
whole new text must validate as the old plan with that milestone in place.
Whenever it cannot prove that, it returns None and `apply` re-validates
everything, so `apply` answers exactly as the full check does.
"""

from __future__ import annotations

import codecs
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oagtrack.core import edit
from oagtrack.core.edit import Complete, EditError, Note, Reopen, Revise, Start, Verify
from oagtrack.core.model import Event
from oagtrack.core.source import node_at, parse
from oagtrack.core.validate import validate_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "edit"
SMALL = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
FLOW = (FIXTURES / "flow.yaml").read_text(encoding="utf-8")
BUNDLED = (Path(__file__).parent.parent / "plan.yaml").read_text(encoding="utf-8")
TODAY = date(2030, 1, 1)
D = date.fromisoformat


def parsed(text: str):
    plan, problems = validate_bytes(text.encode("utf-8"), "plan.yaml", TODAY)
    assert [] == problems
    return plan


def node_of(text: str, item):
    """`item`'s mapping node in `text`, found again by its position as the editor finds it."""
    root, problems = parse(text, "plan.yaml")
    assert [] == problems
    return node_at(root, item.at.line, item.at.col)


def variant(text: str, newline: str = "\n", final_newline: bool = True) -> str:
    text = text.replace("\n", newline)
    return text if final_newline else text.removesuffix(newline)


def fast(text: str, update):
    """(milestone proven from the item's lines or None, the milestone expected, the new text)."""
    plan = parsed(text)
    root, _ = parse(text, "plan.yaml")
    change = edit.splice_update(text, plan, root, update)
    proven = edit.revalidate_item(
        text, change.new_text, change.start, change.end, plan, change.item, change.node, "plan.yaml", TODAY
    )
    return proven, change.expected, change.new_text


def outcome(data: bytes, update, incremental: bool):
    """What apply_bytes answers: ("ok", bytes) or ("refused", lines, code)."""
    try:
        return ("ok", edit.apply_bytes(data, update, today=TODAY, incremental=incremental))
    except EditError as err:
        return ("refused", err.lines, err.code)


# -- the fast path is taken where it should be --------------------------------
WITHOUT_TRAILER = SMALL.removesuffix("# end of plan\n")  # the last step ends the file

CASES = {
    "action with a folded text and a comment inside": (
        SMALL,
        Complete("1.1", D("2021-01-20"), ("e.pdf",), "Done, see e.pdf"),
    ),
    "action with block lists: note": (SMALL, Note("1.2", "Checked: all regions", D("2021-01-20"))),
    "action with block lists: reopen appends to the history": (
        SMALL,
        Reopen("1.2", "Evidence incomplete", D("2021-01-20")),
    ),
    "action: revise appends a history": (
        SMALL,
        Revise("1.1", D("2021-03-31"), "Pandemic", D("2021-01-20"), "Committee"),
    ),
    "step": (SMALL, Complete("1.3.a", D("2021-01-20"), ("a.pdf",))),
    "last step, last item of the file, then a comment": (SMALL, Complete("1.3.b", D("2021-01-20"), ("b.pdf",))),
    "last item, no final newline": (
        variant(WITHOUT_TRAILER, final_newline=False),
        Note("1.3.b", "Half done", D("2021-01-20")),
    ),
    "last item, CRLF, no final newline": (
        variant(WITHOUT_TRAILER, "\r\n", final_newline=False),
        Start("1.3.a", D("2021-01-20")),
    ),
    "expected outcome (a mapping under outcome:)": (
        SMALL,
        Revise("1.outcome", D("2021-06-30"), "Later", D("2021-01-20")),
    ),
    "CRLF": (variant(SMALL, "\r\n"), Complete("1.1", D("2021-01-20"), ("e.pdf",))),
    "CR only": (variant(SMALL, "\r"), Verify("1.2", D("2021-01-20"), "Internal Audit")),
    "the bundled plan": (BUNDLED, Complete("1.1", D("2021-01-20"), ("https://example.org/e.pdf",))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_items_own_lines_prove_the_update(name):
    """Block-style items are proven from their own lines, and the text is the one the full check accepts."""
    text, update = CASES[name]
    proven, expected, new_text = fast(text, update)
    assert expected == proven
    assert edit.apply(text, update, today=TODAY, incremental=False) == new_text
    assert edit.replace_milestone(parsed(text), expected) == parsed(new_text)


def test_a_bom_is_kept_on_the_fast_path():
    """apply_bytes with a BOM gives the same bytes either way, BOM first."""
    data = codecs.BOM_UTF8 + SMALL.encode("utf-8")
    update = Complete("1.1", D("2021-01-20"), ("e.pdf",))
    new = edit.apply_bytes(data, update, today=TODAY)
    assert edit.apply_bytes(data, update, today=TODAY, incremental=False) == new
    assert new.startswith(codecs.BOM_UTF8)


def test_flow_style_items_are_left_to_the_full_check():
    """A flow mapping item is not proven from its lines; the update still succeeds through the full check."""
    update = Complete("1.1", D("2021-01-20"), ("e.pdf",))
    proven, _, _ = fast(FLOW, update)
    assert None is proven
    assert edit.apply(FLOW, update, today=TODAY, incremental=False) == edit.apply(FLOW, update, today=TODAY)


# -- where the item's lines alone would be wrong ------------------------------
LITERAL_LAST = """\
schema_version: 2
audit: {id: a, title: A}
people:
  ana: {name: Ana}
recommendations:
  - id: "1"
    text: R
    leads: [ana]
    response: {agreed: true, text: Agreed.}
    outcome: {id: "1.outcome", text: Done., due: 2021-03-31}
    actions:
      - id: "1.1"
        due: 2020-09-30
        status: verified
        history:
          - {date: 2020-08-01, event: note, text: Started.}
          - {date: 2020-09-01, event: completed, evidence: [e.pdf]}
          - {date: 2020-09-02, event: verified, by: Audit}
        text: |
          Line one.
        label: "1.1 a)"
            # indented under the text: YAML reads this as text once label is gone
      - id: "1.2"
        text: Two
        due: 2020-10-30
"""


def test_a_block_scalar_that_would_take_the_next_comment_is_read_as_the_file_reads_it():
    """Removing the key after a literal text lets it take the indented comment: the item's lines read it so, as the
    whole file does."""
    plan = parsed(LITERAL_LAST)
    label = '        label: "1.1 a)"\n'
    at = LITERAL_LAST.index(label)
    new_text = LITERAL_LAST[:at] + LITERAL_LAST[at + len(label) :]
    item = plan.find("1.1")
    proven = edit.revalidate_item(
        LITERAL_LAST, new_text, at, at + len(label), plan, item, node_of(LITERAL_LAST, item), "plan.yaml", TODAY
    )
    assert "Line one.\n  # indented under the text: YAML reads this as text once label is gone\n" == proven.text
    assert edit.replace_milestone(plan, proven) == parsed(new_text)


def test_an_update_after_a_block_scalar_leaves_the_next_comment_a_comment():
    """An update appends to the history and sets the status, never removing a key: the literal text keeps its one line,
    both ways."""
    update = Reopen("1.1", "Redo", D("2021-01-20"))
    proven, expected, new_text = fast(LITERAL_LAST, update)
    assert expected == proven
    assert ("Line one.\n", "reopened", D("2020-09-01")) == (proven.text, proven.status, proven.history[-1].completed)
    data = LITERAL_LAST.encode()
    assert (
        ("ok", new_text.encode()) == outcome(data, update, incremental=True) == outcome(data, update, incremental=False)
    )


def splice_in(text: str, item_id: str, anchor: str, insert: str):
    """`text` with `insert` put after the first `anchor` inside item `item_id`; (plan, item, new_text, start)."""
    plan = parsed(text)
    item = plan.find(item_id)
    at = text.index(anchor, node_of(text, item).start_mark.index) + len(anchor)
    return plan, item, text[:at] + insert + text[at:], at


@pytest.mark.parametrize(
    "insert, why",
    [
        ("...\n", "a document end marker"),
        ("---\n", "a second document"),
        ('      - id: "1.9"\n        due: 2021-01-01\n', "a second item"),
        ("  oops: 1\n", "a line left of the item's keys"),
        ("        status: complete\n", "a duplicate key"),
        ("        leads: [zed]\n", "an unknown lead"),
        ('        id: "1.2"\n', "a duplicate id"),
        ("        due: &a 2020-01-01\n", "an anchor"),
        ("\tx: 1\n", "a tab"),
        ('        text: "unclosed\n', "an unclosed quote"),
    ],
)
def test_a_change_the_lines_cannot_prove_is_left_to_the_full_check(insert, why):
    """Lines that are invalid, or mean something else in the file than alone, prove nothing."""
    plan, item, new_text, at = splice_in(SMALL, "1.1", "status: not-started\n", insert)
    assert None is edit.revalidate_item(
        SMALL, new_text, at, at, plan, item, node_of(SMALL, item), "plan.yaml", TODAY
    ), why


def test_a_valid_added_line_is_proven():
    """A well-formed key added inside the item is read from the item's lines."""
    plan, item, new_text, at = splice_in(
        SMALL,
        "1.1",
        "status: not-started\n",
        "        history:\n          - date: 2020-09-01\n            event: note\n            text: Kick-off held.\n",
    )
    proven = edit.revalidate_item(SMALL, new_text, at, at, plan, item, node_of(SMALL, item), "plan.yaml", TODAY)
    assert (Event(D("2020-09-01"), "note", text="Kick-off held."),) == proven.history
    assert edit.replace_milestone(plan, proven) == parsed(new_text)


def test_a_valid_changed_status_and_history_are_proven():
    """A status changed in place with the entry that makes it so: the replayed dates are read from the item's lines."""
    plan = parsed(SMALL)
    old = "        status: not-started\n"
    item = plan.find("1.1")
    at = SMALL.index(old, node_of(SMALL, item).start_mark.index)
    new_text = (
        SMALL[:at]
        + "        status: in-progress\n        history:\n          - date: 2020-09-01\n            event: started\n"
        + SMALL[at + len(old) :]
    )
    proven = edit.revalidate_item(
        SMALL, new_text, at, at + len(old), plan, item, node_of(SMALL, item), "plan.yaml", TODAY
    )
    assert ("in-progress", D("2020-09-01")) == (proven.status, proven.started)
    assert edit.replace_milestone(plan, proven) == parsed(new_text)


def test_a_change_outside_the_item_is_not_proven_by_it():
    """A change on a line of the next item is outside the region: the full check must decide."""
    plan, item, new_text, at = splice_in(SMALL, "1.2", "text: 'Second action'", "x")
    first = parsed(SMALL).find("1.1")
    assert None is edit.revalidate_item(SMALL, new_text, at, at, plan, first, node_of(SMALL, first), "plan.yaml", TODAY)


# -- properties -------------------------------------------------------------------
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12).filter(str.strip)
IDS = ["1.1", "1.2", "1.3.a", "1.3.b", "1.outcome", "1.3", "1", "ana", "9.9"]


@st.composite
def updates(draw):
    day = D("2021-01-20") + timedelta(days=draw(st.integers(0, 40)))
    item_id = draw(st.sampled_from(IDS))
    kind = draw(st.sampled_from(["complete", "start", "revise", "note", "verify", "reopen"]))
    if kind == "complete":
        return Complete(item_id, day, tuple(draw(st.lists(_TEXT, max_size=2))), draw(st.one_of(st.just(""), _TEXT)))
    if kind == "start":
        return Start(item_id, day)
    if kind == "revise":
        return Revise(
            item_id,
            draw(st.dates(D("2020-01-01"), D("2022-12-31"))),
            draw(_TEXT),
            day,
            draw(st.one_of(st.just(""), _TEXT)),
        )
    if kind == "note":
        return Note(item_id, draw(_TEXT), day)
    if kind == "verify":
        return Verify(item_id, day, draw(_TEXT))
    return Reopen(item_id, draw(_TEXT), day)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(updates(), min_size=1, max_size=5),
    fixture=st.sampled_from(["block", "block, last item at the end", "flow"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
    final_newline=st.booleans(),
)
def test_incremental_and_full_checks_answer_alike(steps, fixture, newline, bom, final_newline):
    """For any sequence of updates, apply gives the same bytes or the same refusal with and without the incremental
    check."""
    text = {"block": SMALL, "block, last item at the end": WITHOUT_TRAILER, "flow": FLOW}[fixture]
    data = (codecs.BOM_UTF8 if bom else b"") + variant(text, newline, final_newline).encode("utf-8")
    for update in steps:
        result = outcome(data, update, incremental=True)
        assert outcome(data, update, incremental=False) == result
        if result[0] == "ok":
            data = result[1]


_SNIPPETS = st.sampled_from(
    [
        "\n",
        " ",
        "  ",
        "#",
        "# c\n",
        "- ",
        ": ",
        "|",
        ">",
        "'",
        '"',
        "x",
        "...",
        "---",
        "\t",
        "{",
        "[",
        "]",
        "}",
        ",",
        "        label: L\n",
        "        history:\n          - date: 2020-09-01\n            event: started\n",
        "in-progress",
        "  ",
        "\n        ",
        "\n      ",
        "\n  ",
        "2020-01-01",
        "complete",
        "?",
        "\r",
        "\x85",
        "\u2028",
        "\ufeff",
        "&a ",
        "*a",
        "!!str ",
        "%YAML 1.1\n",
        "|+\n",
        ">-\n",
        "\n\n",
        "          # c\n",
        "\\",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    item_id=st.sampled_from(["1.1", "1.2", "1.3.a", "1.3.b", "1.outcome"]),
    where=st.floats(0, 1),
    cut=st.integers(0, 6),
    insert=st.lists(_SNIPPETS, max_size=4).map("".join),
    newline=st.sampled_from(["\n", "\r\n"]),
    last=st.booleans(),
)
def test_whatever_the_item_lines_prove_the_whole_file_confirms(item_id, where, cut, insert, newline, last):
    """Any text change inside an item: if its lines prove a milestone, the whole new file validates to the plan so."""
    text = variant(WITHOUT_TRAILER if last else SMALL, newline, final_newline=not last)
    plan = parsed(text)
    item = plan.find(item_id)
    node = node_of(text, item)
    start = node.start_mark.index + int(where * (node.end_mark.index - node.start_mark.index))
    end = min(start + cut, len(text))
    insert = insert.replace("\n", newline)
    new_text = text[:start] + insert + text[end:]
    proven = edit.revalidate_item(text, new_text, start, end, plan, item, node, "plan.yaml", TODAY)
    if proven is not None:
        new_plan, problems = validate_bytes(new_text.encode("utf-8"), "plan.yaml", TODAY)
        assert [] == problems
        assert edit.replace_milestone(plan, proven) == new_plan


def test_an_update_to_a_block_item_does_not_revalidate_the_whole_plan(monkeypatch):
    """On the bundled plan, complete is checked from the item's lines alone: the full check is never called."""

    def refuse(*args, **kwargs):
        raise AssertionError("the whole plan was re-validated")

    plan = parsed(BUNDLED)
    monkeypatch.setattr(edit, "check_full", refuse)
    new = edit.apply(BUNDLED, Complete("1.1", D("2021-01-20"), ("https://example.org/e.pdf",)), today=TODAY, plan=plan)
    assert "complete" == parsed(new).find("1.1").status


def test_cli_complete_on_a_flow_item_still_checks_the_whole_plan(tmp_path, monkeypatch):
    """Through the CLI, an item the region cannot prove (flow style) is updated after the full check."""
    from typer.testing import CliRunner

    from oagtrack.cli import app, shared

    monkeypatch.setattr(shared, "_today", TODAY)
    path = tmp_path / "plan.yaml"
    path.write_text(FLOW, encoding="utf-8")
    result = CliRunner().invoke(app, ["complete", "1.1", "--on", "2021-01-20", "-e", "e.pdf", "--plan", str(path)])
    assert (0, f"{path}: 1.1 complete on 2021-01-20\n") == (result.exit_code, result.output)
    assert "complete" == parsed(path.read_text(encoding="utf-8")).find("1.1").status
