"""Updates to the plan as text splices, so a reviewer sees only what changed.

An update (complete, start, revise, note, verify, reopen, retire) never dumps the
YAML again: that would drop comments and reflow folded text. It finds the
item's mapping node in the parsed source, computes a few splices at the
character offsets the parser recorded (replace a value, insert a key line at
the item's indentation, append a list entry, delete a key's lines), applies
them, then parses and validates the new text and checks that the new model is
exactly the old one with this update applied. Anything else is refused, and
the caller writes nothing.

Every other character stays as it was: comments, blank lines, key order,
quoting, folded text, the line ending (LF, CRLF or CR), a BOM and a missing
final newline. Flow-style items (`- {id: "1.1", due: ...}`) are edited in
flow style. New text values are written plain when YAML reads them back
verbatim as text, and double-quoted with escapes otherwise.

Nothing here reads the clock or the disk: `today` is an argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

import yaml

from .history import replay_events, replayed
from .model import AmbiguousName, Event, Milestone, Plan, Recommendation

if TYPE_CHECKING:
    from typing import TypeAlias

    #: One value written in the file: text or a date.
    Scalar: TypeAlias = str | date
    #: A history entry as (key, value) pairs in the order plan.yaml writes them;
    #: a value is a scalar or a list of them (evidence).
    Entry: TypeAlias = list[tuple[str, Scalar | list[Scalar]]]
    #: What an update writes under a key: a scalar, or list entries (scalars or history entries).
    Written: TypeAlias = Scalar | list[Scalar] | list[Entry]

_NEWLINE = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_LOADER = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_BOM = "\ufeff"

#: Where keys go when an update adds them: after the nearest key that comes
#: before them in this order, so a plan stays in the order people expect.
KEY_ORDER = ("id", "label", "text", "due", "leads", "status", "history", "steps")


# -- updates ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Complete:
    item_id: str
    on: date
    evidence: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Start:
    item_id: str
    on: date


@dataclass(frozen=True, slots=True)
class Revise:
    item_id: str
    due: date
    reason: str
    on: date
    approved_by: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    item_id: str
    text: str
    on: date


@dataclass(frozen=True, slots=True)
class Verify:
    item_id: str
    on: date
    by: str


@dataclass(frozen=True, slots=True)
class Reopen:
    item_id: str
    reason: str
    on: date


@dataclass(frozen=True, slots=True)
class Retire:
    item_id: str
    reason: str
    on: date


Update = Complete | Start | Revise | Note | Verify | Reopen | Retire


class EditError(Exception):
    """An update refused; `lines` say why, `code` is the exit code (1, or 70 for a bug)."""

    def __init__(self, lines: list[str] | str, code: int = 1):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        self.code = code
        super().__init__("\n".join(self.lines))


class UnknownItem(EditError):
    """No item with that id; `known` lists the ids a command may name."""

    def __init__(self, item_id: str, known: list[str]):
        self.item_id = item_id
        self.known = known
        super().__init__(f"no item {item_id!r} in the plan")


# -- entry points ----------------------------------------------------------
def apply_bytes(
    data: bytes,
    update: Update,
    *,
    today: date,
    filename: str = "plan.yaml",
    plan: Plan | None = None,
    incremental: bool = True,
) -> bytes:
    """The file's bytes with `update` applied; the BOM, if any, is kept.

    `plan`, if given, must be the plan validated from these very bytes (it
    saves reading them twice).
    """
    from .source import decode

    text, bom, problems = decode(data, filename)
    if text is None:
        raise EditError([str(p) for p in problems])
    new_text = apply(text, update, today=today, filename=filename, plan=plan, incremental=incremental)
    return ((_BOM if bom else "") + new_text).encode("utf-8")


def apply(
    text: str,
    update: Update,
    *,
    today: date,
    filename: str = "plan.yaml",
    plan: Plan | None = None,
    incremental: bool = True,
) -> str:
    """`text` (decoded, without BOM) with `update` applied, checked, or EditError.

    The new text is checked before it is returned: it must be valid and read
    as the old plan with exactly this milestone changed as the update says.
    With `incremental` (the default) that is proven from the item's own
    lines when it can be (`revalidate_item`), which costs a few lines
    instead of the whole plan; otherwise, and for every refusal, the whole
    new text is parsed and validated again (`check_full`).
    """
    if update.on > today:
        # The plan would refuse it too, but with a position in text never written.
        raise EditError(f"dated {update.on}, after today ({today}); record things once they happen")
    if plan is None:
        plan = _read(text, filename, today, "the plan is invalid; fix it before updating it:")
    change = splice_update(text, plan, update)
    if (
        incremental
        and revalidate_item(text, change.new_text, change.start, change.end, plan, change.item, filename, today)
        == change.expected
    ):
        return change.new_text
    check_full(change.new_text, plan, change.expected, filename, today)
    return change.new_text


@dataclass(frozen=True, slots=True)
class Change:
    """An update spliced into the text, not yet checked: `text[start:end]` became `new_text[start:end + len(new_text) - len(text)]`."""

    item: Milestone
    expected: Milestone
    new_text: str
    start: int
    end: int


def splice_update(text: str, plan: Plan, update: Update) -> Change:
    """The update's splices applied to `text` (whose valid plan is `plan`), or a refusal; nothing is checked yet."""
    item = find_milestone(plan, update.item_id)
    expected = expected_milestone(item, update)
    editor = _ItemEditor(text, item.at.node)
    _SPLICERS[type(update)](editor, item, update)
    if not editor.splices:
        return Change(item, expected, text, 0, 0)
    start = min(splice.start for splice in editor.splices)
    end = max(splice.end for splice in editor.splices)
    return Change(item, expected, editor.result(), start, end)


def check_full(new_text: str, plan: Plan, expected: Milestone, filename: str, today: date) -> None:
    """Parse and validate all of `new_text`; it must read as `plan` with `expected` in place, or EditError."""
    new_plan = _read(
        new_text,
        filename,
        today,
        "the update would make the plan invalid, so nothing was changed (positions are in the updated text):",
    )
    if new_plan != replace_milestone(plan, expected):
        raise EditError(
            f"internal error: the edit of {expected.id} did not read back as intended; nothing was changed (please report this bug)",
            code=70,
        )


def revalidate_item(
    old_text: str, new_text: str, start: int, end: int, plan: Plan, item: Milestone, filename: str, today: date
) -> Milestone | None:
    """The milestone `new_text` holds in place of `item`, read from its own lines only; None unless proven.

    `plan` is the valid plan read from `old_text`, and `new_text` is
    `old_text` with `old_text[start:end]` replaced. When that change lies
    within the item's lines (from the line of its first key to the end of
    its last one, both block style), the whole file reads as before except
    for this item, which reads as those lines read on their own, followed
    by the blank and comment lines after them, provided that:

    - no line after the first holds anything but a comment left of the
      item's keys;
    - they parse alone (the same checks as a whole file: tabs, depth,
      anchors, aliases, tags, syntax) into exactly one block mapping at the
      item's column, itself the one entry of a block list at the dash's
      column when the item's first line starts with `- `;
    - the first line after them that holds anything else is indented less
      than the item's keys, so it closes the item in the file as it did
      before (and the blank and comment lines in between mean the same
      alone as in the file: a block scalar ending the item takes them
      into account both ways).

    The milestone is then built by `validate.validate_milestone`, the very
    checks `validate` runs on it in place. None means "not proven": the
    caller re-validates the whole text, which decides, and words any
    refusal with positions in the file. The id must be unchanged, so ids
    stay unique; the caller compares the result with the milestone it
    expects.
    """
    from .source import parse
    from .validate import validate_milestone

    node = item.at.node
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        return None
    first = node.value[0][0]
    column = first.start_mark.column
    at = first.start_mark.index
    line_start = at - column
    if line_start < 0 or (line_start and old_text[line_start - 1] not in _BREAKS):
        return None
    lead = old_text[line_start:at]
    if lead.strip(" ") not in ("", "-"):
        return None  # `- # comment` lines, `? ` keys and such: leave them to the full check
    dash = lead.find("-")
    old_end, _ = _after_line(old_text, _content_end(old_text, node))
    if not line_start <= start <= end <= old_end:
        return None
    new_end = old_end + len(new_text) - len(old_text)
    if new_end < len(new_text) and (
        new_text[new_end - 1] not in _BREAKS or new_text[new_end - 1 : new_end + 1] == "\r\n"
    ):
        return None  # the change joined the item's last line to the next one
    region_end, next_line = _after_trivia(new_text, new_end)
    if next_line is not None and len(next_line) - len(next_line.lstrip(" ")) >= column:
        return None
    region = new_text[line_start:region_end]
    if _outdented_line(region, column):
        return None
    root, problems = parse(region, filename)
    if root is None or problems or not isinstance(root, yaml.CollectionNode) or root.flow_style:
        return None
    if dash >= 0:
        if not isinstance(root, yaml.SequenceNode) or len(root.value) != 1 or root.start_mark.column != dash:
            return None
        root = root.value[0]
    if not isinstance(root, yaml.MappingNode) or root.flow_style or root.start_mark.column != column:
        return None
    milestone, problems = validate_milestone(root, plan, item, filename, today)
    if problems or milestone is None or milestone.id != item.id:
        return None  # a new id might clash with another item's: only the full check sees every id
    return milestone


_BREAKS = "\n\r\x85\u2028\u2029"


def _outdented_line(region: str, column: int) -> bool:
    """True if a line after the first holds anything but a comment left of `column`.

    Such a line (`...`, `---`, a directive, content the item's own parse
    would take differently) may mean something else in the file than in
    the region alone, so the region proves nothing.
    """
    for line in _NEWLINE.split(region)[1:]:
        body = line.lstrip(" ")
        if body and not body.startswith("#") and len(line) - len(body) < column:
            return True
    return False


def _after_trivia(text: str, pos: int) -> tuple[int, str | None]:
    """The end of the blank and comment lines from `pos` (a line start), and the next line, if any."""
    while pos < len(text):
        match = _NEWLINE.search(text, pos)
        stop = match.start() if match else len(text)
        line = text[pos:stop]
        body = line.lstrip(" ")
        if body and not body.startswith("#"):
            return pos, line
        pos = match.end() if match else len(text)
    return pos, None


def complete(text: str, item_id: str, on: date, evidence: tuple[str, ...] = (), note: str = "", *, today: date) -> str:
    return apply(text, Complete(item_id, on, tuple(evidence), note), today=today)


def start(text: str, item_id: str, on: date, *, today: date) -> str:
    return apply(text, Start(item_id, on), today=today)


def revise(text: str, item_id: str, due: date, reason: str, on: date, approved_by: str = "", *, today: date) -> str:
    return apply(text, Revise(item_id, due, reason, on, approved_by), today=today)


def note(text: str, item_id: str, note_text: str, on: date, *, today: date) -> str:
    return apply(text, Note(item_id, note_text, on), today=today)


def verify(text: str, item_id: str, on: date, by: str, *, today: date) -> str:
    return apply(text, Verify(item_id, on, by), today=today)


def reopen(text: str, item_id: str, reason: str, on: date, *, today: date) -> str:
    return apply(text, Reopen(item_id, reason, on), today=today)


# -- the model of an update --------------------------------------------------
def find_milestone(plan: Plan, item_id: str) -> Milestone:
    """The milestone an update names, or a refusal that says what to name instead."""
    try:
        found = plan.find(item_id)
    except AmbiguousName as err:
        raise EditError(str(err)) from None
    if found is None:
        raise UnknownItem(item_id, plan.ids())
    if isinstance(found, Recommendation):
        names = [m.id for m in found.milestones()]
        raise EditError(f"{item_id!r} is a recommendation; update one of its milestones: {', '.join(names)}")
    if not isinstance(found, Milestone):
        raise EditError(f"{item_id!r} is a person; update one of the milestones they lead")
    if found.steps:
        step_ids = ", ".join(step.id for step in found.steps)
        raise EditError(f"action {found.id} has steps; its steps are the milestones: update {step_ids}")
    return found


def expected_milestone(item: Milestone, update: Update) -> Milestone:
    """The milestone as it must read after `update`, or a refusal.

    The update becomes dated history entries (`new_entries`), and the
    history replayed with them must break none of `history.RULES`: the very
    rules `validate` applies to the file, so the command line refuses
    exactly what a hand edit could not get past `validate` either.
    """
    what = f"{item.kind} {item.id}"
    if isinstance(update, Revise) and update.due == item.due and item.status not in ("complete", "verified", "retired"):
        raise EditError(f"{what} is already due {item.due}; nothing to revise")
    entries = new_entries(item, update)
    result = replay_events(item.history + entries, item.original_due)
    complaints = [complaint for event, complaint in result.problems if any(event is entry for entry in entries)]
    if complaints:
        raise EditError(f"{what}: {complaints[0]}")
    return replayed(item, result)


def new_entries(item: Milestone, update: Update) -> tuple[Event, ...]:
    """The dated history entries that record `update`, in the order they are written."""
    if isinstance(update, Complete):
        evidence = tuple(dict.fromkeys(_need(e, "--evidence") for e in update.evidence))
        completed = Event(update.on, "completed", evidence=evidence)
        return (completed, Event(update.on, "note", text=_need(update.note, "--note"))) if update.note else (completed,)
    if isinstance(update, Start):
        return (Event(update.on, "started"),)
    if isinstance(update, Revise):
        approved_by = _need(update.approved_by, "--approved-by") if update.approved_by.strip() else ""
        return (
            Event(
                update.on,
                "revised",
                reason=_need(update.reason, "--reason"),
                from_due=item.due,
                to_due=update.due,
                approved_by=approved_by,
            ),
        )
    if isinstance(update, Note):
        return (Event(update.on, "note", text=_need(update.text, "TEXT")),)
    if isinstance(update, Verify):
        return (Event(update.on, "verified", by=_need(update.by, "--by")),)
    if isinstance(update, Reopen):
        return (Event(update.on, "reopened", reason=_need(update.reason, "--reason")),)
    if isinstance(update, Retire):
        return (Event(update.on, "retired", reason=_need(update.reason, "--reason")),)
    raise TypeError(f"not an update: {update!r}")


def replace_milestone(plan: Plan, new: Milestone) -> Plan:
    """`plan` with the milestone of the same id (an outcome, action or step) replaced."""

    def swap(item: Milestone) -> Milestone:
        if item.id == new.id:
            return new
        if item.steps:
            return item._replace(steps=tuple(swap(step) for step in item.steps))
        return item

    recommendations = tuple(
        rec._replace(outcome=swap(rec.outcome), actions=tuple(swap(a) for a in rec.actions))
        if rec.id == new.recommendation
        else rec
        for rec in plan.recommendations
    )
    return plan._replace(recommendations=recommendations)


def _need(value: str, option: str) -> str:
    if not value.strip():
        raise EditError(f"{option} must not be empty")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise EditError(f"{option} is not valid text (it holds bytes that are not UTF-8)")
    return value


def _read(text: str, filename: str, today: date, heading: str) -> Plan:
    from .source import parse
    from .validate import validate_tree

    root, problems = parse(text, filename)
    plan = None
    if root is not None:
        plan, problems = validate_tree(root, filename, today)
    if plan is None:
        raise EditError([heading] + [f"  {problem}" for problem in problems])
    return plan


# -- splices for each update ---------------------------------------------------
#: The status each update leaves, written beside its history entry; None keeps it.
_STATUS_AFTER = {Complete: "complete", Start: "in-progress", Verify: "verified", Reopen: "reopened", Retire: "retired"}


def _splice_update(editor: _ItemEditor, item: Milestone, update: Update) -> None:
    """Every update: its status (if it changes one), its due date (a revision), then its entries appended."""
    status = _STATUS_AFTER.get(type(update))
    if status:
        editor.set("status", status)
    if isinstance(update, Revise):
        editor.set("due", update.due)
    editor.append("history", [entry_fields(event) for event in new_entries(item, update)])


def entry_fields(event: Event) -> Entry:
    """A history entry as (key, value) pairs in the order plan.yaml writes them."""
    fields: Entry = [("date", event.on), ("event", event.kind)]
    if event.kind == "completed" and event.evidence:
        fields.append(("evidence", list(event.evidence)))
    if event.kind == "verified":
        fields.append(("by", event.by))
    if event.kind == "revised":
        assert event.from_due is not None and event.to_due is not None, "a revision names both due dates"
        fields += [("from", event.from_due), ("to", event.to_due)]
    if event.reason:
        fields.append(("reason", event.reason))
    if event.approved_by:
        fields.append(("approved_by", event.approved_by))
    if event.kind == "note":
        fields.append(("text", event.text))
    return fields


_SPLICERS = dict.fromkeys((Complete, Start, Revise, Note, Verify, Reopen, Retire), _splice_update)


# -- the text editor of one item ------------------------------------------------
@dataclass(frozen=True, slots=True)
class Splice:
    """Replace text[start:end] with `new`; `order` breaks ties between insertions at one point."""

    start: int
    end: int
    new: str
    order: int = 0


def apply_splices(text: str, splices: list[Splice]) -> str:
    """Apply non-overlapping splices; insertions at the same point keep their `order`."""
    out = []
    pos = 0
    for splice in sorted(splices, key=lambda s: (s.start, s.end, s.order)):
        if splice.start < pos:
            raise EditError(
                f"internal error: overlapping edits at offset {splice.start}; nothing was changed (please report this bug)",
                code=70,
            )
        out.append(text[pos : splice.start])
        out.append(splice.new)
        pos = splice.end
    out.append(text[pos:])
    return "".join(out)


class _ItemEditor:
    """Splices that change one milestone's mapping node in `text`, block or flow style."""

    def __init__(self, text: str, node: yaml.MappingNode):
        if not isinstance(node, yaml.MappingNode):
            raise EditError("internal error: the item is not a mapping in the file (please report this bug)", code=70)
        self.text = text
        self.node = node
        self.flow = bool(node.flow_style)
        self.pairs = {key.value: (key, value) for key, value in node.value}
        match = _NEWLINE.search(text)
        self.newline = match.group() if match else "\n"
        self.splices: list[Splice] = []
        self.indent = node.value[0][0].start_mark.column

    def result(self) -> str:
        return apply_splices(self.text, self.splices)

    # -- operations --------------------------------------------------------
    def set(self, key: str, value: str | date) -> None:
        """Replace the key's value in place, or add the key."""
        if key in self.pairs:
            node = self.pairs[key][1]
            if not isinstance(node, yaml.ScalarNode):
                raise EditError(f"{key}: expected a single value in the file, found a list or mapping; fix it by hand")
            style = node.style if node.style in ("'", '"') else None
            self.splices.append(
                Splice(node.start_mark.index, _content_end(self.text, node), _scalar(value, self.flow, style))
            )
        else:
            self._insert(key, value)

    def remove(self, *keys: str) -> None:
        """Remove these keys with their values; each run of neighbouring keys is one splice, so no two overlap."""
        pairs = self.node.value
        gone = [i for i, (k, _) in enumerate(pairs) if isinstance(k, yaml.ScalarNode) and k.value in keys]
        if not gone:
            return
        if len(gone) == len(pairs):
            raise EditError(f"cannot remove every key of an item ({', '.join(keys)})")
        runs: list[list[int]] = []
        for index in gone:
            if runs and runs[-1][1] == index - 1:
                runs[-1][1] = index
            else:
                runs.append([index, index])
        for first, last in runs:
            key_node = pairs[first][0]
            if self.flow:
                if first > 0:
                    start, end = pairs[first - 1][1].end_mark.index, pairs[last][1].end_mark.index
                else:
                    start, end = key_node.start_mark.index, pairs[last + 1][0].start_mark.index
            else:
                line_start = _line_start(self.text, key_node.start_mark.index)
                if self.text[line_start : key_node.start_mark.index].strip(" "):
                    # `- completed: ...` opens the item: keep the dash, drop up to the next key kept.
                    start, end = key_node.start_mark.index, pairs[last + 1][0].start_mark.index
                else:
                    start, end = line_start, _after_line(self.text, _content_end(self.text, pairs[last][1]))[0]
            self.splices.append(Splice(start, end, ""))

    def append(self, key: str, entries: list[Entry]) -> None:
        """Append entries (scalars or records) to the list under `key`, adding the key if absent."""
        if key not in self.pairs:
            self._insert(key, entries)
            return
        seq = self.pairs[key][1]
        if not isinstance(seq, yaml.SequenceNode):
            raise EditError(f"{key}: expected a list in the file; fix it by hand")
        if seq.flow_style or self.flow:
            if seq.value:
                at, lead = seq.value[-1].end_mark.index, ", "
            else:
                at, lead = seq.start_mark.index + 1, ""
            self.splices.append(Splice(at, at, lead + ", ".join(_flow_value(e) for e in entries)))
            return
        dash = seq.start_mark.column
        offset = max(2, seq.value[0].start_mark.column - dash)
        at, missing_break = _after_line(self.text, _content_end(self.text, seq))
        if missing_break:
            self._keep_last_value(seq)
        block = "".join(_block_entry(e, dash, offset, self.newline) for e in entries)
        self.splices.append(Splice(at, at, _fit(block, missing_break, self.newline), order=99))

    # -- placing new keys ----------------------------------------------------
    def _insert(self, key: str, value: Written) -> None:
        rank = KEY_ORDER.index(key)
        # Keys this version does not write (a version-1 plan being migrated) place nothing.
        earlier = [
            i for i, (k, _) in enumerate(self.node.value) if k.value in KEY_ORDER and KEY_ORDER.index(k.value) < rank
        ]
        anchor = self.node.value[max(earlier) if earlier else -1][1]
        if self.flow:
            at = anchor.end_mark.index
            self.splices.append(Splice(at, at, f", {key}: {_flow_value(value)}", order=rank))
            return
        at, missing_break = _after_line(self.text, _content_end(self.text, anchor))
        if missing_break:
            self._keep_last_value(anchor)
        pad = " " * self.indent
        if isinstance(value, list):
            offset = _sequence_offset(self.node)
            lines = f"{pad}{key}:{self.newline}" + "".join(
                _block_entry(e, self.indent + offset, 2, self.newline) for e in value
            )
        else:
            lines = f"{pad}{key}: {_scalar(value, False)}{self.newline}"
        self.splices.append(Splice(at, at, _fit(lines, missing_break, self.newline), order=rank))

    def _keep_last_value(self, node: yaml.Node) -> None:
        """Before lines are added after the file's last line, which has no line break: keep a block text there as it reads.

        A block scalar (`|` or `>`) that ends the file without a final line
        break reads without a final newline; once a line follows it, its
        default "clip" chomping would give it one. Its chomping indicator
        becomes `-` (strip), which reads the same text either way.
        """
        while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(node, yaml.MappingNode) else last
        if not isinstance(node, yaml.ScalarNode) or node.style not in ("|", ">"):
            return
        start = node.start_mark.index + 1  # just past the `|` or `>`
        header = self.text[start : _after_line(self.text, start)[0]]
        indicators = len(header) - len(header.lstrip("+-0123456789"))
        chomping = next((ch for ch in header[:indicators] if ch in "+-"), "")
        if chomping == "-":
            return
        at = start + header.index("+") if chomping == "+" else start + indicators
        splice = Splice(at, at + 1 if chomping == "+" else at, "-")
        if splice not in self.splices:  # a status and a history entry both added at the end: one `-`
            self.splices.append(splice)


def _sequence_offset(node: yaml.MappingNode) -> int:
    """How far this file indents a block list under its key: 2 by default, 0 for `key:\\n- x`."""
    pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
    for key, value in pairs:
        if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
            return value.start_mark.column - key.start_mark.column
    return 2


def _fit(lines: str, missing_break: bool, newline: str) -> str:
    """Lines to insert at the very end of a file that has no final line break keep it so."""
    if missing_break:
        return newline + lines[: -len(newline)]
    return lines


def _block_entry(entry: Scalar | Entry, dash: int, offset: int, newline: str) -> str:
    pad = " " * dash
    if isinstance(entry, list):
        (first_key, first_value), *rest = entry
        first = cast("Scalar", first_value)  # an entry opens with its date
        head = f"{pad}-{' ' * (offset - 1)}{first_key}: {_scalar(first, False)}{newline}"
        return head + "".join(_block_pair(k, v, dash + offset, newline) for k, v in rest)
    return f"{pad}-{' ' * max(1, offset - 1)}{_scalar(entry, False)}{newline}"


def _block_pair(key: str, value: Scalar | list[Scalar], indent: int, newline: str) -> str:
    """`key: value` at `indent`; a list value as one `- item` line each, indented under the key."""
    pad = " " * indent
    if isinstance(value, list):
        return f"{pad}{key}:{newline}" + "".join(_block_entry(item, indent + 2, 2, newline) for item in value)
    return f"{pad}{key}: {_scalar(value, False)}{newline}"


def _flow_value(value: Written | Entry) -> str:
    # A list's items tell what it holds; the casts say what the tests found.
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return "[" + ", ".join(_flow_value(entry) for entry in value) + "]"
        if value and all(isinstance(pair, tuple) for pair in value):
            return "{" + ", ".join(f"{k}: {_flow_value(v)}" for k, v in cast("Entry", value)) + "}"
        return "[" + ", ".join(_scalar(entry, True) for entry in cast("list[Scalar]", value)) + "]"
    return _scalar(value, True)


# -- positions -------------------------------------------------------------
def _line_start(text: str, index: int) -> int:
    """Offset of the first character of the line holding `index` (searched backwards: plans are long)."""
    return max(text.rfind(ch, 0, index) for ch in _BREAKS) + 1


def _after_line(text: str, index: int) -> tuple[int, bool]:
    """The start of the line after the one holding `index`; (len, True) at a last line with no break."""
    match = _NEWLINE.search(text, index)
    if match is None:
        return len(text), True
    return match.end(), False


def _content_end(text: str, node: yaml.Node) -> int:
    """Just past the last character that belongs to `node` (trailing blank lines and comments excluded)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark.index
        if node.style in ("|", ">"):
            header = text[node.start_mark.index : _after_line(text, node.start_mark.index)[0]]
            if "+" in header.split("#", 1)[0]:
                # kept trailing lines belong to the value: end before the last break
                match = None
                for match in _NEWLINE.finditer(text, node.start_mark.index, end):  # noqa: B007 - the last break is wanted
                    pass
                return match.start() if match and match.end() == end else end
            while end > node.start_mark.index and text[end - 1] in " \t\r\n\x85\u2028\u2029":
                end -= 1
        return end
    if getattr(node, "flow_style", False) or not node.value:
        return node.end_mark.index
    last = node.value[-1]
    if isinstance(node, yaml.MappingNode):
        key, value = last
        return max(_content_end(text, key), _content_end(text, value))
    return _content_end(text, last)


# -- writing values --------------------------------------------------------
_PLAIN_START_FORBIDDEN = set("-?:,[]{}#&*!|>'\"%@`")


def _scalar(value: str | date, flow: bool, style: str | None = None) -> str:
    """A value as YAML reads it back verbatim: plain when safe, else double-quoted.

    `style` is the quoting of the value being replaced: a quoted value stays
    quoted the same way (`status: "complete"`), so only its words change.
    """
    if isinstance(value, date):
        value_text = value.isoformat()
        if style not in ("'", '"'):
            return value_text
        value = value_text
    if style == "'" and value.isprintable():
        single = "'" + value.replace("'", "''") + "'"
        if _read_back(single, flow) == value:
            return single
    if style != '"' and _plain_ok(value, flow):
        return value
    quoted = double_quoted(value)
    if _read_back(quoted, flow) != value:
        raise EditError(
            f"internal error: cannot write {value!r} so YAML reads it back unchanged (please report this bug)", code=70
        )
    return quoted


def _plain_ok(value: str, flow: bool) -> bool:
    if not value or value != value.strip() or value[0] in _PLAIN_START_FORBIDDEN:
        return False
    if any(ch in value for ch in "\n\r\t\x85\u2028\u2029\ufeff") or not value.isprintable():
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and any(ch in value for ch in ",[]{}"):
        return False
    return _read_back(value, flow) == value


def _read_back(rendered: str, flow: bool) -> str | None:
    """What YAML makes of `rendered` as a mapping value and a list entry; None unless text both ways."""
    docs = (f"{{k: {rendered}}}", f"[{rendered}]") if flow else (f"k: {rendered}\n", f"- {rendered}\n")
    values = []
    for doc in docs:
        try:
            root = yaml.compose(doc, Loader=_LOADER)
        except yaml.YAMLError:
            return None
        if root is None:
            return None
        node = root.value[0][1] if isinstance(root, yaml.MappingNode) else root.value[0] if root.value else None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR_TAG:
            return None
        values.append(node.value)
    return values[0] if len(set(values)) == 1 else None


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar that reads back as `value` exactly, controls escaped."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or 0x7F <= code < 0xA0 or ch == "\ufeff" or not ch.isprintable() and code > 0xFF:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
