"""A milestone table drawn a row at a time (render/fast_table.py) prints exactly what Rich's `Table` printed.

`FixedTable` builds each line from slices instead of laying out every cell
through Rich, and falls back to the Rich table (`as_table()`) when a cell is
not simple. Each test prints the same thing both ways, through the printer
every command uses, on a terminal (colours, escape codes) and off one,
with NO_COLOR and without, and compares the bytes.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Span, Text

from oagtrack.core.model import Event, Milestone, Person
from oagtrack.core.query import Standing
from oagtrack.render.fast_table import FixedTable
from oagtrack.render.prose import Prose
from oagtrack.render.terminal import STATE_STYLES, MilestoneTable, make_console, print_renderable

AS_OF = date(2024, 6, 30)

#: Plan words: ASCII, accented and typographic characters (one cell each) and markup and escape sequences that must
#: stay inert; and, rarer, characters that are not one cell wide, a tab or a newline (the fallback's business).
ONE_CELL_WORDS = ["Review", "the", "policy", "risk", "a", "Framework", "2024-25", "é", "—", "’", "Жанна"]
ONE_CELL_WORDS += ["[red]", "[/]", "[bold]alert", ":smile:", "\x1b[31m", "\x1b]8;;http://x\x07", "\u202e"]
WORDS = st.sampled_from(ONE_CELL_WORDS * 60 + ["漢字", "😀", "e\u0301", "\t", "\n"])
TEXTS = st.one_of(
    st.just(""),
    st.lists(WORDS, max_size=8).map(" ".join),
    st.lists(WORDS, min_size=30, max_size=60).map(" ".join),  # long: cut with an ellipsis
)
#: The program's own words (headers, states, dates), which hold no control characters.
WORDING = st.lists(
    st.sampled_from([word for word in ONE_CELL_WORDS if word.isprintable()] * 60 + ["漢字", "😀", "e\u0301", "\n"]),
    max_size=6,
).map(" ".join)
IDS = st.one_of(st.from_regex(r"[1-9][0-9]{0,3}(\.[1-9][0-9]?){0,2}( [a-c]\))?", fullmatch=True), WORDS)


class AsciiFile(io.StringIO):
    """Output whose encoding is ASCII: Rich draws its tables with ASCII boxes there."""

    encoding = "ascii"  # type: ignore[assignment]


class RichTables:
    """A milestone table as drawn before `FixedTable`: the same columns and cells in a Rich `Table`, built as it was."""

    def __init__(self, table: MilestoneTable):
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for part in self.table.__rich_console__(console, options):
            if not isinstance(part, FixedTable):
                yield part
                continue
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
            for header, width in part.columns:
                table.add_column(header, no_wrap=True, overflow="ellipsis", width=width)
            for row in part.rows:
                table.add_row(*row)
            yield table


def printed(renderable: RenderableType, width: int, *, terminal: bool, no_color: bool, ascii_only: bool = False) -> str:
    """What a command prints: on a terminal, in true colour (none with NO_COLOR); off one, as `make_console` makes."""
    file = AsciiFile() if ascii_only else io.StringIO()
    if terminal:
        console = Console(
            file=file,
            width=width,
            force_terminal=True,
            color_system=None if no_color else "truecolor",
            no_color=no_color,
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=False,
        )
    else:
        console = make_console(file=file, environ={"NO_COLOR": "1"} if no_color else {}, width=width)
    print_renderable(console, renderable)
    return file.getvalue()


def draws_fast(table: FixedTable, width: int = 120) -> bool:
    """True when the table is drawn from slices, not by its Rich table."""
    console = Console(file=io.StringIO(), width=width)
    return all(isinstance(part, Segment) for part in table.__rich_console__(console, console.options))


def draws_all_fast(table: MilestoneTable, width: int) -> bool:
    """True when a milestone table's columns are drawn from slices."""
    console = Console(file=io.StringIO(), width=width)
    parts = table.__rich_console__(console, console.options)
    return all(draws_fast(part, width) for part in parts if isinstance(part, FixedTable))


@st.composite
def standings(draw) -> Standing:
    state = draw(st.sampled_from(sorted(STATE_STYLES)))
    due = AS_OF + timedelta(days=draw(st.integers(-4000, 400)))
    history: tuple[Event, ...] = ()
    if state == "retired":
        history = (Event(on=due - timedelta(days=3), kind="retired", reason="moot"),)
    revisions: tuple[Event, ...] = ()
    if draw(st.booleans()):
        revisions = (Event(on=due - timedelta(days=90), kind="revised", from_due=due - timedelta(days=60), to_due=due),)
    completed = due + timedelta(days=draw(st.integers(-30, 30))) if state.startswith("complete") else None
    milestone = Milestone(
        id=draw(IDS) or "1.1",
        kind="action",
        recommendation=draw(IDS) or "1",
        text=draw(TEXTS),
        due=due,
        history=history + revisions,
    )
    leads = tuple(Person(key=f"p{n}", name=name) for n, name in enumerate(draw(st.lists(TEXTS, max_size=3))))
    return Standing(milestone, AS_OF, state, due, "not-started", completed, None, revisions, (), leads)


@settings(max_examples=400, deadline=None)
@given(
    rows=st.lists(standings(), max_size=6),
    title=st.one_of(st.none(), TEXTS, st.just("[red]Overdue\x1b[2J")),
    show_rec=st.booleans(),
    width=st.integers(40, 200),
    terminal=st.booleans(),
    no_color=st.booleans(),
    ascii_only=st.booleans(),
)
def test_a_milestone_table_prints_what_richs_table_printed(
    rows, title, show_rec, width, terminal, no_color, ascii_only
):
    """Any rows, at any width, on a terminal or off, with NO_COLOR or without, in ASCII: byte for byte the same."""
    table = MilestoneTable(title, rows, show_rec)
    event("fast" if draws_all_fast(table, width) else "rich")
    expected = printed(RichTables(table), width, terminal=terminal, no_color=no_color, ascii_only=ascii_only)
    assert expected == printed(table, width, terminal=terminal, no_color=no_color, ascii_only=ascii_only)


STYLES = st.sampled_from(["", "bold", "dim", "red", "bold red", "italic green", "not bold"])


@st.composite
def cells(draw) -> Prose | Text:
    """Plan text in styled parts (`Prose`), or words in styled spans that overlap, one the console cannot read."""
    if draw(st.booleans()):
        prose = Prose(style=draw(STYLES))
        for part, style in draw(st.lists(st.tuples(TEXTS, STYLES), max_size=3)):
            prose.append(part, style)
        return prose
    text = Text(style=draw(STYLES))
    for part, style in draw(st.lists(st.tuples(WORDING, STYLES), max_size=3)):
        text.append(part, style or None)
    for _ in range(draw(st.integers(0, 2))):  # spans over others, empty ones too
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        text.spans.append(Span(start, end, draw(st.one_of(STYLES, st.just("no such style"))) or "bold"))
    return text


@settings(max_examples=400, deadline=None)
@given(
    data=st.data(),
    widths=st.lists(st.integers(1, 14), min_size=1, max_size=5),
    headers=st.lists(WORDING, min_size=5, max_size=5),
    room=st.integers(-4, 30),
    terminal=st.booleans(),
    no_color=st.booleans(),
    ascii_only=st.booleans(),
)
def test_any_fixed_table_prints_what_its_rich_table_prints(data, widths, headers, room, terminal, no_color, ascii_only):
    """Cells in several styles, narrow columns, a header cut short, an ASCII terminal, a table that does not fit."""
    rows = data.draw(st.lists(st.lists(cells(), min_size=len(widths), max_size=len(widths)), max_size=4))
    table = FixedTable(list(zip(headers, widths)), rows)
    width = max(1, sum(widths) + 3 * (len(widths) - 1) + room)  # room < 0: the columns do not fit
    event("fast" if draws_fast(table, width) else "rich")
    expected = printed(table.as_table(), width, terminal=terminal, no_color=no_color, ascii_only=ascii_only)
    assert expected == printed(table, width, terminal=terminal, no_color=no_color, ascii_only=ascii_only)


def overdue_row(text: str, lead: str = "Ann Lee") -> Standing:
    milestone = Milestone(id="12.3", kind="action", recommendation="12", text=text, due=date(2021, 1, 4))
    return Standing(
        milestone, AS_OF, "overdue", date(2021, 1, 4), "not-started", None, None, (), (), (Person("a", lead),)
    )


@pytest.mark.parametrize("terminal", [True, False])
def test_plain_rows_are_drawn_from_slices(terminal):
    """ASCII, accented text and markup or an escape sequence shown inert take the quick way, and print as before."""
    rows = [
        overdue_row("Review the risk framework " * 6),
        overdue_row("Réviser la politique — « vite »", "Zoë Ng"),
        overdue_row("[red]alert\x1b[2J", "[bold]Al"),
    ]
    table = MilestoneTable(None, rows, show_rec=True)
    assert draws_all_fast(table, 120)
    expected = printed(RichTables(table), 120, terminal=terminal, no_color=False)
    shown = printed(table, 120, terminal=terminal, no_color=False)
    assert expected == shown
    assert "[red]alert\\x1b[2J" in shown
    assert "\x1b[2J" not in shown


@pytest.mark.parametrize("wide", ["漢字の計画", "Deploy 🚀 now", "e\u0301te\u0301"])
@pytest.mark.parametrize("terminal", [True, False])
def test_a_cell_not_one_cell_a_character_is_drawn_by_rich(wide, terminal):
    """Wide characters, emoji and combining marks fall back to Rich's table, and print as it printed them."""
    table = MilestoneTable("Steps", [overdue_row("Plain text"), overdue_row(wide)], show_rec=False)
    assert not draws_all_fast(table, 120)
    expected = printed(RichTables(table), 120, terminal=terminal, no_color=False)
    assert expected == printed(table, 120, terminal=terminal, no_color=False)


def test_a_table_wider_than_the_terminal_is_drawn_by_rich():
    """When the columns do not fit, Rich narrows them: the quick way steps aside."""
    table = FixedTable([("ID", 30), ("Milestone", 30)], [[Prose("1.1"), Text("Plain", style="red")]])
    assert draws_fast(table, width=63)
    assert not draws_fast(table, width=62)
    assert printed(table.as_table(), 62, terminal=True, no_color=False) == printed(
        table, 62, terminal=True, no_color=False
    )
