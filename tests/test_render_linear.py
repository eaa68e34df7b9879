"""One very long text costs work in proportion to its length, in every terminal view (issue 11, class 7).

A text of 9 million characters kept `show` busy for 99 s and `report` for
123 s: Rich's line splitter copied the rest of a many-line segment once per
line, and Rich wrapped the text a word at a time in Python. These tests
hold the shape of the work, never its time (benchmarks/run.py times it):

- no long segment that reaches Rich's line splitter holds more than one
  line, whatever the view and whatever the text (wide characters included,
  which Rich still lays out);
- Rich's word-at-a-time wrapping is not used for text of one-cell
  characters;
- the number of function calls made to print a view grows in step with the
  text: a text 100 times longer costs about 100 times as much, far from the
  10,000 times of a quadratic path.
"""

from __future__ import annotations

import json
import sys
from datetime import date

import pytest
import rich.text
from conftest import SMALL_PLAN
from rich.segment import Segment

from oagtrack.core.history import as_of
from oagtrack.core.metrics import build
from oagtrack.core.model import Plan
from oagtrack.core.query import stand, standings
from oagtrack.core.validate import validate_bytes
from oagtrack.render import terminal
from oagtrack.render.report import report_view

AS_OF = date(2021, 1, 31)
WORDS = "The CBSA will refine its removal strategy, with measures, targets and dates "
WIDE = "日本語のテキスト、"


def plan_with(text: str, note: str = "A short note.") -> Plan:
    """The small test plan, action 1.1's text and a note on it
    replaced (the note shows in the report's changes table)."""
    yaml_text = SMALL_PLAN.replace(
        "        text: First action.\n        due: 2020-09-30\n        status: not-started\n",
        f"        text: {json.dumps(text)}\n        due: 2020-09-30\n        history:\n          - date: 2021-01-15\n"
        f"            event: note\n            text: {json.dumps(note)}\n",
    )
    plan, problems = validate_bytes(yaml_text.encode(), "plan.yaml", date(2030, 1, 1))
    assert [] == problems
    return as_of(plan, AS_OF)


def long_text(length: int, unit: str = WORDS, lines: bool = False) -> str:
    text = (unit * (length // len(unit) + 1))[:length]
    return text.replace(", ", ",\n") if lines else text


def views(plan: Plan) -> dict[str, object]:
    rows = standings(plan, AS_OF)
    return {
        "show": terminal.show_milestone(plan, stand(plan, plan.find("1.1"), AS_OF)),
        "status": terminal.status_view(plan, rows),
        "show recommendation": terminal.show_recommendation(
            plan, plan.find("1"), [s for s in rows if s.milestone.recommendation == "1"]
        ),
        "report": report_view(build(plan, AS_OF)),
    }


def printed(renderable) -> str:
    return terminal.plain_text(renderable)


@pytest.mark.parametrize(
    ("shape", "text", "note"),
    [
        ("one paragraph", long_text(40_000), "A short note."),
        ("many lines", long_text(40_000, lines=True), "A short note."),
        ("wide characters", long_text(20_000, WIDE), "A short note."),
        ("long note in a table", "First action.", long_text(40_000)),
        ("long wide note in a table", "First action.", long_text(20_000, WIDE)),
    ],
)
def test_no_segment_of_many_lines_reaches_richs_line_splitter(monkeypatch, shape, text, note):
    """Rich splits a segment into lines with one copy of the rest per line: every long segment it gets holds one
    line at most.

    (A table header of a word or two may wrap within its segment: Rich lays those out, and they stay short.)
    """
    most = [0]
    original = Segment.split_and_crop_lines.__func__

    def counting(cls, segments, *args, **kwargs):
        def watched():
            for segment in segments:
                if not segment.control and len(segment.text) > 200:
                    most[0] = max(most[0], segment.text.count("\n") - segment.text.endswith("\n"))
                yield segment

        return original(cls, watched(), *args, **kwargs)

    monkeypatch.setattr(Segment, "split_and_crop_lines", classmethod(counting))
    for name, view in views(plan_with(text, note)).items():
        out = printed(view)
        assert out.count("\n") > 5, name
    assert 0 == most[0], shape


def test_one_cell_text_is_not_wrapped_a_word_at_a_time(monkeypatch):
    """Rich's `divide_line` steps through every word in Python; for one-cell text the fast layout finds each line
    in a few searches.

    Rich still wraps the report's own short sentences and headers: a few hundred characters, never the plan's 40,000.
    """
    wrapped = [0]
    original = rich.text.divide_line

    def counting(text, *args, **kwargs):
        wrapped[0] += len(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(rich.text, "divide_line", counting)
    plan = plan_with(long_text(20_000, "Le plan d’action — déjà révisé, “à jour” : 3 € ™ → "), long_text(20_000))
    for view in views(plan).values():
        printed(view)
    assert wrapped[0] < 2_000


def calls_to_print(renderable) -> int:
    """Python and built-in function calls made to lay out and print `renderable`."""
    count = [0]

    def profile(frame, event, arg):
        if event in ("call", "c_call"):
            count[0] += 1

    sys.setprofile(profile)
    try:
        printed(renderable)
    finally:
        sys.setprofile(None)
    return count[0]


@pytest.mark.parametrize(
    ("unit", "lines", "short"),
    [(WORDS, False, 1_000), (WORDS, True, 1_000), (WIDE, False, 200)],
    ids=["words", "lines", "wide"],
)
def test_work_grows_in_step_with_the_text(unit, lines, short):
    """A text 100 times longer costs at most about 100 times the
    calls, in every view; a quadratic path would cost 10,000 times."""
    long = 100 * short
    small = views(plan_with(long_text(short, unit, lines), long_text(short, unit, lines)))
    large = views(plan_with(long_text(long, unit, lines), long_text(long, unit, lines)))
    for name in small:
        ratio = calls_to_print(large[name]) / calls_to_print(small[name])
        assert ratio < 150, (name, ratio)


def test_status_cuts_a_long_text_before_laying_it_out():
    """A table cell shows one line of a text: only as much of it as the widest column could show is laid out."""
    plan = plan_with(long_text(1_000_000, WIDE))
    from oagtrack.render import prose

    lengths = []
    original = prose.Prose.append

    def recording(self, text, style=""):
        lengths.append(len(text))
        return original(self, text, style)

    prose.Prose.append = recording
    try:
        printed(terminal.status_view(plan, standings(plan, AS_OF)))
    finally:
        prose.Prose.append = original
    assert max(lengths) <= terminal.PIPE_WIDTH + 1
