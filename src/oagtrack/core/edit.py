"""Updates to the plan as text splices, so a reviewer sees only what changed.

An update (complete, start, revise, note, verify, reopen, retire) never dumps the
YAML again: that would drop comments and reflow folded text. Each kind of
update is one class that says which dated history entries record it
(`entries`), the status it leaves (`status_after`) and how it is written into
the item (`splice`, through `yamltext.ItemEditor`: replace a value, insert a
key line at the item's indentation, append a list entry). The new text is
then parsed and validated, and the new model must be exactly the old one
with this update applied. Anything else is refused, and the caller writes
nothing.

Every other character stays as it was: comments, blank lines, key order,
quoting, folded text, the line ending (LF, CRLF or CR), a BOM and a missing
final newline. Flow-style items (`- {id: "1.1", due: ...}`) are edited in
flow style. New text values are written plain when YAML reads them back
verbatim as text, and double-quoted with escapes otherwise.

The model keeps positions, not YAML nodes: the item's node is found again
in the parsed tree (`source.node_at`), the tree the caller read the plan
from when it has one (`store.Loaded.tree`), else parsed here.

Nothing here reads the clock or the disk: `today` is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

import yaml

from .history import milestone_named, replay_events, replayed
from .model import LANGUAGES, AmbiguousName, Event, Milestone, Plan, Recommendation, Texts
from .problems import Problem, Said, said
from .source import node_at
from .yamltext import BREAKS, NEWLINE, ItemEditor, after_line, content_end
from .yamltext import EditError as EditError  # raised here too; callers catch it from here

if TYPE_CHECKING:
    from .yamltext import Entry, Scalar

_BOM = "\ufeff"


# -- updates ---------------------------------------------------------------
class UpdateKind:
    """What every kind of update does; each kind is one class below, adding a kind is adding one class.

    An update becomes dated history entries (`entries`), written at the end
    of the item's history, with the status it leaves (`status_after`)
    written beside them; `splice` writes them, and a kind that changes
    another key (`Revise`, the due date) adds it there.
    """

    __slots__ = ()
    #: The status the update leaves, written beside its entries; None keeps the status as it is.
    status_after: ClassVar[str | None] = None
    item_id: str
    on: date

    def entries(self, item: Milestone) -> tuple[Event, ...]:
        """The dated history entries that record this update on `item`, in the order they are written."""
        raise NotImplementedError

    def splice(self, editor: ItemEditor, entries: tuple[Event, ...]) -> None:
        """Write the update into the item: its status, if it changes one, then its entries appended."""
        if self.status_after:
            editor.set("status", self.status_after)
        editor.append("history", [entry_fields(event) for event in entries])


@dataclass(frozen=True, slots=True)
class Complete(UpdateKind):
    item_id: str
    on: date
    evidence: tuple[str, ...] = ()
    note: str = ""
    status_after: ClassVar[str | None] = "complete"

    def entries(self, item: Milestone) -> tuple[Event, ...]:
        """A completion with its evidence (each link once), and the note given with it, if any."""
        evidence = tuple(dict.fromkeys(_need(link, "--evidence") for link in self.evidence))
        completed = Event(self.on, "completed", evidence=evidence)
        return (completed, Event(self.on, "note", text=_need(self.note, "--note"))) if self.note else (completed,)


@dataclass(frozen=True, slots=True)
class Start(UpdateKind):
    item_id: str
    on: date
    status_after: ClassVar[str | None] = "in-progress"

    def entries(self, item: Milestone) -> tuple[Event, ...]:
        return (Event(self.on, "started"),)


@dataclass(frozen=True, slots=True)
class Revise(UpdateKind):
    item_id: str
    due: date
    reason: str
    on: date
    approved_by: str = ""

    def entries(self, item: Milestone) -> tuple[Event, ...]:
        """A revision from the item's due date to the new one; refused when the date would not move."""
        if self.due == item.due and item.status not in ("complete", "verified", "retired"):
            raise EditError(
                said("{what} is already due {due}; nothing to revise", what=milestone_named(item), due=item.due)
            )
        approved_by = _need(self.approved_by, "--approved-by") if self.approved_by.strip() else ""
        revised = Event(
            self.on,
            "revised",
            reason=_need(self.reason, "--reason"),
            from_due=item.due,
            to_due=self.due,
            approved_by=approved_by,
        )
        return (revised,)

    def splice(self, editor: ItemEditor, entries: tuple[Event, ...]) -> None:
        """The new due date in place of the old one, then the revision appended."""
        editor.set("due", self.due)
        UpdateKind.splice(self, editor, entries)  # not super(): a slotted dataclass is a new class, its cell the old


@dataclass(frozen=True, slots=True)
class Note(UpdateKind):
    item_id: str
    text: str
    on: date

    def entries(self, item: Milestone) -> tuple[Event, ...]:
        return (Event(self.on, "note", text=_need(self.text, "TEXT")),)


@dataclass(frozen=True, slots=True)
class Verify(UpdateKind):
    item_id: str
    on: date
    by: str
    status_after: ClassVar[str | None] = "verified"

    def entries(self, item: Milestone) -> tuple[Event, ...]:
        return (Event(self.on, "verified", by=_need(self.by, "--by")),)


@dataclass(frozen=True, slots=True)
class Reopen(UpdateKind):
    item_id: str
    reason: str
    on: date
    status_after: ClassVar[str | None] = "reopened"

    def entries(self, item: Milestone) -> tuple[Event, ...]:
        return (Event(self.on, "reopened", reason=_need(self.reason, "--reason")),)


@dataclass(frozen=True, slots=True)
class Retire(UpdateKind):
    item_id: str
    reason: str
    on: date
    status_after: ClassVar[str | None] = "retired"

    def entries(self, item: Milestone) -> tuple[Event, ...]:
        return (Event(self.on, "retired", reason=_need(self.reason, "--reason")),)


Update = Complete | Start | Revise | Note | Verify | Reopen | Retire


class UnknownItem(EditError):
    """No item with that id; `known` lists the ids a command may name."""

    def __init__(self, item_id: str, known: list[str]):
        self.item_id = item_id
        self.known = known
        super().__init__(said("no item {item_id!r} in the plan", item_id=item_id))


# -- entry points ----------------------------------------------------------
def apply_bytes(
    data: bytes,
    update: Update,
    *,
    today: date,
    filename: str = "plan.yaml",
    plan: Plan | None = None,
    tree: yaml.Node | None = None,
    incremental: bool = True,
) -> bytes:
    """The file's bytes with `update` applied; the BOM, if any, is kept.

    `plan`, if given, must be the plan validated from these very bytes, and
    `tree` the node tree it was read from (`store.Loaded` holds both): they
    save reading the bytes again.
    """
    from .source import decode

    text, bom, problems = decode(data, filename)
    if text is None:
        raise EditError([problem_said(p) for p in problems])
    new_text = apply(text, update, today=today, filename=filename, plan=plan, tree=tree, incremental=incremental)
    return ((_BOM if bom else "") + new_text).encode("utf-8")


def apply(
    text: str,
    update: Update,
    *,
    today: date,
    filename: str = "plan.yaml",
    plan: Plan | None = None,
    tree: yaml.Node | None = None,
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
        raise EditError(
            said("dated {on}, after today ({today}); record things once they happen", on=update.on, today=today)
        )
    if plan is None:
        plan, tree = _read(text, filename, today, said("the plan is invalid; fix it before updating it:"))
    elif tree is None:
        tree = _tree(text, filename)
    spliced = splice_update(text, plan, tree, update)
    if (
        incremental
        and revalidate_item(
            text, spliced.new_text, spliced.start, spliced.end, plan, spliced.item, spliced.node, filename, today
        )
        == spliced.expected
    ):
        return spliced.new_text
    check_full(spliced.new_text, plan, spliced.expected, filename, today)
    return spliced.new_text


@dataclass(frozen=True, slots=True)
class SplicedUpdate:
    """An update spliced into the text, not yet checked.

    `text[start:end]` became `new_text[start:end + len(new_text) - len(text)]`;
    `node` is the item's mapping node in the old text.
    """

    item: Milestone
    expected: Milestone
    new_text: str
    start: int
    end: int
    node: yaml.Node | None


def splice_update(text: str, plan: Plan, tree: yaml.Node, update: Update) -> SplicedUpdate:
    """The update's splices applied to `text` (whose valid plan is `plan`, read from `tree`), or a refusal.

    Nothing is checked yet.
    """
    item = find_milestone(plan, update.item_id)
    entries = update.entries(item)
    expected = expected_milestone(item, entries)
    node = node_at(tree, item.at.line, item.at.col)
    editor = ItemEditor(text, node)
    update.splice(editor, entries)
    if not editor.splices:
        return SplicedUpdate(item, expected, text, 0, 0, node)
    start = min(splice.start for splice in editor.splices)
    end = max(splice.end for splice in editor.splices)
    return SplicedUpdate(item, expected, editor.result(), start, end, node)


def check_full(new_text: str, plan: Plan, expected: Milestone, filename: str, today: date) -> None:
    """Parse and validate all of `new_text`; it must read as `plan` with `expected` in place, or EditError."""
    new_plan, _ = _read(
        new_text,
        filename,
        today,
        said("the update would make the plan invalid, so nothing was changed (positions are in the updated text):"),
    )
    if new_plan != replace_milestone(plan, expected):
        raise EditError(
            said(
                "internal error: the edit of {id} did not read back as intended; nothing was changed"
                " (please report this bug)",
                id=expected.id,
            ),
            code=70,
        )


def revalidate_item(
    old_text: str,
    new_text: str,
    start: int,
    end: int,
    plan: Plan,
    item: Milestone,
    node: yaml.Node | None,
    filename: str,
    today: date,
) -> Milestone | None:
    """The milestone `new_text` holds in place of `item`, read from its own lines only; None unless proven.

    `plan` is the valid plan read from `old_text`, `node` is `item`'s
    mapping node in that text (`source.node_at`), and `new_text` is
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

    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        return None
    first = node.value[0][0]
    column = first.start_mark.column
    at = first.start_mark.index
    line_start = at - column
    if line_start < 0 or (line_start and old_text[line_start - 1] not in BREAKS):
        return None
    lead = old_text[line_start:at]
    if lead.strip(" ") not in ("", "-"):
        return None  # `- # comment` lines, `? ` keys and such: leave them to the full check
    dash = lead.find("-")
    old_end, _ = after_line(old_text, content_end(old_text, node))
    if not line_start <= start <= end <= old_end:
        return None
    new_end = old_end + len(new_text) - len(old_text)
    if new_end < len(new_text) and (
        new_text[new_end - 1] not in BREAKS or new_text[new_end - 1 : new_end + 1] == "\r\n"
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


def _outdented_line(region: str, column: int) -> bool:
    """True if a line after the first holds anything but a comment left of `column`.

    Such a line (`...`, `---`, a directive, content the item's own parse
    would take differently) may mean something else in the file than in
    the region alone, so the region proves nothing.
    """
    for line in NEWLINE.split(region)[1:]:
        body = line.lstrip(" ")
        if body and not body.startswith("#") and len(line) - len(body) < column:
            return True
    return False


def _after_trivia(text: str, pos: int) -> tuple[int, str | None]:
    """The end of the blank and comment lines from `pos` (a line start), and the next line, if any."""
    while pos < len(text):
        match = NEWLINE.search(text, pos)
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
        raise EditError(err.args[0]) from None  # its message as the model said it
    if found is None:
        raise UnknownItem(item_id, plan.ids())
    if isinstance(found, Recommendation):
        names = [m.id for m in found.milestones()]
        raise EditError(
            said(
                "{item_id!r} is a recommendation; update one of its milestones: {names}",
                item_id=item_id,
                names=", ".join(names),
            )
        )
    if not isinstance(found, Milestone):
        raise EditError(said("{item_id!r} is a person; update one of the milestones they lead", item_id=item_id))
    if found.steps:
        step_ids = ", ".join(step.id for step in found.steps)
        raise EditError(
            said(
                "action {id} has steps; its steps are the milestones: update {step_ids}", id=found.id, step_ids=step_ids
            )
        )
    return found


def expected_milestone(item: Milestone, entries: tuple[Event, ...]) -> Milestone:
    """The milestone as it must read once `entries` (an update's) are recorded, or a refusal.

    The history replayed with them must break none of `history.RULES`: the
    very rules `validate` applies to the file, so the command line refuses
    exactly what a hand edit could not get past `validate` either.
    """
    result = replay_events(item.history + entries, item.original_due)
    complaints = [complaint for event, complaint in result.problems if any(event is entry for entry in entries)]
    if complaints:
        raise EditError(said("{what}: {complaint}", what=milestone_named(item), complaint=complaints[0]))
    return replayed(item, result)


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
    versions = value.versions if isinstance(value, Texts) else {"": value}
    for language, text in versions.items():
        # the French came with --text-fr (beside TEXT), --reason-fr or --note-fr
        named = option if language in ("", "en") else "--text-fr" if option == "TEXT" else f"{option}-{language}"
        if not text.strip():
            raise EditError(said("{option} must not be empty", option=named))
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            raise EditError(said("{option} is not valid text (it holds bytes that are not UTF-8)", option=named))
    return value


def _read(text: str, filename: str, today: date, heading: Said) -> tuple[Plan, yaml.Node]:
    """The valid plan `text` holds, with its node tree; or a refusal headed `heading` that lists every problem."""
    from .source import parse
    from .validate import validate_tree

    root, problems = parse(text, filename)
    plan = None
    if root is not None:
        plan, problems = validate_tree(root, filename, today)
    if plan is None or root is None:
        raise EditError([heading] + [problem_said(problem, indent="  ") for problem in problems])
    return plan, root


def problem_said(problem: Problem, indent: str = "") -> Said:
    """`str(problem)` (after `indent`), its message said again in the reader's language with it."""
    if problem.line:
        return said(
            "{indent}{file}:{line}:{col}: {message}",
            indent=indent,
            file=problem.file,
            line=problem.line,
            col=problem.col,
            message=problem.message,
        )
    return said("{indent}{file}: {message}", indent=indent, file=problem.file, message=problem.message)


def _tree(text: str, filename: str) -> yaml.Node:
    """The node tree of `text`, whose valid plan the caller already has."""
    from .source import parse

    root, _ = parse(text, filename)
    if root is None:
        raise EditError(said("internal error: a valid plan did not parse again (please report this bug)"), code=70)
    return root


def entry_fields(event: Event) -> Entry:
    """A history entry as (key, value) pairs in the order plan.yaml writes them."""
    fields: Entry = [("date", event.on), ("event", event.kind)]
    if event.kind == "completed" and event.evidence:
        evidence: list[Scalar] = list(event.evidence)
        fields.append(("evidence", evidence))
    if event.kind == "verified":
        fields.append(("by", event.by))
    if event.kind == "revised":
        assert event.from_due is not None and event.to_due is not None, "a revision names both due dates"
        fields += [("from", event.from_due), ("to", event.to_due)]
    if event.reason:
        fields.append(("reason", _written(event.reason)))
    if event.approved_by:
        fields.append(("approved_by", event.approved_by))
    if event.kind == "note":
        fields.append(("text", _written(event.text)))
    return fields


def _written(text: str) -> Scalar | Entry:
    """A text as plan.yaml writes it: once, or (in several languages) as `en: ...` and `fr: ...` under its key."""
    if isinstance(text, Texts):
        return [(language, text.versions[language]) for language in LANGUAGES if language in text.versions]
    return text
