"""A git revision is only ever a revision, and a file name given to git only ever that file (issue 11, class 1).

Real temporary git repositories hold hostile files, refs and names: a decoy
file at the path of every revision every revision-taking option is given, a
tag that shadows origin/main, plans named `[p]lan.yaml` or `:(glob)*.yaml`,
revisions that look like options, a plan turned into a symbolic link, and
the shipped CI workflow run against a pull request that does all of these.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.testing
import yaml
from conftest import ROOT, SMALL_PLAN
from typer.main import get_command
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core import gitio
from oagtrack.core.problems import PlanError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE_PLAN = SMALL_PLAN
# The pull request moves a due date with no revision entry: history rewritten, which check must refuse.
PULL_REQUEST_PLAN = SMALL_PLAN.replace("        due: 2021-01-31\n", "        due: 2021-02-28\n")
REFUSAL = (
    "plan.yaml:31:14: action 1.2: due date changed from 2021-01-31 to 2021-02-28 without a revision entry; "
    "record it with oagtrack revise 1.2\n"
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--literal-pathspecs", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(autouse=True, scope="module")
def _command_tree_built_once():
    """Typer's runner rebuilds the command tree on every run, half of each run's time here; these tests run the
    CLI about a hundred times.

    Only a speed-up: should Typer rename its helper, the patch sets an unused name and the tests still run.
    """
    built = get_command(app)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            typer.testing,
            "_get_command",
            lambda typer_app: built if typer_app is app else get_command(typer_app),
            raising=False,
        )
        yield


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def write(repo: Path, name: str, text: str) -> None:
    target = repo / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


GIT_ENVIRONMENT = {
    "GIT_AUTHOR_NAME": "Ana Lead",
    "GIT_AUTHOR_EMAIL": "ana@example.org",
    "GIT_COMMITTER_NAME": "Ana Lead",
    "GIT_COMMITTER_EMAIL": "ana@example.org",
    "GIT_AUTHOR_DATE": "2021-01-20T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2021-01-20T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base plan on main (tagged q3-report, and as refs/remotes/origin/main);
    branch pr moves 1.2's due date, and is checked out."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in GIT_ENVIRONMENT.items():
            patch.setenv(name, value)
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            patch.delenv(name, raising=False)
        folder = tmp_path_factory.mktemp("template") / "repo"
        folder.mkdir()
        git(folder, "init", "-q", "--initial-branch=main", "--template=")
        write(folder, "plan.yaml", BASE_PLAN)
        git(folder, "add", "plan.yaml")
        git(folder, "commit", "-q", "-m", "The plan as agreed")
        git(folder, "tag", "q3-report")
        git(folder, "update-ref", "refs/remotes/origin/main", "HEAD")
        git(folder, "switch", "-q", "-c", "pr")
        write(folder, "plan.yaml", PULL_REQUEST_PLAN)
        git(folder, "commit", "-q", "-am", "Move 1.2")
        git(folder, "gc", "-q", "--prune=now")  # fewer files for each test to copy
    return folder


@pytest.fixture
def repo(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the template repository, as the current folder."""
    for name, value in GIT_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    for name in ("OAGTRACK_PLAN", "GITHUB_ACTIONS", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "repo"
    shutil.copytree(template, folder, symlinks=True)
    monkeypatch.chdir(folder)
    return folder


# -- every revision-taking option, against a decoy file of the same name ---------------------------
# Each names the base commit: a remote branch (the CI case), a commit id, a relative
# revision, REV:path. The decoy at its path holds the pull request's plan, so reading
# the decoy would compare the pull request with itself and find nothing wrong.
REVISIONS = ["origin/main", "BASE-COMMIT-ID", "HEAD~1", "main:plan.yaml"]


def _overdue_ids(result) -> list[str]:
    return sorted(row["id"] for row in json.loads(result.output)) if result.exit_code == 0 else []


# option -> (arguments given the revision, what shows the base commit was read)
USES = {
    "check --against": (
        lambda rev: ["check", "--against", rev],
        lambda result: (result.exit_code, result.output) == (1, REFUSAL),
    ),
    "diff OLD": (
        lambda rev: ["diff", rev],
        lambda result: result.output.endswith(
            ": 1 change\n1.2 due 2021-01-31 -> 2021-02-28 (+28 days) without a revision entry\n"
        ),
    ),
    "diff OLD NEW": (
        lambda rev: ["diff", rev, "HEAD"],
        lambda result: result.output.endswith(
            ": 1 change\n1.2 due 2021-01-31 -> 2021-02-28 (+28 days) without a revision entry\n"
        ),
    ),
    "diff NEW": (
        lambda rev: ["diff", "HEAD", rev],
        lambda result: result.output.endswith(
            ": 1 change\n1.2 due 2021-02-28 -> 2021-01-31 (-28 days) without a revision entry\n"
        ),
    ),
    "diff --old-file F NEW": (
        lambda rev: ["diff", "--old-file", "pr.yaml", rev],
        lambda result: result.output.endswith(
            ": 1 change\n1.2 due 2021-02-28 -> 2021-01-31 (-28 days) without a revision entry\n"
        ),
    ),
    "--plan-at": (
        lambda rev: ["overdue", "--as-of", "2021-02-15", "--plan-at", rev, "--format", "json"],
        lambda result: _overdue_ids(result) == ["1.1", "1.2", "1.3.a"],
    ),
}


@pytest.mark.parametrize("use", list(USES))
def test_a_file_named_like_the_revision_is_never_read(repo: Path, use: str) -> None:
    """With a decoy file at the path of each revision, every answer is still the base commit's."""
    base_commit = git(repo, "rev-parse", "main")
    revisions = [revision.replace("BASE-COMMIT-ID", base_commit) for revision in REVISIONS]
    write(repo, "pr.yaml", PULL_REQUEST_PLAN)
    for revision in revisions:
        write(repo, revision, PULL_REQUEST_PLAN)
    arguments, reads_the_base = USES[use]
    for revision in revisions:
        result = run(*arguments(revision))
        assert reads_the_base(result), (revision, result.output)


def test_the_decoy_would_pass_the_check_if_it_were_read(repo: Path) -> None:
    """What the decoys hide: read as the base, the pull request's plan passes."""
    write(repo, "origin/main", PULL_REQUEST_PLAN)
    result = run("check", "--against-file", "origin/main")
    assert (result.exit_code, result.output) == (0, "plan.yaml: ok against origin/main\n")


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["check", "--against", "base.yaml"], "--against-file"),
        (["diff", "base.yaml"], "--old-file"),
        (["diff", "HEAD", "base.yaml"], "--new-file"),
    ],
)
def test_a_file_given_where_a_revision_belongs_is_refused_with_the_option_that_reads_it(
    repo: Path, arguments: list[str], option: str
) -> None:
    """A name that is a file but no revision is exit 1, one line naming the option for files; the file is not read."""
    write(repo, "base.yaml", BASE_PLAN)
    result = run(*arguments)
    assert (result.exit_code, result.output) == (
        1,
        f"base.yaml: no such revision in this git repository; to compare the file base.yaml, use {option} base.yaml\n",
    )


def test_plan_at_a_file_name_is_an_unknown_revision(repo: Path) -> None:
    write(repo, "base.yaml", BASE_PLAN)
    result = run("overdue", "--plan-at", "base.yaml")
    assert (result.exit_code, result.output) == (1, "base.yaml: no such revision in this git repository\n")


def test_file_options_read_the_file_even_where_a_revision_has_its_name(repo: Path) -> None:
    """--against-file main reads the file main, not the branch: each option is one kind of thing."""
    write(repo, "main", PULL_REQUEST_PLAN)
    checked = run("check", "--against-file", "main")
    assert (checked.exit_code, checked.output) == (0, "plan.yaml: ok against main\n")
    diffed = run("diff", "--old-file", "main", "--new-file", "plan.yaml")
    assert (diffed.exit_code, diffed.output) == (0, "main -> plan.yaml: no changes\n")


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (
            ["check", "--against", "main", "--against-file", "base.yaml"],
            "Invalid value for --against-file: give --against REV or --against-file FILE, not both",
        ),
        (
            ["diff", "main", "--old-file", "base.yaml", "--new-file", "base.yaml"],
            "Invalid value for [OLD] [NEW]: --old-file and --new-file name both versions: give no revision as well",
        ),
        (
            ["diff", "main", "HEAD", "--old-file", "base.yaml"],
            "Invalid value for [OLD] [NEW]: --old-file names the earlier version: give at most one revision, NEW",
        ),
        (
            ["diff", "main", "HEAD", "--new-file", "base.yaml"],
            "Invalid value for [OLD] [NEW]: --new-file names the later version: give at most one revision, OLD",
        ),
    ],
)
def test_a_version_named_twice_is_a_usage_error(repo: Path, arguments: list[str], error: str) -> None:
    """Exit 2 and the usage line: one side cannot be both a revision and a file."""
    write(repo, "base.yaml", BASE_PLAN)
    result = run(*arguments)
    assert (result.exit_code, result.output.splitlines()[-1]) == (2, f"Error: {error}")


def test_json_says_whether_the_base_was_a_revision_or_a_file(repo: Path) -> None:
    write(repo, "base.yaml", PULL_REQUEST_PLAN)
    from_file = json.loads(run("check", "--against-file", "base.yaml", "--format", "json").output)
    from_git = json.loads(run("check", "--against", "HEAD", "--format", "json").output)
    assert (
        {k: v for k, v in from_file.items() if k.startswith("against")},
        {k: v for k, v in from_git.items() if k.startswith("against")},
    ) == (
        {"against_file": "base.yaml"},
        {"against": "HEAD"},
    )


# -- refs that shadow one another --------------------------------------------------------------------
def test_a_tag_shadowing_origin_main_is_refused_not_followed(repo: Path) -> None:
    """A pushed tag origin/main (git prefers it to the remote branch)
    makes the name ambiguous: refused, even with git's warning turned off."""
    git(repo, "config", "core.warnAmbiguousRefs", "false")
    git(repo, "tag", "origin/main", "pr")
    write(repo, "origin/main", PULL_REQUEST_PLAN)
    ambiguous = (
        "origin/main: ambiguous: more than one ref has this name (a branch and a tag, say); "
        "name it in full, such as refs/remotes/origin/main or refs/tags/v1, or give the commit id\n"
    )
    for arguments in (
        ["check", "--against", "origin/main"],
        ["diff", "origin/main"],
        ["overdue", "--plan-at", "origin/main"],
    ):
        result = run(*arguments)
        assert (result.exit_code, result.output) == (1, ambiguous), arguments
    in_full = run("check", "--against", "refs/remotes/origin/main")
    assert (in_full.exit_code, in_full.output) == (1, REFUSAL)


# -- revisions that look like options ----------------------------------------------------------------
OPTION_LIKE = ["-p", "--output=x", "-"]


@pytest.mark.parametrize(
    ("arguments", "suffix"),
    [
        (lambda rev: ["check", f"--against={rev}"], ""),
        (lambda rev: ["diff", "--", rev], ""),
        (lambda rev: ["diff", "HEAD", "--", rev], ""),
        (lambda rev: ["overdue", f"--plan-at={rev}"], ""),
        (lambda rev: ["check", f"--against={rev}:plan.yaml"], ":plan.yaml"),
    ],
    ids=["check --against", "diff OLD", "diff NEW", "--plan-at", "REV:path"],
)
def test_a_revision_that_looks_like_an_option_never_reaches_git_as_one(repo: Path, arguments, suffix: str) -> None:
    """Refused with one line, exit 1; git's --output=x would have written the file x."""
    for revision in OPTION_LIKE:
        result = run(*arguments(revision))
        refusal = (
            f"{revision}{suffix}: a revision cannot start with '-' "
            "(a ref named so can be given in full, such as refs/heads/-x)\n"
        )
        assert (result.exit_code, result.output) == (1, refusal)
    assert sorted(path.name for path in repo.iterdir()) == [".git", "plan.yaml"]


def test_a_ref_that_starts_with_a_dash_can_be_named_in_full(repo: Path) -> None:
    git(repo, "update-ref", "refs/heads/-p", "main")
    result = run("check", "--against", "refs/heads/-p")
    assert (result.exit_code, result.output) == (1, REFUSAL)


NO_COMMIT = [
    ("", "'': a revision cannot be empty: name a branch, tag or commit (HEAD, main, origin/main)"),
    (
        ":plan.yaml",
        ":plan.yaml: name a commit before ':', such as HEAD:plan.yaml (':' alone would read git's index, not a commit)",
    ),
    (
        ":/Move",
        ":/Move: name a commit before ':', such as HEAD:plan.yaml (':' alone would read git's index, not a commit)",
    ),
    ("main:", "main:: name a file after ':', such as HEAD:plan.yaml"),
    ("main:../plan.yaml", "main:../plan.yaml: ../plan.yaml is not a file inside this git repository"),
    ("main:other.yaml", "main:other.yaml: other.yaml does not exist at this revision"),
    ("no-such-branch", "no-such-branch: no such revision in this git repository"),
]


@pytest.mark.parametrize(("revision", "message"), NO_COMMIT, ids=[revision or "empty" for revision, _ in NO_COMMIT])
def test_a_revision_that_names_no_plan_is_one_clear_line(repo: Path, revision: str, message: str) -> None:
    """Empty, index-relative, unknown, or naming a missing file: exit 1
    with one line, never the working file and never "the plan is new"."""
    for command in (["check", "--against"], ["diff"], ["diff", "HEAD"], ["overdue", "--plan-at"]):
        result = run(*command, revision)
        assert (result.exit_code, result.output) == (1, message + "\n"), command


def test_an_empty_revision_is_refused_by_the_reader_plan_at_uses() -> None:
    """`--plan-at ""` reaches gitio (shared.load tests `plan_at is not None`), and the reader refuses it."""
    with pytest.raises(PlanError) as raised:
        gitio.read_revision(Path("plan.yaml"), "")
    assert [str(problem) for problem in raised.value.problems] == [
        "'': a revision cannot be empty: name a branch, tag or commit (HEAD, main, origin/main)"
    ]


def test_rev_colon_path_splits_at_the_first_colon_outside_braces() -> None:
    """As git does: a reflog time may hold ':' without ending the revision."""
    assert [gitio.split_revision(text) for text in ("main@{12:00}:plan.yaml", "main:a:b.yaml", "main", "{x:y}")] == [
        ("main@{12:00}", "plan.yaml"),
        ("main", "a:b.yaml"),
        ("main", None),
        ("{x:y}", None),
    ]


def test_rev_colon_path_reads_from_the_top_or_from_the_plan_folder(repo: Path) -> None:
    """`REV:path` is from the top of the work tree; `REV:./path` from the plan's folder, as in git."""
    write(repo, "audits/plan.yaml", BASE_PLAN)
    git(repo, "add", "audits/plan.yaml")
    git(repo, "commit", "-q", "-m", "A second plan")
    from_top = run("check", "--against", "HEAD:plan.yaml", "--plan", "audits/plan.yaml")
    assert (from_top.exit_code, from_top.output) == (
        1,
        "audits/plan.yaml:31:14: action 1.2: due date changed from 2021-02-28 to 2021-01-31 without a revision entry; "
        "record it with oagtrack revise 1.2\n",
    )
    from_folder = run("check", "--against", "HEAD:./plan.yaml", "--plan", "audits/plan.yaml")
    assert (from_folder.exit_code, from_folder.output) == (0, "audits/plan.yaml: ok against HEAD:./plan.yaml\n")
    before_it = run("check", "--against", "HEAD~1:./plan.yaml", "--plan", "audits/plan.yaml")
    assert (before_it.exit_code, before_it.output) == (
        1,
        "HEAD~1:./plan.yaml: audits/plan.yaml does not exist at this revision\n",
    )


# -- file names given to git are literal ----------------------------------------------------------------
ODD_NAMES = ["[p]lan.yaml", ":(glob)*.yaml", ":!x.yaml", "-plan.yaml"]


@pytest.fixture
def odd_repo(repo: Path):
    """plan.yaml changes in every commit; the oddly named plan is added once, by the last commit but one."""

    def make(name: str) -> str:
        write(repo, name, PULL_REQUEST_PLAN)
        git(repo, "add", "--", name)
        git(repo, "commit", "-q", "-m", "The odd plan")
        write(
            repo,
            "plan.yaml",
            PULL_REQUEST_PLAN.replace("        text: First action.\n", "        text: First action, in full.\n"),
        )
        git(repo, "commit", "-q", "-am", "plan.yaml again")
        return git(repo, "rev-parse", "--short=7", "HEAD~1")

    return make


@pytest.mark.parametrize("name", ODD_NAMES)
def test_log_lists_the_commits_of_that_very_file(repo: Path, odd_repo, name: str) -> None:
    """`log --plan '[p]lan.yaml'` lists the one commit that added that file, never plan.yaml's."""
    added = odd_repo(name)
    result = run("log", "1.1", "--plan", f"./{name}")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:2] == [f"  {added} 2021-01-20 Ana Lead: action 1.1 added"]
    assert result.output.splitlines()[2] == "Recorded history of action 1.1:"


@pytest.mark.parametrize("name", ODD_NAMES)
def test_check_and_diff_read_that_very_file_at_a_revision(repo: Path, odd_repo, name: str) -> None:
    """At a commit before the odd plan existed, it is new (even
    though plan.yaml matches it as a pattern); after, it is itself."""
    odd_repo(name)
    before = run("check", "--against", "HEAD~2", "--plan", f"./{name}")
    assert (before.exit_code, before.output) == (
        0,
        f"{name}: ok; the plan is new since HEAD~2, so there is no earlier version to check against\n",
    )
    after = run("diff", "HEAD~1", "--plan", f"./{name}")
    assert (after.exit_code, after.output) == (0, f"HEAD~1:{name} -> {name} (working file): no changes\n")


def test_pathspec_settings_in_the_environment_change_nothing(
    repo: Path, odd_repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_GLOB_PATHSPECS would make the name a pattern again,
    GIT_ICASE_PATHSPECS would clash with literal names: neither reaches git."""
    added = odd_repo("[p]lan.yaml")
    for variable in ("GIT_GLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"):
        monkeypatch.setenv(variable, "1")
        result = run("log", "1.1", "--plan", "[p]lan.yaml")
        assert (result.exit_code, result.output.splitlines()[1:2]) == (
            0,
            [f"  {added} 2021-01-20 Ana Lead: action 1.1 added"],
        ), variable
        monkeypatch.delenv(variable)


def test_log_in_a_repository_with_no_commit_yet_lists_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Naming HEAD to git log must not turn "no commit yet" into a git error."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    git(tmp_path, "init", "-q", "--template=")
    write(tmp_path, "plan.yaml", BASE_PLAN)
    result = run("log", "1.1")
    assert (result.exit_code, result.output.splitlines()[:2]) == (
        0,
        ["1.1 in the git history of plan.yaml:", "  no commit changed it"],
    )


# -- the plan's own path: links and what stands at a revision ------------------------------------------
def test_a_plan_turned_into_a_link_to_a_new_file_is_still_checked_against_its_own_history(repo: Path) -> None:
    """plan.yaml -> rewritten.yaml must not make the plan look new: the base is plan.yaml's."""
    write(repo, "rewritten.yaml", PULL_REQUEST_PLAN)
    (repo / "plan.yaml").unlink()
    (repo / "plan.yaml").symlink_to("rewritten.yaml")
    result = run("check", "--against", "main")
    assert (result.exit_code, result.output) == (1, REFUSAL)


def test_a_folder_turned_into_a_link_is_still_checked_against_its_own_history(repo: Path) -> None:
    """audits/plan.yaml with audits -> elsewhere: the base is audits/plan.yaml's."""
    write(repo, "audits/plan.yaml", BASE_PLAN)
    git(repo, "add", "audits/plan.yaml")
    git(repo, "commit", "-q", "-m", "audits")
    shutil.rmtree(repo / "audits")
    write(repo, "elsewhere/plan.yaml", PULL_REQUEST_PLAN)
    (repo / "audits").symlink_to("elsewhere")
    result = run("check", "--against", "HEAD", "--plan", "audits/plan.yaml")
    assert (result.exit_code, result.output) == (1, REFUSAL.replace("plan.yaml:", "audits/plan.yaml:", 1))


def test_a_plan_committed_as_a_link_is_followed_inside_the_repository(repo: Path) -> None:
    """A repository that keeps plan.yaml as a link to a dated file reads the file at each revision."""
    write(repo, "2021.plan.yaml", PULL_REQUEST_PLAN)
    (repo / "plan.yaml").unlink()
    (repo / "plan.yaml").symlink_to("2021.plan.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "plan.yaml is a link")
    result = run("diff", "HEAD")
    assert (result.exit_code, result.output) == (0, "HEAD:plan.yaml -> plan.yaml (working file): no changes\n")
    (repo / "plan.yaml").unlink()
    (repo / "plan.yaml").symlink_to("../outside.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a link out of the repository")
    out = run("diff", "HEAD", "--plan", "plan.yaml")
    assert (out.exit_code, out.output) == (
        1,
        "HEAD: plan.yaml is a symbolic link out of the repository at this revision\n",
    )


def test_a_folder_at_the_plan_path_is_refused_not_read(repo: Path) -> None:
    write(repo, "plan.yaml.d/x", "x")
    git(repo, "add", "plan.yaml.d/x")
    git(repo, "commit", "-q", "-m", "a folder")
    result = run("overdue", "--plan-at", "HEAD:plan.yaml.d")
    assert (result.exit_code, result.output) == (
        1,
        "HEAD:plan.yaml.d: plan.yaml.d is a folder at this revision, not a plan file\n",
    )


def test_a_base_git_cannot_read_fails_the_check_rather_than_passing_as_new(repo: Path) -> None:
    """The base plan's object is gone (a broken or partial clone): exit 1, never "the plan is new"."""
    write(repo, "plan.yaml", PULL_REQUEST_PLAN + "# a new blob, stored loose\n")
    git(repo, "commit", "-q", "-am", "base with a loose blob")
    blob = git(repo, "rev-parse", "HEAD:plan.yaml")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    result = run("check", "--against", "HEAD")
    # After the colon come git's own words, which vary with its version.
    assert (
        result.exit_code,
        result.output.count("\n"),
        result.output.startswith("HEAD: cannot read plan.yaml at this revision: "),
    ) == (1, 1, True), result.output


# -- the shipped CI workflow against a hostile pull request -------------------------------------------------
WORKFLOW = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8"))


def test_the_ci_workflow_refuses_a_rewrite_whatever_files_and_refs_the_pull_request_adds(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The workflow's own check and diff steps, run by a shell as CI runs them, against a pull request that
    adds a file at origin/main and at the base commit's id, pushes a tag origin/main, and turns plan.yaml into
    a link."""
    base_commit = git(repo, "rev-parse", "main")
    write(repo, "rewritten.yaml", PULL_REQUEST_PLAN)
    (repo / "plan.yaml").unlink()
    (repo / "plan.yaml").symlink_to("rewritten.yaml")
    for decoy in ("origin/main", base_commit, "main", f"{base_commit}:plan.yaml"):
        write(repo, decoy, PULL_REQUEST_PLAN)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Hostile pull request")
    git(repo, "tag", "origin/main", "HEAD")
    git(repo, "tag", base_commit, "HEAD")
    # What GitHub puts in the workflow's expressions for this pull request.
    expressions = {"github.event.pull_request.base.sha": base_commit, "github.base_ref": "main"}
    job = WORKFLOW["jobs"]["plan"]
    environment = {
        name: re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda found: expressions[found.group(1)], value)
        for name, value in job["env"].items()
    }
    summary = tmp_path_factory.mktemp("runner") / "summary.md"
    bin_folder = Path(sys.executable).parent
    shell_env = {
        **os.environ,
        **environment,
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTIONS": "true",
        "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}",
    }
    steps = {
        step["run"].split()[1]: step["run"] for step in job["steps"] if step.get("run", "").startswith("oagtrack ")
    }
    check = subprocess.run(
        ["bash", "-e", "-c", steps["check"]], check=False, cwd=repo, env=shell_env, capture_output=True, text=True
    )
    assert (check.returncode, check.stdout) == (
        1,
        "::error file=plan.yaml,line=31,col=14,title=oagtrack check::" + REFUSAL.split(": ", 1)[1],
    )
    diff = subprocess.run(
        ["bash", "-e", "-c", steps["diff"]], check=False, cwd=repo, env=shell_env, capture_output=True, text=True
    )
    assert diff.returncode == 0, diff.stderr
    assert "1.2 due 2021-01-31 -&gt; 2021-02-28 (+28 days) without a revision entry" in summary.read_text(
        encoding="utf-8"
    )
