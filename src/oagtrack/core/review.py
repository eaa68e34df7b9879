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

from .history import KEY_OF, align
from .model import Event, Milestone, Plan, Position, Recommendation
from .plan_terms import NOTHING, plan_value
from .problems import Problem
from .source import value_of

#: Event attribute -> the key it is written under in plan.yaml. What a
#: reopening withdrew is replayed, not written, so it is not compared: an edit
#: shows in the entry that was written.
_EVENT_KEYS = KEY_OF

RETIRE_HINT = "never delete an item: keep it, and retire each milestone that no longer applies, saying why (oagtrack retire ID --reason TEXT)"


def check_change(base: Plan, new: Plan, filename: str) -> list[Problem]:
    """Every rule broken by the change from `base` to `new`, in file order."""
    problems: list[Problem] = []
    new_items = {item.id: item for item in new.items()}
    new_recs = {rec.id: rec for rec in new.recommendations}
    for index, rec in enumerate(base.recommendations):
        if rec.id not in new_recs:
            at = _nearest_rec(base.recommendations[:index], new_recs) or _first(new)
            problems.append(_problem(filename, at, f"recommendation {rec.id} was deleted; {RETIRE_HINT}"))
    for item in base.items():
        after = new_items.get(item.id)
        if after is None:
            if item.recommendation in new_recs:
                at = _deleted_at(item, new_items, new_recs)
                problems.append(_problem(filename, at, f"{item.kind} {item.id} was deleted; {RETIRE_HINT}"))
            continue
        problems += milestone_rules(item, after, filename)
    return sorted(problems, key=lambda p: (p.line, p.col))


def milestone_rules(old: Milestone, new: Milestone, filename: str) -> list[Problem]:
    """The rules for one action, step or outcome present in both versions."""
    label = f"{new.kind} {new.id}"
    problems: list[Problem] = []

    def report(at: Position, message: str) -> None:
        problems.append(_problem(filename, at, f"{label}: {message}"))

    # The history is append-only: every fact is an entry, so this one rule keeps
    # every start, completion, verification, reopening, revision and note as recorded.
    for difference in align(old.history, new.history):
        if difference.kind == "removed":
            report(
                _key_at(new, "history"),
                f"history entry {_describe(difference.old)} was removed; history is append-only",
            )
        elif difference.kind == "inserted":
            after = difference.new
            report(
                after.at,
                f"history entry {_describe(after)} was inserted among recorded entries; history is append-only: new entries go at the end, dated on or after the last one",
            )
        elif difference.kind == "edited":
            event, after = difference.old, difference.new
            changed = [name for name in _EVENT_KEYS if getattr(event, name) != getattr(after, name)]
            key = _EVENT_KEYS[changed[0]]
            before_value, after_value = _shown(getattr(event, changed[0])), _shown(getattr(after, changed[0]))
            report(
                _event_key_at(after, key),
                f"history entry {_describe(event)} was edited ({key}: {before_value} -> {after_value}); history is append-only: add a new entry instead",
            )

    # The original due date never changes; a due date changes only by a revision.
    if not old.revisions and old.due and old.original_due != new.original_due:
        if new.revisions:
            first = new.revisions[0]
            report(
                _event_key_at(first, "from"),
                f"the first revision moves the due date from {plan_value(first.from_due)}, but it was {old.due}; the original due date never changes",
            )
        elif new.due is None and new.steps:
            report(
                _key_at(new, "steps"),
                f"due date {old.due} was dropped when steps were added; the original due date never changes: keep the action as it was and add new actions for the steps",
            )
        elif new.due is None:
            report(new.at, f"due date {old.due} was removed; the original due date never changes: put it back")
        else:
            report(
                _key_at(new, "due"),
                f"due date changed from {old.due} to {new.due} without a revision entry; record it with oagtrack revise {new.id}",
            )
    return problems


# -- positions -----------------------------------------------------------------
def _problem(filename: str, at: Position, message: str) -> Problem:
    return Problem(filename, at.line, at.col, message)


def _key_at(item: Milestone, key: str) -> Position:
    """Where `key`'s value is written in the item, else the item itself."""
    node = value_of(item.at.node, key)
    return Position.of(node) if node is not None else item.at


def _event_key_at(event: Event, key: str) -> Position:
    node = value_of(event.at.node, key)
    return Position.of(node) if node is not None else event.at


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


def _describe(event: Event) -> str:
    return f"{plan_value(event.on)} ({event.kind})"


def _shown(value: object) -> str:
    """A recorded value in plan terms, a single value in quotes: `'partner late'`, `[a.pdf, b.pdf]`, `(none)`."""
    words = plan_value(value, limit=60)
    return words if words == NOTHING or isinstance(value, tuple) else f"'{words}'"
