"""Questions asked of a whole portfolio: one row per audit, the Treasury Board's KCA table, ageing, each lead's due.

Pure functions of `(portfolio members, as_of)`, on the standings `query`
computes for each plan as of that day; words and layout are rendering's.

The rules, stated once (the README repeats them):

- **% implemented** of an audit: its milestones that still apply (not
  retired) that are complete on `as_of`, out of all that still apply; the
  same rule as `oagtrack report`. None (printed `-`) when none applies.
- **Original planned MAP completion date**: the latest *original* due date
  of the audit's milestones, before any revision; a revised date never
  counts. **Current planned completion**: the latest due date in force on
  `as_of` among the milestones that still apply.
- **Ageing**: an overdue milestone's days past its due date in force on
  `as_of`, in the buckets of `AGEING_BUCKETS` (both limits inclusive).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from .dates import fiscal_quarter_of
from .model import Event, Plan
from .query import DEFAULT_WINDOW, NO_FILTERS, Filters, Standing, standings

#: Overdue days, inclusive limits; the last bucket has no upper limit.
AGEING_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 90), (91, 180), (181, 365), (366, 1095), (1096, None))


class AuditRow(NamedTuple):
    """One audit as the portfolio's `status` shows it."""

    audit_id: str
    title: str
    kind: str
    total: int
    done: int
    overdue: int
    due_soon: int
    percent_implemented: float | None
    original_completion: date | None
    current_completion: date | None


class KcaRow(NamedTuple):
    """One engagement of the Treasury Board's Key Compliance Attributes table for internal audit."""

    title: str
    audit_status: str
    report_approved: date | None
    report_published: date | None
    original_completion: date | None
    percent_implemented: float | None


def percent_implemented(items: Sequence[Standing]) -> float | None:
    """Complete out of those that still apply, in percent; None when none applies."""
    applicable = [s for s in items if s.state != "retired"]
    if not applicable:
        return None
    return 100.0 * sum(1 for s in applicable if s.is_done) / len(applicable)


def original_completion(items: Iterable[Standing]) -> date | None:
    """The latest original due date (before any revision) of the milestones."""
    return max((s.original_due for s in items), default=None)


def current_completion(items: Iterable[Standing]) -> date | None:
    """The latest due date in force among the milestones that still apply."""
    return max((s.due for s in items if s.state != "retired"), default=None)


def audit_row(plan: Plan, as_of: date, window: timedelta = DEFAULT_WINDOW, filters: Filters = NO_FILTERS) -> AuditRow:
    """One audit's counts, % implemented and planned completion, over the milestones `filters` admits."""
    return audit_row_of(plan, standings(plan, as_of, window=window, filters=_local(filters, plan.audit.id)))


def stood(plans: Iterable[Plan], as_of: date) -> list[tuple[Plan, list[Standing]]]:
    """Each plan with its standings as of `as_of`, computed once for every table that reads them."""
    return [(plan, standings(plan, as_of)) for plan in plans]


def audit_row_of(plan: Plan, items: Sequence[Standing]) -> AuditRow:
    """`audit_row` from standings already computed."""
    return AuditRow(
        audit_id=plan.audit.id,
        title=plan.audit.title,
        kind=plan.audit.kind,
        total=len(items),
        done=sum(1 for s in items if s.is_done),
        overdue=sum(1 for s in items if s.state == "overdue"),
        due_soon=sum(1 for s in items if s.state == "due-soon"),
        percent_implemented=percent_implemented(items),
        original_completion=original_completion(items),
        current_completion=current_completion(items),
    )


def kca_rows(plans: Iterable[Plan], as_of: date) -> list[KcaRow]:
    """The KCA table's rows: the internal audits only, in the order given."""
    rows: list[KcaRow] = []
    for plan in plans:
        if plan.audit.kind != "internal":
            continue
        items = standings(plan, as_of)
        rows.append(
            KcaRow(
                title=plan.audit.title,
                audit_status=plan.audit.status,
                report_approved=plan.audit.report_approved,
                report_published=plan.audit.report_published,
                original_completion=original_completion(items),
                percent_implemented=percent_implemented(items),
            )
        )
    return rows


def ageing_bucket(days_overdue: int) -> int:
    """The index in `AGEING_BUCKETS` of a milestone `days_overdue` days late (at least 1)."""
    for index, (low, high) in enumerate(AGEING_BUCKETS):
        if days_overdue >= low and (high is None or days_overdue <= high):
            return index
    raise ValueError(f"not overdue: {days_overdue} days")


def ageing(items: Iterable[Standing]) -> list[int]:
    """How many overdue milestones fall in each bucket of `AGEING_BUCKETS`."""
    counts = [0] * len(AGEING_BUCKETS)
    for standing in items:
        if standing.state == "overdue":
            counts[ageing_bucket(standing.days_overdue)] += 1
    return counts


def reason_for_delay(standing: Standing) -> Event | None:
    """Why an item is late, as the plan records it: the latest revision or note on or before `as_of`."""
    said = [event for event in (*standing.revisions, *standing.notes) if event.on <= standing.as_of]
    return max(said, key=lambda event: event.on) if said else None


class Owed(NamedTuple):
    """What one lead owes across the portfolio: overdue, and due within the window."""

    lead: str
    overdue: tuple[tuple[str, Standing], ...]  # (audit id, standing)
    due_soon: tuple[tuple[str, Standing], ...]


def owed_by_lead(plans: Iterable[Plan], as_of: date, within: timedelta) -> list[Owed]:
    """Each lead with something overdue or due within `within`, by key, with the audit of each item."""
    overdue: dict[str, list[tuple[str, Standing]]] = {}
    soon: dict[str, list[tuple[str, Standing]]] = {}
    for plan in plans:
        for standing in standings(plan, as_of, window=within):
            if standing.state not in ("overdue", "due-soon"):
                continue
            target = overdue if standing.state == "overdue" else soon
            for lead in standing.milestone.leads:
                target.setdefault(lead, []).append((plan.audit.id, standing))
    leads = sorted(set(overdue) | set(soon))
    return [Owed(lead, tuple(overdue.get(lead, ())), tuple(soon.get(lead, ()))) for lead in leads]


def quarter_start(day: date) -> date:
    """The first day of the federal fiscal quarter holding `day` (quarters start in April, July, October, January)."""
    return fiscal_quarter_of(day).start


class Recorded(NamedTuple):
    """A history entry of one audit's milestone, for the committee's lists of the period."""

    audit_id: str
    standing: Standing
    event: Event


def recorded_in(
    audits: Iterable[tuple[Plan, Sequence[Standing]]], as_of: date, since: date, kind: str
) -> list[Recorded]:
    """Every entry of `kind` (revised: extensions; retired) dated from `since` to `as_of`, by date then audit."""
    found: list[Recorded] = []
    for plan, items in audits:
        for standing in items:
            for event in standing.milestone.history:
                if event.kind == kind and since <= event.on <= as_of:
                    found.append(Recorded(plan.audit.id, standing, event))
    return sorted(found, key=lambda r: (r.event.on, r.audit_id))


def past_due(audits: Iterable[tuple[Plan, Sequence[Standing]]]) -> list[tuple[str, Standing, Event | None]]:
    """Every overdue milestone with its reason for delay (or None), the longest overdue first."""
    overdue = [(plan.audit.id, s, reason_for_delay(s)) for plan, items in audits for s in items if s.state == "overdue"]
    return sorted(overdue, key=lambda row: (-row[1].days_overdue, row[0], row[1].id))


def _local(filters: Filters, audit_id: str) -> Filters:
    """Filters naming recommendations by qualified id (`audit:1`), for one plan whose ids are not qualified."""
    if not filters.recommendations:
        return filters
    prefix = f"{audit_id}:"
    mine = tuple(rec[len(prefix) :] for rec in filters.recommendations if rec.startswith(prefix))
    return filters._replace(recommendations=mine or ("",))
