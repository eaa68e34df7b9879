"""Values of a plan named in the plan's own terms, for messages and diffs: dates, true and false, lists, counts.

Plain string helpers with no imports from the rest of the package: the
core's messages (validate, check, the plan diff) and every renderer use
them, so a value reads the same in a problem, a diff and a report.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Event


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


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 day`, `2 days`; `many` for a plural that is not `word` + s (`2 recorded entries`)."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def revision_words(event: Event) -> str:
    """`due 2021-03-12 -> 2021-06-30 (+110 days): waiting on partner data`."""
    from .problems import said  # here: this module imports nothing of the package at load

    approved = said(" (approved by {who})", who=one_line(event.approved_by)) if event.approved_by else ""
    return said(
        "due {before} -> {after}{moved}: {reason}{approved}",
        before=plan_value(event.from_due),
        after=plan_value(event.to_due),
        moved=days_moved(event.from_due, event.to_due),
        reason=one_line(event.reason),
        approved=approved,
    )


def days_moved(before: date | None, after: date | None) -> str:
    """` (+110 days)`, ` (-1 day)`: how far a due date moved; nothing when one of the dates is missing."""
    from .problems import said

    if before is None or after is None:
        return ""
    days = (after - before).days
    if abs(days) == 1:
        return said(" ({days:+d} day)", days=days)
    return said(" ({days:+d} days)", days=days)
