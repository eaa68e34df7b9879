"""The Management Action Plan as frozen values: no I/O, no terminal, no YAML.

A *milestone* is anything with a due date that can be completed: an expected
outcome, an action without steps, or a step. An action with steps is a group;
its steps are the milestones.

Every value remembers where it was written (`at`, excluded from equality) so
messages and edits can point at the file, while two plans that say the same
thing compare equal wherever it was written.

The values are named tuples, not dataclasses: every command builds these
classes at start-up, and a frozen dataclass costs 1 to 2 ms to build (its
methods are compiled from source each time), a named tuple about a quarter;
instances are also smaller and quicker to make, which counts at 100,000
actions. Change one with `value._replace(key=...)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, NamedTuple, TypeVar, cast

#: Lifecycle of a milestone: not-started -> in-progress -> complete -> verified,
#: reopened when a completion is withdrawn, and retired (for good) when a
#: milestone no longer applies: it is never deleted.
STATUSES = ("not-started", "in-progress", "complete", "verified", "reopened", "retired")
DONE_STATUSES = frozenset({"complete", "verified"})
#: Every fact about a milestone is one dated history entry of these kinds
#: (schema version 2); its status, dates and evidence are replayed from them.
EVENT_KINDS = ("started", "completed", "verified", "reopened", "revised", "note", "retired")
MILESTONE_KINDS = ("action", "step", "outcome")


#: The languages a plan's texts may be written in: Canada's two official languages.
LANGUAGES = ("en", "fr")


class Texts(str):
    """Text a person wrote, in more than one language: the string is its version in `language`, the plan's first.

    A `str`, so everything that reads one text reads this one unchanged;
    `versions` holds it in every language it is written in, for a reader of
    another language (`render.language.localized`).
    """

    language: str
    versions: dict[str, str]

    def __new__(cls, versions: dict[str, str], language: str) -> Texts:
        made = super().__new__(cls, versions[language])
        made.language = language
        made.versions = dict(versions)
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Texts, (self.versions, self.language))

    # Equal only when every version is: a change to the French alone is a change (diff, check, the cache).
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Texts):
            return self.language == other.language and self.versions == other.versions
        if isinstance(other, str):
            return len(self.versions) == 1 and str.__eq__(self, other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.language, tuple(sorted(self.versions.items()))))


class Position(NamedTuple):
    """1-based line and column in the plan file; `keys`, not compared, says where each key's value is written.

    For a mapping, `keys` holds, for each key, its name, how many lines
    below `line` its value starts, and that value's column: so a message
    about one value (a due date, a history entry's `from`) can point at it
    without the model holding on to the parsed YAML. The three per key lie
    flat in one tuple, and lines are counted from the mapping's own: at
    100,000 actions that is a few small numbers per key instead of a tuple
    and a large number each (a third of the memory).
    """

    line: int
    col: int
    keys: tuple[str | int, ...] = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is Position and self[:2] == other[:2]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:2])

    def __repr__(self) -> str:
        return f"Position(line={self.line}, col={self.col})"

    @classmethod
    def of(cls, node: Any) -> Position:
        """Where a parsed node starts (its marks are 0-based; positions are 1-based), with its keys' values.

        Duck-typed, so that the model needs no YAML: a mapping node's
        `value` is a list of (key node, value node) pairs, any other
        node's is text or a list of nodes.
        """
        mark = node.start_mark
        pairs = node.value
        if not pairs or type(pairs) is not list or type(pairs[0]) is not tuple:
            return cls(mark.line + 1, mark.column + 1)
        line = mark.line
        keys: list[str | int] = []
        for key, value in pairs:
            if type(key.value) is str:
                value_mark = value.start_mark
                keys += (key.value, value_mark.line - line, value_mark.column + 1)
        return cls(line + 1, mark.column + 1, tuple(keys))

    def key(self, name: str) -> Position | None:
        """Where the value of key `name` is written, if it is."""
        keys = self.keys
        for index in range(0, len(keys), 3):
            if keys[index] == name:
                return Position(self.line + cast(int, keys[index + 1]), cast(int, keys[index + 2]))
        return None


NOWHERE = Position(0, 0)


def _equal_wherever_written(self: tuple[object, ...], other: object) -> bool:
    """Equal when every field but `at`, the last, is."""
    return type(other) is type(self) and self[:-1] == other[:-1]


def _unequal_wherever_written(self: tuple[object, ...], other: object) -> bool:
    return not _equal_wherever_written(self, other)


def _hash_wherever_written(self: tuple[object, ...]) -> int:
    return hash(self[:-1])


_WHEREVER_WRITTEN = {
    "__eq__": _equal_wherever_written,
    "__ne__": _unequal_wherever_written,
    "__hash__": _hash_wherever_written,
}
_Record = TypeVar("_Record", bound="type[tuple[object, ...]]")


def _compared_wherever_written(cls: _Record) -> _Record:
    """Class decorator: `==`, `!=` and `hash` leave out the last field, `at`.

    The same three functions on every record, set after the class is built,
    as `NamedTuple` would set them from the class body (which type checkers
    refuse: they read every assignment there as a field).
    """
    for name, method in _WHEREVER_WRITTEN.items():
        setattr(cls, name, method)
    return cls


@_compared_wherever_written
class Person(NamedTuple):
    key: str
    name: str
    title: str = ""
    branch: str = ""
    org: str = ""
    phone: str = ""
    email: str = ""
    honorific: str = ""
    at: Position = NOWHERE

    @property
    def full_name(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific else self.name


@_compared_wherever_written
class Event(NamedTuple):
    """One dated entry of a milestone's append-only history (`date:` in the file)."""

    on: date
    kind: str  # one of EVENT_KINDS
    text: str = ""  # the note, for kind "note"
    reason: str = ""  # why, for "revised", "reopened" and "retired"
    from_due: date | None = None  # "revised": the due date before
    to_due: date | None = None  # "revised": the due date after
    approved_by: str = ""  # "revised": who approved the extension
    evidence: tuple[str, ...] = ()  # "completed": links or paths attached with the completion
    by: str = ""  # "verified": who verified the completion
    # Replayed, never written: what a "reopened" entry withdrew.
    completed: date | None = None  # the completion withdrawn
    verified: date | None = None  # the verification withdrawn with it, if any
    verified_by: str = ""  # who had verified it
    at: Position = NOWHERE


@_compared_wherever_written
class Milestone(NamedTuple):
    """An action, a step or an expected outcome.

    `status`, `started`, `completed`, `evidence`, `verified` and
    `verified_by` are not read from the file: `history.replay` derives them
    from the dated `history`, so they always say what the history says.
    """

    id: str
    kind: str  # one of MILESTONE_KINDS
    recommendation: str
    text: str
    due: date | None
    leads: tuple[str, ...] = ()
    label: str = ""
    status: str = "not-started"
    started: date | None = None
    completed: date | None = None
    evidence: tuple[str, ...] = ()
    verified: date | None = None
    verified_by: str = ""
    history: tuple[Event, ...] = ()
    steps: tuple[Milestone, ...] = ()
    parent: str = ""  # a step's action id
    at: Position = NOWHERE

    @property
    def display_id(self) -> str:
        """The number as printed in the MAP, such as `3.4 a)`."""
        return self.label or self.id

    @property
    def reference(self) -> str:
        """`3.4b.a [printed a.]`: the id, and the printed number when it differs.

        Brackets, not parentheses: a printed number often ends in `)` itself.
        """
        return self.id if not self.label or self.label == self.id else f"{self.id} [printed {self.label}]"

    @property
    def revisions(self) -> tuple[Event, ...]:
        return tuple(event for event in self.history if event.kind == "revised")

    @property
    def notes(self) -> tuple[Event, ...]:
        return tuple(event for event in self.history if event.kind == "note")

    @property
    def retirement(self) -> Event | None:
        """The history entry that retired it, if any (retiring is final: it happens once)."""
        for event in reversed(self.history):
            if event.kind == "retired":
                return event
        return None

    @property
    def retired_on(self) -> date | None:
        retirement = self.retirement
        return retirement.on if retirement else None

    @property
    def original_due(self) -> date | None:
        """The date first committed to: revisions never erase it."""
        revisions = self.revisions
        return revisions[0].from_due if revisions else self.due


class Response(NamedTuple):
    agreed: bool
    text: str


@_compared_wherever_written
class Recommendation(NamedTuple):
    id: str
    text: str
    response: Response
    outcome: Milestone
    actions: tuple[Milestone, ...]
    bullets: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    at: Position = NOWHERE

    def milestones(self) -> Iterator[Milestone]:
        """Each action (or its steps), then the expected outcome."""
        for action in self.actions:
            if action.steps:
                yield from action.steps
            else:
                yield action
        yield self.outcome


#: Who audited: the Auditor General, the department's internal audit, or another body.
AUDIT_KINDS = ("oag", "internal", "other")
#: The audit status words of the Treasury Board's Key Compliance Attributes table.
AUDIT_STATUSES = ("planned", "in-progress", "completed", "cancelled")


class Audit(NamedTuple):
    """What the plan answers: the audit. What the plan does not say stays empty, never guessed."""

    id: str
    title: str
    auditor: str = ""
    year: str = ""
    report: str = ""
    organizations: tuple[str, ...] = ()
    kind: str = ""  # one of AUDIT_KINDS, or "" when the plan does not say
    status: str = ""  # one of AUDIT_STATUSES, or ""
    report_approved: date | None = None
    report_published: date | None = None  # published, or for an OAG report tabled in Parliament


class AmbiguousName(ValueError):
    """A name on the command line that fits more than one item of the plan."""

    def __init__(self, name: str, matches: tuple[Milestone | Recommendation | Person, ...]):
        self.name = name
        self.matches = matches
        described = ", ".join(_described(match) for match in matches)
        super().__init__(f"{name!r} names more than one item: {described}; nothing was changed: name it by its id")


def _described(match: object) -> str:
    if isinstance(match, Milestone):
        return f"{match.kind} {match.reference}"
    if isinstance(match, Recommendation):
        return f"recommendation {match.id}"
    return f"person {getattr(match, 'key', '?')}"


class PlanPattern(NamedTuple):
    """A path or a glob a portfolio file's `plans:` holds, and where it is written."""

    pattern: str
    at: Position = NOWHERE


class PortfolioFileSays(NamedTuple):
    """What a portfolio file without problems says: its title, the plans it names, the people they share.

    A record of the model so that the cache can keep it as it keeps a plan:
    a command on a portfolio then reads no YAML at all when nothing changed.
    """

    title: str
    plans: tuple[PlanPattern, ...]
    people: dict[str, Person]


class Plan(NamedTuple):
    schema_version: int
    audit: Audit
    people: dict[str, Person]
    recommendations: tuple[Recommendation, ...]
    #: The languages the plan says its texts are written in, first the one a text without versions is in.
    languages: tuple[str, ...] = ()

    def milestones(self) -> Iterator[Milestone]:
        for recommendation in self.recommendations:
            yield from recommendation.milestones()

    def items(self) -> Iterator[Milestone]:
        """Every action (groups included), step and outcome, in file order."""
        for recommendation in self.recommendations:
            for action in recommendation.actions:
                yield action
                yield from action.steps
            yield recommendation.outcome

    def find(self, item_id: str) -> Milestone | Recommendation | Person | None:
        """The one recommendation, item or person that `item_id` names: by id, printed label or person key.

        A name that fits two of them is refused (`AmbiguousName`) rather than
        resolved in file order, so `complete 1.2` can never complete another
        item whose label reads "1.2". `validate` refuses such a plan, so a
        valid plan never raises it.
        """
        found: list[Milestone | Recommendation | Person] = [rec for rec in self.recommendations if rec.id == item_id]
        found += [item for item in self.items() if item.id == item_id or (item.label and item.label == item_id)]
        if item_id in self.people:
            found.append(self.people[item_id])
        if len(found) > 1:
            raise AmbiguousName(item_id, tuple(found))
        return found[0] if found else None

    def ids(self) -> list[str]:
        """Every id a command may name, for suggestions."""
        return [r.id for r in self.recommendations] + [i.id for i in self.items()] + list(self.people)
