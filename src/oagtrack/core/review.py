"""The rules a reviewer relies on, checked between a base plan and a new one.

`validate` judges one version; these rules judge a change. The record of
what was promised and done is append-only: a past revision, completion or
note is never edited or removed, the original due date never moves, and no
recommendation, action, step or outcome is ever deleted (a milestone that no
longer applies stays, retired, with the reason in its history). What a new
entry must be (dated, in order, with evidence, following the lifecycle) is
`validate`'s to say, through `history.RULES`, for both versions alike.

Pure: two `Plan`s in, positioned `Problem`s out. Positions point into the
new version (via `Milestone.at` and `Event.at`), where the fix is made.
Values are named in plan terms by `core.plan_terms.plan_value`, as `diff`
names them, never by Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple, TypeAlias

from .history import KEY_OF, align, milestone_named
from .model import Event, Milestone, Plan, Position, Recommendation
from .plan_terms import NOTHING, plan_value
from .problems import Problem, Said, said

#: Event attribute -> the key it is written under in plan.yaml. What a
#: reopening withdrew is replayed, not written, so it is not compared: an edit
#: shows in the entry that was written.
_EVENT_KEYS = KEY_OF

RETIRE_HINT = said(
    "never delete an item: keep it, and retire each milestone that no longer applies, saying why"
    " (oagtrack retire ID --reason TEXT)"
)


class Finding(NamedTuple):
    """A broken rule: where to fix it in the new version, and what is wrong there."""

    at: Position
    message: str


#: A rule on one action, step or outcome present in both versions: (old, new) -> findings.
MilestoneRule: TypeAlias = Callable[[Milestone, Milestone], Iterator[Finding]]
#: A rule on the plan as a whole, for what no longer has a milestone to judge: (base, new) -> findings,
#: each with the id of the base item it is about ("" for a recommendation), which orders findings at one place.
PlanRule: TypeAlias = Callable[[Plan, Plan], Iterator[tuple[str, Finding]]]


def check_change(base: Plan, new: Plan, filename: str) -> list[Problem]:
    """Every rule broken by the change from `base` to `new`, in file order.

    `PLAN_CHANGE_RULES` run on the two plans, then `CHANGE_RULES` on each
    milestone kept, its messages headed with the milestone's kind and id.
    Problems at one place come as the base lists what they are about
    (deleted recommendations first), and in the order of the rules.
    """
    order = {item.id: index for index, item in enumerate(base.items())}
    found: list[tuple[int, Finding]] = []
    for plan_rule in PLAN_CHANGE_RULES:
        found += ((order.get(about, -1), finding) for about, finding in plan_rule(base, new))
    new_items = {item.id: item for item in new.items()}
    for item in base.items():
        after = new_items.get(item.id)
        if after is None:
            continue
        label = milestone_named(after)
        for rule in CHANGE_RULES:
            found += (
                (order[item.id], Finding(at, said("{what}: {message}", what=label, message=message)))
                for at, message in rule(item, after)
            )
    found.sort(key=lambda pair: (pair[1].at.line, pair[1].at.col, pair[0]))
    return [Problem(filename, finding.at.line, finding.at.col, finding.message) for _, finding in found]


# -- rules on the plan as a whole ------------------------------------------------
def recommendations_are_never_deleted(base: Plan, new: Plan) -> Iterator[tuple[str, Finding]]:
    """No recommendation is ever deleted."""
    new_recs = {rec.id: rec for rec in new.recommendations}
    for index, rec in enumerate(base.recommendations):
        if rec.id not in new_recs:
            at = _nearest_rec(base.recommendations[:index], new_recs) or _first(new)
            yield "", Finding(at, said("recommendation {id} was deleted; {hint}", id=rec.id, hint=RETIRE_HINT))


def items_are_never_deleted(base: Plan, new: Plan) -> Iterator[tuple[str, Finding]]:
    """No action, step or expected outcome of a recommendation still there is ever deleted: it is retired instead."""
    new_items = {item.id: item for item in new.items()}
    new_recs = {rec.id: rec for rec in new.recommendations}
    for item in base.items():
        if item.id not in new_items and item.recommendation in new_recs:
            at = _deleted_at(item, new_items, new_recs)
            yield item.id, Finding(at, _deleted(item))


# -- rules on each milestone kept ------------------------------------------------
def history_is_append_only(old: Milestone, new: Milestone) -> Iterator[Finding]:
    """A recorded history entry is never removed or edited, and new entries go after it."""
    # Every fact is an entry, so this one rule keeps every start, completion,
    # verification, reopening, revision and note as recorded.
    for difference in align(old.history, new.history):
        if difference.kind == "removed":
            yield Finding(
                _key_at(new, "history"),
                said("history entry {entry} was removed; history is append-only", entry=_describe(difference.old)),
            )
        elif difference.kind == "inserted":
            after = difference.new
            yield Finding(
                after.at,
                said(
                    "history entry {entry} was inserted among recorded entries; history is append-only:"
                    " new entries go at the end, dated on or after the last one",
                    entry=_describe(after),
                ),
            )
        elif difference.kind == "edited":
            event, after = difference.old, difference.new
            changed = [name for name in _EVENT_KEYS if getattr(event, name) != getattr(after, name)]
            key = _EVENT_KEYS[changed[0]]
            before_value, after_value = _shown(getattr(event, changed[0])), _shown(getattr(after, changed[0]))
            yield Finding(
                _key_at(after, key),
                said(
                    "history entry {entry} was edited ({key}: {before} -> {after});"
                    " history is append-only: add a new entry instead",
                    entry=_describe(event),
                    key=key,
                    before=before_value,
                    after=after_value,
                ),
            )


def first_revision_moves_the_original_due(old: Milestone, new: Milestone) -> Iterator[Finding]:
    """The first revision moves the due date from the one first committed to."""
    if _original_due_moved(old, new) and new.revisions:
        first = new.revisions[0]
        yield Finding(
            _key_at(first, "from"),
            said(
                "the first revision moves the due date from {from_due}, but it was {due};"
                " the original due date never changes",
                from_due=plan_value(first.from_due),
                due=old.due,
            ),
        )


def due_stays_when_steps_are_added(old: Milestone, new: Milestone) -> Iterator[Finding]:
    """An action given steps keeps the due date it had; new work goes in new actions."""
    if _original_due_moved(old, new) and not new.revisions and new.due is None and new.steps:
        yield Finding(
            _key_at(new, "steps"),
            said(
                "due date {due} was dropped when steps were added; the original due date never changes:"
                " keep the action as it was and add new actions for the steps",
                due=old.due,
            ),
        )


def due_is_never_removed(old: Milestone, new: Milestone) -> Iterator[Finding]:
    """A due date, once committed to, is never removed."""
    if _original_due_moved(old, new) and not new.revisions and new.due is None and not new.steps:
        yield Finding(
            new.at, said("due date {due} was removed; the original due date never changes: put it back", due=old.due)
        )


def due_changes_only_by_revision(old: Milestone, new: Milestone) -> Iterator[Finding]:
    """A due date changes only through a dated revision entry."""
    if _original_due_moved(old, new) and not new.revisions and new.due is not None:
        yield Finding(
            _key_at(new, "due"),
            said(
                "due date changed from {old} to {new} without a revision entry; record it with oagtrack revise {id}",
                old=old.due,
                new=new.due,
                id=new.id,
            ),
        )


def _original_due_moved(old: Milestone, new: Milestone) -> bool:
    """The date first committed to (never revised before) is not the new version's original due date.

    Each due-date rule above says one way it happened; exactly one applies.
    """
    return not old.revisions and old.due is not None and old.original_due != new.original_due


#: What deletes a recommendation or item, run first, in this order.
PLAN_CHANGE_RULES: tuple[PlanRule, ...] = (
    recommendations_are_never_deleted,
    items_are_never_deleted,
)
#: The rules on each action, step and outcome kept, run in this order.
CHANGE_RULES: tuple[MilestoneRule, ...] = (
    history_is_append_only,
    first_revision_moves_the_original_due,
    due_stays_when_steps_are_added,
    due_is_never_removed,
    due_changes_only_by_revision,
)


# -- positions -----------------------------------------------------------------
def _key_at(item: Milestone | Event, key: str) -> Position:
    """Where `key`'s value is written in the item or history entry, else the item or entry itself."""
    return item.at.key(key) or item.at


def _deleted_at(item: Milestone, new_items: dict[str, Milestone], new_recs: dict[str, Recommendation]) -> Position:
    """Where a deleted item used to be: its action, else its recommendation."""
    if item.parent and item.parent in new_items:
        return new_items[item.parent].at
    return new_recs[item.recommendation].at


def _nearest_rec(before: tuple[Recommendation, ...], new_recs: dict[str, Recommendation]) -> Position | None:
    for rec in reversed(before):
        if rec.id in new_recs:
            return new_recs[rec.id].at
    return None


def _first(plan: Plan) -> Position:
    return plan.recommendations[0].at if plan.recommendations else Position(1, 1)


def _deleted(item: Milestone) -> Said:
    """That an action, step or expected outcome was deleted, and what to do instead, one whole message per kind."""
    if item.kind == "step":
        return said("step {id} was deleted; {hint}", id=item.id, hint=RETIRE_HINT)
    if item.kind == "outcome":
        return said("outcome {id} was deleted; {hint}", id=item.id, hint=RETIRE_HINT)
    return said("action {id} was deleted; {hint}", id=item.id, hint=RETIRE_HINT)


def _describe(event: Event) -> str:
    return f"{plan_value(event.on)} ({event.kind})"


def _shown(value: object) -> str:
    """A recorded value in plan terms, a single value in quotes: `'partner late'`, `[a.pdf, b.pdf]`, `(none)`."""
    words = plan_value(value, limit=60)
    if words == NOTHING:
        return said("(none)")
    return words if isinstance(value, tuple) else f"'{words}'"
