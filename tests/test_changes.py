"""The semantic diff between two plans, and how it is written for a terminal and for a pull request."""

from __future__ import annotations

import re
from datetime import date

import pytest

from oagtrack.core.model import Plan
from oagtrack.core.plan_diff import diff_plans, word_diff, word_diff_text
from oagtrack.core.validate import validate_bytes
from oagtrack.render.changes import changes_markdown, changes_text, markdown_escape

TODAY = date(2021, 6, 30)

BASE = """\
schema_version: 2
audit:
  id: diff-audit
  title: Diff audit
people:
  ana:
    name: Ana Lead
    org: CBSA
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
        text: The CBSA will develop performance objectives focused on top removal priorities and timelines for removal.
        due: 2020-09-30
      - id: "1.2"
        text: Second action.
        due: 2021-01-31
        history:
          - date: 2021-01-10
            event: note
            text: Started drafting.
      - id: "1.3"
        text: An action in steps.
        steps:
          - id: "1.3.a"
            text: Step one.
            due: 2020-12-31
"""


def plan_of(text: str) -> Plan:
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert problems == []
    assert plan is not None
    return plan


def changed(old: str, new: str, count: int = 1) -> str:
    assert BASE.count(old) == count, old
    return BASE.replace(old, new)


def summaries(new_text: str, old_text: str = BASE) -> list[str]:
    return [change.summary for change in diff_plans(plan_of(old_text), plan_of(new_text))]


def test_same_plan_has_no_changes() -> None:
    assert [] == diff_plans(plan_of(BASE), plan_of(BASE))


def test_comments_and_layout_are_not_changes() -> None:
    """Only meaning counts: a comment and a flow-style list change nothing."""
    assert [] == summaries(changed("    leads: [ana]\n", "    # who leads\n    leads:\n      - ana\n"))


def completed(on: str, evidence: str, indent: int = 8) -> str:
    """The lines that complete the milestone whose `due:` line they follow, at its key indentation."""
    pad = " " * indent
    return (
        f"{pad}status: complete\n{pad}history:\n{pad}  - date: {on}\n{pad}    event: completed\n"
        f"{pad}    evidence: {evidence}\n"
    )


def test_completion_is_one_change_with_its_evidence() -> None:
    new = changed(
        "        due: 2020-09-30\n",
        "        due: 2020-09-30\n" + completed("2020-09-28", "[https://example.org/a, docs/b.pdf]"),
    )
    assert ["1.1 complete on 2020-09-28 (evidence: https://example.org/a, docs/b.pdf)"] == summaries(new)


def test_revision_is_one_change_with_days_and_reason() -> None:
    new = changed(
        "        due: 2021-01-31\n        history:\n",
        "        due: 2021-06-30\n        history:\n",
    ).replace(
        "            text: Started drafting.\n",
        "            text: Started drafting.\n          - date: 2021-01-20\n            event: revised\n           "
        " from: 2021-01-31\n"
        "            to: 2021-06-30\n            reason: waiting on partner data\n",
    )
    assert [
        "1.2 revised on 2021-01-20: due 2021-01-31 -> 2021-06-30 (+150 days): waiting on partner data"
    ] == summaries(new)


def test_note_added() -> None:
    new = changed(
        "            text: Started drafting.\n",
        "            text: Started drafting.\n          - date: 2021-02-01\n            event: note\n            text:"
        " >-\n              Draft sent\n              for review.\n",
    )
    assert ["1.2 note on 2021-02-01: Draft sent for review."] == summaries(new)


def test_started_verified_and_reopened() -> None:
    started = changed(
        "            text: Step one.\n            due: 2020-12-31\n",
        "            text: Step one.\n            due: 2020-12-31\n            status: in-progress\n           "
        " history:\n              - date: 2020-11-02\n                event: started\n",
    )
    assert ["1.3.a started on 2020-11-02"] == summaries(started)
    done = changed("        due: 2020-09-30\n", "        due: 2020-09-30\n" + completed("2020-09-28", "[e]"))
    verified = done.replace("        status: complete\n", "        status: verified\n").replace(
        "            evidence: [e]\n",
        "            evidence: [e]\n          - date: 2020-10-15\n            event: verified\n            by:"
        " Internal Audit\n",
    )
    assert ["1.1 verified on 2020-10-15 by Internal Audit"] == summaries(verified, done)
    reopened = done.replace("        status: complete\n", "        status: reopened\n").replace(
        "            evidence: [e]\n",
        "            evidence: [e]\n          - date: 2020-10-20\n            event: reopened\n            reason:"
        " evidence incomplete\n",
    )
    assert ["1.1 reopened on 2020-10-20 (completion of 2020-09-28 withdrawn): evidence incomplete"] == summaries(
        reopened, done
    )
    restarted = reopened.replace("        status: reopened\n", "        status: in-progress\n").replace(
        "            reason: evidence incomplete\n",
        "            reason: evidence incomplete\n          - date: 2020-10-21\n            event: started\n",
    )
    assert ["1.1 started on 2020-10-21"] == summaries(restarted, reopened)
    retired = changed("        due: 2021-01-31\n", "        due: 2021-01-31\n        status: retired\n").replace(
        "            text: Started drafting.\n",
        "            text: Started drafting.\n          - date: 2021-02-01\n            event: retired\n           "
        " reason: superseded by 1.1\n",
    )
    assert ["1.2 retired on 2021-02-01: superseded by 1.1"] == summaries(retired)


def test_entries_appended_at_once_are_listed_in_date_order() -> None:
    """Entries added in one change (completed, then verified) are one change each, oldest first."""
    verified = (
        changed("        due: 2020-09-30\n", "        due: 2020-09-30\n" + completed("2020-09-28", "[e]"))
        .replace("        status: complete\n", "        status: verified\n")
        .replace(
            "            evidence: [e]\n",
            "            evidence: [e]\n          - date: 2020-10-15\n            event: verified\n            by:"
            " Internal Audit\n",
        )
    )
    assert ["1.1 complete on 2020-09-28 (evidence: e)", "1.1 verified on 2020-10-15 by Internal Audit"] == summaries(
        verified
    )


def test_due_moved_without_revision_says_so() -> None:
    assert ["1.1 due 2020-09-30 -> 2020-10-01 (+1 day) without a revision entry"] == summaries(
        changed("        due: 2020-09-30\n", "        due: 2020-10-01\n")
    )


def test_items_added_and_removed() -> None:
    added = changed(
        "            due: 2020-12-31\n",
        '            due: 2020-12-31\n          - id: "1.3.b"\n            text: Step two.\n            due:'
        " 2021-02-28\n",
    )
    assert ["step 1.3.b added"] == summaries(added)
    removed = changed(
        '      - id: "1.1"\n        text: The CBSA will develop performance objectives focused on top removal'
        " priorities and timelines for removal.\n        due: 2020-09-30\n",
        "",
    )
    assert ["action 1.1 removed"] == summaries(removed)


def test_recommendation_added_is_one_change_not_one_per_item() -> None:
    extra = (
        '  - id: "2"\n    text: Another.\n    response:\n      agreed: true\n      text: Agreed.\n'
        '    outcome:\n      id: "2.outcome"\n      text: Done.\n      due: 2021-06-30\n'
        '    actions:\n      - id: "2.1"\n        text: Act.\n        due: 2021-03-31\n        leads: [ana]\n'
    )
    assert ["recommendation 2 added"] == summaries(BASE + extra)
    assert ["recommendation 2 removed"] == summaries(BASE, BASE + extra)


def test_text_change_carries_a_word_diff() -> None:
    new = changed("The CBSA will develop performance", "The CBSA will deliver performance")
    [change] = diff_plans(plan_of(BASE), plan_of(new))
    assert ("text", "text of 1.1 changed") == (change.kind, change.summary)
    assert "The CBSA will [-develop-] {+deliver+} performance objectives focused on top removal ..." == word_diff_text(
        change.words
    )


def test_history_edit_is_reported() -> None:
    """An entry rewritten by hand is named with what changed in it; a removed entry with its date and kind."""
    assert ["1.2 note of 2021-01-10 changed: text Started drafting. -> Began drafting."] == summaries(
        changed("Started drafting.", "Began drafting.")
    )
    done = changed("        due: 2020-09-30\n", "        due: 2020-09-30\n" + completed("2020-09-28", "[e]"))
    moved = done.replace("          - date: 2020-09-28\n", "          - date: 2020-09-30\n")
    assert ["1.1 completion date changed from 2020-09-28 to 2020-09-30"] == summaries(moved, done)
    removed = changed(
        "        history:\n          - date: 2021-01-10\n            event: note\n            text: Started"
        " drafting.\n",
        "",
    )
    assert ["history of 1.2: 1 recorded entry removed (2021-01-10 note)"] == summaries(removed)


def test_people_and_audit_changes() -> None:
    new = changed("    org: CBSA\n", "    org: IRCC\n    email: ana@example.org\n").replace(
        "  title: Diff audit\n", "  title: Diff audit, revised\n"
    )
    assert [
        "audit title: Diff audit -> Diff audit, revised",
        "person ana org: CBSA -> IRCC",
        "person ana email: (none) -> ana@example.org",
    ] == summaries(new)


def test_scope_lets_log_find_a_step_under_its_action_and_recommendation() -> None:
    new = changed("            text: Step one.\n", "            text: Step one, revised.\n")
    [change] = diff_plans(plan_of(BASE), plan_of(new))
    assert ("1.3.a", "1.3", "1") == change.scope


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a b c", "a b c", " a b c"),
        ("a b c", "a x c", " a -b +x  c"),
        ("a b c d e f g h i j", "a x c d e f g h i j", " a -b +x  c d e f g h  ..."),
        ("", "new words", "+new words"),
        (
            "one two three four five six seven eight nine ten",
            "one two three four five six seven eight nine TEN",
            " ...  four five six seven eight nine -ten +TEN",
        ),
    ],
)
def test_word_diff_runs(old: str, new: str, expected: str) -> None:
    """Runs of words, unchanged runs longer than the context shortened with '...'."""
    assert expected == " ".join(op + text for op, text in word_diff(old, new, context=6))


def test_text_and_markdown_renderings() -> None:
    new = changed(
        "        due: 2020-09-30\n", "        due: 2020-09-30\n" + completed("2020-09-28", "[https://example.org/a]")
    )
    changes = diff_plans(plan_of(BASE), plan_of(new))
    assert (
        "main -> plan.yaml: 1 change\n1.1 complete on 2020-09-28 (evidence: https://example.org/a)\n"
        == changes_text(changes, "main", "plan.yaml")
    )
    assert (
        "### Plan changes: main → plan.yaml\n\n1 change:\n\n- 1.1 complete on 2020-09-28 (evidence:"
        " https://example.org/a)\n" == changes_markdown(changes, "main", "plan.yaml")
    )
    assert "### Plan changes: a → b\n\nNo changes to the plan.\n" == changes_markdown([], "a", "b")


def test_markdown_cannot_be_injected_by_plan_text() -> None:
    """HTML, links, emphasis, table pipes, mentions, issue links and list markers come out inert."""
    hostile = "<img src=x onerror=alert(1)> [click](http://evil) *b* | @octocat #12 `code` \\ ~~s~~"
    assert (
        "&lt;img src=x onerror=alert(1)&gt; \\[click\\](http://evil) \\*b\\* \\| @\u200boctocat #\u200b12 \\`code\\`"
        " \\\\ \\~\\~s\\~\\~" == markdown_escape(hostile)
    )
    assert "\\- item" == markdown_escape("- item")
    assert "1\\. item" == markdown_escape("1. item")
    assert "\\# heading" == markdown_escape("# heading")
    assert "a b" == markdown_escape("a\n\nb")
    assert "&gt; quote, a -&gt; b" == markdown_escape("> quote, a -> b")


def test_terminal_text_shows_control_characters_as_escapes() -> None:
    new = changed("        text: Second action.\n", '        text: "Second action.\\e[31m"\n')
    output = changes_text(diff_plans(plan_of(BASE), plan_of(new)), "a", "b")
    assert "\x1b" not in output
    assert "{+action.\\x1b[31m+}" in output


LABELLED = changed('          - id: "1.3.a"\n', '          - id: "1.3.a"\n            label: "a."\n').replace(
    '      - id: "1.1"\n', '      - id: "1.1"\n        label: "1.1 a)"\n'
)


def test_items_are_named_by_id_not_by_printed_label() -> None:
    """A labelled step is `1.3.a`, never a bare `a.`; `added` also shows the printed number (issue 4)."""
    done = LABELLED.replace(
        "            due: 2020-12-31\n", "            due: 2020-12-31\n" + completed("2020-12-20", "[memo]", indent=12)
    )
    assert ["1.3.a complete on 2020-12-20 (evidence: memo)"] == summaries(done, LABELLED)
    added = LABELLED.replace(
        "            due: 2020-12-31\n",
        '            due: 2020-12-31\n          - id: "1.3.b"\n            label: "b."\n            text: Step two.\n '
        "           due: 2021-02-28\n",
    )
    assert ["step 1.3.b [printed b.] added"] == summaries(added, LABELLED)
    assert ["action 1.1 [printed 1.1 a)] added", "step 1.3.a [printed a.] added"] == [
        s
        for s in summaries(
            LABELLED, BASE.replace('      - id: "1.1"\n', '      - id: "1.1x"\n').replace('"1.3.a"', '"1.3.z"')
        )
        if "added" in s
    ]


# -- plan terms, never Python's (issue 11, class 10) ----------------------------------
#: Python's words and shapes: None, True, False, a tuple or a list as Python prints them, repr's escapes, a class name.
PYTHON_WORDS = re.compile(
    r"\b(None|True|False)\b|\(\)|\['|'\]|\\\\|datetime|\b(Event|Milestone|Recommendation|Response|Person|Audit|Plan|Position)\("
)

#: A plan with every field set, steps, and a history of every kind of entry.
FULL = """\
schema_version: 2
audit:
  id: terms-audit
  title: Terms audit
  auditor: The auditor
  year: "2020"
  report: Report 5
  organizations: [CBSA]
people:
  ana:
    name: Ana Lead
    honorific: Dr.
    title: Director
    branch: Operations
    org: CBSA
    phone: 613-555-0100
    email: ana@example.org
recommendations:
  - id: "1"
    text: Do the thing.
    bullets: [first point]
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
        label: "1.1 a)"
        text: Done, then checked.
        due: 2020-09-30
        leads: [ana]
        status: complete
        history:
          - date: 2020-07-01
            event: started
          - date: 2020-09-01
            event: completed
            evidence: [a.pdf]
          - date: 2020-09-02
            event: verified
            by: Internal Audit
          - date: 2020-09-03
            event: reopened
            reason: evidence incomplete
          - date: 2020-09-10
            event: completed
            evidence: [b.pdf, c.pdf]
          - date: 2020-12-01
            event: note
            text: Shown to the committee.
      - id: "1.2"
        text: Revised, then retired.
        due: 2021-02-28
        status: retired
        history:
          - date: 2020-10-01
            event: revised
            from: 2020-12-31
            to: 2021-02-28
            reason: partner late
            approved_by: The committee
          - date: 2021-01-10
            event: retired
            reason: no longer needed
      - id: "1.3"
        text: In steps.
        steps:
          - id: "1.3.a"
            label: "a."
            text: Step one.
            due: 2020-12-31
"""
TEXT_VALUES = ("", 'it\'s "quoted" with a back\\slash', "plain")
DATE_VALUES = (None, date(2020, 1, 1), date(2031, 12, 31))
LIST_VALUES = ((), ("x.pdf",), ("it's", "b\\c"))


def values_for(annotation: str) -> tuple:
    """Every kind of value a field of this type can hold: empty, missing, one, several, with quotes and backslashes."""
    if "bool" in annotation:
        return (True, False)
    if "date" in annotation:
        return DATE_VALUES
    if "tuple" in annotation:
        return LIST_VALUES
    return TEXT_VALUES


def every_field_changed(plan: Plan):
    """The plan with one field of one record changed at a time, to every kind of value: audit, people, recommendations,
    responses, milestones, history entries."""
    from oagtrack.core.model import Audit, Event, Milestone, Person, Recommendation, Response

    def fields(record_type, skip=()):
        return [
            (name, values_for(str(record_type.__annotations__[name])))
            for name in record_type._fields
            if name not in ("at", *skip)
        ]

    for name, values in fields(Audit):
        for value in values:
            yield plan._replace(audit=plan.audit._replace(**{name: value}))
    for name, values in fields(Person, skip=("key",)):
        for value in values:
            yield plan._replace(people={"ana": plan.people["ana"]._replace(**{name: value})})
    rec = plan.recommendations[0]
    for name, values in fields(Recommendation, skip=("id", "response", "outcome", "actions")) + [
        ("response", [rec.response._replace(**{n: v}) for n, vs in fields(Response) for v in vs])
    ]:
        for value in values:
            yield plan._replace(recommendations=(rec._replace(**{name: value}),))
    items = [*rec.actions, rec.actions[2].steps[0], rec.outcome]
    for item in items:
        variants = [
            item._replace(**{name: value})
            for name, values in fields(Milestone, skip=("id", "kind", "recommendation", "parent", "history", "steps"))
            for value in values
        ]
        variants += [
            item._replace(steps=()),
            item._replace(steps=rec.actions[2].steps, due=None),
            item._replace(history=()),
        ]
        for index, event in enumerate(item.history):
            for name, values in fields(Event):
                variants += [
                    item._replace(
                        history=item.history[:index] + (event._replace(**{name: value}),) + item.history[index + 1 :]
                    )
                    for value in values
                    if name != "kind"
                ]
            variants.append(
                item._replace(history=item.history[:index] + (event._replace(kind="note"),) + item.history[index + 1 :])
            )
        for variant in variants:
            yield _with_item(plan, variant)


def every_entry_appended(plan: Plan):
    """(before, after) pairs where `after` appends one history entry, changed to every kind of value in each of its
    fields."""
    from oagtrack.core.model import Event

    rec = plan.recommendations[0]
    for item in [*rec.actions[:2], rec.outcome]:
        for index, event in enumerate(item.history):
            before = _with_item(plan, item._replace(history=item.history[:index]))
            for name in Event._fields:
                if name in ("at", "kind"):
                    continue
                for value in values_for(str(Event.__annotations__[name])):
                    yield (
                        before,
                        _with_item(
                            plan, item._replace(history=item.history[:index] + (event._replace(**{name: value}),))
                        ),
                    )


def _with_item(plan: Plan, item) -> Plan:
    rec = plan.recommendations[0]
    if item.kind == "outcome":
        return plan._replace(recommendations=(rec._replace(outcome=item),))
    if item.kind == "step":
        group = rec.actions[2]
        return _with_item(plan, group._replace(steps=(item,)))
    return plan._replace(
        recommendations=(
            rec._replace(actions=tuple(item if action.id == item.id else action for action in rec.actions)),
        )
    )


def test_every_field_change_in_diff_and_check_is_in_plan_terms() -> None:
    """Each field of each record changed to each kind of value, both ways: diff and check say it in plan terms, never
    Python's."""
    from oagtrack.core.review import check_change
    from oagtrack.render import diagnostics

    base = plan_of(FULL)
    said: list[str] = []
    count = 0
    pairs = [
        pair for changed_plan in every_field_changed(base) for pair in ((base, changed_plan), (changed_plan, base))
    ]
    for old, new in pairs + list(every_entry_appended(base)):
        changes = diff_plans(old, new)
        problems = check_change(old, new, "plan.yaml")
        count += len(changes) + len(problems)
        said += [changes_text(changes, "old", "new"), diagnostics.as_text(problems), diagnostics.as_github(problems)]
        said += [word_diff_text(change.words) for change in changes]
    wrong = sorted({match.group() for text in said for match in PYTHON_WORDS.finditer(text)})
    assert [] == wrong
    assert count > 500  # every variant was a change that diff or check names
    text = "\n".join(said)
    # Values in plan terms: dates, true and false, lists in YAML's flow style, nothing as (none), quotes and backslashes
    # as written.
    for expected in (
        "2031-12-31",
        "agreed -> not agreed",
        "[x.pdf]",
        "[it's, b\\c]",
        "(none)",
        'it\'s "quoted" with a back\\slash',
    ):
        assert expected in text, expected


def test_an_action_gaining_steps_loses_its_due_date_in_words() -> None:
    """The issue's example: `due 2020-09-30 -> None` becomes a sentence, in diff and in check."""
    from oagtrack.core.review import check_change

    split = BASE.replace(
        "        due: 2020-09-30\n",
        '        steps:\n          - id: "1.1.a"\n            text: First half.\n            due: 2020-10-31\n',
    )
    assert [
        "step 1.1.a added",
        "1.1 due date 2020-09-30 removed when its steps were added, without a revision entry",
    ] == sorted(summaries(split), key=len)
    assert [
        "1.1 due date 2020-09-30 set when its steps were removed, without a revision entry",
        "step 1.1.a removed",
    ] == sorted(summaries(BASE, split))
    [problem] = check_change(plan_of(BASE), plan_of(split), "plan.yaml")
    assert (
        "action 1.1: due date 2020-09-30 was dropped when steps were added; the original due date never changes: keep"
        " the action as it was and add new actions for the steps"
    ) == problem.message
