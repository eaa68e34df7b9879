"""A write keeps what the file was; a killed writer leaves nothing for long; no special file is ever read (issue 11).

Class 6: the new plan keeps owner, group and mode without set-id bits, or
the update is refused; a hard-linked plan is refused; the lock and the
temporary copy stay out of `git status` and what a killed writer left is
cleared by the next write. Class 4: whatever a lock file holds gets exit 3
or a clean takeover. Class 7: a FIFO, socket or device named as the plan,
found as plan.yaml, or reached through a symlink, is refused with one line.

Tests that change a file's owner need root (CI runs as root); each skips
with its reason elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import grp  # noqa: F401  imported before any test drops root, which cannot read the standard library
import hashlib  # noqa: F401  (as above)
import os
import pwd
import secrets  # noqa: F401  (as above)
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import SMALL_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core import store
from oagtrack.core.problems import PlanError
from oagtrack.core.store import WriteRefused, lock_path, write_plan

OLD = SMALL_PLAN.encode()
NEW = OLD + b"# updated\n"
IS_ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="giving a file another owner needs root")
NOBODY = pwd.getpwnam("nobody") if IS_ROOT else None
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def git(folder: Path, *args: str) -> str:
    config = [
        "-c",
        "init.defaultBranch=main",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    return subprocess.run(["git", *config, *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def untracked(folder: Path) -> list[str]:
    return git(folder, "status", "--porcelain", "--untracked-files=all", "--ignored").splitlines()


def everything_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".git" not in p.relative_to(folder).parts)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_bytes(OLD)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree holding plan.yaml (untracked) and docs/plan.yaml."""
    git(tmp_path, "init", "-q")
    (tmp_path / "plan.yaml").write_bytes(OLD)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.yaml").write_bytes(OLD)
    return tmp_path


@pytest.fixture
def no_hang():
    """Fail, rather than wait forever, if anything blocks on a special file."""

    def waited(signum, frame):
        raise TimeoutError("waited on a special file")

    previous = signal.signal(signal.SIGALRM, waited)
    signal.setitimer(signal.ITIMER_REAL, 10)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


# -- class 6: owner, group and mode are kept, or the update is refused ---------------------------
def nobody_ids() -> tuple[int, int]:
    return NOBODY.pw_uid, NOBODY.pw_gid


OWNERSHIP = {
    # name: (owner, group, mode before, mode after)
    "nobody's private plan": ("nobody", "nobody", 0o600, 0o600),
    "nobody's plan, root's group": ("nobody", "root", 0o640, 0o640),
    "root's plan, nobody's group": ("root", "nobody", 0o664, 0o664),
    "set-user-id dropped": ("nobody", "nobody", 0o4755, 0o755),
    "set-group-id dropped": ("nobody", "nobody", 0o2640, 0o640),
    "both set-id bits dropped on root's own plan": ("root", "root", 0o6644, 0o644),
    "sticky bit kept": ("nobody", "nobody", 0o1644, 0o1644),
}


def ids_for(owner: str, group: str) -> tuple[int, int]:
    uid = 0 if owner == "root" else NOBODY.pw_uid
    gid = 0 if group == "root" else NOBODY.pw_gid
    return uid, gid


@needs_root
@pytest.mark.parametrize("case", list(OWNERSHIP))
def test_a_write_as_root_keeps_owner_group_and_mode_without_set_id_bits(plan, case):
    owner, group, before, after = OWNERSHIP[case]
    uid, gid = ids_for(owner, group)
    os.chown(plan, uid, gid)
    os.chmod(plan, before)
    write_plan(plan, OLD, NEW)
    info = plan.stat()
    assert (NEW, uid, gid, after) == (plan.read_bytes(), info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode))
    assert ["plan.yaml"] == sorted(os.listdir(plan.parent))


@needs_root
def test_an_update_as_root_leaves_nobodys_private_plan_readable_by_nobody(tmp_path, monkeypatch):
    """The issue's case, end to end and through a symlink: the target stays nobody's, mode 600."""
    real = tmp_path / "data" / "plan.yaml"
    real.parent.mkdir()
    real.write_bytes(OLD)
    os.chown(real, *nobody_ids())
    os.chmod(real, 0o600)
    (tmp_path / "plan.yaml").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    result = run("note", "1.1", "Checked as root", "--on", "2020-09-02")
    assert (0, "plan.yaml: 1.1 note added on 2020-09-02\n") == (result.exit_code, result.stdout)
    info = real.stat()
    assert ((*nobody_ids(), 0o600), True) == (
        (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)),
        (tmp_path / "plan.yaml").is_symlink(),
    )
    assert b"Checked as root" in real.read_bytes()


@pytest.fixture
def open_folder():
    """A folder anyone may write in, reachable by nobody (pytest's own tmp folders are root's, mode 700)."""
    folder = Path(tempfile.mkdtemp(prefix="oagtrack-safe-write-"))
    os.chmod(folder, 0o777)
    yield folder
    shutil.rmtree(folder)


@contextlib.contextmanager
def as_nobody():
    """Run the block with nobody's effective user and group, then become root again."""
    groups = os.getgroups()
    os.setgroups([])
    os.setegid(NOBODY.pw_gid)
    os.seteuid(NOBODY.pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
        os.setgroups(groups)


CANNOT_KEEP = {
    "another user's plan": (
        ("root", "root"),
        "the plan belongs to root (group root), and a new file written by nobody cannot keep that owner; "
        "run the update as root; nothing was written",
    ),
    "a group the writer is not in": (
        ("nobody", "root"),
        "the plan's group is root, and a new file written by nobody cannot keep that group; run the update as a member "
        "of root or as root; nothing was written",
    ),
}


@needs_root
@pytest.mark.parametrize("case", list(CANNOT_KEEP))
def test_a_writer_who_cannot_keep_the_owner_is_refused_and_changes_nothing(open_folder, case):
    (owner, group), message = CANNOT_KEEP[case]
    plan = open_folder / "plan.yaml"
    plan.write_bytes(OLD)
    os.chown(plan, *ids_for(owner, group))
    os.chmod(plan, 0o666)
    before = plan.stat()
    with as_nobody(), pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    after = plan.stat()
    assert (1, f"{plan}: {message}") == (caught.value.code, caught.value.message)
    assert (OLD, (before.st_ino, before.st_uid, before.st_gid)) == (
        plan.read_bytes(),
        (after.st_ino, after.st_uid, after.st_gid),
    )
    assert ["plan.yaml"] == sorted(os.listdir(open_folder))


@needs_root
def test_a_lock_left_by_a_dead_writer_of_another_user_is_taken_over(open_folder):
    """Root's writer died holding a mode-644 lock nobody cannot write: nobody's write removes it and goes ahead."""
    plan = open_folder / "plan.yaml"
    plan.write_bytes(OLD)
    os.chown(plan, *nobody_ids())
    lock_path(plan).write_text("4242\n")
    os.chmod(lock_path(plan), 0o644)
    with as_nobody():
        write_plan(plan, OLD, NEW)
    info = plan.stat()
    assert (NEW, nobody_ids(), ["plan.yaml"]) == (
        plan.read_bytes(),
        (info.st_uid, info.st_gid),
        sorted(os.listdir(open_folder)),
    )


# -- class 6: hard links -------------------------------------------------------------------------
HARD_LINKS = (
    "the plan has 2 hard links, and an update replaces the file, which would leave the other names with the old plan; "
    "make the other names symbolic links (ln -sf), which oagtrack follows; nothing was written"
)


@pytest.mark.parametrize("through_symlink", [False, True], ids=["named", "through a symlink"])
def test_a_hard_linked_plan_is_refused_and_both_names_keep_the_same_file(tmp_path, through_symlink):
    """Replacing the file would split the link silently; writing in place could leave half a plan: refuse."""
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(OLD)
    other = tmp_path / "copy.yaml"
    os.link(plan, other)
    named = plan
    if through_symlink:
        named = tmp_path / "link.yaml"
        named.symlink_to(plan)
    with pytest.raises(WriteRefused) as caught:
        write_plan(named, OLD, NEW)
    assert (1, f"{named}: {HARD_LINKS}") == (caught.value.code, caught.value.message)
    assert (OLD, OLD, 2, True) == (plan.read_bytes(), other.read_bytes(), plan.stat().st_nlink, plan.samefile(other))
    assert sorted(["plan.yaml", "copy.yaml"] + (["link.yaml"] if through_symlink else [])) == sorted(
        os.listdir(tmp_path)
    )


def test_a_hard_linked_plan_is_refused_by_the_update_commands(tmp_path, monkeypatch):
    (tmp_path / "plan.yaml").write_bytes(OLD)
    os.link(tmp_path / "plan.yaml", tmp_path / "other.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    result = run("start", "1.1", "--on", "2020-09-01")
    assert (1, f"oagtrack: plan.yaml: {HARD_LINKS}\n") == (result.exit_code, result.stderr)


def test_a_plan_whose_mode_changed_after_it_was_read_is_a_conflict(plan, monkeypatch):
    """Owner and mode are taken when the write starts; if they change before the rename, nothing is written (exit 3)."""
    write_temp = store._write_temp

    def chmod_meanwhile(*args, **kwargs):
        made = write_temp(*args, **kwargs)
        os.chmod(plan, 0o600)
        return made

    monkeypatch.setattr(store, "_write_temp", chmod_meanwhile)
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (3, OLD, ["plan.yaml"]) == (caught.value.code, plan.read_bytes(), sorted(os.listdir(plan.parent)))


# -- class 6: the lock and the temporary copy stay out of git status -----------------------------
@pytest.mark.parametrize(
    ("where", "lock_name"),
    [("plan.yaml", ".git/oagtrack-plan.yaml.lock"), ("docs/plan.yaml", ".git/oagtrack-docs%2Fplan.yaml.lock")],
)
def test_in_a_git_work_tree_the_lock_and_the_copy_live_in_the_git_directory(repo, monkeypatch, where, lock_name):
    """While the write is under way (just before the rename), git status shows nothing of it."""
    plan = repo / where
    seen = {}
    replace = os.replace

    def look_first(src, dst):
        seen["status"] = untracked(repo)
        seen["copy"] = Path(src).parent
        seen["lock"] = lock_path(plan).exists()
        replace(src, dst)

    monkeypatch.setattr(store.os, "replace", look_first)
    assert repo / lock_name == lock_path(plan)
    write_plan(plan, OLD, NEW)
    assert (["?? docs/plan.yaml", "?? plan.yaml"], repo / ".git", True) == (seen["status"], seen["copy"], seen["lock"])
    assert (NEW, ["docs", "docs/plan.yaml", "plan.yaml"]) == (plan.read_bytes(), everything_in(repo))
    assert [] == [name for name in os.listdir(repo / ".git") if name.startswith("oagtrack-")]


def test_a_worktree_keeps_its_lock_in_its_own_git_directory(repo):
    """A `.git` file (worktrees, submodules) names the git directory, as git reads it."""
    git(repo, "add", "plan.yaml")
    git(repo, "commit", "-qm", "plan")
    git(repo, "worktree", "add", "-q", str(repo / "wt"))
    plan = repo / "wt" / "plan.yaml"
    assert repo / ".git" / "worktrees" / "wt" / "oagtrack-plan.yaml.lock" == lock_path(plan)
    write_plan(plan, OLD, NEW)
    assert (NEW, [" M plan.yaml"]) == (plan.read_bytes(), untracked(repo / "wt"))


def test_every_name_of_one_plan_finds_the_same_lock(repo):
    (repo / "link.yaml").symlink_to(repo / "docs" / "plan.yaml")
    assert (
        lock_path(repo / "docs" / "plan.yaml")
        == lock_path(repo / "link.yaml")
        == lock_path(repo / "docs" / ".." / "docs" / "plan.yaml")
    )


def test_outside_git_the_lock_is_beside_the_plan(plan):
    assert plan.parent / "plan.yaml.lock" == lock_path(plan)


def test_a_git_directory_on_another_mount_falls_back_to_a_copy_beside_the_plan(repo, monkeypatch):
    """A rename across mounts fails (EXDEV): the copy is written again beside the plan, and nothing is left."""
    replace = os.replace
    sources = []

    def across_mounts(src, dst):
        sources.append(Path(src).parent)
        if Path(src).parent == repo / ".git":
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        replace(src, dst)

    monkeypatch.setattr(store.os, "replace", across_mounts)
    write_plan(repo / "plan.yaml", OLD, NEW)
    assert ([repo / ".git", repo], NEW) == (sources, (repo / "plan.yaml").read_bytes())
    assert ["docs", "docs/plan.yaml", "plan.yaml"] == everything_in(repo)
    assert [] == [name for name in os.listdir(repo / ".git") if name.startswith("oagtrack-")]


# -- class 6: what a killed writer left is cleared by the next write -----------------------------
KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from oagtrack.core import store

def killed(src, dst):
    os.kill(os.getpid(), signal.SIGKILL)

store.os.replace = killed
plan = Path(sys.argv[1])
store.write_plan(plan, plan.read_bytes(), plan.read_bytes() + b"# lost\\n")
"""


def kill_a_writer_midway(plan: Path) -> None:
    """A real writer, killed with SIGKILL after taking the lock and writing its copy, just before the rename."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(plan)], capture_output=True, timeout=60, check=False
    )
    assert -signal.SIGKILL == done.returncode, done.stderr


def test_a_killed_writer_outside_git_leaves_nothing_after_the_next_write(plan):
    kill_a_writer_midway(plan)
    left = sorted(os.listdir(plan.parent))
    assert ["plan.yaml", "plan.yaml.lock"] == [name for name in left if not name.endswith(".tmp")]
    assert 1 == len([name for name in left if name.startswith(".plan.yaml.") and name.endswith(".tmp")])
    write_plan(plan, OLD, NEW)
    assert (NEW, ["plan.yaml"]) == (plan.read_bytes(), sorted(os.listdir(plan.parent)))


def test_a_killed_writer_in_git_is_invisible_to_git_status_and_cleared_by_the_next_write(repo):
    plan = repo / "docs" / "plan.yaml"
    kill_a_writer_midway(plan)
    left = sorted(name for name in os.listdir(repo / ".git") if name.startswith("oagtrack-"))
    assert ["oagtrack-docs%2Fplan.yaml.lock", "tmp"] == sorted(
        "tmp" if name.endswith(".tmp") else name for name in left
    )
    assert ["?? docs/plan.yaml", "?? plan.yaml"] == untracked(repo)
    write_plan(plan, OLD, NEW)
    assert (NEW, []) == (
        plan.read_bytes(),
        [name for name in os.listdir(repo / ".git") if name.startswith("oagtrack-")],
    )


def test_copies_left_by_earlier_versions_beside_the_plan_are_cleared_and_nothing_else(plan):
    """mkstemp's `.plan.yaml.XXXXXXXX.tmp` was the old name; files that merely look alike stay."""
    folder = plan.parent
    old_copies = [".plan.yaml.a1b2_c3d.tmp", f".plan.yaml.{'0f' * 8}.tmp"]
    alike = [".plan.yaml.notes.tmp", ".other.yaml.a1b2c3d4.tmp", "plan.yaml.bak", ".plan.yaml.a1b2c3d4.tmp.keep"]
    for name in old_copies + alike:
        (folder / name).write_text("x")
    write_plan(plan, OLD, NEW)
    assert sorted(alike + ["plan.yaml"]) == sorted(os.listdir(folder))


# -- class 4: whatever the lock file holds, exit 3 or a clean takeover ---------------------------
LOCK_CONTENTS = {
    # name: (bytes in the lock file, how exit 3 names the holder)
    "empty": (b"", ""),
    "garbage": (b"garbage\n", ""),
    "5,000 digits": (b"9" * 5000 + b"\n", ""),
    "a number too large for a pid": (b"99999999999999999999\n", ""),
    "a negative number": (b"-1\n", ""),
    "zero": (b"0\n", ""),
    "a running process that is not oagtrack": (b"1\n", " (pid 1)"),
    "our own pid": (f"{os.getpid()}\n".encode(), f" (pid {os.getpid()})"),
    "bytes that are not text": (b"\xff\xfe\x00\x01", ""),
}


@pytest.mark.parametrize("case", list(LOCK_CONTENTS))
def test_a_lock_nobody_holds_is_taken_over_whatever_it_holds(plan, case):
    """A lock file whose flock no process holds was left by a dead writer: the write goes ahead and removes it."""
    lock_path(plan).write_bytes(LOCK_CONTENTS[case][0])
    write_plan(plan, OLD, NEW)
    assert (NEW, ["plan.yaml"]) == (plan.read_bytes(), sorted(os.listdir(plan.parent)))


@contextlib.contextmanager
def held(lock: Path, content: bytes):
    """The lock as a live writer holds it: flocked, holding `content`."""
    with open(lock, "wb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.write(content)
        holder.flush()
        yield


@pytest.mark.parametrize("case", list(LOCK_CONTENTS))
def test_a_held_lock_is_exit_3_whatever_it_holds(plan, case):
    content, who = LOCK_CONTENTS[case]
    with held(lock_path(plan), content), pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (3, f"{plan}: locked by another oagtrack{who}; retry in a moment") == (
        caught.value.code,
        caught.value.message,
    )
    assert (OLD, content) == (plan.read_bytes(), lock_path(plan).read_bytes())


def test_the_commands_take_over_or_wait_on_a_lock_holding_a_huge_number(tmp_path, monkeypatch):
    """The issue's example: exit 0 when nobody holds it, exit 3 when someone does; never an internal error."""
    (tmp_path / "plan.yaml").write_bytes(OLD)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    huge = b"9" * 5000 + b"\n"
    with held(tmp_path / "plan.yaml.lock", huge):
        waiting = run("start", "1.1", "--on", "2020-09-01")
    (tmp_path / "plan.yaml.lock").write_bytes(huge)
    taking_over = run("start", "1.1", "--on", "2020-09-01")
    assert (3, "oagtrack: plan.yaml: locked by another oagtrack; retry in a moment\n") == (
        waiting.exit_code,
        waiting.stderr,
    )
    assert (0, "plan.yaml: 1.1 in progress\n", ["plan.yaml"]) == (
        taking_over.exit_code,
        taking_over.stdout,
        sorted(os.listdir(tmp_path)),
    )


def make_symlink_to_a_victim(lock: Path) -> Path:
    victim = lock.parent / "victim.txt"
    victim.write_bytes(b"precious\n")
    lock.symlink_to(victim)
    return victim


NOT_A_LOCK = {
    "a symlink (never followed, so its target is never truncated)": (make_symlink_to_a_victim, "a symlink"),
    "a folder": (lambda lock: lock.mkdir(), "a folder"),
    "a FIFO": (lambda lock: os.mkfifo(lock), "a FIFO (named pipe)"),
}


@pytest.mark.parametrize("case", list(NOT_A_LOCK))
def test_something_else_at_the_locks_name_is_refused_with_one_line(plan, no_hang, case):
    make, what = NOT_A_LOCK[case]
    made = make(lock_path(plan))
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    expected = (
        f"{plan}: {lock_path(plan)} is {what}, not a lock file oagtrack made; "
        "remove it and retry; the plan is unchanged"
    )
    assert (1, expected, OLD) == (caught.value.code, caught.value.message, plan.read_bytes())
    if isinstance(made, Path):
        assert b"precious\n" == made.read_bytes()


def test_a_lock_file_with_another_name_is_refused_and_the_other_file_kept(plan):
    """A hard link planted at the lock's name would have the lock truncate another file."""
    other = plan.parent / "other.txt"
    other.write_bytes(b"precious\n")
    os.link(other, lock_path(plan))
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    expected = (
        f"{plan}: {lock_path(plan)} is not a lock file oagtrack made (it has other names); "
        "remove it and retry; the plan is unchanged"
    )
    assert (1, expected, OLD, b"precious\n") == (
        caught.value.code,
        caught.value.message,
        plan.read_bytes(),
        other.read_bytes(),
    )


# -- class 7: special files are refused by their type, never read -------------------------------
def bind_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as unix:
        unix.bind(str(path))


def make_char_device(path: Path) -> None:
    if not IS_ROOT:
        pytest.skip("making a device node needs root")
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null's numbers


SPECIAL = {
    # name: (make the thing at PATH in a folder, message after "PATH: ")
    "a FIFO": (lambda path: os.mkfifo(path), lambda path: "is a FIFO (named pipe), not a plan file"),
    "a socket": (bind_socket, lambda path: "is a socket, not a plan file"),
    "a character device": (make_char_device, lambda path: "is a character device, not a plan file"),
    "a symlink to a FIFO": (
        lambda path: (os.mkfifo(path.with_name("pipe")), path.symlink_to("pipe")),
        lambda path: f"is a symlink to {path.with_name('pipe')}, a FIFO (named pipe), not a plan file",
    ),
    "a symlink to a socket": (
        lambda path: (bind_socket(path.with_name("sock")), path.symlink_to("sock")),
        lambda path: f"is a symlink to {path.with_name('sock')}, a socket, not a plan file",
    ),
    "a symlink to /dev/zero": (
        lambda path: path.symlink_to("/dev/zero"),
        lambda path: "is a symlink to /dev/zero, a character device, not a plan file",
    ),
    "a symlink to /dev/null": (
        lambda path: path.symlink_to("/dev/null"),
        lambda path: "is a symlink to /dev/null, a character device, not a plan file",
    ),
}

#: Every way the plan is read: the read commands, an update, migrate.
READERS = {
    "validate": ["validate"],
    "status": ["status", "--as-of", "2021-01-01"],
    "show": ["show", "1.1", "--as-of", "2021-01-01"],
    "report": ["report", "--as-of", "2021-01-01"],
    "export": ["export", "--as-of", "2021-01-01"],
    "calendar": ["calendar"],
    "start": ["start", "1.1", "--on", "2020-09-01"],
    "migrate": ["migrate"],
}


@pytest.fixture
def special(tmp_path, monkeypatch, request):
    """A special file named plan.yaml in the current folder (short paths: a socket's name has a small limit)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    make, message = SPECIAL[request.param]
    make(Path("plan.yaml"))
    return message(tmp_path / "plan.yaml")


@pytest.mark.parametrize("special", list(SPECIAL), indirect=True)
@pytest.mark.parametrize("command", list(READERS))
def test_a_special_file_named_as_the_plan_is_refused_by_every_command(special, no_hang, command):
    result = run(*READERS[command], "--plan", "plan.yaml")
    assert (1, "", f"plan.yaml: {special}\n") == (result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("case", ["a FIFO", "a symlink to a socket"])
@pytest.mark.parametrize("command", ["validate", "start"])
def test_a_special_file_found_as_plan_yaml_is_refused_not_passed_over(tmp_path, monkeypatch, no_hang, case, command):
    """A valid plan.yaml further up is not used in its place: that would update the wrong file."""
    (tmp_path / "plan.yaml").write_bytes(OLD)
    inner = tmp_path / "inner"
    inner.mkdir()
    monkeypatch.chdir(inner)
    monkeypatch.delenv("OAGTRACK_PLAN", raising=False)
    make, message = SPECIAL[case]
    make(Path("plan.yaml"))
    result = run(*READERS[command])
    assert (1, f"plan.yaml: {message(inner / 'plan.yaml')}\n") == (result.exit_code, result.stderr)
    assert OLD == (tmp_path / "plan.yaml").read_bytes()


def test_a_folder_named_plan_yaml_is_still_passed_over(tmp_path, monkeypatch):
    (tmp_path / "plan.yaml").write_bytes(OLD)
    (tmp_path / "sub" / "plan.yaml").mkdir(parents=True)
    assert tmp_path / "plan.yaml" == store.find_plan(None, {}, tmp_path / "sub")


def test_a_broken_symlink_named_as_the_plan_says_where_it_points(tmp_path):
    (tmp_path / "plan.yaml").symlink_to("gone.yaml")
    with pytest.raises(PlanError) as caught:
        store.read_bytes(tmp_path / "plan.yaml")
    assert [f"{tmp_path / 'plan.yaml'}: is a symlink to gone.yaml, which does not exist"] == [
        str(p) for p in caught.value.problems
    ]


def test_a_plan_replaced_by_a_fifo_after_it_was_read_is_not_written(tmp_path, no_hang):
    plan = tmp_path / "plan.yaml"
    os.mkfifo(plan)
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (1, f"{plan}: is a FIFO (named pipe), not a plan file; nothing was written") == (
        caught.value.code,
        caught.value.message,
    )
    assert ["plan.yaml"] == os.listdir(tmp_path)


def test_a_plan_swapped_for_a_fifo_just_before_the_rename_is_not_waited_on(plan, monkeypatch, no_hang):
    """The check just before the rename reads the plan again: a FIFO there is refused, not read."""
    write_temp = store._write_temp

    def swap_meanwhile(*args, **kwargs):
        made = write_temp(*args, **kwargs)
        plan.unlink()
        os.mkfifo(plan)
        return made

    monkeypatch.setattr(store, "_write_temp", swap_meanwhile)
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert caught.value.code in (1, 3)
    assert stat.S_ISFIFO(os.lstat(plan).st_mode)
    assert ["plan.yaml"] == sorted(os.listdir(plan.parent))
