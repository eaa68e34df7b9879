"""A unified diff of two versions of a file, for people reading it in a terminal or a CI log.

Line endings (CRLF, a lone CR, Unicode line separators) are shown as plain
lines and every control character is escaped, so a hostile plan cannot act
on the terminal that shows its `--dry-run`.
"""

from __future__ import annotations

import re

from ..core.seqdiff import changed_regions
from .inert import visible

_NEWLINE = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_BOM = "\ufeff"


def unified_diff(old: bytes, new: bytes, filename: str, context: int = 3) -> str:
    """A unified diff for people: line endings shown as plain lines, controls escaped."""

    def lines(data: bytes) -> list[str]:
        text = data.decode("utf-8", "replace").removeprefix(_BOM)
        parts = _NEWLINE.split(text)
        result = [visible(part) + "\n" for part in parts]
        if parts[-1] == "":
            result.pop()
        else:
            result[-1] = result[-1][:-1] + _NO_NEWLINE  # visible() escapes any NUL in the text itself
        return result

    name = visible(filename.lstrip("/"))
    a, b = lines(old), lines(new)
    # Only the lines between the common head and tail are compared (a plan can
    # be 200,000 lines), by a shortest edit script, so that frequent lines such
    # as `status: not-started` are never shown as changed.
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    regions = [
        (i1 + head, i2 + head, j1 + head, j2 + head)
        for i1, i2, j1, j2 in changed_regions(a[head : len(a) - tail], b[head : len(b) - tail])
    ]
    hunks: list[list[tuple[int, int, int, int]]] = []
    for region in regions:
        if hunks and region[0] - hunks[-1][-1][1] <= 2 * context:
            hunks[-1].append(region)
        else:
            hunks.append([region])
    out = [f"--- a/{name}\n", f"+++ b/{name}\n"] if hunks else []
    for hunk in hunks:
        first, last = hunk[0], hunk[-1]
        a_start = max(0, first[0] - context)
        a_end = min(len(a), last[1] + context)
        b_start, b_end = a_start + first[2] - first[0], a_end + last[3] - last[1]
        out.append(f"@@ -{_hunk_range(a_start, a_end)} +{_hunk_range(b_start, b_end)} @@\n")
        pos = a_start
        for i1, i2, j1, j2 in hunk:
            out += [" " + line for line in a[pos:i1]]
            out += ["-" + line for line in a[i1:i2]]
            out += ["+" + line for line in b[j1:j2]]
            pos = i2
        out += [" " + line for line in a[pos:a_end]]
    return "".join(out).replace(_NO_NEWLINE, "\n\\ No newline at end of file\n")


def _hunk_range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it: `3`, `3,4` or `2,0`."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


_NO_NEWLINE = "\0no-final-newline\n"
