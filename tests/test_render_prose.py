"""`Prose` lays plan text out exactly as Rich's `Text` would, and the quicker helpers agree with the slow ones
they replace.

The fast layout (render/prose.py) must not change a character of what the
terminal shows, so each part is held to Rich itself: line breaks to
`divide_line`, whole renderings to `Text` (character by character, with
styles, at the top level and in table cells), and the one-cell character
class to Rich's cell widths. The report's column fitting is held to the
one-cell-at-a-time loop it replaced.
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table

from oagtrack.core.plan_terms import one_line, printable_ascii
from oagtrack.render.inert import ACTIVE, visible, visible_len
from oagtrack.render.prose import SINGLE_CELL, Prose, line_breaks, one_line_head, per_line
from oagtrack.render.report import narrow_widest
from oagtrack.render.terminal import print_renderable

#: Letters, spaces in runs, long words, accents, typographic punctuation, Cyrillic, and what the fast layout leaves
#: to Rich: tabs, wide and zero-width characters, controls.
ALPHABET = st.sampled_from(
    list("ab xyz")
    + ["  ", "   ", "abcdefghijklmn", "é", "’", "—", "ж", "\n", "\t", "日", "e\u0301", "\u00a0", "\x1b", "\u202e"]
)
STYLES = st.sampled_from(["", "bold", "italic", "red", "bold red"])
texts = st.lists(ALPHABET, max_size=30).map("".join)


def console(width: int) -> Console:
    return Console(
        width=width, color_system="truecolor", force_terminal=True, highlight=False, markup=False, emoji=False
    )


def cells(renderable, width: int, **options) -> list[tuple[str, object]]:
    """Each character rendered, with its style (newlines unstyled): what the terminal shows."""
    out = console(width)
    shown = []
    for segment in out.render(renderable, out.options.update(**options) if options else out.options):
        if not segment.control:
            shown += [(char, None if char == "\n" else segment.style or None) for char in segment.text]
    return shown


@st.composite
def prose(draw) -> Prose:
    text = Prose(
        style=draw(STYLES),
        justify=draw(st.sampled_from([None, "left", "default", "right"])),
        overflow=draw(st.sampled_from([None, "fold", "ellipsis", "crop", "ignore"])),
        no_wrap=draw(st.sampled_from([None, True, False])),
    )
    for _ in range(draw(st.integers(0, 3))):
        text.append(draw(texts), draw(STYLES))
    return text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "bb", "abcdefghijklmnop", " ", "  "]), max_size=25).map("".join), st.integers(1, 14)
)
def test_line_breaks_are_richs(line, width):
    """Breaks found a line at a time are where Rich's word-by-word `divide_line` puts them, long words folded alike."""
    assert divide_line(line, width) == line_breaks(line, width)


@settings(max_examples=200, deadline=None)
@given(prose(), st.integers(1, 14))
def test_prose_renders_as_text_does(text, width):
    """Character for character and style for style, Prose renders what `Text` renders."""
    assert cells(text.as_text(), width) == cells(text, width)


@settings(max_examples=100, deadline=None)
@given(prose(), st.integers(4, 20), st.booleans(), st.sampled_from(["fold", "ellipsis"]), st.sampled_from([None, 3, 7]))
def test_prose_in_a_table_cell_as_text(text, width, no_wrap, overflow, column_width):
    """In a table cell, which measures it and lays it out at the column's width, Prose is Text too."""

    def table(cell) -> Table:
        result = Table(show_header=False)
        result.add_column(no_wrap=no_wrap, overflow=overflow, width=column_width)
        result.add_row(cell)
        return result

    assert cells(table(text.as_text()), width) == cells(table(text), width)


@settings(max_examples=100, deadline=None)
@given(st.lists(prose(), min_size=1, max_size=3), st.integers(1, 30), st.booleans())
def test_printed_prose_is_what_rich_prints(texts, width, on_terminal):
    """`print_renderable` (blocks of lines, cropped in linear time)
    prints what Rich's own print prints, on a terminal or not."""

    def printed(printer, group) -> str:
        out = Console(
            file=io.StringIO(),
            width=width,
            force_terminal=on_terminal,
            color_system=None,
            highlight=False,
            markup=False,
            emoji=False,
        )
        printer(out, group)
        return out.file.getvalue()

    def rich_print(out: Console, group) -> None:
        if out.is_terminal:
            out.print(group)
            return
        with out.capture() as capture:
            out.print(group)
        out.file.write("\n".join(line.rstrip() for line in capture.get().split("\n")))

    expected = printed(rich_print, Group(*(text.as_text() for text in texts)))
    assert [] == ACTIVE.findall(printed(print_renderable, Group(*texts)).replace("\t", ""))
    if not any(ACTIVE.search(text.plain) for text in texts):  # Prose shows controls as escapes; Text would not
        assert expected == printed(print_renderable, Group(*texts))


def test_single_cell_characters_are_one_cell_and_no_space_in_rich():
    """Every character the fast layout covers is one cell wide, not whitespace to Rich's wrapping, and not active."""
    members = [chr(code) for code in range(0x30000) if SINGLE_CELL.fullmatch(chr(code))]
    assert 2000 < len(members)
    wrong = [
        f"U+{ord(char):04X}"
        for char in members
        if char not in "\n "
        and (
            cell_len(char) != 1
            or re.match(r"\s", char)
            or ACTIVE.match(char)
            or unicodedata.category(char) in ("Cc", "Cf", "Cn", "Mn", "Me", "Zs", "Zl", "Zp")
        )
    ]
    assert [] == wrong


def old_narrow_widest(widths, group, limits, excess):
    """The loop `narrow_widest` replaced: one cell at a time from the widest column."""
    while excess > 0:
        open_columns = [n for n in group if widths[n] > limits[n]]
        if not open_columns:
            break
        widest = max(open_columns, key=lambda n: widths[n])
        widths[widest] -= 1
        excess -= 1
    return excess


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 25), st.booleans()), min_size=1, max_size=7),
    st.integers(-5, 120),
)
def test_narrow_widest_is_the_loop_it_replaced(columns, excess):
    """Cutting by levels takes the same cells from the same columns as the cell-by-cell loop."""
    widths = [width for width, _, _ in columns]
    limits = [limit for _, limit, _ in columns]
    group = [n for n, (_, _, chosen) in enumerate(columns) if chosen]
    expected = widths[:]
    expected_left = old_narrow_widest(expected, group, limits, excess)
    left = narrow_widest(widths, group, limits, excess)
    assert (expected, expected_left) == (widths, left)


WHITESPACE = st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x1c", "\x85", "\u00a0", "\u2003", "\u3000"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(WHITESPACE, st.sampled_from(["a", "word", "é", "日"])), max_size=12).map("".join))
def test_one_line_is_words_joined_by_spaces(text):
    """The quick test for a text already on one line never changes what `one_line` returns."""
    assert " ".join(text.split()) == one_line(text)


def test_other_whitespace_is_every_whitespace_character_but_the_space():
    from oagtrack.core.plan_terms import _OTHER_WHITESPACE

    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert {char for char in everything if char.isspace() and char != " "} == set(_OTHER_WHITESPACE.findall(everything))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", "\t", "\n", "\x1b", "\x7f", "\x9b", "é", "\u202e", "日", "~"]), max_size=20
    ).map("".join)
)
def test_quick_checks_agree_with_the_expressions(text):
    """The byte scans give what the regular expressions give, and a long text gets the same answer as a short one."""
    assert len(visible(text)) == visible_len(text)
    assert (text.isascii() and not re.search("[\x00-\x1f\x7f]", text)) == printable_ascii(text)
    assert (text.isascii() and not re.search("[\x00-\x09\x0b-\x1f\x7f]", text)) == printable_ascii(text, b"\n")
    assert printable_ascii(text * 600) == printable_ascii(text)  # the cached path, above 4,096 characters


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(1, 12), st.integers(1, 12))
def test_one_line_head_shows_what_the_whole_text_shows(text, width, column):
    """In a one-line cell no wider than `width`, the head of a text shows exactly what the text shows."""
    column = min(column, width)
    whole = Prose(one_line(text), no_wrap=True, overflow="ellipsis")
    head = Prose(one_line_head(one_line(text), width), no_wrap=True, overflow="ellipsis")
    assert cells(whole, column) == cells(head, column)


def test_per_line_leaves_one_line_in_each_segment():
    """Rich's line splitter then copies each line once, not the rest of the text once a line."""
    from rich.segment import Segment

    split = list(per_line([Segment("a\nbb\n\nc", "bold"), Segment("d\n"), Segment("\n")]))
    assert "a\nbb\n\nc" + "d\n\n" == "".join(segment.text for segment in split)
    assert all(segment.text.find("\n") in (-1, len(segment.text) - 1) for segment in split)


def test_prose_is_inert_as_it_is_built():
    """Text appended to Prose is shown with its controls as escapes, before any layout."""
    text = Prose("a\x1b[31mb", "bold").append("\u202ec\x9b")
    assert "a\\x1b[31mb\\u202ec\\x9b" == text.plain
    assert text.cell_len == len(text.plain)
