"""End to end through the CLI in a real, temporary git repository: diff, check, log, --plan-at, init, schema."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.json_schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "invalid"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PLAN_BEFORE = """\
schema_version: 2
audit:
  id: review-audit
  title: Review audit
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
        text: First action.
        due: 2020-09-30
        status: not-started
      - id: "1.2"
        text: Second action.
        due: 2021-01-31
        status: in-progress
        history:
          - date: 2020-10-01
            event: started
      - id: "1.3"
        text: Third action.
        due: 2021-01-15
        status: not-started
"""

# What `oagtrack complete 1.1` and `oagtrack revise 1.2` mean, written by hand (evidence as a flow list, unlike the
# command).
PLAN_AFTER = PLAN_BEFORE.replace(
    """        due: 2020-09-30
        status: not-started
""",
    """        due: 2020-09-30
        status: complete
        history:
          - date: 2020-09-28
            event: completed
            evidence: [https://example.org/evidence/1.1]
""",
).replace(
    """        due: 2021-01-31
        status: in-progress
        history:
          - date: 2020-10-01
            event: started
""",
    """        due: 2021-03-31
        status: in-progress
        history:
          - date: 2020-10-01
            event: started
          - date: 2021-01-20
            event: revised
            from: 2021-01-31
            to: 2021-03-31
            reason: waiting on partner data
            approved_by: Ana Lead
""",
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding plan.yaml at two commits: the plan as agreed (tagged q3-report), then `complete 1.1` and
    `revise 1.2`."""
    for name, value in {
        "GIT_AUTHOR_NAME": "Ana Lead",
        "GIT_AUTHOR_EMAIL": "ana@example.org",
        "GIT_COMMITTER_NAME": "Ana Lead",
        "GIT_COMMITTER_EMAIL": "ana@example.org",
        "GIT_AUTHOR_DATE": "2021-01-20T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2021-01-20T12:00:00+00:00",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    (tmp_path / "plan.yaml").write_text(PLAN_BEFORE, encoding="utf-8")
    git(tmp_path, "add", "plan.yaml")
    git(tmp_path, "commit", "-q", "-m", "The plan as agreed")
    git(tmp_path, "tag", "q3-report")
    completed = run("complete", "1.1", "--on", "2020-09-28", "--evidence", "https://example.org/evidence/1.1")
    revised = run(
        "revise",
        "1.2",
        "--due",
        "2021-03-31",
        "--reason",
        "waiting on partner data",
        "--approved-by",
        "Ana Lead",
        "--on",
        "2021-01-20",
    )
    assert (completed.exit_code, revised.exit_code) == (0, 0), completed.output + revised.output
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2021-01-21T12:00:00+00:00")
    git(tmp_path, "commit", "-q", "-am", "1.1 complete, 1.2 revised")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def edit(repo: Path, old: str, new: str) -> None:
    plan = repo / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) == 1
    plan.write_text(text.replace(old, new), encoding="utf-8")


def line_of(repo: Path, fragment: str) -> int:
    lines = (repo / "plan.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


# -- diff --------------------------------------------------------------------------
def test_diff_names_exactly_the_completion_and_the_revision(repo: Path) -> None:
    """diff HEAD~1 HEAD says what the commit did, in the plan's terms, and nothing else."""
    result = run("diff", "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "HEAD~1:plan.yaml -> HEAD:plan.yaml: 2 changes\n"
        "1.1 complete on 2020-09-28 (evidence: https://example.org/evidence/1.1)\n"
        "1.2 revised on 2021-01-20: due 2021-01-31 -> 2021-03-31 (+59 days): waiting on partner data (approved by Ana"
        " Lead)\n"
    )


def test_commands_and_a_hand_edit_mean_the_same(repo: Path) -> None:
    """The committed result of complete and revise differs from the hand-written version in layout only."""
    (repo / "by-hand.yaml").write_text(PLAN_AFTER, encoding="utf-8")
    result = run("diff", "--old-file", "by-hand.yaml", "HEAD")
    assert result.exit_code == 0, result.output
    assert result.output == "by-hand.yaml -> HEAD:plan.yaml: no changes\n"


def test_diff_defaults_to_head_against_the_working_file(repo: Path) -> None:
    """With no arguments, diff compares HEAD with the file as it is now."""
    edit(repo, "        text: Third action.\n", "        text: Third action, done in full.\n")
    result = run("diff")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "HEAD:plan.yaml -> plan.yaml (working file): 1 change\ntext of 1.3 changed\n    Third [-action.-] {+action,"
        " done in full.+}\n"
    )


def test_diff_reads_a_file_named_by_option_and_rev_colon_path(repo: Path) -> None:
    """--old-file names a file; NEW is a REV:path spec."""
    (repo / "old.yaml").write_text(PLAN_BEFORE, encoding="utf-8")
    result = run("diff", "--old-file", "old.yaml", "HEAD:plan.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "old.yaml -> HEAD:plan.yaml: 2 changes"


def test_diff_of_two_files_needs_no_plan_and_no_git(outside_git: Path) -> None:
    """--old-file and --new-file compare two files anywhere; no plan.yaml is looked for."""
    (outside_git / "after.yaml").write_text(PLAN_AFTER, encoding="utf-8")
    result = run("diff", "--old-file", "border.plan.yaml", "--new-file", "after.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "border.plan.yaml -> after.yaml: 2 changes"


def test_check_against_a_file_named_by_option(repo: Path) -> None:
    """--against-file reads the base from a file; JSON says it was a file, not a revision."""
    (repo / "base.yaml").write_text(
        PLAN_AFTER.replace("reason: waiting on partner data", "reason: partner late"), encoding="utf-8"
    )
    line = line_of(repo, "reason: waiting on partner data")
    result = run("check", "--against-file", "base.yaml", "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert (document["against_file"], "against" in document, [(p["line"], p["col"]) for p in document["problems"]]) == (
        "base.yaml",
        False,
        [(line, 21)],
    )


def test_diff_markdown_is_a_pull_request_comment(repo: Path) -> None:
    """--format markdown gives a heading and one bullet per change, with plan text escaped."""
    result = run("diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "### Plan changes: HEAD~1:plan.yaml → HEAD:plan.yaml\n".replace("~", "\\~") + "\n2 changes:\n\n"
        "- 1.1 complete on 2020-09-28 (evidence: https://example.org/evidence/1.1)\n"
        "- 1.2 revised on 2021-01-20: due 2021-01-31 -&gt; 2021-03-31 (+59 days): waiting on partner data (approved by"
        " Ana Lead)\n"
    )


def test_diff_of_an_unknown_revision_is_one_clear_line(repo: Path) -> None:
    """A revision git does not know is exit 1 and one line, not a traceback."""
    result = run("diff", "no-such-branch")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "no-such-branch" in result.output


# -- check --------------------------------------------------------------------------
def test_check_passes_when_a_note_is_added(repo: Path) -> None:
    """Appending a note is what history is for."""
    edit(
        repo,
        "            approved_by: Ana Lead\n",
        "            approved_by: Ana Lead\n          - date: 2021-01-22\n            event: note\n            text:"
        " Partner data expected in March.\n",
    )
    result = run("check", "--against", "HEAD")
    assert result.exit_code == 0, result.output
    assert result.output == "plan.yaml: ok against HEAD\n"


def test_check_refuses_an_edited_revision_reason_at_its_line(repo: Path) -> None:
    """Editing a recorded reason by hand fails with the line and column of that edit."""
    edit(repo, "reason: waiting on partner data", "reason: the partner was late")
    line = line_of(repo, "reason: the partner was late")
    result = run("check", "--against", "HEAD")
    assert result.exit_code == 1
    assert result.output == (
        f"plan.yaml:{line}:21: action 1.2: history entry 2021-01-20 (revised) was edited "
        "(reason: 'waiting on partner data' -> 'the partner was late'); history is append-only: add a new entry"
        " instead\n"
    )


def test_an_edited_completion_date_is_named_by_diff_and_refused_by_check(repo: Path) -> None:
    """A completion is a history entry: moving its date by hand is an edit that diff names and check refuses at that
    date."""
    edit(repo, "          - date: 2020-09-28\n", "          - date: 2020-09-29\n")
    line = line_of(repo, "date: 2020-09-29")
    diffed = run("diff")
    assert diffed.exit_code == 0, diffed.output
    assert diffed.output == (
        "HEAD:plan.yaml -> plan.yaml (working file): 1 change\n1.1 completion date changed from 2020-09-28 to"
        " 2020-09-29\n"
    )
    checked = run("check", "--against", "HEAD")
    assert checked.exit_code == 1
    assert checked.output == (
        f"plan.yaml:{line}:19: action 1.1: history entry 2020-09-28 (completed) was edited (date: '2020-09-28' ->"
        " '2020-09-29'); history is append-only: add a new entry instead\n"
    )


def test_check_refuses_a_deleted_action(repo: Path) -> None:
    """Deleting an action fails, pointing at its recommendation."""
    edit(
        repo,
        '      - id: "1.3"\n        text: Third action.\n        due: 2021-01-15\n        status: not-started\n',
        "",
    )
    result = run("check", "--against", "HEAD")
    assert result.exit_code == 1
    assert result.output == (
        "plan.yaml:10:5: action 1.3 was deleted; never delete an item: keep it, and retire each milestone that no"
        " longer applies, saying why (oagtrack retire ID --reason TEXT)\n"
    )


def test_check_refuses_a_due_date_moved_without_a_revision(repo: Path) -> None:
    """Moving a due date by hand, with no revision entry, fails at the due date."""
    edit(repo, "        due: 2021-01-15\n", "        due: 2021-02-15\n")
    line = line_of(repo, "due: 2021-02-15")
    result = run("check", "--against", "HEAD")
    assert result.exit_code == 1
    assert result.output == (
        f"plan.yaml:{line}:14: action 1.3: due date changed from 2021-01-15 to 2021-02-15 without a revision entry;"
        " record it with oagtrack revise 1.3\n"
    )


def test_check_refuses_a_completion_without_evidence_in_github_format(repo: Path) -> None:
    """A new completion needs evidence; --format github prints a workflow command at its history entry."""
    edit(
        repo,
        "        due: 2021-01-15\n        status: not-started\n",
        "        due: 2021-01-15\n        status: complete\n        history:\n          - date: 2021-01-14\n          "
        "  event: completed\n",
    )
    line = line_of(repo, "date: 2021-01-14")
    result = run("check", "--against", "HEAD~1", "--format", "github")
    assert result.exit_code == 1
    assert result.output == (
        f"::error file=plan.yaml,line={line},col=13,title=oagtrack check::"
        "action 1.3: a completion needs evidence: at least one link or path "
        "(--evidence on the command line, evidence: in its history entry)\n"
    )


def test_check_json_lists_problems(repo: Path) -> None:
    """--format json is one document with every problem and its position."""
    edit(repo, "        due: 2021-01-15\n", "        due: 2021-02-15\n")
    result = run("check", "--against", "HEAD", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert (document["ok"], document["against"], [(p["line"], p["col"]) for p in document["problems"]]) == (
        False,
        "HEAD",
        [(line_of(repo, "due: 2021-02-15"), 14)],
    )


def test_check_auto_picks_github_inside_actions(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--format auto prints workflow commands when GITHUB_ACTIONS=true."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    edit(repo, "        due: 2021-01-15\n", "        due: 2021-02-15\n")
    result = run("check", "--against", "HEAD", "--format", "auto")
    assert result.exit_code == 1
    assert result.output.startswith("::error file=plan.yaml,line=")


def test_check_and_diff_of_a_plan_new_since_the_base(repo: Path) -> None:
    """A plan added by the change has nothing to break: check passes, diff lists everything as added."""
    (repo / "new.plan.yaml").write_text(PLAN_BEFORE, encoding="utf-8")
    checked = run("check", "--against", "HEAD", "--plan", "new.plan.yaml")
    assert checked.exit_code == 0, checked.output
    assert (
        checked.output
        == "new.plan.yaml: ok; the plan is new since HEAD, so there is no earlier version to check against\n"
    )
    diffed = run("diff", "--plan", "new.plan.yaml")
    assert diffed.exit_code == 0, diffed.output
    assert (
        diffed.output == "HEAD:new.plan.yaml -> new.plan.yaml (working file): 2 changes\n"
        "person ana added: Ana Lead\nrecommendation 1 added\n"
    )


def test_check_against_an_unknown_revision_fails(repo: Path) -> None:
    """A typo in the base is an error, never mistaken for a new plan."""
    result = run("check", "--against", "no-such-branch")
    assert result.exit_code == 1
    assert result.output == "no-such-branch: no such revision in this git repository\n"


# -- log, --plan-at ---------------------------------------------------------------------
def test_log_shows_commits_and_recorded_history(repo: Path) -> None:
    """log ID lists each commit that changed the item, then its own recorded history."""
    result = run("log", "1.2")
    assert result.exit_code == 0, result.output
    commits = git(repo, "log", "--format=%h").split()
    assert result.output == (
        "1.2 in the git history of plan.yaml:\n"
        f"  {commits[1]} 2021-01-20 Ana Lead: action 1.2 added\n"
        f"  {commits[0]} 2021-01-21 Ana Lead: 1.2 revised on 2021-01-20: due 2021-01-31 -> 2021-03-31 (+59 days): "
        "waiting on partner data (approved by Ana Lead)\n"
        "Recorded history of action 1.2:\n"
        "  2020-10-01  started\n"
        "  2021-01-20  revised: due 2021-01-31 -> 2021-03-31 (+59 days): waiting on partner data (approved by Ana"
        " Lead)\n"
    )


def test_log_includes_uncommitted_changes(repo: Path) -> None:
    """Changes in the working file not yet committed are listed last."""
    edit(repo, "        text: Third action.\n", "        text: Third action, in full.\n")
    result = run("log", "1.3")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2] == "  uncommitted: text of 1.3 changed"


def test_log_of_an_unknown_item_fails(repo: Path) -> None:
    result = run("log", "9.9")
    assert result.exit_code == 1
    assert "no item '9.9'" in result.output


def test_overdue_plan_at_answers_from_the_tagged_version(repo: Path) -> None:
    """On 2021-01-31 the tagged plan had 1.1 open and overdue; the current one has it complete."""
    tagged = run("overdue", "--as-of", "2021-01-31", "--plan-at", "q3-report", "--format", "json")
    current = run("overdue", "--as-of", "2021-01-31", "--format", "json")
    assert (tagged.exit_code, current.exit_code) == (0, 0), tagged.output + current.output
    assert sorted(row["id"] for row in json.loads(tagged.output)) == ["1.1", "1.3"]
    assert sorted(row["id"] for row in json.loads(current.output)) == ["1.3"]


# -- validate --format ---------------------------------------------------------------------
def test_validate_github_prints_one_error_per_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every problem is one ::error line with its line and column; % in plan text is escaped."""
    monkeypatch.chdir(ROOT)
    result = run("validate", "tests/fixtures/invalid/several-problems.yaml", "--format", "github")
    assert result.exit_code == 1
    where = "::error file=tests/fixtures/invalid/several-problems.yaml"
    assert result.output.splitlines() == [
        f"{where},line=12,col=14,title=oagtrack::recommendation 1 bullets: expected a list, found 'none'",
        f"{where},line=25,col=17,title=oagtrack::action 1.1 status: 'done' is not one of: not-started, in-progress,"
        " complete, verified, reopened, retired",
        f"{where},line=26,col=9,title=oagtrack::action 1.1: unknown key 'own%25er'; allowed: id, label, text, due,"
        " leads, status, history, steps",
        f"{where},line=29,col=14,title=oagtrack::action 1.2 due: expected a date as YYYY-MM-DD, found '31/03/2021'",
    ]


def test_validate_json_and_text_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    """json lists the same problems as text, with positions."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    text = run("validate", "tests/fixtures/invalid/several-problems.yaml", "--format", "auto")
    as_json = run("validate", "tests/fixtures/invalid/several-problems.yaml", "--format", "json")
    assert (text.exit_code, as_json.exit_code) == (1, 1)
    problems = json.loads(as_json.output)["problems"]
    assert [f"{p['file']}:{p['line']}:{p['col']}: {p['message']}" for p in problems] == text.output.splitlines()


def test_validate_json_on_a_valid_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("validate", "plan.yaml", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "ok": True,
        "files": [{"file": "plan.yaml", "recommendations": 3, "actions": 11, "milestones": 15}],
        "problems": [],
    }


def test_validate_checks_every_file_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """validate A B (as pre-commit calls it) reports each file and fails if any is invalid."""
    monkeypatch.chdir(ROOT)
    result = run("validate", "plan.yaml", "tests/fixtures/invalid/bad-id.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "plan.yaml: ok (3 recommendations, 11 actions, 15 milestones)",
        "tests/fixtures/invalid/bad-id.yaml:39:13: action: id '1 3' must start with a letter or digit and hold only"
        " letters, digits and . _ - /",
    ]


# -- schema, init -------------------------------------------------------------------------------
def test_committed_schema_is_what_the_command_prints() -> None:
    """plan.schema.json at the repository root is up to date (regenerate: oagtrack schema > plan.schema.json)."""
    result = run("schema")
    assert result.exit_code == 0
    assert (ROOT / "plan.schema.json").read_text(encoding="utf-8") == result.output == schema_text()


def test_bundled_plan_names_its_schema() -> None:
    first_line = (ROOT / "plan.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=plan.schema.json"


def test_init_writes_a_valid_plan_and_never_overwrites(tmp_path: Path) -> None:
    """init writes a plan that validates; a second init on the same file exits 1 and leaves it alone."""
    target = tmp_path / "border.plan.yaml"
    first = run("init", "--audit", 'Border "Security": #1', "-o", str(target))
    assert first.exit_code == 0, first.output
    assert run("validate", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert '  title: "Border \\"Security\\": #1"\n' in text
    second = run("init", "-o", str(target))
    assert second.exit_code == 1
    assert "already exists" in second.output
    assert target.read_text(encoding="utf-8") == text


# -- pre-commit hook --------------------------------------------------------------------------------
HOOK_FILES = re.compile(yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]["files"])


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("plan.yaml", True),
        ("audits/2021/border.plan.yaml", True),
        ("x.plan.yaml", True),
        ("myplan.yaml", False),
        ("plan.yaml.bak", False),
        ("plan.yml", False),
    ],
)
def test_hook_runs_on_plan_files_only(path: str, matches: bool) -> None:
    assert matches == bool(HOOK_FILES.search(path))


def test_workflow_example_validates_checks_and_summarises() -> None:
    """examples/github-workflow.yml installs oagtrack before checking out the pull request, validates and checks against
    the base commit by id, and writes the diff to the summary."""
    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["plan"]["steps"]
    runs = [step.get("run", "").strip() for step in steps]
    assert workflow["jobs"]["plan"]["env"] == {"BASE": "${{ github.event.pull_request.base.sha }}"}
    assert [
        "pip install oagtrack",
        "oagtrack validate --format github",
        'oagtrack check --against "$BASE" --format github',
        'oagtrack diff "$BASE" --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ] == [run for run in runs if run]
    checkout = next(index for index, step in enumerate(steps) if step.get("uses", "").startswith("actions/checkout@"))
    assert (runs.index("pip install oagtrack") < checkout, steps[checkout]["with"]) == (
        True,
        {"fetch-depth": 0, "persist-credentials": False},
    )


@pytest.mark.network
def test_pre_commit_try_repo_passes_on_the_bundled_plan(tmp_path: Path) -> None:
    """`pre-commit try-repo <this repo> oagtrack-validate --files plan.yaml` installs the hook and passes."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed")
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(ROOT / "plan.yaml", work / "plan.yaml")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    env.update(
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", "init", "-q"], cwd=work, check=True, env=env)
    subprocess.run(["git", "add", "plan.yaml"], cwd=work, check=True, env=env)
    done = subprocess.run(
        [pre_commit, "try-repo", str(ROOT), "oagtrack-validate", "--files", "plan.yaml"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0 and "An error has occurred" in output:
        pytest.skip(
            f"pre-commit could not build the hook's environment (no network?): {output.strip().splitlines()[-1]}"
        )
    assert done.returncode == 0, output
    assert re.search(r"^oagtrack validate\.+Passed$", output, re.M), output


# -- git errors are one clean line (issue 5) -----------------------------------------
@pytest.fixture
def outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that is not in any git repository, holding border.plan.yaml."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "border.plan.yaml").write_text(PLAN_BEFORE, encoding="utf-8")
    return tmp_path


def test_log_outside_git_is_one_clean_line(outside_git: Path) -> None:
    result = run("log", "1.1", "--plan", "border.plan.yaml")
    assert (1, "border.plan.yaml: not inside a git repository, so it has no git history\n") == (
        result.exit_code,
        result.output,
    )


def test_diff_outside_git_without_revisions_says_to_name_two_files(outside_git: Path) -> None:
    """The user gave no revision, so the answer does not talk about --plan-at."""
    result = run("diff", "--plan", "border.plan.yaml")
    expected = (
        "border.plan.yaml: not inside a git repository, so there is no committed version to compare with;"
        " compare two files: oagtrack diff --old-file OLD.yaml --new-file NEW.yaml\n"
    )
    assert (1, expected) == (result.exit_code, result.output)


def test_plan_at_outside_git_names_the_revision(outside_git: Path) -> None:
    result = run("overdue", "--plan", "border.plan.yaml", "--plan-at", "HEAD")
    assert (1, "border.plan.yaml: not inside a git repository, so cannot read revision 'HEAD'\n") == (
        result.exit_code,
        result.output,
    )


def test_plan_at_an_unknown_revision_is_the_same_line_as_diff(repo: Path) -> None:
    """No `git show ...: fatal:` leaks out; the same words as `diff nosuchrev`."""
    overdue = run("overdue", "--as-of", "2021-01-31", "--plan-at", "nosuchrev")
    diff = run("diff", "nosuchrev")
    assert (1, "nosuchrev: no such revision in this git repository\n") == (overdue.exit_code, overdue.output)
    assert (1, overdue.output) == (diff.exit_code, diff.output)


def test_plan_at_a_missing_path_says_the_file_is_not_there(repo: Path) -> None:
    result = run("overdue", "--as-of", "2021-01-31", "--plan-at", "HEAD:other.yaml")
    assert (1, "HEAD:other.yaml: other.yaml does not exist at this revision\n") == (result.exit_code, result.output)


def test_log_names_a_labelled_step_by_id(repo: Path) -> None:
    """`step 1.3.a [printed a.] added`, never a bare `a.` (issue 4)."""
    edit(
        repo,
        "        text: Third action.\n",
        '        text: Third action.\n        steps:\n          - id: "1.3.a"\n            label: "a."\n           '
        " text: Step one.\n            due: 2021-01-10\n",
    )
    edit(repo, "        due: 2021-01-15\n        status: not-started\n", "")
    git(repo, "commit", "-q", "-am", "steps")
    result = run("log", "1.3.a")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].endswith("Ana Lead: step 1.3.a [printed a.] added")
    assert "Recorded history of step 1.3.a [printed a.]:" == lines[2]


def test_init_takes_the_year_the_audit_title_names() -> None:
    """A "2021 Report" skeleton says 2021, not the year it was written; with no year named, the year written."""
    from datetime import date

    from oagtrack.core.skeleton import skeleton

    text = skeleton("2021 Report 5: Border Security", date(2026, 11, 27))
    assert ("  id: oag-2021-report-5-border-security" in text, '  year: "2021"' in text) == (True, True)
    text = skeleton("Border Security", date(2026, 11, 27))
    assert ("  id: oag-2026-border-security" in text, '  year: "2026"' in text) == (True, True)
