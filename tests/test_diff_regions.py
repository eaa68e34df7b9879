"""The `--dry-run` diff: a shortest edit script, linear in the lines between two distant changes."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from oagtrack.core.seqdiff import changed_regions

lines = st.lists(st.sampled_from(["a", "b", "c", "event: note", ""]), max_size=14)


def patched(a: list[str], b: list[str], regions: list[tuple[int, int, int, int]]) -> list[str]:
    out, pos = [], 0
    for i1, i2, j1, j2 in regions:
        assert i1 >= pos  # in order, never overlapping
        out += a[pos:i1] + b[j1:j2]
        pos = i2
    return out + a[pos:]


@given(lines, lines)
def test_the_regions_turn_the_old_lines_into_the_new_with_fewest_changes(a: list[str], b: list[str]) -> None:
    regions = changed_regions(a, b)
    assert patched(a, b, regions) == b
    fewest = sum(
        i2 - i1 + j2 - j1
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if tag != "equal"
    )
    assert sum(i2 - i1 + j2 - j1 for i1, i2, j1, j2 in regions) <= fewest


class Counted(str):
    """A line that counts how often it is compared."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        Counted.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_two_changes_far_apart_cost_lines_not_lines_squared() -> None:
    """A status at the top and an entry after 30,000 lines (an item
    with 10,000 history entries): about one comparison a line."""
    old = [Counted(line) for i in range(10_000) for line in (f"- date: {i}", "  event: note", f"  text: Note {i}")]
    new = [Counted("status: complete"), *old, Counted("- date: new")]
    old = [Counted("status: not-started"), *old]
    Counted.comparisons = 0
    assert changed_regions(old, new) == [(0, 1, 0, 1), (30_001, 30_001, 30_001, 30_002)]
    assert Counted.comparisons < 4 * len(old)  # difflib's matcher makes hundreds of millions here
