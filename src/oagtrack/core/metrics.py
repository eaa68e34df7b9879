"""Progress as an audit committee reads it: summary, slippage, stale items, changes.

Everything here is a pure function of a plan, the day asked about (`as_of`)
and a few windows, built on the standings `query.py` computes. The history
recorded in the plan is the only source of "what happened when": a report
for 2021-01-31 sees nothing recorded later, whatever the plan says today.
Renderers (terminal, Markdown, HTML) take a `Report` and decide nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from .dates import fiscal_quarter_of
from .model import Milestone, Person, Plan, Recommendation
from .query import NO_FILTERS, Filters, Standing, standings

#: Default windows of the report.
DEFAULT_STALE_AFTER = timedelta(days=90)
DEFAULT_HORIZON = timedelta(days=90)

#: Kinds of change listed by "changes since", in the order they are explained.
CHANGE_KINDS = ("completed", "verified", "started", "revised", "noted", "reopened", "retired")

#: Where a recommendation stands, the level the Public Accounts Committee and
#: the OAG's follow-up audits report at; "retired" when none of its
#: milestones still applies.
RECOMMENDATION_STATUSES = ("implemented", "in progress", "not started", "retired")


class Summary(NamedTuple):
    """How many milestones stand where; the five parts add up to `total`.

    `verified` counts within the complete ones; `due_soon` is not complete and
    due within the horizon from `as_of`; `not_yet_due` is due after it;
    `retired` no longer apply, and do not count towards the percentage.
    """

    total: int
    on_time: int
    late: int
    verified: int
    overdue: int
    due_soon: int
    not_yet_due: int
    retired: int = 0

    @property
    def complete(self) -> int:
        return self.on_time + self.late

    @property
    def applicable(self) -> int:
        """The milestones that still apply: all but the retired."""
        return self.total - self.retired

    @property
    def percent_implemented(self) -> float | None:
        """Complete out of those that still apply; None when every one is retired (0 for none at all)."""
        if self.applicable:
            return 100.0 * self.complete / self.applicable
        return None if self.retired else 0.0


class Group(NamedTuple):
    """A summary for one organization or one lead."""

    key: str
    name: str
    summary: Summary


class Slippage(NamedTuple):
    """How far dates moved, for a group of milestones.

    `on_time` counts milestones completed by their *original* date, out of
    `measured`: those complete, or whose original date has passed.
    """

    key: str
    name: str
    milestones: int
    revised: int  # milestones whose date moved at least once
    revisions: int  # revisions recorded, all milestones together
    days_slipped: int  # sum over milestones of current minus original date
    max_slip: int
    measured: int
    on_time: int

    @property
    def on_time_rate(self) -> float | None:
        return 100.0 * self.on_time / self.measured if self.measured else None


class Stale(NamedTuple):
    """An open milestone with no start, note, revision or reopening recently."""

    standing: Standing
    last_activity: date | None  # None: nothing ever recorded
    last_kind: str  # started, noted, revised, reopened, or "" when never

    @property
    def days_quiet(self) -> int | None:
        return (self.standing.as_of - self.last_activity).days if self.last_activity else None


class Activity(NamedTuple):
    """One dated thing the plan records as having happened in the window."""

    on: date
    kind: str  # one of CHANGE_KINDS
    standing: Standing
    from_due: date | None = None
    to_due: date | None = None
    reason: str = ""
    text: str = ""
    approved_by: str = ""
    withdrawn: bool = False  # a completion later withdrawn by a reopening (on or before as_of)


class ActionDetail(NamedTuple):
    """An action with its standing, or a group action with its steps' standings."""

    action: Milestone
    standing: Standing | None
    steps: tuple[Standing, ...] = ()


class RecommendationProgress(NamedTuple):
    """Where one recommendation stands on `as_of`, from the milestones the report admits.

    `implemented` when every milestone that still applies is complete (on
    time or late), `not started` when none is complete, started or reopened,
    `in progress` otherwise, and `retired` when none still applies.
    """

    recommendation: Recommendation
    status: str  # one of RECOMMENDATION_STATUSES
    done: int  # milestones complete on `as_of`
    applicable: int  # milestones that still apply: all but the retired
    retired: int
    overdue: int


class RecommendationDetail(NamedTuple):
    recommendation: Recommendation
    outcome: Standing | None
    actions: tuple[ActionDetail, ...]
    progress: RecommendationProgress | None = None


class Report(NamedTuple):
    """Everything a progress report shows, computed once."""

    plan: Plan
    as_of: date
    since: date
    stale_after: timedelta
    horizon: timedelta
    standings: tuple[Standing, ...]
    summary: Summary
    by_org: tuple[Group, ...]
    by_lead: tuple[Group, ...]
    slippage: Slippage
    slippage_by_recommendation: tuple[Slippage, ...]
    slippage_by_lead: tuple[Slippage, ...]
    original_completion: date | None
    current_completion: date | None
    stale: tuple[Stale, ...]
    changes: tuple[Activity, ...]
    details: tuple[RecommendationDetail, ...]
    filtered: bool
    #: One per recommendation with an admitted milestone, in plan order.
    recommendations: tuple[RecommendationProgress, ...] = ()


# -- summaries ------------------------------------------------------------
def summarize(items: Iterable[Standing], horizon: timedelta = DEFAULT_HORIZON) -> Summary:
    """Count complete (on time, late, verified), overdue, due within `horizon`, and later."""
    items = list(items)
    on_time = late = verified = overdue = due_soon = later = retired = 0
    for s in items:
        if s.state == "complete":
            on_time += 1
        elif s.state == "complete-late":
            late += 1
        elif s.state == "overdue":
            overdue += 1
        elif s.state == "retired":
            retired += 1
        elif s.due <= s.as_of + horizon:
            due_soon += 1
        else:
            later += 1
        if s.is_done and s.status == "verified":
            verified += 1
    return Summary(len(items), on_time, late, verified, overdue, due_soon, later, retired)


def percent_implemented(items: Iterable[Standing]) -> float | None:
    """Share of the milestones that still apply complete on `as_of`, in percent (0 for none)."""
    return summarize(items).percent_implemented


def by_org(items: Iterable[Standing], horizon: timedelta = DEFAULT_HORIZON) -> list[Group]:
    """Per organization of the leads; a joint milestone counts once for each organization."""
    groups: dict[str, list[Standing]] = {}
    for s in items:
        for org in dict.fromkeys(person.org or "(no organization)" for person in s.leads) or ("(no lead)",):
            groups.setdefault(org, []).append(s)
    return [Group(org, org, summarize(group, horizon)) for org, group in sorted(groups.items())]


def by_lead(plan: Plan, items: Iterable[Standing], horizon: timedelta = DEFAULT_HORIZON) -> list[Group]:
    """Per lead, in the order people are listed; a milestone with two leads counts for each."""
    groups = _by_lead_key(items)
    return [
        Group(key, _person_name(plan.people.get(key), key), summarize(groups[key], horizon))
        for key in _lead_order(plan, groups)
    ]


# -- slippage -------------------------------------------------------------
def slippage(key: str, name: str, items: Iterable[Standing]) -> Slippage:
    items = list(items)
    slips = [s.slip_days for s in items]
    measured = on_time = 0
    for s in items:
        if s.is_done or (s.is_pending and s.original_due <= s.as_of):
            measured += 1
            if s.completed and s.completed <= s.original_due:
                on_time += 1
    return Slippage(
        key=key,
        name=name,
        milestones=len(items),
        revised=sum(1 for s in items if s.revisions),
        revisions=sum(len(s.revisions) for s in items),
        days_slipped=sum(slips),
        max_slip=max(slips, default=0),
        measured=measured,
        on_time=on_time,
    )


def slippage_by_recommendation(items: Iterable[Standing]) -> list[Slippage]:
    groups: dict[str, list[Standing]] = {}
    for s in items:
        groups.setdefault(s.milestone.recommendation, []).append(s)
    return [slippage(rec, rec, group) for rec, group in groups.items()]


def slippage_by_lead(plan: Plan, items: Iterable[Standing]) -> list[Slippage]:
    groups = _by_lead_key(items)
    return [slippage(key, _person_name(plan.people.get(key), key), groups[key]) for key in _lead_order(plan, groups)]


def completion_dates(items: Iterable[Standing]) -> tuple[date | None, date | None]:
    """When the whole plan was first to be complete, and when it now is to be: the latest dates.

    Retired milestones count for the first (they were part of the commitment)
    but not for the second (nobody will complete them).
    """
    items = list(items)
    if not items:
        return None, None
    return max(s.original_due for s in items), max((s.due for s in items if s.state != "retired"), default=None)


# -- stale items ----------------------------------------------------------
def last_activity(standing: Standing) -> tuple[date | None, str]:
    """The latest start, note, revision or reopening recorded on or before `as_of`."""
    milestone = standing.milestone
    found: tuple[date | None, str] = (None, "")
    for event in milestone.history:
        if event.on <= standing.as_of and (found[0] is None or event.on >= found[0]):
            found = (event.on, {"note": "noted"}.get(event.kind, event.kind))
    return found


def stale(items: Iterable[Standing], stale_after: timedelta = DEFAULT_STALE_AFTER) -> list[Stale]:
    """Open milestones quiet for more than `stale_after` (or never touched), quietest first."""
    found = []
    for s in items:
        if not s.is_pending:
            continue
        day, kind = last_activity(s)
        if day is None or s.as_of - day > stale_after:
            found.append(Stale(s, day, kind))
    return sorted(found, key=lambda item: item.last_activity or date.min)


# -- changes since --------------------------------------------------------
def changes(items: Iterable[Standing], since: date) -> list[Activity]:
    """What the plan records as done from `since` to `as_of`, both included, oldest first.

    One change per history entry: each milestone is already cut at `as_of`
    (its standing's), so nothing recorded later shows, and a completion
    followed by a reopening reads as withdrawn.
    """
    found: list[Activity] = []
    for s in items:
        history = s.milestone.history
        for index, event in enumerate(history):
            if not since <= event.on <= s.as_of:
                continue
            kind = event.kind
            if kind == "completed":
                withdrawn = any(later.kind == "reopened" for later in history[index + 1 :])
                found.append(Activity(event.on, "completed", s, withdrawn=withdrawn))
            elif kind == "verified":
                found.append(Activity(event.on, "verified", s, approved_by=event.by))
            elif kind == "revised":
                found.append(
                    Activity(
                        event.on,
                        "revised",
                        s,
                        event.from_due,
                        event.to_due,
                        event.reason,
                        approved_by=event.approved_by,
                    )
                )
            elif kind == "note":
                found.append(Activity(event.on, "noted", s, text=event.text))
            else:  # started, reopened, retired
                found.append(Activity(event.on, kind, s, reason=event.reason))
    return sorted(found, key=lambda c: c.on)  # stable: plan order, then history order, within a day


def default_since(as_of: date) -> date:
    """The first day of the fiscal quarter that holds `as_of`."""
    return fiscal_quarter_of(as_of).start


# -- per recommendation ---------------------------------------------------
def recommendation_progress(recommendation: Recommendation, items: Iterable[Standing]) -> RecommendationProgress:
    """Implemented, in progress, not started (or retired), with the count of its milestones done."""
    items = list(items)
    retired = sum(1 for s in items if s.state == "retired")
    done = sum(1 for s in items if s.is_done)
    applicable = len(items) - retired
    overdue = sum(1 for s in items if s.state == "overdue")
    if not applicable:
        status = "retired"
    elif done == applicable:
        status = "implemented"
    elif done or any(s.status in ("in-progress", "reopened") for s in items):
        status = "in progress"
    else:
        status = "not started"
    return RecommendationProgress(recommendation, status, done, applicable, retired, overdue)


def recommendations(plan: Plan, items: Iterable[Standing]) -> list[RecommendationProgress]:
    """Each recommendation with at least one admitted milestone, in plan order."""
    groups: dict[str, list[Standing]] = {}
    for s in items:
        groups.setdefault(s.milestone.recommendation, []).append(s)
    return [recommendation_progress(rec, groups[rec.id]) for rec in plan.recommendations if rec.id in groups]


def details(plan: Plan, items: Iterable[Standing]) -> list[RecommendationDetail]:
    """Recommendations with at least one admitted milestone, each with its actions in plan order and its progress."""
    items = list(items)
    by_id = {s.milestone.id: s for s in items}
    progress = {p.recommendation.id: p for p in recommendations(plan, items)}
    found = []
    for rec in plan.recommendations:
        actions = []
        for action in rec.actions:
            if action.steps:
                steps = tuple(by_id[step.id] for step in action.steps if step.id in by_id)
                if steps:
                    actions.append(ActionDetail(action, None, steps))
            elif action.id in by_id:
                actions.append(ActionDetail(action, by_id[action.id]))
        outcome = by_id.get(rec.outcome.id)
        if actions or outcome:
            found.append(RecommendationDetail(rec, outcome, tuple(actions), progress.get(rec.id)))
    return found


# -- the whole report -----------------------------------------------------
def build(
    plan: Plan,
    as_of: date,
    *,
    since: date | None = None,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
    horizon: timedelta = DEFAULT_HORIZON,
    filters: Filters = NO_FILTERS,
) -> Report:
    """The progress report on `as_of`; `since` defaults to the start of the fiscal quarter."""
    since = default_since(as_of) if since is None else since
    rows = standings(plan, as_of, filters=filters)
    original, current = completion_dates(rows)
    per_recommendation = details(plan, rows)
    return Report(
        plan=plan,
        as_of=as_of,
        since=since,
        stale_after=stale_after,
        horizon=horizon,
        standings=tuple(rows),
        summary=summarize(rows, horizon),
        by_org=tuple(by_org(rows, horizon)),
        by_lead=tuple(by_lead(plan, rows, horizon)),
        slippage=slippage("all", "All milestones", rows),
        slippage_by_recommendation=tuple(slippage_by_recommendation(rows)),
        slippage_by_lead=tuple(slippage_by_lead(plan, rows)),
        original_completion=original,
        current_completion=current,
        stale=tuple(stale(rows, stale_after)),
        changes=tuple(changes(rows, since)),
        details=tuple(per_recommendation),
        filtered=filters != NO_FILTERS,
        recommendations=tuple(d.progress for d in per_recommendation if d.progress is not None),
    )


def _by_lead_key(items: Iterable[Standing]) -> dict[str, list[Standing]]:
    groups: dict[str, list[Standing]] = {}
    for s in items:
        for key in dict.fromkeys(s.milestone.leads):
            groups.setdefault(key, []).append(s)
    return groups


def _lead_order(plan: Plan, groups: dict[str, list[Standing]]) -> list[str]:
    known = [key for key in plan.people if key in groups]
    return known + sorted(key for key in groups if key not in plan.people)


def _person_name(person: Person | None, key: str) -> str:
    if person is None:
        return key
    return f"{person.full_name} ({person.org})" if person.org else person.full_name
