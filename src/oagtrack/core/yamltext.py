"""YAML text edited in place: splices at the offsets the parser recorded, and values written so YAML reads them back.

An edit never dumps YAML again, which would drop comments and reflow
folded text. It replaces a value, inserts a key line at a mapping's
indentation, appends a list entry or deletes a key's lines, each a
`Splice` of the text, applied last to first so every other character
stays as it was. `ItemEditor` makes those splices for one mapping node,
block or flow style; `scalar`, `flow_value` and `block_entry` write new
values, plain when YAML reads them back verbatim as text and
double-quoted with escapes otherwise.

`edit` (the update commands), `migrate` (version 1 to 2) and `skeleton`
(`init`) write through this module. It knows YAML, not plans: which keys
an update writes, and why, is theirs to say.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

import yaml

from .problems import said

if TYPE_CHECKING:
    from typing import TypeAlias

    #: One value written in the file: text or a date.
    Scalar: TypeAlias = str | date
    #: A history entry as (key, value) pairs in the order plan.yaml writes them;
    #: a value is a scalar or a list of them (evidence).
    Entry: TypeAlias = list[tuple[str, "Scalar | list[Scalar] | Entry"]]  # a value may be a mapping (en:, fr:)
    #: What an update writes under a key: a scalar, or list entries (scalars or history entries).
    Written: TypeAlias = Scalar | list[Scalar] | list[Entry]

#: Every line break YAML knows, a CRLF as one.
NEWLINE = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
#: The characters that end a line.
BREAKS = "\n\r\x85\u2028\u2029"
_LOADER = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
_STR_TAG = "tag:yaml.org,2002:str"

#: Where keys go when an edit adds them: after the nearest key that comes
#: before them in this order, so a plan stays in the order people expect.
KEY_ORDER = ("id", "label", "text", "due", "leads", "status", "history", "steps")


class EditError(Exception):
    """An edit refused; `lines` say why, `code` is the exit code (1, or 70 for a bug)."""

    def __init__(self, lines: Sequence[str] | str, code: int = 1):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        self.code = code
        super().__init__("\n".join(self.lines))


# -- splices ------------------------------------------------------------------
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
                said(
                    "internal error: overlapping edits at offset {offset}; nothing was changed"
                    " (please report this bug)",
                    offset=splice.start,
                ),
                code=70,
            )
        out.append(text[pos : splice.start])
        out.append(splice.new)
        pos = splice.end
    out.append(text[pos:])
    return "".join(out)


class ItemEditor:
    """Splices that change one mapping node in `text` (a milestone, a history entry), block or flow style."""

    def __init__(self, text: str, node: yaml.Node | None):
        if not isinstance(node, yaml.MappingNode):
            raise EditError(
                said("internal error: the item is not a mapping in the file (please report this bug)"), code=70
            )
        self.text = text
        self.node = node
        self.flow = bool(node.flow_style)
        self.pairs = {key.value: (key, value) for key, value in node.value}
        match = NEWLINE.search(text)
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
                raise EditError(
                    said("{key}: expected a single value in the file, found a list or mapping; fix it by hand", key=key)
                )
            style = node.style if node.style in ("'", '"') else None
            self.splices.append(
                Splice(node.start_mark.index, content_end(self.text, node), scalar(value, self.flow, style))
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
            raise EditError(said("cannot remove every key of an item ({keys})", keys=", ".join(keys)))
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
                line_begin = line_start(self.text, key_node.start_mark.index)
                if self.text[line_begin : key_node.start_mark.index].strip(" "):
                    # `- completed: ...` opens the item: keep the dash, drop up to the next key kept.
                    start, end = key_node.start_mark.index, pairs[last + 1][0].start_mark.index
                else:
                    start, end = line_begin, after_line(self.text, content_end(self.text, pairs[last][1]))[0]
            self.splices.append(Splice(start, end, ""))

    def append(self, key: str, entries: list[Entry]) -> None:
        """Append entries (scalars or records) to the list under `key`, adding the key if absent."""
        if key not in self.pairs:
            self._insert(key, entries)
            return
        seq = self.pairs[key][1]
        if not isinstance(seq, yaml.SequenceNode):
            raise EditError(said("{key}: expected a list in the file; fix it by hand", key=key))
        if seq.flow_style or self.flow:
            if seq.value:
                at, lead = seq.value[-1].end_mark.index, ", "
            else:
                at, lead = seq.start_mark.index + 1, ""
            self.splices.append(Splice(at, at, lead + ", ".join(flow_value(e) for e in entries)))
            return
        dash = seq.start_mark.column
        offset = max(2, seq.value[0].start_mark.column - dash)
        at, missing_break = after_line(self.text, content_end(self.text, seq))
        if missing_break:
            self._keep_last_value(seq)
        block = "".join(block_entry(e, dash, offset, self.newline) for e in entries)
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
            self.splices.append(Splice(at, at, f", {key}: {flow_value(value)}", order=rank))
            return
        at, missing_break = after_line(self.text, content_end(self.text, anchor))
        if missing_break:
            self._keep_last_value(anchor)
        pad = " " * self.indent
        if isinstance(value, list):
            offset = _sequence_offset(self.node)
            lines = f"{pad}{key}:{self.newline}" + "".join(
                block_entry(e, self.indent + offset, 2, self.newline) for e in value
            )
        else:
            lines = f"{pad}{key}: {scalar(value, False)}{self.newline}"
        self.splices.append(Splice(at, at, _fit(lines, missing_break, self.newline), order=rank))

    def _keep_last_value(self, node: yaml.Node) -> None:
        """Before lines are added after the file's last line, which has no line break: keep a block text there as it
        reads.

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
        header = self.text[start : after_line(self.text, start)[0]]
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


def block_entry(entry: Scalar | Entry, dash: int, offset: int, newline: str) -> str:
    pad = " " * dash
    if isinstance(entry, list):
        (first_key, first_value), *rest = entry
        first = cast("Scalar", first_value)  # an entry opens with its date
        head = f"{pad}-{' ' * (offset - 1)}{first_key}: {scalar(first, False)}{newline}"
        return head + "".join(_block_pair(k, v, dash + offset, newline) for k, v in rest)
    return f"{pad}-{' ' * max(1, offset - 1)}{scalar(entry, False)}{newline}"


def _block_pair(key: str, value: Scalar | list[Scalar] | Entry, indent: int, newline: str) -> str:
    """`key: value` at `indent`; a list value as one `- item` line each, indented under the key."""
    pad = " " * indent
    if isinstance(value, list) and value and all(isinstance(pair, tuple) for pair in value):
        # a mapping under the key: a text in each language
        pairs = cast("Entry", value)
        return f"{pad}{key}:{newline}" + "".join(_block_pair(k, v, indent + 2, newline) for k, v in pairs)
    if isinstance(value, list):
        items = cast("list[Scalar]", value)
        return f"{pad}{key}:{newline}" + "".join(block_entry(item, indent + 2, 2, newline) for item in items)
    return f"{pad}{key}: {scalar(value, False)}{newline}"


def flow_value(value: Written | Entry) -> str:
    # A list's items tell what it holds; the casts say what the tests found.
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return "[" + ", ".join(flow_value(entry) for entry in value) + "]"
        if value and all(isinstance(pair, tuple) for pair in value):
            return "{" + ", ".join(f"{k}: {flow_value(v)}" for k, v in cast("Entry", value)) + "}"
        return "[" + ", ".join(scalar(entry, True) for entry in cast("list[Scalar]", value)) + "]"
    return scalar(value, True)


# -- positions -------------------------------------------------------------
def line_start(text: str, index: int) -> int:
    """Offset of the first character of the line holding `index` (searched backwards: plans are long)."""
    return max(text.rfind(ch, 0, index) for ch in BREAKS) + 1


def after_line(text: str, index: int) -> tuple[int, bool]:
    """The start of the line after the one holding `index`; (len, True) at a last line with no break."""
    match = NEWLINE.search(text, index)
    if match is None:
        return len(text), True
    return match.end(), False


def content_end(text: str, node: yaml.Node) -> int:
    """Just past the last character that belongs to `node` (trailing blank lines and comments excluded)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark.index
        if node.style in ("|", ">"):
            header = text[node.start_mark.index : after_line(text, node.start_mark.index)[0]]
            if "+" in header.split("#", 1)[0]:
                # kept trailing lines belong to the value: end before the last break
                match = None
                breaks = NEWLINE.finditer(text, node.start_mark.index, end)
                for match in breaks:  # noqa: B007 - the last break is wanted
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
        return max(content_end(text, key), content_end(text, value))
    return content_end(text, last)


# -- writing values --------------------------------------------------------
_PLAIN_START_FORBIDDEN = set("-?:,[]{}#&*!|>'\"%@`")


def scalar(value: str | date, flow: bool, style: str | None = None) -> str:
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
            said(
                "internal error: cannot write {value!r} so YAML reads it back unchanged (please report this bug)",
                value=value,
            ),
            code=70,
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
