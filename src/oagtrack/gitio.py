"""Reading plan.yaml as it stood at a git revision (`--plan-at`, `diff`, `check`).

Git is run as a subprocess with an argument list (never a shell), so a
revision name can never be interpreted as a command.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .problems import PlanError, Problem


def read_revision(path: Path, revision: str) -> bytes:
    """The bytes of `path` at `revision` (`main`, `HEAD~1`, `v1`, or `REV:other/path`).

    Raises PlanError with one clean line: not in git, no such revision, or
    no such file at that revision.
    """
    if not exists_at(path, revision):
        spec = _spec(path, revision)
        raise PlanError([Problem(revision, 0, 0, f"{spec.split(':', 1)[1]} does not exist at this revision")])
    return _git(path.resolve().parent, "show", _spec(path, revision))


def exists_at(path: Path, revision: str) -> bool:
    """Whether the plan file exists at `revision` (False for a plan new since then).

    A revision that names no commit is still an error (PlanError), so a typo
    is never mistaken for "the plan is new".
    """
    spec = _spec(path, revision)
    folder = path.resolve().parent
    commit = spec.split(":", 1)[0]
    try:
        _git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", commit + "^{commit}")
    except PlanError:
        raise PlanError([Problem(commit, 0, 0, "no such revision in this git repository")]) from None
    try:
        _git(folder, "cat-file", "-e", "--end-of-options", spec)
    except PlanError:
        return False
    return True


def _spec(path: Path, revision: str) -> str:
    """`REV:path/from/top` for `git show`; `REV:path` given in full is kept."""
    if revision.startswith("-"):
        raise PlanError([Problem(f"{revision}", 0, 0, "a revision cannot start with '-'")])
    top = _top(path, f"cannot read revision {revision!r}")
    if ":" in revision:
        return revision
    return f"{revision}:{path.resolve().relative_to(top).as_posix()}"


def in_git(path: Path) -> bool:
    """Whether `path` lies inside a git work tree."""
    try:
        _top(path, "")
    except PlanError:
        return False
    return True


def _top(path: Path, why: str) -> Path:
    """The top of the git work tree holding `path`; PlanError "not inside a git repository" if none."""
    folder = path.resolve().parent
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    except PlanError:
        raise PlanError([Problem(str(path), 0, 0, f"not inside a git repository, so {why}")]) from None


def _git(folder: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, timeout=60, check=False)
    except FileNotFoundError:
        raise PlanError([Problem("git", 0, 0, "git is not installed")]) from None
    except subprocess.TimeoutExpired:
        raise PlanError([Problem("git", 0, 0, f"git {' '.join(args)} took too long")]) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PlanError([Problem(f"git {' '.join(args)}", 0, 0, message[-1] if message else "failed")])
    return done.stdout


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit that touched the plan file."""

    sha: str
    author: str
    date: str  # YYYY-MM-DD, the author date
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]


def commits(path: Path, limit: int = 500) -> list[Commit]:
    """Commits that changed `path`, oldest first (at most the newest `limit`)."""
    folder = path.resolve().parent
    _top(path, "it has no git history")
    out = _git(folder, "log", f"--max-count={limit}", "--date=short", "--format=%H%x1f%an%x1f%ad%x1f%s%x1e", "--", path.resolve().name)
    found = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 4:
            found.append(Commit(*fields))
    return found[::-1]

