"""Every kind of mistake in a plan is reported with its exact line and column, all in one run."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from conftest import SMALL_PLAN

from oagtrack.core.validate import validate_bytes

TODAY = date(2022, 1, 1)


def problems(text: str, today: date = TODAY) -> list[str]:
    plan, found = validate_bytes(text.encode("utf-8"), "p.yaml", today)
    assert (plan is None) == bool(found)
    return [f"{p.line}:{p.col}: {p.message}" for p in found]


def replace_line(number: int, new: str, text: str = SMALL_PLAN) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def with_history(status: str, *entries: list[str]) -> str:
    """Lines for action 1.1 (in place of line 28): a status,
    then the history entries, each a list of `key: value` lines."""
    lines = f"        status: {status}\n        history:"
    for entry in entries:
        lines += "\n          - " + "\n            ".join(entry)
    return lines


def insert_after(number: int, new: str, text: str = SMALL_PLAN) -> str:
    lines = text.splitlines()
    lines.insert(number, new)
    return "\n".join(lines) + "\n"


def test_the_small_plan_is_valid():
    assert problems(SMALL_PLAN) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            replace_line(26, "        txet: First action."),
            "26:9: action 1.1: unknown key 'txet' (did you mean 'text'?)",
        ),
        (replace_line(32, "        leed: [bo]"), "32:9: action 1.2: unknown key 'leed' (did you mean 'leads'?)"),
        (
            replace_line(27, "        due: 2020-09-31"),
            "27:14: action 1.1 due: 2020-09-31 is not a date: September 2020 has 30 days",
        ),
        (
            replace_line(27, "        due: 2020-13-01"),
            "27:14: action 1.1 due: 2020-13-01 is not a date: there is no month 13",
        ),
        (
            replace_line(27, "        due: 0000-01-01"),
            "27:14: action 1.1 due: 0000-01-01 is outside the years 1900 to 2999",
        ),
        (
            replace_line(27, '        due: "+9999999999d"'),
            "27:14: action 1.1 due: expected a date as YYYY-MM-DD, found '+9999999999d'",
        ),
        (
            replace_line(27, "        due: 30/09/2020"),
            "27:14: action 1.1 due: expected a date as YYYY-MM-DD, found '30/09/2020'",
        ),
        (
            replace_line(27, "        due: September 30"),
            "27:14: action 1.1 due: 'September 30' has no year; write the date as YYYY-MM-DD",
        ),
        (
            replace_line(27, "        due: September 30, 2020"),
            "27:14: action 1.1 due: expected a date as YYYY-MM-DD, found 'September 30, 2020' (write 2020-09-30)",
        ),
        (
            replace_line(27, "        due: 2020-09-30T10:00:00-04:00"),
            "27:14: action 1.1 due: expected a date (YYYY-MM-DD), found a date and time '2020-09-30T10:00:00-04:00'; "
            "write 2020-09-30",
        ),
        (
            replace_line(29, "      - id: 1.10"),
            '29:13: action: id 1.10 must be quoted, "1.10", or YAML tools read it as the number 1.1',
        ),
        (replace_line(29, '      - id: "1.1"'), "29:13: duplicate id '1.1' (first at line 25, column 13)"),
        (
            replace_line(32, "        leads: [bob]"),
            "32:17: action 1.2 leads: unknown person 'bob' (did you mean 'bo'?); leads are keys under people: ana, bo",
        ),
        (
            replace_line(18, "      agreed: yes"),
            "18:15: recommendation 1 response agreed: expected true or false, "
            "found 'yes' (yes/no/on/off are not booleans here)",
        ),
        (
            replace_line(28, "        status: Completed"),
            "28:17: action 1.1 status: 'Completed' is not one of: not-started, in-progress, complete, verified, "
            "reopened, retired (did you mean 'complete'?)",
        ),
        (
            replace_line(28, '        status: "complete "'),
            "28:17: action 1.1 status: 'complete ' is not one of: not-started, in-progress, complete, verified, "
            "reopened, retired (did you mean 'complete'?)",
        ),
        (
            replace_line(26, "        text: [First, action]"),
            "26:15: action 1.1 text: expected a single value, found a list",
        ),
        (replace_line(26, "        text:"), "26:14: action 1.1 text: empty value; write the text or remove the key"),
        (
            insert_after(27, "        due: 2020-10-01"),
            "28:9: action 1.1: duplicate key 'due' (first at line 27, column 9)",
        ),
        (
            replace_line(26, "        text: &a First action."),
            "26:15: anchor &a refused: write each value out in full (anchors are not allowed)",
        ),
        (
            replace_line(30, "        text: *a"),
            "30:15: alias *a refused: write the value out in full (aliases and merge keys are not allowed)",
        ),
        (
            replace_line(26, "        text: !!python/object:os.system First"),
            "26:15: tag !!python/object:os.system refused: the schema decides types, and nothing in a plan is executed",
        ),
        (replace_line(26, "\ttext: First action."), "26:1: tab character in indentation; indent with spaces"),
        (
            replace_line(1, "schema_version: 3"),
            "1:17: schema_version 3 is not supported; this oagtrack reads version 2",
        ),
        (SMALL_PLAN + "---\nmore: 1\n", "42:1: a second YAML document (---) found; a plan is one document"),
    ],
)
def test_each_mistake_is_reported_at_its_position(text, expected):
    assert problems(text) == [expected]


def test_missing_fields_are_all_listed_in_one_run():
    text = SMALL_PLAN.replace(
        '      - id: "1.1"\n        text: First action.\n        due: 2020-09-30\n        status', "      - status"
    )
    assert problems(text) == [
        "25:9: action: missing required key 'id'",
        "25:9: action: missing required key 'text'",
        "25:9: action : missing required key 'due'",
    ]


def test_a_misspelt_required_key_is_reported_once():
    """`txet` is reported as unknown with its suggestion, not also as `text` missing."""
    assert problems(replace_line(26, "        txet: First action.")) == [
        "26:9: action 1.1: unknown key 'txet' (did you mean 'text'?)"
    ]


def test_five_different_errors_are_all_reported():
    text = SMALL_PLAN
    text = replace_line(26, "        txet: First action.", text)
    text = replace_line(31, "        due: 2021-02-30", text)
    text = replace_line(18, "      agreed: no", text)
    text = replace_line(32, "        leads: [nobody]", text)
    text = replace_line(40, "            text: Step two.\n            status: done", text)
    found = problems(text)
    assert [line.split(": ")[0] for line in found] == ["18:15", "26:9", "31:14", "32:17", "41:21"]


def test_empty_and_comment_only_files():
    assert problems("") == [
        "1:1: the plan is empty; expected a mapping with schema_version, audit, people and recommendations"
    ]
    assert problems("# just a comment\n") == [
        "1:1: the plan is empty; expected a mapping with schema_version, audit, people and recommendations"
    ]
    assert problems("- a\n- b\n") == ["1:1: plan: expected a mapping of keys, found a list"]


def test_a_version_1_plan_is_refused_with_one_message_naming_migrate():
    """Its version-1 keys are not each reported: one line says how to rewrite the file."""
    text = replace_line(
        1,
        "schema_version: 1",
        replace_line(28, "        status: complete\n        completed: 2020-09-28\n        evidence: [a.pdf]"),
    )
    assert problems(text) == [
        "1:17: schema_version 1 is the first format of plan.yaml; this oagtrack reads version 2: "
        "run `oagtrack migrate` to rewrite the file (a small diff you can review; --dry-run shows it)"
    ]


NOT_RECORDED = "record each change with the oagtrack commands, which write both"
COMPLETED = ["date: 2020-09-01", "event: completed", "evidence: [a.pdf]"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            {28: "        status: complete"},
            [f"28:17: action 1.1: status complete, but no history entry makes it not-started; {NOT_RECORDED}"],
        ),
        (
            {28: with_history("in-progress", COMPLETED)},
            [f"28:17: action 1.1: status in-progress, but its history (completed) makes it complete; {NOT_RECORDED}"],
        ),
        (
            {28: with_history("complete", ["date: 2022-01-02", "event: completed", "evidence: [a.pdf]"])},
            [
                "30:13: action 1.1: a completed entry dated 2022-01-02, after today (2022-01-01); "
                "record things once they happen"
            ],
        ),
        (
            {28: with_history("complete", COMPLETED, ["date: 2020-10-01", "event: verified", "by: Internal Audit"])},
            [
                "28:17: action 1.1: status complete, but its history (completed, verified) makes it verified; "
                f"{NOT_RECORDED}"
            ],
        ),
        (
            {28: with_history("complete", ["date: 2020-09-28", "event: completed"])},
            [
                "30:13: action 1.1: a completion needs evidence: at least one link or path (--evidence on the command "
                "line, evidence: in its history entry)"
            ],
        ),
        (
            {
                28: with_history(
                    "complete",
                    ["date: 2020-09-28", "event: completed", "evidence: [a.pdf]"],
                    ["date: 2020-10-01", "event: completed", "evidence: [b.pdf]"],
                )
            },
            [
                "33:13: action 1.1: cannot be completed on 2020-10-01: it is already complete (completed 2020-09-28); "
                "to record a new completion, reopen it first"
            ],
        ),
        (
            {
                28: with_history(
                    "in-progress",
                    ["date: 2020-09-01", "event: started"],
                    ["date: 2020-08-01", "event: note", "text: Early."],
                )
            },
            [
                "32:13: action 1.1: a note entry dated 2020-08-01 comes after one dated 2020-09-01; "
                "history is oldest first, and nothing is recorded before what it follows"
            ],
        ),
        (
            {
                28: with_history(
                    "in-progress", ["date: 2020-09-01", "event: started"], ["date: 2020-09-05", "event: started"]
                )
            },
            [
                "32:13: action 1.1: cannot be started on 2020-09-05: it is already in-progress (started 2020-09-01); "
                "start applies to a milestone not started or reopened"
            ],
        ),
        (
            {
                28: with_history(
                    "retired",
                    ["date: 2020-09-28", "event: retired", "reason: No longer applies."],
                    ["date: 2020-10-01", "event: started"],
                )
            },
            [
                "33:13: action 1.1: cannot be started on 2020-10-01: it was retired on 2020-09-28, "
                "and a retired milestone takes only notes"
            ],
        ),
        (
            {28: with_history("reopened", COMPLETED, ["date: 2020-10-01", "event: reopened"])},
            ["33:13: action 1.1: a reopened entry needs 'reason'"],
        ),
        (
            {28: with_history("complete", COMPLETED + ["by: Internal Audit"])},
            ["33:17: action 1.1: 'by' does not belong in a completed entry (it takes date, event, evidence)"],
        ),
    ],
)
def test_lifecycle_rules(lines, expected):
    text = SMALL_PLAN
    for number, new in lines.items():
        text = replace_line(number, new, text)
    assert problems(text) == expected


def test_a_completion_after_a_reopening_keeps_the_evidence_that_still_stands():
    """Completing again after a reopening needs no new evidence: what the first completion attached still stands."""
    text = replace_line(
        28,
        with_history(
            "complete",
            COMPLETED,
            ["date: 2020-10-01", "event: reopened", "reason: Redo the review."],
            ["date: 2020-10-05", "event: completed"],
        ),
    )
    plan, found = validate_bytes(text.encode(), "p.yaml", TODAY)
    assert found == []
    action = plan.recommendations[0].actions[0]
    assert (action.status, action.completed, action.evidence) == ("complete", date(2020, 10, 5), ("a.pdf",))
    assert action.history[1].completed == date(2020, 9, 1)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "        status: in-progress\n        started: 2020-09-01",
            [
                f"28:17: action 1.1: status in-progress, but no history entry makes it not-started; {NOT_RECORDED}",
                "29:9: action 1.1: unknown key 'started': version 2 writes it as a dated history entry (event: "
                "started); `oagtrack migrate` rewrites a version-1 plan",
            ],
        ),
        (
            with_history("in-progress", ["on: 2020-09-01", "event: started"]),
            [  # one line: not also "date is missing", nor a status the unread entry would have explained
                "30:13: action 1.1 history: unknown key 'on': version 2 writes it as a history "
                "entry's date (date: YYYY-MM-DD); `oagtrack migrate` rewrites a version-1 plan",
            ],
        ),
        (
            with_history("in-progress", ["date: 2020-09-01", "event: restarted"]),
            [
                "31:20: action 1.1 history event: 'restarted' is not one of: started, completed, verified, reopened, "
                "revised, note, retired (did you mean 'started'?)",
            ],
        ),
    ],
)
def test_version_1_words_are_refused_with_the_version_2_way_to_write_them(lines, expected):
    assert problems(replace_line(28, lines)) == expected


@pytest.mark.parametrize(
    ("number", "line", "expected"),
    [
        (26, '        text: " "', "26:15: action 1.1 text: blank text ' '; write the text or remove the key"),
        (
            28,
            with_history("reopened", COMPLETED, ["date: 2020-10-01", "event: reopened", 'reason: " "']),
            "35:21: action 1.1 reason: blank text ' '; write the text or remove the key",
        ),
        (
            28,
            with_history("complete", ["date: 2020-09-01", "event: completed", 'evidence: [""]']),
            "32:24: action 1.1 evidence: blank text ''; write the text or remove the key",
        ),
        (7, '    name: ""', "7:11: person ana name: blank text ''; write the text or remove the key"),
    ],
)
def test_blank_text_is_refused_anywhere(number, line, expected):
    assert problems(replace_line(number, line)) == [expected]


def test_verifying_needs_a_completion_and_a_verifier():
    not_done = replace_line(28, with_history("verified", ["date: 2020-10-01", "event: verified", "by: Internal Audit"]))
    assert problems(not_done) == [
        "30:13: action 1.1: cannot be verified on 2020-10-01: it is not-started; "
        "only a complete milestone can be verified: complete it first"
    ]
    nobody = replace_line(28, with_history("verified", COMPLETED, ["date: 2020-10-01", "event: verified"]))
    assert problems(nobody) == ["33:13: action 1.1: a verified entry needs 'by'"]


def test_a_revision_needs_a_reason_and_must_chain_to_the_due_date():
    history = (
        "        history:\n          - date: 2020-09-01\n            event: revised\n"
        "            from: 2020-09-30\n            to: 2020-12-31"
    )
    assert problems(replace_line(28, "        status: not-started\n" + history)) == [
        "27:14: action 1.1: due 2020-09-30, but the last revision in history moved it to 2020-12-31; "
        "record every change with `oagtrack revise`",
        "30:13: action 1.1: a revised entry needs 'reason'",
    ]


def test_a_revision_moves_the_due_date_in_force():
    """A second revision starts from where the first left the due date, and moves it somewhere else."""
    first = ["date: 2020-09-01", "event: revised", "from: 2020-09-30", "to: 2020-12-31", "reason: Waiting on data."]
    text = replace_line(
        27,
        "        due: 2021-03-31",
        replace_line(
            28,
            with_history(
                "not-started",
                first,
                ["date: 2020-10-01", "event: revised", "from: 2020-11-30", "to: 2021-03-31", "reason: Later."],
            ),
        ),
    )
    assert problems(text) == ["35:13: action 1.1: a revision from 2020-11-30, but the due date in force was 2020-12-31"]
    text = replace_line(
        27,
        "        due: 2020-12-31",
        replace_line(
            28,
            with_history(
                "not-started",
                first,
                ["date: 2020-10-01", "event: revised", "from: 2020-12-31", "to: 2020-12-31", "reason: Same."],
            ),
        ),
    )
    assert problems(text) == ["35:13: action 1.1: a revision from 2020-12-31 to the same date"]


def test_a_correct_revision_is_accepted_and_keeps_the_original_date():
    text = replace_line(27, "        due: 2020-12-31")
    text = replace_line(
        28,
        with_history(
            "in-progress",
            ["date: 2020-08-01", "event: started"],
            ["date: 2020-09-01", "event: revised", "from: 2020-09-30", "to: 2020-12-31", "reason: Waiting on data."],
        ),
        text,
    )
    plan, found = validate_bytes(text.encode(), "p.yaml", TODAY)
    assert found == []
    action = plan.recommendations[0].actions[0]
    assert (action.due, action.original_due, action.revisions[0].reason) == (
        date(2020, 12, 31),
        date(2020, 9, 30),
        "Waiting on data.",
    )
    assert (action.status, action.started) == ("in-progress", date(2020, 8, 1))


def test_text_where_text_belongs_is_never_guessed():
    """`no`, `1.10`, `on` and `null`-looking words are text where text belongs."""
    text = replace_line(26, "        text: no").replace("    text: Do the thing.", "    text: 1.10")
    plan, found = validate_bytes(text.encode(), "p.yaml", TODAY)
    assert found == []
    assert (plan.recommendations[0].text, plan.recommendations[0].actions[0].text) == ("1.10", "no")


def test_an_action_with_steps_has_no_due_date_of_its_own():
    text = replace_line(34, "        text: An action in two steps.\n        due: 2021-01-01")
    assert problems(text) == ["35:14: action 1.3: 'due' belongs on its steps, not on an action that has steps"]


def test_plan_text_in_messages_cannot_drive_a_terminal(tmp_path):
    """An id holding an escape sequence is reported with the sequence shown, not sent."""
    from typer.testing import CliRunner

    from oagtrack.cli import app

    plan = tmp_path / "plan.yaml"
    plan.write_text(replace_line(29, '      - id: "1.2\\e[31mRED\\e]0;OWNED\\a"\n        bogus: 1'))
    result = CliRunner().invoke(app, ["validate", str(plan)])
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "action 1.2\\x1b[31mRED\\x1b]0;OWNED\\x07: unknown key 'bogus'" in result.stderr


def test_a_file_indented_with_tabs_lists_the_first_lines_then_counts_the_rest():
    """An editor that turned every indent into a tab gets 20 positions and a count, in one linear pass."""
    text = "".join(f"\tkey{i}: value\n" for i in range(25))
    found = problems(text)
    assert found[:2] == [
        "1:1: tab character in indentation; indent with spaces",
        "2:1: tab character in indentation; indent with spaces",
    ]
    assert found[20:] == ["20:1: and 5 more lines indented with tabs after this one (the first is line 1)"]
    assert len(found) == 21


# -- an id names one item (issue 11, class 2) ---------------------------------------------
def _plan_names(text: str) -> dict[str, str]:
    """Every name a command may be given in the small plan, and what it names."""
    plan, found = validate_bytes(text.encode(), "p.yaml", TODAY)
    assert found == []
    names = {rec.id: f"recommendation {rec.id}" for rec in plan.recommendations}
    names.update({item.id: f"{item.kind} {item.id}" for item in plan.items()})
    names.update({key: f"person {key}" for key in plan.people})
    return names


ITEM_TEXTS = {
    "1.1": "First action.",
    "1.2": "Second action.",
    "1.3": "An action in two steps.",
    "1.3.a": "Step one.",
    "1.3.b": "Step two.",
    "1.outcome": "The thing is done.",
}


def labelled(item_id: str, label: str, text: str = SMALL_PLAN) -> tuple[str, int]:
    """`text` with `label: "LABEL"` before the item's text line, and the line the label is on."""
    line = f"text: {ITEM_TEXTS[item_id]}\n"
    at = text.index(line)
    indent = text[text.rindex("\n", 0, at) + 1 : at]
    text = text[:at] + f'label: "{label}"\n' + indent + text[at:]
    return text, text[:at].count("\n") + 1


@pytest.mark.parametrize("item_id", ITEM_TEXTS)
def test_a_label_is_refused_exactly_when_it_is_another_things_name(item_id):
    """Each item labelled with each name in the plan: refused, at the label, when that name is another
    recommendation's, item's or person's; allowed when it is the item's own id or no one's. Whatever is
    allowed, `Plan.find` resolves every name to one thing."""
    names = _plan_names(SMALL_PLAN)
    for name in [*names, "9.9 z)"]:
        text, line = labelled(item_id, name)
        plan, found = validate_bytes(text.encode(), "p.yaml", TODAY)
        if name in names and name != item_id:
            assert [(p.line, p.col) for p in found] == [(line, len(text.splitlines()[line - 1]) - len(name) - 1)], (
                name,
                found,
            )
            assert f"label: {name!r} is also the " in found[0].message and names[name].split()[-1] in found[0].message
        else:
            assert found == [], (name, found)
            for every in [*names, name]:
                assert plan.find(every) is not None


def test_two_items_printed_alike_are_refused_at_the_second_label():
    text, first = labelled("1.3.a", "a.")
    text, second = labelled("1.3.b", "a.", text)
    message = (
        f"{second}:20: step 1.3.b label: 'a.' is also the label of step 1.3.a (line {first}, column 20); "
        "a label must name only its own item, or `oagtrack show a.` could mean either"
    )
    assert problems(text) == [message]


def test_two_actions_printed_alike_are_refused():
    text, first = labelled("1.1", "1 a)")
    text, second = labelled("1.2", "1 a)", text)
    assert [
        f"{second}:16: action 1.2 label: '1 a)' is also the label of action 1.1 (line {first}, column 16); "
        "a label must name only its own item, or `oagtrack show 1 a)` could mean either"
    ] == problems(text)


def test_steps_of_different_actions_may_be_printed_a_and_b_alike():
    """A MAP prints `a.`, `b.` under each action: not printed
    alike (`1.2 a.` and `1.3 a.`), each still named by its id."""
    from oagtrack.core.model import AmbiguousName

    two_stepped = SMALL_PLAN.replace(
        "        due: 2021-01-31\n        leads: [bo]\n",
        '        leads: [bo]\n        steps:\n          - id: "1.2.a"\n            text: Its one step.\n'
        "            due: 2021-01-31\n",
    )
    text, _ = labelled("1.3.a", "a.", two_stepped)
    text = text.replace(
        "            text: Its one step.\n", '            label: "a."\n            text: Its one step.\n'
    )
    plan, found = validate_bytes(text.encode(), "p.yaml", TODAY)
    assert found == []
    assert [("1.2.a", "a."), ("1.3.a", "a.")] == [
        (item.id, item.label) for item in plan.items() if item.kind == "step" and item.label
    ]
    assert (plan.find("1.2.a").id, plan.find("1.3.a").id) == ("1.2.a", "1.3.a")
    with pytest.raises(AmbiguousName):
        plan.find("a.")  # refused on the command line, never resolved to either


def test_a_person_key_that_is_an_id_is_refused_at_the_key():
    text = SMALL_PLAN.replace("  bo:\n", '  "1.2":\n    name: Someone\n  bo:\n')
    assert problems(text) == [
        "10:3: people: key '1.2' is also the id of action 1.2 (line 31, column 13); "
        "a name given to a command must name one thing"
    ]


# -- one grammar for numbers and dates (issue 11, class 8) ---------------------------------
HOSTILE_FILE_DATES = {
    "full-width digits": (
        "２０２０-09-30",
        "'２０２０-09-30' holds '２' (U+FF12), which is not one of the digits 0-9; "
        "write the date with ASCII digits, as '2020-09-30'",
    ),
    "Arabic-Indic digits": ("٢٠٢٠-٠٩-٣٠", "holds '٢' (U+0662), which is not one of the digits 0-9"),
    "a superscript digit": ("2020-09-3²", "holds '²' (U+00B2), which is not one of the digits 0-9"),
    "a space before, quoted": (
        "' 2020-09-30'",
        "' 2020-09-30' has spaces before or after it; write the date alone, as '2020-09-30'",
    ),
    "a space after, quoted": ('"2020-09-30 "', "'2020-09-30 ' has spaces before or after it"),
    "a no-break space after, quoted": ('"2020-09-30\u00a0"', "has blank characters before or after it"),
    "a block scalar's line break": (
        "|\n          2020-09-30",
        "'2020-09-30\\n' has blank characters before or after it",
    ),
    "5,000 digits": ("9" * 5_000, "expected a date as YYYY-MM-DD, found '99999999999999999999'..."),
}


@pytest.mark.parametrize(("value", "message"), HOSTILE_FILE_DATES.values(), ids=HOSTILE_FILE_DATES.keys())
def test_a_date_the_json_schema_refuses_is_refused_at_its_position(value, message):
    """ASCII digits only, nothing around them: what validate refuses is what the JSON Schema's pattern refuses.

    The pattern is read as editors read it (ECMA-262: `^...$` spans the whole
    text), which is Python's fullmatch of what lies between the anchors.
    """
    from oagtrack.core.json_schema import DATE_PATTERN

    found = problems(SMALL_PLAN.replace("        due: 2020-09-30\n", f"        due: {value}\n"))
    assert len(found) == 1 and found[0].startswith("27:14: action 1.1 due: ") and message in found[0], found
    as_read = yaml.compose(f"due: {value}\n").value[0][1].value  # the text as written, as the schema sees it
    assert re.fullmatch(DATE_PATTERN.removeprefix("^").removesuffix("$"), as_read) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "²",
            "1:17: schema_version: '²' holds '²' (U+00B2), which is not one of the digits 0-9; "
            "write the number with ASCII digits, as '2'; this oagtrack reads version 2",
        ),
        (
            "٢",
            "1:17: schema_version: '٢' holds '٢' (U+0662), which is not one of the digits 0-9; "
            "write the number with ASCII digits, as '2'; this oagtrack reads version 2",
        ),
        (
            "2" * 5_000,
            "1:17: schema_version: '22222222222222222222'... has 5,000 digits, more than any schema_version has; "
            "this oagtrack reads version 2",
        ),
        (
            "1" + "0" * 9,
            "1:17: schema_version: '1000000000' has 10 digits, more than any schema_version has; "
            "this oagtrack reads version 2",
        ),
        ('"2"', "1:17: schema_version: expected a whole number, found '2'; this oagtrack reads version 2"),
    ],
    ids=["superscript", "Arabic-Indic", "5,000 digits", "ten digits", "quoted"],
)
def test_schema_version_is_a_whole_number_in_ascii_digits(value, message):
    """Python's int() reads `²` (and fails), `٢` (as 2) and 5,000 digits (and fails): each is one positioned line."""
    assert problems(SMALL_PLAN.replace("schema_version: 2", f"schema_version: {value}")) == [message]
