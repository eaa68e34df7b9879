"""Read-only commands: validate, status, overdue, upcoming, show.

Core and render modules are imported inside each command, to keep them out of `--help` (see `shared`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.problems import PlanError
from ..render import inert
from ..render.language import _, n_
from .shared import (
    FROM_OPTIONS,
    AsOfOption,
    DiagnosticFormat,
    DiagnosticFormatOption,
    ListFormat,
    ListFormatOption,
    PlanAtOption,
    PlanOption,
    Selection,
    as_of_date,
    command,
    emit,
    fail,
    find_sources,
    list_out,
    load,
    load_view,
    parse_window,
    plan_path,
    qualified_name,
    say,
    today,
    unknown_id_message,
    with_filters,
    with_plan_options,
)

if TYPE_CHECKING:
    from ..core.model import Plan
    from ..core.problems import Problem
    from ..core.query import Filters


@command(
    example="oagtrack validate plan.yaml --format github",
    short_help="Check the plan; list every problem with its position.",
)
def validate(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="FILE", help="Plan files to check [default: as for --plan]", show_default=False),
    ] = None,
    format: DiagnosticFormatOption = DiagnosticFormat.text,
    plan: PlanOption = None,
) -> None:
    """Check the plan: print FILE: ok with its counts, or every problem as FILE:LINE:COL: message.

    A portfolio (a portfolio file, a folder, several --plan) is checked
    whole: every problem of every file, a broken file never hiding the
    others, then what only the portfolio can break (two plans for one audit
    id, one person key describing two people). Always read from the text,
    never from the cache.
    """
    from ..core.portfolio import shared_people_for
    from ..core.store import load_plan
    from ..render import diagnostics
    from . import keep_until_exit

    kind = diagnostics.pick_format(format.value, os.environ)
    problems: list[Problem] = []
    valid: list[tuple[str, dict[str, int]]] = []  # each valid file, with its counts
    sources = find_sources(Selection(tuple(plan or ()))) if not files else None
    if sources is not None and not sources.single:
        from ..core.portfolio import load_portfolio as read_all

        portfolio, problems = read_all(sources, today())
        keep_until_exit(portfolio)
        valid = [(member.name, _counts(member.plan)) for member in portfolio.members]
    loaded = None
    for path in [plan_path([name]) for name in files] if files else [] if valid or problems else [plan_path(plan)]:
        try:
            loaded = load_plan(path, today(), shared_people=shared_people_for(path, today()))
        except PlanError as err:
            problems += err.problems
            continue
        valid.append((str(path), _counts(loaded.plan)))
    # The last plan read is freed with the process, not object by object (`cli.run`); each one before it is
    # freed as the next is read, so that many files never take more memory than the two largest.
    keep_until_exit(loaded)
    if kind == "json":
        inert.write(
            diagnostics.as_json(problems, files=[{"file": file, **counts} for file, counts in valid]), inert.JSON
        )
    else:
        for file, counts in valid:
            say(_("{file}: ok ({counts})").format(file=file, counts=_count_words(counts)))
        if problems and kind == "text":
            fail(problems)
        inert.write(diagnostics.as_github(problems), inert.GITHUB)
    if problems:
        raise typer.Exit(1)


def _count_words(counts: dict[str, int]) -> str:
    """`3 recommendations, 10 actions, 15 milestones`."""
    recs, actions, milestones = counts["recommendations"], counts["actions"], counts["milestones"]
    return ", ".join(
        (
            n_("{count} recommendation", "{count} recommendations", recs).format(count=recs),
            n_("{count} action", "{count} actions", actions).format(count=actions),
            n_("{count} milestone", "{count} milestones", milestones).format(count=milestones),
        )
    )


def _counts(plan: Plan) -> dict[str, int]:
    recs = plan.recommendations
    return {
        "recommendations": len(recs),
        "actions": sum(len(rec.actions) for rec in recs),
        "milestones": sum(1 for _ in plan.milestones()),
    }


@command(example="oagtrack status --as-of 2021-01-31", short_help="The whole plan at a glance.")
@with_filters
@with_plan_options
def status(
    as_of: AsOfOption = None,
    within: Annotated[
        str, typer.Option("--within", metavar="DAYS", help="How near a due date counts as due soon")
    ] = "30d",
    filters: Filters = FROM_OPTIONS,
    plan_at: PlanAtOption = None,
    all_milestones: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every milestone even when there are more than 200 (a large plan is otherwise summarised)",
        ),
    ] = False,
    plans: Selection = FROM_OPTIONS,
) -> None:
    """The whole plan at a glance: a table per recommendation and a summary.

    Above 200 milestones it shows counts per recommendation and per lead,
    most overdue first, unless --all is given. For a portfolio of plans, a
    row per audit: its kind, counts, % implemented and planned completion.
    """
    from ..core.query import standings
    from ..render.terminal import SUMMARY_ABOVE, status_summary, status_view

    day = as_of_date(as_of)
    window = parse_window(within)
    read = load_view(plans, plan_at, as_of=day, filters=filters)
    if read.portfolio is not None:
        from ..core.rollup import audit_row
        from ..render.portfolio import status_view as portfolio_view

        emit(portfolio_view([audit_row(m.plan, day, window, filters) for m in read.portfolio.members], day))
        return
    loaded = read.loaded
    rows = standings(loaded.plan, day, window=window, filters=filters)
    view = status_view if all_milestones or len(rows) <= SUMMARY_ABOVE else status_summary
    emit(view(loaded.plan, rows))


@command(
    example="oagtrack overdue --as-of 2021-01-31 --format json", short_help="Milestones past due and not complete."
)
@with_filters
@with_plan_options
def overdue(
    as_of: AsOfOption = None,
    filters: Filters = FROM_OPTIONS,
    format: ListFormatOption = ListFormat.text,
    plan_at: PlanAtOption = None,
    plans: Selection = FROM_OPTIONS,
) -> None:
    """Every milestone past due and not complete, most overdue first."""
    from ..core.query import overdue as find_overdue

    day = as_of_date(as_of)
    loaded = load(plans, plan_at, as_of=day, filters=filters, localize=format is not ListFormat.json)
    rows = find_overdue(loaded.plan, day, filters=filters)
    list_out(rows, format, _("Nothing overdue as of {date}.").format(date=day))


@command(example="oagtrack upcoming --as-of 2021-01-31 --within 60d", short_help="What falls due next.")
@with_filters
@with_plan_options
def upcoming(
    as_of: AsOfOption = None,
    within: Annotated[str, typer.Option("--within", metavar="DAYS", help="How far ahead to look: 30d, 2w, 90")] = "30d",
    filters: Filters = FROM_OPTIONS,
    format: ListFormatOption = ListFormat.text,
    plans: Selection = FROM_OPTIONS,
    plan_at: PlanAtOption = None,
) -> None:
    """What falls due next, soonest first, with countdowns."""
    from ..core.query import upcoming as find_upcoming

    day = as_of_date(as_of)
    window = parse_window(within)
    loaded = load(plans, plan_at, as_of=day, filters=filters, localize=format is not ListFormat.json)
    rows = find_upcoming(loaded.plan, day, window, filters=filters)
    list_out(rows, format, _("Nothing falls due from {date} to {end}.").format(date=day, end=day + window))


@command(example="oagtrack show 1.1", short_help="One recommendation, milestone or person in full.")
@with_plan_options
def show(
    item_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A recommendation (1), action (1.1), step (3.4b.a), outcome (1.outcome) or person key (harris)",
        ),
    ],
    as_of: AsOfOption = None,
    plans: Selection = FROM_OPTIONS,
    plan_at: PlanAtOption = None,
) -> None:
    """One recommendation, action, step, outcome or person in full.

    In a portfolio, name an item by its qualified id (`oag-2020-x:1.1`), or
    by its short id when only one audit has it.
    """
    from ..core.model import Milestone, Person, Recommendation
    from ..core.query import stand, standings
    from ..render import terminal

    day = as_of_date(as_of)
    view = load_view(plans, plan_at, as_of=day)
    loaded = view.loaded
    found = loaded.plan.find(qualified_name(view, item_id))
    if found is None:
        fail(unknown_id_message(item_id, loaded.plan.ids()))
    if isinstance(found, Recommendation):
        rows = [s for s in standings(loaded.plan, day) if s.milestone.recommendation == found.id]
        emit(terminal.show_recommendation(loaded.plan, found, rows))
    elif isinstance(found, Person):
        rows = [s for s in standings(loaded.plan, day) if found.key in s.milestone.leads]
        emit(terminal.show_person(found, rows))
    elif isinstance(found, Milestone) and found.steps:
        emit(terminal.show_group(loaded.plan, found, [stand(loaded.plan, step, day) for step in found.steps]))
    else:
        emit(terminal.show_milestone(loaded.plan, stand(loaded.plan, found, day)))
