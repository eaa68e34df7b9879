"""The progress report on the terminal: Rich renderables built from a `progress.Report`.

Plan text enters Rich only as `Text` after `visible()`, so markup such as
`[red]` prints literally and escape sequences never reach the terminal.
"""

from __future__ import annotations

from rich import box
from typing import Iterable

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from ..progress import ActionDetail, RecommendationDetail, Report
from ..query import Standing
from . import words
from .terminal import STATE_STYLES
from .text import visible


def _safe(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


#: A one-line column is never cut narrower than this.
_MIN_ONE_LINE = 12
#: Padding and rule between columns in `box.SIMPLE_HEAD` without edges.
_GAP = 3


class FittedTable:
    """A `words.Table` laid out for the width it is printed at (see `column_widths`)."""

    def __init__(self, data: words.Table, title: str | None = None) -> None:
        self.data, self.title = data, title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield table(self.data, self.title, options.max_width)


def _longest_word(texts: Iterable[str]) -> int:
    return max((len(word) for text in texts for word in visible(text).split()), default=1)


def column_widths(data: words.Table, width: int) -> list[int]:
    """Widths that fit `width` where they can, and never break a word.

    Every column starts as wide as its longest line. If the table is too
    wide, one-line columns (cut with an ellipsis) give up room first, down
    to a quarter of the width, then numeric columns (their headers wrap
    between words), then text columns down to a sixth of the width, then
    the one-line columns again, then text columns down to their longest
    word; no column goes below its longest word.
    """
    columns = list(zip(data.headers, *data.rows)) if data.rows else [(h,) for h in data.headers]
    widths = [max(len(visible(text)) for text in column) for column in columns]
    floors = []
    for n, column in enumerate(columns):
        if n in data.one_line:
            floors.append(min(widths[n], max(_MIN_ONE_LINE, _longest_word(column[:1]))))
        else:
            floors.append(_longest_word(column))
    excess = sum(widths) + _GAP * (len(widths) - 1) - width
    one_line = [n for n in range(len(widths)) if n in data.one_line]
    numeric = [n for n in range(len(widths)) if n in data.numeric]
    text = [n for n in range(len(widths)) if n not in data.one_line and n not in data.numeric]
    share = [max(floor, width // 4) for floor in floors]
    comfortable = [max(floor, width // 6) for floor in floors]
    for group, limits in ((one_line, share), (numeric, floors), (text, comfortable), (one_line, floors), (text, floors)):
        while excess > 0:
            open_columns = [n for n in group if widths[n] > limits[n]]
            if not open_columns:
                break
            widest = max(open_columns, key=lambda n: widths[n])
            widths[widest] -= 1
            excess -= 1
    return widths


def table(data: words.Table, title: str | None = None, width: int = 120) -> Table:
    """A `words.Table` as a Rich table of `width`; long text wraps between words, numbers align right."""
    result = Table(title=_safe(title, "italic") if title else None, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    for n, (header, size) in enumerate(zip(data.headers, column_widths(data, width))):
        one_line = n in data.one_line
        result.add_column(
            header,
            justify="right" if n in data.numeric else "left",
            width=size,
            no_wrap=one_line,
            overflow="ellipsis" if one_line else "fold",
        )
    for row in data.rows:
        cells = []
        for n, cell in enumerate(row):
            style = STATE_STYLES.get(cell, "") if n == data.state_column else ""
            cells.append(_safe(cell, style))
        result.add_row(*cells)
    return result


def _heading(text: str) -> Text:
    return Text("\n" + text, style="bold underline")


def report_view(report: Report) -> RenderableType:
    """The whole report, in the order the committee reads it."""
    parts: list[RenderableType] = [
        _safe(words.title(report), "bold"),
        Text(words.subtitle(report)),
        _heading("Summary"),
        Text(words.headline(report)),
        FittedTable(words.summary_table(report, "Plan")),
        FittedTable(words.summary_table(report, "Organization", report.by_org), "By organization"),
        FittedTable(words.summary_table(report, "Lead", report.by_lead), "By lead"),
        _heading("Slippage"),
        Text(words.completion_sentence(report)),
        Text(words.slippage_sentence(report.slippage)),
        FittedTable(words.slippage_table("Recommendation", report.slippage_by_recommendation), "By recommendation"),
        FittedTable(words.slippage_table("Lead", report.slippage_by_lead), "By lead"),
        _heading(f"Stale items: open, no activity in {words.plural(report.stale_after.days, 'day')}"),
    ]
    parts.append(FittedTable(words.stale_table(report.stale)) if report.stale else Text("None."))
    parts.append(_heading(f"Changes since {report.since}"))
    parts.append(FittedTable(words.changes_table(report.changes)) if report.changes else Text(f"Nothing recorded from {report.since} to {report.as_of}."))
    for detail in report.details:
        parts.extend(_recommendation(detail))
    return Group(*parts)


def _recommendation(detail: RecommendationDetail) -> list[RenderableType]:
    rec = detail.recommendation
    head = Text()
    head.append(visible(rec.text) + "\n")
    for bullet in rec.bullets:
        head.append(f"  • {visible(bullet)}\n")
    head.append(f"Response ({'agreed' if rec.response.agreed else 'not agreed'}): ", style="bold")
    head.append(visible(rec.response.text) + "\n")
    parts: list[RenderableType] = [_heading(f"Recommendation {visible(rec.id)}"), head]
    if detail.outcome:
        parts.append(_milestone("Expected outcome", detail.outcome))
    for action in detail.actions:
        parts.extend(_action(action))
    return parts


def _action(detail: ActionDetail) -> list[RenderableType]:
    if detail.standing:
        return [_milestone(f"Action {words.with_printed(detail.action.id, detail.action.label)}", detail.standing)]
    head = Text()
    head.append(f"Action {visible(words.with_printed(detail.action.id, detail.action.label))}", style="bold")
    head.append("\n  " + visible(detail.action.text))
    return [head] + [_milestone(f"Step {words.with_printed(step.milestone.id, step.milestone.label)}", step, indent="    ") for step in detail.steps]


def _milestone(label: str, s: Standing, indent: str = "  ") -> Text:
    m = s.milestone
    text = Text()
    text.append(indent[:-2] + visible(label), style="bold")
    text.append("  ")
    text.append(words.state_words(s), style=STATE_STYLES.get(s.state, ""))
    text.append(f"\n{indent}{visible(m.text)}")
    lines = [("Leads", words.leads(s)), ("Due", words.due_words(s))]
    if s.completed:
        lines.append(("Completed", words.day(s.completed)))
    lines += [("Evidence", link) for link in m.evidence]
    note = s.latest_note
    if note:
        lines.append(("Latest note", f"{note.on}: {note.text}"))
    for name, value in lines:
        if value:
            text.append(f"\n{indent}{name}: {visible(value)}")
    return text
