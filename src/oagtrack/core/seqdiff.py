"""The shortest edit script between two sequences: which runs of the old became which of the new.

Used for the `--dry-run` diff of a plan's lines and to line up two versions
of a milestone's history, so that one entry inserted, edited or removed is
one change, whatever follows it.
"""

from __future__ import annotations

from collections.abc import Sequence


def changed_regions(a: Sequence[object], b: Sequence[object]) -> list[tuple[int, int, int, int]]:
    """The (i1, i2, j1, j2) regions where `a[i1:i2]` became `b[j1:j2]`, by a shortest edit script.

    Myers' O((N+M)D) algorithm: an update changes a few lines (D is small)
    but may change two places far apart in a long item (its status at the
    top, a history entry after 10,000 others), and difflib's matcher is
    quadratic in the lines between them. Of equally short scripts it keeps
    deletions before insertions, as diff does.
    """
    n, m = len(a), len(b)
    if not n or not m:
        return [(0, n, 0, m)] if n or m else []
    furthest = {1: 0}
    trace = []
    for d in range(n + m + 1):
        trace.append(dict(furthest))
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and furthest[k - 1] < furthest[k + 1]):
                x = furthest[k + 1]  # down: an insertion
            else:
                x = furthest[k - 1] + 1  # right: a deletion
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x, y = x + 1, y + 1
            furthest[k] = x
            if x >= n and y >= m:
                return _regions(_backtrack(trace, n, m))
    raise AssertionError("unreachable: a script of n + m edits always exists")  # pragma: no cover


def _backtrack(trace: list[dict[int, int]], n: int, m: int) -> list[tuple[str, int, int]]:
    """The edits ("-", x, y) or ("+", x, y), first to last, from the furthest points of each round."""
    edits = []
    x, y = n, m
    for d in range(len(trace) - 1, 0, -1):
        furthest = trace[d]
        k = x - y
        down = k == -d or (k != d and furthest[k - 1] < furthest[k + 1])
        previous_k = k + 1 if down else k - 1
        previous_x = furthest[previous_k]
        previous_y = previous_x - previous_k
        while x > previous_x + (0 if down else 1) and y > previous_y + (1 if down else 0):
            x, y = x - 1, y - 1  # the run of equal lines
        edits.append(("+", previous_x, previous_y) if down else ("-", previous_x, previous_y))
        x, y = previous_x, previous_y
    return edits[::-1]


def _regions(edits: list[tuple[str, int, int]]) -> list[tuple[int, int, int, int]]:
    """Adjacent edits merged into (i1, i2, j1, j2) regions."""
    regions: list[list[int]] = []
    for op, x, y in edits:
        i1, j1 = x, y
        i2, j2 = (x + 1, y) if op == "-" else (x, y + 1)
        if regions and regions[-1][1] == i1 and regions[-1][3] == j1:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    return [(i1, i2, j1, j2) for i1, i2, j1, j2 in regions]
