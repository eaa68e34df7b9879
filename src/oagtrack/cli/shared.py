"""The Typer app and what every command shares: options, plan loading, output, exit codes.

Exit codes: 0 ok, 1 invalid plan or refused operation, 2 usage error,
3 plan changed on disk or locked (retry), 70 internal error (a bug).
Only this module reads today's date; everything below takes it as `as_of`.
Heavy modules are imported inside commands to keep start-up quick.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .. import __version__

if TYPE_CHECKING:
    from rich.console import RenderableType
    from typer.models import CommandFunctionType

    from ..core.query import Filters, Standing
    from ..core.store import Loaded

EXIT_INVALID = 1
EXIT_USAGE = 2
# 3 (the plan changed on disk, or is locked) is store.EXIT_CONFLICT, carried
# by store.WriteRefused; it is not imported here, to keep yaml out of start-up.
EXIT_INTERNAL = 70

app = typer.Typer(
    name="oagtrack",
    help="Follow an audit's Management Action Plan kept in plan.yaml.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# -- shared options --------------------------------------------------------
PlanOption = Annotated[
    str | None,
    typer.Option(
        "--plan",
        "-p",
        metavar="FILE",
        help="Plan file [default: $OAGTRACK_PLAN, else plan.yaml here or in the nearest parent folder]",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Answer as of this date: YYYY-MM-DD, today, +30d, 'Q2 2020-21' (its last day) [default: today]",
    ),
]
LeadOption = Annotated[
    list[str] | None,
    typer.Option("--lead", metavar="KEY", help="Only milestones led by this person key (repeatable)"),
]
OrgOption = Annotated[
    list[str] | None,
    typer.Option("--org", metavar="ORG", help="Only milestones led by someone in this organization, such as CBSA"),
]
RecOption = Annotated[
    list[str] | None, typer.Option("--rec", metavar="ID", help="Only this recommendation (repeatable)")
]
PlanAtOption = Annotated[
    str | None,
    typer.Option(
        "--plan-at",
        metavar="REV",
        help="Read the plan as it stood at this git revision (tag, branch, commit); read from git only, never from a file of that name",
    ),
]
StateOption = Annotated[
    str | None,
    typer.Option(
        "--state",
        metavar="STATES",
        help="Only these states, comma-separated: complete, complete-late, overdue, due-soon, open, retired",
    ),
]


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class DiagnosticFormat(str, Enum):
    """How `validate` and `check` report problems."""

    text = "text"
    json = "json"
    github = "github"
    auto = "auto"


DiagnosticFormatOption = Annotated[
    DiagnosticFormat,
    typer.Option(
        "--format",
        "-f",
        help="text; json; github (workflow commands, inline on pull requests); auto: github when GITHUB_ACTIONS=true",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"oagtrack {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit")
    ] = False,
) -> None:
    """Follow an audit's Management Action Plan kept in plan.yaml."""
    global _today
    _today = None  # a new command reads the clock afresh


def command(*, example: str, **settings: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
    """Register a command whose help ends, after its options, with an example."""
    # "\b" keeps click from re-wrapping the example line.
    return app.command(epilog=f"\b\nExample: {example}", **settings)


# -- helpers ---------------------------------------------------------------
_today: date | None = None


def today() -> date:
    """The only place the clock is read: once per command, so one run never straddles midnight."""
    global _today
    if _today is None:
        _today = date.today()
    return _today


def fail(lines: list[str] | str, code: int = EXIT_INVALID) -> NoReturn:
    """Print each line to stderr, plan text in it made inert, and exit with `code`."""
    from ..render.inert import visible

    for line in [lines] if isinstance(lines, str) else lines:
        typer.echo(visible(line), err=True)
    raise typer.Exit(code)


def say(line: str) -> None:
    """Print a line of outcome; a file name or plan text in it cannot act on the terminal."""
    from ..render.inert import visible

    typer.echo(visible(line))


def as_of_date(text: str | None, param: str = "--as-of", *, end_of_period: bool = True) -> date:
    from ..core.dates import DateError, parse_date

    if text is None:
        return today()
    try:
        return parse_date(text, today(), end_of_period=end_of_period)
    except DateError as err:
        raise typer.BadParameter(str(err), param_hint=param) from None


def plan_path(explicit: str | None) -> Path:
    """The plan file named, or found as git finds .git; exit 1 when there is none."""
    from ..core.problems import PlanError
    from ..core.store import find_plan

    try:
        return find_plan(explicit, os.environ, Path.cwd())
    except PlanError as err:
        fail([str(problem) for problem in err.problems])


def load(explicit: str | None, plan_at: str | None = None, *, as_of: date | None = None) -> Loaded:
    """The valid plan, from the working file or from git at `plan_at`; exit 1 with every problem otherwise.

    With `as_of`, the plan is as it stood at the end of that day
    (`history.as_of`): every view of it then shows only what had been
    recorded by then, whichever renderer draws it.
    """
    from ..core.problems import PlanError
    from ..core.store import load_plan

    path = plan_path(explicit)
    try:
        if plan_at is not None:  # an empty --plan-at is refused by gitio, never taken as "the working file"
            from ..core.gitio import read_revision, split_revision

            name = plan_at if split_revision(plan_at)[1] is not None else f"{plan_at}:{path}"
            loaded = load_plan(path, today(), data=read_revision(path, plan_at), name=name)
        else:
            loaded = load_plan(path, today())
    except PlanError as err:
        fail([str(problem) for problem in err.problems])
    if as_of is None:
        return loaded
    from ..core.history import as_of as plan_as_of

    return loaded._replace(plan=plan_as_of(loaded.plan, as_of))


def make_filters(
    lead: list[str] | None, org: list[str] | None, rec: list[str] | None, state: str | None, loaded: Loaded
) -> Filters:
    from ..core.query import STATES, Filters
    from ..render.inert import visible

    states = frozenset(s.strip() for s in state.split(",") if s.strip()) if state else frozenset()
    unknown = sorted(states - set(STATES))
    if unknown:
        raise typer.BadParameter(
            f"unknown state {', '.join(unknown)}; choose from {', '.join(STATES)}", param_hint="--state"
        )
    plan = loaded.plan
    for key in lead or ():
        if key not in plan.people:
            raise typer.BadParameter(
                f"no person {key!r} in the plan; people: {visible(', '.join(plan.people))}", param_hint="--lead"
            )
    orgs = {person.org.casefold(): person.org for person in plan.people.values() if person.org}
    for name in org or ():
        if name.casefold() not in orgs:
            raise typer.BadParameter(
                f"no organization {name!r} among the leads; organizations: {visible(', '.join(sorted(set(orgs.values()))))}",
                param_hint="--org",
            )
    rec_ids = [r.id for r in plan.recommendations]
    for rec_id in rec or ():
        if rec_id not in rec_ids:
            raise typer.BadParameter(
                f"no recommendation {rec_id!r}; recommendations: {visible(', '.join(rec_ids))}", param_hint="--rec"
            )
    return Filters(
        leads=frozenset(lead or ()),
        orgs=frozenset(o.casefold() for o in org or ()),
        recommendations=frozenset(rec or ()),
        states=states,
    )


def emit(renderable: RenderableType) -> None:
    from ..render.terminal import make_console, print_renderable

    print_renderable(make_console(), renderable)


def write_out(text: str) -> None:
    """Print `text` as it is (JSON, CSV, a diff, the schema).

    With no standard output at all (the app run without `cli.main`, which
    gives a closed one somewhere to go), there is nothing to print to, which
    is not an error.
    """
    if sys.stdout is not None:
        sys.stdout.write(text)


# -- shared command helpers -------------------------------------------------------
def parse_window(text: str, param: str = "--within") -> timedelta:
    """A duration such as `30d` or `2w` for the option `param`, or a usage error naming it."""
    from ..core.dates import DateError, parse_duration

    try:
        return parse_duration(text)
    except DateError as err:
        raise typer.BadParameter(str(err), param_hint=param) from None


def list_out(rows: list[Standing], format: ListFormat, empty: str) -> None:
    if format is ListFormat.table:
        from ..render.terminal import listing

        emit(listing(rows, empty))
        return
    from ..render import export as exporters

    write_out(exporters.standings_json(rows) if format is ListFormat.json else exporters.standings_csv(rows))


def unknown_id_message(item_id: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(item_id, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; ids include {', '.join(known[:8])}"
    return f"oagtrack: no item {item_id!r} in the plan{hint}"
