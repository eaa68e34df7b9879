"""Pull-request and file-format commands: diff, check, log, schema, init, migrate."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .._app import DiagnosticFormat, DiagnosticFormatOption, PlanOption, command, fail, plan_path, say, today, unknown_id_message, write_out


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"


@command(example="oagtrack schema > plan.schema.json", short_help="Print the JSON Schema of plan.yaml.")
def schema() -> None:
    """Print the JSON Schema (draft-07) of plan.yaml, for editors and other tools."""
    from ..jsonschema import schema_text

    write_out(schema_text())


@command(example="oagtrack init --audit \"2021 Report 5: Border Security\" -o border.plan.yaml", short_help="Write a new plan skeleton.")
def init(
    audit: Annotated[str, typer.Option("--audit", metavar="TEXT", help="The audit's title")] = "Title of the audit",
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE", help="Where to write the plan")] = "plan.yaml",
) -> None:
    """Write a new, valid, commented plan skeleton; never overwrites a file."""
    from ..skeleton import skeleton

    target = Path(output)
    text = skeleton(audit, today())
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        fail(f"oagtrack: {target} already exists; init never overwrites a plan (choose another name with -o)")
    except OSError as err:
        fail(f"oagtrack: cannot write {target}: {err.strerror or err}")
    say(f"{target}: new plan written; edit it, then run oagtrack validate {target}")


@command(example="oagtrack migrate --dry-run", short_help="Rewrite a version-1 plan as version 2.")
def migrate(
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Print the diff the migration would make; change nothing")] = False,
    plan: PlanOption = None,
) -> None:
    """Rewrite a version-1 plan as version 2: every fact a dated history entry.

    The diff is small and keeps comments and layout: `on:` becomes `date:`,
    and the started, completed, evidence and verified keys become dated
    entries among the others. A version-2 plan is left as it is; on any
    doubt nothing is written, and the message says what to fix first.
    """
    from ..edit import unified_diff
    from ..migrate import MigrateError, migrate_text
    from ..problems import PlanError
    from ..source import decode
    from ..store import WriteRefused, read_bytes, write_plan

    path = plan_path(plan)
    name = str(path)
    try:
        data = read_bytes(path)
    except PlanError as err:
        fail([str(problem) for problem in err.problems])
    text, bom, problems = decode(data, name)
    if text is None:
        fail([str(problem) for problem in problems])
    try:
        new_text, _ = migrate_text(text, name, today())
    except MigrateError as err:
        fail([f"oagtrack: {name}: {err.lines[0]}", *err.lines[1:], "nothing was changed"])
    if new_text == text:
        say(f"{name}: already version 2; nothing to do")
        return
    new = (("\ufeff" if bom else "") + new_text).encode("utf-8")
    if dry_run:
        write_out(unified_diff(data, new, name))
        return
    try:
        write_plan(path, data, new)
    except WriteRefused as err:
        fail(f"oagtrack: {err.message}", err.code)
    say(f"{name}: migrated to version 2; review the diff (git diff) and commit it")


@command(example="oagtrack diff origin/main --format markdown", short_help="What changed between two versions of the plan.")
def diff(
    old: Annotated[Optional[str], typer.Argument(metavar="[OLD]", help="A file, or a git revision: main, HEAD~1, v1, origin/main:plan.yaml [default: HEAD]")] = None,
    new: Annotated[Optional[str], typer.Argument(metavar="[NEW]", help="A file or a git revision [default: the working file]")] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="text, or markdown for a pull-request comment")] = DiffFormat.text,
    plan: PlanOption = None,
) -> None:
    """What changed between two versions of the plan, in the plan's terms."""

    from ..changes import diff_plans
    from ..render.changes import changes_markdown, changes_text

    # Two files name everything compared: no plan.yaml need be found.
    both_files = bool(old and new and Path(old).is_file() and Path(new).is_file())
    path = Path(new) if both_files else plan_path(plan)
    if old is None:
        from ..gitio import in_git

        if not in_git(path):
            fail(f"{path}: not inside a git repository, so there is no committed version to compare with; name two files: oagtrack diff OLD.yaml NEW.yaml")
    old_plan, old_name = _version(path, old or "HEAD")
    new_plan, new_name = _version(path, new) if new else (_working(path), f"{path} (working file)")
    if new_plan is None:
        fail(f"oagtrack: {new_name}: the plan does not exist at that revision")
    if old_plan is None:  # a new plan: everything in it is added
        old_plan = new_plan._replace(people={}, recommendations=())
    changes = diff_plans(old_plan, new_plan)
    render = changes_markdown if format is DiffFormat.markdown else changes_text
    write_out(render(changes, old_name, new_name))


@command(example="oagtrack check --against origin/main --format github", short_help="Refuse a change that rewrites history.")
def check(
    against: Annotated[str, typer.Option("--against", metavar="REV", help="The base version: a git revision (origin/main) or a file")] = "HEAD",
    format: DiagnosticFormatOption = DiagnosticFormat.text,
    plan: PlanOption = None,
) -> None:
    """Refuse a change that rewrites history: edited or removed history, a moved original due date, a deleted item, a completion without evidence.

    Each problem is FILE:LINE:COL in the working file. Exit 1 on any.
    """
    import os

    from ..problems import PlanError
    from ..render import diagnostics
    from ..rules import check_change
    from ..store import load_plan

    path = plan_path(plan)
    kind = diagnostics.pick_format(format.value, os.environ)
    base_plan = None
    try:
        new_plan = load_plan(path, today()).plan
        base_plan, _ = _read(path, against)
        problems = check_change(base_plan, new_plan, str(path)) if base_plan is not None else []
    except PlanError as err:
        problems = err.problems
    if not problems:
        new_since = base_plan is None
        if kind == "json":
            write_out(diagnostics.as_json([], file=str(path), against=against, new=new_since))
        elif new_since:
            say(f"{path}: ok; the plan is new since {against}, so there is no earlier version to check against")
        else:
            say(f"{path}: ok against {against}")
        return
    if kind == "text":
        fail([str(problem) for problem in problems])
    write_out(diagnostics.as_json(problems, file=str(path), against=against) if kind == "json" else diagnostics.as_github(problems, "oagtrack check"))
    raise typer.Exit(1)


@command(example="oagtrack log 3.1", short_help="The history of one item across git commits.")
def log(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="An action (1.1), step, outcome (1.outcome), recommendation (1) or person key")],
    plan: PlanOption = None,
) -> None:
    """The history of one item across the git commits of the plan, and its own recorded history."""
    from .. import gitio
    from ..changes import INVALID_VERSION, item_history
    from ..model import Milestone
    from ..problems import PlanError
    from ..migrate import read_any_version
    from ..render.changes import log_text

    path = plan_path(plan)
    current = _working(path)
    found = current.find(item_id)
    try:
        commits = gitio.commits(path)
    except PlanError as err:
        fail([str(problem) for problem in err.problems])

    def versions():
        """Each commit's plan, read from git and validated; None where it is missing or invalid."""
        for commit in commits:
            try:
                version, _ = read_any_version(gitio.read_revision(path, commit.sha), f"{commit.short}:{path}", today())
            except PlanError:
                version = None
            yield commit, version

    rows = item_history(item_id, versions(), current)
    if found is None and all(summaries == [INVALID_VERSION] for _, summaries in rows):
        fail(unknown_id_message(item_id, current.ids()))
    write_out(log_text(item_id, str(path), rows, found if isinstance(found, Milestone) else None))


# -- reading versions ---------------------------------------------------------------
def _working(path: Path):
    from ..problems import PlanError
    from ..store import load_plan

    try:
        return load_plan(path, today()).plan
    except PlanError as err:
        fail([str(problem) for problem in err.problems])


def _read(path: Path, spec: str):
    """A plan from a file if `spec` names one, else from git; None if the plan is new since that revision.

    Raises PlanError with every problem.
    """
    from ..gitio import exists_at, read_revision
    from ..store import load_plan

    if Path(spec).is_file():
        return load_plan(Path(spec), today(), any_version=True).plan, spec
    name = spec if ":" in spec else f"{spec}:{path}"
    if not exists_at(path, spec):
        return None, name
    return load_plan(path, today(), data=read_revision(path, spec), name=name, any_version=True).plan, name


def _version(path: Path, spec: str):
    from ..problems import PlanError

    try:
        return _read(path, spec)
    except PlanError as err:
        fail([str(problem) for problem in err.problems])
