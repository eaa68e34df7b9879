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
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn

import typer

from .. import __version__
from ..core.problems import PlanError, Problem
from ..render.inert import visible
from . import keep_until_exit

if TYPE_CHECKING:
    from rich.console import RenderableType
    from typer.models import CommandFunctionType

    from ..core.cache import Cache
    from ..core.model import Person, Plan
    from ..core.portfolio import Portfolio, Sources
    from ..core.problems import Problem
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
    list[str] | None,
    typer.Option(
        "--plan",
        "-p",
        metavar="PATH",
        help=(
            "Plan file, folder of plans, or portfolio.yaml; repeatable"
            " [default: $OAGTRACK_PLAN, else portfolio.yaml or plan.yaml here or in the nearest parent folder]"
        ),
    ),
]
AuditOption = Annotated[
    list[str] | None,
    typer.Option("--audit", metavar="ID", help="Only this audit of a portfolio, by its audit id (repeatable)"),
]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Read every plan from its text, not from the cache [env: OAGTRACK_NO_CACHE=1]"),
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


class Selection(NamedTuple):
    """Which plans a command reads: the --plan values, the audits named with --audit, and whether to use the cache."""

    paths: tuple[str, ...] = ()
    audits: tuple[str, ...] = ()
    no_cache: bool = False


#: The options that choose the plans, in the order --help lists them: `with_plan_options` gives them to a command.
SELECTION_OPTIONS = {"plan": PlanOption, "audit": AuditOption, "no_cache": NoCacheOption}


def with_plan_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give `command` the options --plan, --audit and --no-cache in place of its parameter `plans`.

    As `with_filters` does for the filters: declared once, and the command
    gets one `Selection` value to hand to `load`.
    """
    signature = inspect.signature(command, eval_str=True, locals={"Filters": None, "Selection": None})
    parameters = list(signature.parameters.values())
    at = [parameter.name for parameter in parameters].index("plans")
    parameters[at : at + 1] = [
        inspect.Parameter(
            name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=False if name == "no_cache" else None,
            annotation=annotation,
        )
        for name, annotation in SELECTION_OPTIONS.items()
    ]

    @functools.wraps(command)
    def with_selection(**options: Any) -> None:
        plan, audit, no_cache = (options.pop(name) for name in SELECTION_OPTIONS)
        command(**options, plans=Selection(tuple(plan or ()), tuple(audit or ()), bool(no_cache)))

    with_selection.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_selection.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    return with_selection


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


class Language(str, Enum):
    """The languages oagtrack writes in."""

    en = "en"
    fr = "fr"


LangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        help="Language of the output: en or fr [default: $OAGTRACK_LANG, else the locale (LC_ALL, LANG), else en]",
    ),
]


def with_language(command: Callable[..., None]) -> Callable[..., None]:
    """Give `command` the option --lang, last, and run it in the language chosen (`language.choose`).

    The language is the command's alone: the one before it is put back when
    it ends, so a program that runs several commands in one process (the
    tests) never sees one command's language in the next.
    """
    from ..render import language

    signature = inspect.signature(command, eval_str=True, locals={"Filters": None, "Selection": None})
    parameters = [
        *signature.parameters.values(),
        inspect.Parameter("lang", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=LangOption),
    ]

    @functools.wraps(command)
    def in_its_language(**options: Any) -> None:
        chosen = options.pop("lang")
        before = language.current()
        language.use(language.choose(chosen.value if chosen else None, os.environ))
        try:
            command(**options)
        finally:
            language.use(before)

    in_its_language.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    in_its_language.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    return in_its_language


def command(*, example: str, **settings: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
    """Register a command whose help ends, after its options, with an example, and that takes --lang."""
    # "\b" keeps click from re-wrapping the example line.
    register = app.command(epilog=f"\b\nExample: {example}", **settings)

    def registered(function: CommandFunctionType) -> CommandFunctionType:
        register(with_language(function))
        return function

    return registered


# -- helpers ---------------------------------------------------------------
_today: date | None = None


def today() -> date:
    """The only place the clock is read: once per command, so one run never straddles midnight."""
    global _today
    if _today is None:
        _today = date.today()
    return _today


def fail(lines: Sequence[str | Problem] | str, code: int = EXIT_INVALID) -> NoReturn:
    """Print each line (or problem, as FILE:LINE:COL: message) to stderr in the reader's language, plan text in it
    made inert, and exit with `code`."""
    from ..render.language import problem_line, say

    for line in [lines] if isinstance(lines, str) else lines:
        typer.echo(visible(problem_line(line) if isinstance(line, Problem) else say(line)), err=True)
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
        from ..render.language import say as in_language

        raise typer.BadParameter(in_language(err.message), param_hint=param) from None


def plan_path(explicit: Selection | list[str] | None) -> Path:
    """The one plan file named, or found as git finds .git; exit 1 when there is none, 2 when several are named."""
    from ..core.store import find_plan

    named = list(explicit.paths if isinstance(explicit, Selection) else explicit or ())
    if len(named) > 1:
        raise typer.BadParameter("this command reads one plan file: name it with --plan FILE", param_hint="--plan")
    try:
        return find_plan(named[0] if named else None, os.environ, Path.cwd())
    except PlanError as err:
        fail(err.problems)


def load(
    explicit: Selection | list[str] | None,
    plan_at: str | None = None,
    *,
    as_of: date | None = None,
    filters: Filters | None = None,
    localize: bool = True,
) -> Loaded:
    """The valid plan, from the working file or from git at `plan_at`; exit 1 with every problem otherwise.

    A portfolio (several plans, a folder, a portfolio file) is read as one
    plan whose ids are qualified by audit (`portfolio.merged`), so every
    command works on it as on one plan (`load_view` also gives the plans).
    With `as_of`, the plan is as it stood at the end of that day
    (`history.as_of`): every view of it then shows only what had been
    recorded by then, whichever renderer draws it. With `filters`, a filter
    naming what that plan lacks is a usage error (`check_filters`).
    """
    return load_view(explicit, plan_at, as_of=as_of, filters=filters, localize=localize).loaded


class View(NamedTuple):
    """What a command reads: the plan (a portfolio's plans merged into one), and the portfolio if it is one."""

    loaded: Loaded
    portfolio: Portfolio | None


def load_view(
    explicit: Selection | list[str] | None,
    plan_at: str | None = None,
    *,
    as_of: date | None = None,
    filters: Filters | None = None,
    localize: bool = True,
) -> View:
    """As `load`, with the portfolio (None for one plan file read as before portfolios existed)."""
    from ..core.history import as_of as plan_as_of
    from ..render.language import localized

    selection = explicit if isinstance(explicit, Selection) else Selection(tuple(explicit or ()))
    sources = find_sources(selection)
    portfolio: Portfolio | None = None

    def as_read(plan: Plan) -> Plan:
        # as it stood on `as_of`, its texts in the reader's language (JSON, for programs, keeps them as written)
        plan = plan_as_of(plan, as_of) if as_of is not None else plan
        return localized(plan) if localize else plan

    if not sources.single or selection.audits:
        from ..core.portfolio import merged
        from ..core.store import Loaded

        portfolio = load_portfolio(selection, sources, plan_at)
        # each plan in its own terms (its own languages), then merged once into one plan of qualified ids
        portfolio = portfolio._replace(members=tuple(m._replace(plan=as_read(m.plan)) for m in portfolio.members))
        where = sources.portfolio or (portfolio.members[0].path if portfolio.members else Path("."))
        loaded = Loaded(where, b"", merged(portfolio, portfolio.title))
    else:
        loaded = _load_one(sources.plans[0] if sources.single else plan_path(selection), plan_at, selection)
        loaded = loaded._replace(plan=as_read(loaded.plan))
    if filters is not None:
        check_filters(filters, loaded.plan)
    view = View(loaded, portfolio)
    keep_until_exit(view)  # freed with the process, not object by object (`cli.run`)
    return view


def load_for_update(explicit: list[str] | None, name: str) -> tuple[Loaded, str, dict[str, Person]]:
    """The one plan file an update of `name` writes, read from its text (never the cache), the item's id in it,
    and the people its portfolio describes for it.

    In a portfolio, `name` may be qualified (`oag-2020-x:1.1`) or short when
    only one audit has it; only the file holding the item is read for the
    update, and only it is written, with the people of the portfolio read.
    """
    from ..core.portfolio import shared_people_for
    from ..core.store import load_plan

    selection = Selection(tuple(explicit or ()))
    sources = find_sources(selection)
    if sources.single:
        path, item_id = sources.plans[0], name
        shared = shared_people_for(path, today())
    else:
        from ..core.portfolio import Ambiguous, merged, resolve

        portfolio = load_portfolio(selection, sources)
        try:
            found = resolve(portfolio, name)
        except Ambiguous as err:
            fail("oagtrack: " + _several(name, err.candidates))
        if found is None:
            fail(unknown_id_message(name, merged(portfolio).ids()))
        member, item_id = found
        path, shared = member.path, member.shared
    try:
        loaded = load_plan(path, today(), shared_people=shared, keep_tree=True)  # the update splices into it
        keep_until_exit(loaded)  # freed with the process, not object by object (`cli.run`)
        return loaded, item_id, shared
    except PlanError as err:
        fail(err.problems)


def _several(name: str, candidates: list[str]) -> str:
    from ..render.language import _

    return _("{name!r} names an item in several audits; name one: {ids}").format(name=name, ids=", ".join(candidates))


def qualified_name(view: View, name: str) -> str:
    """The id `name` gives in the plan read: in a portfolio, a short id named by one audit only is qualified.

    A short id that several audits have is refused, listing the qualified ids to choose from.
    """
    if view.portfolio is None:
        return name
    from ..core.portfolio import Ambiguous, resolve

    try:
        found = resolve(view.portfolio, name)
    except Ambiguous as err:
        fail(_several(name, err.candidates))
    if found is None:
        return name
    member, item_id = found
    return f"{member.audit_id}:{item_id}"


def _load_one(path: Path, plan_at: str | None, selection: Selection) -> Loaded:
    """One plan for a command that changes nothing, from the cache when it has the same bytes."""
    from ..core.portfolio import people_context, shared_people_for
    from ..core.store import load_plan

    shared = shared_people_for(path, today())
    try:
        if plan_at is not None:  # an empty --plan-at is refused by gitio, never taken as "the working file"
            from ..core.gitio import read_revision, split_revision

            name = plan_at if split_revision(plan_at)[1] is not None else f"{plan_at}:{path}"
            return load_plan(path, today(), data=read_revision(path, plan_at), name=name, shared_people=shared)
        store = plan_cache(selection)
        if store is None:
            return load_plan(path, today(), shared_people=shared)
        from ..core.store import Loaded, read_bytes

        data = read_bytes(path)
        context = people_context(shared)
        cached = store.get(data, today(), context)
        if cached is not None:
            return Loaded(path, data, cached)
        loaded = load_plan(path, today(), data=data, shared_people=shared)
        store.put(data, loaded.plan, today(), context)
        return loaded
    except PlanError as err:
        fail(err.problems)


def plan_cache(selection: Selection) -> Cache | None:
    """The user's plan cache, unless turned off by --no-cache or $OAGTRACK_NO_CACHE."""
    from ..core.cache import Cache, enabled, folder  # cheap: hashlib and json are imported only when used

    return Cache(folder(os.environ)) if enabled(os.environ, selection.no_cache) else None


def find_sources(selection: Selection) -> Sources:
    from ..core.portfolio import find_sources as find

    try:
        return find(selection.paths, os.environ, Path.cwd())
    except PlanError as err:
        fail(err.problems)


def load_portfolio(selection: Selection, sources: Sources | None = None, plan_at: str | None = None) -> Portfolio:
    """Every plan the selection names, narrowed to --audit; exit 1 with every problem of every file.

    With `plan_at`, each plan the portfolio names now is read as it stood at that git revision (one that
    did not exist then is left out), with the people the portfolio file describes now.
    """
    from ..core import portfolio as portfolios

    sources = sources or find_sources(selection)
    if plan_at is None:
        portfolio, problems = portfolios.load_portfolio(sources, today(), plan_cache(selection))
    else:
        portfolio, problems = _portfolio_at(sources, plan_at)
    if problems:
        fail(problems)
    if selection.audits:
        known = [member.audit_id for member in portfolio.members]
        for audit_id in selection.audits:
            if audit_id not in known:
                raise typer.BadParameter(
                    f"no audit {audit_id!r}; audits: {visible(', '.join(known))}", param_hint="--audit"
                )
        portfolio = portfolio._replace(members=tuple(m for m in portfolio.members if m.audit_id in selection.audits))
    keep_until_exit(portfolio)
    return portfolio


def _portfolio_at(sources: Sources, revision: str) -> tuple[Portfolio, list[Problem]]:
    from ..core import portfolio as portfolios
    from ..core.gitio import split_revision

    if split_revision(revision)[1] is not None:
        why = "a portfolio is read at a commit (main, a commit id), not at REV:FILE"
        raise typer.BadParameter(why, param_hint="--plan-at")
    return portfolios.load_portfolio(sources, today(), revision=revision)


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
        from ..render.language import say as in_language

        raise typer.BadParameter(in_language(err.message), param_hint=param) from None


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
