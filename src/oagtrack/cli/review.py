"""Pull-request and file-format commands: diff, check, log, schema, init, migrate.

Core and render modules are imported inside each command, to keep them out of `--help` (see `shared`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.problems import PlanError
from ..render.language import _
from .shared import (
    DiagnosticFormat,
    DiagnosticFormatOption,
    PlanOption,
    Selection,
    command,
    fail,
    find_sources,
    load_for_update,
    plan_path,
    say,
    today,
    unknown_id_message,
    write_out,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..core.gitio import Commit
    from ..core.model import Person, Plan
    from ..core.portfolio import Sources
    from ..core.problems import Problem


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"


@command(example="oagtrack schema > plan.schema.json", short_help="Print the JSON Schema of plan.yaml.")
def schema() -> None:
    """Print the JSON Schema (draft-07) of plan.yaml, for editors and other tools."""
    from ..core.json_schema import schema_text

    write_out(schema_text())


@command(
    example='oagtrack init --audit "2021 Report 5: Border Security" -o border.plan.yaml',
    short_help="Write a new plan skeleton.",
)
def init(
    audit: Annotated[str, typer.Option("--audit", metavar="TEXT", help="The audit's title")] = "Title of the audit",
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE", help="Where to write the plan")
    ] = "plan.yaml",
) -> None:
    """Write a new, valid, commented plan skeleton; never overwrites a file."""
    from ..core.skeleton import skeleton

    target = Path(output)
    text = skeleton(audit, today())
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        fail(
            "oagtrack: "
            + _("{target} already exists; init never overwrites a plan (choose another name with -o)").format(
                target=target
            )
        )
    except OSError as err:
        fail("oagtrack: " + _("cannot write {target}: {reason}").format(target=target, reason=err.strerror or err))
    say(_("{target}: new plan written; edit it, then run oagtrack validate {target}").format(target=target))


@command(example="oagtrack migrate --dry-run", short_help="Rewrite a version-1 plan as version 2.")
def migrate(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Print the diff the migration would make; change nothing")
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Rewrite a version-1 plan as version 2: every fact a dated history entry.

    The diff is small and keeps comments and layout: `on:` becomes `date:`,
    and the started, completed, evidence and verified keys become dated
    entries among the others. A version-2 plan is left as it is; on any
    doubt nothing is written, and the message says what to fix first.
    """
    from ..core.migrate import MigrateError, migrate_text
    from ..core.source import decode
    from ..core.store import WriteRefused, read_bytes, write_plan
    from ..render.unified_diff import unified_diff

    path = plan_path(plan)
    name = str(path)
    try:
        data = read_bytes(path)
    except PlanError as err:
        fail(err.problems)
    text, bom, problems = decode(data, name)
    if text is None:
        fail(problems)
    try:
        new_text, _migrated = migrate_text(text, name, today())
    except MigrateError as err:
        from ..render.language import say as in_language

        lines = [in_language(line) for line in err.lines]
        fail([f"oagtrack: {name}: {lines[0]}", *lines[1:], _("nothing was changed")])
    if new_text == text:
        say(_("{name}: already version 2; nothing to do").format(name=name))
        return
    new = (("\ufeff" if bom else "") + new_text).encode("utf-8")
    if dry_run:
        write_out(unified_diff(data, new, name))
        return
    try:
        write_plan(path, data, new)
    except WriteRefused as err:
        from ..render.language import say as in_language

        fail(f"oagtrack: {in_language(err.message)}", err.code)
    say(_("{name}: migrated to version 2; review the diff (git diff) and commit it").format(name=name))


@command(
    example="oagtrack diff origin/main --format markdown", short_help="What changed between two versions of the plan."
)
def diff(
    old: Annotated[
        str | None,
        typer.Argument(
            metavar="[OLD]",
            help=(
                "The earlier version, a git revision: main, HEAD~1, v1, a commit id, origin/main:plan.yaml"
                " [default: HEAD]"
            ),
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(metavar="[NEW]", help="The later version, a git revision [default: the working file]"),
    ] = None,
    old_file: Annotated[
        str | None,
        typer.Option(
            "--old-file", metavar="FILE", help="Read the earlier version from this file; a revision given is then NEW"
        ),
    ] = None,
    new_file: Annotated[
        str | None,
        typer.Option(
            "--new-file", metavar="FILE", help="Read the later version from this file; a revision given is then OLD"
        ),
    ] = None,
    format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, or markdown for a pull-request comment")
    ] = DiffFormat.text,
    plan: PlanOption = None,
) -> None:
    """What changed between two versions of the plan, in the plan's terms.

    OLD and NEW are git revisions, read from git only: a file with the same
    name is never read in their place. To compare files, name them with
    --old-file and --new-file (oagtrack diff --old-file OLD.yaml --new-file NEW.yaml).
    """
    from ..core.plan_diff import diff_plans
    from ..render.changes import changes_markdown, changes_text

    old_revision, new_revision = _revisions(old, new, old_file, new_file)
    render = changes_markdown if format is DiffFormat.markdown else changes_text
    if old_file is None and new_file is None:
        sources = find_sources(Selection(tuple(plan or ())))
        if not sources.single:
            for each, people in _portfolio_paths(sources):
                base = "HEAD" if old_revision is None else old_revision
                earlier, earlier_name = _version(each, base, "--old-file", people)
                later: Plan | None
                if new_revision is not None:
                    later, later_name = _version(each, new_revision, "--new-file", people)
                else:
                    later, later_name = _working(each, people), f"{each} (working file)"
                if later is None:
                    continue  # not in the later version: check refuses a deleted plan, diff has no terms for it
                earlier = earlier or later._replace(people={}, recommendations=())
                write_out(render(diff_plans(earlier, later), earlier_name, later_name))
            return
    # Two files name everything compared: no plan.yaml need be found.
    path = None if old_file is not None and new_file is not None else plan_path(plan)
    from ..core.portfolio import shared_people_for

    shared = shared_people_for(path, today()) if path is not None else None  # read once, for both versions
    old_plan: Plan | None
    new_plan: Plan | None
    if old_file is not None:
        old_plan, old_name = _file_version(old_file)
    else:
        assert path is not None, "only two files leave no plan to find"
        if old_revision is None:
            from ..core.gitio import in_git

            if not in_git(path):
                fail(
                    f"{path}: not inside a git repository, so there is no committed version to compare with;"
                    " compare two files: oagtrack diff --old-file OLD.yaml --new-file NEW.yaml"
                )
        old_plan, old_name = _version(path, "HEAD" if old_revision is None else old_revision, "--old-file", shared)
    if new_file is not None:
        new_plan, new_name = _file_version(new_file)
    else:
        assert path is not None, "only two files leave no plan to find"
        if new_revision is not None:
            new_plan, new_name = _version(path, new_revision, "--new-file", shared)
        else:
            new_plan, new_name = _working(path, shared), f"{path} (working file)"
    if new_plan is None:
        fail("oagtrack: " + _("{name}: the plan does not exist at that revision").format(name=new_name))
    if old_plan is None:  # a new plan: everything in it is added
        old_plan = new_plan._replace(people={}, recommendations=())
    write_out(render(diff_plans(old_plan, new_plan), old_name, new_name))


def _revisions(
    old: str | None, new: str | None, old_file: str | None, new_file: str | None
) -> tuple[str | None, str | None]:
    """The OLD and NEW revisions: the revisions given fill, in order, the sides no file names."""
    given = [revision for revision in (old, new) if revision is not None]
    sides = [side for side, file in (("OLD", old_file), ("NEW", new_file)) if file is None]
    if len(given) > len(sides):
        if not sides:
            why = "--old-file and --new-file name both versions: give no revision as well"
        elif old_file is not None:
            why = "--old-file names the earlier version: give at most one revision, NEW"
        else:
            why = "--new-file names the later version: give at most one revision, OLD"
        raise typer.BadParameter(why, param_hint="[OLD] [NEW]")
    revisions = dict(zip(sides, given))
    return revisions.get("OLD"), revisions.get("NEW")


@command(
    example="oagtrack check --against origin/main --format github", short_help="Refuse a change that rewrites history."
)
def check(
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            metavar="REV",
            help=(
                "The base version, a git revision: origin/main, a commit id, main:other.yaml; read from git only"
                " [default: HEAD]"
            ),
        ),
    ] = None,
    against_file: Annotated[
        str | None,
        typer.Option("--against-file", metavar="FILE", help="Read the base version from this file instead of git"),
    ] = None,
    format: DiagnosticFormatOption = DiagnosticFormat.text,
    plan: PlanOption = None,
) -> None:
    """Refuse a change that rewrites history: edited or removed history, a moved original due date,
    a deleted item, a completion without evidence.

    The base is a git revision, read from git only: a file with the same
    name is never read in its place; a base kept in a file is named with
    --against-file. Each problem is FILE:LINE:COL in the working file. Exit 1 on any.
    """
    from ..core.portfolio import shared_people_for
    from ..core.review import check_change
    from ..core.store import load_plan
    from ..render import diagnostics

    if against is not None and against_file is not None:
        raise typer.BadParameter("give --against REV or --against-file FILE, not both", param_hint="--against-file")
    base = against_file if against_file is not None else "HEAD" if against is None else against
    # JSON says which kind of base it was, so a reader never has to guess either.
    base_field = {"against_file": base} if against_file is not None else {"against": base}
    sources = find_sources(Selection(tuple(plan or ())))
    if not sources.single and against_file is None:
        from ..core.gitio import split_revision

        if split_revision(base)[1] is not None:
            why = "a portfolio is checked against a commit (origin/main, a commit id), not against one file at it"
            raise typer.BadParameter(why, param_hint="--against")
        _check_portfolio(sources, base, diagnostics.pick_format(format.value, os.environ), base_field)
        return
    path = plan_path(plan)
    kind = diagnostics.pick_format(format.value, os.environ)
    base_plan = None
    shared = shared_people_for(path, today())  # read once: both versions know the same portfolio's people
    try:
        new_plan = load_plan(path, today(), shared_people=shared).plan
        if against_file is not None:
            base_plan = load_plan(Path(against_file), today(), any_version=True, shared_people=shared).plan
        else:
            base_plan, _name = _read(path, base, "--against-file", shared)
        problems = check_change(base_plan, new_plan, str(path)) if base_plan is not None else []
    except PlanError as err:
        problems = err.problems
    if not problems:
        new_since = base_plan is None
        if kind == "json":
            write_out(diagnostics.as_json([], file=str(path), **base_field, new=new_since))
        elif new_since:
            say(
                _("{path}: ok; the plan is new since {base}, so there is no earlier version to check against").format(
                    path=path, base=base
                )
            )
        else:
            say(_("{path}: ok against {base}").format(path=path, base=base))
        return
    if kind == "text":
        fail(problems)
    write_out(
        diagnostics.as_json(problems, file=str(path), **base_field)
        if kind == "json"
        else diagnostics.as_github(problems, "oagtrack check")
    )
    raise typer.Exit(1)


def _check_portfolio(sources: Sources, base: str, kind: str, base_field: dict[str, str]) -> None:
    """`check` of every plan of a portfolio against `base`, and a plan file deleted since `base` refused."""
    from ..core.portfolio import load_portfolio as read_all
    from ..core.review import check_change
    from ..render import diagnostics

    portfolio, problems = read_all(sources, today())
    checked: list[str] = []
    for member in portfolio.members:
        try:
            base_plan, _name = _read(member.path, base, "--against-file", member.shared)
        except PlanError as err:
            problems += err.problems
            continue
        if base_plan is not None:
            problems += check_change(base_plan, member.plan, member.name)
        checked.append(member.name)
    try:
        problems += _deleted_plans(sources, base)
        problems += _dropped_plans(sources, base)
    except PlanError as err:
        problems += err.problems
    where = str(sources.portfolio or ", ".join(checked))
    if not problems:
        if kind == "json":
            write_out(diagnostics.as_json([], file=where, **base_field, new=False))
        else:
            for name in checked:
                say(_("{path}: ok against {base}").format(path=name, base=base))
        return
    if kind == "text":
        fail(problems)
    write_out(
        diagnostics.as_json(problems, file=where, **base_field)
        if kind == "json"
        else diagnostics.as_github(problems, "oagtrack check")
    )
    raise typer.Exit(1)


def _portfolio_paths(sources: Sources) -> list[tuple[Path, dict[str, Person]]]:
    """Every plan file the portfolio names now, in order, with the people the portfolio describes for it; exit 1
    with the portfolio file's problems."""
    from ..core.portfolio import read_portfolio_file, shared_people_for

    paths = list(sources.plans)
    if sources.portfolio is not None:
        named, people, problems = read_portfolio_file(sources.portfolio, today())
        if problems:
            fail(problems)
        return [(path, people) for path in [*named, *(p for p in paths if p not in named)]]
    return [(path, shared_people_for(path, today())) for path in paths]


def _dropped_plans(sources: Sources, base: str) -> list[Problem]:
    """A plan the portfolio file named at `base` and no longer names, its file kept: dropped from every report, so
    refused as a deletion is (a problem where the portfolio names its plans now)."""
    from ..core.gitio import read_if_present, read_revision
    from ..core.portfolio import plans_named_by, portfolio_file
    from ..core.problems import Problem
    from ..core.review import RETIRE_HINT
    from ..core.store import load_plan

    if sources.portfolio is None:
        return []
    data = read_if_present(sources.portfolio, base)
    if data is None:
        return []  # the portfolio is new since the base
    then = portfolio_file(sources.portfolio, today(), data, f"{base}:{sources.portfolio}")
    now = portfolio_file(sources.portfolio, today())
    named_now = {os.path.realpath(p) for p in plans_named_by(sources.portfolio, now.patterns)[0]}
    at = now.patterns[0][1:] if now.patterns else (1, 1)
    problems: list[Problem] = []
    for path in plans_named_by(sources.portfolio, then.patterns)[0]:
        if os.path.realpath(path) in named_now or not path.is_file():
            continue  # still named, or deleted (which `_deleted_plans` says)
        try:
            old = load_plan(path, today(), data=read_revision(path, base), any_version=True, shared_people=then.people)
        except PlanError:
            continue  # no plan at the base: nothing was dropped
        shown = os.path.relpath(path)
        audit = old.plan.audit.id
        message = f"plan {shown} (audit {audit}) was named by the portfolio at {base} and no longer is; {RETIRE_HINT}"
        problems.append(Problem(str(sources.portfolio), *at, message))
    return problems


def _deleted_plans(sources: Sources, base: str) -> list[Problem]:
    """A plan of the portfolio at `base` whose file is gone now: a problem where the portfolio names its plans."""
    from ..core.gitio import deleted_since, read_revision
    from ..core.portfolio import portfolio_file
    from ..core.problems import Problem
    from ..core.review import RETIRE_HINT
    from ..core.store import load_plan

    shared = portfolio_file(sources.portfolio, today()).people if sources.portfolio else {}
    folders = {path.parent for path in sources.plans} | ({sources.portfolio.parent} if sources.portfolio else set())
    problems: list[Problem] = []
    for folder in sorted(folders):
        for gone in deleted_since(folder, base):
            if gone.suffix not in (".yaml", ".yml") or gone.name == "portfolio.yaml":
                continue
            shown = Path(os.path.relpath(gone))
            named_at = _naming_entry(sources, shown)
            if named_at is None and shown.parent not in {p.parent for p in sources.plans}:
                continue
            try:
                old = load_plan(
                    shown,
                    today(),
                    data=read_revision(shown, base),
                    name=str(shown),
                    any_version=True,
                    shared_people=shared,
                )
            except PlanError:
                continue  # not a valid plan at the base: it was no plan of the portfolio
            file, line, col = named_at or (str(shown), 0, 0)
            message = f"plan {shown} (audit {old.plan.audit.id}) was deleted since {base}; {RETIRE_HINT}"
            problems.append(Problem(file, line, col, message))
    return problems


def _naming_entry(sources: Sources, path: Path) -> tuple[str, int, int] | None:
    """Where the portfolio file names `path` (its `plans:` entry), if it does."""
    import fnmatch

    if sources.portfolio is None:
        return None
    from ..core.portfolio import plan_patterns

    base = sources.portfolio.parent
    for pattern, line, col in plan_patterns(sources.portfolio)[0]:
        if fnmatch.fnmatch(os.path.normpath(path), os.path.normpath(base / pattern)):
            return str(sources.portfolio), line, col
    return None


@command(example="oagtrack log 3.1", short_help="The history of one item across git commits.")
def log(
    item_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="An action (1.1), step, outcome (1.outcome), recommendation (1) or person key"
        ),
    ],
    plan: PlanOption = None,
) -> None:
    """The history of one item across the git commits of the plan, and its own recorded history."""
    from ..core import gitio
    from ..core.migrate import read_any_version
    from ..core.model import Milestone
    from ..core.plan_diff import INVALID_VERSION, item_history
    from ..core.portfolio import shared_people_for
    from ..render.changes import log_text

    sources = find_sources(Selection(tuple(plan or ())))
    if sources.single:
        path = plan_path(plan)
        shared = shared_people_for(path, today())
    else:  # the one plan of the portfolio that holds the item, its id there, and the portfolio's people
        loaded, item_id, shared = load_for_update(plan, item_id)
        path = loaded.path
    current = _working(path, shared)
    found = current.find(item_id)
    try:
        commits = gitio.commits(path)
    except PlanError as err:
        fail(err.problems)

    def versions() -> Iterator[tuple[Commit, Plan | None]]:
        """Each commit's plan, read from git and validated; None where it is missing or invalid."""
        for commit in commits:
            try:
                data = gitio.read_revision(path, commit.sha)
                version, _problems = read_any_version(data, f"{commit.short}:{path}", today(), shared)
            except PlanError:
                version = None
            yield commit, version

    rows = item_history(item_id, versions(), current)
    if found is None and all(summaries == [INVALID_VERSION] for _commit, summaries in rows):
        fail(unknown_id_message(item_id, current.ids()))
    write_out(log_text(item_id, str(path), rows, found if isinstance(found, Milestone) else None))


# -- reading versions ---------------------------------------------------------------
def _working(path: Path, shared: Mapping[str, Person] | None = None) -> Plan:
    """The working file's plan; `shared`: the people of the portfolio read (default: the one above the file)."""
    from ..core.portfolio import shared_people_for
    from ..core.store import load_plan

    people = shared_people_for(path, today()) if shared is None else shared
    try:
        return load_plan(path, today(), shared_people=people).plan
    except PlanError as err:
        fail(err.problems)


def _read(
    path: Path, revision: str, file_option: str, shared: Mapping[str, Person] | None = None
) -> tuple[Plan | None, str]:
    """The plan at git `revision` and its name; None for the plan if it is new since that revision.

    The revision is read from git only. Raises PlanError with every problem.
    """
    from ..core.gitio import UnknownRevision, read_if_present, split_revision
    from ..core.portfolio import shared_people_for
    from ..core.store import load_plan

    try:
        data = read_if_present(path, revision)
    except UnknownRevision as err:
        # The file is only named in the advice, never read: that would let a file stand in for the base.
        if Path(revision).is_file():
            advice = f"; to compare the file {revision}, use {file_option} {revision}"
            raise PlanError([problem._replace(message=problem.message + advice) for problem in err.problems]) from None
        raise
    name = revision if split_revision(revision)[1] is not None else f"{revision}:{path}"
    if data is None:
        return None, name
    # the people of the portfolio as it is now: a lead it describes is known to the earlier version too
    shared = shared_people_for(path, today()) if shared is None else shared
    return load_plan(path, today(), data=data, name=name, any_version=True, shared_people=shared).plan, name


def _version(
    path: Path, revision: str, file_option: str, shared: Mapping[str, Person] | None = None
) -> tuple[Plan | None, str]:
    try:
        return _read(path, revision, file_option, shared)
    except PlanError as err:
        fail(err.problems)


def _file_version(name: str) -> tuple[Plan, str]:
    """A plan read from the file `name` (any format version), for --old-file and --new-file."""
    from ..core.store import load_plan

    try:
        return load_plan(Path(name), today(), any_version=True).plan, name
    except PlanError as err:
        fail(err.problems)
