"""Short phrases every renderer shares: countdowns, slips, lead names, counts, history entries.

How a plan value is named lives in `core.plan_terms` (the core's messages
need it too); how plan text is made inert for each medium, in `render.inert`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.plan_terms import one_line, plural, revision_words

if TYPE_CHECKING:
    from ..core.model import Event
    from ..core.query import Standing


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut at a word with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


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
    return (
        f"{done} complete, {counts['overdue']} overdue, {counts['due-soon']} due soon, {counts['open']} open{retired}"
    )


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
