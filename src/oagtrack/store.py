"""Where the plan file is and how its bytes are read.

Finding the plan follows the habit of git: `--plan`, else `$OAGTRACK_PLAN`,
else `plan.yaml` in the current folder or the nearest parent. Reading turns
every operating-system failure into a `Problem` a person can act on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .model import Plan
from .problems import PlanError, Problem
from .source import MAX_BYTES

PLAN_FILENAME = "plan.yaml"
PLAN_ENV = "OAGTRACK_PLAN"


def find_plan(explicit: str | None, environ: dict[str, str] | os._Environ, cwd: Path) -> Path:
    """The plan file to use; the path named if one was named, even if absent."""
    if explicit:
        return Path(explicit)
    if environ.get(PLAN_ENV):
        return Path(environ[PLAN_ENV])
    for folder in (cwd, *cwd.parents):
        candidate = folder / PLAN_FILENAME
        if candidate.is_file():
            return candidate if folder != cwd else Path(PLAN_FILENAME)
    return Path(PLAN_FILENAME)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a PlanError that says plainly why not."""
    name = str(path)
    try:
        if path.is_dir():
            raise PlanError([Problem(name, 0, 0, "is a folder, not a plan file")])
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanError([Problem(name, 0, 0, f"no such file; name the plan with --plan FILE or ${PLAN_ENV}, or run where {PLAN_FILENAME} is")]) from None
    except PermissionError:
        raise PlanError([Problem(name, 0, 0, "permission denied: cannot read the plan")]) from None
    except OSError as err:
        raise PlanError([Problem(name, 0, 0, f"cannot read: {err.strerror or err}")]) from None
    return data


@dataclass(frozen=True, slots=True)
class Loaded:
    """A plan read from disk, with the bytes it came from (for safe updates)."""

    path: Path
    data: bytes
    plan: Plan


def load_plan(path: Path, today: date, *, data: bytes | None = None, name: str | None = None) -> Loaded:
    """Read (unless `data` is given) and validate; a PlanError carries every problem."""
    from .validate import validate_bytes

    if data is None:
        data = read_bytes(path)
    plan, problems = validate_bytes(data, name or str(path), today)
    if plan is None:
        raise PlanError(problems)
    return Loaded(path, data, plan)
