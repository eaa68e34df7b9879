"""The shared word helpers in render/text.py, used by every renderer and by the plan diff."""

from __future__ import annotations

import pytest

from oagtrack.core.plan_terms import one_line, plural
from oagtrack.render.inert import markdown_inert
from oagtrack.render.phrases import times


def test_plural_regular_and_irregular():
    """One helper for `1 day`/`2 days` and for plurals that are not word + s."""
    assert ["1 day", "2 days", "0 days"] == [plural(n, "day") for n in (1, 2, 0)]
    assert ["1 recorded entry", "3 recorded entries"] == [
        plural(n, "recorded entry", "recorded entries") for n in (1, 3)
    ]


def test_times_in_words():
    assert ["once", "twice", "3 times"] == [times(n) for n in (1, 2, 3)]


def test_one_line_collapses_every_kind_of_line_break():
    assert "a b c" == one_line(" a\r\n b\n\n\tc ")


@pytest.mark.parametrize(
    ("text", "paragraph", "cell"),
    [
        ("- item", "\\- item", "- item"),
        ("1. item", "1\\. item", "1. item"),
        ("# heading", "\\# heading", "# heading"),
        ("a | b\nc", "a \\| b c", "a \\| b c"),
        ("x > y & <b>", "x &gt; y &amp; &lt;b&gt;", "x &gt; y &amp; &lt;b&gt;"),
        ("ping @team about #42", "ping @\u200bteam about #\u200b42", "ping @\u200bteam about #\u200b42"),
        ("mail a@b.org, see page#top", "mail a@b.org, see page#top", "mail a@b.org, see page#top"),
        (
            "[x](javascript:1) *em* _u_ `c` ~~s~~",
            "\\[x\\](javascript:1) \\*em\\* \\_u\\_ \\`c\\` \\~\\~s\\~\\~",
            "\\[x\\](javascript:1) \\*em\\* \\_u\\_ \\`c\\` \\~\\~s\\~\\~",
        ),
        ("esc \x1b[31m", "esc \\\\x1b\\[31m", "esc \\\\x1b\\[31m"),
    ],
)
def test_markdown_inert_paragraph_and_cell(text, paragraph, cell):
    """Block markers matter only at the start of a paragraph; everything else is neutralised in both modes."""
    assert (paragraph, cell) == (markdown_inert(text), markdown_inert(text, cell=True))
