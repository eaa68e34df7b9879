"""The one replay: a milestone's dated history read into what it says on any day.

In version 2 of plan.yaml every fact about a milestone is a dated history
entry: each start, completion (with its evidence), verification, reopening,
revision, note and retirement. The milestone's status, its dates and its
evidence are not written anywhere else; they are what replaying the entries
in order gives. So one function answers "what did the plan say at the end
of day D" for every command and format (`as_of`), and the rules that decide
whether an entry may follow the ones before it live here, once, for
`validate`, `check --against` and the update commands alike (`RULES`).

Pure: milestones and dates in, milestones and complaints out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal, NamedTuple

from .model import DONE_STATUSES, Event, Milestone, Plan
from .problems import Said, said


class State(NamedTuple):
    """What a milestone's history says after some of its entries."""

    status: str = "not-started"
    due: date | None = None
    started: date | None = None  # the first start
    completed: date | None = None  # the completion in force
    evidence: tuple[str, ...] = ()  # every link attached so far, oldest first
    verified: date | None = None  # the verification of the completion in force
    verified_by: str = ""
    last: date | None = None  # the date of the latest entry
    retired: date | None = None


#: For each kind of entry: the statuses it may follow, and the status it leaves.
#: None keeps the status as it was (notes and revisions).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "started": (frozenset({"not-started", "reopened"}), "in-progress"),
    "completed": (frozenset({"not-started", "in-progress", "reopened"}), "complete"),
    "verified": (frozenset({"complete"}), "verified"),
    "reopened": (frozenset(DONE_STATUSES), "reopened"),
    "revised": (frozenset({"not-started", "in-progress", "reopened"}), None),
    "note": (frozenset({"not-started", "in-progress", "complete", "verified", "reopened", "retired"}), None),
    "retired": (frozenset({"not-started", "in-progress", "reopened"}), "retired"),
}


def after(state: State, event: Event) -> State:
    """The state once `event` is recorded (the rules have said whether it may be)."""
    # Each kind changes a few fields and the rest carry over: one State made per entry (a plan of 10,000
    # actions replays 27,000 entries), where _replace would make two objects and call a dozen functions.
    status, due, started, completed, evidence, verified, verified_by, _, retired = state
    kind, on = event.kind, event.on
    if kind == "started":
        status, started = "in-progress", started or on
    elif kind == "completed":
        status, completed, verified, verified_by = "complete", on, None, ""
        evidence = tuple(dict.fromkeys(evidence + event.evidence))
    elif kind == "verified":
        status, verified, verified_by = "verified", on, event.by
    elif kind == "reopened":
        status, completed, verified, verified_by = "reopened", None, None, ""
    elif kind == "revised":
        due = event.to_due or due
    elif kind == "retired":
        status, retired = "retired", on
    return State(status, due, started, completed, evidence, verified, verified_by, on, retired)


def milestone_named(item: Milestone) -> Said:
    """`action 1.1`, `step 1.1.a`, `outcome 1.0`: a milestone as a message names it, one whole message per kind."""
    if item.kind == "step":
        return said("step {id}", id=item.id)
    if item.kind == "outcome":
        return said("outcome {id}", id=item.id)
    return said("action {id}", id=item.id)


# -- the rules, each a small function: (state before, entry, today) -> complaint or None
def in_date_order(state: State, event: Event, today: date | None) -> str | None:
    """Entries are oldest first: none is dated before the one above it."""
    if state.last and event.on < state.last:
        return said(
            "a {kind} entry dated {on} comes after one dated {last}; "
            "history is oldest first, and nothing is recorded before what it follows",
            kind=event.kind,
            on=event.on,
            last=state.last,
        )
    return None


def not_in_future(state: State, event: Event, today: date | None) -> str | None:
    """Nothing is recorded before it happens."""
    if today and event.on > today:
        return said(
            "a {kind} entry dated {on}, after today ({today}); record things once they happen",
            kind=event.kind,
            on=event.on,
            today=today,
        )
    return None


#: The statuses as a complaint says them (the words a reader reads, said again in the reader's language).
STATUS_WORDS = {
    "not-started": said("not-started"),
    "in-progress": said("in-progress"),
    "complete": said("complete"),
    "verified": said("verified"),
    "reopened": said("reopened"),
    "retired": said("retired"),
}


def _cannot(kind: str, on: date) -> Said:
    """How a complaint about an entry of `kind` opens: "cannot be {verb} on DATE", one whole message per kind."""
    if kind == "started":
        return said("cannot be started on {on}", on=on)
    if kind == "completed":
        return said("cannot be completed on {on}", on=on)
    if kind == "verified":
        return said("cannot be verified on {on}", on=on)
    if kind == "reopened":
        return said("cannot be reopened on {on}", on=on)
    if kind == "revised":
        return said("cannot be revised on {on}", on=on)
    if kind == "note":
        return said("cannot be noted on {on}", on=on)
    return said("cannot be retired on {on}", on=on)


def follows_lifecycle(state: State, event: Event, today: date | None) -> str | None:
    """Each kind of entry follows only the statuses TRANSITIONS allows."""
    allowed, _ = TRANSITIONS[event.kind]
    if state.status in allowed:
        return None
    status, kind = state.status, event.kind
    head = _cannot(kind, event.on)
    if status == "retired":
        return said(
            "{head}: it was retired on {retired}, and a retired milestone takes only notes",
            head=head,
            retired=state.retired,
        )
    if status == "verified":
        completion = said(
            "(completed {completed}, verified {verified} by {by})",
            completed=state.completed,
            verified=state.verified,
            by=state.verified_by,
        )
    else:
        completion = said("(completed {completed})", completed=state.completed)
    shown = STATUS_WORDS.get(status, status)
    done = said("it is {status} {completion}", status=shown, completion=completion)
    if kind == "started":
        if status == "in-progress":
            return said(
                "{head}: it is already in-progress (started {started}); "
                "start applies to a milestone not started or reopened",
                head=head,
                started=state.started,
            )
        return said("{head}: {done}; reopen it first if the completion no longer stands", head=head, done=done)
    if kind == "completed":
        return said(
            "{head}: it is already {status} {completion}; to record a new completion, reopen it first",
            head=head,
            status=shown,
            completion=completion,
        )
    if kind == "verified":
        if status == "verified":
            return said(
                "{head}: it is already verified ({verified}, by {by})",
                head=head,
                verified=state.verified,
                by=state.verified_by,
            )
        return said(
            "{head}: it is {status}; only a complete milestone can be verified: complete it first",
            head=head,
            status=shown,
        )
    if kind == "reopened":
        return said(
            "{head}: it is {status}; only a complete or verified milestone can be reopened", head=head, status=shown
        )
    if kind == "revised":
        return said("{head}: {done}; reopen it before moving its due date", head=head, done=done)
    return said(
        "{head}: {done}; only work not done can be retired: reopen it first if the completion no longer stands",
        head=head,
        done=done,
    )


def completion_has_evidence(state: State, event: Event, today: date | None) -> str | None:
    """A completion needs evidence: its entry lists some, or evidence attached before still stands."""
    if event.kind == "completed" and not event.evidence and not state.evidence:
        return said(
            "a completion needs evidence: at least one link or path "
            "(--evidence on the command line, evidence: in its history entry)"
        )
    return None


def revision_moves_due(state: State, event: Event, today: date | None) -> str | None:
    """A revision moves the due date in force to another date."""
    if event.kind != "revised" or not event.from_due or not event.to_due:
        return None
    if state.due and event.from_due != state.due:
        return said(
            "a revision from {from_due}, but the due date in force was {due}", from_due=event.from_due, due=state.due
        )
    if event.from_due == event.to_due:
        return said("a revision from {from_due} to the same date", from_due=event.from_due)
    return None


RULES: tuple[Callable[[State, Event, date | None], str | None], ...] = (
    in_date_order,
    not_in_future,
    follows_lifecycle,
    completion_has_evidence,
    revision_moves_due,
)


class Replay(NamedTuple):
    state: State
    history: tuple[Event, ...]  # the entries, each reopening with what it withdrew
    problems: tuple[tuple[Event, str], ...]  # (entry, complaint) for every rule it breaks


def replay_events(events: tuple[Event, ...], original_due: date | None, today: date | None = None) -> Replay:
    """Every entry checked against the state before it, then recorded."""
    state = State(due=original_due)
    history = []
    problems = []
    for event in events:
        complaints = [complaint for rule in RULES if (complaint := rule(state, event, today))]
        problems += [(event, complaint) for complaint in complaints]
        if complaints:
            # Judged, not recorded: the entries after it are judged without it, so one mistake is one complaint.
            continue
        if event.kind == "reopened":
            event = event._replace(completed=state.completed, verified=state.verified, verified_by=state.verified_by)
        history.append(event)
        state = after(state, event)
    return Replay(state, tuple(history), tuple(problems))


def replayed(milestone: Milestone, replay: Replay) -> Milestone:
    """`milestone` with everything the history decides taken from `replay`."""
    state = replay.state
    return milestone._replace(
        due=state.due,
        status=state.status,
        started=state.started,
        completed=state.completed,
        evidence=state.evidence,
        verified=state.verified,
        verified_by=state.verified_by,
        history=replay.history,
    )


def milestone_as_of(milestone: Milestone, day: date) -> Milestone:
    """The milestone as its history stood at the end of `day`: later entries unwritten."""
    history = milestone.history
    if not history or history[-1].on <= day:
        return milestone
    kept = 0
    while kept < len(history) and history[kept].on <= day:
        kept += 1
    replay = replay_events(history[:kept], milestone.original_due)
    return replayed(milestone, replay)


def as_of(plan: Plan, day: date) -> Plan:
    """The plan as it stood at the end of `day`: every entry dated after it left out.

    The one replay every command and format reads, so that `--as-of D` shows
    exactly what a plan holding only the entries dated on or before D shows.
    """

    def cut(item: Milestone) -> Milestone:
        if item.steps:
            return item._replace(steps=tuple(milestone_as_of(step, day) for step in item.steps))
        return milestone_as_of(item, day)

    recommendations = tuple(
        rec._replace(outcome=cut(rec.outcome), actions=tuple(cut(action) for action in rec.actions))
        for rec in plan.recommendations
    )
    return plan._replace(recommendations=recommendations)


#: What an entry says in the file; what a reopening withdrew is replayed, not written.
WRITTEN = ("on", "kind", "text", "reason", "from_due", "to_due", "approved_by", "evidence", "by")
#: Each written attribute under the key plan.yaml writes it with.
KEY_OF = {name: {"on": "date", "kind": "event", "from_due": "from", "to_due": "to"}.get(name, name) for name in WRITTEN}


def written(event: Event) -> tuple[object, ...]:
    """The entry as written in the file, without its position or what the replay adds."""
    return tuple(getattr(event, name) for name in WRITTEN)


class EntryEdited(NamedTuple):
    """A recorded entry rewritten in place."""

    kind: Literal["edited"]
    old: Event
    new: Event


class EntryRemoved(NamedTuple):
    """A recorded entry gone."""

    kind: Literal["removed"]
    old: Event
    new: None


class EntryAdded(NamedTuple):
    """A new entry, among recorded ones ("inserted") or after all of them ("appended")."""

    kind: Literal["inserted", "appended"]
    old: None
    new: Event


#: One difference between two versions of a history; `kind` tells which.
Alignment = EntryEdited | EntryRemoved | EntryAdded


def align(old: tuple[Event, ...], new: tuple[Event, ...]) -> list[Alignment]:
    """The differences from `old` to `new`, entry by entry, by a shortest edit script.

    An entry edited in place is one "edited"; an entry put between recorded
    ones is "inserted" (the history is append-only, so it is a rewrite), one
    after all of them "appended". Entries that did not change are never
    reported, whatever was inserted or removed before them.
    """
    from .seqdiff import changed_regions

    found: list[Alignment] = []
    for i1, i2, j1, j2 in changed_regions([written(e) for e in old], [written(e) for e in new]):
        paired = min(i2 - i1, j2 - j1)
        found += [EntryEdited("edited", old[i1 + k], new[j1 + k]) for k in range(paired)]
        found += [EntryRemoved("removed", event, None) for event in old[i1 + paired : i2]]
        extra: Literal["inserted", "appended"] = "appended" if i2 == len(old) else "inserted"
        found += [EntryAdded(extra, None, event) for event in new[j1 + paired : j2]]
    return found
