"""A Gantt-style chart of the milestones by month, for the terminal.

One row per milestone, grouped by recommendation; one four-character
column per month. Symbols and words carry every meaning, colour only
repeats them, so the chart reads the same with NO_COLOR or on paper:

    ◆ due   ✔ complete   ! overdue   ○ original date   ── slip   │ as of
    (and ✕ retired, when a retired milestone is shown)

The state is written as a word beside each row, and the exact dates after
the chart, so nothing depends on reading a position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rich.text import Text

from ..core.model import Plan
from ..core.plan_terms import one_line
from ..core.query import Standing, count_states, group_by_recommendation
from .inert import visible
from .language import _, n_
from .phrases import colon, shorten, state_word
from .report_tables import ref
from .terminal import STATE_STYLES

CELL = 4
_MIN_TEXT = 15
#: Above this many milestones the chart shows only the recommendations most
#: in need of attention unless `--all` is given (a chart of thousands of rows
#: is not read, only scrolled); that many recommendations are shown.
SUMMARY_ABOVE = 500
SUMMARY_ROWS = 20


@dataclass(frozen=True, slots=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)


def months_between(first: Month, last: Month) -> list[Month]:
    result = [first]
    while result[-1] < last:
        result.append(result[-1].next())
    return result


def default_range(rows: Iterable[Standing], as_of: date) -> tuple[date, date]:
    """From the earliest to the latest date shown: due, original due and the as-of date."""
    days = [as_of]
    for s in rows:
        days += [s.due, s.original_due]
    return min(days), max(days)


def _months() -> list[str]:
    """The months' names in three letters, as each column is headed."""
    first_half = [_("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun")]
    return first_half + [_("Jul"), _("Aug"), _("Sep"), _("Oct"), _("Nov"), _("Dec")]


def legend(with_retired: bool = False) -> list[str]:
    """What each symbol means: `◆ due`, `✔ complete`, ...; `✕ retired` only when a retired milestone is shown."""
    items = [
        "◆ " + _("due"),
        "✔ " + _("complete"),
        "! " + _("overdue"),
        "○ " + _("original date"),
        "── " + _("slip"),
        "│ " + _("as of"),
    ]
    return items + ["✕ " + _("retired")] if with_retired else items


def _symbol(s: Standing) -> tuple[str, str]:
    if s.is_done:
        return "✔", STATE_STYLES["complete"]
    if s.state == "overdue":
        return "!", STATE_STYLES["overdue"]
    if s.state == "retired":
        return "✕", STATE_STYLES["retired"]
    return "◆", STATE_STYLES.get(s.state, "") or "bold"


def _row_cells(
    s: Standing, months: list[Month], as_of: date, cell: int = CELL, index: dict[Month, int] | None = None
) -> Text:
    """One row of month cells; `index` (month -> column, built once per chart) saves rebuilding it per row."""
    if index is None:
        index = {m: n for n, m in enumerate(months)}
    chars = [" "] * (cell * len(months))
    styles: list[str] = [""] * len(chars)
    centre = cell // 2
    first_day = date(months[0].year, months[0].month, 1)

    def place(day: date) -> int | None:
        n = index.get(Month.of(day))
        if n is not None:
            return n * cell + centre
        if day < first_day:
            return -1
        return len(chars)

    due_at, orig_at = place(s.due), place(s.original_due)
    if s.revisions and due_at is not None and orig_at is not None and due_at != orig_at:
        low, high = sorted((due_at, orig_at))
        for pos in range(max(low, 0), min(high, len(chars) - 1) + 1):
            chars[pos], styles[pos] = "─", "yellow"
        if 0 <= orig_at < len(chars):
            chars[orig_at], styles[orig_at] = "○", "yellow"
    as_of_month = index.get(Month.of(as_of))
    if as_of_month is not None:
        pos = as_of_month * cell + min(cell - 1, (as_of.day - 1) * cell // 31)
        if chars[pos] in " ─":
            chars[pos], styles[pos] = "│", "cyan"
    symbol, style = _symbol(s)
    if due_at is not None and 0 <= due_at < len(chars):
        chars[due_at], styles[due_at] = symbol, style
    elif due_at is not None and due_at < 0:
        chars[0], styles[0] = "◀", style
    else:
        chars[-1], styles[-1] = "▶", style
    return _runs(chars, styles)


def _runs(chars: list[str], styles: list[str]) -> Text:
    """The characters as one Text, appended a run of same-style characters at a time (not one by one)."""
    text = Text()
    start = 0
    for pos in range(1, len(chars) + 1):
        if pos == len(chars) or styles[pos] != styles[start]:
            text.append("".join(chars[start:pos]), style=styles[start])
            start = pos
    return text


def _details(s: Standing) -> str:
    """`2021-03-31 was 2020-10-31 (+151d)`, `2020-11-30, 62d overdue`, `2020-09-30, done 2020-09-15`."""
    text = str(s.due)
    if s.revisions:
        slipped = _("{days}d").format(days=f"{s.slip_days:+d}")
        text = _("{due} was {original} ({slipped})").format(due=text, original=s.original_due, slipped=slipped)
    if s.state == "overdue":
        text += ", " + _("{days}d overdue").format(days=s.days_overdue)
    elif s.completed:
        text += ", " + _("done {date}").format(date=s.completed)
    elif s.state == "retired":
        text += ", " + _("retired {date}").format(date=s.milestone.retired_on)
    return text


@dataclass(frozen=True, slots=True)
class Layout:
    """How the columns share the width: month cell size, text column, dates beside the row or below it."""

    cell: int
    text_width: int
    details_below: bool


def layout(id_width: int, state_width: int, detail_width: int, month_count: int, width: int) -> Layout:
    """Cells shrink (4, 2, then 1 character a month) before the dates move to their own line; dates are never cut."""
    for cell in (CELL, 2, 1):
        room = width - id_width - state_width - cell * month_count - 1 - detail_width
        if room >= 0:
            text_width = min(room - 1, 30)
            return Layout(cell, text_width if text_width >= _MIN_TEXT else 0, False)
    for cell in (CELL, 2):
        if id_width + state_width + cell * month_count <= width:
            return Layout(cell, 0, True)
    return Layout(1, 0, True)


def _month_name(month: Month, cell: int) -> str:
    name = _months()[month.month - 1]
    return f" {name}" if cell >= 4 else f"{name[0]:>{cell}}"


def _years(months: list[Month], label_width: int, cell: int) -> str:
    """Each year written where it starts, unless the previous year's number is still there."""
    line = " " * label_width
    for n, month in enumerate(months):
        if n == 0 or month.month == 1:
            at = label_width + n * cell
            if len(line.rstrip()) < at or n == 0:
                line = line.ljust(at) + str(month.year)
    return line


def _wrap_words(items: list[str], width: int, indent: str = "") -> list[str]:
    lines: list[str] = []
    line = ""
    for item in items:
        candidate = f"{line}  {item}" if line else indent + item
        if line and len(candidate) > width:
            lines.append(line)
            candidate = indent + item
        line = candidate
    return lines + ([line] if line else [])


def attention(rows: list[Standing], limit: int = SUMMARY_ROWS) -> tuple[list[Standing], int]:
    """The milestones of the `limit` recommendations most in need of attention, and how many recommendations there are.

    Ranked as `status` ranks them for a large plan: most overdue, then due
    soon, then open; ties keep plan order. The milestones come in that order of recommendations.
    """
    groups = dict(group_by_recommendation(rows))
    counts = {rec: count_states(group) for rec, group in groups.items()}
    ranked = sorted(groups, key=lambda rec: (-counts[rec]["overdue"], -counts[rec]["due-soon"], -counts[rec]["open"]))
    return [s for rec in ranked[:limit] for s in groups[rec]], len(groups)


def timeline(
    plan: Plan,
    rows: list[Standing],
    as_of: date,
    start: date | None = None,
    end: date | None = None,
    *,
    width: int = 120,
    show_all: bool = True,
) -> Text:
    """The chart as one Text. Month cells shrink to fit; the dates are never cut (below the row when there is no room).

    Above SUMMARY_ABOVE milestones, unless `show_all`, only the recommendations
    most in need of attention are charted (see `attention`), with a line saying so.
    """
    footer = ""
    if not show_all and len(rows) > SUMMARY_ABOVE:
        total = len(rows)
        rows, rec_count = attention(rows)
        shown = len({s.milestone.recommendation for s in rows})
        charted = n_(
            "{count} of {total} milestones charted: "
            "the {shown} of {recs} recommendations most in need of attention, most overdue first.",
            "{count} of {total} milestones charted: "
            "the {shown} of {recs} recommendations most in need of attention, most overdue first.",
            len(rows),
        ).format(count=len(rows), total=total, shown=shown, recs=rec_count)
        narrow = _("--all charts each; --rec, --lead, --org, --state, --from and --to narrow.")
        footer = f"\n\n{charted}\n{narrow}"
    first_day, last_day = default_range(rows, as_of)
    months = months_between(Month.of(start or first_day), Month.of(end or last_day))
    id_width = max((len(ref(s.milestone)) for s in rows), default=2) + 1
    detail_width = max((len(_details(s)) for s in rows), default=0) + 1
    state_width = max((len(state_word(s.state)) for s in rows), default=0) + 1
    shape = layout(id_width, state_width, detail_width, len(months), width)
    cell, text_width = shape.cell, shape.text_width
    chart_width = cell * len(months)
    label_width = id_width + (text_width + 1 if text_width else 0) + state_width

    out = Text()
    title = _("Timeline as of {date}").format(date=as_of)
    out.append(title, style="bold")
    symbols = legend(any(s.state == "retired" for s in rows))
    if len(title) + 3 + len("  ".join(symbols)) <= width:
        out.append("   " + "  ".join(symbols) + "\n\n")
    else:
        out.append("\n" + "\n".join(_wrap_words(symbols, width)) + "\n\n")
    names = Text(" " * label_width)
    for month in months:
        marker = month == Month.of(as_of)
        names.append(_month_name(month, cell), style="bold cyan" if marker else "")
    out.append_text(_crop(Text(_years(months, label_width, cell).rstrip()), width))
    out.append("\n")
    out.append_text(_crop(names, width))
    out.append("\n")
    if not rows:
        out.append(_("No milestones to show."))
        return out
    recs = {rec.id: rec for rec in plan.recommendations}
    index = {month: n for n, month in enumerate(months)}
    for rec_id, group in group_by_recommendation(rows):
        head = _("Recommendation {id}").format(id=visible(rec_id))
        out.append(head, style="bold")
        if rec_id in recs:
            after = colon("") + " "  # `: ` after the heading; ` : ` in French
            room = max(20, min(width, label_width + chart_width + 20) - len(head) - len(after))
            out.append(f"{after}{shorten(visible(one_line(recs[rec_id].text)), room)}")
        out.append("\n")
        for s in group:
            row = Text(f"{visible(ref(s.milestone)):<{id_width}}")
            if text_width:
                row.append(f"{shorten(visible(one_line(s.milestone.text)), text_width):<{text_width}} ")
            row.append(f"{state_word(s.state):<{state_width}}", style=STATE_STYLES.get(s.state, ""))
            row.append_text(_row_cells(s, months, as_of, cell, index))
            if shape.details_below:
                out.append_text(_crop(row, width))
                out.append(f"\n{' ' * id_width}{_details(s)}\n")
            else:
                row.append(" " + _details(s))
                out.append_text(row)
                out.append("\n")
    out.rstrip()
    if footer:
        out.append(footer, style="dim")
    return out


def _crop(text: Text, width: int) -> Text:
    """A chart line cut at `width`, so the terminal never wraps it (only ever month cells, never dates or words)."""
    text.rstrip()
    text.truncate(width, overflow="crop")
    return text
