"""Where the plan file is and how its bytes are read.

Finding the plan follows the habit of git: `--plan`, else `$OAGTRACK_PLAN`,
else `plan.yaml` in the current folder or the nearest parent. Reading turns
every operating-system failure into a `Problem` a person can act on.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import NamedTuple

from .model import Plan
from .problems import PlanError, Problem
from .source import MAX_BYTES

PLAN_FILENAME = "plan.yaml"
PLAN_ENV = "OAGTRACK_PLAN"


def find_plan(explicit: str | None, environ: dict[str, str] | os._Environ, cwd: Path) -> Path:
    """The plan file to use: the path named if one was named, even if absent.

    Raises PlanError when none was named and no folder from `cwd` up holds one.
    """
    if explicit:
        return Path(explicit)
    if environ.get(PLAN_ENV):
        return Path(environ[PLAN_ENV])
    for folder in (cwd, *cwd.parents):
        candidate = folder / PLAN_FILENAME
        if candidate.is_file():
            return candidate if folder != cwd else Path(PLAN_FILENAME)
    raise PlanError([Problem(PLAN_FILENAME, 0, 0, f"not found in {cwd} or any folder above it; name the plan with --plan FILE or ${PLAN_ENV}")])


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a PlanError that says plainly why not."""
    name = str(path)
    try:
        if path.is_dir():
            raise PlanError([Problem(name, 0, 0, "is a folder, not a plan file")])
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanError([Problem(name, 0, 0, "no such file")]) from None
    except PermissionError:
        raise PlanError([Problem(name, 0, 0, "permission denied: cannot read the plan")]) from None
    except OSError as err:
        raise PlanError([Problem(name, 0, 0, f"cannot read: {err.strerror or err}")]) from None
    return data


class Loaded(NamedTuple):
    """A plan read from disk, with the bytes it came from (for safe updates)."""

    path: Path
    data: bytes
    plan: Plan


def load_plan(path: Path, today: date, *, data: bytes | None = None, name: str | None = None, any_version: bool = False) -> Loaded:
    """Read (unless `data` is given) and validate; a PlanError carries every problem.

    With `any_version`, a version-1 plan is migrated in memory (for the
    earlier versions a change is compared with); otherwise it is refused
    with the message that names `oagtrack migrate`.
    """
    if data is None:
        data = read_bytes(path)
    if any_version:
        from .migrate import read_any_version

        plan, problems = read_any_version(data, name or str(path), today)
    else:
        from .validate import validate_bytes

        plan, problems = validate_bytes(data, name or str(path), today)
    if plan is None:
        raise PlanError(problems)
    return Loaded(path, data, plan)


# -- safe writing -----------------------------------------------------------
class WriteRefused(Exception):
    """The plan was not written; `code` is 1 (cannot write) or 3 (changed on disk, or locked)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.message = message
        self.code = code


EXIT_CANNOT_WRITE = 1
EXIT_CONFLICT = 3


def lock_path(target: Path) -> Path:
    """The sidecar lock file of a plan: `plan.yaml.lock` beside it (ignored by git)."""
    return target.with_name(target.name + ".lock")


def write_plan(path: Path, read: bytes, new: bytes) -> Path:
    """Replace the plan's bytes `read` with `new`, safely; the file actually written is returned.

    Resolves a symlink to its target; takes the sidecar lock; refuses (exit 3)
    if the bytes on disk are no longer the bytes read; writes a temporary file
    in the same folder, flushes and fsyncs it, gives it the plan's permission
    bits and renames it over the plan in one step. On any failure the plan is
    left as it was and the temporary file is removed.
    """
    import hashlib

    target = Path(os.path.realpath(path))
    name = str(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        raise WriteRefused(f"{name}: the plan is gone from disk since it was read; nothing was written", EXIT_CONFLICT) from None
    except OSError as err:
        raise WriteRefused(f"{name}: cannot read the plan's permissions: {err.strerror or err}") from None
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteRefused(f"{name}: the plan file is read-only; make it writable (chmod u+w) to update it")
    with _locked(target, name):
        expected = hashlib.sha256(read).digest()
        tmp = _write_temp(target, new, mode, name)
        try:
            try:
                on_disk = target.read_bytes()
            except OSError as err:
                raise WriteRefused(f"{name}: cannot re-read the plan before replacing it: {err.strerror or err}") from None
            if hashlib.sha256(on_disk).digest() != expected:
                raise WriteRefused(f"{name}: plan changed on disk since it was read; nothing was written: run the command again", EXIT_CONFLICT)
            try:
                os.replace(tmp, target)
            except OSError as err:
                raise WriteRefused(f"{name}: cannot replace the plan: {err.strerror or err}; the plan is unchanged") from None
        except BaseException:
            _remove_quietly(tmp)
            raise
    _fsync_folder(target.parent)
    return target


def _write_temp(target: Path, data: bytes, mode: int, name: str) -> Path:
    """A fsynced temporary copy beside `target` with its permission bits."""
    import errno
    import tempfile

    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise WriteRefused(f"{name}: cannot write in {target.parent}: {err.strerror or err}; the plan is unchanged") from None
    tmp = Path(tmp_name)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode & 0o7777)
    except OSError as err:
        _remove_quietly(tmp)
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise WriteRefused(f"{name}: the disk is full; nothing was written and the plan is unchanged") from None
        raise WriteRefused(f"{name}: cannot write the new plan: {err.strerror or err}; the plan is unchanged") from None
    return tmp


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class _locked:
    """The sidecar lock: created exclusively, holding our pid, removed on exit."""

    def __init__(self, target: Path, name: str):
        self.path = lock_path(target)
        self.name = name

    def __enter__(self) -> None:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raise WriteRefused(self._held_message(), EXIT_CONFLICT) from None
        except OSError as err:
            raise WriteRefused(f"{self.name}: cannot create the lock file {self.path}: {err.strerror or err}; the plan is unchanged") from None
        try:
            os.write(fd, f"{os.getpid()}\n".encode())
        finally:
            os.close(fd)

    def __exit__(self, *exc: object) -> None:
        _remove_quietly(self.path)

    def _held_message(self) -> str:
        try:
            pid = int(self.path.read_text().strip() or 0)
        except (OSError, ValueError):
            pid = 0
        if pid and not _running(pid):
            return f"{self.name}: locked by an oagtrack that is no longer running (pid {pid}); if so, delete {self.path} and retry"
        who = f" (pid {pid})" if pid else ""
        return f"{self.name}: locked by another oagtrack{who}; retry in a moment"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
