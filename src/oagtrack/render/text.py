"""Words shared by every renderer (and the plan diff): countdowns, slips, counts, and safe display of plan text.

Plain string helpers with no runtime imports from the rest of the package,
so the core's sentence builders (`changes.py`) can use them too.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Event
    from ..query import Standing

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# overrides and isolates that can make text read differently than it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def printable_ascii(text: str, allowed: bytes = b"") -> bool:
    """True when `text` is ASCII with no control character but those in `allowed` (such as b"\\n").

    Most plan text is; a byte scan says so several times quicker than a
    regular expression, which counts in a text of millions of characters.
    A long text is asked about by several renderers, so its answer is kept.
    """
    if len(text) > 4096:
        return _long_printable_ascii(text, allowed)
    return text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII + allowed)


@lru_cache(maxsize=4)  # a few long texts at once; each is kept alive while cached
def _long_printable_ascii(text: str, allowed: bytes) -> bool:
    return text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII + allowed)


def visible(text: str) -> str:
    """Plan text with every terminal-active character shown as an escape (`\\x1b`)."""
    if printable_ascii(text, b"\t\n"):
        return text
    return _UNSAFE.sub(_escape, text)


def visible_len(text: str) -> int:
    """`len(visible(text))`, without building it (a long text is rarely full of controls)."""
    if printable_ascii(text, b"\t\n"):
        return len(text)
    return len(text) + sum(3 if ord(char) < 0x100 else 5 for char in _UNSAFE.findall(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: Every whitespace character but the space (what `str.isspace` holds true; a test keeps the two the same).
_OTHER_WHITESPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def one_line(text: str) -> str:
    """Collapse newlines so a cell stays one row."""
    if "  " in text or text[:1] == " " or text[-1:] == " ":
        return " ".join(text.split())
    if printable_ascii(text) or not _OTHER_WHITESPACE.search(text):
        return text  # one line already: a scan is far quicker than splitting a long text into its words
    return " ".join(text.split())


NOTHING = "(none)"


def plan_value(value: object, limit: int | None = None) -> str:
    """A value of the plan in the plan's own words, as a diff or a check names it; never Python's.

    A date is YYYY-MM-DD, a yes-or-no is `true` or `false` (as plan.yaml
    writes it), a list is `[a, b]` (YAML's flow style), an empty or missing
    value is `(none)`, and text is one line, cut to `limit` characters with
    `...`. Anything else is a bug: it raises rather than print a repr or a
    class name.
    """
    if value is None or value == "" or value == ():
        return NOTHING
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(plan_value(item, limit) for item in value) + "]"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        text = one_line(value)
        return text if limit is None or len(text) <= limit else text[: limit - 3] + "..."
    raise TypeError(f"no plan words for a value of type {type(value).__name__}")


# Markdown: inline markup anywhere (emphasis, code, links, strikethrough,
# table pipes); block markup only where a line starts (lists, headings,
# setext underlines); GitHub mentions and issue references.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([#+\-=])(?=[\s#+\-=]|$)")
_MD_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# `@name` after a non-word character (an e-mail address is no mention); `#12` anywhere (`owner/repo#12` links too).
_MD_REFERENCE = re.compile(r"((?<!\w)@(?=\w)|#(?=\d))")
ZERO_WIDTH_SPACE = "\u200b"


def markdown_inert(text: str, *, cell: bool = False) -> str:
    """Plan text made inert in GitHub Markdown: a paragraph, or (with `cell`) a table cell.

    The one escaper for every Markdown output (reports, exports, diffs):
    control characters shown as escapes; newlines collapsed so a cell or
    bullet stays one line; `&`, `<`, `>` as entities so no HTML reaches the
    page; `\\ ` * _ [ ] | ~` backslash-escaped so text cannot become a link,
    emphasis, code or a table column; `#`, `-`, `+`, `=` and `1.` escaped
    where they would start a heading or list; and a zero-width space after
    `@` and `#` where GitHub would otherwise link a mention (`@name`) or an
    issue (`#12`), which it does even when they are escaped.
    """
    flat = one_line(visible(text)).translate(_MD_ENTITIES)
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    if not cell:  # inside a cell, `-` or `1.` at the start make no list
        flat = _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", flat, count=1)
    return _MD_REFERENCE.sub(r"\1" + ZERO_WIDTH_SPACE, flat)


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut at a word with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 day`, `2 days`; `many` for a plural that is not `word` + s (`2 recorded entries`)."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def countdown(standing: Standing) -> str:
    """`43 days overdue`, `due in 12 days`, `done 5 days late`."""
    if standing.state == "complete":
        return f"done {standing.completed}"
    if standing.state == "complete-late":
        return f"done {plural(standing.days_late, 'day')} late"
    if standing.state == "overdue":
        return f"{plural(standing.days_overdue, 'day')} overdue"
    if standing.state == "retired":
        return f"since {standing.milestone.retired_on}"
    days = standing.days_left
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    return f"due in {days} days"


_TIMES = {1: "once", 2: "twice"}


def times(count: int) -> str:
    """`once`, `twice`, `3 times`."""
    return _TIMES.get(count, f"{count} times")


def slip(standing: Standing) -> str:
    """`revised twice, +110 days`, or empty when never revised."""
    count = len(standing.revisions)
    if not count:
        return ""
    return f"revised {times(count)}, {standing.slip_days:+d} days"


def lead_names(standing: Standing) -> str:
    """`Scott Harris, Nicole Giles`: the leads' names, as every table shows them."""
    return ", ".join(person.full_name for person in standing.leads)


def summary_counts(counts: dict[str, int]) -> str:
    done = counts["complete"] + counts["complete-late"]
    retired = f", {counts['retired']} retired" if counts.get("retired") else ""
    return f"{done} complete, {counts['overdue']} overdue, {counts['due-soon']} due soon, {counts['open']} open{retired}"


def revision_words(event: Event) -> str:
    """`due 2021-03-12 -> 2021-06-30 (+110 days): waiting on partner data`."""
    approved = f" (approved by {one_line(event.approved_by)})" if event.approved_by else ""
    moved = ""
    if event.from_due and event.to_due:
        days = (event.to_due - event.from_due).days
        moved = f" ({days:+d} day{'' if abs(days) == 1 else 's'})"
    return f"due {plan_value(event.from_due)} -> {plan_value(event.to_due)}{moved}: {one_line(event.reason)}{approved}"


def event_words(event: Event) -> str:
    """One history entry in plan terms, without its date, on one line: `completed (evidence: a.pdf)`."""
    kind = event.kind
    if kind == "completed":
        return "completed" + (f" (evidence: {one_line(', '.join(event.evidence))})" if event.evidence else "")
    if kind == "verified":
        return f"verified by {one_line(event.by)}"
    if kind == "reopened":
        withdrawn = f"completion of {event.completed}" if event.completed else "completion"
        if event.verified:
            withdrawn += f", verified {event.verified} by {one_line(event.verified_by)},"
        return f"reopened ({withdrawn} withdrawn): {one_line(event.reason)}"
    if kind == "revised":
        return f"revised: {revision_words(event)}"
    if kind == "note":
        return f"note: {one_line(event.text)}"
    if kind == "retired":
        return f"retired (no longer applies): {one_line(event.reason)}"
    return kind  # started
