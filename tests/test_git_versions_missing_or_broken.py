"""Versions of the plan in git that are missing, broken or a trap: each is named, and the others are still read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SMALL_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
runner = CliRunner()
IDENTITY = {
    "GIT_AUTHOR_NAME": "Ana Lead",
    "GIT_AUTHOR_EMAIL": "ana@example.org",
    "GIT_COMMITTER_NAME": "Ana Lead",
    "GIT_COMMITTER_EMAIL": "ana@example.org",
    "GIT_AUTHOR_DATE": "2021-01-20T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2021-01-20T12:00:00+00:00",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository, the current folder, with a fixed author and date so commits are the same every run."""
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "commit.gpgsign", "false")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "--short", "HEAD")


def test_a_plan_committed_as_a_symlink_loop_is_refused_not_followed_forever(repo):
    (repo / "a.yaml").symlink_to("b.yaml")
    (repo / "b.yaml").symlink_to("a.yaml")
    (repo / "plan.yaml").symlink_to("a.yaml")
    commit(repo, "A plan that is a loop of links")
    (repo / "plan.yaml").unlink()
    (repo / "plan.yaml").write_text(SMALL_PLAN)
    result = runner.invoke(app, ["check", "--against", "HEAD"])
    assert (
        1,
        "",
        "HEAD: plan.yaml: more than 8 symbolic links at this revision\n",
    ) == (
        result.exit_code,
        result.stdout,
        result.stderr,
    )


def test_a_diff_to_a_revision_that_deleted_the_plan_says_so(repo):
    (repo / "plan.yaml").write_text(SMALL_PLAN)
    commit(repo, "The plan")
    git(repo, "rm", "-q", "--cached", "plan.yaml")  # the working file stays, as the plan to find
    git(repo, "commit", "-q", "-m", "The plan deleted")
    result = runner.invoke(app, ["diff", "HEAD~1", "HEAD"])
    assert (
        1,
        "",
        "oagtrack: HEAD:plan.yaml: the plan does not exist at that revision\n",
    ) == (
        result.exit_code,
        result.stdout,
        result.stderr,
    )


def test_the_log_passes_over_a_commit_whose_plan_is_invalid_and_says_so(repo):
    (repo / "plan.yaml").write_text(SMALL_PLAN)
    first = commit(repo, "The plan")
    (repo / "plan.yaml").write_text("schema_version: 2\nrecommendations: [\n")
    broken = commit(repo, "A broken edit")
    (repo / "plan.yaml").write_text(SMALL_PLAN)
    commit(repo, "The plan repaired")
    result = runner.invoke(app, ["log", "1.1"])
    assert (0, "") == (result.exit_code, result.stderr)
    # The repaired commit changes nothing since the last valid version, so it has no line of its own.
    assert (
        "1.1 in the git history of plan.yaml:\n"
        f"  {first} 2021-01-20 Ana Lead: action 1.1 added\n"
        f"  {broken} 2021-01-20 Ana Lead: (the plan is missing or invalid in this commit)\n"
        "Recorded history of action 1.1:\n"
        "  nothing recorded; status not-started, due 2020-09-30\n"
    ) == result.stdout


def test_a_diff_against_an_invalid_working_file_lists_its_problems(repo):
    (repo / "plan.yaml").write_text(SMALL_PLAN)
    commit(repo, "The plan")
    (repo / "plan.yaml").write_text("schema_version: 2\n")
    result = runner.invoke(app, ["diff"])
    assert (
        1,
        "",
        "plan.yaml:1:1: plan: missing required key 'audit'\n"
        "plan.yaml:1:1: plan: missing required key 'people'\n"
        "plan.yaml:1:1: plan: missing required key 'recommendations'\n",
    ) == (result.exit_code, result.stdout, result.stderr)
