"""Rich renderables for the terminal, built only from query results.

Plan text always enters Rich as `Text` (never as markup), and passes through
`visible()` first, so `[red]`, emoji codes and escape sequences in a title
are shown as characters and never act on the terminal.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Iterable

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from ..model import Milestone, Person, Plan, Recommendation
from ..query import Standing, count_states, group_by_recommendation
from .text import countdown, event_words, lead_names, one_line, shorten, slip, summary_counts, visible

#: Width of output that goes to a pipe or file, unless $COLUMNS says otherwise.
PIPE_WIDTH = 120

STATE_STYLES = {
    "complete": "green",
    "complete-late": "yellow",
    "retired": "dim",
    "overdue": "bold red",
    "due-soon": "yellow",
    "open": "",
}


def make_console(file: IO[str] | None = None, environ: dict[str, str] | os._Environ = os.environ, width: int | None = None) -> Console:
    """A console that never interprets plan text; no escape codes with NO_COLOR or off a terminal."""
    plain = bool(environ.get("NO_COLOR"))
    stream = file or sys.stdout
    if width is None and not environ.get("COLUMNS") and not _isatty(stream):
        width = _stderr_width() or PIPE_WIDTH
    return Console(
        file=file,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        color_system=None if plain else "auto",
        soft_wrap=False,
    )


def print_renderable(console: Console, renderable: RenderableType) -> None:
    """Print; off a terminal, without the blanks Rich pads table lines with."""
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as capture:
        console.print(renderable)
    console.file.write("\n".join(line.rstrip() for line in capture.get().split("\n")))


def plain_text(renderable: RenderableType) -> str:
    """A renderable as plain text, for a file (`report -o FILE`): no colour, no escape codes."""
    import io

    buffer = io.StringIO()
    # A file has no terminal: the same width wherever it is written, and no padding blanks.
    make_console(file=buffer, environ={"NO_COLOR": "1"}, width=PIPE_WIDTH).print(renderable)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _stderr_width() -> int | None:
    """`oagtrack status | less` in a terminal: the terminal's width, seen through stderr."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return None


def _one_line_title(title: str, width: int) -> Text:
    """The title made inert, then cut to `width` cells (wide characters count two) with an ellipsis."""
    text = safe(title, "italic")
    text.truncate(width, overflow="ellipsis")
    text.no_wrap = True
    return text


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def safe(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def state_text(state: str) -> Text:
    return Text(state, style=STATE_STYLES.get(state, ""))


def _milestone_table(title: str | None, rows: Iterable[Standing], *, show_rec: bool = False) -> MilestoneTable:
    return MilestoneTable(title, list(rows), show_rec)


#: Below this many cells for the text and the leads together (or what they
#: need, if less), a table drops the columns another one repeats: Rec (the ID
#: begins with it), then State (the countdown says overdue, due, done or
#: retired, in the state's colour).
NARROW_ROOM = 30
_OPTIONAL_COLUMNS = ("Rec", "State")


class MilestoneTable:
    """A table of milestones laid out for the width it is given.

    The fixed columns (ID, due date, state, countdown) always show in full;
    the text and the leads share what is left, and are cut with an ellipsis.
    On a narrow terminal the columns another one repeats give way first.
    """

    def __init__(self, title: str | None, rows: list[Standing], show_rec: bool):
        self.title, self.rows, self.show_rec = title, rows, show_rec

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        headers = ["ID"] + (["Rec"] if self.show_rec else []) + ["Milestone", "Lead", "Due", "State", "Countdown"]
        cells = [dict(zip(headers, self._cells(standing))) for standing in self.rows]
        natural = {h: max([len(h)] + [row[h].cell_len for row in cells]) for h in headers}
        # Between two columns: right padding, the box's blank divider, left padding.
        fixed = sum(w for h, w in natural.items() if h not in ("Milestone", "Lead")) + 3 * (len(headers) - 1)
        wanted = min(NARROW_ROOM, natural["Milestone"] + natural["Lead"])
        for optional in _OPTIONAL_COLUMNS:
            if optional in headers and options.max_width - fixed < wanted:
                headers.remove(optional)
                fixed -= natural[optional] + 3
        if "State" not in headers:
            # "since 2021-02-01" alone would not say what happened on that day.
            for row, standing in zip(cells, self.rows):
                if standing.state == "retired":
                    row["Countdown"] = Text(f"retired {countdown(standing)}", style=STATE_STYLES["retired"])
                    fixed += max(0, row["Countdown"].cell_len - natural["Countdown"])
                    natural["Countdown"] = max(natural["Countdown"], row["Countdown"].cell_len)
        room = max(0, options.max_width - fixed)
        lead = min(natural["Lead"], max(8, room // 3))
        text = min(natural["Milestone"], max(8, room - lead))
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for header in headers:
            width = {"Milestone": text, "Lead": lead}.get(header, natural[header])
            table.add_column(header, no_wrap=True, overflow="ellipsis", width=width)
        for row in cells:
            table.add_row(*(row[header] for header in headers))
        if self.title:
            yield _one_line_title(self.title, options.max_width)
        yield table

    def _cells(self, standing: Standing) -> list[Text]:
        milestone = standing.milestone
        due = Text(str(standing.due))
        if standing.revisions:
            due.append(f" (was {standing.original_due})", style="dim")
        cells = [safe(milestone.id)]
        if self.show_rec:
            cells.append(safe(milestone.recommendation))
        return cells + [
            safe(one_line(milestone.text)),
            safe(lead_names(standing)),
            due,
            state_text(standing.state),
            Text(countdown(standing), style=STATE_STYLES.get(standing.state, "")),
        ]


def status_view(plan: Plan, rows: list[Standing]) -> RenderableType:
    """One table per recommendation, then the summary line."""
    parts: list[RenderableType] = []
    titles = {rec.id: rec for rec in plan.recommendations}
    for rec_id, group in group_by_recommendation(rows):
        parts.append(_milestone_table(f"Recommendation {rec_id}: {shorten(one_line(titles[rec_id].text), 70)}", group))
    parts.append(summary_line(rows))
    return Group(*parts)


#: Above this many milestones, `status` shows counts per recommendation and
#: per lead instead of every milestone (drawing a table row costs about
#: 0.3 ms, so 10,000 rows would take seconds); `status --all` lists them all.
SUMMARY_ABOVE = 200
#: Rows in each table of the summary; the rest are counted in one line.
SUMMARY_ROWS = 20
_COUNT_COLUMNS = (("Overdue", "overdue"), ("Due soon", "due-soon"), ("Open", "open"), ("Late", "complete-late"), ("Complete", "complete"), ("Retired", "retired"))


def status_summary(plan: Plan, rows: list[Standing]) -> RenderableType:
    """A large plan at a glance: counts per recommendation and per lead, most overdue first."""
    from ..query import by_lead, by_recommendation

    titles = {rec.id: rec.text for rec in plan.recommendations}
    recs = by_recommendation(rows)
    leads = by_lead(rows)
    rec_rows = [(safe(rec_id), safe(shorten(one_line(titles.get(rec_id, "")), 50)), counts) for rec_id, counts in recs.items()]
    lead_rows = [(safe(plan.people[key].full_name if key in plan.people else key), safe(plan.people[key].org if key in plan.people else ""), counts) for key, counts in leads.items()]
    parts: list[RenderableType] = [
        _count_table("Recommendations needing attention", ("Rec", "Recommendation"), rec_rows, "recommendations"),
        _count_table("Leads", ("Lead", "Org"), lead_rows, "leads"),
        summary_line(rows),
        Text(f"{len(rows)} milestones summarised: --all lists each; --rec, --lead, --org, --state narrow."),
    ]
    return Group(*parts)


def _count_table(title: str, names: tuple[str, str], rows: list[tuple[Text, Text, dict[str, int]]], noun: str) -> RenderableType:
    """The first SUMMARY_ROWS rows, most overdue first (then due soon, then open), and a count of the rest."""
    ranked = sorted(rows, key=lambda row: (-row[2]["overdue"], -row[2]["due-soon"], -row[2]["open"]))
    table = _CountTable(title, names, ranked[:SUMMARY_ROWS])
    if len(ranked) <= SUMMARY_ROWS:
        return table
    return Group(table, Text(f"… and {len(ranked) - SUMMARY_ROWS} more {noun}", style="dim"))


class _CountTable:
    """Counts by state, one row per recommendation or lead, laid out for the width it is given.

    Every column shows in full but the second (a title or an organization),
    which gives way to a narrow terminal and is cut with an ellipsis.
    """

    def __init__(self, title: str, names: tuple[str, str], rows: list[tuple[Text, Text, dict[str, int]]]):
        self.title, self.names, self.rows = title, names, rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Retired milestones are rare: their column shows only when there are some.
        columns = [(header, state) for header, state in _COUNT_COLUMNS if state != "retired" or any(counts[state] for *_, counts in self.rows)]
        headers = [*self.names, *(header for header, _ in columns)]
        cells = [[first, second, *(Text(str(counts[state]), style=STATE_STYLES.get(state, "") if counts[state] else "") for _, state in columns)] for first, second, counts in self.rows]
        natural = [max([len(h)] + [row[i].cell_len for row in cells]) for i, h in enumerate(headers)]
        fixed = sum(natural) - natural[1] + 3 * (len(headers) - 1)  # padding and divider between columns
        widths = [natural[0], max(6, min(natural[1], options.max_width - fixed)), *natural[2:]]
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for i, header in enumerate(headers):
            table.add_column(header, justify="left" if i < 2 else "right", no_wrap=True, overflow="ellipsis", width=widths[i])
        for row in cells:
            table.add_row(*row)
        if self.title:
            yield _one_line_title(self.title, options.max_width)
        yield table


def summary_line(rows: list[Standing]) -> Text:
    counts = count_states(rows)
    as_of = rows[0].as_of if rows else None
    prefix = f"As of {as_of}: " if as_of else ""
    return Text(f"{prefix}{len(rows)} milestones: {summary_counts(counts)}")


def listing(rows: list[Standing], empty: str) -> RenderableType:
    """A flat table across recommendations (overdue, upcoming)."""
    if not rows:
        return Text(empty)
    return Group(_milestone_table(None, rows, show_rec=True), Text(f"{len(rows)} milestone{'s' if len(rows) != 1 else ''}"))


def person_lines(person: Person) -> Text:
    text = safe(person.full_name, "bold")
    for detail in (person.title, person.branch, person.org, person.phone, person.email):
        if detail:
            text.append("\n  ")
            text.append(visible(detail))
    return text


def show_milestone(plan: Plan, standing: Standing) -> RenderableType:
    milestone = standing.milestone
    kind = {"action": "Action", "step": "Step", "outcome": "Expected outcome"}[milestone.kind]
    lines = Text()
    lines.append(f"{kind} {visible(milestone.id)}", style="bold")
    printed = visible(milestone.reference[len(milestone.id):])  # " [printed a.]", or nothing
    lines.append(f"{printed}  (recommendation {visible(milestone.recommendation)})\n\n")
    lines.append(visible(milestone.text) + "\n\n")
    _field(lines, "Due", str(standing.due))
    if standing.revisions:
        _field(lines, "Original due", str(standing.original_due))
        _field(lines, "Slip", slip(standing))
    _field(lines, "Status", standing.status)
    lines.append("State:        ")
    lines.append(f"{standing.state} ({countdown(standing)})\n", style=STATE_STYLES.get(standing.state, ""))
    for label, value in (("Started", standing.started), ("Completed", standing.completed), ("Verified", standing.verified)):
        if value:
            _field(lines, label, str(value))
    if standing.verified and standing.verified_by:
        _field(lines, "Verified by", visible(standing.verified_by))
    for link in milestone.evidence:
        _field(lines, "Evidence", visible(link))
    parts: list[RenderableType] = [lines]
    if standing.revisions:
        parts.append(Text("Revisions:", style="bold"))
        for event in standing.revisions:
            entry = f"  {event.on}: {event.from_due} -> {event.to_due} ({(event.to_due - event.from_due).days:+d} days): {visible(event.reason)}"
            if event.approved_by:
                entry += f" [approved by {visible(event.approved_by)}]"
            parts.append(Text(entry))
    history = [event for event in milestone.history if event.kind != "revised"]  # revisions are listed above
    if history:
        parts.append(Text("History:", style="bold"))
        parts += [Text(visible(f"  {event.on}: {event_words(event)}")) for event in history]
    parts += _leads_block(standing.leads)
    return Group(*parts)


def show_group(plan: Plan, action: Milestone, steps: list[Standing]) -> RenderableType:
    """An action whose steps are the milestones."""
    head = Text()
    head.append(f"Action {visible(action.id)}", style="bold")
    printed = visible(action.reference[len(action.id):])
    head.append(f"{printed}  (recommendation {visible(action.recommendation)})\n\n")
    head.append(visible(action.text) + "\n")
    parts: list[RenderableType] = [head, _milestone_table("Steps", steps)]
    parts += _leads_block(plan.people[key] for key in action.leads if key in plan.people)
    return Group(*parts)


def show_recommendation(plan: Plan, rec: Recommendation, rows: list[Standing]) -> RenderableType:
    text = Text()
    text.append(f"Recommendation {visible(rec.id)}\n\n", style="bold")
    text.append(visible(rec.text) + "\n")
    for bullet in rec.bullets:
        text.append(f"  • {visible(bullet)}\n")
    text.append("\nResponse: ", style="bold")
    text.append(("Agreed" if rec.response.agreed else "Not agreed") + "\n")
    text.append(visible(rec.response.text) + "\n")
    outcome = next(s for s in rows if s.milestone.kind == "outcome")
    text.append("\nExpected outcome: ", style="bold")
    text.append(f"due {outcome.due}, ")
    text.append(f"{outcome.state} ({countdown(outcome)})", style=STATE_STYLES.get(outcome.state, ""))
    text.append("\n" + visible(outcome.milestone.text) + "\n")
    parts: list[RenderableType] = [text, _milestone_table("Actions", [s for s in rows if s.milestone.kind != "outcome"])]
    parts += _leads_block(plan.people[key] for key in rec.leads if key in plan.people)
    return Group(*parts)


def show_person(person: Person, rows: list[Standing]) -> RenderableType:
    parts: list[RenderableType] = [person_lines(person)]
    if rows:
        parts.append(_milestone_table(f"Milestones led by {person.full_name}", rows, show_rec=True))
        parts.append(Text(f"{len(rows)} milestones: {summary_counts(count_states(rows))}"))
    else:
        parts.append(Text("Leads no milestones."))
    return Group(*parts)


def _leads_block(people: Iterable[Person]) -> list[RenderableType]:
    """`Leads:` and each lead's contact lines, indented; nothing when there are none."""
    lines = [_indent(person_lines(person)) for person in people]
    return [Text("Leads:", style="bold"), *lines] if lines else []


def _field(text: Text, label: str, value: str) -> None:
    text.append(f"{label + ':':<14}{value}\n")


def _indent(text: Text) -> Text:
    return Text("  ") + Text("\n  ").join(text.split("\n"))
