"""`check` of a portfolio in a real git repository: a broken plan file is reported and hides no other file's
rewritten history, in text, JSON and GitHub's format; a plan added since the base is checked as new.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oagtrack.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio"
runner = CliRunner()
BROKEN_YAML = (
    "plans/security-2020.yaml:7:10: invalid YAML: while parsing a flow sequence: did not find expected ',' or ']'"
    " (opened at line 6, column 10)"
)
REWRITTEN = (
    "plans/grants-2019.yaml:44:19: action 1.1: history entry 2020-06-15 (completed) was edited"
    " (date: '2020-06-15' -> '2020-06-14'); history is append-only: add a new entry instead"
)


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


WHO = {"NAME": "A", "EMAIL": "a@example.org"}


def git(folder: Path, *args: str) -> None:
    who = {f"GIT_{role}_{part}": value for role in ("AUTHOR", "COMMITTER") for part, value in WHO.items()}
    env = {**who, "PATH": "/usr/bin:/bin", "HOME": str(folder)}  # no user configuration of git applies
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


@pytest.fixture
def committed(tmp_path, monkeypatch) -> Path:
    """The example portfolio committed in a new repository; cwd is the portfolio's folder."""
    monkeypatch.setenv("OAGTRACK_NO_CACHE", "1")
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "portfolio")
    shutil.copy(ROOT / "plan.yaml", tmp_path / "plan.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "portfolio")
    monkeypatch.chdir(tmp_path / "examples" / "portfolio")
    return tmp_path / "examples" / "portfolio"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def broken_and_rewritten(committed) -> Path:
    """One plan no longer YAML, another with a history entry's date changed."""
    edit(committed / "plans" / "security-2020.yaml", "  title: Internal Audit of IT", "  title: [Internal Audit of IT")
    edit(committed / "plans" / "grants-2019.yaml", "          - date: 2020-06-15\n", "          - date: 2020-06-14\n")
    return committed


def test_a_broken_plan_hides_no_other_plans_rewritten_history(broken_and_rewritten):
    result = run("check")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [BROKEN_YAML, REWRITTEN]


def test_check_json_of_a_portfolio_lists_every_problem_and_names_the_portfolio_file(broken_and_rewritten):
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["ok"], report["file"], report["against"]) == (False, "portfolio.yaml", "HEAD")
    assert [f"{p['file']}:{p['line']}:{p['col']}: {p['message']}" for p in report["problems"]] == [
        BROKEN_YAML,
        REWRITTEN,
    ]


def test_check_github_of_a_portfolio_annotates_each_file(broken_and_rewritten):
    result = run("check", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split("::")[1] for line in lines] == [
        "error file=plans/security-2020.yaml,line=7,col=10,title=oagtrack check",
        "error file=plans/grants-2019.yaml,line=44,col=19,title=oagtrack check",
    ]


def test_check_json_of_an_unchanged_portfolio_is_ok(committed):
    result = run("check", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "ok": True,
        "file": "portfolio.yaml",
        "against": "HEAD",
        "new": False,
        "problems": [],
    }


def test_a_plan_added_since_the_base_is_checked_with_the_others(committed):
    added = committed / "plans" / "new-2021.yaml"
    shutil.copy(committed / "plans" / "security-2020.yaml", added)
    edit(added, "id: ia-2020-it-security", "id: ia-2021-new")
    result = run("check")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "../../plan.yaml: ok against HEAD",
        "plans/grants-2019.yaml: ok against HEAD",
        "plans/new-2021.yaml: ok against HEAD",
        "plans/procurement-2018.yaml: ok against HEAD",
        "plans/security-2020.yaml: ok against HEAD",
    ]


def test_check_refuses_a_deleted_plan_and_no_other_deleted_file(committed):
    """A text file and a YAML file that was never a valid plan may be deleted; a plan may not."""
    top = committed.parent.parent
    (committed / "plans" / "notes.txt").write_text("notes\n", encoding="utf-8")
    (committed / "plans" / "scratch.yaml").write_text("x: [\n", encoding="utf-8")
    later = committed / "plans" / "later-2021.yaml"
    shutil.copy(committed / "plans" / "security-2020.yaml", later)
    edit(later, "id: ia-2020-it-security", "id: ia-2021-later")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "three more files")
    git(top, "rm", "-q", "examples/portfolio/plans/notes.txt", "examples/portfolio/plans/scratch.yaml", str(later))
    git(top, "commit", "-qm", "three files deleted")
    result = run("check", "--against", "HEAD~1")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "portfolio.yaml:7:5: plan plans/later-2021.yaml (audit ia-2021-later) was deleted since HEAD~1; never delete"
        " an item: keep it, and retire each milestone that no longer applies, saying why"
        " (oagtrack retire ID --reason TEXT)"
    ]


def test_check_of_a_portfolio_outside_git_says_why_for_each_plan(committed):
    shutil.rmtree(committed.parent.parent / ".git")
    result = run("check")
    assert (result.exit_code, result.stdout) == (1, "")
    errors = result.stderr.splitlines()
    assert [line.split(": ")[0] for line in errors[:4]] == [
        "../../plan.yaml",
        "plans/grants-2019.yaml",
        "plans/procurement-2018.yaml",
        "plans/security-2020.yaml",
    ]
    assert all(line.endswith(": not inside a git repository, so cannot read revision 'HEAD'") for line in errors)


def test_diff_of_a_portfolio_between_two_revisions_shows_an_added_plan_whole(committed):
    top = committed.parent.parent
    added = committed / "plans" / "new-2021.yaml"
    shutil.copy(committed / "plans" / "security-2020.yaml", added)
    edit(added, "id: ia-2020-it-security", "id: ia-2021-new")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "a new plan")
    untracked = committed / "plans" / "untracked-2022.yaml"  # in the portfolio now, in neither revision: no terms
    shutil.copy(added, untracked)
    edit(untracked, "id: ia-2021-new", "id: ia-2022-untracked")
    result = run("diff", "HEAD~1", "HEAD")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("HEAD~1:")] == [
        "HEAD~1:../../plan.yaml -> HEAD:../../plan.yaml: no changes",
        "HEAD~1:plans/grants-2019.yaml -> HEAD:plans/grants-2019.yaml: no changes",
        "HEAD~1:plans/new-2021.yaml -> HEAD:plans/new-2021.yaml: 3 changes",
        "HEAD~1:plans/procurement-2018.yaml -> HEAD:plans/procurement-2018.yaml: no changes",
        "HEAD~1:plans/security-2020.yaml -> HEAD:plans/security-2020.yaml: no changes",
    ]
    assert "recommendation 1 added" in lines and "untracked" not in result.stdout


def test_diff_of_a_portfolio_whose_file_is_broken_is_refused_with_its_problems(committed):
    (committed / "portfolio.yaml").write_text("plans: [nothing/*.yaml]\n", encoding="utf-8")
    result = run("diff")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "portfolio.yaml:1:9: 'nothing/*.yaml' matches no plan file\n"


def test_log_of_a_portfolio_item_says_which_commit_held_a_broken_plan(committed):
    top = committed.parent.parent
    security = committed / "plans" / "security-2020.yaml"
    good = security.read_bytes()
    edit(security, "  title: Internal Audit of IT", "  title: [Internal Audit of IT")
    git(top, "commit", "-qam", "broken")
    security.write_bytes(good)
    done = run("complete", "ia-2020-it-security:1.2", "--on", "2021-03-20", "-e", "https://example.org/a.pdf")
    assert done.exit_code == 0, done.output
    git(top, "commit", "-qam", "fixed and completed")
    result = run("log", "ia-2020-it-security:1.2")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == "1.2 in the git history of plans/security-2020.yaml:"
    # each commit line: sha, date, author, then what happened
    assert [line.split(" ", 5)[-1] for line in lines[1:4]] == [
        "action 1.2 added",
        "(the plan is missing or invalid in this commit)",
        "1.2 complete on 2021-03-20 (evidence: https://example.org/a.pdf)",
    ]


def test_check_against_one_file_at_a_revision_is_refused_before_comparing_any_plan(committed):
    result = run("check", "--against", "HEAD:examples/portfolio/plans/grants-2019.yaml")
    assert result.exit_code != 0
    # A problem found by comparing has a position (FILE:LINE:COL); a refusal, however worded, has none.
    assert [line for line in result.stderr.splitlines() if re.match(r"\S+:\d+:\d+: ", line)] == []
