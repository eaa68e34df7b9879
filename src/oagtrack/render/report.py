"""The progress report on the terminal: Rich renderables built from a `progress.Report`.

Plan text enters Rich only as `Text` after `visible()`, so markup such as
`[red]` prints literally and escape sequences never reach the terminal.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..progress import ActionDetail, RecommendationDetail, Report
from ..query import Standing
from . import words
from .terminal import STATE_STYLES
from .text import visible


def _safe(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def table(data: words.Table, title: str | None = None) -> Table:
    """A `words.Table` as a Rich table; long text wraps, numbers align right."""
    result = Table(title=_safe(title, "italic") if title else None, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    for n, header in enumerate(data.headers):
        result.add_column(header, justify="right" if n in data.numeric else "left", overflow="fold")
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
        table(words.summary_table(report, "Plan")),
        table(words.summary_table(report, "Organization", report.by_org), "By organization"),
        table(words.summary_table(report, "Lead", report.by_lead), "By lead"),
        _heading("Slippage"),
        Text(words.completion_sentence(report)),
        Text(words.slippage_sentence(report.slippage)),
        table(words.slippage_table("Recommendation", report.slippage_by_recommendation), "By recommendation"),
        table(words.slippage_table("Lead", report.slippage_by_lead), "By lead"),
        _heading(f"Stale items: open, no activity in {words.plural(report.stale_after.days, 'day')}"),
    ]
    parts.append(table(words.stale_table(report.stale)) if report.stale else Text("None."))
    parts.append(_heading(f"Changes since {report.since}"))
    parts.append(table(words.changes_table(report.changes)) if report.changes else Text(f"Nothing recorded from {report.since} to {report.as_of}."))
    for detail in report.details:
        parts.extend(_recommendation(detail))
    return Group(*parts)


def _recommendation(detail: RecommendationDetail) -> list[RenderableType]:
    rec = detail.recommendation
    head = Text()
    head.append(visible(rec.text) + "\n")
    for bullet in rec.bullets:
        head.append(f"  • {visible(bullet)}\n")
    head.append("Response: ", style="bold")
    head.append(("agreed. " if rec.response.agreed else "not agreed. ") + visible(rec.response.text) + "\n")
    parts: list[RenderableType] = [_heading(f"Recommendation {visible(rec.id)}"), head]
    if detail.outcome:
        parts.append(_milestone("Expected outcome", detail.outcome))
    for action in detail.actions:
        parts.extend(_action(action))
    return parts


def _action(detail: ActionDetail) -> list[RenderableType]:
    if detail.standing:
        return [_milestone(f"Action {detail.action.display_id}", detail.standing)]
    head = Text()
    head.append(f"Action {visible(detail.action.display_id)}", style="bold")
    head.append("\n  " + visible(detail.action.text))
    return [head] + [_milestone(f"Step {step.milestone.display_id}", step, indent="    ") for step in detail.steps]


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
