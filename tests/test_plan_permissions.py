"""What a person sees when the operating system refuses: a plan they may not read, a folder or lock they may not write.

Each refusal is one line naming the file and the fix, with exit 1, and the
plan keeps its bytes. Tests that act as another user need root (CI runs as
root) and skip elsewhere; they call the store directly, because a process
that has dropped root may not be able to import the rest of oagtrack.
"""

from __future__ import annotations

import contextlib
import fcntl  # noqa: F401  imported while still root: the writer uses it after a test drops root
import grp
import hashlib  # noqa: F401  (as above)
import os
import pwd
import secrets  # noqa: F401  (as above)
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SMALL_PLAN
from typer.testing import CliRunner

from oagtrack.cli import app
from oagtrack.core.problems import PlanError
from oagtrack.core.store import WriteRefused, lock_path, read_bytes, write_plan

OLD = SMALL_PLAN.encode()
NEW = OLD + b"# updated\n"
IS_ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="acting as another user needs root")
NOBODY = pwd.getpwnam("nobody") if IS_ROOT else None
runner = CliRunner()


@contextlib.contextmanager
def as_nobody() -> Iterator[None]:
    """Run the block with nobody's effective user and group, then become root again."""
    assert NOBODY is not None
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


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder nobody can reach (pytest's own are root's, mode 700); each test sets who may write in it."""
    made = Path(tempfile.mkdtemp(prefix="oagtrack-permissions-"))
    os.chmod(made, 0o755)
    yield made
    shutil.rmtree(made)


def nobodys_plan(folder: Path) -> Path:
    plan = folder / "plan.yaml"
    plan.write_bytes(OLD)
    assert NOBODY is not None
    os.chown(plan, NOBODY.pw_uid, NOBODY.pw_gid)
    return plan


def unused_id() -> int:
    """A user and group id with no name on this system, as a file copied from another machine may have."""
    for candidate in range(54321, 54421):
        with contextlib.suppress(KeyError):
            pwd.getpwuid(candidate)
            continue
        with contextlib.suppress(KeyError):
            grp.getgrgid(candidate)
            continue
        return candidate
    pytest.skip("no unnamed id between 54321 and 54420")


@needs_root
def test_a_plan_the_user_may_not_read_is_refused_in_one_line(folder):
    plan = folder / "plan.yaml"
    plan.write_bytes(OLD)
    os.chmod(plan, 0o600)
    with as_nobody(), pytest.raises(PlanError) as caught:
        read_bytes(plan)
    assert [f"{plan}: permission denied: cannot read the plan"] == [str(problem) for problem in caught.value.problems]


@needs_root
def test_a_plan_in_a_folder_the_user_may_not_write_is_refused_and_kept(folder):
    """The plan itself is theirs, but neither the lock nor the new copy can be made beside it."""
    plan = nobodys_plan(folder)
    with as_nobody(), pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (
        1,
        f"{plan}: cannot create the lock file {lock_path(plan)}: Permission denied; the plan is unchanged",
    ) == (
        caught.value.code,
        caught.value.message,
    )
    assert (OLD, ["plan.yaml"]) == (plan.read_bytes(), os.listdir(folder))


@needs_root
def test_a_dead_writers_lock_the_user_may_not_remove_is_refused_with_the_fix(folder):
    """Root's writer died and left its lock in a folder nobody may not change: nobody is told to remove it."""
    plan = nobodys_plan(folder)
    lock = lock_path(plan)
    lock.write_text("4242\n")
    os.chmod(lock, 0o644)
    with as_nobody(), pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (
        1,
        f"{plan}: the lock file {lock} was left by an oagtrack that is no longer running, and cannot be removed"
        " (Permission denied); remove it and retry; the plan is unchanged",
    ) == (caught.value.code, caught.value.message)
    assert (OLD, "4242\n") == (plan.read_bytes(), lock.read_text())


@needs_root
def test_a_plan_owned_by_an_unnamed_user_is_named_by_its_ids(folder):
    """A plan copied from another machine keeps ids no account here has: the refusal still says whose it is."""
    os.chmod(folder, 0o777)
    plan = folder / "plan.yaml"
    plan.write_bytes(OLD)
    owner = unused_id()
    os.chown(plan, owner, owner)
    os.chmod(plan, 0o666)
    with as_nobody(), pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (
        1,
        f"{plan}: the plan belongs to user {owner} (group {owner}), and a new file written by nobody cannot keep that"
        f" owner; run the update as user {owner} or as root; nothing was written",
    ) == (caught.value.code, caught.value.message)
    assert (OLD, ["plan.yaml"]) == (plan.read_bytes(), os.listdir(folder))


def test_a_symlink_loop_named_as_the_plan_is_refused_in_one_line(tmp_path):
    loop = tmp_path / "plan.yaml"
    loop.symlink_to(loop)
    result = runner.invoke(app, ["validate", str(loop)])
    assert (1, "", f"{loop}: cannot read: Too many levels of symbolic links\n") == (
        result.exit_code,
        result.stdout,
        result.stderr,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["note", "1.1", "Checked", "--on", "2020-09-02"],
        ["complete", "1.1", "-e", "evidence.pdf", "--on", "2020-09-28"],
    ],
)
def test_an_update_of_a_read_only_plan_is_refused_with_exit_1_and_the_fix(tmp_path, command):
    """Even root, who could write it, leaves a read-only plan alone: the mode says someone meant it."""
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(OLD)
    os.chmod(plan, 0o444)
    result = runner.invoke(app, [*command, "--plan", str(plan)])
    assert (
        1,
        "",
        f"oagtrack: {plan}: the plan file is read-only; make it writable (chmod u+w) to update it\n",
    ) == (result.exit_code, result.stdout, result.stderr)
    assert (OLD, ["plan.yaml"]) == (plan.read_bytes(), os.listdir(tmp_path))


def test_migrating_a_read_only_plan_is_refused_and_leaves_version_1(tmp_path):
    version_1 = (Path(__file__).parent / "fixtures" / "v1" / "small-edit.yaml").read_bytes()
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(version_1)
    os.chmod(plan, 0o444)
    result = runner.invoke(app, ["migrate", "--plan", str(plan)])
    assert (
        1,
        "",
        f"oagtrack: {plan}: the plan file is read-only; make it writable (chmod u+w) to update it\n",
    ) == (result.exit_code, result.stdout, result.stderr)
    assert version_1 == plan.read_bytes()
