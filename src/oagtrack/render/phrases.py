"""Short phrases every renderer shares: countdowns, slips, lead names, counts, states, history entries.

Each phrase is looked up in the reader's language when it is built (see
`language`). How a plan value is named lives in `core.plan_terms` (the
core's messages need it too); how plan text is made inert for each medium,
in `render.inert`.

Some English phrases print a plural noun whatever the count (`1 milestones:`,
`+1 days`); English output does not change, so their `n_` calls give the
same English message twice, and only French, which has the catalog's
plural forms, tells one from many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.plan_terms import one_line, revision_words
from .language import _, n_, say

if TYPE_CHECKING:
    from ..core.model import Event, Milestone
    from ..core.query import Standing


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut at a word with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def colon(label: str) -> str:
    """`Due:`; in French `Échéance :`, with a non-breaking space before the colon, as federal French writes it."""
    return _("{label}:").format(label=label)


def state_word(state: str) -> str:
    """A state (`overdue`, `due-soon`, ...) as a reader reads it: `en retard`, `échéance proche` in French."""
    match state:
        case "complete":
            return _("complete")
        case "complete-late":
            return _("complete-late")
        case "overdue":
            return _("overdue")
        case "due-soon":
            return _("due-soon")
        case "open":
            return _("open")
        case "retired":
            return _("retired")
    return state


def status_word(status: str) -> str:
    """A status the plan records (`not-started`, `verified`, ...) as a reader reads it: `non commencé`, `vérifié`."""
    match status:
        case "not-started":
            return _("not-started")
        case "in-progress":
            return _("in-progress")
        case "complete":
            return _("complete")
        case "verified":
            return _("verified")
        case "reopened":
            return _("reopened")
        case "retired":
            return _("retired")
    return status


def kind_word(kind: str) -> str:
    """What a milestone is, capitalised for a heading: `Action`, `Step`, `Expected outcome`."""
    return {"action": _("Action"), "step": _("Step"), "outcome": _("Expected outcome")}.get(kind, kind)


def reference(milestone: Milestone) -> str:
    """`3.4b.a [printed a.]`: the id, and the number printed in the plan when it differs (as `Milestone.reference`)."""
    if not milestone.label or milestone.label == milestone.id:
        return milestone.id
    return _("{id} [printed {label}]").format(id=milestone.id, label=milestone.label)


def days_signed(days: int) -> str:
    """`+110 days`, `-3 days`: a move of a due date (English says `days` even for one)."""
    return n_("{days} days", "{days} days", abs(days)).format(days=f"{days:+d}")


def countdown(standing: Standing) -> str:
    """`43 days overdue`, `due in 12 days`, `done 5 days late`."""
    if standing.state == "complete":
        return _("done {date}").format(date=standing.completed)
    if standing.state == "complete-late":
        return n_("done {count} day late", "done {count} days late", standing.days_late).format(
            count=standing.days_late
        )
    if standing.state == "overdue":
        return n_("{count} day overdue", "{count} days overdue", standing.days_overdue).format(
            count=standing.days_overdue
        )
    if standing.state == "retired":
        return _("since {date}").format(date=standing.milestone.retired_on)
    days = standing.days_left
    if days == 0:
        return _("due today")
    if days == 1:
        return _("due tomorrow")
    return n_("due in {count} day", "due in {count} days", days).format(count=days)


def times(count: int) -> str:
    """`once`, `twice`, `3 times`."""
    if count == 1:
        return _("once")
    if count == 2:
        return _("twice")
    return n_("{count} time", "{count} times", count).format(count=count)


def slip(standing: Standing) -> str:
    """`revised twice, +110 days`, or empty when never revised."""
    count = len(standing.revisions)
    if not count:
        return ""
    return _("revised {times}, {days}").format(times=times(count), days=days_signed(standing.slip_days))


def lead_names(standing: Standing) -> str:
    """`Scott Harris, Nicole Giles`: the leads' names, as every table shows them."""
    return ", ".join(person.full_name for person in standing.leads)


def summary_counts(counts: dict[str, int]) -> str:
    """`1 complete, 8 overdue, 0 due soon, 5 open, 1 retired` (retired only when there are some)."""
    done = counts["complete"] + counts["complete-late"]
    parts = [
        n_("{count} complete", "{count} complete", done).format(count=done),
        n_("{count} overdue", "{count} overdue", counts["overdue"]).format(count=counts["overdue"]),
        n_("{count} due soon", "{count} due soon", counts["due-soon"]).format(count=counts["due-soon"]),
        n_("{count} open", "{count} open", counts["open"]).format(count=counts["open"]),
    ]
    if counts.get("retired"):
        parts.append(n_("{count} retired", "{count} retired", counts["retired"]).format(count=counts["retired"]))
    return ", ".join(parts)


def more_rows(noun: str, count: int) -> str:
    """`… and 3 more leads`: the rows a summarised table leaves out (English keeps the plural even for one).

    `noun` names the rows in English: recommendations, organizations, leads, stale items or changes.
    """
    phrases = {
        "recommendations": n_("… and {count} more recommendations", "… and {count} more recommendations", count),
        "organizations": n_("… and {count} more organizations", "… and {count} more organizations", count),
        "leads": n_("… and {count} more leads", "… and {count} more leads", count),
        "stale items": n_("… and {count} more stale items", "… and {count} more stale items", count),
        "changes": n_("… and {count} more changes", "… and {count} more changes", count),
    }
    return phrases[noun].format(count=count)


def milestones_and_counts(total: int, counts: dict[str, int]) -> str:
    """`15 milestones: 1 complete, 8 overdue, ...` (English says `milestones` even for one)."""
    return n_("{count} milestones: {counts}", "{count} milestones: {counts}", total).format(
        count=total, counts=summary_counts(counts)
    )


def revision_entry(event: Event) -> str:
    """`due 2021-03-12 -> 2021-06-30 (+110 days): waiting on partner data (approved by DAC)`.

    The words of `core.plan_terms.revision_words`, said in the reader's language.
    """
    return say(revision_words(event))


def event_words(event: Event) -> str:
    """One history entry in plan terms, without its date, on one line: `completed (evidence: a.pdf)`."""
    kind = event.kind
    if kind == "completed":
        if not event.evidence:
            return _("completed")
        return _("completed (evidence: {links})").format(links=one_line(", ".join(event.evidence)))
    if kind == "verified":
        return _("verified by {who}").format(who=one_line(event.by))
    if kind == "reopened":
        return _reopened(event)
    if kind == "revised":
        return _("revised: {revision}").format(revision=revision_entry(event))
    if kind == "note":
        return _("note: {text}").format(text=one_line(event.text))
    if kind == "retired":
        return _("retired (no longer applies): {reason}").format(reason=one_line(event.reason))
    if kind == "started":
        return _("started")
    return kind


def _reopened(event: Event) -> str:
    """`reopened (completion of 2020-09-28, verified 2020-10-10 by IA, withdrawn): reason`."""
    reason = one_line(event.reason)
    if event.verified:
        verified, by = event.verified, one_line(event.verified_by)
        if event.completed:
            return _("reopened (completion of {completed}, verified {verified} by {who}, withdrawn): {reason}").format(
                completed=event.completed, verified=verified, who=by, reason=reason
            )
        return _("reopened (completion, verified {verified} by {who}, withdrawn): {reason}").format(
            verified=verified, who=by, reason=reason
        )
    if event.completed:
        return _("reopened (completion of {completed} withdrawn): {reason}").format(
            completed=event.completed, reason=reason
        )
    return _("reopened (completion withdrawn): {reason}").format(reason=reason)
