"""Retiring a milestone that no longer applies: never deleted, retired with a reason (issue 5)."""

from __future__ import annotations

import difflib
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from conftest import SMALL_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core import metrics as progress
from oagtrack.core import query
from oagtrack.core.edit import Complete, EditError, Note, Reopen, Retire, Revise, Start, Verify, apply
from oagtrack.core.validate import validate_bytes
from oagtrack.render.phrases import summary_counts

TODAY = date(2021, 12, 31)
REASON = "Superseded by action 1.2"
OLDEST_FIRST = "history is oldest first, and nothing is recorded before what it follows"
runner = CliRunner()


def load(text: str):
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert plan is not None, problems
    return plan


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line holding `fragment`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def problems_of(text: str) -> list[str]:
    plan, problems = validate_bytes(text.encode(), "plan.yaml", TODAY)
    assert plan is None
    return [str(problem) for problem in problems]


def retire(text: str = SMALL_PLAN, item: str = "1.1", on: date = date(2021, 2, 1), reason: str = REASON) -> str:
    return apply(text, Retire(item, reason, on), today=TODAY)


def changed_lines(old: str, new: str) -> list[str]:
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


# -- the edit --------------------------------------------------------------------
def test_retire_sets_the_status_and_appends_a_dated_entry_with_the_reason():
    assert changed_lines(SMALL_PLAN, retire()) == [
        "-        status: not-started",
        "+        status: retired",
        "+        history:",
        "+          - date: 2021-02-01",
        "+            event: retired",
        f"+            reason: {REASON}",
    ]
    milestone = load(retire()).find("1.1")
    assert (milestone.status, milestone.retired_on, milestone.history[-1].reason) == (
        "retired",
        date(2021, 2, 1),
        REASON,
    )


def test_a_retired_milestone_takes_notes_and_nothing_else():
    text = retire()
    noted = apply(text, Note("1.1", "Kept for the record", date(2021, 3, 1)), today=TODAY)
    assert load(noted).find("1.1").history[-1].text == "Kept for the record"
    updates = {
        "completed": Complete("1.1", date(2021, 3, 1), ("e.pdf",)),
        "revised": Revise("1.1", date(2021, 9, 30), "later", date(2021, 3, 1)),
        "retired": Retire("1.1", "again", date(2021, 3, 1)),
        "started": Start("1.1", date(2021, 3, 1)),
        "verified": Verify("1.1", date(2021, 3, 1), "IA"),
        "reopened": Reopen("1.1", "why", date(2021, 3, 1)),
    }
    for verb, update in updates.items():
        with pytest.raises(EditError) as caught:
            apply(text, update, today=TODAY)
        assert caught.value.lines == [
            f"action 1.1: cannot be {verb} on 2021-03-01: it was retired on 2021-02-01, "
            "and a retired milestone takes only notes"
        ]


def test_a_complete_milestone_must_be_reopened_before_it_is_retired():
    done = apply(SMALL_PLAN, Complete("1.1", date(2020, 9, 28), ("e.pdf",)), today=TODAY)
    with pytest.raises(EditError) as caught:
        retire(done)
    assert caught.value.lines == [
        "action 1.1: cannot be retired on 2021-02-01: it is complete (completed 2020-09-28); "
        "only work not done can be retired: reopen it first if the completion no longer stands"
    ]
    reopened = apply(done, Reopen("1.1", "Evidence incomplete", date(2021, 1, 15)), today=TODAY)
    assert load(retire(reopened)).find("1.1").status == "retired"


def test_retiring_before_the_last_history_entry_is_refused():
    noted = apply(SMALL_PLAN, Note("1.1", "Started talks", date(2021, 3, 1)), today=TODAY)
    with pytest.raises(EditError) as caught:
        retire(noted)
    assert caught.value.lines == [
        f"action 1.1: a retired entry dated 2021-02-01 comes after one dated 2021-03-01; {OLDEST_FIRST}"
    ]


def test_retiring_before_the_start_is_refused():
    started = SMALL_PLAN.replace(
        "        status: not-started\n",
        "        status: in-progress\n        history:\n          - date: 2021-03-01\n            event: started\n",
    )
    with pytest.raises(EditError) as caught:
        retire(started)
    assert caught.value.lines == [
        f"action 1.1: a retired entry dated 2021-02-01 comes after one dated 2021-03-01; {OLDEST_FIRST}"
    ]
    assert load(retire(started, on=date(2021, 3, 1))).find("1.1").started == date(2021, 3, 1)


def test_a_retirement_after_today_is_refused():
    with pytest.raises(
        EditError, match=r"^dated 2022-01-01, after today \(2021-12-31\); record things once they happen$"
    ):
        retire(on=date(2022, 1, 1))


def test_an_empty_reason_is_refused():
    with pytest.raises(EditError, match="--reason must not be empty"):
        retire(reason="  ")


# -- what a retired milestone means to the questions asked of the plan -----------------
def test_retired_is_a_state_from_its_day_on_and_the_history_replays_before_it():
    plan = load(retire())
    before, after = date(2021, 1, 31), date(2021, 2, 1)
    assert [s.id for s in query.overdue(plan, before)] == ["1.1", "1.3.a"]
    assert [s.id for s in query.overdue(plan, after)] == ["1.3.a", "1.2"]
    standing = query.stand(plan, plan.find("1.1"), after)
    assert (standing.state, standing.status, standing.is_done, standing.is_pending) == (
        "retired",
        "retired",
        False,
        False,
    )
    earlier = query.stand(plan, plan.find("1.1"), before)
    assert (earlier.state, earlier.status, earlier.milestone.status, earlier.milestone.retired_on) == (
        "overdue",
        "not-started",
        "not-started",
        None,
    )


def test_a_retired_milestone_is_never_upcoming():
    plan = load(retire(item="1.2", on=date(2021, 1, 10)))
    assert "1.2" in [s.id for s in query.upcoming(plan, date(2021, 1, 5), timedelta(days=30))]
    assert "1.2" not in [s.id for s in query.upcoming(plan, date(2021, 1, 15), timedelta(days=30))]


def test_counts_name_retired_milestones_only_when_there_are_some():
    plan = load(retire())
    counts = query.count_states(query.standings(plan, date(2021, 2, 1)))
    assert counts["retired"] == 1
    assert summary_counts(counts) == "0 complete, 2 overdue, 0 due soon, 2 open, 1 retired"
    clean = query.count_states(query.standings(load(SMALL_PLAN), date(2021, 2, 1)))
    assert summary_counts(clean) == "0 complete, 3 overdue, 0 due soon, 2 open"


def test_the_report_leaves_retired_milestones_out_of_the_percentage_and_lists_the_retirement():
    text = apply(retire(), Complete("1.2", date(2021, 1, 20), ("e.pdf",)), today=TODAY)
    plan = load(text)
    items = query.standings(plan, date(2021, 3, 1))
    summary = progress.summarize(items)
    assert (summary.total, summary.retired, summary.complete, summary.applicable) == (5, 1, 1, 4)
    assert summary.percent_implemented == 25.0
    assert (
        summary.on_time + summary.late + summary.overdue + summary.due_soon + summary.not_yet_due + summary.retired
        == summary.total
    )
    found = [(c.on, c.kind, c.standing.id, c.reason) for c in progress.changes(items, date(2021, 2, 1))]
    assert found == [(date(2021, 2, 1), "retired", "1.1", REASON)]
    assert "1.1" not in [st.standing.id for st in progress.stale(items)]


def test_the_completion_date_of_the_plan_leaves_retired_milestones_out_and_says_so():
    from oagtrack.render.report_tables import completion_sentence

    plan = load(retire(item="1.3.b", on=date(2021, 2, 1)))
    report = progress.build(plan, date(2021, 3, 1))
    assert (report.original_completion, report.current_completion) == (date(2021, 6, 30), date(2021, 3, 31))
    assert completion_sentence(report) == (
        "Planned completion of the whole plan: 2021-03-31, originally 2021-06-30 (-91 days). Retired milestones no "
        "longer count towards it."
    )


# -- validation: the status and the history tell one story -------------------------------
def test_status_retired_without_a_retired_entry_is_refused_at_the_status():
    text = SMALL_PLAN.replace("        status: not-started\n", "        status: retired\n")
    assert problems_of(text) == [
        f"plan.yaml:{line_of(text, 'status: retired')}:17: action 1.1: status retired, "
        "but no history entry makes it not-started; record each change with the oagtrack commands, which write both"
    ]


def test_a_retired_entry_with_another_status_is_refused():
    text = retire().replace("status: retired", "status: in-progress")
    assert problems_of(text) == [
        f"plan.yaml:{line_of(text, 'status: in-progress')}:17: action 1.1: status in-progress, "
        "but its history (retired) makes it retired; "
        "record each change with the oagtrack commands, which write both"
    ]


def test_only_notes_may_follow_a_retired_entry():
    note = "          - date: 2021-03-01\n            event: note\n            text: Fine\n"
    revision = (
        "          - date: 2021-03-02\n            event: revised\n"
        "            from: 2020-09-30\n            to: 2021-09-30\n            reason: No\n"
    )
    noted = retire().replace(f"            reason: {REASON}\n", f"            reason: {REASON}\n{note}")
    assert load(noted).find("1.1").notes[-1].text == "Fine"
    text = noted.replace(note, note + revision).replace("        due: 2020-09-30\n", "        due: 2021-09-30\n")
    assert problems_of(text) == [
        f"plan.yaml:{line_of(text, '2021-03-02')}:13: action 1.1: cannot be revised on 2021-03-02: "
        "it was retired on 2021-02-01, and a retired milestone takes only notes",
    ]


def test_a_retired_entry_needs_a_reason():
    text = retire().replace(f"            reason: {REASON}\n", "")
    assert problems_of(text) == [
        f"plan.yaml:{line_of(text, 'event: retired') - 1}:13: action 1.1: a retired entry needs 'reason'"
    ]


# -- the command line, end to end ------------------------------------------------------
@pytest.fixture
def small(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    return plan


def test_retire_from_the_command_line_and_every_view_shows_it(small):
    result = run("retire", "1.1", "--reason", "[red]Superseded[/red]", "--on", "2021-02-01")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "plan.yaml: 1.1 retired on 2021-02-01\n", "")

    overdue = run("overdue", "--as-of", "2021-03-01")
    assert "1.1" not in overdue.stdout.split() and "1.3.a" in overdue.stdout.split()
    status = run("status", "--as-of", "2021-03-01")
    line = next(line for line in status.stdout.splitlines() if line.startswith("1.1 "))
    assert line.split()[-3:] == ["retired", "since", "2021-02-01"]
    assert status.stdout.rstrip().endswith("1 retired")
    show = run("show", "1.1", "--as-of", "2021-03-01")
    assert "State:        retired (since 2021-02-01)" in show.stdout
    assert "2021-02-01: retired (no longer applies): [red]Superseded[/red]" in show.stdout
    report = run("report", "--as-of", "2021-03-01", "--format", "markdown")
    assert "1 retired and not counted" in report.stdout
    assert "| Retired |" in report.stdout


def test_the_calendar_cancels_a_retired_milestone_and_sets_no_reminder(small):
    run("retire", "1.1", "--reason", REASON, "--on", "2021-02-01")
    result = run("calendar", "--as-of", "2021-03-01")
    assert result.exit_code == 0
    events = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert len(events) == 5  # retired, but still in the plan and on the calendar
    retired = next(e for e in events if "1.1 " in str(e["SUMMARY"]))
    assert str(retired["STATUS"]) == "CANCELLED"
    assert int(retired["SEQUENCE"]) == 1  # one more than before, so a client that imported it takes the cancellation
    assert str(retired["SUMMARY"]).startswith("Retired: ")
    assert not retired.walk("VALARM")
    assert all(
        str(e["STATUS"]) == "CONFIRMED" and e.walk("VALARM")
        for e in events
        if e is not retired and "Done: " not in str(e["SUMMARY"])
    )
    todo = run("calendar", "--as-of", "2021-03-01", "--todo")
    task = next(t for t in icalendar.Calendar.from_ical(todo.stdout).walk("VTODO") if "1.1 " in str(t["SUMMARY"]))
    assert str(task["STATUS"]) == "CANCELLED"


def test_diff_names_the_retirement(small, tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text(SMALL_PLAN, encoding="utf-8")
    run("retire", "1.1", "--reason", REASON, "--on", "2021-02-01")
    result = run("diff", "--old-file", str(old), "--new-file", "plan.yaml")
    assert f"1.1 retired on 2021-02-01: {REASON}" in result.stdout


def test_retire_needs_a_reason_and_refusals_leave_the_bytes(small):
    before = small.read_bytes()
    missing = run("retire", "1.1", "--on", "2021-02-01")
    assert missing.exit_code == 2 and "--reason" in missing.stderr
    run("complete", "1.2", "--on", "2021-01-20", "-e", "e.pdf")
    done = small.read_bytes()
    refused = run("retire", "1.2", "--reason", REASON, "--on", "2021-02-01")
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert "only work not done can be retired" in refused.stderr
    assert small.read_bytes() == done != before
    group = run("retire", "1.3", "--reason", REASON, "--on", "2021-02-01")
    assert group.exit_code == 1 and "update 1.3.a, 1.3.b" in group.stderr


def test_check_tells_whoever_deletes_an_item_to_retire_it(small, tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(SMALL_PLAN, encoding="utf-8")
    deleted = SMALL_PLAN.replace(
        '      - id: "1.2"\n        text: Second action.\n        due: 2021-01-31\n        leads: [bo]\n', ""
    )
    small.write_text(deleted, encoding="utf-8")
    result = run("check", "--against-file", str(base))
    assert result.exit_code == 1
    assert (
        "action 1.2 was deleted; never delete an item: keep it, and retire each milestone that no longer applies, "
        "saying why (oagtrack retire ID --reason TEXT)" in result.stdout + result.stderr
    )


@pytest.mark.parametrize(
    ("start_entry", "where", "message"),
    [
        # written after the retirement, in date order: the lifecycle refuses a start once retired
        (
            "after",
            "event: started",
            "action 1.1: cannot be started on 2021-05-01: it was retired on 2021-02-01, "
            "and a retired milestone takes only notes",
        ),
        # written before it: the retirement is dated before the start it follows
        (
            "before",
            "event: retired",
            f"action 1.1: a retired entry dated 2021-02-01 comes after one dated 2021-05-01; {OLDEST_FIRST}",
        ),
    ],
)
def test_a_start_after_the_retirement_is_refused_by_validate(start_entry, where, message):
    started = "          - date: 2021-05-01\n            event: started\n"
    if start_entry == "after":
        text = retire().replace(f"            reason: {REASON}\n", f"            reason: {REASON}\n{started}")
    else:
        text = retire().replace("        history:\n", f"        history:\n{started}")
    assert text.count(started) == 1
    assert problems_of(text) == [f"plan.yaml:{line_of(text, where) - 1}:13: {message}"]


def test_when_every_milestone_is_retired_nothing_is_implemented_and_the_report_says_so():
    from oagtrack.render.report_tables import completion_sentence, headline, percent

    text = SMALL_PLAN
    for item in ("1.1", "1.2", "1.3.a", "1.3.b", "1.outcome"):
        text = retire(text, item=item)
    report = progress.build(load(text), date(2021, 3, 1))
    assert (
        report.summary.retired,
        report.summary.percent_implemented,
        percent(report.summary.percent_implemented),
    ) == (5, None, "-")
    assert headline(report).startswith("5 milestones: - implemented")
    assert completion_sentence(report) == "Every milestone is retired; the plan was to be complete by 2021-06-30."
    assert progress.summarize([]).percent_implemented == 0.0


def test_the_reason_is_in_the_report_detail_and_the_calendar_description(small):
    run("retire", "1.1", "--reason", "Overtaken by <b>1.2</b>", "--on", "2021-02-01")
    report = run("report", "--as-of", "2021-03-01", "--since", "2021-03-01", "--format", "markdown").stdout
    assert "- **State:** retired (since 2021-02-01): Overtaken by &lt;b&gt;1.2&lt;/b&gt;" in report.splitlines()
    assert "<b>" not in report
    calendar = icalendar.Calendar.from_ical(run("calendar", "--as-of", "2021-03-01").stdout)
    event = next(e for e in calendar.walk("VEVENT") if "1.1 " in str(e["SUMMARY"]))
    assert "Retired: 2021-02-01: Overtaken by <b>1.2</b>" in str(event["DESCRIPTION"])


def test_a_narrow_table_that_drops_state_still_says_retired(small):
    run("retire", "1.1", "--reason", REASON, "--on", "2021-02-01")
    out = runner.invoke(app, ["status", "--as-of", "2021-03-01"], env={"COLUMNS": "80"}).stdout
    row = next(line for line in out.splitlines() if line.startswith("1.1 "))
    assert "State" not in out.splitlines()[1] and row.endswith("retired since 2021-02-01")
