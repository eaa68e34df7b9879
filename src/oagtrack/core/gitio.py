"""Reading a plan as it stood at a git revision (`--plan-at`, `diff`, `check`, `log`).

Every argument here is one kind of thing. A revision is resolved by git as a
revision and never as a file in the work tree, so a pull request that adds a
file called `origin/main` cannot stand in for the base branch; a name that git
finds ambiguous (a tag and a branch both called `main`) is refused rather
than guessed. A file name given to git is a literal path, never a pathspec
pattern, so `[p]lan.yaml` is that file and not plan.yaml. Git runs as a
subprocess with an argument list (never a shell), and nothing typed by the
user reaches it where it could be read as an option.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .problems import PlanError, Problem, said

# A global pathspec setting in the environment would turn the literal file
# names we pass back into patterns (glob, icase), or clash with
# --literal-pathspecs; LANGUAGE would translate the one warning we read.
_UNSAFE_ENVIRONMENT = (
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
    "GIT_LITERAL_PATHSPECS",
    "LANGUAGE",
)
# A full SHA-1 or SHA-256 object id: git always takes it as that object, so a ref of the same name shadows nothing.
_FULL_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# Committed symbolic links followed, at most, to reach the plan at a revision.
_MAX_LINKS = 8


class RevisionError(PlanError):
    """A revision that cannot be read at all: malformed, ambiguous, unknown (as opposed to an invalid plan at one)."""


class UnknownRevision(RevisionError):
    """No commit by that name: not in git at all, or no such revision."""


class GitFailed(PlanError):
    """Git ran and refused; the problem holds the command and git's last line."""


@dataclass(frozen=True, slots=True)
class FileAtCommit:
    """Where a plan is at a revision: the commit git resolved it to, and the file's path there."""

    top: Path  # the top of the work tree, where git runs
    commit: str  # the full object id, so nothing is resolved twice
    path: str  # from the top of the work tree, literal


def read_revision(path: Path, revision: str) -> bytes:
    """The bytes of the plan at `revision` (`main`, `HEAD~1`, `v1`, or `REV:other/path`).

    Raises PlanError with one clean line: not in git, no such revision, or
    no such file at that revision.
    """
    where = locate(path, revision)
    data = _blob(revision, where)
    if data is None:
        raise PlanError([Problem(revision, 0, 0, said("{path} does not exist at this revision", path=where.path))])
    return data


def read_if_present(path: Path, revision: str) -> bytes | None:
    """The bytes of the plan at `revision`, or None when the plan did not exist then (a plan new since).

    A revision that names no commit is still an error (RevisionError), and
    so is a file named in `REV:path` that is not there, so a typo is never
    mistaken for "the plan is new".
    """
    if split_revision(revision)[1] is not None:
        return read_revision(path, revision)
    return _blob(revision, locate(path, revision))


def locate(path: Path, revision: str) -> FileAtCommit:
    """The commit `revision` names, resolved by git as a revision only, and the plan's path there.

    `revision` is a commit-ish (`main`, `HEAD~1`, `v1`, a commit id) or
    `REV:path`, where the path is from the top of the work tree, or from the
    plan's folder when it starts with ./ or ../, as in git. Nothing in the
    work tree is consulted: a file named like the revision makes no difference.
    """
    commit_part, path_part = split_revision(revision)
    _refuse_malformed(revision, commit_part, path_part)
    top, named = _place(path, said("cannot read revision {revision!r}", revision=revision))
    commit = _resolve_commit(top, commit_part)
    if path_part is None:
        return FileAtCommit(top, commit, named)
    here = posixpath.dirname(named)
    relative = posixpath.normpath(posixpath.join(here, path_part) if path_part.startswith(("./", "../")) else path_part)
    if relative.startswith(("/", "../")) or relative in ("..", "."):
        raise RevisionError(
            [Problem(revision, 0, 0, said("{path} is not a file inside this git repository", path=path_part))]
        )
    return FileAtCommit(top, commit, relative)


def split_revision(revision: str) -> tuple[str, str | None]:
    """`REV:path` into its revision and path.

    The first ':' outside `{...}` splits them, as in git (`main@{12:00}:plan.yaml`).
    """
    depth = 0
    for index, char in enumerate(revision):
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char == ":" and not depth:
            return revision[:index], revision[index + 1 :]
    return revision, None


def _refuse_malformed(revision: str, commit_part: str, path_part: str | None) -> None:
    """One clean line for a revision git must never see: empty, option-like, or with no commit before ':'."""
    if "\0" in revision:
        why = said("a revision cannot hold a NUL character")
    elif not revision:
        why = said("a revision cannot be empty: name a branch, tag or commit (HEAD, main, origin/main)")
    elif commit_part.startswith("-"):
        # Refused outright, not only kept from git's option parser: `--against -p plan.yaml` is a forgotten value.
        why = said("a revision cannot start with '-' (a ref named so can be given in full, such as refs/heads/-x)")
    elif not commit_part:
        why = said("name a commit before ':', such as HEAD:plan.yaml (':' alone would read git's index, not a commit)")
    elif path_part == "":
        why = said("name a file after ':', such as HEAD:plan.yaml")
    else:
        return
    raise RevisionError([Problem(revision or "''", 0, 0, why)])


def _resolve_commit(top: Path, name: str) -> str:
    """The full id of the commit `name` denotes; RevisionError if there is none or git finds the name ambiguous."""
    # --verify takes exactly one revision and never a path; --end-of-options
    # keeps it from ever being an option; the warning is forced on because
    # git otherwise picks one of two same-named refs silently.
    done = _run(
        top, "-c", "core.warnAmbiguousRefs=true", "rev-parse", "--verify", "--end-of-options", f"{name}^{{commit}}"
    )
    if done is None or done.returncode != 0:
        raise UnknownRevision([Problem(name, 0, 0, said("no such revision in this git repository"))])
    # A full object id always means that object to git, whatever refs share its name.
    if b"is ambiguous" in done.stderr and not _FULL_OBJECT_ID.fullmatch(name):
        why = said(
            "ambiguous: more than one ref has this name (a branch and a tag, say); "
            "name it in full, such as refs/remotes/origin/main or refs/tags/v1, or give the commit id"
        )
        raise RevisionError([Problem(name, 0, 0, why)])
    return done.stdout.decode().strip()


def _blob(revision: str, where: FileAtCommit) -> bytes | None:
    """The file's bytes at the commit; None only when the commit's tree has no such path.

    Any other failure is an error, never "the plan is new": a check that
    could not read its base must not pass. A symbolic link committed at that
    revision is followed inside the repository, as a checkout would.
    """
    try:
        return _follow(revision, where)
    except GitFailed as err:
        # git's own words are the detail; the line says what could not be done, in the plan's terms.
        raise PlanError(
            [
                Problem(
                    revision,
                    0,
                    0,
                    said(
                        "cannot read {path} at this revision: {reason}", path=where.path, reason=err.problems[0].message
                    ),
                )
            ]
        ) from None


def _follow(revision: str, where: FileAtCommit) -> bytes | None:
    path = where.path
    for _ in range(_MAX_LINKS + 1):
        entry = _tree_entry(where, path)
        if entry is None:
            if path == where.path:
                return None
            raise PlanError(
                [
                    Problem(
                        revision,
                        0,
                        0,
                        said(
                            "{link} is a symbolic link to {path}, which does not exist at this revision",
                            link=where.path,
                            path=path,
                        ),
                    )
                ]
            )
        mode, kind, object_id = entry
        if kind != "blob":
            shown = said("a folder") if kind == "tree" else said("a submodule")
            raise PlanError(
                [
                    Problem(
                        revision,
                        0,
                        0,
                        said("{path} is {kind} at this revision, not a plan file", path=path, kind=shown),
                    )
                ]
            )
        data = _git(where.top, "cat-file", "blob", object_id)
        if mode != "120000":
            return data
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), os.fsdecode(data)))
        if target.startswith(("/", "../")) or target == "..":
            raise PlanError(
                [
                    Problem(
                        revision,
                        0,
                        0,
                        said("{path} is a symbolic link out of the repository at this revision", path=path),
                    )
                ]
            )
        path = target
    raise PlanError(
        [
            Problem(
                revision,
                0,
                0,
                said("{path}: more than {count} symbolic links at this revision", path=where.path, count=_MAX_LINKS),
            )
        ]
    )


def _tree_entry(where: FileAtCommit, path: str) -> tuple[str, str, str] | None:
    """(mode, type, object id) of `path` in the commit's tree, or None.

    ls-tree reads trees only and matches its paths literally.
    """
    listing = _git(where.top, "ls-tree", "-z", "--full-tree", "--end-of-options", where.commit, "--", path)
    wanted = os.fsencode(path)
    for record in listing.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        if name == wanted:
            mode, kind, object_id = meta.decode().split()
            return mode, kind, object_id
    return None


def in_git(path: Path) -> bool:
    """Whether `path` lies inside a git work tree."""
    try:
        _place(path, "")
    except PlanError:
        return False
    return True


def _place(path: Path, why: str) -> tuple[Path, str]:
    """The top of the git work tree holding the plan, and the plan's path from there as it is named.

    A symbolic link on the way inside the repository is not followed: if
    plan.yaml is a link to other.yaml, its earlier versions are those of
    plan.yaml, so a pull request that turns the plan into a link to a new
    file does not make the plan look new. UnknownRevision "not inside a git
    repository" if there is none.
    """
    named = Path(os.path.abspath(path))
    outside = UnknownRevision([Problem(str(path), 0, 0, said("not inside a git repository, so {why}", why=why))])
    try:
        top = Path(os.path.realpath(_git(named.parent, "rev-parse", "--show-toplevel").decode().strip()))
    except PlanError:
        raise outside from None
    for ancestor in named.parents:
        if Path(os.path.realpath(ancestor)) == top:
            return top, named.relative_to(ancestor).as_posix()
    # The folder named is a link into another repository: its path there is all git can know.
    try:
        return top, (Path(os.path.realpath(named.parent)) / named.name).relative_to(top).as_posix()
    except ValueError:
        raise outside from None


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    """Git with `args`, every file name a literal path; None when it cannot be run in `folder` at all."""
    if not folder.is_dir():
        return None
    environment = {name: value for name, value in os.environ.items() if name not in _UNSAFE_ENVIRONMENT}
    environment["LC_ALL"] = "C"  # git's messages in English, so the ambiguity warning reads the same everywhere
    try:
        return subprocess.run(
            ["git", "--literal-pathspecs", *args],
            cwd=folder,
            env=environment,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except FileNotFoundError:
        raise PlanError([Problem("git", 0, 0, said("git is not installed"))]) from None
    except subprocess.TimeoutExpired:
        raise PlanError([Problem("git", 0, 0, said("git {command} took too long", command=" ".join(args)))]) from None


def _git(folder: Path, *args: str) -> bytes:
    done = _run(folder, *args)
    if done is None:
        raise PlanError([Problem(str(folder), 0, 0, said("no such folder"))])
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitFailed([Problem(f"git {' '.join(args)}", 0, 0, message[-1] if message else said("failed"))])
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
    """Commits that changed the plan file, oldest first (at most the newest `limit`).

    The file's name is taken literally, never as a pattern.
    """
    top, named = _place(path, said("it has no git history"))
    try:
        out = _git(
            top,
            "log",
            f"--max-count={limit}",
            "--date=short",
            "--format=%H%x1f%an%x1f%ad%x1f%s%x1e",
            "--end-of-options",
            "HEAD",
            "--",
            named,
        )
    except GitFailed:
        head = _run(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        if head is not None and head.returncode != 0:
            return []  # a repository with no commit yet: nothing has changed the plan
        raise
    found = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 4:
            found.append(Commit(*fields))
    return found[::-1]


def deleted_since(folder: Path, revision: str) -> list[Path]:
    """The files under `folder` that were in the commit `revision` names and are gone from the work tree now.

    `revision` is a commit only (`REV:path` names one file, which makes no
    sense for a folder of plans): refused like any malformed revision.
    """
    commit_part, path_part = split_revision(revision)
    _refuse_malformed(revision, commit_part, path_part)
    if path_part is not None:
        why = said("compare a portfolio with a commit (origin/main, a commit id), not with one file at it")
        raise RevisionError([Problem(revision, 0, 0, why)])
    top, named = _place(folder / ".", said("cannot read revision {revision!r}", revision=revision))
    commit = _resolve_commit(top, commit_part)
    under = posixpath.dirname(named) or "."
    listed = _git(top, "diff", "--no-renames", "--diff-filter=D", "--name-only", "-z", commit, "--", under)
    return [top / name.decode("utf-8", "surrogateescape") for name in listed.split(b"\0") if name]
