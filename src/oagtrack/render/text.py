"""Words shared by every renderer: countdowns, slips, and safe display of plan text."""

from __future__ import annotations

import re

from ..query import Standing

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# overrides and isolates that can make text read differently than it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Plan text with every terminal-active character shown as an escape (`\\x1b`)."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """Collapse newlines so a cell stays one row."""
    return " ".join(text.split())


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut at a word with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def countdown(standing: Standing) -> str:
    """`43 days overdue`, `due in 12 days`, `done 5 days late`."""
    if standing.state == "complete":
        return f"done {standing.completed}"
    if standing.state == "complete-late":
        return f"done {plural(standing.days_late, 'day')} late"
    if standing.state == "overdue":
        return f"{plural(standing.days_overdue, 'day')} overdue"
    days = standing.days_left
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    return f"due in {days} days"


_TIMES = {1: "once", 2: "twice"}


def slip(standing: Standing) -> str:
    """`revised twice, +110 days`, or empty when never revised."""
    count = len(standing.revisions)
    if not count:
        return ""
    times = _TIMES.get(count, f"{count} times")
    return f"revised {times}, {standing.slip_days:+d} days"


def lead_names(standing: Standing) -> str:
    return ", ".join(person.full_name for person in standing.leads)


def summary_counts(counts: dict[str, int]) -> str:
    done = counts["complete"] + counts["complete-late"]
    return f"{done} complete, {counts['overdue']} overdue, {counts['due-soon']} due soon, {counts['open']} open"
