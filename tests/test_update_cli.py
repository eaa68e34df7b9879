"""The update commands end to end: golden diffs, the issue's checks on the bundled plan, refusals, concurrency.

Regenerate the golden diffs on purpose, then review them:
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_update_cli.py -k golden
"""

from __future__ import annotations

import difflib
import fcntl
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import BUNDLED_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app, shared
from oagtrack.core.validate import validate_bytes

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "edit"
REGEN = os.environ.get("UPDATE_GOLDEN") == "1"  # one variable regenerates every golden file


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def changed(old: bytes, new: bytes) -> list[str]:
    """The -/+ lines of a diff between two versions of a file."""
    diff = difflib.unified_diff(old.decode().splitlines(), new.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """Copy a fixture to plan.yaml in a fresh current folder; return its path."""
    monkeypatch.chdir(tmp_path)

    def make(source: Path) -> Path:
        target = tmp_path / "plan.yaml"
        target.write_bytes(source.read_bytes())
        return target

    return make


# -- golden diffs, one per command ------------------------------------------------------
GOLDEN = {
    "small.complete": [
        "complete",
        "1.1",
        "--on",
        "2020-09-28",
        "--evidence",
        "https://example.org/e.pdf",
        "--note",
        "Signed off: yes",
    ],
    "small.complete-step": ["complete", "1.3.b", "--on", "2021-02-01", "-e", "b.pdf", "-e", "c.pdf"],
    "small.start": ["start", "1.1", "--on", "2020-09-01"],
    "small.revise": [
        "revise",
        "1.1",
        "--due",
        "2020-12-31",
        "--reason",
        "Pandemic: yes: no # x",
        "--approved-by",
        "Departmental Audit Committee, 2020-11-15",
        "--on",
        "2020-09-15",
    ],
    "small.note": ["note", "1.2", "Shared with [the committee]", "--on", "2021-01-20"],
    "small.verify": ["verify", "1.2", "--on", "2021-02-01", "--by", "Internal Audit"],
    "small.reopen": ["reopen", "1.2", "--reason", "Evidence incomplete", "--on", "2021-02-01"],
    "small.retire": ["retire", "1.1", "--reason", "Overtaken by action 1.2", "--on", "2021-02-01"],
    "flow.complete": [
        "complete",
        "1.1",
        "--on",
        "2020-09-28",
        "--evidence",
        "https://example.org/e.pdf",
        "--note",
        "Signed off",
    ],
    "flow.start": ["start", "1.3", "--on", "2020-10-01"],
    "flow.revise": ["revise", "1.3", "--due", "2021-06-30", "--reason", "Pandemic", "--on", "2020-10-01"],
    "flow.note": ["note", "1.2", '"quoted"', "--on", "2021-01-20"],
    "flow.verify": ["verify", "1.2", "--on", "2021-02-01", "--by", "Internal Audit"],
    "flow.reopen": ["reopen", "1.2", "--reason", "Evidence incomplete", "--on", "2021-02-01"],
    "flow.retire": ["retire", "1.3", "--reason", "Overtaken: see 1.2", "--on", "2021-02-01"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_diff(name, copy):
    """--dry-run prints exactly the golden diff and changes nothing; the real run makes exactly that change."""
    fixture = FIXTURES / (name.split(".")[0] + ".yaml")
    plan = copy(fixture)
    golden = FIXTURES / f"{name}.diff"
    dry = run(*GOLDEN[name], "--dry-run", "--plan", "plan.yaml")
    assert (dry.exit_code, dry.stderr) == (0, "")
    if REGEN:
        golden.write_text(dry.stdout, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == dry.stdout
    assert fixture.read_bytes() == plan.read_bytes()
    done = run(*GOLDEN[name], "--plan", "plan.yaml")
    assert done.exit_code == 0, done.stderr
    assert f"plan.yaml: {GOLDEN[name][1]} " in done.stdout
    real_diff = "".join(
        difflib.unified_diff(
            fixture.read_text().splitlines(True), plan.read_text().splitlines(True), "a/plan.yaml", "b/plan.yaml"
        )
    )
    assert dry.stdout == real_diff


# -- the "Done when", literally, on a copy of the bundled plan ----------------------
def test_complete_on_the_bundled_plan_changes_1_line_and_adds_6_all_inside_action_1_1(copy):
    """The status word changes and one dated completion entry
    (5 lines, under a new `history:`) is added: nothing else."""
    plan = copy(BUNDLED_PLAN)
    result = run(
        "complete", "1.1", "--on", "2020-09-28", "--evidence", "https://example.org/e.pdf", "--plan", "plan.yaml"
    )
    assert (result.exit_code, result.stdout) == (0, "plan.yaml: 1.1 complete on 2020-09-28\n")
    old, new = BUNDLED_PLAN.read_bytes(), plan.read_bytes()
    lines = changed(old, new)
    assert lines == [
        "-        status: not-started",
        "+        status: complete",
        "+        history:",
        "+          - date: 2020-09-28",
        "+            event: completed",
        "+            evidence:",
        "+              - https://example.org/e.pdf",
    ]
    # every changed line sits between action 1.1's first line and action 1.2's
    old_lines = old.decode().splitlines()
    first, after = old_lines.index('      - id: "1.1"'), old_lines.index('      - id: "1.2"')
    hunks = [
        line
        for line in difflib.unified_diff(old_lines, new.decode().splitlines(), lineterm="", n=0)
        if line.startswith("@@")
    ]
    assert len(hunks) == 1
    start = int(hunks[0].split()[1].lstrip("-").split(",")[0])
    assert first < start <= after
    git = subprocess.run(
        ["git", "diff", "--no-index", "--numstat", str(BUNDLED_PLAN), str(plan)], capture_output=True, text=True
    )
    assert git.stdout.split()[:2] == ["6", "1"]  # 6 lines added, 1 removed: nothing else


def test_revise_keeps_the_original_date_and_show_prints_both_dates_and_the_reason(copy):
    plan = copy(BUNDLED_PLAN)
    reason = "Triage pilot delayed by pandemic restrictions"
    result = run(
        "revise",
        "3.1",
        "--due",
        "2021-06-30",
        "--reason",
        reason,
        "--approved-by",
        "Departmental Audit Committee, 2020-11-15",
        "--on",
        "2020-11-15",
        "--plan",
        "plan.yaml",
    )
    assert (result.exit_code, result.stdout) == (0, "plan.yaml: 3.1 now due 2021-06-30 (revised on 2020-11-15)\n")
    assert "2021-03-12" in plan.read_text()
    shown = run("show", "3.1", "--as-of", "2021-01-31", "--plan", "plan.yaml")
    assert shown.exit_code == 0
    assert "Due:          2021-06-30\nOriginal due: 2021-03-12\nSlip:         revised once, +110 days\n" in shown.stdout
    revision = (
        f"2020-11-15: 2021-03-12 -> 2021-06-30 (+110 days): {reason} "
        "[approved by Departmental Audit Committee, 2020-11-15]"
    )
    assert revision in " ".join(shown.stdout.split())  # the console may wrap the line


def test_complete_no_such_id_exits_1_suggests_ids_and_leaves_the_bytes(copy):
    plan = copy(BUNDLED_PLAN)
    result = run("complete", "no-such-id", "-e", "e.pdf", "--on", "2020-09-28", "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("oagtrack: no item 'no-such-id' in the plan; ids include 1, 2, 3, 1.1, ")
    near = run("complete", "1.11", "-e", "e.pdf", "--plan", "plan.yaml")
    assert (near.exit_code, near.stderr) == (1, "oagtrack: no item '1.11' in the plan; did you mean 1.1, 3.1, 2.1?\n")
    assert BUNDLED_PLAN.read_bytes() == plan.read_bytes()
    assert not (plan.parent / "plan.yaml.lock").exists()


def test_queries_see_the_update_at_once(copy):
    """After complete 1.1 on time, overdue no longer lists it and status shows it complete."""
    copy(BUNDLED_PLAN)
    before = run("overdue", "--as-of", "2021-01-31", "--format", "csv", "--plan", "plan.yaml")
    assert "\n1.1," in before.stdout
    assert run("complete", "1.1", "-e", "e.pdf", "--on", "2020-09-28", "--plan", "plan.yaml").exit_code == 0
    after = run("overdue", "--as-of", "2021-01-31", "--format", "csv", "--plan", "plan.yaml")
    assert "\n1.1," not in after.stdout
    assert after.stdout.count("\n") == before.stdout.count("\n") - 1
    status = run("status", "--as-of", "2021-01-31", "--plan", "plan.yaml")
    row = next(line for line in status.stdout.splitlines() if line.split()[:1] == ["1.1"])
    assert "complete" in row and "overdue" not in row and "late" not in row


def test_history_replays_for_as_of(copy):
    """Completed 2021-03-01: still overdue as of 2021-01-31; revised on 2021-02-15: the old date held on 2021-01-31."""
    copy(BUNDLED_PLAN)
    assert run("complete", "1.2", "-e", "e.pdf", "--on", "2021-03-01", "--plan", "plan.yaml").exit_code == 0
    assert (
        run(
            "revise", "3.4a", "--due", "2021-06-30", "--reason", "r", "--on", "2021-02-15", "--plan", "plan.yaml"
        ).exit_code
        == 0
    )
    then = run("overdue", "--as-of", "2021-01-31", "--format", "csv", "--plan", "plan.yaml").stdout
    assert "\n1.2," in then and "\n3.4a," in then
    later = run("overdue", "--as-of", "2021-03-02", "--format", "csv", "--plan", "plan.yaml").stdout
    assert "\n1.2," not in later and "\n3.4a," not in later


def test_reopen_keeps_the_withdrawn_completion_for_as_of(copy):
    copy(BUNDLED_PLAN)
    assert run("complete", "1.1", "--on", "2020-09-28", "-e", "e.pdf", "--plan", "plan.yaml").exit_code == 0
    result = run("reopen", "1.1", "--reason", "Evidence incomplete", "--on", "2020-11-20", "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout) == (0, "plan.yaml: 1.1 reopened on 2020-11-20\n")
    during = run("overdue", "--as-of", "2020-10-31", "--format", "csv", "--plan", "plan.yaml").stdout
    after = run("overdue", "--as-of", "2021-01-31", "--format", "csv", "--plan", "plan.yaml").stdout
    assert ("\n1.1," in during, "\n1.1," in after) == (False, True)
    shown = run("show", "1.1", "--as-of", "2021-01-31", "--plan", "plan.yaml").stdout
    assert "2020-11-20: reopened (completion of 2020-09-28 withdrawn): Evidence incomplete" in shown


# -- refusals leave the bytes identical ----------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["verify", "1.1", "--by", "IA", "--on", "2020-10-01"],
            1,
            "oagtrack: 1.1: action 1.1: cannot be verified on 2020-10-01: it is not-started; "
            "only a complete milestone can be verified: complete it first\n",
        ),
        (
            ["complete", "1.2", "-e", "e.pdf", "--on", "2021-01-20"],
            1,
            "oagtrack: 1.2: action 1.2: cannot be completed on 2021-01-20: it is already complete (completed "
            "2021-01-15); to record a new completion, reopen it first\n",
        ),
        (
            ["complete", "1.3", "-e", "e.pdf", "--on", "2021-01-20"],
            1,
            "oagtrack: 1.3: action 1.3 has steps; its steps are the milestones: update 1.3.a, 1.3.b\n",
        ),
        (["revise", "1.1", "--due", "2020-12-31", "--reason", " ", "--on", "2020-09-01"], 2, None),
        (["note", "1.2", "too early", "--on", "2020-01-01"], 1, None),
        (["complete", "1.1", "-e", "e.pdf", "--on", "2999-01-01"], 1, None),
        (["complete", "1.1", "--on", "not a date"], 2, None),
        (["revise", "1.1", "--due", "2020-13-01", "--reason", "r"], 2, None),
    ],
)
def test_refused_updates_leave_the_file_identical(copy, args, code, message):
    plan = copy(FIXTURES / "small.yaml")
    before = plan.read_bytes()
    result = run(*args, "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout) == (code, "")
    if message:
        assert message == result.stderr
    assert "Traceback" not in result.stderr
    assert before == plan.read_bytes()
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.yaml"]


@pytest.mark.parametrize(
    "args",
    [["note", "1.1", "x"], ["retire", "1.1", "--reason", "x"], ["complete", "1.1", "-e", "e.pdf"], ["start", "1.1"]],
)
def test_a_date_after_today_is_refused_plainly(copy, monkeypatch, args):
    plan = copy(FIXTURES / "small.yaml")
    before = plan.read_bytes()
    monkeypatch.setattr(shared, "today", lambda: date(2021, 2, 3))
    result = run(*args, "--on", "+30d", "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "oagtrack: 1.1: dated 2021-03-05, after today (2021-02-03); record things once they happen\n",
    )
    assert plan.read_bytes() == before


def test_an_update_dated_before_the_last_entry_is_refused_in_the_words_of_the_rule(copy):
    """The update is replayed after the history with the rules validate applies (history.RULES), so it says the same."""
    plan = copy(FIXTURES / "small.yaml")
    before = plan.read_bytes()
    result = run("note", "1.2", "too early", "--on", "2020-01-01", "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "oagtrack: 1.2: action 1.2: a note entry dated 2020-01-01 comes after one dated 2021-01-15; "
        "history is oldest first, and nothing is recorded before what it follows\n",
    )
    assert before == plan.read_bytes()


def test_a_read_only_plan_is_refused_cleanly(copy):
    plan = copy(FIXTURES / "small.yaml")
    os.chmod(plan, 0o444)
    result = run("start", "1.1", "--on", "2020-09-01", "--plan", "plan.yaml")
    assert (result.exit_code, result.stderr) == (
        1,
        "oagtrack: plan.yaml: the plan file is read-only; make it writable (chmod u+w) to update it\n",
    )
    assert (FIXTURES / "small.yaml").read_bytes() == plan.read_bytes()


def test_a_locked_plan_exits_3(copy):
    plan = copy(FIXTURES / "small.yaml")
    with open(plan.parent / "plan.yaml.lock", "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)  # a live writer holds the lock: the file's content alone decides nothing
        holder.write(f"{os.getpid()}\n")
        holder.flush()
        result = run("start", "1.1", "--on", "2020-09-01", "--plan", "plan.yaml")
    assert (result.exit_code, result.stderr) == (
        3,
        f"oagtrack: plan.yaml: locked by another oagtrack (pid {os.getpid()}); retry in a moment\n",
    )
    assert (FIXTURES / "small.yaml").read_bytes() == plan.read_bytes()


def test_the_date_defaults_to_today_from_the_one_clock(copy, monkeypatch):
    plan = copy(FIXTURES / "small.yaml")
    monkeypatch.setattr(shared, "today", lambda: date(2021, 2, 3))
    result = run("note", "1.1", "Kick-off held", "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout) == (0, "plan.yaml: 1.1 note added on 2021-02-03\n")
    assert (
        "        status: not-started\n        history:\n          - date: 2021-02-03\n            event: note\n"
        "            text: Kick-off held\n" in plan.read_text()
    )


def test_every_update_command_has_dry_run_plan_and_an_example():
    for command in ("complete", "start", "revise", "note", "verify", "reopen", "retire"):
        result = run(command, "--help")
        text = " ".join(result.stdout.split())
        assert result.exit_code == 0
        assert "--dry-run" in text and "--plan" in text and f"Example: oagtrack {command} " in text


def test_updates_work_through_a_symlink(copy, tmp_path):
    real = tmp_path / "data" / "map.yaml"
    real.parent.mkdir()
    real.write_bytes((FIXTURES / "small.yaml").read_bytes())
    (tmp_path / "link.yaml").symlink_to(real)
    result = run("start", "1.1", "--on", "2020-09-01", "--plan", "link.yaml")
    assert result.exit_code == 0
    assert (tmp_path / "link.yaml").is_symlink()
    assert (
        "        status: in-progress\n        history:\n          - date: 2020-09-01\n            event: started\n"
        in real.read_text()
    )


# -- two processes at once: never a lost update ---------------------------------------------------
def test_two_concurrent_updates_never_lose_one(tmp_path):
    """Two oagtrack processes update the same file: each applies or is refused with exit 3; none is lost."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    outcomes = set()
    for attempt in range(4):
        plan = tmp_path / f"plan{attempt}.yaml"
        plan.write_bytes((FIXTURES / "small.yaml").read_bytes())
        commands = [
            [
                sys.executable,
                "-m",
                "oagtrack",
                "complete",
                "1.1",
                "-e",
                "e.pdf",
                "--on",
                "2020-09-28",
                "--plan",
                str(plan),
            ],
            [
                sys.executable,
                "-m",
                "oagtrack",
                "note",
                "1.2",
                "Second writer",
                "--on",
                "2021-01-20",
                "--plan",
                str(plan),
            ],
        ]
        procs = [
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for cmd in commands
        ]
        results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = tuple(code for code, _, _ in results)
        assert set(codes) <= {0, 3}, results
        assert 0 in codes, results  # the first to take the lock always succeeds
        for code, _, err in results:
            if code == 3:
                assert "plan changed on disk since it was read" in err or "locked by another oagtrack" in err
        final, problems = validate_bytes(plan.read_bytes(), str(plan), date(2030, 1, 1))
        assert problems == []
        applied = (
            final.find("1.1").status == "complete",
            [e.text for e in final.find("1.2").notes][-1] == "Second writer",
        )
        assert applied == (codes[0] == 0, codes[1] == 0)
        assert not (tmp_path / f"plan{attempt}.yaml.lock").exists()
        outcomes.add(codes)
    assert outcomes  # each attempt checked; which interleavings occur depends on the scheduler


def test_dry_run_shows_the_same_changed_lines_as_git_diff(copy):
    """On the long bundled plan, frequent lines (`status: not-started`) are not shown as changed."""
    plan = copy(BUNDLED_PLAN)
    args = ["revise", "3.1", "--due", "2021-06-30", "--reason", "Pandemic", "--on", "2020-11-15", "--plan", "plan.yaml"]
    dry = run(*args, "--dry-run")
    assert run(*args).exit_code == 0
    git = subprocess.run(
        ["git", "diff", "--no-index", "--no-color", str(BUNDLED_PLAN), str(plan)], capture_output=True, text=True
    )

    def body(diff: str) -> list[str]:
        lines = [line for line in diff.splitlines() if line[:1] in "+- @" and not line.startswith(("+++", "---"))]
        return [" ".join(line.split()[:3]) if line.startswith("@@") else line for line in lines]  # git adds a heading

    assert body(git.stdout) == body(dry.stdout)
    assert [line for line in body(dry.stdout) if line[:1] == "-"] == ["-        due: 2021-03-12"]


def test_start_of_a_reopened_item_keeps_its_first_start_date(copy):
    plan = copy(FIXTURES / "small.yaml")
    for args in (
        ["start", "1.1", "--on", "2020-09-01"],
        ["complete", "1.1", "-e", "e.pdf", "--on", "2020-09-28"],
        ["reopen", "1.1", "--reason", "r", "--on", "2020-10-01"],
    ):
        assert run(*args, "--plan", "plan.yaml").exit_code == 0
    result = run("start", "1.1", "--on", "2020-10-05", "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout) == (0, "plan.yaml: 1.1 in progress\n")
    milestone = validate_bytes(plan.read_bytes(), "plan.yaml", date(2030, 1, 1))[0].find("1.1")
    assert (milestone.status, milestone.started, milestone.completed) == ("in-progress", date(2020, 9, 1), None)


# -- a new user's bugs (#3) ---------------------------------------------------------------------
def _verified_then_reopened_then_started(copy) -> Path:
    """1.1 of the small plan: complete 09-28, verified 10-05, reopened 11-20, started 11-25."""
    plan = copy(FIXTURES / "small.yaml")
    for args in (
        ["complete", "1.1", "--on", "2020-09-28", "-e", "e.pdf"],
        ["verify", "1.1", "--on", "2020-10-05", "--by", "Internal Audit"],
        ["reopen", "1.1", "--reason", "Evidence incomplete", "--on", "2020-11-20"],
        ["start", "1.1", "--on", "2020-11-25"],
    ):
        result = run(*args, "--plan", "plan.yaml")
        assert (0, "") == (result.exit_code, result.stderr)
    return plan


def test_restart_of_a_reopened_item_is_dated_in_its_history(copy):
    """`start` after `reopen` keeps the first start and appends another dated started entry; show replays it."""
    plan = copy(FIXTURES / "small.yaml")
    for args in (
        ["start", "1.1", "--on", "2020-09-01"],
        ["complete", "1.1", "-e", "e.pdf", "--on", "2020-09-28"],
        ["reopen", "1.1", "--reason", "r", "--on", "2020-10-01"],
    ):
        assert run(*args, "--plan", "plan.yaml").exit_code == 0
    before = plan.read_bytes()
    result = run("start", "1.1", "--on", "2020-12-05", "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout) == (0, "plan.yaml: 1.1 in progress\n")
    assert [
        "-        status: reopened",
        "+        status: in-progress",
        "+          - date: 2020-12-05",
        "+            event: started",
    ] == changed(before, plan.read_bytes())
    status = {
        day: run("show", "1.1", "--as-of", day, "--plan", "plan.yaml").stdout for day in ("2020-12-04", "2020-12-05")
    }
    assert (
        "Status:       reopened\n" in status["2020-12-04"],
        "Status:       in-progress\n" in status["2020-12-05"],
    ) == (True, True)
    assert (
        "  2020-10-01: reopened (completion of 2020-09-28 withdrawn): r\n  2020-12-05: started\n"
        in status["2020-12-05"]
    )
    assert "Started:      2020-09-01\n" in status["2020-12-05"]
    assert "2020-12-05" not in status["2020-12-04"]
    exported = run("export", "--as-of", "2020-12-05", "--format", "csv", "--plan", "plan.yaml").stdout
    assert "in-progress" in next(line for line in exported.splitlines() if line.startswith("1.1,"))


def test_restart_before_the_reopening_is_refused(copy):
    plan = copy(FIXTURES / "small.yaml")
    assert run("reopen", "1.2", "--reason", "r", "--on", "2021-02-01", "--plan", "plan.yaml").exit_code == 0
    before = plan.read_bytes()
    result = run("start", "1.2", "--on", "2021-01-31", "--plan", "plan.yaml")
    assert (
        1,
        "oagtrack: 1.2: action 1.2: a started entry dated 2021-01-31 comes after one dated 2021-02-01; "
        "history is oldest first, and nothing is recorded before what it follows\n",
    ) == (
        result.exit_code,
        result.stderr,
    )
    assert before == plan.read_bytes()


def test_show_as_of_a_day_before_the_reopening_shows_the_verification_and_no_later_dates(copy):
    """As of 2020-10-20 1.1 was verified; the start on 2020-11-25 had not happened."""
    _verified_then_reopened_then_started(copy)
    shown = run("show", "1.1", "--as-of", "2020-10-20", "--plan", "plan.yaml")
    assert shown.exit_code == 0
    assert (
        "Due:          2020-09-30\nStatus:       verified\nState:        complete (done 2020-09-28)\n"
        "Completed:    2020-09-28\nVerified:     2020-10-05\nVerified by:  Internal Audit\n"
    ) in shown.stdout
    assert (
        "History:\n  2020-09-28: completed (evidence: e.pdf)\n  2020-10-05: verified by Internal Audit\nLeads:\n"
        in shown.stdout
    )
    assert ("Started" in shown.stdout, "reopened" in shown.stdout, "2020-11" in shown.stdout) == (False, False, False)
    later = run("show", "1.1", "--as-of", "2020-12-01", "--plan", "plan.yaml").stdout
    assert (
        "Status:       in-progress\n" in later
        and "Started:      2020-11-25\n" in later
        and "Verified" not in later.split("History:")[0]
    )
    assert (
        "  2020-11-20: reopened (completion of 2020-09-28, verified 2020-10-05 by Internal Audit, withdrawn): "
        "Evidence incomplete\n  2020-11-25: started\n" in later
    )


def test_complete_without_evidence_is_refused(copy):
    """Evidence is a rule of the plan (check enforces it): a refusal, exit 1, after an unknown id is named."""
    plan = copy(FIXTURES / "small.yaml")
    before = plan.read_bytes()
    result = run("complete", "1.1", "--on", "2020-09-28", "--plan", "plan.yaml")
    assert (1, "") == (result.exit_code, result.stdout)
    assert (
        result.stderr == "oagtrack: 1.1: action 1.1: a completion needs evidence: at least one link or path "
        "(--evidence on the command line, evidence: in its history entry)\n"
    )
    result = run("complete", "no-such-id", "--plan", "plan.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith("oagtrack: no item 'no-such-id' in the plan; ")
    assert before == plan.read_bytes()


def test_revise_of_a_complete_item_is_refused(copy):
    """Moving the due date of a done item would rewrite whether it was late: reopen it first."""
    plan = copy(BUNDLED_PLAN)
    assert run("complete", "3.2", "--on", "2020-12-01", "-e", "e.pdf", "--plan", "plan.yaml").exit_code == 0
    before = plan.read_bytes()
    result = run("revise", "3.2", "--due", "2020-01-01", "--reason", "r", "--on", "2020-12-02", "--plan", "plan.yaml")
    assert (
        1,
        "",
        "oagtrack: 3.2: action 3.2: cannot be revised on 2020-12-02: it is complete (completed 2020-12-01); "
        "reopen it before moving its due date\n",
    ) == (
        result.exit_code,
        result.stdout,
        result.stderr,
    )
    assert before == plan.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["note", "1.2", ""], "Invalid value for TEXT: must not be empty: give the note's text"),
        (["note", "1.2", "  "], "Invalid value for TEXT: must not be empty: give the note's text"),
        (
            ["reopen", "1.2", "--reason", ""],
            "Invalid value for --reason: must not be empty: give why the completion is withdrawn",
        ),
        (
            ["revise", "1.1", "--due", "2020-12-31", "--reason", ""],
            "Invalid value for --reason: must not be empty: give why the date moves",
        ),
        (
            ["revise", "1.1", "--due", "2020-12-31", "--reason", "r", "--approved-by", ""],
            "Invalid value for --approved-by: must not be empty",
        ),
        (
            ["verify", "1.2", "--by", ""],
            "Invalid value for --by: must not be empty: give who in internal audit checked the evidence",
        ),
        (["complete", "1.1", "-e", ""], "Invalid value for --evidence: must not be empty: give a link or path"),
        (["complete", "1.1", "-e", "e.pdf", "--note", ""], "Invalid value for --note: must not be empty"),
    ],
)
def test_empty_text_is_a_usage_error(copy, args, message):
    plan = copy(FIXTURES / "small.yaml")
    before = plan.read_bytes()
    result = run(*args, "--plan", "plan.yaml")
    assert (2, "") == (result.exit_code, result.stdout)
    assert message in " ".join(result.stderr.split())
    assert before == plan.read_bytes()
