"""The rules between a base plan and a new one: append-only history, fixed original dates, no deletions, evidenced completions."""

from __future__ import annotations

from datetime import date

from oagtrack.model import Plan
from oagtrack.problems import Problem
from oagtrack.rules import RETIRE_HINT, check_change
from oagtrack.validate import validate_bytes

TODAY = date(2021, 6, 30)

BASE = """\
schema_version: 1
audit:
  id: rules-audit
  title: Rules audit
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
        text: Done already.
        due: 2020-09-30
        status: complete
        completed: 2020-09-28
        evidence: [https://example.org/1.1]
      - id: "1.2"
        text: Revised once.
        due: 2021-03-31
        history:
          - on: 2021-01-20
            event: revised
            from: 2021-01-31
            to: 2021-03-31
            reason: waiting on partner data
          - on: 2021-02-01
            event: note
            text: Data promised for March.
      - id: "1.3"
        text: In steps.
        steps:
          - id: "1.3.a"
            text: Step one.
            due: 2020-12-31
          - id: "1.3.b"
            text: Step two.
            due: 2021-02-28
  - id: "2"
    text: Another.
    response:
      agreed: true
      text: Agreed.
    outcome:
      id: "2.outcome"
      text: Done.
      due: 2021-06-30
    actions:
      - id: "2.1"
        text: Act.
        due: 2021-03-31
        leads: [ana]
"""


def plan_of(text: str) -> Plan:
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert problems == []
    assert plan is not None
    return plan


def check(new: str, base: str = BASE) -> list[Problem]:
    return check_change(plan_of(base), plan_of(new), "plan.yaml")


def changed(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def where(text: str, fragment: str) -> tuple[int, int]:
    """1-based line and column of `fragment` in `text`."""
    for number, line in enumerate(text.splitlines(), 1):
        if fragment in line:
            return number, line.index(fragment) + 1
    raise AssertionError(fragment)


def test_unchanged_plan_passes() -> None:
    assert [] == check(BASE)


def test_appending_history_and_new_work_passes() -> None:
    """A new note, a new revision, a new completion with evidence and a new action break no rule."""
    new = changed("            text: Data promised for March.\n", "            text: Data promised for March.\n          - on: 2021-03-01\n            event: note\n            text: Data arrived.\n")
    new = new.replace(
        "            due: 2020-12-31\n",
        "            due: 2020-12-31\n            status: complete\n            completed: 2020-12-20\n            evidence: [minutes.pdf]\n",
    ).replace(
        "        due: 2021-03-31\n        leads: [ana]\n",
        "        due: 2021-05-31\n        leads: [ana]\n        history:\n          - on: 2021-03-15\n            event: revised\n"
        "            from: 2021-03-31\n            to: 2021-05-31\n            reason: late start\n"
        '      - id: "2.2"\n        text: New action.\n        due: 2021-06-30\n',
    )
    assert [] == check(new)


def test_edited_history_points_at_the_edited_value() -> None:
    new = changed("            reason: waiting on partner data\n", "            reason: partner late\n")
    line, col = where(new, "partner late")
    assert [
        Problem(
            "plan.yaml",
            line,
            col,
            "action 1.2: history entry 2021-01-20 (revised) was edited (reason: 'waiting on partner data' -> 'partner late'); "
            "history is append-only: add a new entry instead",
        )
    ] == check(new)


def test_removed_history_entry() -> None:
    new = changed("          - on: 2021-02-01\n            event: note\n            text: Data promised for March.\n", "")
    line, _ = where(new, "        history:")
    assert [Problem("plan.yaml", line + 1, 11, "action 1.2: history entry 2021-02-01 (note) was removed; history is append-only")] == check(new)


def test_original_due_date_never_changes() -> None:
    """Rewriting the first revision's `from` moves the original date: refused at that value."""
    new = changed("            from: 2021-01-31\n", "            from: 2021-02-28\n")
    line, col = where(new, "2021-02-28")
    problems = check(new)
    assert [(line, col)] == [(p.line, p.col) for p in problems]
    assert "was edited (from: '2021-01-31' -> '2021-02-28')" in problems[0].message


def test_first_revision_must_start_from_the_old_due_date() -> None:
    new = changed(
        "        due: 2021-03-31\n        leads: [ana]\n",
        "        due: 2021-05-31\n        leads: [ana]\n        history:\n          - on: 2021-03-15\n            event: revised\n"
        "            from: 2021-04-30\n            to: 2021-05-31\n            reason: late start\n",
    )
    line, col = where(new, "from: 2021-04-30")
    assert [
        Problem("plan.yaml", line, col + len("from: "), "action 2.1: the first revision moves the due date from 2021-04-30, but it was 2021-03-31; the original due date never changes")
    ] == check(new)


def test_due_date_moved_without_revision() -> None:
    new = changed("            due: 2021-02-28\n", "            due: 2021-03-31\n")
    line, col = where(new, "            due: 2021-03-31")
    assert [
        Problem("plan.yaml", line, col + len("            due: "), "step 1.3.b: due date changed from 2021-02-28 to 2021-03-31 without a revision entry; record it with oagtrack revise 1.3.b")
    ] == check(new)


def test_deleted_step_action_and_recommendation() -> None:
    """Each deletion is refused, pointing at the nearest surviving parent in the new version."""
    no_step = changed('          - id: "1.3.b"\n            text: Step two.\n            due: 2021-02-28\n', "")
    assert [Problem("plan.yaml", *where(no_step, '- id: "1.3"')[:1], 9, f"step 1.3.b was deleted; {RETIRE_HINT}")] == check(no_step)
    no_action = changed('      - id: "1.1"\n        text: Done already.\n        due: 2020-09-30\n        status: complete\n        completed: 2020-09-28\n        evidence: [https://example.org/1.1]\n', "")
    assert [Problem("plan.yaml", 9, 5, f"action 1.1 was deleted; {RETIRE_HINT}")] == check(no_action)
    no_rec = BASE[: BASE.index('  - id: "2"')]
    assert [Problem("plan.yaml", 9, 5, f"recommendation 2 was deleted; {RETIRE_HINT}")] == check(no_rec)


def test_completion_needs_evidence() -> None:
    new = changed("        due: 2021-03-31\n        leads: [ana]\n", "        due: 2021-03-31\n        leads: [ana]\n        status: complete\n        completed: 2021-03-30\n")
    lines = new.splitlines()
    status_line = next(n for n, text in enumerate(lines, 1) if text == "        status: complete" and lines[n] == "        completed: 2021-03-30")
    assert [Problem("plan.yaml", status_line, 17, "action 2.1: a completion needs evidence: add evidence: [link or path to the proof]")] == check(new)


def test_recorded_completion_is_not_edited_or_dropped() -> None:
    moved = changed("        completed: 2020-09-28\n", "        completed: 2020-09-29\n")
    line, col = where(moved, "2020-09-29")
    assert [
        Problem("plan.yaml", line, col, "action 1.1: recorded completion date changed from 2020-09-28 to 2020-09-29; reopen it (a reopened entry in history) instead of editing it")
    ] == check(moved)
    dropped = changed("        status: complete\n        completed: 2020-09-28\n", "        status: in-progress\n")
    line, col = where(dropped, "in-progress")
    assert [Problem("plan.yaml", line, col, "action 1.1: completion of 2020-09-28 was withdrawn without a reopened entry in history")] == check(dropped)
    no_evidence = changed("        evidence: [https://example.org/1.1]\n", "        evidence: [https://example.org/other]\n")
    line, col = where(no_evidence, "[https://example.org/other]")
    assert [Problem("plan.yaml", line, col, "action 1.1: recorded evidence removed: https://example.org/1.1; evidence can be added, never taken away")] == check(no_evidence)


def test_reopening_with_a_history_entry_passes() -> None:
    reopened = changed(
        "        status: complete\n        completed: 2020-09-28\n",
        "        status: reopened\n        history:\n          - on: 2020-10-20\n            event: reopened\n            completed: 2020-09-28\n            reason: evidence incomplete\n",
    )
    assert [] == check(reopened)


def test_editing_the_verification_kept_in_a_reopened_entry_is_caught() -> None:
    """Every attribute of a history entry is compared, including ones added after the rules were written."""
    reopened = (
        "        status: reopened\n        evidence: [https://example.org/1.1]\n        history:\n"
        "          - on: 2020-11-20\n            event: reopened\n            completed: 2020-09-28\n"
        "            verified: 2020-10-15\n            verified_by: Internal Audit\n            reason: Evidence incomplete.\n"
    )
    base = BASE.replace("        status: complete\n        completed: 2020-09-28\n        evidence: [https://example.org/1.1]\n", reopened)
    new = base.replace("            verified: 2020-10-15\n", "            verified: 2020-10-16\n")
    problems = check(new, base)
    assert [(p.line, p.col) for p in problems] == [where(new, "2020-10-16")]
    assert "history entry 2020-11-20 (reopened) was edited (verified: '2020-10-15' -> '2020-10-16')" in problems[0].message
