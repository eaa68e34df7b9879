"""Tables of one-line cells in columns of fixed width, drawn a row at a time rather than a cell at a time.

Rich's `Table` lays out every cell on its own, through `Padding`,
`render_lines` and a line splitter: about 0.3 ms a row, 150 ms of `overdue`
on a portfolio of 10,000 actions. A milestone table fixes the width of every
column itself and cuts every cell to one line with an ellipsis, and its
cells are almost always one line of characters one cell wide. Such a cell
is a slice of its text and some blanks, so `FixedTable` builds each line
from slices: the text and styles the `Table` it stands for (`as_table`)
draws, each styled run in a segment of its own as Rich yields it (so a
terminal gets the same escape codes), and the unstyled runs between them
joined into one segment. Anything else (a character that is not one cell
wide, a tab or a newline, a table wider than the width, which Rich would
narrow) is drawn by that `Table` itself. tests/test_fast_table.py holds the
two to the same output, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Span, Text

from .prose import SINGLE_CELL, Prose

Cell: TypeAlias = Prose | Text
#: A piece of a line and its style; None or a null style is unstyled.
Run: TypeAlias = tuple[str, Style | None]

_BOX = box.SIMPLE_HEAD


class FixedTable:
    """Columns of fixed widths under a bold header and a rule, each cell one line cut with an ellipsis.

    `columns` holds each column's header and width (in cells, padding
    aside); a row holds a `Prose` or a `Text` for each column. Drawn as
    `as_table()` draws it.
    """

    def __init__(self, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[Cell]]):
        self.columns, self.rows = columns, rows

    def as_table(self) -> Table:
        """The Rich table this one stands for, which draws it when a cell is not simple."""
        table = Table(box=_BOX, pad_edge=False, show_edge=False)
        for header, width in self.columns:
            # A header is words, as a cell is: never console markup, emoji codes or highlighting.
            table.add_column(Text(header), no_wrap=True, overflow="ellipsis", width=width)
        for row in self.rows:
            table.add_row(*row)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self._lines(console, options)
        if lines is None:
            yield self.as_table()
        else:
            yield from lines

    def _lines(self, console: Console, options: ConsoleOptions) -> list[Segment] | None:
        """The segments `as_table()` yields, the unstyled ones joined; None unless every cell is simple."""
        widths = [width for _, width in self.columns]
        if not widths or min(widths) < 1:
            return None
        # Each cell has a blank on either side, but at the table's edges, and a divider between it and the next.
        padded = [width + 2 for width in widths]
        padded[0] -= 1
        padded[-1] -= 1
        if sum(padded) + len(padded) - 1 > options.max_width:
            return None  # Rich would narrow the columns to fit
        columns = _Columns(console, options, widths)
        rows: list[list[list[Run]]] = []
        for cells in [[Text(header) for header, _ in self.columns], *self.rows]:
            row = columns.row(cells)
            if row is None:
                return None
            rows.append(row)
        header, *body = rows
        drawn = _BOX.substitute(options, safe=console.safe_box)
        bold = console.get_style("table.header")  # the style of the header, its padding too
        segments = _line([[(text, bold + style) for text, style in cell] for cell in header], drawn.head_vertical, bold)
        segments.append(Segment(drawn.get_row(padded, "head", edge=False) + "\n"))
        last = len(body) - 1
        for number, row in enumerate(body):
            segments += _line(row, drawn.foot_vertical if number == last else drawn.mid_vertical, None)
        return segments


class _Columns:
    """Cells laid out in columns of given widths, as runs of text in a style, as Rich lays each one out."""

    def __init__(self, console: Console, options: ConsoleOptions, widths: list[int]):
        self.console, self.options, self.widths = console, options, widths
        self.styles: dict[str | Style, Style] = {}

    def row(self, cells: Sequence[Cell]) -> list[list[Run]] | None:
        """Each cell's runs; None unless every cell is simple."""
        if len(cells) != len(self.widths):
            return None
        row = []
        for cell, width in zip(cells, self.widths):
            runs = self.cell(cell, width)
            if runs is None:
                return None
            row.append(runs)
        return row

    def cell(self, cell: Cell, width: int) -> list[Run] | None:
        """What a column `width` cells wide shows of a cell, in the segments Rich draws it in; None unless it is simple.

        A simple cell is one line of characters Rich counts one cell wide,
        and leaves wrapping, justification and overflow to its column.
        """
        if cell.justify is not None or cell.overflow is not None or cell.no_wrap is not None or cell.end != "\n":
            return None
        plain = cell.plain
        if "\n" in plain or SINGLE_CELL.fullmatch(plain) is None:
            return None
        if isinstance(cell, Text):
            return self.text(cell, width)
        # Plan text as `safe()` gives it, with no style of its own nor in any part: one slice.
        if not cell.style and not any(style for _, style in cell._parts):
            return [(_cut(plain, width), None)]
        # Prose in styles lays its line out in linear time itself; its end of line is no part of the cell.
        options = self.options.update(width=width, justify="left", no_wrap=True, overflow="ellipsis", height=None)
        return [(segment.text, segment.style) for segment in self.console.render(cell, options)][:-1]

    def text(self, text: Text, width: int) -> list[Run]:
        """A simple `Text` as Rich draws it in a cell.

        Cut with an ellipsis or padded (`Text.truncate`), its own style a
        span over the whole line (`Text.join`), a segment from each edge of
        a span to the next, in the styles of the spans over it in their
        order (`Text.render`).
        """
        plain = _cut(text.plain, width)
        spans = text.spans
        if not spans:  # one segment, in the text's own style if it has one
            return [(plain, self.style(text.style) if text.style else None)]
        if len(text.plain) > width:
            spans = [Span(start, min(end, width), style) for start, end, style in spans if start < width]
        if text.style:
            spans = [Span(0, width, text.style), *spans]
        styles = [self.style(span.style) for span in spans]
        edges = sorted({0, width, *(span.start for span in spans), *(span.end for span in spans)})
        runs: list[Run] = []
        for start, end in zip(edges, edges[1:]):
            over = [style for span, style in zip(spans, styles) if span.start <= start and end <= span.end]
            runs.append((plain[start:end], Style.combine([Style.null(), *over])))
        return runs

    def style(self, style: str | Style) -> Style:
        """A span's style as the console reads it, each read once; one it cannot read is none (`Text.render`)."""
        known = self.styles.get(style)
        if known is None:
            known = self.styles[style] = self.console.get_style(style, default=Style.null())
        return known


def _cut(text: str, width: int) -> str:
    """A line of one-cell characters cut to `width` with an ellipsis or padded to it (`Text.truncate`)."""
    return text[: width - 1] + "…" if len(text) > width else text + " " * (width - len(text))


def _line(cells: list[list[Run]], divider: str, pad_style: Style | None) -> list[Segment]:
    """A line of the table: cells padded and between dividers, each styled run a segment, unstyled runs joined."""
    gap: list[Run] = [(" ", pad_style), (divider, None), (" ", pad_style)]
    runs = list(cells[0])
    for cell in cells[1:]:
        runs += gap
        runs += cell
    runs.append(("\n", None))
    segments = []
    unstyled = ""
    for text, style in runs:
        if style:
            if unstyled:
                segments.append(Segment(unstyled))
                unstyled = ""
            segments.append(Segment(text, style))
        else:
            unstyled += text
    if unstyled:
        segments.append(Segment(unstyled))
    return segments
