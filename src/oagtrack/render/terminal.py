"""Rich renderables for the terminal, built only from query results.

Plan text always enters Rich as `Prose` (never as markup; see prose.py),
which passes it through `visible()` first and lays it out in linear time,
so `[red]`, emoji codes and escape sequences in a title are shown as
characters and never act on the terminal. Whatever is printed passes
`print_renderable`, which makes every segment inert once more: a field
that reached Rich some other way cannot act on the terminal either.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..core.model import Milestone, Person, Plan, Recommendation
from ..core.plan_terms import one_line
from ..core.query import Standing, count_states, group_by_recommendation
from .fast_table import FixedTable
from .inert import TERMINAL, inert, is_inert
from .language import _, n_
from .phrases import (
    colon,
    countdown,
    days_signed,
    event_words,
    kind_word,
    lead_names,
    milestones_and_counts,
    more_rows,
    reference,
    shorten,
    slip,
    state_word,
    status_word,
)
from .prose import InertSegment, Prose, one_line_head, per_line

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


def make_console(
    file: IO[str] | None = None, environ: Mapping[str, str] = os.environ, width: int | None = None
) -> Console:
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
    """Print, every segment inert; off a terminal, without the blanks Rich pads table lines with."""
    if console.is_terminal:
        console.print(
            Inert(renderable), crop=False
        )  # Inert crops each line, as print's crop=True would, in linear time
        return
    console.file.write(_plain(console, renderable))


def plain_text(renderable: RenderableType) -> str:
    """A renderable as plain text, for a file (`report -o FILE`): no colour, no escape codes."""
    import io

    # A file has no terminal: the same width wherever it is written, and no padding blanks.
    return _plain(make_console(file=io.StringIO(), environ={"NO_COLOR": "1"}, width=PIPE_WIDTH), renderable)


def _plain(console: Console, renderable: RenderableType) -> str:
    """What Rich prints off a terminal (the text of each segment, no styles, no control codes), with no trailing blanks.

    Rich pads table lines with blanks. Lines of `Prose` come without them
    already (`InertSegment`), so a long text is not split into lines again.
    """
    parts: list[str] = []
    loose: list[str] = []
    for segment in console.render(Inert(renderable, strip=True), console.options):
        if type(segment) is InertSegment:
            if loose:
                parts.append(_without_trailing_blanks("".join(loose)))
                loose = []
            parts.append(segment.text)
        elif not segment.control:
            loose.append(segment.text)
    if loose:
        parts.append(_without_trailing_blanks("".join(loose)))
    return "".join(parts)


def _without_trailing_blanks(text: str) -> str:
    return "\n".join(map(str.rstrip, text.split("\n")))


class Inert:
    """What the printer prints: each line cropped to the width, every segment's text inert.

    Plan text is made inert where it enters Rich (`Prose`); this catches any
    that entered another way, such as a field added to a `Text` by hand. It
    works on segments, after layout, so only the styles Rich itself writes
    reach the terminal as escape sequences.

    It also does, in linear time, what Rich's print does with `crop=True`:
    splitting the output into lines and cropping each to the width. Rich
    splits a segment of many lines with one `str.partition` a line, copying
    the rest each time, so a long text took minutes; here every segment
    holds one line before it is split (`per_line`), and `Prose` at the top
    level, whose lines fit by construction, is printed in blocks of lines.
    """

    def __init__(self, renderable: RenderableType, *, strip: bool = False):
        self.renderable, self.strip = renderable, strip  # strip: lines of Prose without trailing blanks

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for child in _top_level(self.renderable):
            segments = child.blocks(console, options, strip=self.strip) if isinstance(child, Prose) else None
            if segments is None:
                lines = Segment.split_and_crop_lines(per_line(console.render(child, options)), width, pad=False)
                segments = (segment for line in lines for segment in line)
            for segment in segments:
                if type(segment) is InertSegment or segment.control or is_inert(segment.text):
                    yield segment
                else:
                    yield Segment(inert(segment.text, TERMINAL), segment.style)


def _top_level(renderable: RenderableType) -> Iterable[RenderableType]:
    """The renderables a group prints one after the other, groups within it opened too."""
    if isinstance(renderable, Group):  # a group only prints its renderables in turn
        for child in renderable.renderables:
            yield from _top_level(child)
    else:
        yield renderable


def _stderr_width() -> int | None:
    """`oagtrack status | less` in a terminal: the terminal's width, seen through stderr."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return None


def _one_line_title(title: str, width: int) -> Prose:
    """The title made inert, then cut to `width` cells (wide characters count two) with an ellipsis."""
    return Prose(one_line_head(title, width), "italic", no_wrap=True, overflow="ellipsis")


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def safe(text: str, style: str = "") -> Prose:
    """Plan text for Rich: inert, and laid out in time linear in its length."""
    return Prose(text, style)


def state_text(state: str) -> Text:
    """A state in the reader's words, in its colour."""
    return Text(state_word(state), style=STATE_STYLES.get(state, ""))


def state_styles() -> dict[str, str]:
    """The colour of each state, by its key (`overdue`) and by the reader's word for it (`en retard`)."""
    return {**{state_word(state): style for state, style in STATE_STYLES.items()}, **STATE_STYLES}


def _milestone_table(title: str | None, rows: Iterable[Standing], *, show_rec: bool = False) -> MilestoneTable:
    return MilestoneTable(title, list(rows), show_rec)


#: Below this many cells for the text and the leads together (or what they
#: need, if less), a table drops the columns another one repeats: Rec (the ID
#: begins with it), then State (the countdown says overdue, due, done or
#: retired, in the state's colour).
NARROW_ROOM = 30
_OPTIONAL_COLUMNS = ("Rec", "State")


def _milestone_headers() -> dict[str, str]:
    """Each column of a milestone table (named in English in the code) as its header reads."""
    return {
        "ID": _("ID"),
        "Rec": _("Rec"),
        "Milestone": _("Milestone"),
        "Lead": _("Lead"),
        "Due": _("Due"),
        "State": _("State"),
        "Countdown": _("Countdown"),
    }


class MilestoneTable:
    """A table of milestones laid out for the width it is given.

    The fixed columns (ID, due date, state, countdown) always show in full;
    the text and the leads share what is left, and are cut with an ellipsis.
    On a narrow terminal the columns another one repeats give way first.
    Columns are named in English here, whatever the language of their headers.
    """

    def __init__(self, title: str | None, rows: list[Standing], show_rec: bool):
        self.title, self.rows, self.show_rec = title, rows, show_rec

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        headers = ["ID"] + (["Rec"] if self.show_rec else []) + ["Milestone", "Lead", "Due", "State", "Countdown"]
        shown = _milestone_headers()
        # No column is wider than the table, nor needs to be known wider than NARROW_ROOM.
        limit = max(options.max_width, NARROW_ROOM)
        cells = [dict(zip(headers, self._cells(standing, limit))) for standing in self.rows]
        natural = {h: max([len(shown[h])] + [row[h].cell_len for row in cells]) for h in headers}
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
                    retired = _("retired {since}").format(since=countdown(standing))
                    row["Countdown"] = Text(retired, style=STATE_STYLES["retired"])
                    fixed += max(0, row["Countdown"].cell_len - natural["Countdown"])
                    natural["Countdown"] = max(natural["Countdown"], row["Countdown"].cell_len)
        room = max(0, options.max_width - fixed)
        lead = min(natural["Lead"], max(8, room // 3))
        text = min(natural["Milestone"], max(8, room - lead))
        widths = {**natural, "Milestone": text, "Lead": lead}
        columns = [(shown[header], widths[header]) for header in headers]
        if self.title:
            yield _one_line_title(self.title, options.max_width)
        yield FixedTable(columns, [[row[header] for header in headers] for row in cells])

    def _cells(self, standing: Standing, limit: int) -> list[Prose | Text]:
        """The row's cells; the text and the leads only as far as a column `limit` cells wide shows them."""
        milestone = standing.milestone
        due = Text(str(standing.due))
        if standing.revisions:
            due.append(" " + _("(was {date})").format(date=standing.original_due), style="dim")
        cells: list[Prose | Text] = [safe(milestone.id)]
        if self.show_rec:
            cells.append(safe(milestone.recommendation))
        return cells + [
            safe(one_line_head(one_line(milestone.text), limit)),
            safe(one_line_head(lead_names(standing), limit)),
            due,
            state_text(standing.state),
            Text(countdown(standing), style=STATE_STYLES.get(standing.state, "")),
        ]


def status_view(plan: Plan, rows: list[Standing]) -> RenderableType:
    """One table per recommendation, then the summary line."""
    parts: list[RenderableType] = []
    titles = {rec.id: rec for rec in plan.recommendations}
    for rec_id, group in group_by_recommendation(rows):
        head = _("Recommendation {id}").format(id=rec_id)
        parts.append(_milestone_table(f"{colon(head)} {shorten(one_line(titles[rec_id].text), 70)}", group))
    parts.append(summary_line(rows))
    return Group(*parts)


#: Above this many milestones, `status` shows counts per recommendation and
#: per lead instead of every milestone (10,000 rows are more than a person
#: reads, and a few hundred milliseconds to draw); `status --all` lists them all.
SUMMARY_ABOVE = 200
#: Rows in each table of the summary; the rest are counted in one line.
SUMMARY_ROWS = 20


def _count_columns() -> tuple[tuple[str, str], ...]:
    """The header of each count column, and the state it counts."""
    return (
        (_("Overdue"), "overdue"),
        (_("Due soon"), "due-soon"),
        (_("Open"), "open"),
        (_("Late"), "complete-late"),
        (_("Complete"), "complete"),
        (_("Retired"), "retired"),
    )


def status_summary(plan: Plan, rows: list[Standing]) -> RenderableType:
    """A large plan at a glance: counts per recommendation and per lead, most overdue first."""
    from ..core.query import by_lead, by_recommendation

    titles = {rec.id: rec.text for rec in plan.recommendations}
    recs = by_recommendation(rows)
    leads = by_lead(rows)
    rec_rows = [(rec_id, shorten(one_line(titles.get(rec_id, "")), 50), counts) for rec_id, counts in recs.items()]
    lead_rows = [
        (
            plan.people[key].full_name if key in plan.people else key,
            plan.people[key].org if key in plan.people else "",
            counts,
        )
        for key, counts in leads.items()
    ]
    summarised = n_(
        "{count} milestones summarised: --all lists each; --rec, --lead, --org, --state narrow.",
        "{count} milestones summarised: --all lists each; --rec, --lead, --org, --state narrow.",
        len(rows),
    )
    parts: list[RenderableType] = [
        _count_table(
            _("Recommendations needing attention"), (_("Rec"), _("Recommendation")), rec_rows, "recommendations"
        ),
        _count_table(_("Leads"), (_("Lead"), _("Org")), lead_rows, "leads"),
        summary_line(rows),
        Text(summarised.format(count=len(rows))),
    ]
    return Group(*parts)


def _count_table(
    title: str,
    names: tuple[str, str],
    rows: Sequence[tuple[str, str, dict[str, int]]],
    noun: str,
) -> RenderableType:
    """The first SUMMARY_ROWS rows, most overdue first (then due soon, then open), and a count of the rest."""
    ranked = sorted(rows, key=lambda row: (-row[2]["overdue"], -row[2]["due-soon"], -row[2]["open"]))
    table = _CountTable(title, names, ranked[:SUMMARY_ROWS])
    if len(ranked) <= SUMMARY_ROWS:
        return table
    return Group(table, Text(more_rows(noun, len(ranked) - SUMMARY_ROWS), style="dim"))


class _CountTable:
    """Counts by state, one row per recommendation or lead, laid out for the width it is given.

    Every column shows in full but the second (a title or an organization),
    which gives way to a narrow terminal and is cut with an ellipsis.
    """

    def __init__(self, title: str, names: tuple[str, str], rows: list[tuple[str, str, dict[str, int]]]):
        self.title, self.names, self.rows = title, names, rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Retired milestones are rare: their column shows only when there are some.
        columns = [
            (header, state)
            for header, state in _count_columns()
            if state != "retired" or any(counts[state] for *_, counts in self.rows)
        ]
        headers = [*self.names, *(header for header, _ in columns)]
        # A name wider than the table is cut beyond its edge, where the line is cropped anyway.
        cells: list[list[Prose | Text]] = [
            [
                safe(one_line_head(first, options.max_width)),
                safe(one_line_head(second, options.max_width)),
                *(
                    Text(str(counts[state]), style=STATE_STYLES.get(state, "") if counts[state] else "")
                    for _header, state in columns
                ),
            ]
            for first, second, counts in self.rows
        ]
        natural = [max([len(h)] + [row[i].cell_len for row in cells]) for i, h in enumerate(headers)]
        fixed = sum(natural) - natural[1] + 3 * (len(headers) - 1)  # padding and divider between columns
        widths = [natural[0], max(6, min(natural[1], options.max_width - fixed)), *natural[2:]]
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for i, header in enumerate(headers):
            table.add_column(
                header, justify="left" if i < 2 else "right", no_wrap=True, overflow="ellipsis", width=widths[i]
            )
        for row in cells:
            table.add_row(*row)
        if self.title:
            yield _one_line_title(self.title, options.max_width)
        yield table


def summary_line(rows: list[Standing]) -> Text:
    """`As of 2021-01-31: 15 milestones: 1 complete, 8 overdue, 0 due soon, 5 open`."""
    line = milestones_and_counts(len(rows), count_states(rows))
    if rows:
        line = _("As of {date}: {counts}").format(date=rows[0].as_of, counts=line)
    return Text(line)


def listing(rows: list[Standing], empty: str) -> RenderableType:
    """A flat table across recommendations (overdue, upcoming)."""
    if not rows:
        return Text(empty)
    count = n_("{count} milestone", "{count} milestones", len(rows)).format(count=len(rows))
    return Group(_milestone_table(None, rows, show_rec=True), Text(count))


def person_lines(person: Person, indent: str = "") -> Prose:
    """A person's name in bold, then each contact detail on its own line; `indent` starts every line."""
    parts = [(person.full_name, "bold")]
    parts += [
        (f"\n  {detail}", "")
        for detail in (person.title, person.branch, person.org, person.phone, person.email)
        if detail
    ]
    text = Prose(indent)
    for part, style in parts:
        first, *rest = part.split("\n")
        text.append(first, style)
        for line in rest:
            text.append("\n" + indent)
            text.append(line, style)
    return text


def show_milestone(plan: Plan, standing: Standing) -> RenderableType:
    milestone = standing.milestone
    lines = Prose()
    lines.append(f"{kind_word(milestone.kind)} {milestone.id}", "bold")
    printed = reference(milestone)[len(milestone.id) :]  # " [printed a.]", or nothing
    lines.append(f"{printed}  ({_in_recommendation(milestone.recommendation)})\n\n")
    lines.append(milestone.text + "\n\n")
    width = _label_width()
    _field(lines, _("Due"), str(standing.due), width)
    if standing.revisions:
        _field(lines, _("Original due"), str(standing.original_due), width)
        _field(lines, _("Slip"), slip(standing), width)
    _field(lines, _("Status"), status_word(standing.status), width)
    lines.append(f"{colon(_('State')):<{width}}")
    state = f"{state_word(standing.state)} ({countdown(standing)})"
    lines.append(state + "\n", STATE_STYLES.get(standing.state, ""))
    for label, value in (
        (_("Started"), standing.started),
        (_("Completed"), standing.completed),
        (_("Verified"), standing.verified),
    ):
        if value:
            _field(lines, label, str(value), width)
    if standing.verified and standing.verified_by:
        _field(lines, _("Verified by"), standing.verified_by, width)
    for link in milestone.evidence:
        _field(lines, _("Evidence"), link, width)
    parts: list[RenderableType] = [lines]
    if standing.revisions:
        parts.append(Text(colon(_("Revisions")), style="bold"))
        for event in standing.revisions:
            assert event.from_due is not None and event.to_due is not None, "a revision names both due dates"
            moved = days_signed((event.to_due - event.from_due).days)
            entry = _("{on}: {old} -> {new} ({moved}): {reason}").format(
                on=event.on, old=event.from_due, new=event.to_due, moved=moved, reason=event.reason
            )
            if event.approved_by:
                entry = _("{revision} [approved by {who}]").format(revision=entry, who=event.approved_by)
            parts.append(Prose("  " + entry))
    history = [event for event in milestone.history if event.kind != "revised"]  # revisions are listed above
    if history:
        parts.append(Text(colon(_("History")), style="bold"))
        parts += [Prose(f"  {colon(str(event.on))} {event_words(event)}") for event in history]
    parts += _leads_block(standing.leads)
    return Group(*parts)


def _in_recommendation(rec_id: str) -> str:
    """`recommendation 1`, after a milestone's id."""
    return _("recommendation {id}").format(id=rec_id)


def show_group(plan: Plan, action: Milestone, steps: list[Standing]) -> RenderableType:
    """An action whose steps are the milestones."""
    head = Prose()
    head.append(f"{kind_word('action')} {action.id}", "bold")
    head.append(f"{reference(action)[len(action.id) :]}  ({_in_recommendation(action.recommendation)})\n\n")
    head.append(action.text + "\n")
    parts: list[RenderableType] = [head, _milestone_table(_("Steps"), steps)]
    parts += _leads_block(plan.people[key] for key in action.leads if key in plan.people)
    return Group(*parts)


def show_recommendation(plan: Plan, rec: Recommendation, rows: list[Standing]) -> RenderableType:
    text = Prose()
    text.append(_("Recommendation {id}").format(id=rec.id) + "\n\n", "bold")
    text.append(rec.text + "\n")
    for bullet in rec.bullets:
        text.append(f"  • {bullet}\n")
    text.append("\n" + colon(_("Response")) + " ", "bold")
    text.append((_("Agreed") if rec.response.agreed else _("Not agreed")) + "\n")
    text.append(rec.response.text + "\n")
    outcome = next(s for s in rows if s.milestone.kind == "outcome")
    text.append("\n" + colon(_("Expected outcome")) + " ", "bold")
    text.append(_("due {date}").format(date=outcome.due) + ", ")
    text.append(f"{state_word(outcome.state)} ({countdown(outcome)})", STATE_STYLES.get(outcome.state, ""))
    text.append("\n" + outcome.milestone.text + "\n")
    parts: list[RenderableType] = [
        text,
        _milestone_table(_("Actions"), [s for s in rows if s.milestone.kind != "outcome"]),
    ]
    parts += _leads_block(plan.people[key] for key in rec.leads if key in plan.people)
    return Group(*parts)


def show_person(person: Person, rows: list[Standing]) -> RenderableType:
    parts: list[RenderableType] = [person_lines(person)]
    if rows:
        title = _("Milestones led by {name}").format(name=person.full_name)
        parts.append(_milestone_table(title, rows, show_rec=True))
        parts.append(Text(milestones_and_counts(len(rows), count_states(rows))))
    else:
        parts.append(Text(_("Leads no milestones.")))
    return Group(*parts)


def _leads_block(people: Iterable[Person]) -> list[RenderableType]:
    """`Leads:` and each lead's contact lines, indented; nothing when there are none."""
    lines = [person_lines(person, indent="  ") for person in people]
    return [Text(colon(_("Leads")), style="bold"), *lines] if lines else []


def _label_width() -> int:
    """Where the values of `show` start: past the longest label and its colon, 14 columns in English."""
    words = [_("Due"), _("Original due"), _("Slip"), _("Status"), _("State"), _("Started"), _("Completed")]
    words += [_("Verified"), _("Verified by"), _("Evidence")]
    return max(len(colon(word)) for word in words) + 1


def _field(text: Prose, label: str, value: str, width: int) -> None:
    text.append(f"{colon(label):<{width}}{value}\n")
