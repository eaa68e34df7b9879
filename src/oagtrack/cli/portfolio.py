"""Portfolio commands: kca, committee, digest: the tables a department is asked for across all its audits.

They read every plan the selection names (a portfolio file, a folder,
several --plan), as of a day, and print one table or report; a single plan
works too, as a portfolio of one.
"""

from __future__ import annotations

import os
import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..render import inert
from ..render.language import _, n_
from .reports import OutputOption, save_text, save_workbook, workbook_ready
from .shared import (
    FROM_OPTIONS,
    AsOfOption,
    Selection,
    accepting_old_names,
    as_of_date,
    choice_metavar,
    command,
    emit,
    fail,
    load_view,
    parse_window,
    say,
    with_plan_options,
)

if TYPE_CHECKING:
    from datetime import date

    from rich.console import RenderableType

    from ..core.portfolio import Portfolio


class TableFormat(str, Enum):
    """How a portfolio table prints: text for the terminal, Markdown, HTML, CSV or Excel."""

    text = "text"
    markdown = "markdown"
    html = "html"
    csv = "csv"
    xlsx = "xlsx"


class CommitteeFormat(str, Enum):
    """How `committee` prints: text for the terminal, Markdown or HTML."""

    text = "text"
    markdown = "markdown"
    html = "html"


def _portfolio(plans: Selection, day: date) -> Portfolio:
    """The plans as of `day`: a single plan file is a portfolio of one."""
    from ..core.portfolio import Member, Portfolio

    view = load_view(plans, as_of=day)
    if view.portfolio is not None:
        return view.portfolio
    loaded = view.loaded
    return Portfolio(None, (Member(loaded.path, str(loaded.path), loaded.data, loaded.plan),))


def _show(view: RenderableType, output: str | None) -> None:
    """A terminal view printed, or written as plain text to `output`."""
    if output:
        from ..render.terminal import plain_text

        save_text(plain_text(view), output, inert.TERMINAL)
    else:
        emit(view)


def draft_name(lead: str) -> str:
    """The file name of a lead's draft: the person key with every character but letters, digits, `.`, `_` and `-`
    as `_`, never starting with a dot: a key like `a/../../x` (keys may hold `/`) stays inside the folder."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", lead).lstrip(".") or "_"
    return f"{name}.eml"


@command(
    example="oagtrack kca --as-of 2021-03-31 --format csv -o kca.csv",
    short_help="The Treasury Board's key compliance attributes table of internal audits.",
)
@with_plan_options
def kca(
    as_of: AsOfOption = None,
    format: Annotated[
        TableFormat,
        typer.Option(
            "--format",
            "-f",
            metavar=choice_metavar(TableFormat),
            parser=accepting_old_names(TableFormat, {}),
            help="Output format (xlsx needs -o FILE)",
        ),
    ] = TableFormat.text,
    output: OutputOption = None,
    plans: Selection = FROM_OPTIONS,
) -> None:
    """The key compliance attributes table for internal audit: a row per internal audit (audit kind: internal).

    Columns as the Treasury Board's published tables name them. The original
    planned MAP completion date is the latest original due date of the
    audit's milestones, before any revision; the implementation status is
    the share of its milestones that still apply that are complete.
    """
    from ..core.rollup import kca_rows
    from ..render import portfolio as tables

    if format is TableFormat.xlsx:
        workbook_ready(output)
    day = as_of_date(as_of)
    rows = kca_rows(_portfolio(plans, day).plans(), day)
    if format is TableFormat.xlsx:
        save_workbook(tables.kca_workbook(rows, day), output)
    elif format is TableFormat.csv:
        save_text(tables.kca_csv(rows), output, inert.CSV, bom=output not in (None, "-"))
    elif format is TableFormat.markdown:
        save_text(tables.kca_markdown(rows, day), output, inert.MARKDOWN)
    elif format is TableFormat.html:
        save_text(tables.kca_html(rows, day), output, inert.HTML)
    else:
        from ..render.report import FittedTable

        title = _("{title}, as of {day}").format(title=tables.kca_title(), day=day.isoformat())
        _show(FittedTable(tables.kca_table(rows), title), output)


@command(
    example="oagtrack committee --as-of 2021-03-31 --format markdown",
    short_help="The quarterly report to the audit committee, across every audit.",
)
@with_plan_options
def committee(
    as_of: AsOfOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Start of the period for extensions and closures [default: the first day of the as-of quarter]",
        ),
    ] = None,
    format: Annotated[
        CommitteeFormat,
        typer.Option("--format", "-f", metavar=choice_metavar(CommitteeFormat), help="Output format"),
    ] = CommitteeFormat.text,
    output: OutputOption = None,
    plans: Selection = FROM_OPTIONS,
) -> None:
    """Every audit's summary, overdue items by age, past-due items with their reasons for delay, and the
    extensions and closures recorded in the period, for the departmental audit committee."""
    from ..core import rollup
    from ..render import portfolio as tables

    day = as_of_date(as_of)
    start = as_of_date(since, "--since", end_of_period=False) if since else rollup.quarter_start(day)
    if start > day:
        raise typer.BadParameter(
            _("{day} is after the as-of date {as_of}").format(day=start, as_of=day), param_hint="--since"
        )
    audits = rollup.stood(_portfolio(plans, day).plans(), day)  # every plan's standings, once
    report = tables.CommitteeReport(
        as_of=day,
        since=start,
        audits=[rollup.audit_row_of(plan, items) for plan, items in audits],
        past_due=rollup.past_due(audits),
        ageing=rollup.ageing(s for _plan, items in audits for s in items),
        extensions=rollup.recorded_in(audits, day, start, "revised"),
        retired=rollup.recorded_in(audits, day, start, "retired"),
    )
    if format is CommitteeFormat.markdown:
        save_text(tables.committee_markdown(report), output, inert.MARKDOWN)
    elif format is CommitteeFormat.html:
        save_text(tables.committee_html(report), output, inert.HTML)
    else:
        _show(tables.committee_view(report), output)


@command(
    example="oagtrack digest --as-of 2021-03-31 --within 30d --eml drafts/",
    short_help="What each lead owes across every audit, as Markdown or e-mail drafts.",
)
@with_plan_options
def digest(
    as_of: AsOfOption = None,
    within: Annotated[str, typer.Option("--within", metavar="DAYS", help="How far ahead counts as due soon")] = "30d",
    lead: Annotated[list[str] | None, typer.Option("--lead", metavar="KEY", help="Only this lead (repeatable)")] = None,
    eml: Annotated[
        str | None,
        typer.Option(
            "--eml",
            metavar="FOLDER",
            help="Write one e-mail draft per lead (LEAD.eml, RFC 5322) into FOLDER instead; nothing is sent",
        ),
    ] = None,
    sender: Annotated[
        str, typer.Option("--from", metavar="ADDRESS", help="The From: of the e-mail drafts")
    ] = "audit-follow-up@example.org",
    plans: Selection = FROM_OPTIONS,
) -> None:
    """For each lead with something overdue or due soon, across every audit: the items, as Markdown to standard
    output, or as one e-mail draft per lead with --eml (to the lead's email when the plan gives one)."""
    from ..core.rollup import owed_by_lead
    from ..render import portfolio as tables

    day = as_of_date(as_of)
    window = parse_window(within)
    chosen = list(_portfolio(plans, day).plans())
    people = {key: person for plan in chosen for key, person in plan.people.items()}
    for key in lead or ():
        if key not in people:
            raise typer.BadParameter(_("no person {key!r} in the plans").format(key=key), param_hint="--lead")
    owed = [o for o in owed_by_lead(chosen, day, window) if not lead or o.lead in lead]
    if eml is None:
        text = "\n".join(tables.digest_markdown(o, people.get(o.lead), day, window.days) for o in owed)
        nobody = _("Nobody owes anything overdue or due by {day}.").format(day=day + window)
        inert.write(text or nobody + "\n", inert.MARKDOWN)
        return
    folder = Path(eml)
    names = {o.lead: draft_name(o.lead) for o in owed}
    clashes = sorted(lead for lead in names if list(names.values()).count(names[lead]) > 1)
    if clashes:
        fail("oagtrack: " + _("these leads would share one draft's file name: {keys}").format(keys=", ".join(clashes)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for o in owed:
            message = tables.digest_email(o, people.get(o.lead), day, window.days, sender)
            target = folder / names[o.lead]
            with open(target, "wb") as handle:
                handle.write(message)
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or err
        fail("oagtrack: " + _("cannot write the drafts into {folder}: {reason}").format(folder=eml, reason=reason))
    written = n_(
        "{count} draft written to {folder}; nothing was sent",
        "{count} drafts written to {folder}; nothing was sent",
        len(owed),
    )
    say(written.format(count=len(owed), folder=os.path.normpath(eml)))
