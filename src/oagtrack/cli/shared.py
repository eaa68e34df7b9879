"""The Typer app and what every command shares: options, plan loading, output, exit codes.

Exit codes: 0 ok, 1 invalid plan or refused operation, 2 usage error,
3 plan changed on disk or locked (retry), 70 internal error (a bug).
Only this module reads today's date; everything below takes it as `as_of`.

Lazy imports: the core and render modules are imported inside the
functions that use them, here and in every command module.
`oagtrack --help` and `--version` import every command module, so a
module-level import is paid by them too: yaml, rich and the renderers that
the four modules need would take them from about 95 ms to about 250 ms
(measured in issue 13). At module level are only what start-up imports
anyway (`render.inert`, `core.plan_terms`) and `core.problems` (under 1 ms).
"""

from __future__ import annotations

import difflib
import functools
import inspect
import os
import sys
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .. import __version__
from ..core.problems import PlanError
from ..render.inert import visible

if TYPE_CHECKING:
    from rich.console import RenderableType
    from typer.models import CommandFunctionType

    from ..core.model import Plan
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
        help=(
            "Read the plan as it stood at this git revision (tag, branch, commit);"
            " read from git only, never from a file of that name"
        ),
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


#: The default of a command's `filters` parameter, never used: `with_filters` always passes the options' value.
FROM_OPTIONS: Any = None
#: The filter options, in the order --help lists them: `with_filters` gives them to a command.
FILTER_OPTIONS = {"lead": LeadOption, "org": OrgOption, "rec": RecOption, "state": StateOption}


def with_filters(command: Callable[..., None]) -> Callable[..., None]:
    """Give `command` the options --lead, --org, --rec and --state in place of its parameter `filters`.

    Typer reads a command's options from its signature, so the signature
    Typer sees has the four options where `filters` stood, and the command
    is called with the one `Filters` value they make. `load(...,
    filters=filters)` then refuses a filter that names what the plan lacks.
    """
    # `filters` is replaced, so its annotation (a class imported for type checking only) is never read.
    signature = inspect.signature(command, eval_str=True, locals={"Filters": None})
    parameters = list(signature.parameters.values())
    at = [parameter.name for parameter in parameters].index("filters")
    parameters[at : at + 1] = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=annotation)
        for name, annotation in FILTER_OPTIONS.items()
    ]

    @functools.wraps(command)
    def with_filter_options(**options: Any) -> None:
        written = {name: options.pop(name) for name in FILTER_OPTIONS}
        command(**options, filters=filters_from(**written))

    with_filter_options.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_filter_options.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    return with_filter_options


def filters_from(
    lead: list[str] | None = None, org: list[str] | None = None, rec: list[str] | None = None, state: str | None = None
) -> Filters:
    """The one `Filters` value of the filter options as written; `load` checks it against the plan."""
    from ..core.query import Filters

    states = tuple(name.strip() for name in state.split(",") if name.strip()) if state else ()
    return Filters(leads=tuple(lead or ()), orgs=tuple(org or ()), recommendations=tuple(rec or ()), states=states)


def accepting_old_names(choices: type[Enum], old_names: Mapping[str, str]) -> Callable[[Any], str]:
    """A parser for a `--format` option that takes each of `choices`, and also the old names in `old_names`.

    An old name is read as the choice it maps to: scripts written before
    the rename keep working, and --help shows only the current names.
    """
    names = [choice.value for choice in choices]

    def choice_name(value: Any) -> str:
        name = value.value if isinstance(value, Enum) else str(value)
        name = old_names.get(name, name)
        if name not in names:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(map(repr, names))}.")
        return name

    return choice_name


def choice_metavar(choices: type[Enum]) -> str:
    """How --help shows a format's choices, as Typer shows an enum's: <text|json|csv>."""
    return f"<{'|'.join(choice.value for choice in choices)}>"


class ListFormat(str, Enum):
    """How `overdue` and `upcoming` print: `text` (a table for the terminal; formerly `table`), JSON or CSV."""

    text = "text"
    json = "json"
    csv = "csv"


ListFormatOption = Annotated[
    ListFormat,
    typer.Option(
        "--format",
        "-f",
        metavar=choice_metavar(ListFormat),
        parser=accepting_old_names(ListFormat, {"table": "text"}),
        help="Output format",
    ),
]


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
    for line in [lines] if isinstance(lines, str) else lines:
        typer.echo(visible(line), err=True)
    raise typer.Exit(code)


def say(line: str) -> None:
    """Print a line of outcome; a file name or plan text in it cannot act on the terminal."""
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
    from ..core.store import find_plan

    try:
        return find_plan(explicit, os.environ, Path.cwd())
    except PlanError as err:
        fail([str(problem) for problem in err.problems])


def load(
    explicit: str | None, plan_at: str | None = None, *, as_of: date | None = None, filters: Filters | None = None
) -> Loaded:
    """The valid plan, from the working file or from git at `plan_at`; exit 1 with every problem otherwise.

    With `as_of`, the plan is as it stood at the end of that day
    (`history.as_of`): every view of it then shows only what had been
    recorded by then, whichever renderer draws it. With `filters`, a filter
    naming what that plan lacks is a usage error (`check_filters`).
    """
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
    if as_of is not None:
        from ..core.history import as_of as plan_as_of

        loaded = loaded._replace(plan=plan_as_of(loaded.plan, as_of))
    if filters is not None:
        check_filters(filters, loaded.plan)
    return loaded


def check_filters(filters: Filters, plan: Plan) -> None:
    """Refuse, as a usage error naming its option, a state that does not exist or a filter naming what `plan` lacks.

    Each option's first such value, in the order given, is the one named.
    """
    from ..core.query import STATES

    unknown = sorted(set(filters.states) - set(STATES))
    if unknown:
        raise typer.BadParameter(
            f"unknown state {', '.join(unknown)}; choose from {', '.join(STATES)}", param_hint="--state"
        )
    for key in filters.leads:
        if key not in plan.people:
            raise typer.BadParameter(
                f"no person {key!r} in the plan; people: {visible(', '.join(plan.people))}", param_hint="--lead"
            )
    orgs = {person.org.casefold(): person.org for person in plan.people.values() if person.org}
    for name in filters.orgs:
        if name.casefold() not in orgs:
            names = visible(", ".join(sorted(set(orgs.values()))))
            raise typer.BadParameter(
                f"no organization {name!r} among the leads; organizations: {names}",
                param_hint="--org",
            )
    rec_ids = [rec.id for rec in plan.recommendations]
    for rec_id in filters.recommendations:
        if rec_id not in rec_ids:
            raise typer.BadParameter(
                f"no recommendation {rec_id!r}; recommendations: {visible(', '.join(rec_ids))}", param_hint="--rec"
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
    if format is ListFormat.text:
        from ..render.terminal import listing

        emit(listing(rows, empty))
        return
    from ..render import export as exporters

    write_out(exporters.standings_json(rows) if format is ListFormat.json else exporters.standings_csv(rows))


def unknown_id_message(item_id: str, known: list[str]) -> str:
    close = difflib.get_close_matches(item_id, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; ids include {', '.join(known[:8])}"
    return f"oagtrack: no item {item_id!r} in the plan{hint}"
