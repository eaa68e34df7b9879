"""Safe writing of the plan: atomic replace, permissions, symlinks, stale check, lock, full disk."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path

import pytest

from oagtrack.core import store
from oagtrack.core.store import WriteRefused, lock_path, write_plan

OLD = b"schema_version: 1\n# old\n"
NEW = b"schema_version: 1\n# new\n"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_bytes(OLD)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "plan.yaml")


def test_write_replaces_the_bytes_and_leaves_nothing_behind(plan):
    assert plan == write_plan(plan, OLD, NEW)
    assert (NEW, []) == (plan.read_bytes(), leftovers(plan.parent))


def test_write_keeps_permission_bits(plan):
    os.chmod(plan, 0o640)
    write_plan(plan, OLD, NEW)
    assert 0o640 == stat.S_IMODE(plan.stat().st_mode)


def test_write_replaces_a_new_inode_atomically(plan):
    """The new bytes arrive by rename: a reader holding the old file still sees the old bytes."""
    with plan.open("rb") as reader:
        write_plan(plan, OLD, NEW)
        assert OLD == reader.read()
    assert NEW == plan.read_bytes()


def test_a_symlink_is_resolved_to_its_target(tmp_path):
    real = tmp_path / "real" / "plan.yaml"
    real.parent.mkdir()
    real.write_bytes(OLD)
    link = tmp_path / "plan.yaml"
    link.symlink_to(real)
    assert real == write_plan(link, OLD, NEW)
    assert (True, NEW) == (link.is_symlink(), real.read_bytes())
    assert [] == sorted(p.name for p in real.parent.iterdir() if p.name != "plan.yaml")


def test_a_plan_changed_on_disk_since_it_was_read_is_not_overwritten(plan):
    plan.write_bytes(OLD + b"# someone else\n")
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (3, f"{plan}: plan changed on disk since it was read; nothing was written: run the command again") == (
        caught.value.code,
        caught.value.message,
    )
    assert (OLD + b"# someone else\n", []) == (plan.read_bytes(), leftovers(plan.parent))


def test_a_plan_deleted_since_it_was_read_is_a_conflict(plan):
    plan.unlink()
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert caught.value.code == 3
    assert not plan.exists()


def test_a_held_lock_refuses_with_exit_3_and_names_the_holder(plan):
    with open(lock_path(plan), "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.write(f"{os.getpid()}\n")
        holder.flush()
        with pytest.raises(WriteRefused) as caught:
            write_plan(plan, OLD, NEW)
        assert (3, f"{plan}: locked by another oagtrack (pid {os.getpid()}); retry in a moment") == (
            caught.value.code,
            caught.value.message,
        )
        assert OLD == plan.read_bytes()
        assert lock_path(plan).exists(), "someone else's lock is left alone"


def test_a_lock_left_by_a_dead_process_is_taken_over(plan):
    """Nobody holds the lock file's flock, so its writer is gone: the write goes ahead and the lock is removed."""
    lock_path(plan).write_text("4242\n")
    write_plan(plan, OLD, NEW)
    assert (NEW, []) == (plan.read_bytes(), leftovers(plan.parent))


def test_the_lock_is_released_after_a_refusal(plan):
    plan.write_bytes(b"changed\n")
    with pytest.raises(WriteRefused):
        write_plan(plan, OLD, NEW)
    assert not lock_path(plan).exists()
    write_plan(plan, b"changed\n", NEW)
    assert NEW == plan.read_bytes()


def test_a_read_only_plan_is_refused(plan):
    os.chmod(plan, 0o444)
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (1, f"{plan}: the plan file is read-only; make it writable (chmod u+w) to update it") == (
        caught.value.code,
        caught.value.message,
    )
    assert (OLD, []) == (plan.read_bytes(), leftovers(plan.parent))


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_leaves_the_plan_intact(plan, monkeypatch, code):
    def full(fd, data):
        os.write(fd, bytes(data)[:3])
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(store, "_write_all", full)
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (1, f"{plan}: the disk is full; nothing was written and the plan is unchanged") == (
        caught.value.code,
        caught.value.message,
    )
    assert (OLD, []) == (plan.read_bytes(), leftovers(plan.parent))


def test_a_failed_rename_leaves_the_plan_intact(plan, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(store.os, "replace", refuse)
    with pytest.raises(WriteRefused) as caught:
        write_plan(plan, OLD, NEW)
    assert (1, f"{plan}: cannot replace the plan: Permission denied; the plan is unchanged") == (
        caught.value.code,
        caught.value.message,
    )
    assert (OLD, []) == (plan.read_bytes(), leftovers(plan.parent))


def test_the_existing_reading_api_still_works(plan):
    """find_plan and read_bytes are unchanged by the writing half."""
    assert plan == store.find_plan(str(plan), {}, Path("/"))
    assert OLD == store.read_bytes(plan)
