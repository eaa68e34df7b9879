"""Turn the bytes of a plan file into a YAML node tree that keeps positions.

Everything a person can get wrong *before* the schema is consulted is caught
here and reported as a positioned `Problem`: encoding, tabs, nesting depth,
anchors, aliases, tags, several documents and plain syntax errors.

Scalars stay text: the tree is PyYAML's node graph (`yaml.compose`), whose
scalar nodes carry the characters as written plus their style, so the schema
in `validate` decides what `no` or `1.10` means. Nothing is ever constructed
into Python objects by YAML itself, so no tag can run code.
"""

from __future__ import annotations

import bisect
import codecs
import gc
import re
from contextlib import contextmanager
from typing import Iterator, NamedTuple

import yaml

from .problems import Problem

#: The largest plan file read, in bytes. The 100,000-action benchmark plan
#: is about 75 MB; anything beyond this is refused before parsing.
MAX_BYTES = 128 * 1024 * 1024

#: The deepest nesting accepted. A plan needs about ten levels; libyaml's
#: composer recurses in C and crashes on absurd depths, so they are refused
#: before it runs.
MAX_DEPTH = 64

# Anything that might start an anchor (&a), alias (*a) or tag (!t): such a
# character after a separator and followed by a name character. Ordinary
# prose ("Operations & Data") does not qualify; a false alarm only costs an
# exact event scan.
_NODE_PROPERTY_CHARS = "&*!"
_PROPERTY_SEPARATORS = frozenset(" \t\r\n[{,\x85\u2028\u2029")
_NOT_A_NAME = frozenset(" \t\r\n,[]{}\x85\u2028\u2029")
# A line whose indentation (counting compact "- " and "? " markers) is long
# enough that block nesting could pass MAX_DEPTH. Starting the pattern with
# a literal line break lets the regex engine skip ahead quickly.
_INDENT_CHARS = r"[ \-?:]{%d}" % (MAX_DEPTH * 2)
_DEEP_INDENT = re.compile("\n" + _INDENT_CHARS)
_DEEP_INDENT_AT_START = re.compile(_INDENT_CHARS)
_TAB_IN_INDENT = re.compile(r"^ *\t", re.M)
#: Lines indented with tabs reported one by one; the rest are counted.
MAX_TAB_REPORTS = 20
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# Every byte except the four flow brackets, for bytes.translate(None, ...).
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))

#: How plain (unquoted) scalars were resolved, by text: a plan repeats the
#: same keys, statuses and dates thousands of times. Values are YAML tags.
_RESOLVED: dict[str, str] = {}
_RESOLVED_LIMIT = 50_000


def _resolve(self: yaml.resolver.BaseResolver, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
    """PyYAML's SafeLoader resolution with a cache; the same tags, much faster.

    Only a plain scalar can resolve to anything but a string, and the answer
    depends on its text alone (a plan has no path resolvers), so it is cached.
    """
    if kind is yaml.ScalarNode:
        if not implicit[0]:
            return _STR_TAG
        tag = _RESOLVED.get(value)  # type: ignore[arg-type]
        if tag is None:
            tag = yaml.resolver.Resolver.resolve(self, kind, value, implicit)
            if len(_RESOLVED) < _RESOLVED_LIMIT and len(value) < 100:  # type: ignore[arg-type]
                _RESOLVED[value] = tag  # type: ignore[index]
        return tag
    return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


def _no_path_resolution(self: object, *args: object) -> None:
    """A plan uses no path resolvers; skip PyYAML's per-node bookkeeping."""


_STR_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_SEQ_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


class PyLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, composing with the cached resolver."""

    resolve = _resolve
    descend_resolver = _no_path_resolution
    ascend_resolver = _no_path_resolution


if hasattr(yaml, "CSafeLoader"):

    class CLoader(yaml.CSafeLoader):  # type: ignore[name-defined,misc]
        """libyaml's parser and composer (C), composing with the cached resolver."""

        resolve = _resolve
        descend_resolver = _no_path_resolution
        ascend_resolver = _no_path_resolution

    _LOADER: type = CLoader
else:  # pragma: no cover - PyYAML built without libyaml
    CLoader = None  # type: ignore[assignment,misc]
    _LOADER = PyLoader


class Source(NamedTuple):
    """A decoded plan: its text, how it was encoded, and its node tree."""

    filename: str
    text: str
    root: yaml.Node | None
    bom: bool = False

    def line_starts(self) -> list[int]:
        """Character offset of the start of every line, as libyaml counts lines."""
        return [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]


def decode(data: bytes, filename: str) -> tuple[str | None, bool, list[Problem]]:
    """Decode UTF-8 (with or without a BOM); refuse anything else with a position."""
    if len(data) > MAX_BYTES:
        return None, False, [Problem(filename, 0, 0, f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,} bytes")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or (
        len(data) >= 2 and (data[0] == 0) != (data[1] == 0)
    ):
        return None, False, [Problem(filename, 1, 1, "file is UTF-16 or UTF-32; save it as UTF-8")]
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _line_col(data[: err.start].decode("utf-8", "replace"))
        return None, bom, [Problem(filename, line, col, f"invalid UTF-8 byte 0x{data[err.start]:02x}; save the file as UTF-8")]
    nul = text.find("\0")
    if nul >= 0:
        line, col = _line_col(text[:nul])
        return None, bom, [Problem(filename, line, col, "NUL byte in file; a plan is text")]
    return text, bom, []


def parse(text: str, filename: str, *, loader: type | None = None) -> tuple[yaml.Node | None, list[Problem]]:
    """Compose `text` into one node tree, or say precisely why it cannot be."""
    problems = _tab_problems(text, filename)
    problems += _depth_problems(text, filename, loader)
    if problems:
        return None, problems
    if _may_have_node_properties(text):
        problems = _node_property_problems(text, filename, loader or _LOADER)
        if problems:
            return None, problems
    try:
        with gc_paused(len(text)):
            root = yaml.compose(text, Loader=loader or _LOADER)
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_problem(err, filename, text)]
    except yaml.YAMLError as err:  # unmarked reader errors, e.g. a control character
        return None, [_reader_problem(err, text, filename)]
    if root is None:
        return None, [Problem(filename, 1, 1, "the plan is empty; expected a mapping with schema_version, audit, people and recommendations")]
    return root, []


def load(data: bytes, filename: str, *, loader: type | None = None) -> tuple[Source | None, list[Problem]]:
    """Bytes in, `Source` out (or the problems that stop it)."""
    text, bom, problems = decode(data, filename)
    if text is None:
        return None, problems
    root, problems = parse(text, filename, loader=loader)
    if root is None:
        return None, problems
    return Source(filename, text, root, bom), []


#: Above this many bytes, the objects built while the collector was paused
#: are frozen (`gc.freeze`) so that no later collection walks them again.
FREEZE_ABOVE_BYTES = 1024 * 1024


def value_of(mapping: object, key: str) -> yaml.Node | None:
    """The node written under `key` in a mapping node; None if absent or if `mapping` is not a mapping."""
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


@contextmanager
def gc_paused(size: int = 0) -> Iterator[None]:
    """Pause Python's cyclic collector while building a tree of `size` bytes.

    Node trees and models hold no reference cycles, but the collector walks
    every new object again and again as they accumulate, which makes loading
    a large plan superlinear. A large tree is frozen before the collector
    resumes, so the first collection afterwards does not walk it either.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if size > FREEZE_ABOVE_BYTES:
                gc.freeze()
            gc.enable()


def _line_col(prefix: str) -> tuple[int, int]:
    """1-based line and column of the character just after `prefix`."""
    breaks = list(_LINE_BREAK.finditer(prefix))
    if not breaks:
        return 1, len(prefix) + 1
    return len(breaks) + 1, len(prefix) - breaks[-1].end() + 1


def _tab_problems(text: str, filename: str) -> list[Problem]:
    """Each line indented with a tab, the first MAX_TAB_REPORTS of them; then how many more.

    An editor that turned indentation into tabs does it on every line: the
    positions come from one pass over the line starts, never a re-scan.
    """
    if "\t" not in text:
        return []
    starts: list[int] | None = None
    problems = []
    tabs = [match.end() - 1 for match in _TAB_IN_INDENT.finditer(text)]
    for tab in tabs[:MAX_TAB_REPORTS]:
        starts = starts or [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        line = bisect.bisect_right(starts, tab)
        problems.append(Problem(filename, line, tab - starts[line - 1] + 1, "tab character in indentation; indent with spaces"))
    if len(tabs) > MAX_TAB_REPORTS:
        first, last = problems[0], problems[-1]
        problems.append(Problem(filename, last.line, last.col, f"and {len(tabs) - MAX_TAB_REPORTS} more lines indented with tabs after this one (the first is line {first.line})"))
    return problems


def _depth_problems(text: str, filename: str, loader: type | None = None) -> list[Problem]:
    """Refuse nesting deeper than MAX_DEPTH before libyaml recurses into it."""
    flow_depth = _max_bracket_depth(text)
    if flow_depth <= MAX_DEPTH // 2 and not _DEEP_INDENT.search(text) and not _DEEP_INDENT_AT_START.match(text):
        return []
    depth = 0
    try:
        # libyaml's parser keeps its own stack, so the event stream is safe at
        # any depth where the composer is not.
        for event in yaml.parse(text, Loader=loader or _LOADER):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return [Problem(filename, mark.line + 1, mark.column + 1, f"nesting deeper than {MAX_DEPTH} levels; a plan needs about ten")]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass  # a syntax error before the limit is reported by compose
    return []


def _max_bracket_depth(text: str) -> int:
    """An upper bound on flow nesting: brackets counted wherever they stand."""
    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    if len(brackets) <= MAX_DEPTH:
        return len(brackets)
    if not any(pair in brackets for pair in (b"[[", b"[{", b"{[", b"{{")):
        return 1  # no bracket opens right after another: never nested
    depth = deepest = 0
    for char in brackets:
        if char in b"[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif depth:
            depth -= 1
    return deepest


def _may_have_node_properties(text: str) -> bool:
    """True if an anchor, alias or tag might be present (a cheap scan first)."""
    for char in _NODE_PROPERTY_CHARS:
        at = text.find(char)
        while at >= 0:
            after = text[at + 1 : at + 2]
            if after and after not in _NOT_A_NAME and (at == 0 or text[at - 1] in _PROPERTY_SEPARATORS):
                return True
            at = text.find(char, at + 1)
    return False


def _node_property_problems(text: str, filename: str, loader: type | None = None) -> list[Problem]:
    """Exact positions of every anchor, alias and tag (all refused)."""
    problems = []
    try:
        for event in yaml.parse(text, Loader=loader or _LOADER):
            mark = event.start_mark
            where = (filename, mark.line + 1, mark.column + 1)
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(*where, f"alias *{event.anchor} refused: write the value out in full (aliases and merge keys are not allowed)"))
                continue
            anchor = getattr(event, "anchor", None)
            if anchor is not None and not isinstance(event, yaml.AliasEvent):
                problems.append(Problem(*where, f"anchor &{anchor} refused: write each value out in full (anchors are not allowed)"))
            tag = getattr(event, "tag", None)
            if tag is not None and isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                problems.append(Problem(*where, f"tag {_short_tag(tag)} refused: the schema decides types, and nothing in a plan is executed"))
    except yaml.YAMLError:
        pass  # syntax errors are reported by compose, with its own position
    return problems


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _reader_problem(err: yaml.YAMLError, text: str, filename: str) -> Problem:
    """A character YAML refuses, found again in the text (libyaml counts bytes, PyYAML characters)."""
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is None:
        return Problem(filename, 1, 1, _reword(str(err)))
    line, col = _line_col(text[: bad.start()])
    code = ord(bad.group())
    shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    kind = "control character" if code < 0x20 or 0x7F <= code <= 0x9F else "unprintable character"
    return Problem(filename, line, col, f"{kind} {shown} is not allowed in a plan; remove it")


def _syntax_problem(err: yaml.MarkedYAMLError, filename: str, text: str = "") -> Problem:
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "expected a single document" in str(err):
        return Problem(filename, line, col, "a second YAML document (---) found; a plan is one document")
    if "maximum nesting depth" in str(err):
        return Problem(filename, line, col, f"nesting deeper than {MAX_DEPTH} levels; a plan needs about ten")
    unclosed = _unclosed_quote(text, err.context_mark.line if err.context_mark else 0, mark.line if mark else 0)
    if unclosed is not None:
        quote_line, quote_col, quote = unclosed
        return Problem(filename, quote_line, quote_col, f"the {quote} opened here is never closed (YAML fails further on, at line {line}, column {col})")
    message = err.problem or "invalid YAML"
    if err.context:
        message = f"{err.context}: {message}"
        if err.context_mark and err.context_mark is not mark:
            message += f" (opened at line {err.context_mark.line + 1}, column {err.context_mark.column + 1})"
    return Problem(filename, line, col, _reword(message))


_OPEN_QUOTE = re.compile(r"""(?:^|[:\-,\[{?]\s+|[\[{])(["'])""")


def _unclosed_quote(text: str, first: int, last: int) -> tuple[int, int, str] | None:
    """1-based position of a quoted value that a line opens and never closes, between two 0-based lines.

    A parse error far from its cause is most often a missing closing quote;
    a quoted value may span lines, so this is a guess offered only when
    YAML has already failed.
    """
    if not text or last < first:
        return None
    lines = _LINE_BREAK.split(text)
    for number in range(first, min(last, len(lines) - 1) + 1):
        line = lines[number]
        for match in _OPEN_QUOTE.finditer(line):
            quote = match.group(1)
            rest = line[match.end():]
            closed = rest.replace("''", "").find("'") >= 0 if quote == "'" else re.search(r'(?<!\\)"', rest) is not None
            if not closed:
                return number + 1, match.end(), "double quote (\")" if quote == '"' else "single quote (')"
            break  # a closed quoted value: the rest of the line is after it
    return None


def _reword(message: str) -> str:
    """libyaml's wording, made plainer where it is cryptic."""
    message = " ".join(message.split())
    if "found character '\\t'" in message or "found character '\t'" in message:
        return "tab character where YAML does not allow one; use spaces"
    return "invalid YAML: " + message
