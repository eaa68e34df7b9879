"""Pure questions asked of a plan on a given day: what is done, late, due soon.

Every function takes `as_of` and reads nothing else from the world. Each
milestone is seen through `history.milestone_as_of`, so a question about
2021-01-31 sees the plan as it stood that day: a completion recorded for
2021-03-01 had not happened yet, a due date revised on 2021-02-15 was still
the original one, and evidence and notes added later are not there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from datetime import date, timedelta
from typing import NamedTuple

from .history import milestone_as_of
from .model import Event, Milestone, Person, Plan

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
        if not self.revisions:
            return self.due
        first = self.revisions[0].from_due
        assert first is not None, "a validated revision says the date it moved from"
        return first

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
    """The filters every listing shares: `--lead`, `--org`, `--rec`, `--state`.

    Each holds the values as they were given, in the order given, so that a
    message about them names the first one the plan lacks; an organization
    matches whatever its case.
    """

    leads: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    states: tuple[str, ...] = ()

    def admit(self, standing: Standing) -> bool:
        milestone = standing.milestone
        if self.leads and not any(key in self.leads for key in milestone.leads):
            return False
        if self.orgs:
            wanted = {org.casefold() for org in self.orgs}
            if not any(person.org.casefold() in wanted for person in standing.leads):
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


def stand(plan: Plan, milestone: Milestone, as_of: date, window: timedelta = DEFAULT_WINDOW) -> Standing:
    """Where one milestone stands on `as_of`, from its history as it stood that day."""
    milestone = milestone_as_of(milestone, as_of)
    return _standing(plan, milestone, as_of, state_on(milestone, as_of, window))


def state_on(milestone: Milestone, as_of: date, window: timedelta = DEFAULT_WINDOW) -> str:
    """The state of a milestone whose history ends by `as_of` (`milestone_as_of`): one of STATES."""
    due = milestone.due
    assert due is not None, "validated milestones have a due date"
    completed = milestone.completed
    if completed:
        in_force = due_on(milestone, completed) or due
        return "complete" if completed <= in_force else "complete-late"
    if milestone.status == "retired":
        return "retired"
    if due < as_of:
        return "overdue"
    if due - as_of <= window:
        return "due-soon"
    return "open"


def _standing(plan: Plan, milestone: Milestone, as_of: date, state: str) -> Standing:
    due = milestone.due
    assert due is not None, "validated milestones have a due date"
    return Standing(
        milestone=milestone,
        as_of=as_of,
        state=state,
        due=due,
        status=milestone.status,
        completed=milestone.completed,
        verified=milestone.verified,
        revisions=milestone.revisions,
        notes=milestone.notes,
        leads=tuple(plan.people[key] for key in milestone.leads if key in plan.people),
        started=milestone.started,
        verified_by=milestone.verified_by,
    )


def standings(
    plan: Plan,
    as_of: date,
    *,
    window: timedelta = DEFAULT_WINDOW,
    filters: Filters = NO_FILTERS,
    states: Collection[str] = STATES,
) -> list[Standing]:
    """Every milestone on `as_of` in one of `states`, in plan order, filtered.

    A milestone in another state is left out before its standing is built:
    `overdue` on a portfolio of thousands of milestones builds only the few
    it lists.
    """
    result = []
    for milestone in plan.milestones():
        milestone = milestone_as_of(milestone, as_of)
        state = state_on(milestone, as_of, window)
        if state in states and filters.admit(standing := _standing(plan, milestone, as_of, state)):
            result.append(standing)
    return result


def overdue(plan: Plan, as_of: date, *, filters: Filters = NO_FILTERS) -> list[Standing]:
    """Past due and not complete on `as_of`, most overdue first (ties in plan order)."""
    return sorted(standings(plan, as_of, filters=filters, states=("overdue",)), key=lambda s: s.due)


def upcoming(
    plan: Plan, as_of: date, within: timedelta = DEFAULT_WINDOW, *, filters: Filters = NO_FILTERS
) -> list[Standing]:
    """Not complete and due from `as_of` to `as_of + within`, soonest first."""
    # "due-soon" with `within` as the window is exactly this: pending, due from `as_of` to `as_of + within`
    return sorted(standings(plan, as_of, window=within, filters=filters, states=("due-soon",)), key=lambda s: s.due)


def count_states(items: Iterable[Standing]) -> Counter[str]:
    """How many milestones are in each state; every state present, zeros included."""
    counts: Counter[str] = Counter(dict.fromkeys(STATES, 0))
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
