"""The report's tables and sentences as plain strings, shared by every report format.

Terminal, Markdown and HTML show the same rows with the same words; each
format only escapes and decorates them. Cells hold raw plan text: escaping
belongs to the renderer that knows its output (Rich Text, `|`, `&lt;`).

The words are in the reader's language (`language._`), looked up as each
table is built; so are the state, status and kind words a cell shows
(`phrases.state_word`, `change_word`...), which JSON never uses: it keeps
the plan's own words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from ..core.metrics import Activity, Group, RecommendationProgress, Report, Slippage, Stale, Summary
from ..core.model import Event, Milestone, Plan
from ..core.plan_terms import one_line
from ..core.query import Standing
from . import language
from .language import _, n_
from .phrases import countdown, days_signed, lead_names, state_word, status_word, times


class Table(NamedTuple):
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


# -- the plan's own words, for readers ------------------------------------------------
def kind_in_table(kind: str) -> str:
    """A milestone's kind (`model.MILESTONE_KINDS`) as a table cell shows it: `outcome`, `résultat attendu`."""
    match kind:
        case "action":
            return _("action")
        case "step":
            return _("step")
        case "outcome":
            return _("outcome")
    return kind


def change_word(kind: str) -> str:
    """What happened (`metrics.CHANGE_KINDS`) as a reader reads it: `revised`, `révisé`."""
    match kind:
        case "completed":
            return _("completed")
        case "verified":
            return _("verified")
        case "started":
            return _("started")
        case "revised":
            return _("revised")
        case "noted":
            return _("noted")
        case "reopened":
            return _("reopened")
        case "retired":
            return _("retired")
    return kind


def recommendation_status_word(status: str) -> str:
    """A recommendation's status (`metrics.RECOMMENDATION_STATUSES`) as a reader reads it."""
    match status:
        case "implemented":
            return _("implemented")
        case "in progress":
            return _("in progress")
        case "not started":
            return _("not started")
        case "retired":
            return _("retired")
    return status


def days_word(count: int) -> str:
    """`1 day`, `90 days`."""
    return n_("{count} day", "{count} days", count).format(count=count)


# -- ids -----------------------------------------------------------------------------
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
    return item_id if not label or label == item_id else _("{id} [printed {label}]").format(id=item_id, label=label)


def printed_ref(actions: Mapping[str, Milestone], milestone: Milestone) -> str:
    """The id with the number as printed in the MAP (`2.2.a [printed 2.2 a.]`), for calendars."""
    return with_printed(milestone.id, printed(actions, milestone))


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def percent(value: float | None) -> str:
    """`29%`, `29 %` in French; `-` for none."""
    return "-" if value is None else language.percent(value)


def leads_with_org(standing: Standing) -> str:
    """`CBSA, Scott Harris`: organizations, then names, as a calendar summary shows them."""
    orgs = list(dict.fromkeys(person.org for person in standing.leads if person.org))
    return ", ".join(orgs + [person.full_name for person in standing.leads])


def as_of(day: date) -> str:
    """`As of 2021-01-31`: the day a report or an export stands at."""
    return _("As of {date}").format(date=day)


def title(report: Report) -> str:
    return _("Progress report: {title}").format(title=report.plan.audit.title)


def subtitle(report: Report) -> str:
    days = report.stale_after.days
    parts = [
        as_of(report.as_of),
        _("changes since {date}").format(date=report.since),
        n_("stale after {count} day", "stale after {count} days", days).format(count=days),
    ]
    if report.filtered:
        parts.append(_("filtered"))
    return " · ".join(parts)


def headline(report: Report) -> str:
    """`8 milestones: 25% implemented (2 complete, 1 of which verified, 1 overdue, 3 due in the next 90 days, ...)`."""
    s = report.summary
    complete = n_("{count} complete", "{count} complete", s.complete).format(count=s.complete)
    if s.verified:
        complete += n_(", {count} of which verified", ", {count} of which verified", s.verified).format(
            count=s.verified
        )
    later = n_("{count} later", "{count} later", s.not_yet_due).format(count=s.not_yet_due)
    if s.retired:
        later += n_(", {count} retired and not counted", ", {count} retired and not counted", s.retired).format(
            count=s.retired
        )
    parts = (
        complete,
        n_("{count} overdue", "{count} overdue", s.overdue).format(count=s.overdue),
        n_("{count} due in the next {days} days", "{count} due in the next {days} days", s.due_soon).format(
            count=s.due_soon, days=report.horizon.days
        ),
        later,
    )
    return _("{milestones}: {percent} implemented ({parts})").format(
        milestones=n_("{count} milestone", "{count} milestones", s.total).format(count=s.total),
        percent=percent(s.percent_implemented),
        parts=", ".join(parts),
    )


def completion_sentence(report: Report) -> str:
    if report.original_completion is None:
        return _("No milestones.")
    if report.current_completion is None:
        return _("Every milestone is retired; the plan was to be complete by {date}.").format(
            date=report.original_completion
        )
    moved = (report.current_completion - report.original_completion).days
    # A retired milestone counts for the original date but not the current one.
    retired = " " + _("Retired milestones no longer count towards it.") if report.summary.retired else ""
    if not moved:
        return (
            _("Planned completion of the whole plan: {date} (unchanged from the original plan).").format(
                date=report.current_completion
            )
            + retired
        )
    return (
        _("Planned completion of the whole plan: {date}, originally {original} ({days}).").format(
            date=report.current_completion, original=report.original_completion, days=days_signed(moved)
        )
        + retired
    )


def slippage_sentence(s: Slippage) -> str:
    if s.on_time_rate is None:
        rate = _("no milestone has fallen due yet")
    else:
        rate = n_(
            "{count} of {measured} met their original date ({percent})",
            "{count} of {measured} met their original date ({percent})",
            s.on_time,
        ).format(count=s.on_time, measured=s.measured, percent=percent(s.on_time_rate))
    return _("{revised} of {milestones} revised ({revisions}, {slipped}, at most {max}); {rate}.").format(
        revised=s.revised,
        milestones=n_("{count} milestone", "{count} milestones", s.milestones).format(count=s.milestones),
        revisions=n_("{count} revision", "{count} revisions", s.revisions).format(count=s.revisions),
        slipped=n_("{days} days in all", "{days} days in all", abs(s.days_slipped)).format(days=f"{s.days_slipped:+d}"),
        max=f"{s.max_slip:+d}",
        rate=rate,
    )


def summary_parts(horizon_days: int) -> tuple[str, ...]:
    """The parts of a summary row, which add up to its Total: done on time, done late, overdue, due soon, later."""
    return (
        _("Done on time"),
        _("Done late"),
        _("Overdue"),
        _("Due ≤{days}d").format(days=horizon_days),
        _("Later"),
    )


def verified_header() -> str:
    """Verified, a part of the done, as the header says."""
    return _("Verified (of done)")


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
    parts = summary_parts(report.horizon.days) + ((_("Retired"),) if with_retired else ())
    headers = (first, _("Total")) + parts + (verified_header(), _("% done"))
    if groups is None:
        rows = [(_("All milestones"),) + _summary_cells(report.summary, with_retired)]
    else:
        rows = [(group_name(group),) + _summary_cells(group.summary, with_retired) for group in groups]
    return Table(headers, tuple(rows), numeric=frozenset(range(1, len(headers))))


def group_name(group: Group) -> str:
    """A row's group: an organization or a lead, or what the core calls milestones with neither, in words."""
    match group.name:
        case "(no organization)":
            return _("(no organization)")
        case "(no lead)":
            return _("(no lead)")
    return group.name


def recommendation_status(progress: RecommendationProgress) -> str:
    """`in progress, 2 of 5 milestones done`, `implemented, 4 of 4 milestones done (1 retired)`."""
    return f"{recommendation_status_word(progress.status)}, {milestones_done(progress)}"


def milestones_done(progress: RecommendationProgress) -> str:
    """`2 of 5 milestones done`, with the retired ones (which no longer count) named when there are some."""
    done = n_("{done} of {milestones} done", "{done} of {milestones} done", progress.done).format(
        done=progress.done,
        milestones=n_("{count} milestone", "{count} milestones", progress.applicable).format(count=progress.applicable),
    )
    if progress.retired:
        done += n_(" ({count} retired)", " ({count} retired)", progress.retired).format(count=progress.retired)
    return done


def recommendation_table(items: Iterable[RecommendationProgress]) -> Table:
    """One row per recommendation: its status, the count of its milestones done, how many are overdue, its text."""
    rows = tuple(
        (
            p.recommendation.id,
            recommendation_status_word(p.status),
            _("{done} of {total}").format(done=p.done, total=p.applicable),
            str(p.overdue),
            one_line(p.recommendation.text),
        )
        for p in items
    )
    return Table(
        (_("Recommendation"), _("Status"), _("Milestones done"), _("Overdue"), _("Text")),
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
        (first, _("Total"), _("Revised"), _("Revisions"), _("Days slipped"), _("Max slip"), _("Met original date")),
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
            state_word(st.standing.state),
            last_activity(st),
        )
        for st in items
    )
    headers = (_("ID"), _("Milestone"), _("Leads"), _("Due"), _("State"), _("Last activity"))
    return Table(headers, rows, state_column=4, one_line=frozenset({1}))


def last_activity(item: Stale) -> str:
    if item.last_activity is None:
        return _("none recorded")
    return _("{what} {date} ({days} ago)").format(
        what=change_word(item.last_kind), date=item.last_activity, days=days_word(item.days_quiet or 0)
    )


def change_detail(change: Activity) -> str:
    """What happened, in words: the dates moved and why, the note, the reason."""
    if change.kind == "revised":
        moved = (change.to_due - change.from_due).days if change.to_due and change.from_due else 0
        text = _("due {from_due} → {to_due} ({days}): {reason}").format(
            from_due=day(change.from_due), to_due=day(change.to_due), days=days_signed(moved), reason=change.reason
        )
        return text + (" " + _("(approved by {name})").format(name=change.approved_by) if change.approved_by else "")
    if change.kind == "noted":
        return change.text
    if change.kind == "reopened":
        return _("completion withdrawn: {reason}").format(reason=change.reason)
    if change.kind == "retired":
        return _("no longer applies: {reason}").format(reason=change.reason)
    if change.kind == "completed":
        s = change.standing
        late = (change.on - s.due).days
        if late <= 0:
            text = _("on time")
        else:
            text = n_("{count} day after the due date", "{count} days after the due date", late).format(count=late)
        return text + (" " + _("(later withdrawn)") if change.withdrawn else "")
    if change.kind == "verified":
        return _("by {name}").format(name=change.approved_by) if change.approved_by else ""
    return ""


def changes_table(items: Iterable[Activity]) -> Table:
    rows = tuple(
        (
            day(c.on),
            ref(c.standing.milestone),
            change_word(c.kind),
            one_line(c.standing.milestone.text),
            one_line(change_detail(c)),
        )
        for c in items
    )
    headers = (_("Date"), _("ID"), _("What"), _("Milestone"), _("Detail"))
    return Table(headers, rows, one_line=frozenset({3}), key_column=1)


def due_words(standing: Standing) -> str:
    """`2021-03-31 (originally 2020-10-31, +151 days, revised twice)` or the date alone."""
    text = day(standing.due)
    if standing.revisions:
        text += " " + _("(originally {date}, {days}, revised {times})").format(
            date=standing.original_due, days=days_signed(standing.slip_days), times=times(len(standing.revisions))
        )
    return text


def state_words(standing: Standing) -> str:
    """`overdue (62 days overdue)`, `complete (done 2020-09-15)`, `retired (since 2020-11-02): the reason`."""
    text = f"{state_word(standing.state)} ({countdown(standing)})"
    retirement = standing.milestone.retirement
    if standing.state == "retired" and retirement:
        text = _("{state}: {reason}").format(state=text, reason=retirement.reason)
    return text


def status_words(standing: Standing) -> str:
    """The status the plan records, beside the state computed from the dates.

    Such as `reopened (in progress again since 2021-01-05)`.
    """
    status = standing.status
    if status == "in-progress" and standing.started:
        return _("in-progress (started {date})").format(date=standing.started)
    if status == "reopened":
        reopened = [event.on for event in standing.milestone.history if event.kind == "reopened"]
        if reopened:
            return _("reopened (in progress again since {date})").format(date=reopened[-1])
        return _("reopened (in progress again)")
    return status_word(status)


def reopening_words(event: Event) -> str:
    """`2021-01-05: the reason (withdrew the completion of 2020-10-20, verified 2020-11-02 by IA)`."""
    withdrawn = _("the completion of {date}").format(date=event.completed) if event.completed else _("the completion")
    if event.verified and event.verified_by:
        withdrawn = _("{withdrawn}, verified {date} by {name}").format(
            withdrawn=withdrawn, date=event.verified, name=event.verified_by
        )
    elif event.verified:
        withdrawn = _("{withdrawn}, verified {date}").format(withdrawn=withdrawn, date=event.verified)
    return _("{date}: {reason} (withdrew {withdrawn})").format(date=event.on, reason=event.reason, withdrawn=withdrawn)


def detail_fields(standing: Standing) -> list[Field]:
    """What each report format says under a milestone, in this order, empty values left out.

    The state computed from the dates and the status the plan records side by
    side; who verified and when; each reopening (when, why, what it withdrew)
    whatever the report's window; evidence; the latest note.
    """
    m = standing.milestone
    fields = [
        Field(_("Leads"), lead_names(standing)),
        Field(_("Due"), due_words(standing)),
        Field(_("State"), state_words(standing), "state"),
        Field(_("Status"), status_words(standing)),
    ]
    if standing.completed:
        fields.append(Field(_("Completed"), day(standing.completed)))
    if standing.verified:
        verified = (
            _("{date} by {name}").format(date=standing.verified, name=standing.verified_by)
            if standing.verified_by
            else str(standing.verified)
        )
        fields.append(Field(_("Verified"), verified))
    fields += [
        Field(_("Reopened"), reopening_words(event))
        for event in m.history
        if event.kind == "reopened" and event.on <= standing.as_of
    ]
    fields += [Field(_("Evidence"), link, "link") for link in m.evidence]
    note = standing.latest_note
    if note:
        fields.append(Field(_("Latest note"), _("{date}: {text}").format(date=note.on, text=one_line(note.text))))
    return [field for field in fields if field.value]


def milestone_table(rows: Iterable[Standing]) -> Table:
    """One row per milestone: the table `export --format markdown|html` writes."""
    cells = tuple(
        (
            ref(s.milestone),
            kind_in_table(s.milestone.kind),
            s.milestone.recommendation,
            one_line(s.milestone.text),
            day(s.due),
            day(s.original_due),
            state_word(s.state),
            str(s.days_overdue),
            lead_names(s),
            day(s.completed),
            " ".join(s.milestone.evidence),
        )
        for s in rows
    )
    headers = (
        _("ID"),
        _("Kind"),
        _("Rec"),
        _("Milestone"),
        _("Due"),
        _("Original due"),
        _("State"),
        _("Days overdue"),
        _("Leads"),
        _("Completed"),
        _("Evidence"),
    )
    return Table(headers, cells, state_column=6, numeric=frozenset({7}))


def is_web_link(text: str) -> bool:
    """Only http and https evidence becomes a link; anything else stays text."""
    lowered = text.strip().lower()
    return lowered.startswith(("http://", "https://")) and not any(c.isspace() or ord(c) < 32 for c in text.strip())
