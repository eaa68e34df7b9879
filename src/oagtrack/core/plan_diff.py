"""What changed between two versions of a plan, in the plan's own terms.

A line diff of plan.yaml says "line 212 changed"; a reviewer wants "1.1
complete on 2020-09-28 (evidence: ...)" or "3.1 due 2021-03-12 -> 2021-06-30
(+110 days): waiting on partner data". Items are matched by id, so moving
text around is not a change, and each history entry appended is one change
that already says why. Every value is named in plan terms by one function,
`core.plan_terms.plan_value` (dates, true and false, lists as `[a, b]`,
`(none)`), never by Python. Pure: two `Plan`s in, a list of `PlanChange`s out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from .history import KEY_OF, WRITTEN, align, written
from .model import Event, Milestone, Person, Plan, Recommendation
from .plan_terms import days_moved, one_line, plan_value, revision_words
from .problems import said

#: Unchanged words kept on each side of a change in a word diff.
CONTEXT_WORDS = 6


@dataclass(frozen=True, slots=True)
class PlanChange:
    """One change, said in one line (`summary`), with a word diff for text changes.

    `scope` holds the ids this change concerns (the item, its action, its
    recommendation), so `oagtrack log 3` finds the changes to 3.1 as well.
    `words` is a sequence of (op, text) runs: op is " " (same), "-" or "+",
    and "..." stands for unchanged words left out.
    """

    item: str
    # added, removed, completed, verified, started, revised, note, reopened, retired, status, due, text, field,
    # history-edited
    kind: str
    summary: str
    scope: tuple[str, ...] = ()
    words: tuple[tuple[str, str], ...] = ()


def diff_plans(old: Plan, new: Plan) -> list[PlanChange]:
    """Every change from `old` to `new`: audit, people, then each recommendation and its items in file order."""
    changes = list(_audit(old, new))
    changes += _people(old.people, new.people)
    old_recs = {rec.id: rec for rec in old.recommendations}
    new_recs = {rec.id: rec for rec in new.recommendations}
    old_items = {item.id: item for item in old.items()}
    new_items = {item.id: item for item in new.items()}
    for rec in new.recommendations:
        before = old_recs.get(rec.id)
        if before is None:
            changes.append(PlanChange(rec.id, "added", said("recommendation {id} added", id=rec.id), (rec.id,)))
            continue
        changes += _recommendation(before, rec)
        for item in _items_of(rec):
            previous = old_items.get(item.id)
            if previous is None:
                changes.append(PlanChange(item.id, "added", _item_words(item, "added"), _scope(item)))
            else:
                changes += milestone_changes(previous, item)
        for item in _items_of(before):
            if item.id not in new_items:
                changes.append(PlanChange(item.id, "removed", _item_words(item, "removed"), _scope(item)))
    for rec in old.recommendations:
        if rec.id not in new_recs:
            changes.append(PlanChange(rec.id, "removed", said("recommendation {id} removed", id=rec.id), (rec.id,)))
    return changes


def milestone_changes(old: Milestone, new: Milestone) -> list[PlanChange]:
    """The changes to one action, step or outcome: each history entry added, in date order, then edits by hand."""
    label = new.id
    scope = _scope(new)
    changes: list[PlanChange] = []

    def add(kind: str, summary: str, words: tuple[tuple[str, str], ...] = ()) -> None:
        changes.append(PlanChange(new.id, kind, summary, scope, words))

    differences = align(old.history, new.history)
    for difference in differences:
        if difference.kind == "edited":
            add("history-edited", edited_words(label, difference.old, difference.new))
    removed = [d.old for d in differences if d.kind == "removed"]
    if removed:
        kinds = ", ".join(f"{plan_value(event.on)} {event.kind}" for event in removed)
        if len(removed) == 1:
            gone = said(
                "history of {label}: {count} recorded entry removed ({kinds})", label=label, count=1, kinds=kinds
            )
        else:
            gone = said(
                "history of {label}: {count} recorded entries removed ({kinds})",
                label=label,
                count=len(removed),
                kinds=kinds,
            )
        add("history-edited", gone)
    for event in (d.new for d in differences if d.kind == "inserted"):
        inserted = said(
            "history of {label}: an entry inserted among recorded ones: {entry}", label=label, entry=entry_words(event)
        )
        add("history-edited", inserted)
    added = [d.new for d in differences if d.kind == "appended"]
    for event in sorted(added, key=lambda event: event.on):
        add(_CHANGE_KIND.get(event.kind, event.kind), said("{label} {entry}", label=label, entry=entry_words(event)))
    if old.due != new.due and not any(event.kind == "revised" for event in added):
        add("due", due_change_words(old, new))
    if old.text != new.text:
        add("text", said("text of {label} changed", label=label), word_diff(old.text, new.text))
    for name in ("label", "leads"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            add("field", f"{label} {name}: {plan_value(before)} -> {plan_value(after)}")
    return changes


def due_change_words(old: Milestone, new: Milestone) -> str:
    """A due date moved, set or dropped by hand: `1.1 due 2020-09-30 -> 2020-10-01 (+1 day) without a revision entry`.

    An action that gains steps loses its own due date (its steps carry
    theirs), and one that loses its steps gains one: said so, not as a
    date becoming nothing.
    """
    label = new.id
    if new.due is None:
        if new.steps and not old.steps:
            return said(
                "{label} due date {due} removed when its steps were added, without a revision entry",
                label=label,
                due=plan_value(old.due),
            )
        return said("{label} due date {due} removed, without a revision entry", label=label, due=plan_value(old.due))
    if old.due is None:
        if old.steps and not new.steps:
            return said(
                "{label} due date {due} set when its steps were removed, without a revision entry",
                label=label,
                due=plan_value(new.due),
            )
        return said("{label} due date {due} set, without a revision entry", label=label, due=plan_value(new.due))
    return said(
        "{label} due {before} -> {after}{days} without a revision entry",
        label=label,
        before=plan_value(old.due),
        after=plan_value(new.due),
        days=days_moved(old.due, new.due),
    )


#: The kind of change each kind of history entry makes.
_CHANGE_KIND = {
    "note": "note",
    "revised": "revised",
    "completed": "completed",
    "verified": "verified",
    "started": "started",
    "reopened": "reopened",
    "retired": "retired",
}
#: What an entry of each kind records, as a noun: "its completion date changed".
_NOUN = {
    "started": "start",
    "completed": "completion",
    "verified": "verification",
    "reopened": "reopening",
    "revised": "revision",
    "note": "note",
    "retired": "retirement",
}


def entry_words(event: Event) -> str:
    """One history entry as a change, with its date: `complete on 2020-09-28 (evidence: a.pdf)`."""
    kind, on = event.kind, plan_value(event.on)
    if kind == "completed":
        if not event.evidence:
            return said("complete on {on} (evidence: as recorded before)", on=on)
        return said("complete on {on} (evidence: {evidence})", on=on, evidence=one_line(", ".join(event.evidence)))
    if kind == "verified":
        return said("verified on {on} by {by}", on=on, by=one_line(event.by))
    if kind == "started":
        return said("started on {on}", on=on)
    if kind == "reopened":
        if event.completed:
            return said(
                "reopened on {on} (completion of {completed} withdrawn): {reason}",
                on=on,
                completed=event.completed,
                reason=one_line(event.reason),
            )
        return said("reopened on {on}: {reason}", on=on, reason=one_line(event.reason))
    if kind == "revised":
        return said("revised on {on}: {revision}", on=on, revision=revision_words(event))
    if kind == "note":
        return said("note on {on}: {text}", on=on, text=one_line(event.text))
    return said("retired on {on}: {reason}", on=on, reason=one_line(event.reason))


def edited_words(label: str, before: Event, after: Event) -> str:
    """A recorded entry rewritten: `1.1 completion date changed from 2020-09-28 to 2020-09-30`."""
    if before.kind != after.kind:
        return (
            f"history of {label}: the {before.kind} entry of {plan_value(before.on)}"
            f" was replaced by a {after.kind} entry of {plan_value(after.on)}"
        )
    if written(before._replace(on=after.on)) == written(after):
        return f"{label} {_NOUN[before.kind]} date changed from {plan_value(before.on)} to {plan_value(after.on)}"
    fields = [name for name in WRITTEN if name != "on" and getattr(before, name) != getattr(after, name)]
    name = fields[0] if fields else "on"
    return (
        f"{label} {_NOUN[before.kind]} of {plan_value(before.on)} changed:"
        f" {KEY_OF[name]} {plan_value(getattr(before, name))} -> {plan_value(getattr(after, name))}"
    )


def word_diff(old: str, new: str, context: int = CONTEXT_WORDS) -> tuple[tuple[str, str], ...]:
    """Runs of (op, words): unchanged runs longer than 2 x `context` words are shortened with "..."."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            head = [] if first else words[:context]
            tail = [] if last else words[-context:]
            if len(words) > len(head) + len(tail) and not (first and last):
                if head:
                    runs.append((" ", " ".join(head)))
                runs.append((" ", "..."))
                if tail:
                    runs.append((" ", " ".join(tail)))
            else:
                runs.append((" ", " ".join(words)))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(b[j1:j2])))
    return tuple(runs)


def word_diff_text(runs: Iterable[tuple[str, str]]) -> str:
    """`... will [-develop-]{+deliver+} performance ...`, as git diff --word-diff prints it."""
    return " ".join(text if op == " " else f"[-{text}-]" if op == "-" else f"{{+{text}+}}" for op, text in runs)


# -- the rest of the plan ---------------------------------------------------
def _audit(old: Plan, new: Plan) -> Iterable[PlanChange]:
    for name in ("id", "title", "auditor", "year", "report", "organizations"):
        before, after = getattr(old.audit, name), getattr(new.audit, name)
        if before != after:
            change = said(
                "audit {name}: {before} -> {after}", name=name, before=plan_value(before), after=plan_value(after)
            )
            yield PlanChange("audit", "field", change, ("audit",))


def _people(old: dict[str, Person], new: dict[str, Person]) -> list[PlanChange]:
    changes = []
    for key, person in new.items():
        before = old.get(key)
        if before is None:
            added = said("person {key} added: {name}", key=key, name=one_line(person.full_name))
            changes.append(PlanChange(key, "added", added, (key,)))
            continue
        for name in ("name", "honorific", "title", "branch", "org", "phone", "email"):
            if getattr(before, name) != getattr(person, name):
                summary = (
                    f"person {key} {name}: {plan_value(getattr(before, name))} -> {plan_value(getattr(person, name))}"
                )
                changes.append(PlanChange(key, "field", summary, (key,)))
    changes += [
        PlanChange(key, "removed", said("person {key} removed", key=key), (key,)) for key in old if key not in new
    ]
    return changes


def _recommendation(old: Recommendation, new: Recommendation) -> list[PlanChange]:
    scope = (new.id,)
    changes = []
    if old.text != new.text:
        changes.append(
            PlanChange(
                new.id,
                "text",
                said("text of recommendation {id} changed", id=new.id),
                scope,
                word_diff(old.text, new.text),
            )
        )
    if old.response.text != new.response.text:
        words = word_diff(old.response.text, new.response.text)
        changes.append(
            PlanChange(new.id, "text", said("response to recommendation {id} changed", id=new.id), scope, words)
        )
    if old.response.agreed != new.response.agreed:
        agreed = {True: "agreed", False: "not agreed"}
        summary = f"response to recommendation {new.id}: {agreed[old.response.agreed]} -> {agreed[new.response.agreed]}"
        changes.append(PlanChange(new.id, "field", summary, scope))
    for name in ("bullets", "leads"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(
                PlanChange(
                    new.id,
                    "field",
                    f"recommendation {new.id} {name}: {plan_value(before)} -> {plan_value(after)}",
                    scope,
                )
            )
    return changes


#: What `item_history` says of a commit whose plan is missing or invalid.
INVALID_VERSION = "(the plan is missing or invalid in this commit)"


#: Whatever names a version (a `gitio.Commit` for `log`), handed back as it came.
_Commit = TypeVar("_Commit")


def item_history(
    item_id: str, versions: Iterable[tuple[_Commit, Plan | None]], current: Plan
) -> list[tuple[_Commit | None, list[str]]]:
    """What happened to one item, version by version.

    `versions` are the plan's committed versions, oldest first, each with its
    commit (None for a version that is missing or invalid there); `current`
    is the working file. Returns (commit, summaries) for each commit that
    touched the item, then (None, summaries) for uncommitted changes.
    """
    found = current.find(item_id)
    ids = {item_id} | ({found.id} if isinstance(found, Milestone) else set())
    rows: list[tuple[_Commit | None, list[str]]] = []
    previous: Plan | None = None
    for commit, version in versions:
        if version is None:
            rows.append((commit, [INVALID_VERSION]))
            continue
        if previous is None:
            first = version.find(item_id)
            if isinstance(first, Milestone):
                summaries = [_item_words(first, "added")]
            else:
                summaries = [f"{item_id} added"] if first is not None else []
        else:
            summaries = [change.summary for change in diff_plans(previous, version) if ids & set(change.scope)]
        if summaries:
            rows.append((commit, summaries))
        previous = version
    if previous is not None:
        pending = [change.summary for change in diff_plans(previous, current) if ids & set(change.scope)]
        if pending:
            rows.append((None, pending))
    return rows


# -- helpers ------------------------------------------------------------------
def _items_of(rec: Recommendation) -> Iterable[Milestone]:
    for action in rec.actions:
        yield action
        yield from action.steps
    yield rec.outcome


def _item_words(item: Milestone, what: str) -> str:
    """`action 1.1 added`, `step 3.4b.a removed`: one template per kind and change, for a reader of any language."""
    # each template a literal, so the catalog holds it (tools/catalogs.py reads the calls)
    words = {
        ("action", "added"): lambda: said("action {reference} added", reference=item.reference),
        ("step", "added"): lambda: said("step {reference} added", reference=item.reference),
        ("outcome", "added"): lambda: said("outcome {reference} added", reference=item.reference),
        ("action", "removed"): lambda: said("action {reference} removed", reference=item.reference),
        ("step", "removed"): lambda: said("step {reference} removed", reference=item.reference),
        ("outcome", "removed"): lambda: said("outcome {reference} removed", reference=item.reference),
    }
    return words[(item.kind, what)]()


def _scope(item: Milestone) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part for part in (item.id, item.parent, item.recommendation) if part))
