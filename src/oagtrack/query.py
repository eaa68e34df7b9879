"""Pure questions asked of a plan on a given day: what is done, late, due soon.

Every function takes `as_of` and reads nothing else from the world. The plan's
dated history is replayed, so a question about 2021-01-31 sees the plan as it
stood that day: a completion recorded for 2021-03-01 had not happened yet, and
a due date revised on 2021-02-15 was still the original one.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Iterable, Iterator, NamedTuple

from .model import DONE_STATUSES, Event, Milestone, Person, Plan

#: Each milestone is in exactly one of these states on a given day. A retired
#: milestone no longer applies: it is never overdue or due.
STATES = ("complete", "complete-late", "overdue", "due-soon", "open", "retired")
DONE_STATES = frozenset({"complete", "complete-late"})
DEFAULT_WINDOW = timedelta(days=30)


class Standing(NamedTuple):
    """A milestone as it stood on `as_of`, with everything a view needs."""

    milestone: Milestone
    as_of: date
    state: str
    due: date
    status: str
    completed: date | None
    verified: date | None
    revisions: tuple[Event, ...]
    notes: tuple[Event, ...]
    leads: tuple[Person, ...] = ()
    started: date | None = None  # the first start, if it had happened by `as_of`
    verified_by: str = ""  # who verified the completion in force, if verified by `as_of`

    @property
    def id(self) -> str:
        return self.milestone.id

    @property
    def original_due(self) -> date:
        return self.revisions[0].from_due if self.revisions else self.due

    @property
    def slip_days(self) -> int:
        """Days the due date has moved from the original commitment."""
        return (self.due - self.original_due).days

    @property
    def days_overdue(self) -> int:
        return (self.as_of - self.due).days if self.state == "overdue" else 0

    @property
    def days_left(self) -> int:
        return (self.due - self.as_of).days

    @property
    def days_late(self) -> int:
        """For a completion, days after the due date it happened (0 if on time)."""
        return max(0, (self.completed - self.due).days) if self.completed else 0

    @property
    def is_done(self) -> bool:
        return self.state in DONE_STATES

    @property
    def is_pending(self) -> bool:
        """Still to be done: neither complete nor retired."""
        return not self.is_done and self.state != "retired"

    @property
    def latest_note(self) -> Event | None:
        return self.notes[-1] if self.notes else None


class Filters(NamedTuple):
    """The filters every listing shares: `--lead`, `--org`, `--rec`, `--state`."""

    leads: frozenset[str] = frozenset()
    orgs: frozenset[str] = frozenset()
    recommendations: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()

    def admit(self, standing: Standing) -> bool:
        milestone = standing.milestone
        if self.leads and not self.leads & set(milestone.leads):
            return False
        if self.orgs and not self.orgs & {person.org.casefold() for person in standing.leads}:
            return False
        if self.recommendations and milestone.recommendation not in self.recommendations:
            return False
        return not self.states or standing.state in self.states


NO_FILTERS = Filters()


def due_on(milestone: Milestone, day: date) -> date | None:
    """The due date in force on `day`: the original, moved by each revision made by then."""
    due = milestone.original_due
    for event in milestone.history:
        if event.kind == "revised" and event.on <= day and event.to_due:
            due = event.to_due
    return due


def completed_on(milestone: Milestone, day: date) -> date | None:
    """The completion in force on `day`, allowing for completions later withdrawn."""
    if milestone.status in DONE_STATUSES and milestone.completed and milestone.completed <= day:
        return milestone.completed
    for event in milestone.history:
        if event.kind == "reopened" and event.completed and event.completed <= day < event.on:
            return event.completed
    return None


def verified_on(milestone: Milestone, day: date) -> tuple[date | None, str]:
    """The verification (date, by whom) of the completion in force on `day`, if made by then."""
    completed = completed_on(milestone, day)
    if not completed:
        return None, ""
    if milestone.status in DONE_STATUSES and completed == milestone.completed:
        if milestone.verified and milestone.verified <= day:
            return milestone.verified, milestone.verified_by
        return None, ""
    for event in milestone.history:
        if event.kind == "reopened" and event.completed == completed and event.completed <= day < event.on:
            if event.verified and event.verified <= day:
                return event.verified, event.verified_by
            return None, ""
    return None, ""


def started_on(milestone: Milestone, day: date) -> date | None:
    """The first start, if it had happened by `day`."""
    return milestone.started if milestone.started and milestone.started <= day else None


def retired_on(milestone: Milestone, day: date) -> date | None:
    """The day it was retired, if that was by `day`."""
    retired = milestone.retired_on
    return retired if retired and retired <= day else None


def status_on(milestone: Milestone, day: date) -> str:
    """The lifecycle status on `day`, replayed from the recorded dates.

    A completion in force (and its verification) wins; otherwise the last
    reopened or restarted entry made by `day` decides (history is oldest first,
    so a restart on the day of the reopening comes after it); otherwise the
    first start.
    """
    if completed_on(milestone, day):
        return "verified" if verified_on(milestone, day)[0] else "complete"
    if retired_on(milestone, day):
        return "retired"
    turn = ""
    for event in milestone.history:
        if event.kind in ("reopened", "restarted") and event.on <= day:
            turn = event.kind
    if turn:
        return "reopened" if turn == "reopened" else "in-progress"
    if started_on(milestone, day):
        return "in-progress"
    if milestone.status == "in-progress" and not milestone.started:
        return "in-progress"  # no start date recorded: the best we know
    return "not-started"


def stand(plan: Plan, milestone: Milestone, as_of: date, window: timedelta = DEFAULT_WINDOW) -> Standing:
    """Where one milestone stands on `as_of`."""
    due = due_on(milestone, as_of)
    assert due is not None, "validated milestones have a due date"
    completed = completed_on(milestone, as_of)
    if completed:
        in_force = due_on(milestone, completed) or due
        state = "complete" if completed <= in_force else "complete-late"
    elif retired_on(milestone, as_of):
        state = "retired"
    elif due < as_of:
        state = "overdue"
    elif due - as_of <= window:
        state = "due-soon"
    else:
        state = "open"
    status = status_on(milestone, as_of)
    verified, verified_by = verified_on(milestone, as_of)
    return Standing(
        milestone=milestone,
        as_of=as_of,
        state=state,
        due=due,
        status=status,
        completed=completed,
        verified=verified,
        revisions=tuple(e for e in milestone.history if e.kind == "revised" and e.on <= as_of),
        notes=tuple(e for e in milestone.history if e.kind == "note" and e.on <= as_of),
        leads=tuple(plan.people[key] for key in milestone.leads if key in plan.people),
        started=started_on(milestone, as_of),
        verified_by=verified_by,
    )


def standings(plan: Plan, as_of: date, *, window: timedelta = DEFAULT_WINDOW, filters: Filters = NO_FILTERS) -> list[Standing]:
    """Every milestone on `as_of`, in plan order, filtered."""
    result = []
    for milestone in plan.milestones():
        standing = stand(plan, milestone, as_of, window)
        if filters.admit(standing):
            result.append(standing)
    return result


def overdue(plan: Plan, as_of: date, *, filters: Filters = NO_FILTERS) -> list[Standing]:
    """Past due and not complete on `as_of`, most overdue first (ties in plan order)."""
    late = [s for s in standings(plan, as_of, filters=filters) if s.state == "overdue"]
    return sorted(late, key=lambda s: s.due)


def upcoming(plan: Plan, as_of: date, within: timedelta = DEFAULT_WINDOW, *, filters: Filters = NO_FILTERS) -> list[Standing]:
    """Not complete and due from `as_of` to `as_of + within`, soonest first."""
    horizon = as_of + within
    due_next = [s for s in standings(plan, as_of, window=within, filters=filters) if s.is_pending and as_of <= s.due <= horizon]
    return sorted(due_next, key=lambda s: s.due)


def count_states(items: Iterable[Standing]) -> Counter[str]:
    """How many milestones are in each state; every state present, zeros included."""
    counts: Counter[str] = Counter({state: 0 for state in STATES})
    counts.update(s.state for s in items)
    return counts


def by_recommendation(items: Iterable[Standing]) -> dict[str, Counter[str]]:
    groups: dict[str, list[Standing]] = {}
    for standing in items:
        groups.setdefault(standing.milestone.recommendation, []).append(standing)
    return {rec: count_states(group) for rec, group in groups.items()}


def by_lead(items: Iterable[Standing]) -> dict[str, Counter[str]]:
    """Per lead key; a milestone with two leads counts for each."""
    groups: dict[str, list[Standing]] = {}
    for standing in items:
        for key in standing.milestone.leads:
            groups.setdefault(key, []).append(standing)
    return {key: count_states(group) for key, group in sorted(groups.items())}


def group_by_recommendation(items: Iterable[Standing]) -> Iterator[tuple[str, list[Standing]]]:
    groups: dict[str, list[Standing]] = {}
    for standing in items:
        groups.setdefault(standing.milestone.recommendation, []).append(standing)
    yield from groups.items()
