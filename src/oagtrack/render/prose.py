"""Plan text for the terminal: inert, and laid out in time linear in its length.

Every piece of plan text reaches Rich as `Prose` (`terminal.safe` builds
one), which passes it through `visible()` as it is appended, so no field
can bring an escape sequence, a control or a bidirectional override to the
terminal live.

Rich's own `Text` wraps a line word by word in Python, about half a
microsecond a character, and hands the wrapped lines back as one segment
that Rich's line splitter then copies once per line: quadratic, so one text
of 9 million characters kept `show` busy for minutes. `Prose` lays text out
exactly as `Text` does, character for character and style for style (a
property test holds it to that), but finds each line break with a few
string searches and yields one segment per line. Text the fast layout does
not cover (tabs, characters that are not one cell wide, centred or right
justification, cropped wrapping) is laid out by `Text` itself, with its
segments split per line, which is linear too, only slower.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import repeat
from operator import add
from typing import TYPE_CHECKING

from rich.cells import cell_len as _rich_cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from ..core.plan_terms import printable_ascii
from .inert import visible

if TYPE_CHECKING:
    from rich.console import JustifyMethod, OverflowMethod

#: Text the fast layout covers: lines of characters that are one cell wide
#: in Rich and, apart from the space, not whitespace: printable ASCII, the
#: Latin letters to U+02FF (combining marks start at U+0300), Greek and
#: Cyrillic letters, Canadian syllabics, and the punctuation, currency,
#: letter-like symbols and arrows that text pasted from a word processor
#: holds (’ “ ” – — … € ™ →). Left out: no-break space (U+00A0, whitespace
#: to Rich's wrapping), soft hyphen (U+00AD, it may take no cell), combining
#: marks, unassigned code points, and the spaces, separators, invisible
#: characters and bidirectional controls among the punctuation.
#: tests/test_render_prose.py checks every one against Rich.
SINGLE_CELL = re.compile(
    "[\n -~\u00a1-\u00ac\u00ae-\u02ff"
    "\u0370-\u0377\u037a-\u037f\u0384-\u038a\u038c\u038e-\u03a1\u03a3-\u0482\u048a-\u04ff"
    "\u1400-\u167f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u214f\u2190-\u21ff]*"
)
_NON_SPACE = re.compile("[^ ]")
_NEWLINE = Segment("\n")


class InertSegment(Segment):
    """Lines of plan text that `Prose` has made inert already: the printer need not look at them again."""

    __slots__ = ()


def _first_non_space(line: str, start: int) -> int:
    """Where the first character other than a space is, from `start` on: the callers know a word follows."""
    match = _NON_SPACE.search(line, start)
    assert match is not None, "a word follows"
    return match.start()


def line_breaks(line: str, width: int) -> list[int]:
    """Where Rich's `divide_line` breaks a line of one-cell characters, found a line at a time.

    Rich puts a word on the line when its end, trailing spaces aside, is
    within `width` of the line's start; a word that does not fit starts the
    next line, and a word longer than `width` is folded into pieces of
    `width` characters (its trailing spaces count). So each line ends before
    the first word that ends past its start plus `width`: one reverse
    search for a space instead of a step per word. The first word of a line
    keeps any spaces before it.
    """
    length = len(line)
    end = len(line.rstrip(" "))
    breaks: list[int] = []
    find, rfind = line.find, line.rfind
    start = 0
    lead = 0 if line[:1] != " " else _first_non_space(line, 0) if end else length
    if find("  ", lead) == -1:
        # Words one space apart (after any indent), as most text is: each line
        # starts at a word and ends before the word after its last space, one
        # search a line.
        previous = 0
        while end > start + width:
            space = rfind(" ", start or lead, start + width + 1)
            if space == -1:  # the word starting this line is longer than a line: fold it below, from the line before
                if breaks:
                    start = previous
                    breaks.pop()
                break
            previous, start = start, space + 1
            breaks.append(start)
    while end > start + width:  # a word ends past this line
        limit = start + width
        first = start if line[start] != " " else _first_non_space(line, start)
        space = rfind(" ", first, limit + 1)
        if space == -1:
            word = first
        elif line[space + 1] != " ":
            word = space + 1
        else:
            word = _first_non_space(line, space)
        word_start = 0 if (start == 0 and word == first) else word  # the very first word holds the spaces before it
        boundary = word_start + width
        if boundary < length and find(" ", word, boundary + 1) == -1:  # longer than a line: folded
            after = find(" ", max(word, boundary))
            following = _NON_SPACE.search(line, after) if after != -1 else None
            chunk_end = following.start() if following else length
            if word_start:
                breaks.append(word_start)
            piece = boundary
            while piece < chunk_end:
                breaks.append(piece)
                piece += width
            start = piece - width
        else:
            breaks.append(word)
            start = word
    return breaks


def one_line_head(text: str, width: int) -> str:
    """As much of a one-line cell as a `width`-cell column can show, so a long text is not laid out in full to be cut.

    Rich cuts the cell to `width - 1` cells and an ellipsis when it is wider
    than `width`, so any start of it wider than `width` prints the same. A
    start that fits is not enough (a character may take no cell), and then
    the whole text is kept.
    """
    head = text[: width + 1]
    if len(head) == len(text) or _rich_cell_len(visible(head)) > width:
        return head
    return text


class Prose:
    """Plan text with styles, as Rich's `Text` would print it, made inert and laid out in linear time.

    Build it like a `Text`: `Prose("text", "bold")`, then `append(more, style)`.
    """

    __slots__ = ("_parts", "_single_cell", "end", "justify", "no_wrap", "overflow", "style")

    def __init__(
        self,
        text: str = "",
        style: str = "",
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        no_wrap: bool | None = None,
        end: str = "\n",
    ):
        self._parts: list[tuple[str, str]] = []
        self._single_cell = True  # every part is SINGLE_CELL
        self.style, self.justify, self.overflow, self.no_wrap, self.end = style, justify, overflow, no_wrap, end
        if text:
            self.append(text)

    def append(self, text: str, style: str = "") -> Prose:
        """Add text, shown inert (`visible()`), in `style` over the whole's style."""
        if text:
            # One-cell characters hold no control: the one scan decides both.
            if not printable_ascii(text, b"\n") and SINGLE_CELL.fullmatch(text) is None:
                text = visible(text)
                self._single_cell = self._single_cell and SINGLE_CELL.fullmatch(text) is not None
            self._parts.append((text, style))
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self._parts)

    @property
    def cell_len(self) -> int:
        plain = self.plain
        return len(plain) - plain.count("\n") if self._single_cell else _rich_cell_len(plain)

    def __str__(self) -> str:
        return self.plain

    def as_text(self) -> Text:
        """The same as a Rich `Text` (what the fallback lays out, and what the tests compare with)."""
        text = Text(style=self.style, justify=self.justify, overflow=self.overflow, no_wrap=self.no_wrap, end=self.end)
        for part, style in self._parts:
            text.append(part, style or None)
        return text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if not self._single_cell:
            return self.as_text().__rich_measure__(console, options)
        plain = self.plain
        longest_line = max(map(len, plain.split("\n")))
        longest_word = max(map(len, plain.split()), default=longest_line)
        return Measurement(longest_word, longest_line)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        layout = self._layout(options)
        if layout is None:
            yield from per_line(console.render(self.as_text(), options))
            return
        yield from self._lay_out(console, *layout, merge=False, strip=False)

    def blocks(self, console: Console, options: ConsoleOptions, *, strip: bool = False) -> Iterator[Segment] | None:
        """The same lines, each run of unstyled lines in one `InertSegment`, for printing at the top level.

        None when `Text` lays it out.

        Printing each line as a segment of its own costs Rich a few
        microseconds a line; the lines are within the width already, so the
        printer need not split and crop them (see `terminal.Inert`); text
        that overflows as it is (`overflow="ignore"`) is cropped there. With
        `strip`, the lines in those segments have no trailing blanks, as
        output off a terminal has none.
        """
        layout = self._layout(options)
        if layout is None or layout[3] == "ignore":
            return None
        return self._lay_out(console, *layout, merge=True, strip=strip)

    def _layout(self, options: ConsoleOptions) -> tuple[str, int, bool, str, bool] | None:
        """How `Text` would lay this out: (plain, width, pad, overflow, no_wrap).

        None if the fast layout does not cover it.
        """
        justify = self.justify or options.justify or "default"
        overflow = self.overflow or options.overflow or "fold"
        no_wrap = (self.no_wrap if self.no_wrap is not None else options.no_wrap or False) or overflow == "ignore"
        width = options.max_width
        if (
            width < 1
            or justify not in ("default", "left")
            or not (no_wrap or overflow == "fold")
            or not self._single_cell
        ):
            return None
        return self.plain, width, justify == "left", overflow, no_wrap

    def _lay_out(
        self,
        console: Console,
        plain: str,
        width: int,
        pad: bool,
        overflow: str,
        no_wrap: bool,
        *,
        merge: bool,
        strip: bool,
    ) -> Iterator[Segment]:
        """The lines as `Text` would lay them out; a line in one unstyled part is one segment with its newline.

        With `merge`, consecutive such lines share one segment.
        """
        pending: list[str] = []  # unstyled lines not yet yielded, to be joined with newlines
        base = console.get_style(self.style) if self.style else None
        runs = self._runs(console, base)
        last_run = len(runs) - 1
        run = 0
        offset = 0
        as_is = overflow == "ignore" and no_wrap  # neither cut nor padded
        paragraphs = plain.split("\n")
        last_paragraph = len(paragraphs) - 1
        for number, paragraph in enumerate(paragraphs):
            length = len(paragraph)
            starts = [0] if no_wrap else [0, *line_breaks(paragraph, width)]
            last_line = len(starts) - 1
            while run < last_run and runs[run][0] <= offset:
                run += 1
            if (
                merge
                and not pad
                and overflow == "fold"
                and runs[run][1] is None
                and runs[run][0] >= offset + length
                and number < last_paragraph
            ):
                # A whole unstyled paragraph, as many lines, each cut to the width: a slice a line, all in C.
                stops = map(min, starts[1:] + [length], map(add, starts, repeat(width)))
                lines = map(paragraph.__getitem__, map(slice, starts, stops))
                pending.extend(map(str.rstrip, lines) if strip else lines)
                offset += length + 1
                continue
            for index, line_start in enumerate(starts):
                size = (starts[index + 1] if index < last_line else length) - line_start
                first = offset + line_start
                cut = not as_is and size > width
                ellipsis = cut and overflow == "ellipsis"
                stop = first + (width - 1 if ellipsis else width if cut else size)
                padding = width - size if pad and not as_is and size < width else 0
                newline = index < last_line or number < last_paragraph
                while run < last_run and runs[run][0] <= first:
                    run += 1
                run_end, style = runs[run]
                if stop <= run_end and not ellipsis and not padding and style is None and newline:  # the common case
                    if merge:
                        pending.append(plain[first:stop].rstrip() if strip else plain[first:stop])
                    else:
                        yield Segment(plain[first:stop] + "\n")
                    continue
                if pending:
                    yield InertSegment("\n".join(pending) + "\n")
                    pending.clear()
                if stop <= run_end and not ellipsis and not padding:
                    if stop > first:
                        yield Segment(plain[first:stop], style)
                else:
                    yield from _slice_runs(plain, runs, run, first, stop)
                    if ellipsis:
                        yield Segment("…", _style_at(runs, run, stop))
                    if padding:
                        yield Segment(" " * padding, base)
                if newline:
                    yield _NEWLINE
            offset += length + 1
        if pending:
            yield InertSegment("\n".join(pending) + "\n")
        if self.end:
            yield Segment(self.end)

    def _runs(self, console: Console, base: Style | None) -> list[tuple[int, Style | None]]:
        """Each part's end offset and its style combined with the whole's (one part at least)."""
        runs = []
        end = 0
        for text, style in self._parts:
            end += len(text)
            own = console.get_style(style) if style else None
            runs.append((end, base + own if base and own else (own or base)))
        return runs or [(0, base)]


def _slice_runs(plain: str, runs: list[tuple[int, Style | None]], run: int, start: int, end: int) -> Iterator[Segment]:
    """The segments of plain[start:end], one per styled part, from part `run` on (the part holding `start`)."""
    while start < end:
        run_end, style = runs[run]
        stop = min(run_end, end)
        if stop > start:
            yield Segment(plain[start:stop], style)
        start = stop
        run += 1


def _style_at(runs: list[tuple[int, Style | None]], run: int, offset: int) -> Style | None:
    """The style of the character at `offset` (an ellipsis takes the style of the character it replaces)."""
    while run < len(runs) - 1 and runs[run][0] <= offset:
        run += 1
    return runs[run][1]


def per_line(segments: Iterable[Segment]) -> Iterator[Segment]:
    """Segments with no more than one line in each, so splitting them into lines is linear.

    Rich's line splitter takes a segment holding many lines apart with one
    `str.partition` per line, copying the rest each time.
    """
    for segment in segments:
        text = segment.text
        if segment.control or text.find("\n") in (-1, len(text) - 1):  # one line, with its newline or not
            yield segment
            continue
        style = segment.style
        lines = text.split("\n")
        for line in lines[:-1]:
            if line:
                yield Segment(line, style)
            yield _NEWLINE
        if lines[-1]:
            yield Segment(lines[-1], style)
