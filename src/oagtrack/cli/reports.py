"""Report commands (issue 4): report, timeline, calendar, export.

Each command parses its options, asks the core (`query`, `metrics`) and
hands the result to one renderer. Output goes through `render.inert`, inert
for its medium, to standard output or to the file named with `-o`, as
UTF-8 with the format's own line endings; CSV written to a file starts with
a byte-order mark so that spreadsheet programs keep accents (on standard
output it does not, so pipes and other tools get plain UTF-8).

An Excel workbook (`-f xlsx`) is a binary file: it is written to the file
named with `-o`, or with `-o -` to standard output when that is not a
terminal; without `-o` the command is refused. openpyxl, which writes it,
is the optional `excel` extra, imported only then. Every core and render
module is imported inside the command that uses it, to keep them out of
`--help` (see `shared`).
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from ..render import inert
from ..render.language import _
from .shared import (
    EXIT_INVALID,
    FROM_OPTIONS,
    AsOfOption,
    PlanAtOption,
    Selection,
    accepting_old_names,
    as_of_date,
    choice_metavar,
    command,
    emit,
    fail,
    load,
    parse_window,
    with_filters,
    with_plan_options,
)

if TYPE_CHECKING:
    from datetime import date, timedelta

    from ..core.query import Filters, Standing
    from ..core.store import Loaded

OutputOption = Annotated[
    str | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output")
]


class ReportFormat(str, Enum):
    """How `report` prints: `text` (laid out for the terminal; formerly `terminal`), Markdown, HTML or Excel."""

    text = "text"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    ics = "ics"
    xlsx = "xlsx"


def _reminders(text: str) -> tuple[timedelta, ...]:
    """`30d,7d` -> durations; `none` or an empty value -> no reminders."""
    if text.strip().lower() in ("", "none"):
        return ()
    return tuple(parse_window(part, "--remind") for part in text.split(",") if part.strip())


def _rows(
    day: date, filters: Filters, plan_at: str | None, plan: Selection, *, localize: bool = True
) -> tuple[Loaded, list[Standing]]:
    """The plan and its filtered standings as of `day`: what timeline, calendar and export chart or write."""
    from ..core.query import standings

    loaded = load(plan, plan_at, as_of=day, filters=filters, localize=localize)
    return loaded, standings(loaded.plan, day, filters=filters)


def save_text(text: str, output: str | None, medium: str, *, bom: bool = False) -> None:
    """Write `text`, inert for its `medium`, to `output` (newlines kept as given), or to standard output."""
    if output is None or output == "-":
        inert.write(text, medium)
        return
    try:
        with open(output, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            inert.write(text, medium, handle)
    except OSError as err:
        fail(
            "oagtrack: " + _("cannot write {file}: {reason}").format(file=output, reason=err.strerror or err),
            EXIT_INVALID,
        )


def workbook_ready(output: str | None) -> None:
    """Refuse a workbook, before any plan is read, that has nowhere to go or nothing to write it.

    Nowhere: no `-o`, or `-o -` on a terminal (a binary file is no text to
    print); a usage error naming -o. Nothing: openpyxl is not installed; one
    line naming the extra that installs it, exit 1 (the command is right,
    this installation cannot do it).
    """
    if output is None or (output == "-" and sys.stdout is not None and sys.stdout.isatty()):
        raise typer.BadParameter(
            _("-f xlsx writes a binary Excel workbook: name the file with -o FILE"), param_hint="-o / --output"
        )
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        missing = _("-f xlsx needs openpyxl, which is not installed: pip install 'oagtrack[excel]'")
        fail("oagtrack: " + missing, EXIT_INVALID)


def save_workbook(data: bytes, output: str | None) -> None:
    """Write the workbook's bytes, whole, to `output` (`-` for standard output)."""
    if output is None or output == "-":
        binary = getattr(sys.stdout, "buffer", None)  # None: no standard output, or one that takes only text
        if sys.stdout is not None and binary is None:
            refused = _("standard output takes no binary workbook here: name the file with -o FILE")
            fail("oagtrack: " + refused, EXIT_INVALID)
        if binary is not None:
            sys.stdout.flush()
            binary.write(data)
            binary.flush()
        return
    try:
        with open(output, "wb") as handle:
            handle.write(data)
    except OSError as err:
        fail(
            "oagtrack: " + _("cannot write {file}: {reason}").format(file=output, reason=err.strerror or err),
            EXIT_INVALID,
        )


@command(
    example="oagtrack report --as-of 2021-01-31 --format html -o report.html",
    short_help="The progress report for the audit committee.",
)
@with_filters
@with_plan_options
def report(
    as_of: AsOfOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="List changes from this date [default: start of the fiscal quarter of --as-of]",
        ),
    ] = None,
    stale_after: Annotated[
        str, typer.Option("--stale-after", metavar="DAYS", help="Open milestones with no activity for longer are stale")
    ] = "90d",
    format: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            metavar=choice_metavar(ReportFormat),
            parser=accepting_old_names(ReportFormat, {"terminal": "text"}),
            help="Output format (xlsx: an Excel workbook, one sheet per table; needs -o FILE)",
        ),
    ] = ReportFormat.text,
    output: OutputOption = None,
    filters: Filters = FROM_OPTIONS,
    plan_at: PlanAtOption = None,
    all_milestones: Annotated[
        bool,
        typer.Option(
            "--all",
            help=(
                "Terminal format: every table row and each recommendation's detail even above 500 milestones"
                " (a large plan is otherwise summarised)"
            ),
        ),
    ] = False,
    plans: Selection = FROM_OPTIONS,
) -> None:
    """The progress report for the audit committee: summary, slippage, stale items, changes, detail."""
    from ..core.metrics import build

    if format is ReportFormat.xlsx:
        workbook_ready(output)
    day = as_of_date(as_of)
    start = as_of_date(since, "--since", end_of_period=False) if since else None
    if start and start > day:
        raise typer.BadParameter(
            _("{day} is after the as-of date {as_of}").format(day=start, as_of=day), param_hint="--since"
        )
    quiet = parse_window(stale_after, "--stale-after")
    loaded = load(plans, plan_at, as_of=day, filters=filters)
    result = build(loaded.plan, day, since=start, stale_after=quiet, filters=filters)
    if format is ReportFormat.markdown:
        from ..render import markdown

        save_text(markdown.report(result), output, inert.MARKDOWN)
    elif format is ReportFormat.html:
        from ..render import html

        save_text(html.report(result), output, inert.HTML)
    elif format is ReportFormat.xlsx:
        from ..render import xlsx

        save_workbook(xlsx.report(result), output)
    else:
        from ..render.report import report_view
        from ..render.terminal import plain_text

        view = report_view(result, show_all=all_milestones)
        if output:
            save_text(plain_text(view), output, inert.TERMINAL)
        else:
            emit(view)


@command(
    example="oagtrack timeline --as-of 2021-01-31 --from 2020-09-01", short_help="A chart by month of every milestone."
)
@with_filters
@with_plan_options
def timeline(
    as_of: AsOfOption = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="First month shown [default: the earliest date]")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Last month shown [default: the latest date]")
    ] = None,
    filters: Filters = FROM_OPTIONS,
    plan_at: PlanAtOption = None,
    all_milestones: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Chart every milestone even when there are more than 500 (a large plan is otherwise summarised)",
        ),
    ] = False,
    plans: Selection = FROM_OPTIONS,
) -> None:
    """A chart by month: each milestone on its due date, slips from the original date, the as-of date marked."""
    from ..render.terminal import make_console, print_renderable
    from ..render.timeline import timeline as chart

    day = as_of_date(as_of)
    first = as_of_date(start, "--from", end_of_period=False) if start else None
    last = as_of_date(end, "--to") if end else None
    if first and last and first > last:
        raise typer.BadParameter(_("{first} is after --to {last}").format(first=first, last=last), param_hint="--from")
    loaded, rows = _rows(day, filters, plan_at, plans)
    console = make_console()  # one console: its width lays out the chart it prints
    print_renderable(console, chart(loaded.plan, rows, day, first, last, width=console.width, show_all=all_milestones))


@command(example="oagtrack calendar -o plan.ics --remind 14d,3d", short_help="An iCalendar file of every milestone.")
@with_filters
@with_plan_options
def calendar(
    output: OutputOption = None,
    todo: Annotated[bool, typer.Option("--todo", help="Write tasks (VTODO) instead of all-day events")] = False,
    remind: Annotated[
        str,
        typer.Option(
            "--remind", metavar="DAYS", help="Reminders before each open milestone, comma-separated; 'none' for none"
        ),
    ] = "30d,7d",
    as_of: AsOfOption = None,
    filters: Filters = FROM_OPTIONS,
    plan_at: PlanAtOption = None,
    plans: Selection = FROM_OPTIONS,
) -> None:
    """An iCalendar file (RFC 5545) with every milestone on its due date, for Outlook or Google Calendar."""
    from ..render.ics import calendar as ics_calendar

    day = as_of_date(as_of)
    reminders = _reminders(remind)
    loaded, rows = _rows(day, filters, plan_at, plans)
    save_text(ics_calendar(loaded.plan, rows, day, todo=todo, reminders=reminders), output, inert.ICS)


@command(
    example="oagtrack export --format csv --as-of 2021-01-31 -o milestones.csv",
    short_help="The plan with computed states, for other tools.",
)
@with_filters
@with_plan_options
def export(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: the whole plan; csv, markdown, html, xlsx: one row per milestone; ics: the calendar",
        ),
    ] = ExportFormat.json,
    output: OutputOption = None,
    as_of: AsOfOption = None,
    filters: Filters = FROM_OPTIONS,
    plan_at: PlanAtOption = None,
    plans: Selection = FROM_OPTIONS,
) -> None:
    """The plan with each milestone's computed state, for other tools.

    CSV written to a file (-o) starts with a UTF-8 byte-order mark so spreadsheets keep accents.
    An Excel workbook (xlsx) needs -o FILE and the excel extra (pip install 'oagtrack[excel]').
    """
    from ..render import export as exporters

    if format is ExportFormat.xlsx:
        workbook_ready(output)
    day = as_of_date(as_of)
    loaded, rows = _rows(day, filters, plan_at, plans, localize=format is not ExportFormat.json)
    title = _("{audit}: milestones as of {day}").format(audit=loaded.plan.audit.title, day=day)
    if format is ExportFormat.csv:
        save_text(exporters.standings_csv(rows), output, inert.CSV, bom=True)
    elif format is ExportFormat.markdown:
        from ..render import markdown

        save_text(markdown.milestones(rows, title), output, inert.MARKDOWN)
    elif format is ExportFormat.html:
        from ..render import html

        save_text(html.milestones(rows, title), output, inert.HTML)
    elif format is ExportFormat.ics:
        from ..render.ics import calendar as ics_calendar

        save_text(ics_calendar(loaded.plan, rows, day), output, inert.ICS)
    elif format is ExportFormat.xlsx:
        from ..render import xlsx

        save_workbook(xlsx.milestones(loaded.plan, rows, day, title), output)
    else:
        save_text(exporters.plan_json(loaded.plan, rows, day), output, inert.JSON)
