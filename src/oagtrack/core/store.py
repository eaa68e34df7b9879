"""Where the plan file is, how its bytes are read, and how they are written back.

Finding the plan follows the habit of git: `--plan`, else `$OAGTRACK_PLAN`,
else `plan.yaml` in the current folder or the nearest parent. Reading turns
every operating-system failure into a `Problem` a person can act on, and reads
regular files only: a FIFO, socket or device named as the plan is refused
from its type before it is opened, so no command ever waits on one.

Writing replaces the plan in one step (a temporary copy renamed over it)
under a lock, and the new file keeps what the old one was: its owner, group
and permission bits, never set-id bits. What cannot be kept is refused with
nothing written. Inside a git work tree the lock and the temporary copy live
in the git directory, so `git status` never shows them; a writer that was
killed leaves nothing that the next write does not clear.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .limits import MAX_BYTES
from .model import Person, Plan
from .problems import PlanError, Problem, said

if TYPE_CHECKING:
    import yaml

PLAN_FILENAME = "plan.yaml"
PLAN_ENV = "OAGTRACK_PLAN"


def find_plan(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """The plan file to use: the path named if one was named, even if absent.

    Anything named plan.yaml that is not a folder counts as found, so a FIFO
    or a broken symlink of that name is refused by the reader with its
    reason rather than passed over for a plan in a folder further up.

    Raises PlanError when none was named and no folder from `cwd` up holds one.
    """
    if explicit:
        return Path(explicit)
    if environ.get(PLAN_ENV):
        return Path(environ[PLAN_ENV])
    for folder in (cwd, *cwd.parents):
        candidate = folder / PLAN_FILENAME
        if os.path.lexists(candidate) and not os.path.isdir(candidate):
            return candidate if folder != cwd else Path(PLAN_FILENAME)
    raise PlanError(
        [
            Problem(
                PLAN_FILENAME,
                0,
                0,
                said(
                    "not found in {folder} or any folder above it; name the plan with --plan FILE or ${variable}",
                    folder=str(cwd),
                    variable=PLAN_ENV,
                ),
            )
        ]
    )


# -- reading ------------------------------------------------------------------
_KINDS = {
    stat.S_IFDIR: said("a folder"),
    stat.S_IFIFO: said("a FIFO (named pipe)"),
    stat.S_IFSOCK: said("a socket"),
    stat.S_IFCHR: said("a character device"),
    stat.S_IFBLK: said("a block device"),
}

# Opening a FIFO for reading waits for a writer unless O_NONBLOCK is given;
# O_NOCTTY keeps a terminal device from becoming ours if one slips through.
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


class _NotRegular(Exception):
    def __init__(self, mode: int):
        super().__init__(mode)
        self.mode = mode


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode)) or said("a special file")


def _not_a_plan_file(path: Path, mode: int) -> str:
    """Why a file of this type cannot be a plan, naming a symlink's target too."""
    if stat.S_ISDIR(mode) and not path.is_symlink():
        return said("is a folder, not a plan file")
    if path.is_symlink():
        return said(
            "is a symlink to {target}, {kind}, not a plan file", target=os.path.realpath(path), kind=_kind(mode)
        )
    return said("is {kind}, not a plan file", kind=_kind(mode))


def _read_regular(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """Up to `limit` bytes of a regular file and its status; _NotRegular for anything else.

    The type is checked before opening (opening some devices has effects of
    its own) and again on the open descriptor, in case the name was swapped
    in between.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _NotRegular(mode)
    fd = os.open(path, _READ_FLAGS)
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular(info.st_mode)
        return handle.read(limit), info


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a PlanError that says plainly why not."""
    name = str(path)
    try:
        data, _ = _read_regular(path, MAX_BYTES + 1)
    except _NotRegular as err:
        raise PlanError([Problem(name, 0, 0, _not_a_plan_file(path, err.mode))]) from None
    except FileNotFoundError:
        if path.is_symlink():
            raise PlanError(
                [Problem(name, 0, 0, said("is a symlink to {target}, which does not exist", target=_link_text(path)))]
            ) from None
        raise PlanError([Problem(name, 0, 0, said("no such file"))]) from None
    except PermissionError:
        raise PlanError([Problem(name, 0, 0, said("permission denied: cannot read the plan"))]) from None
    except OSError as err:
        raise PlanError([Problem(name, 0, 0, said("cannot read: {why}", why=str(err.strerror or err)))]) from None
    return data


def _link_text(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "a missing file"


class Loaded(NamedTuple):
    """A plan read from disk, with the bytes and the node tree it came from (for safe updates).

    The model holds positions, not YAML; an update finds its item's node in
    `tree` (`edit.apply_bytes(..., tree=loaded.tree)`) instead of parsing
    the bytes again. A version-1 plan migrated in memory has no tree.
    """

    path: Path
    data: bytes
    plan: Plan
    tree: yaml.Node | None = None


def load_plan(
    path: Path,
    today: date,
    *,
    data: bytes | None = None,
    name: str | None = None,
    any_version: bool = False,
    shared_people: Mapping[str, Person] | None = None,
    keep_tree: bool = False,
) -> Loaded:
    """Read (unless `data` is given) and validate; a PlanError carries every problem.

    `shared_people`: the people of the portfolio the plan belongs to (see `validate_bytes`).

    With `any_version`, a version-1 plan is migrated in memory (for the
    earlier versions a change is compared with); otherwise it is refused
    with the message that names `oagtrack migrate`.

    The tree is released as it is read (`validate_bytes`) and not returned:
    at 100,000 actions it takes 1.5 GB, and a model built beside it 220 MB
    more. An update, which splices its change into the tree, asks for it
    with `keep_tree`.
    """
    if data is None:
        data = read_bytes(path)
    tree = None
    if any_version:
        from .migrate import read_any_version

        plan, problems = read_any_version(data, name or str(path), today, shared_people)
    elif not keep_tree:
        from .validate import validate_bytes

        plan, problems = validate_bytes(data, name or str(path), today, shared_people=shared_people)
    else:
        from .source import gc_paused, load
        from .validate import validate_tree

        # validate_bytes, keeping the tree
        with gc_paused(len(data)):
            source, problems = load(data, name or str(path))
            plan = None
            if source is not None:
                tree = source.root
                plan, problems = validate_tree(tree, name or str(path), today, shared_people=shared_people)
    if plan is None:
        raise PlanError(problems)
    return Loaded(path, data, plan, tree)


# -- safe writing -----------------------------------------------------------
class WriteRefused(Exception):
    """The plan was not written; `code` is 1 (cannot write) or 3 (changed on disk, or locked)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.message = message
        self.code = code


EXIT_CANNOT_WRITE = 1
EXIT_CONFLICT = 3

#: The bits a new plan file takes from the old one: set-user-id and
#: set-group-id are dropped, since a plan is data and never a program.
KEPT_MODE_BITS = 0o7777 & ~(stat.S_ISUID | stat.S_ISGID)


def write_plan(path: Path, read: bytes, new: bytes) -> Path:
    """Replace the plan's bytes `read` with `new`, safely; the file actually written is returned.

    Resolves a symlink to its target; takes the lock and clears what a
    killed writer left; writes a temporary copy that is given the plan's
    owner, group and permission bits and fsynced; refuses (exit 3) if the
    file on disk is no longer the one read, then renames the copy over the
    plan in one step. On any failure the plan is left as it was and the
    temporary copy is removed.
    """
    target = Path(os.path.realpath(path))
    name = str(path)
    before = _writable_status(target, name)
    place = _place(target)
    with _Lock(place.lock, name):
        _clear_leftovers(place)
        _replace(target, place, read, new, before, name)
    _fsync_folder(target.parent)
    return target


def lock_path(target: Path) -> Path:
    """The lock file taken while the plan at `target` is written (see `_place`)."""
    return _place(Path(os.path.realpath(target))).lock


def _writable_status(target: Path, name: str) -> os.stat_result:
    """The plan's status, after refusing what an update cannot write as it is."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        raise WriteRefused(
            said("{name}: the plan is gone from disk since it was read; nothing was written", name=name), EXIT_CONFLICT
        ) from None
    except OSError as err:
        raise WriteRefused(
            said("{name}: cannot read the plan's permissions: {why}", name=name, why=str(err.strerror or err))
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(
            said("{name}: {why}; nothing was written", name=name, why=_not_a_plan_file(Path(name), info.st_mode))
        )
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteRefused(
            said("{name}: the plan file is read-only; make it writable (chmod u+w) to update it", name=name)
        )
    if info.st_nlink > 1:
        # Writing in place would keep the link but could leave half a plan
        # after a crash, and a reader could see one; the one-step rename that
        # prevents both gives this name a new file, so refuse instead.
        raise WriteRefused(
            said(
                "{name}: the plan has {count} hard links, and an update replaces the file, which would leave the"
                " other names with the old plan; make the other names symbolic links (ln -sf), which oagtrack"
                " follows; nothing was written",
                name=name,
                count=info.st_nlink,
            )
        )
    return info


def _replace(target: Path, place: _Place, read: bytes, new: bytes, before: os.stat_result, name: str) -> None:
    """Write the copy, check the plan is still the one read, and rename the copy over it."""
    import hashlib

    expected = hashlib.sha256(read).digest()
    folders = [(place.temp_folder, place.temp_prefix)]
    if place.temp_folder != target.parent:
        # The git directory can be on another mount than the work tree even
        # when the device numbers agree (bind mounts): then the copy is
        # written again beside the plan.
        folders.append((target.parent, _beside_prefix(target)))
    for attempt, (folder, prefix) in enumerate(folders, 1):
        tmp = _write_temp(folder, prefix, new, before, name)
        try:
            _refuse_if_changed(target, expected, before, name)
            os.replace(tmp, target)
            return
        except OSError as err:
            _remove_quietly(tmp)
            if err.errno == errno.EXDEV and attempt < len(folders):
                continue
            raise WriteRefused(
                said("{name}: cannot replace the plan: {why}; the plan is unchanged", name=name, why=_why(err))
            ) from None
        except BaseException:
            _remove_quietly(tmp)
            raise


def _refuse_if_changed(target: Path, expected: bytes, before: os.stat_result, name: str) -> None:
    """Exit 3 unless the file on disk is the one read: same bytes, and the same file as when its owner and mode were
    taken."""
    import hashlib

    try:
        on_disk, now = _read_regular(target, MAX_BYTES + 1)
    except FileNotFoundError:
        raise WriteRefused(
            said("{name}: the plan is gone from disk since it was read; nothing was written", name=name), EXIT_CONFLICT
        ) from None
    except (OSError, _NotRegular) as err:
        why = err.strerror if isinstance(err, OSError) else said("it is now {kind}", kind=_kind(err.mode))
        raise WriteRefused(
            said(
                "{name}: cannot re-read the plan before replacing it: {why}; the plan is unchanged", name=name, why=why
            )
        ) from None
    same_file = (now.st_dev, now.st_ino, now.st_uid, now.st_gid, now.st_mode, now.st_nlink) == (
        before.st_dev,
        before.st_ino,
        before.st_uid,
        before.st_gid,
        before.st_mode,
        before.st_nlink,
    )
    if not same_file or hashlib.sha256(on_disk).digest() != expected:
        raise WriteRefused(
            said(
                "{name}: plan changed on disk since it was read; nothing was written: run the command again", name=name
            ),
            EXIT_CONFLICT,
        )


def _write_temp(folder: Path, prefix: str, data: bytes, like: os.stat_result, name: str) -> Path:
    """A fsynced copy in `folder` holding `data`, with the owner, group and mode of `like`."""
    try:
        fd, tmp = _create_temp(folder, prefix)
    except OSError as err:
        raise WriteRefused(
            said(
                "{name}: cannot write in {folder}: {why}; the plan is unchanged",
                name=name,
                folder=str(folder),
                why=_why(err),
            )
        ) from None
    try:
        try:
            _write_all(fd, data)
            _keep_owner_and_mode(fd, like, name)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as err:
        _remove_quietly(tmp)
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise WriteRefused(
                said("{name}: the disk is full; nothing was written and the plan is unchanged", name=name)
            ) from None
        raise WriteRefused(
            said("{name}: cannot write the new plan: {why}; the plan is unchanged", name=name, why=_why(err))
        ) from None
    except BaseException:
        _remove_quietly(tmp)
        raise
    return tmp


def _create_temp(folder: Path, prefix: str) -> tuple[int, Path]:
    """A new file `PREFIX<16 hex>.tmp`, created exclusively (never through a symlink), mode 600."""
    import secrets

    for _ in range(100):
        tmp = folder / f"{prefix}{secrets.token_hex(8)}.tmp"
        try:
            return os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file")


def _keep_owner_and_mode(fd: int, like: os.stat_result, name: str) -> None:
    """Give the open copy the plan's owner and group (refused if impossible), then its mode without set-id bits.

    The owner goes first: changing it clears set-id bits, and the mode set
    after it is the one meant.
    """
    mine = os.fstat(fd)
    uid = like.st_uid if mine.st_uid != like.st_uid else -1
    gid = like.st_gid if mine.st_gid != like.st_gid else -1
    if uid != -1 or gid != -1:
        try:
            os.fchown(fd, uid, gid)
        except OSError as err:
            if err.errno not in (errno.EPERM, errno.EINVAL):
                raise
            raise WriteRefused(_cannot_keep_owner(name, like, owner_too=uid != -1)) from None
    os.fchmod(fd, stat.S_IMODE(like.st_mode) & KEPT_MODE_BITS)


def _cannot_keep_owner(name: str, like: os.stat_result, *, owner_too: bool) -> str:
    owner, group = _user_name(like.st_uid), _group_name(like.st_gid)
    me = _user_name(os.geteuid())
    if owner_too:
        if like.st_uid == 0:
            return said(
                "{name}: the plan belongs to {owner} (group {group}), and a new file written by {me}"
                " cannot keep that owner; run the update as {owner}; nothing was written",
                name=name,
                owner=owner,
                group=group,
                me=me,
            )
        return said(
            "{name}: the plan belongs to {owner} (group {group}), and a new file written by {me}"
            " cannot keep that owner; run the update as {owner} or as root; nothing was written",
            name=name,
            owner=owner,
            group=group,
            me=me,
        )
    return said(
        "{name}: the plan's group is {group}, and a new file written by {me} cannot keep that group;"
        " run the update as a member of {group} or as root; nothing was written",
        name=name,
        group=group,
        me=me,
    )


def _why(err: OSError) -> str:
    """The system's reason for a failure, as it words it."""
    return str(err.strerror or err)


def _not_a_lock(name: str, path: Path, what: str) -> str:
    return said(
        "{name}: {path} is {what}, not a lock file oagtrack made; remove it and retry; the plan is unchanged",
        name=name,
        path=str(path),
        what=what,
    )


def _user_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return said("user {uid}", uid=uid)


def _group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"{gid}"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# -- where the lock and the temporary copies live -----------------------------
class _Place(NamedTuple):
    """Where a write of one plan keeps its lock and its temporary copies.

    `leftovers` pairs each folder with the pattern of the temporary copies a
    killed writer of this plan may have left there; under the lock no live
    writer of this plan has one, so every match is garbage.
    """

    lock: Path
    temp_folder: Path
    temp_prefix: str
    leftovers: tuple[tuple[Path, re.Pattern[str]], ...]


def _place(target: Path) -> _Place:
    """In a git work tree, the git directory holds the lock and the copies; elsewhere, the plan's folder.

    Every writer of one plan finds the same lock, because the place follows
    from where the plan is, never from who runs the update.
    """
    beside = (target.parent, re.compile(re.escape(f".{target.name}.") + r"(?:[a-z0-9_]{8}|[0-9a-f]{16})\.tmp"))
    found = _git_dir(target.parent)
    if found is None:
        return _Place(target.with_name(target.name + ".lock"), target.parent, _beside_prefix(target), (beside,))
    git_dir, top = found
    key = _key(target.relative_to(top))
    in_git = (git_dir, re.compile(re.escape(f"oagtrack-{key}.") + r"[0-9a-f]{16}\.tmp"))
    try:
        same_device = os.stat(git_dir).st_dev == os.stat(target.parent).st_dev
    except OSError:
        same_device = False
    folder, prefix = (git_dir, f"oagtrack-{key}.") if same_device else (target.parent, _beside_prefix(target))
    return _Place(git_dir / f"oagtrack-{key}.lock", folder, prefix, (in_git, beside))


def _beside_prefix(target: Path) -> str:
    return f".{target.name}."


def _key(relative: Path) -> str:
    """A file name for the plan's path in its work tree: `plan.yaml`, `docs%2Fplan.yaml`."""
    import hashlib

    key = relative.as_posix().replace("%", "%25").replace("/", "%2F")
    if len(key.encode()) > 180:  # file names stop at 255 bytes
        key = hashlib.sha256(relative.as_posix().encode()).hexdigest()[:32]
    return key


def _git_dir(folder: Path) -> tuple[Path, Path] | None:
    """The git directory and work-tree top holding `folder`, found as git finds them, or None.

    A `.git` folder, or a `.git` file naming one (`gitdir: PATH`, as in
    worktrees and submodules), counts when it holds a HEAD.
    """
    for top in (folder, *folder.parents):
        dot = top / ".git"
        try:
            if dot.is_dir():
                git_dir = dot
            elif dot.is_file():
                text, _ = _read_regular(dot, 4096)
                first = text.decode("utf-8", "replace").splitlines()[:1]
                if not first or not first[0].startswith("gitdir:"):
                    continue
                git_dir = top / first[0][len("gitdir:") :].strip()
            else:
                continue
            if (git_dir / "HEAD").is_file():
                return Path(os.path.realpath(git_dir)), top
        except (OSError, _NotRegular):
            continue
    return None


def _clear_leftovers(place: _Place) -> None:
    """Remove the temporary copies of writers that were killed (called under the lock)."""
    for folder, pattern in place.leftovers:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for leftover in names:
            if pattern.fullmatch(leftover):
                _remove_quietly(folder / leftover)


# -- the lock -------------------------------------------------------------------
class _Lock:
    """An exclusive flock on the lock file, which holds our pid while we write.

    The kernel releases a flock when its holder dies, however it dies, so a
    lock file left by a killed writer is simply taken over: neither its
    content nor whether some process has its pid decides anything. The file
    is removed while still locked on the way out; a writer that opened it
    just before then finds, once it gets the lock, that the name is gone or
    names a newer file, and opens again.
    """

    ATTEMPTS = 20

    def __init__(self, path: Path, name: str):
        self.path = path
        self.name = name
        self.fd = -1

    def __enter__(self) -> None:
        import fcntl

        for _ in range(self.ATTEMPTS):
            fd, writable = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                message = self._held_message(fd)
                os.close(fd)
                raise WriteRefused(message, EXIT_CONFLICT) from None
            except OSError as err:
                os.close(fd)
                raise WriteRefused(
                    said(
                        "{name}: cannot lock {path}: {why}; the plan is unchanged",
                        name=self.name,
                        path=str(self.path),
                        why=_why(err),
                    )
                ) from None
            if not self._still_named(fd):
                os.close(fd)
                continue
            if not writable:
                # A dead writer's lock that we may not write (it ran as
                # another user): remove it, and make our own.
                self._take_over_unwritable(fd)
                continue
            try:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            except OSError as err:
                self._release(fd)
                raise WriteRefused(
                    said(
                        "{name}: cannot write the lock file {path}: {why}; the plan is unchanged",
                        name=self.name,
                        path=str(self.path),
                        why=_why(err),
                    )
                ) from None
            self.fd = fd
            return
        raise WriteRefused(said("{name}: locked by another oagtrack; retry in a moment", name=self.name), EXIT_CONFLICT)

    def __exit__(self, *exc: object) -> None:
        self._release(self.fd)

    def _open(self) -> tuple[int, bool]:
        """The lock file opened (created if absent) and whether we may write it."""
        try:
            kind = os.lstat(self.path).st_mode
        except FileNotFoundError:
            kind = stat.S_IFREG
        except OSError as err:
            raise WriteRefused(
                said(
                    "{name}: cannot use the lock file {path}: {why}; the plan is unchanged",
                    name=self.name,
                    path=str(self.path),
                    why=_why(err),
                )
            ) from None
        if not stat.S_ISREG(kind):
            raise WriteRefused(
                _not_a_lock(self.name, self.path, said("a symlink") if stat.S_ISLNK(kind) else _kind(kind))
            )
        # O_NOFOLLOW: a symlink planted at the lock's name is never followed
        # to truncate the file it points at.
        flags = os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        failure: OSError
        try:
            return os.open(self.path, os.O_RDWR | flags, 0o644), True
        except PermissionError as denied:
            try:
                return os.open(
                    self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
                ), False
            except OSError:
                failure = denied
        except OSError as other:
            failure = other
        if failure.errno == errno.ELOOP:
            raise WriteRefused(_not_a_lock(self.name, self.path, said("a symlink")))
        raise WriteRefused(
            said(
                "{name}: cannot create the lock file {path}: {why}; the plan is unchanged",
                name=self.name,
                path=str(self.path),
                why=_why(failure),
            )
        )

    def _still_named(self, fd: int) -> bool:
        """Whether the locked file is still the one at the lock's name, and a plain file with no other names."""
        try:
            named, held = os.lstat(self.path), os.fstat(fd)
        except OSError:
            return False
        if (named.st_dev, named.st_ino) != (held.st_dev, held.st_ino):
            return False
        if not stat.S_ISREG(held.st_mode) or held.st_nlink != 1:
            os.close(fd)
            raise WriteRefused(
                said(
                    "{name}: {path} is not a lock file oagtrack made (it has other names); remove it and retry;"
                    " the plan is unchanged",
                    name=self.name,
                    path=str(self.path),
                )
            )
        return True

    def _held_message(self, fd: int) -> str:
        """Exit 3's message: the holder's pid when the file holds a plausible one."""
        try:
            content = os.pread(fd, 64, 0)
        except OSError:
            content = b""
        match = re.fullmatch(rb"\s*([1-9][0-9]{0,9})\s*", content)
        pid = int(match[1]) if match and int(match[1]) < 2**31 else 0
        if pid:
            return said("{name}: locked by another oagtrack (pid {pid}); retry in a moment", name=self.name, pid=pid)
        return said("{name}: locked by another oagtrack; retry in a moment", name=self.name)

    def _take_over_unwritable(self, fd: int) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        except OSError as err:
            raise WriteRefused(
                said(
                    "{name}: the lock file {path} was left by an oagtrack that is no longer running, and cannot"
                    " be removed ({why}); remove it and retry; the plan is unchanged",
                    name=self.name,
                    path=str(self.path),
                    why=_why(err),
                )
            ) from None
        finally:
            os.close(fd)

    def _release(self, fd: int) -> None:
        """Unlink while still holding the lock, then let it go."""
        if fd < 0:
            return
        _remove_quietly(self.path)
        os.close(fd)


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
