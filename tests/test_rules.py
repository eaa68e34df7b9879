"""The rules between a base plan and a new one: append-only
history, fixed original dates, no deletions, evidenced completions."""

from __future__ import annotations

from datetime import date

from oagtrack.core.model import Plan
from oagtrack.core.problems import Problem
from oagtrack.core.review import RETIRE_HINT, check_change
from oagtrack.core.validate import validate_bytes

TODAY = date(2021, 6, 30)

BASE = """\
schema_version: 2
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
        history:
          - date: 2020-09-28
            event: completed
            evidence: [https://example.org/1.1]
      - id: "1.2"
        text: Revised once.
        due: 2021-03-31
        history:
          - date: 2021-01-20
            event: revised
            from: 2021-01-31
            to: 2021-03-31
            reason: waiting on partner data
          - date: 2021-02-01
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


def refused(text: str) -> list[Problem]:
    """What validate says of a version that `check` would refuse before comparing it."""
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert plan is None
    return problems


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
    new = changed(
        "            text: Data promised for March.\n",
        "            text: Data promised for March.\n          - date: 2021-03-01\n            event: note\n"
        "            text: Data arrived.\n",
    )
    new = new.replace(
        "            due: 2020-12-31\n",
        "            due: 2020-12-31\n            status: complete\n            history:\n"
        "              - date: 2020-12-20\n"
        "                event: completed\n                evidence: [minutes.pdf]\n",
    ).replace(
        "        due: 2021-03-31\n        leads: [ana]\n",
        "        due: 2021-05-31\n        leads: [ana]\n        history:\n          - date: 2021-03-15\n"
        "            event: revised\n"
        "            from: 2021-03-31\n            to: 2021-05-31\n            reason: late start\n"
        '      - id: "2.2"\n        text: New action.\n        due: 2021-06-30\n',
    )
    assert [] == check(new)


def test_appending_after_a_completion_passes() -> None:
    """Verifying, reopening and completing again append entries: the recorded completion stays as it was."""
    new = changed(
        "            evidence: [https://example.org/1.1]\n",
        "            evidence: [https://example.org/1.1]\n"
        "          - date: 2020-10-15\n            event: verified\n            by: Internal Audit\n"
        "          - date: 2020-11-20\n            event: reopened\n            reason: Evidence incomplete.\n"
        "          - date: 2020-12-01\n            event: completed\n"
        "            evidence: [https://example.org/1.1-more]\n",
    )
    assert [] == check(new)
    item = plan_of(new).find("1.1")
    assert ("complete", date(2020, 12, 1), ("https://example.org/1.1", "https://example.org/1.1-more")) == (
        item.status,
        item.completed,
        item.evidence,
    )


def test_edited_history_points_at_the_edited_value() -> None:
    new = changed("            reason: waiting on partner data\n", "            reason: partner late\n")
    line, col = where(new, "partner late")
    assert [
        Problem(
            "plan.yaml",
            line,
            col,
            "action 1.2: history entry 2021-01-20 (revised) was edited (reason: "
            "'waiting on partner data' -> 'partner late'); history is append-only: add a new entry instead",
        )
    ] == check(new)


def test_removed_history_entry() -> None:
    """A removed entry is reported at the history list it was removed from."""
    new = changed(
        "          - date: 2021-02-01\n            event: note\n            text: Data promised for March.\n", ""
    )
    line, col = where(new, "- date: 2021-01-20")
    assert [
        Problem(
            "plan.yaml", line, col, "action 1.2: history entry 2021-02-01 (note) was removed; history is append-only"
        )
    ] == check(new)


def test_original_due_date_never_changes() -> None:
    """Rewriting the first revision's `from` moves the original date: refused at that value."""
    new = changed("            from: 2021-01-31\n", "            from: 2021-02-28\n")
    line, col = where(new, "2021-02-28")
    assert [
        Problem(
            "plan.yaml",
            line,
            col,
            "action 1.2: history entry 2021-01-20 (revised) was edited (from: '2021-01-31' -> '2021-02-28'); "
            "history is append-only: add a new entry instead",
        )
    ] == check(new)


def test_first_revision_must_start_from_the_old_due_date() -> None:
    new = changed(
        "        due: 2021-03-31\n        leads: [ana]\n",
        "        due: 2021-05-31\n        leads: [ana]\n        history:\n          - date: 2021-03-15\n"
        "            event: revised\n"
        "            from: 2021-04-30\n            to: 2021-05-31\n            reason: late start\n",
    )
    line, col = where(new, "from: 2021-04-30")
    assert [
        Problem(
            "plan.yaml",
            line,
            col + len("from: "),
            "action 2.1: the first revision moves the due date from 2021-04-30, but it was 2021-03-31; "
            "the original due date never changes",
        )
    ] == check(new)


def test_due_date_moved_without_revision() -> None:
    new = changed("            due: 2021-02-28\n", "            due: 2021-03-31\n")
    line, col = where(new, "            due: 2021-03-31")
    assert [
        Problem(
            "plan.yaml",
            line,
            col + len("            due: "),
            "step 1.3.b: due date changed from 2021-02-28 to 2021-03-31 without a revision entry; "
            "record it with oagtrack revise 1.3.b",
        )
    ] == check(new)


def test_deleted_step_action_and_recommendation() -> None:
    """Each deletion is refused, pointing at the nearest surviving parent in the new version."""
    no_step = changed('          - id: "1.3.b"\n            text: Step two.\n            due: 2021-02-28\n', "")
    assert [
        Problem("plan.yaml", *where(no_step, '- id: "1.3"')[:1], 9, f"step 1.3.b was deleted; {RETIRE_HINT}")
    ] == check(no_step)
    no_action = changed(
        '      - id: "1.1"\n        text: Done already.\n        due: 2020-09-30\n        status: complete\n'
        "        history:\n"
        "          - date: 2020-09-28\n            event: completed\n            evidence: [https://example.org/1.1]\n",
        "",
    )
    assert [Problem("plan.yaml", 9, 5, f"action 1.1 was deleted; {RETIRE_HINT}")] == check(no_action)
    no_rec = BASE[: BASE.index('  - id: "2"')]
    assert [Problem("plan.yaml", 9, 5, f"recommendation 2 was deleted; {RETIRE_HINT}")] == check(no_rec)


def test_completion_needs_evidence() -> None:
    """A new completion without evidence is refused by validate, which `check` runs on the new version first."""
    new = changed(
        "        due: 2021-03-31\n        leads: [ana]\n",
        "        due: 2021-03-31\n        leads: [ana]\n        status: complete\n        history:\n"
        "          - date: 2021-03-30\n            event: completed\n",
    )
    line, col = where(new, "- date: 2021-03-30")
    assert [
        Problem(
            "plan.yaml",
            line,
            col + 2,
            "action 2.1: a completion needs evidence: at least one link or path (--evidence on the command line, "
            "evidence: in its history entry)",
        )
    ] == refused(new)


def test_recorded_completion_is_not_edited_or_dropped() -> None:
    moved = changed("          - date: 2020-09-28\n", "          - date: 2020-09-29\n")
    line, col = where(moved, "2020-09-29")
    assert [
        Problem(
            "plan.yaml",
            line,
            col,
            "action 1.1: history entry 2020-09-28 (completed) was edited (date: '2020-09-28' -> '2020-09-29'); "
            "history is append-only: add a new entry instead",
        )
    ] == check(moved)
    dropped = changed(
        "        status: complete\n        history:\n          - date: 2020-09-28\n            event: completed\n"
        "            evidence: [https://example.org/1.1]\n",
        "        status: not-started\n",
    )
    line, col = where(dropped, '- id: "1.1"')
    assert [
        Problem(
            "plan.yaml",
            line,
            col + 2,
            "action 1.1: history entry 2020-09-28 (completed) was removed; history is append-only",
        )
    ] == check(dropped)
    replaced = changed(
        "        status: complete\n        history:\n          - date: 2020-09-28\n            event: completed\n",
        "        status: in-progress\n        history:\n          - date: 2020-09-28\n            event: started\n",
    ).replace("            evidence: [https://example.org/1.1]\n", "")
    line, col = where(replaced, "event: started")
    assert [
        Problem(
            "plan.yaml",
            line,
            col + len("event: "),
            "action 1.1: history entry 2020-09-28 (completed) was edited (event: 'completed' -> 'started'); "
            "history is append-only: add a new entry instead",
        )
    ] == check(replaced)


def test_recorded_evidence_is_not_edited() -> None:
    """Evidence is recorded with its completion: replacing it is
    an edit of that entry, shown as plan.yaml writes the lists."""
    other = changed(
        "            evidence: [https://example.org/1.1]\n", "            evidence: [https://example.org/other]\n"
    )
    line, col = where(other, "[https://example.org/other]")
    assert [
        Problem(
            "plan.yaml",
            line,
            col,
            "action 1.1: history entry 2020-09-28 (completed) was edited (evidence: "
            "[https://example.org/1.1] -> [https://example.org/other]); history is append-only: "
            "add a new entry instead",
        )
    ] == check(other)


def test_reopening_with_a_history_entry_passes() -> None:
    reopened = changed(
        "        status: complete\n",
        "        status: reopened\n",
    ).replace(
        "            evidence: [https://example.org/1.1]\n",
        "            evidence: [https://example.org/1.1]\n          - date: 2020-10-20\n            event: reopened\n"
        "            reason: evidence incomplete\n",
    )
    assert [] == check(reopened)
    item = plan_of(reopened).find("1.1")
    assert ("reopened", None, date(2020, 9, 28)) == (item.status, item.completed, item.history[-1].completed)


VERIFIED_THEN_REOPENED = (
    "        status: reopened\n        history:\n"
    "          - date: 2020-09-28\n            event: completed\n            evidence: [https://example.org/1.1]\n"
    "          - date: 2020-10-15\n            event: verified\n            by: Internal Audit\n"
    "          - date: 2020-11-20\n            event: reopened\n            reason: Evidence incomplete.\n"
)


def test_editing_the_verification_of_a_reopened_completion_is_caught() -> None:
    """Every written attribute of a history entry is compared, including `by`, added after the rules were written."""
    base = changed(
        "        status: complete\n        history:\n          - date: 2020-09-28\n            event: completed\n"
        "            evidence: [https://example.org/1.1]\n",
        VERIFIED_THEN_REOPENED,
    )
    new = base.replace("            by: Internal Audit\n", "            by: Audit Committee\n")
    line, col = where(new, "Audit Committee")
    assert [
        Problem(
            "plan.yaml",
            line,
            col,
            "action 1.1: history entry 2020-10-15 (verified) was edited (by: 'Internal Audit' -> 'Audit Committee'); "
            "history is append-only: add a new entry instead",
        )
    ] == check(new, base)


def test_what_a_reopening_withdrew_is_replayed_not_compared() -> None:
    """Editing the verification's date is one problem, at that
    date: the reopened entry, which replays it, is not blamed too."""
    base = changed(
        "        status: complete\n        history:\n          - date: 2020-09-28\n            event: completed\n"
        "            evidence: [https://example.org/1.1]\n",
        VERIFIED_THEN_REOPENED,
    )
    new = base.replace("          - date: 2020-10-15\n", "          - date: 2020-10-16\n")
    assert date(2020, 10, 16) == plan_of(new).find("1.1").history[-1].verified
    line, col = where(new, "2020-10-16")
    assert [
        Problem(
            "plan.yaml",
            line,
            col,
            "action 1.1: history entry 2020-10-15 (verified) was edited (date: '2020-10-15' -> '2020-10-16'); "
            "history is append-only: add a new entry instead",
        )
    ] == check(new, base)


def test_an_action_gaining_steps_is_said_in_plan_terms_by_diff_and_check(tmp_path) -> None:
    """The issue's example end to end: no `None` from either command, and check points at the new steps."""
    from typer.testing import CliRunner

    from oagtrack.cli import app

    split = changed(
        "        text: Done already.\n        due: 2020-09-30\n        status: complete\n        history:\n"
        "          - date: 2020-09-28\n            event: completed\n            evidence: [https://example.org/1.1]\n",
        '        text: Done already.\n        steps:\n          - id: "1.1.a"\n            text: First half.\n'
        "            due: 2020-10-31\n",
    )
    (tmp_path / "base.yaml").write_text(
        BASE.replace(
            "        status: complete\n        history:\n          - date: 2020-09-28\n            event: completed\n"
            "            evidence: [https://example.org/1.1]\n",
            "",
        ),
        encoding="utf-8",
    )
    (tmp_path / "plan.yaml").write_text(split, encoding="utf-8")
    runner = CliRunner()
    diff = runner.invoke(
        app, ["diff", "--old-file", str(tmp_path / "base.yaml"), "--new-file", str(tmp_path / "plan.yaml")]
    )
    check = runner.invoke(
        app, ["check", "--against-file", str(tmp_path / "base.yaml"), "--plan", str(tmp_path / "plan.yaml")]
    )
    assert (0, 1) == (diff.exit_code, check.exit_code), diff.output + check.output
    assert "1.1 due date 2020-09-30 removed when its steps were added, without a revision entry\n" in diff.stdout
    line, col = where(split, '- id: "1.1.a"')  # the steps the due date gave way to
    assert (
        f"{tmp_path / 'plan.yaml'}:{line}:{col}: action 1.1: due date 2020-09-30 was dropped when steps were added; "
        "the original due date never changes: keep the action as it was and add new actions for the steps\n"
    ) == check.stderr
    assert "None" not in diff.output + check.output
