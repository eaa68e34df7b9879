"""The progress report on the terminal: Rich renderables built from a `progress.Report`.

Plan text enters Rich only as `Prose` (see prose.py), inert and laid out
in linear time, so markup such as `[red]` prints literally, escape
sequences never reach the terminal, and a text of millions of characters
prints in about the time it takes to read the plan.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from ..core.metrics import ActionDetail, RecommendationDetail, Report, Slippage
from ..core.metrics import Group as ReportGroup
from ..core.query import Standing
from . import report_tables
from .inert import visible, visible_len
from .language import _, n_
from .phrases import colon, kind_word, more_rows, reference
from .prose import Prose, one_line_head
from .terminal import STATE_STYLES, safe, state_styles

#: A one-line column is never cut narrower than this.
_MIN_ONE_LINE = 12
#: Padding and rule between columns in `box.SIMPLE_HEAD` without edges.
_GAP = 3


class FittedTable:
    """A `report_tables.Table` laid out for the width it is printed at (see `column_widths`)."""

    def __init__(self, data: report_tables.Table, title: str | None = None) -> None:
        self.data, self.title = data, title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield table(self.data, self.title, options.max_width)


def _longest_word(texts: Iterable[str]) -> int:
    return max((len(word) for text in texts for word in visible(text).split()), default=1)


def column_widths(data: report_tables.Table, width: int) -> list[int]:
    """Widths that fit `width` where they can, and never break a word.

    Every column starts as wide as its longest line. If the table is too
    wide, one-line columns (cut with an ellipsis) give up room first, down
    to a quarter of the width, then numeric columns (their headers wrap
    between words), then text columns down to a sixth of the width, then
    the one-line columns again, then text columns down to their longest
    word; no column goes below its longest word.
    """
    columns = list(zip(data.headers, *data.rows)) if data.rows else [(h,) for h in data.headers]
    widths = [max(visible_len(text) for text in column) for column in columns]
    floors = []
    for n, column in enumerate(columns):
        if n in data.one_line:
            floors.append(min(widths[n], max(_MIN_ONE_LINE, _longest_word(column[:1]))))
        elif n in data.nowrap:
            floors.append(widths[n])
        else:
            floors.append(_longest_word(column))
    excess = sum(widths) + _GAP * (len(widths) - 1) - width
    one_line = [n for n in range(len(widths)) if n in data.one_line]
    numeric = [n for n in range(len(widths)) if n in data.numeric]
    text = [n for n in range(len(widths)) if n not in data.one_line and n not in data.numeric]
    share = [max(floor, width // 4) for floor in floors]
    comfortable = [max(floor, width // 6) for floor in floors]
    for group, limits in (
        (one_line, share),
        (numeric, floors),
        (text, comfortable),
        (one_line, floors),
        (text, floors),
    ):
        excess = narrow_widest(widths, group, limits, excess)
    return widths


def narrow_widest(widths: list[int], group: list[int], limits: list[int], excess: int) -> int:
    """Take up to `excess` cells from the columns of `group`, always from the widest, none below its limit.

    Return what is left to take.

    The same as taking one cell at a time from the widest column (the first
    of equals), but computed by levels: cutting every column to a level
    costs what they hold above it, so a binary search finds the level, and
    what remains is one cell from each of the first columns at that level.
    A column of a million characters costs no more than one of a hundred.
    """
    open_columns = [n for n in group if widths[n] > limits[n]]
    if excess <= 0 or not open_columns:
        return excess

    def cost(level: int) -> int:
        return sum(max(0, widths[n] - max(limits[n], level)) for n in open_columns)

    everything = cost(0)
    if everything <= excess:
        for n in open_columns:
            widths[n] = limits[n]
        return excess - everything
    low, high = 0, max(widths[n] for n in open_columns)  # cost(low) > excess >= cost(high) = 0
    while high - low > 1:
        middle = (low + high) // 2
        if cost(middle) <= excess:
            high = middle
        else:
            low = middle
    left = excess - cost(high)
    for n in open_columns:
        widths[n] = min(widths[n], max(limits[n], high))
    for n in open_columns:
        if left and widths[n] == high > limits[n]:
            widths[n] -= 1
            left -= 1
    return 0


def table(data: report_tables.Table, title: str | None = None, width: int = 120) -> Table:
    """A `report_tables.Table` as a Rich table of `width`; long text wraps between words, numbers align right."""
    # Rich annotates a title as str | Text, yet draws any renderable there (Table.render_annotation).
    result = Table(
        title=safe(title, "italic") if title else None,  # type: ignore[arg-type]
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        expand=False,
    )
    sizes = column_widths(data, width)
    for n, (header, size) in enumerate(zip(data.headers, sizes)):
        one_line = n in data.one_line
        result.add_column(
            header,
            justify="right" if n in data.numeric else "left",
            width=size,
            no_wrap=one_line or n in data.nowrap,
            overflow="ellipsis" if one_line else "fold",
        )
    styles = state_styles()  # a state cell holds the reader's word for the state
    for row in data.rows:
        cells = []
        for n, (cell, size) in enumerate(zip(row, sizes)):
            style = styles.get(cell, "") if n == data.state_column else ""
            cells.append(safe(one_line_head(cell, size) if n in data.one_line else cell, style))
        result.add_row(*cells)
    return result


def _heading(text: str) -> Text:
    return Text("\n" + text, style="bold underline")


#: Above this many milestones the terminal report is summarised unless `--all`:
#: each table shows its first SUMMARY_ROWS rows (ranked where a rank helps)
#: and the per-recommendation detail is left out (Markdown and HTML keep it).
SUMMARY_ABOVE = 500
SUMMARY_ROWS = 20


def report_view(report: Report, *, show_all: bool = True) -> RenderableType:
    """The whole report, in the order the committee reads it; a large one summarised unless `show_all`."""
    brief = not show_all and report.summary.total > SUMMARY_ABOVE

    def fitted(data: report_tables.Table, title: str | None, noun: str, order: str = "") -> list[RenderableType]:
        if not brief or len(data.rows) <= SUMMARY_ROWS:
            return [FittedTable(data, title)]
        cut = data._replace(rows=data.rows[:SUMMARY_ROWS])
        more = _("{more}{order} (--all lists every one)").format(
            more=more_rows(noun, len(data.rows) - SUMMARY_ROWS), order=order
        )
        return [FittedTable(cut, title), Text(more, style="dim")]

    most_overdue, most_slipped = _(", most overdue first"), _(", most slipped first")

    recs = sorted(report.recommendations, key=lambda p: -p.overdue) if brief else report.recommendations
    by_org = sorted(report.by_org, key=_most_overdue) if brief else report.by_org
    by_lead = sorted(report.by_lead, key=_most_overdue) if brief else report.by_lead
    slip_recs = (
        sorted(report.slippage_by_recommendation, key=_most_slipped) if brief else report.slippage_by_recommendation
    )
    slip_leads = sorted(report.slippage_by_lead, key=_most_slipped) if brief else report.slippage_by_lead
    stale_days = report.stale_after.days
    parts: list[RenderableType] = [
        safe(report_tables.title(report), "bold"),
        Text(report_tables.subtitle(report)),
        _heading(_("Summary")),
        Text(report_tables.headline(report)),
        FittedTable(report_tables.summary_table(report, _("Plan"))),
        *fitted(report_tables.recommendation_table(recs), _("By recommendation"), "recommendations", most_overdue),
        *fitted(
            report_tables.summary_table(report, _("Organization"), by_org),
            _("By organization"),
            "organizations",
            most_overdue,
        ),
        *fitted(report_tables.summary_table(report, _("Lead"), by_lead), _("By lead"), "leads", most_overdue),
        _heading(_("Slippage")),
        Text(report_tables.completion_sentence(report)),
        Text(report_tables.slippage_sentence(report.slippage)),
        *fitted(
            report_tables.slippage_table(_("Recommendation"), slip_recs),
            _("By recommendation"),
            "recommendations",
            most_slipped,
        ),
        *fitted(report_tables.slippage_table(_("Lead"), slip_leads), _("By lead"), "leads", most_slipped),
        _heading(
            n_(
                "Stale items: open, no activity in {count} day",
                "Stale items: open, no activity in {count} days",
                stale_days,
            ).format(count=stale_days)
        ),
    ]
    parts.extend(
        fitted(report_tables.stale_table(report.stale), None, "stale items", _(", quietest first"))
        if report.stale
        else [Text(_("None."))]
    )
    parts.append(_heading(_("Changes since {date}").format(date=report.since)))
    parts.extend(
        fitted(report_tables.changes_table(report.changes), None, "changes")
        if report.changes
        else [Text(_("Nothing recorded from {since} to {date}.").format(since=report.since, date=report.as_of))]
    )
    if brief:
        parts.append(_heading(_("Recommendations")))
        recommendations = len(report.details)
        left_out = n_(
            "The detail of {count} recommendation ({total} milestones) is left out: "
            "--all prints it; --format markdown or html always include it; --rec, --lead, --org, --state narrow.",
            "The detail of {count} recommendations ({total} milestones) is left out: "
            "--all prints it; --format markdown or html always include it; --rec, --lead, --org, --state narrow.",
            recommendations,
        )
        parts.append(Text(left_out.format(count=recommendations, total=report.summary.total)))
        return Group(*parts)
    for detail in report.details:
        parts.extend(_recommendation(detail))
    return Group(*parts)


def _most_overdue(group: ReportGroup) -> tuple[int, int]:
    """Most overdue first, then most due soon; ties keep the report's order (sorted is stable)."""
    return (-group.summary.overdue, -group.summary.due_soon)


def _most_slipped(item: Slippage) -> tuple[int, int]:
    return (-item.days_slipped, -item.revisions)


def _recommendation(detail: RecommendationDetail) -> list[RenderableType]:
    rec = detail.recommendation
    head = Prose()
    if detail.progress:
        head.append(colon(_("Status")) + " ", "bold")
        head.append(report_tables.recommendation_status(detail.progress) + "\n")
    head.append(rec.text + "\n")
    for bullet in rec.bullets:
        head.append(f"  • {bullet}\n")
    response = _("Response (agreed)") if rec.response.agreed else _("Response (not agreed)")
    head.append(colon(response) + " ", "bold")
    head.append(rec.response.text + "\n")
    parts: list[RenderableType] = [_heading(_("Recommendation {id}").format(id=visible(rec.id))), head]
    if detail.outcome:
        parts.append(_milestone(kind_word("outcome"), detail.outcome))
    for action in detail.actions:
        parts.extend(_action(action))
    return parts


def _action(detail: ActionDetail) -> list[RenderableType]:
    action = f"{kind_word('action')} {reference(detail.action)}"
    if detail.standing:
        return [_milestone(action, detail.standing)]
    head = Prose()
    head.append(action, "bold")
    head.append("\n  " + detail.action.text)
    parts: list[RenderableType] = [head]
    steps = [(f"{kind_word('step')} {reference(step.milestone)}", step) for step in detail.steps]
    return parts + [_milestone(label, step, indent="    ") for label, step in steps]


def _milestone(label: str, s: Standing, indent: str = "  ") -> Prose:
    """The heading with the state, the status the plan records right under it, the text, then the other fields."""
    fields = [field for field in report_tables.detail_fields(s) if field.kind != "state"]  # the heading says the state
    first = [field for field in fields if field.label == _("Status")]  # as report_tables names it
    text = Prose()
    text.append(indent[:-2] + label, "bold")
    text.append("  ")
    text.append(report_tables.state_words(s), STATE_STYLES.get(s.state, ""))
    for field in first:
        text.append(f"\n{indent}{colon(field.label)} {field.value}")
    text.append(f"\n{indent}{s.milestone.text}")
    for field in fields:
        if field not in first:
            text.append(f"\n{indent}{colon(field.label)} {field.value}")
    return text
