"""The report's tables and sentences as plain strings, shared by every report format.

Terminal, Markdown and HTML show the same rows with the same words; each
format only escapes and decorates them. Cells hold raw plan text: escaping
belongs to the renderer that knows its output (Rich Text, `|`, `&lt;`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ..core.metrics import Activity, Group, RecommendationProgress, Report, Slippage, Stale, Summary
from ..core.model import Event, Milestone, Plan
from ..core.plan_terms import one_line, plural
from ..core.query import Standing
from .phrases import countdown, lead_names, times


@dataclass(frozen=True, slots=True)
class Table:
    """Headers and rows of strings; `state_column` says which cell holds a state word."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    state_column: int | None = None
    numeric: frozenset[int] = frozenset()
    #: Columns shown on one line, cut with an ellipsis on a narrow terminal (the full text is elsewhere).
    one_line: frozenset[int] = frozenset()
    #: The column that names each row (a group, a recommendation, a milestone): HTML makes it the row header.
    key_column: int | None = 0
    #: Columns of a few fixed words that read as one (`in progress`, `not started`): never wrapped.
    nowrap: frozenset[int] = frozenset()


class Field(NamedTuple):
    """One line of a milestone's detail: `Verified: 2021-01-10 by Internal Audit`.

    `kind` says what a format may make of the value: "text", "link" (evidence,
    a link when it is a web address) or "state" (the value starts with the
    state word, which HTML shows as a badge).
    """

    label: str
    value: str
    kind: str = "text"


def ref(milestone: Milestone) -> str:
    """How a row names a milestone: always its id (`3.4a`, `3.4b.a`), as `status` and `diff` do."""
    return milestone.id


def actions_by_id(plan: Plan) -> dict[str, Milestone]:
    """Every action by id, built once per render: a step's printed number needs its action's."""
    return {action.id: action for rec in plan.recommendations for action in rec.actions}


def printed(actions: Mapping[str, Milestone], milestone: Milestone) -> str:
    """The number as printed in the MAP, a step under its action's: `3.4 b) a.`.

    `actions` is `actions_by_id(plan)`: a lookup, never a scan of the plan per step.
    """
    if milestone.kind == "step" and milestone.label:
        parent = actions.get(milestone.parent or "")
        return f"{parent.display_id} {milestone.label}" if parent is not None else milestone.label
    return milestone.display_id


def with_printed(item_id: str, label: str) -> str:
    """`3.4b.a [printed a.]`: the id, and the printed number when it differs.

    Brackets, not parentheses: a printed number often ends in `)` itself.
    """
    return item_id if not label or label == item_id else f"{item_id} [printed {label}]"


def printed_ref(actions: Mapping[str, Milestone], milestone: Milestone) -> str:
    """The id with the number as printed in the MAP (`2.2.a [printed 2.2 a.]`), for calendars."""
    return with_printed(milestone.id, printed(actions, milestone))


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def leads_with_org(standing: Standing) -> str:
    """`CBSA, Scott Harris`: organizations, then names, as a calendar summary shows them."""
    orgs = list(dict.fromkeys(person.org for person in standing.leads if person.org))
    return ", ".join(orgs + [person.full_name for person in standing.leads])


def title(report: Report) -> str:
    audit = report.plan.audit
    return f"Progress report: {audit.title}"


def subtitle(report: Report) -> str:
    parts = [
        f"As of {report.as_of}",
        f"changes since {report.since}",
        f"stale after {plural(report.stale_after.days, 'day')}",
    ]
    if report.filtered:
        parts.append("filtered")
    return " · ".join(parts)


def headline(report: Report) -> str:
    s = report.summary
    verified = f", {s.verified} of which verified" if s.verified else ""
    retired = f", {s.retired} retired and not counted" if s.retired else ""
    return (
        f"{plural(s.total, 'milestone')}: {percent(s.percent_implemented)} implemented "
        f"({s.complete} complete{verified}, {s.overdue} overdue, "
        f"{s.due_soon} due in the next {report.horizon.days} days, {s.not_yet_due} later{retired})"
    )


def completion_sentence(report: Report) -> str:
    if report.original_completion is None:
        return "No milestones."
    if report.current_completion is None:
        return f"Every milestone is retired; the plan was to be complete by {report.original_completion}."
    moved = (report.current_completion - report.original_completion).days
    # A retired milestone counts for the original date but not the current one.
    retired = " Retired milestones no longer count towards it." if report.summary.retired else ""
    if not moved:
        return (
            f"Planned completion of the whole plan: {report.current_completion} "
            f"(unchanged from the original plan).{retired}"
        )
    return (
        f"Planned completion of the whole plan: {report.current_completion}, "
        f"originally {report.original_completion} ({moved:+d} days).{retired}"
    )


def slippage_sentence(s: Slippage) -> str:
    rate = (
        "no milestone has fallen due yet"
        if s.on_time_rate is None
        else f"{s.on_time} of {s.measured} met their original date ({percent(s.on_time_rate)})"
    )
    return (
        f"{s.revised} of {plural(s.milestones, 'milestone')} revised ({plural(s.revisions, 'revision')}, "
        f"{s.days_slipped:+d} days in all, at most {s.max_slip:+d}); {rate}."
    )


#: The parts of a summary row, which add up to its Total; then Verified, a part of the done, and the percentage.
_SUMMARY_PARTS = ("Done on time", "Done late", "Overdue", "Due ≤{h}d", "Later")
VERIFIED_HEADER = "Verified (of done)"
IMPLEMENTED_HEADER = "% done"


def _summary_cells(s: Summary, with_retired: bool) -> tuple[str, ...]:
    parts = (str(s.total), str(s.on_time), str(s.late), str(s.overdue), str(s.due_soon), str(s.not_yet_due))
    return parts + ((str(s.retired),) if with_retired else ()) + (str(s.verified), percent(s.percent_implemented))


def summary_table(report: Report, first: str, groups: Sequence[Group] | None = None) -> Table:
    """The whole plan's counts, or (given `groups`) one row per organization or lead.

    Total is the sum of the parts that follow it (done on time, done late,
    overdue, due soon, later, and retired when a plan has any: that column
    appears only then); Verified counts within the done, so its header says
    so, and `% done` is the share done of those that still apply (the
    headline's "implemented").
    """
    with_retired = report.summary.retired > 0
    parts = tuple(name.format(h=report.horizon.days) for name in _SUMMARY_PARTS) + (
        ("Retired",) if with_retired else ()
    )
    headers = (first, "Total") + parts + (VERIFIED_HEADER, IMPLEMENTED_HEADER)
    if groups is None:
        rows = [("All milestones",) + _summary_cells(report.summary, with_retired)]
    else:
        rows = [(group.name,) + _summary_cells(group.summary, with_retired) for group in groups]
    return Table(headers, tuple(rows), numeric=frozenset(range(1, len(headers))))


def recommendation_status(progress: RecommendationProgress) -> str:
    """`in progress, 2 of 5 milestones done`, `implemented, 4 of 4 milestones done (1 retired)`."""
    return f"{progress.status}, {milestones_done(progress)}"


def milestones_done(progress: RecommendationProgress) -> str:
    """`2 of 5 milestones done`, with the retired ones (which no longer count) named when there are some."""
    retired = f" ({progress.retired} retired)" if progress.retired else ""
    return f"{progress.done} of {plural(progress.applicable, 'milestone')} done{retired}"


def recommendation_table(items: Iterable[RecommendationProgress]) -> Table:
    """One row per recommendation: its status, the count of its milestones done, how many are overdue, its text."""
    rows = tuple(
        (p.recommendation.id, p.status, f"{p.done} of {p.applicable}", str(p.overdue), one_line(p.recommendation.text))
        for p in items
    )
    return Table(
        ("Recommendation", "Status", "Milestones done", "Overdue", "Text"),
        rows,
        numeric=frozenset({2, 3}),
        one_line=frozenset({4}),
        nowrap=frozenset({1}),
    )


def slippage_table(first: str, items: Iterable[Slippage]) -> Table:
    rows = tuple(
        (
            s.name,
            str(s.milestones),
            str(s.revised),
            str(s.revisions),
            f"{s.days_slipped:+d}",
            f"{s.max_slip:+d}",
            "-" if s.on_time_rate is None else f"{s.on_time}/{s.measured} ({percent(s.on_time_rate)})",
        )
        for s in items
    )
    return Table(
        (first, "Total", "Revised", "Revisions", "Days slipped", "Max slip", "Met original date"),
        rows,
        numeric=frozenset(range(1, 7)),
    )


def stale_table(items: Iterable[Stale]) -> Table:
    rows = tuple(
        (
            ref(st.standing.milestone),
            one_line(st.standing.milestone.text),
            lead_names(st.standing),
            day(st.standing.due),
            st.standing.state,
            last_activity(st),
        )
        for st in items
    )
    return Table(
        ("ID", "Milestone", "Leads", "Due", "State", "Last activity"), rows, state_column=4, one_line=frozenset({1})
    )


def last_activity(item: Stale) -> str:
    if item.last_activity is None:
        return "none recorded"
    return f"{item.last_kind} {item.last_activity} ({plural(item.days_quiet or 0, 'day')} ago)"


def change_detail(change: Activity) -> str:
    """What happened, in words: the dates moved and why, the note, the reason."""
    if change.kind == "revised":
        moved = (change.to_due - change.from_due).days if change.to_due and change.from_due else 0
        text = f"due {day(change.from_due)} → {day(change.to_due)} ({moved:+d} days): {change.reason}"
        return text + (f" (approved by {change.approved_by})" if change.approved_by else "")
    if change.kind == "noted":
        return change.text
    if change.kind == "reopened":
        return f"completion withdrawn: {change.reason}"
    if change.kind == "retired":
        return f"no longer applies: {change.reason}"
    if change.kind == "completed":
        s = change.standing
        late = (change.on - s.due).days
        text = "on time" if late <= 0 else f"{plural(late, 'day')} after the due date"
        return text + (" (later withdrawn)" if change.withdrawn else "")
    if change.kind == "verified":
        return f"by {change.approved_by}" if change.approved_by else ""
    return ""


def changes_table(items: Iterable[Activity]) -> Table:
    rows = tuple(
        (day(c.on), ref(c.standing.milestone), c.kind, one_line(c.standing.milestone.text), one_line(change_detail(c)))
        for c in items
    )
    return Table(("Date", "ID", "What", "Milestone", "Detail"), rows, one_line=frozenset({3}), key_column=1)


def due_words(standing: Standing) -> str:
    """`2021-03-31 (originally 2020-10-31, +151 days, revised twice)` or the date alone."""
    text = day(standing.due)
    if standing.revisions:
        text += (
            f" (originally {standing.original_due}, {standing.slip_days:+d} days, "
            f"revised {times(len(standing.revisions))})"
        )
    return text


def state_words(standing: Standing) -> str:
    """`overdue (62 days overdue)`, `complete (done 2020-09-15)`, `retired (since 2020-11-02): the reason`."""
    text = f"{standing.state} ({countdown(standing)})"
    retirement = standing.milestone.retirement
    if standing.state == "retired" and retirement:
        text += f": {retirement.reason}"
    return text


def status_words(standing: Standing) -> str:
    """The status the plan records, beside the state computed from the dates.

    Such as `reopened (in progress again since 2021-01-05)`.
    """
    status = standing.status
    if status == "in-progress" and standing.started:
        return f"in-progress (started {standing.started})"
    if status == "reopened":
        reopened = [event.on for event in standing.milestone.history if event.kind == "reopened"]
        return f"reopened (in progress again since {reopened[-1]})" if reopened else "reopened (in progress again)"
    return status


def reopening_words(event: Event) -> str:
    """`2021-01-05: the reason (withdrew the completion of 2020-10-20, verified 2020-11-02 by IA)`."""
    withdrawn = f"the completion of {event.completed}" if event.completed else "the completion"
    if event.verified:
        withdrawn += f", verified {event.verified}" + (f" by {event.verified_by}" if event.verified_by else "")
    return f"{event.on}: {event.reason} (withdrew {withdrawn})"


def detail_fields(standing: Standing) -> list[Field]:
    """What each report format says under a milestone, in this order, empty values left out.

    The state computed from the dates and the status the plan records side by
    side; who verified and when; each reopening (when, why, what it withdrew)
    whatever the report's window; evidence; the latest note.
    """
    m = standing.milestone
    fields = [
        Field("Leads", lead_names(standing)),
        Field("Due", due_words(standing)),
        Field("State", state_words(standing), "state"),
        Field("Status", status_words(standing)),
    ]
    if standing.completed:
        fields.append(Field("Completed", day(standing.completed)))
    if standing.verified:
        fields.append(
            Field("Verified", f"{standing.verified}" + (f" by {standing.verified_by}" if standing.verified_by else ""))
        )
    fields += [
        Field("Reopened", reopening_words(event))
        for event in m.history
        if event.kind == "reopened" and event.on <= standing.as_of
    ]
    fields += [Field("Evidence", link, "link") for link in m.evidence]
    note = standing.latest_note
    if note:
        fields.append(Field("Latest note", f"{note.on}: {one_line(note.text)}"))
    return [field for field in fields if field.value]


def milestone_table(rows: Iterable[Standing]) -> Table:
    """One row per milestone: the table `export --format markdown|html` writes."""
    cells = tuple(
        (
            ref(s.milestone),
            s.milestone.kind,
            s.milestone.recommendation,
            one_line(s.milestone.text),
            day(s.due),
            day(s.original_due),
            s.state,
            str(s.days_overdue),
            lead_names(s),
            day(s.completed),
            " ".join(s.milestone.evidence),
        )
        for s in rows
    )
    headers = (
        "ID",
        "Kind",
        "Rec",
        "Milestone",
        "Due",
        "Original due",
        "State",
        "Days overdue",
        "Leads",
        "Completed",
        "Evidence",
    )
    return Table(headers, cells, state_column=6, numeric=frozenset({7}))


def is_web_link(text: str) -> bool:
    """Only http and https evidence becomes a link; anything else stays text."""
    lowered = text.strip().lower()
    return lowered.startswith(("http://", "https://")) and not any(c.isspace() or ord(c) < 32 for c in text.strip())
