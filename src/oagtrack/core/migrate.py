"""Rewrite a version-1 plan as version 2, as a small diff that keeps everything else.

Version 1 wrote a milestone's current state in keys (`started`, `completed`,
`evidence`, `verified`, `verified_by`) beside a history of some dated
entries under `on:`, a key YAML 1.1 loaders read as the boolean true.
Version 2 records every fact as a dated history entry under `date:`, and
derives the state from them (`history.replay_events`).

The migration is text splices, as every update is (`edit`): the version
becomes 2, each history entry's `on:` becomes `date:`, `restarted` becomes
`started`, a reopening loses the copies of the completion it withdrew, and
the state keys become entries placed among the others by date. Comments,
blank lines, quoting, folded text and flow style stay as they were.

It refuses, leaving the file as it was, whenever it is in doubt: a plan that
is not a valid version 1, a completion without evidence (version 2 requires
it), work in progress without a start date, or a result that would not read
back as the same plan. Version 1 did not date evidence: it is attached to
the first completion, the earliest day the plan shows a completion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import NamedTuple

import yaml

from .dates import DateError, parse_iso
from .edit import entry_fields
from .model import DONE_STATUSES, Event, Person, Plan
from .problems import Problem, said
from .source import value_of as _value
from .yamltext import EditError, ItemEditor, Splice, apply_splices, block_entry, flow_value, line_start, scalar


class MigrateError(Exception):
    """The migration is refused; `lines` say why. The file must stay as it was."""

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


def migrate_text(text: str, filename: str, today: date) -> tuple[str, Plan]:
    """`text` (a version-1 plan) as version 2, with the plan it reads as; a version-2 plan comes back unchanged."""
    from .source import parse
    from .validate import validate_tree

    root, problems = parse(text, filename)
    if root is None:
        raise MigrateError([said("the plan cannot be read; fix it first:"), *map(_indented, problems)])
    version = _value(root, "schema_version")
    if isinstance(version, yaml.ScalarNode) and version.value == "2" and not version.style:
        plan, problems = validate_tree(root, filename, today)
        if plan is None:
            raise MigrateError(
                [
                    said("the plan is already version 2, but it is not valid; fix it with `oagtrack validate`:"),
                    *map(_indented, problems),
                ]
            )
        return text, plan
    new_text, facts = rewritten(text, root, filename)
    new_root, problems = parse(new_text, filename)
    plan = None
    if new_root is not None:
        plan, problems = validate_tree(new_root, filename, today)
    if new_root is None or plan is None:
        raise MigrateError(
            [
                said(
                    "the plan would not be a valid version 2, so nothing was changed"
                    " (positions are in the migrated text):"
                ),
                *map(_indented, problems),
            ]
        )
    _check_same_meaning(plan, facts)
    _check_same_text(root, new_root)
    return new_text, plan


def rewritten(text: str, root: yaml.Node, filename: str) -> tuple[str, dict[str, _Facts]]:
    """The splices of the migration applied to `text` (whose tree is `root`), not yet checked, with what each milestone
    said."""
    version = _value(root, "schema_version")
    if not (isinstance(version, yaml.ScalarNode) and version.value == "1" and not version.style):
        raise MigrateError(said("migrate reads a version-1 plan (schema_version: 1); this file does not say it is one"))
    splices = [Splice(version.start_mark.index, version.end_mark.index, "2")]
    facts: dict[str, _Facts] = {}
    for node, where in _milestone_nodes(root):
        read = _read_facts(node, where, filename)
        facts[read.item_id] = read
        splices += _milestone_splices(text, node, read)
    for splice in splices:
        removed = text[splice.start : splice.end]
        if not splice.new and _has_comment(removed):
            line = text.count("\n", 0, splice.start) + 1
            raise MigrateError(
                said(
                    "{file}:{line}: a comment on the lines migrate removes ({removed!r}); "
                    "version 2 has no place for it there: move it above the item or delete it, then run migrate again",
                    file=filename,
                    line=line,
                    removed=" ".join(removed.split()),
                )
            )
    try:
        return apply_splices(text, splices), facts
    except EditError as err:
        raise MigrateError(
            [said("this layout cannot be migrated by splices; nothing was changed:"), *err.lines]
        ) from err


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')


def _has_comment(removed: str) -> bool:
    """Whether text about to be removed holds a comment (a `#` after a space or at a line's start, outside quotes)."""
    return any(re.search(r"(?:^|[ \t])#", _QUOTED.sub("", line)) for line in removed.splitlines())


# -- reading version 1 --------------------------------------------------------
class _Facts(NamedTuple):
    """What a version-1 milestone says of its state, to write as entries and to check the result against."""

    item_id: str
    status: str
    started: date | None
    completed: date | None
    evidence: tuple[str, ...]
    verified: date | None
    verified_by: str
    entries: tuple[tuple[yaml.MappingNode, date, str], ...]  # each history entry: node, date, kind


def _milestone_nodes(root: yaml.Node) -> Iterator[tuple[yaml.MappingNode, str]]:
    """Every outcome, action and step mapping in the tree, with a name for messages."""
    for rec in _seq(_value(root, "recommendations")):
        outcome = _value(rec, "outcome")
        if isinstance(outcome, yaml.MappingNode):
            yield outcome, "outcome"
        for action in _seq(_value(rec, "actions")):
            if isinstance(action, yaml.MappingNode):
                yield action, "action"
                for step in _seq(_value(action, "steps")):
                    if isinstance(step, yaml.MappingNode):
                        yield step, "step"


def _read_facts(node: yaml.MappingNode, kind: str, filename: str) -> _Facts:
    item_id = _text(node, "id") or "?"
    what = _named(kind, item_id)

    def day(mapping: yaml.Node, key: str) -> date | None:
        found = _value(mapping, key)
        if found is None:
            return None
        if not isinstance(found, yaml.ScalarNode):
            raise MigrateError(_at(filename, found, said("{what} {key}: expected a date", what=what, key=key)))
        try:
            return parse_iso(found.value)  # as written: a padded date is refused, as version 2 refuses it
        except DateError as err:
            raise MigrateError(
                _at(filename, found, said("{what} {key}: {reason}", what=what, key=key, reason=err.message))
            ) from err

    evidence_node = _value(node, "evidence")
    evidence = tuple(item.value for item in _seq(evidence_node) if isinstance(item, yaml.ScalarNode))
    if evidence_node is not None and (
        not isinstance(evidence_node, yaml.SequenceNode) or len(evidence) != len(evidence_node.value)
    ):
        raise MigrateError(
            _at(filename, evidence_node, said("{what} evidence: expected a list of links or paths", what=what))
        )
    entries = []
    for entry in _seq(_value(node, "history")):
        if not isinstance(entry, yaml.MappingNode):
            raise MigrateError(
                _at(filename, entry, said("{what} history: expected an entry with on: and event:", what=what))
            )
        on = day(entry, "on")
        if on is None:
            raise MigrateError(
                _at(
                    filename,
                    entry,
                    said("{what} history: an entry without `on:`; is this already version 2?", what=what),
                )
            )
        entries.append((entry, on, _text(entry, "event")))
    status = _text(node, "status") or "not-started"
    facts = _Facts(
        item_id,
        status,
        day(node, "started"),
        day(node, "completed"),
        evidence,
        day(node, "verified"),
        _text(node, "verified_by"),
        tuple(entries),
    )
    completions = [_date_in(entry, "completed") for entry, _, kind in entries if kind == "reopened"]
    completions += [facts.completed] if status in DONE_STATUSES else []
    if any(completions) and not evidence:
        first = min(day for day in completions if day)
        raise MigrateError(
            _at(
                filename,
                node,
                said(
                    "{what} was completed on {first} without evidence, and version 2 records evidence with every"
                    " completion: add `evidence: [LINK-OR-PATH]` to it, then run migrate again",
                    what=what,
                    first=str(first),
                ),
            )
        )
    if status == "in-progress" and not facts.started and not any(kind == "restarted" for _, _, kind in entries):
        raise MigrateError(
            _at(
                filename,
                node,
                said(
                    "{what} is in-progress without a started date, and version 2 dates every start: add `started:"
                    " YYYY-MM-DD` (the day work began), then run migrate again",
                    what=what,
                ),
            )
        )
    if (
        evidence
        and evidence_node is not None
        and not facts.completed
        and not any(kind == "reopened" for _, _, kind in entries)
    ):
        raise MigrateError(
            _at(
                filename,
                evidence_node,
                said(
                    "{what} has evidence but was never completed; version 2 attaches evidence to a completion:"
                    " remove it, or complete the milestone, then run migrate again",
                    what=what,
                ),
            )
        )
    return facts


# -- writing version 2 ---------------------------------------------------------
#: Where a new entry goes among the existing ones of the same day.
_RANK = {
    "started": 0,
    "revised": 1,
    "completed": 3,
    "verified": 4,
    "reopened": 5,
    "restarted": 6,
    "retired": 7,
    "note": 8,
}


def _milestone_splices(text: str, node: yaml.MappingNode, facts: _Facts) -> list[Splice]:
    editor = ItemEditor(text, node)
    entries = facts.entries
    splices: list[Splice] = []
    for entry, _, kind in entries:
        splices += _entry_splices(text, entry, kind)
    placed = _new_entries(facts)
    editor.remove("started", "completed", "evidence", "verified", "verified_by")
    history = _value(node, "history")
    at_end = [event for position, event in placed if position >= len(entries)]
    before: dict[int, list[Event]] = {}
    for position, event in placed:
        if position < len(entries):
            before.setdefault(position, []).append(event)
    if at_end:
        editor.append("history", [entry_fields(event) for event in at_end])
    for position, events in before.items():
        assert isinstance(history, yaml.SequenceNode)
        splices.append(_insert_before(text, history, entries[position][0], events, editor))
    return editor.splices + splices


def _entry_splices(text: str, entry: yaml.MappingNode, kind: str) -> list[Splice]:
    """`on:` becomes `date:`, `restarted` becomes `started`, a reopening drops its copies of the state."""
    splices = []
    flow = bool(entry.flow_style)
    for key, value in entry.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "on":
            splices.append(Splice(key.start_mark.index, key.end_mark.index, "date"))
        if isinstance(key, yaml.ScalarNode) and key.value == "event" and kind == "restarted":
            style = value.style if value.style in ("'", '"') else None
            splices.append(Splice(value.start_mark.index, value.end_mark.index, scalar("started", flow, style)))
    if kind == "reopened":
        editor = ItemEditor(text, entry)
        editor.remove("completed", "verified", "verified_by")
        splices += editor.splices
    return splices


def _new_entries(facts: _Facts) -> list[tuple[int, Event]]:
    """The entries the state keys become, each with the index of the existing entry it goes before."""
    entries = facts.entries
    keys = [(on, _RANK.get(kind, 8)) for _, on, kind in entries]
    turns = [i for i, (_, _, kind) in enumerate(entries) if kind in ("reopened", "restarted")]
    placed: list[tuple[int, Event]] = []
    evidence_left = facts.evidence

    def place(event: Event, low: int, high: int) -> None:
        key = (event.on, _RANK[event.kind])
        position = low + sum(1 for i in range(low, high) if keys[i] <= key)
        placed.append((position, event))

    def completion(on: date) -> Event:
        nonlocal evidence_left
        event = Event(on, "completed", evidence=evidence_left)
        evidence_left = ()
        return event

    if facts.started:
        first_turn = turns[0] if turns else len(entries)
        place(Event(facts.started, "started"), 0, first_turn)
    low = 0
    for index, (entry, _on, kind) in enumerate(entries):
        if kind != "reopened":
            continue
        withdrawn = _date_in(entry, "completed")
        if withdrawn:
            place(completion(withdrawn), low, index)
            verified = _date_in(entry, "verified")
            if verified:
                place(Event(verified, "verified", by=_text(entry, "verified_by")), low, index)
        low = index + 1
    low = (turns[-1] + 1) if turns else 0
    if facts.status in DONE_STATUSES and facts.completed:
        place(completion(facts.completed), low, len(entries))
        if facts.status == "verified" and facts.verified:
            place(Event(facts.verified, "verified", by=facts.verified_by), low, len(entries))
    # Within one position: by date, then by the same-day order of kinds.
    return sorted(placed, key=lambda item: (item[0], item[1].on, _RANK[item[1].kind]))


def _insert_before(
    text: str, history: yaml.SequenceNode, entry: yaml.MappingNode, events: list[Event], editor: ItemEditor
) -> Splice:
    """New entries written just before an existing one, in the list's own style."""
    if history.flow_style or editor.flow:
        written = "".join(flow_value(entry_fields(event)) + ", " for event in events)
        return Splice(entry.start_mark.index, entry.start_mark.index, written)
    dash = history.start_mark.column
    offset = max(2, history.value[0].start_mark.column - dash)
    at = line_start(text, entry.start_mark.index)
    while at and (above := line_start(text, at - 1)) < at and text[above:at].strip().startswith("#"):
        at = above  # a comment just above an entry stays with that entry
    written = "".join(block_entry(entry_fields(event), dash, offset, editor.newline) for event in events)
    return Splice(at, at, written)


def _check_same_meaning(plan: Plan, expected: dict[str, _Facts]) -> None:
    """Each milestone of the new plan must say what its version-1 keys said; else refuse."""
    for item in plan.milestones():
        facts = expected.get(item.id)
        if facts is None:
            continue
        claimed = (facts.status, facts.completed, set(facts.evidence), facts.verified, facts.verified_by)
        made = (item.status, item.completed, set(item.evidence), item.verified, item.verified_by)
        started = facts.started is None or item.started == facts.started
        if claimed != made or not started:
            keys = ", ".join(
                f"{name}: {value}"
                for name, value in (
                    ("status", facts.status),
                    ("started", facts.started),
                    ("completed", facts.completed),
                    ("verified", facts.verified),
                    ("verified_by", facts.verified_by),
                )
                if value
            )
            raise MigrateError(
                said(
                    "{what}: its version-1 keys ({keys}) do not tell one story its history can keep "
                    "(they make it {status}); nothing was changed: make them agree (a completed date needs "
                    "status complete or verified, a verification status verified), then run migrate again",
                    what=_named(item.kind, item.id),
                    keys=keys,
                    status=item.status,
                )
            )


#: What the migration rewrites; everything else must read exactly as before.
_REWRITTEN = frozenset({"schema_version", "history", "started", "completed", "evidence", "verified", "verified_by"})


def _check_same_text(old_root: yaml.Node, new_root: yaml.Node) -> None:
    """Every value but the rewritten keys reads as it did: a removed line cannot change a text next to it."""
    if _content(old_root) != _content(new_root) or _entry_texts(old_root) != _entry_texts(new_root):
        raise MigrateError(
            said(
                "a text would read differently once migrated (a key removed after a block text `|` or `>` lets "
                "the text take in a comment indented under it): move that comment, or the key, above the text "
                "and run migrate again"
            )
        )


#: The keys of a history entry that hold what people wrote; the migration never writes them.
_WRITTEN = ("text", "reason", "from", "to", "approved_by")


def _entry_texts(root: yaml.Node) -> list[list[tuple[str, object]]]:
    """What people wrote in the history entries, in order: the same before and after, whatever was put around it."""
    found = []
    for node, _ in _milestone_nodes(root):
        for entry in _seq(_value(node, "history")):
            written = [(key, _content(value)) for key in _WRITTEN if (value := _value(entry, key)) is not None]
            if written:
                found.append(written)
    return found


def _content(node: yaml.Node) -> object:
    """The tree as plain values, the keys the migration rewrites left out."""
    if isinstance(node, yaml.MappingNode):
        return [
            (key.value, _content(value))
            for key, value in node.value
            if not (isinstance(key, yaml.ScalarNode) and key.value in _REWRITTEN)
        ]
    if isinstance(node, yaml.SequenceNode):
        return [_content(item) for item in node.value]
    return (node.tag, node.value)


# -- small readers of the node tree ------------------------------------------------
def _seq(node: yaml.Node | None) -> list[yaml.Node]:
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _text(mapping: yaml.Node, key: str) -> str:
    found = _value(mapping, key)
    return found.value if isinstance(found, yaml.ScalarNode) else ""


def _date_in(mapping: yaml.Node, key: str) -> date | None:
    try:
        return parse_iso(_text(mapping, key)) if _text(mapping, key) else None
    except DateError:
        return None


def _at(filename: str, node: yaml.Node, message: str) -> str:
    return said(
        "{file}:{line}:{col}: {message}",
        file=filename,
        line=node.start_mark.line + 1,
        col=node.start_mark.column + 1,
        message=message,
    )


def _named(kind: str, item_id: str) -> str:
    """`action 1.1`, in words a reader of either language reads."""
    if kind == "outcome":
        return said("outcome {id}", id=item_id)
    if kind == "action":
        return said("action {id}", id=item_id)
    if kind == "step":
        return said("step {id}", id=item_id)
    return said("{kind} {id}", kind=kind, id=item_id)


def _indented(problem: Problem) -> str:
    """A problem as a line under the one that says what it stops, its message in the reader's language."""
    if problem.line:
        return said(
            "  {file}:{line}:{col}: {message}",
            file=problem.file,
            line=problem.line,
            col=problem.col,
            message=problem.message,
        )
    return said("  {file}: {message}", file=problem.file, message=problem.message)


def read_any_version(
    data: bytes, name: str, today: date, shared_people: Mapping[str, Person] | None = None
) -> tuple[Plan | None, list[Problem]]:
    """A plan from the bytes of either version: version 1 is migrated in memory, never written.

    `shared_people`: a portfolio's people, for a version-2 plan (version 1 knew no portfolios).

    For the versions a pull request is compared with (`check --against`,
    `diff`, `log`): the base of the pull request that migrates a plan is
    still version 1, and must read as the same plan to be compared.
    """
    from .source import decode, parse
    from .validate import validate_bytes

    text, _, _ = decode(data, name)
    root = parse(text, name)[0] if text is not None else None
    version = _value(root, "schema_version")
    if text is not None and isinstance(version, yaml.ScalarNode) and version.value == "1" and not version.style:
        try:
            return migrate_text(text, name, today)[1], []
        except MigrateError as err:
            return None, [
                Problem(
                    name,
                    0,
                    0,
                    said(
                        "version 1, and it cannot be migrated: {why}",
                        why=" ".join(line.strip() for line in err.lines),
                    ),
                )
            ]
    return validate_bytes(data, name, today, shared_people=shared_people)
