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
import operator
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from .limits import MAX_BYTES
from .problems import Problem, Said, said

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
_INDENT_CHARS = rf"[ \-?:]{{{MAX_DEPTH * 2}}}"
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
        if not implicit[0] or value is None:  # a scalar's value is always its text
            return _STR_TAG
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = yaml.resolver.Resolver.resolve(self, kind, value, implicit)
            if len(_RESOLVED) < _RESOLVED_LIMIT and len(value) < 100:
                _RESOLVED[value] = tag
        return tag
    return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


# A plan uses no path resolvers, so the composer's calls around every node, `descend_resolver(parent, index)`
# before it and `ascend_resolver()` after, need do nothing. These C built-ins take those arguments and do
# nothing with them (the answer is dropped); a Python function, even one that only returns, runs a frame for
# each call, two per node: a tenth of composing a plan. (Typed Any: PyYAML's stubs expect methods there.)
_descend_nowhere: Any = staticmethod(operator.is_)
_ascend_nowhere: Any = staticmethod(tuple)


_STR_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_SEQ_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


_BREAKS = "\r\n\x85\u2028\u2029"
_BREAKZ = "\0" + _BREAKS
_BLANKZ = " \t" + _BREAKZ
_HEX = "0123456789ABCDEFabcdef"
_WORD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")
_URI = _WORD | frozenset(";/?:@&=+$.%!~*'()")
_UTF8_WIDTH = (
    (0x80, 0x00, 1),
    (0xE0, 0xC0, 2),
    (0xF0, 0xE0, 3),
    (0xF8, 0xF0, 4),
)  # (mask, value, width) of a leading octet


def _scanner_error(context: str, start: yaml.Mark, problem: str, at: yaml.Mark) -> yaml.scanner.ScannerError:
    return yaml.scanner.ScannerError(context, start, problem, at)


if TYPE_CHECKING:
    # The mixins below are only ever used in `PyLoader`, whose other bases
    # (PyYAML's reader, scanner and parser) provide what they call.
    _LoaderHost = yaml.SafeLoader
else:
    _LoaderHost = object


class _ScansAsLibyaml(_LoaderHost):
    """PyYAML's pure-Python scanner, corrected where it reads differently from libyaml.

    The README promises the same results from either parser, and libyaml is
    the one nearly everyone runs, so where PyYAML's scanner disagrees this
    one does what libyaml (0.2, as PyYAML's wheels bundle it) does, in its
    words and at its positions. Tabs are separators where libyaml allows
    them: before a comment, after a key's colon, inside brackets, in a block
    scalar's header and in a directive. `?` does not end a plain scalar
    inside brackets, and `b:` before `,]}` there is refused. Unknown and
    overlong directives, YAML versions other than 1.1 and 1.2, escapes that
    name no character (`"\\ud800"`, `"\\U00110000"`: PyYAML takes the one
    and crashes on the other) and tags escaping bytes that are not UTF-8 are
    refused. A file without a final line break ends on the line after its
    last character. (A tab in indentation, which libyaml refuses in a block
    scalar and PyYAML does not, never reaches either: `_tab_problems`
    refuses it first.) `tests/test_loaders.py` holds both parsers to this
    over the hostile corpus, the property tests' mutations and tabs anywhere.
    """

    # -- separators: tabs, as libyaml allows them ------------------------------
    def scan_to_next_token(self) -> None:
        """Skip spaces, comments and line breaks, and tabs wherever no simple key may start."""
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        while True:
            while self.peek() == " " or (self.peek() == "\t" and (self.flow_level or not self.allow_simple_key)):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in _BREAKZ:
                    self.forward()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def fetch_stream_end(self) -> None:
        """libyaml ends the stream on a new line: an error at the end of a file with no final break is on the next one.

        And on that new line, a key still waiting for its colon in an
        enclosing block is stale, as libyaml finds after the end.
        """
        if self.column != 0:
            self.line += 1
            self.column = 0
        self.stale_possible_simple_keys()
        super().fetch_stream_end()

    # -- plain scalars -------------------------------------------------------------
    def scan_plain(self) -> yaml.tokens.ScalarToken:
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] | None = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                char = self.peek(length)
                if char in _BLANKZ:
                    break
                if self.flow_level and char == ":" and self.peek(length + 1) in ",?[]{}":
                    self.forward(length)
                    raise _scanner_error(
                        "while scanning a plain scalar", start_mark, "found unexpected ':'", self.get_mark()
                    )
                if (char == ":" and self.peek(length + 1) in _BLANKZ) or (self.flow_level and char in ",[]{}"):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or ())
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return yaml.tokens.ScalarToken("".join(chunks), True, start_mark, end_mark)

    def scan_plain_spaces(self, indent: int, start_mark: yaml.Mark) -> list[str] | None:
        """The blanks after a plain scalar's words: spaces and tabs alike, as libyaml reads them."""
        length = 0
        while self.peek(length) in " \t":
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        if self.peek() not in _BREAKS:
            return [whitespaces] if whitespaces else []
        line_break = self.scan_line_break()
        self.allow_simple_key = True
        if self._at_document_indicator():
            return None
        breaks = []
        while self.peek() in " \t" + _BREAKS:
            if self.peek() == " ":
                self.forward()
            elif self.peek() == "\t":
                if self.column < indent:
                    raise _scanner_error(
                        "while scanning a plain scalar",
                        start_mark,
                        "found a tab character that violates indentation",
                        self.get_mark(),
                    )
                self.forward()
            else:
                breaks.append(self.scan_line_break())
                if self._at_document_indicator():
                    return None
        chunks = []
        if line_break != "\n":
            chunks.append(line_break)
        elif not breaks:
            chunks.append(" ")
        chunks.extend(breaks)
        return chunks

    def _at_document_indicator(self) -> bool:
        return self.prefix(3) in ("---", "...") and self.peek(3) in _BLANKZ

    # -- block scalars -------------------------------------------------------------
    def scan_block_scalar_indicators(self, start_mark: yaml.Mark) -> tuple[bool | None, int | None]:
        """`|`, `>-`, `|2+`...: what follows the indicators is left to scan_block_scalar_ignored_line, as in libyaml."""
        chomping = increment = None
        if self.peek() in "+-":
            chomping = self.peek() == "+"
            self.forward()
            if self.peek() in "0123456789":
                increment = self._indentation_indicator(start_mark)
        elif self.peek() in "0123456789":
            increment = self._indentation_indicator(start_mark)
            if self.peek() in "+-":
                chomping = self.peek() == "+"
                self.forward()
        return chomping, increment

    def _indentation_indicator(self, start_mark: yaml.Mark) -> int:
        if self.peek() == "0":
            raise _scanner_error(
                "while scanning a block scalar",
                start_mark,
                "found an indentation indicator equal to 0",
                self.get_mark(),
            )
        increment = int(self.peek())
        self.forward()
        return increment

    def scan_block_scalar_ignored_line(self, start_mark: yaml.Mark) -> None:
        self._skip_to_line_end("while scanning a block scalar", start_mark)

    def _skip_to_line_end(self, context: str, start_mark: yaml.Mark) -> None:
        """Blanks and a comment, then a line break or the end: anything else is refused."""
        while self.peek() in " \t":
            self.forward()
        if self.peek() == "#":
            while self.peek() not in _BREAKZ:
                self.forward()
        if self.peek() not in _BREAKZ:
            raise _scanner_error(context, start_mark, "did not find expected comment or line break", self.get_mark())
        self.scan_line_break()

    # -- quoted scalars ------------------------------------------------------------
    _ESCAPES = yaml.scanner.Scanner.ESCAPE_REPLACEMENTS
    _ESCAPE_WIDTHS = yaml.scanner.Scanner.ESCAPE_CODES

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: yaml.Mark) -> list[str]:
        chunks = []
        while True:
            length = 0
            while self.peek(length) not in "'\"\\\0 \t" + _BREAKS:
                length += 1
            if length:
                chunks.append(self.prefix(length))
                self.forward(length)
            char = self.peek()
            if not double and char == "'" and self.peek(1) == "'":
                chunks.append("'")
                self.forward(2)
            elif (double and char == "'") or (not double and char in '"\\'):
                chunks.append(char)
                self.forward()
            elif double and char == "\\":
                escaped = self.peek(1)
                if escaped in self._ESCAPES:
                    chunks.append(self._ESCAPES[escaped])
                    self.forward(2)
                elif escaped in self._ESCAPE_WIDTHS:
                    chunks.append(self._escaped_code(self._ESCAPE_WIDTHS[escaped], start_mark))
                elif escaped in _BREAKS:
                    self.forward()
                    self.scan_line_break()
                    chunks.extend(self.scan_flow_scalar_breaks(double, start_mark))
                else:  # libyaml points at the backslash
                    raise _scanner_error(
                        "while parsing a quoted scalar", start_mark, "found unknown escape character", self.get_mark()
                    )
            else:
                return chunks

    def _escaped_code(self, width: int, start_mark: yaml.Mark) -> str:
        """`\\x41`, `\\u00e9`, `\\U0001F600`: a character that exists, never a surrogate or beyond U+10FFFF."""
        self.forward(2)
        digits = self.prefix(width)
        if len(digits) < width or any(digit not in _HEX for digit in digits):
            raise _scanner_error(
                "while parsing a quoted scalar", start_mark, "did not find expected hexdecimal number", self.get_mark()
            )
        code = int(digits, 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise _scanner_error(
                "while parsing a quoted scalar",
                start_mark,
                "found invalid Unicode character escape code",
                self.get_mark(),
            )
        self.forward(width)
        return chr(code)

    def scan_flow_scalar_breaks(self, double: bool, start_mark: yaml.Mark) -> list[str]:
        chunks: list[str] = []
        while True:
            if self._at_document_indicator():
                raise _scanner_error(
                    "while scanning a quoted scalar", start_mark, "found unexpected document indicator", self.get_mark()
                )
            while self.peek() in " \t":
                self.forward()
            if self.peek() not in _BREAKS:
                return chunks
            chunks.append(self.scan_line_break())

    # -- directives ----------------------------------------------------------------
    def scan_directive(self) -> yaml.tokens.DirectiveToken:
        """`%YAML 1.2` and `%TAG ! prefix`; libyaml refuses any other directive."""
        start_mark = self.get_mark()
        self.forward()
        name = self.scan_directive_name(start_mark)
        if name == "YAML":
            value: tuple[int, int] | tuple[str, str] = self.scan_yaml_directive_value(start_mark)
        elif name == "TAG":
            value = self.scan_tag_directive_value(start_mark)
        else:
            raise _scanner_error(
                "while scanning a directive", start_mark, "found unknown directive name", self.get_mark()
            )
        end_mark = self.get_mark()
        self._skip_to_line_end("while scanning a directive", start_mark)
        return yaml.tokens.DirectiveToken(name, value, start_mark, end_mark)

    def scan_directive_name(self, start_mark: yaml.Mark) -> str:
        length = 0
        while self.peek(length) in _WORD:
            length += 1
        if not length:
            raise _scanner_error(
                "while scanning a directive", start_mark, "could not find expected directive name", self.get_mark()
            )
        name: str = self.prefix(length)
        self.forward(length)
        if self.peek() not in _BLANKZ:
            raise _scanner_error(
                "while scanning a directive", start_mark, "found unexpected non-alphabetical character", self.get_mark()
            )
        return name

    def scan_yaml_directive_value(self, start_mark: yaml.Mark) -> tuple[int, int]:
        while self.peek() in " \t":
            self.forward()
        major = self.scan_yaml_directive_number(start_mark)
        if self.peek() != ".":
            raise _scanner_error(
                "while scanning a %YAML directive",
                start_mark,
                "did not find expected digit or '.' character",
                self.get_mark(),
            )
        self.forward()
        return major, self.scan_yaml_directive_number(start_mark)

    def scan_yaml_directive_number(self, start_mark: yaml.Mark) -> int:
        """At most nine digits, as libyaml reads them (PyYAML converts any number, up to Python's limit)."""
        length = 0
        while self.peek(length) in "0123456789":
            if length == 9:
                self.forward(length)
                raise _scanner_error(
                    "while scanning a %YAML directive",
                    start_mark,
                    "found extremely long version number",
                    self.get_mark(),
                )
            length += 1
        if not length:
            raise _scanner_error(
                "while scanning a %YAML directive", start_mark, "did not find expected version number", self.get_mark()
            )
        value = int(self.prefix(length))
        self.forward(length)
        return value

    def scan_tag_directive_value(self, start_mark: yaml.Mark) -> tuple[str, str]:
        while self.peek() in " \t":
            self.forward()
        handle = self.scan_tag_handle("directive", start_mark)
        if self.peek() not in " \t":
            raise _scanner_error(
                "while scanning a %TAG directive", start_mark, "did not find expected whitespace", self.get_mark()
            )
        while self.peek() in " \t":
            self.forward()
        prefix = self.scan_tag_uri("directive", start_mark)
        if self.peek() not in _BLANKZ:
            raise _scanner_error(
                "while scanning a %TAG directive",
                start_mark,
                "did not find expected whitespace or line break",
                self.get_mark(),
            )
        return handle, prefix

    # -- tags (all refused later, but each must be read as libyaml reads it) ---------------
    def scan_tag(self) -> yaml.tokens.TagToken:
        start_mark = self.get_mark()
        if self.peek(1) == "<":
            self.forward(2)
            handle: str | None = None
            suffix = self.scan_tag_uri("verbatim", start_mark)
            if self.peek() != ">":
                raise _scanner_error(
                    "while scanning a tag", start_mark, "did not find the expected '>'", self.get_mark()
                )
            self.forward()
        else:
            handle = self.scan_tag_handle("tag", start_mark)
            if len(handle) > 1 and handle.endswith("!"):
                suffix = self.scan_tag_uri("tag", start_mark)
            else:  # not a handle after all: the rest of the tag
                suffix = handle[1:] + self.scan_tag_uri("tag", start_mark, required=False)
                handle = "!"
                if not suffix:
                    handle, suffix = None, "!"
        if self.peek() not in _BLANKZ and not (self.flow_level and self.peek() == ","):
            raise _scanner_error(
                "while scanning a tag", start_mark, "did not find expected whitespace or line break", self.get_mark()
            )
        return yaml.tokens.TagToken((handle, suffix), start_mark, self.get_mark())

    def scan_tag_handle(self, name: str, start_mark: yaml.Mark) -> str:
        if self.peek() != "!":
            context = "while scanning a tag directive" if name == "directive" else "while scanning a tag"
            raise _scanner_error(context, start_mark, "did not find expected '!'", self.get_mark())
        length = 1
        while self.peek(length) in _WORD:
            length += 1
        if self.peek(length) == "!":
            length += 1
        elif name == "directive" and length > 1:
            self.forward(length)
            raise _scanner_error(
                "while parsing a tag directive", start_mark, "did not find expected '!'", self.get_mark()
            )
        handle: str = self.prefix(length)
        self.forward(length)
        return handle

    def scan_tag_uri(self, name: str, start_mark: yaml.Mark, *, required: bool = True) -> str:
        """A tag's URI; `,[]` belong to it only between `!<` and `>`."""
        allowed = _URI if name == "tag" else _URI | frozenset(",[]")
        chunks = []
        while self.peek() in allowed:
            if self.peek() == "%":
                chunks.append(self.scan_uri_escapes(name, start_mark))
            else:
                chunks.append(self.peek())
                self.forward()
        if not chunks and required:
            context = "while parsing a %TAG directive" if name == "directive" else "while parsing a tag"
            raise _scanner_error(context, start_mark, "did not find expected tag URI", self.get_mark())
        return "".join(chunks)

    def scan_uri_escapes(self, name: str, start_mark: yaml.Mark) -> str:
        """One character written as `%XX` escapes of its UTF-8 bytes.

        libyaml checks only the shape of the bytes, and hands them on; Python
        then fails to decode them when the event is built, after whatever
        else libyaml read first. So bytes that are not UTF-8 are kept here as
        surrogates, and refused when the event is built (`_ParsesAsLibyaml`).
        """
        context = "while parsing a %TAG directive" if name == "directive" else "while parsing a tag"
        octets = bytearray()
        width = 0
        while True:
            if not (self.peek() == "%" and self.peek(1) in _HEX and self.peek(2) in _HEX):
                raise _scanner_error(context, start_mark, "did not find URI escaped octet", self.get_mark())
            octet = int(self.prefix(3)[1:], 16)
            if not width:
                width = next((size for mask, value, size in _UTF8_WIDTH if octet & mask == value), 0)
                if not width:
                    raise _scanner_error(context, start_mark, "found an incorrect leading UTF-8 octet", self.get_mark())
            elif octet & 0xC0 != 0x80:
                raise _scanner_error(context, start_mark, "found an incorrect trailing UTF-8 octet", self.get_mark())
            octets.append(octet)
            self.forward(3)
            if len(octets) == width:
                return octets.decode("utf-8", "surrogateescape")


_UNDECODED = re.compile("[\udc80-\udcff]")


def _refuse_undecoded(event: yaml.Event, tags: Iterable[str | None]) -> yaml.Event:
    """An event whose tag holds %-escaped bytes that are not UTF-8: refused where libyaml's events fail to decode."""
    if any(_UNDECODED.search(tag) for tag in tags if tag):
        mark = event.start_mark
        # types-PyYAML lets MarkedYAMLError take only PyYAML's own Mark, yet libyaml
        # raises it with its own (yaml._yaml.Mark), and the error only prints either.
        problem = "found %-escaped bytes that are not UTF-8"
        raise yaml.parser.ParserError("while parsing a tag", mark, problem, mark)  # type: ignore[arg-type]
    return event


class _ParsesAsLibyaml(_LoaderHost):
    """PyYAML's parser, reading directives and tags as libyaml does (`tests/test_loaders.py`)."""

    def parse_node(self, block: bool = False, indentless_sequence: bool = False) -> yaml.Event:
        event = super().parse_node(block, indentless_sequence)
        if isinstance(event, yaml.CollectionStartEvent) and event.flow_style is None:
            event.flow_style = (
                False  # a list not indented under its key (`leads:\n- harris`) is a block list, as libyaml says
            )
        return _refuse_undecoded(event, [getattr(event, "tag", None)])

    def parse_document_start(self) -> yaml.Event:
        # types-PyYAML leaves Parser.parse_document_start unannotated, and mypy's
        # untyped_calls_exclude does not reach calls through super() (mypy#16653).
        event = super().parse_document_start()  # type: ignore[no-untyped-call]
        return _refuse_undecoded(event, (getattr(event, "tags", None) or {}).values())

    def process_directives(self) -> tuple[tuple[int, int] | None, dict[str, str] | None]:
        self.yaml_version = None
        self.tag_handles = {}
        while self.check_token(yaml.tokens.DirectiveToken):
            token = self.get_token()
            if token.name == "YAML":
                if self.yaml_version is not None:
                    raise yaml.parser.ParserError(None, None, "found duplicate %YAML directive", token.start_mark)
                if token.value not in ((1, 1), (1, 2)):
                    raise yaml.parser.ParserError(None, None, "found incompatible YAML document", token.start_mark)
                self.yaml_version = token.value
            elif token.name == "TAG":
                handle, prefix = token.value
                if handle in self.tag_handles:
                    raise yaml.parser.ParserError(None, None, "found duplicate %TAG directive", token.start_mark)
                self.tag_handles[handle] = prefix
        value = (self.yaml_version, self.tag_handles.copy() if self.tag_handles else None)
        for key, prefix in self.DEFAULT_TAGS.items():
            self.tag_handles.setdefault(key, prefix)
        return value


class PyLoader(_ScansAsLibyaml, _ParsesAsLibyaml, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, reading as libyaml does, composing with the cached resolver."""

    resolve = _resolve
    descend_resolver = _descend_nowhere
    ascend_resolver = _ascend_nowhere


if hasattr(yaml, "CSafeLoader"):

    class CLoader(yaml.CSafeLoader):
        """libyaml's parser and composer (C), composing with the cached resolver."""

        resolve = _resolve
        descend_resolver = _descend_nowhere
        ascend_resolver = _ascend_nowhere

    _LOADER: type = CLoader
else:  # pragma: no cover - PyYAML built without libyaml
    # types-PyYAML declares CSafeLoader unconditionally; without libyaml there is none, and no CLoader.
    CLoader = None  # type: ignore[assignment,misc]
    _LOADER = PyLoader


class Source(NamedTuple):
    """A decoded plan: its node tree, and how it was encoded (the text is not kept: the tree holds what it says)."""

    filename: str
    root: yaml.Node
    bom: bool = False


def decode(data: bytes, filename: str) -> tuple[str | None, bool, list[Problem]]:
    """Decode UTF-8 (with or without a BOM); refuse anything else with a position."""
    if len(data) > MAX_BYTES:
        return (
            None,
            False,
            [
                Problem(
                    filename,
                    0,
                    0,
                    said("file is {size:,} bytes; the limit is {limit:,} bytes", size=len(data), limit=MAX_BYTES),
                )
            ],
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or (
        len(data) >= 2 and (data[0] == 0) != (data[1] == 0)
    ):
        return None, False, [Problem(filename, 1, 1, said("file is UTF-16 or UTF-32; save it as UTF-8"))]
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _line_col(data[: err.start].decode("utf-8", "replace"))
        return (
            None,
            bom,
            [
                Problem(
                    filename,
                    line,
                    col,
                    said("invalid UTF-8 byte 0x{byte:02x}; save the file as UTF-8", byte=data[err.start]),
                )
            ],
        )
    nul = text.find("\0")
    if nul >= 0:
        line, col = _line_col(text[:nul])
        return None, bom, [Problem(filename, line, col, said("NUL byte in file; a plan is text"))]
    return text, bom, []


def parse(text: str | bytes, filename: str, *, loader: type | None = None) -> tuple[yaml.Node | None, list[Problem]]:
    """Compose `text` into one node tree, or say precisely why it cannot be.

    Given as the bytes of a file (UTF-8 without a BOM, as `decode` accepts
    them), the text is decoded for the checks and dropped before libyaml
    composes the bytes themselves, which the caller holds anyway: given
    text, libyaml would compose a UTF-8 copy of it, and at 100,000 actions
    each copy of the file is 90 MB more at the peak.
    """
    loader = loader or _LOADER
    if isinstance(text, bytes) and loader is not CLoader:
        text = text.decode("utf-8")  # only libyaml composes bytes as it composes their text
    checked = text.decode("utf-8") if isinstance(text, bytes) else text
    stray_bom = checked.find("\ufeff")
    if stray_bom >= 0:
        # libyaml skips one at the start of any line and PyYAML reads it as
        # text: refused, so that both read the file alike.
        line, col = _line_col(checked[:stray_bom])
        return None, [
            Problem(
                filename,
                line,
                col,
                said("byte-order mark (U+FEFF) inside the file; only its very first character may be one: remove it"),
            )
        ]
    problems = _tab_problems(checked, filename)
    if problems:
        return None, problems
    try:
        problems = _depth_problems(checked, filename, loader)
        if not problems and _may_have_node_properties(checked):
            problems = _node_property_problems(checked, filename, loader)
        del checked  # what follows reads `text`, decoding bytes again only to describe a problem
        if not problems:
            with gc_paused(len(text)):
                root = yaml.compose(text, Loader=loader)
            if root is None:
                return None, [
                    Problem(
                        filename,
                        1,
                        1,
                        said(
                            "the plan is empty; expected a mapping with schema_version, audit, people"
                            " and recommendations"
                        ),
                    )
                ]
            return root, []
    except yaml.MarkedYAMLError as err:
        problems = [_syntax_problem(err, filename, _decoded(text))]
    except yaml.YAMLError as err:  # unmarked reader errors, e.g. a control character
        return None, [_reader_problem(err, _decoded(text), filename)]
    except UnicodeDecodeError:
        if loader is PyLoader:
            raise
        # libyaml passed Python a tag's %-escaped bytes that are not UTF-8;
        # the pure-Python parser checks them, and says where.
        return parse(_decoded(text), filename, loader=PyLoader)
    # PyYAML refuses a control character before reading anything, libyaml
    # only once it reaches it: whichever problem a parser met first, a
    # control character anywhere is the one reported.
    written = _decoded(text)
    if yaml.reader.Reader.NON_PRINTABLE.search(written):
        return None, [_reader_problem(None, written, filename)]
    return None, problems


def _decoded(text: str | bytes) -> str:
    """The text itself, decoded again from the bytes `parse` was given: only to say what is wrong with it."""
    return text.decode("utf-8") if isinstance(text, bytes) else text


def load(data: bytes, filename: str, *, loader: type | None = None) -> tuple[Source | None, list[Problem]]:
    """Bytes in, `Source` out (or the problems that stop it)."""
    text, bom, problems = decode(data, filename)
    if text is None:
        return None, problems
    if bom:
        root, problems = parse(text, filename, loader=loader)
    else:
        del text  # the bytes are the text in UTF-8: parse composes them, holding no copy of the file meanwhile
        root, problems = parse(data, filename, loader=loader)
    if root is None:
        return None, problems
    return Source(filename, root, bom), []


#: Above this many bytes, the objects built while the collector was paused
#: are frozen (`gc.freeze`) so that no later collection walks them again.
FREEZE_ABOVE_BYTES = 1024 * 1024


def value_of(mapping: object, key: str) -> yaml.Node | None:
    """The node written under `key` in a mapping node; None if absent or if `mapping` is not a mapping."""
    if not isinstance(mapping, yaml.MappingNode):
        return None
    pairs: list[tuple[yaml.Node, yaml.Node]] = mapping.value
    for key_node, value_node in pairs:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def node_at(root: yaml.Node, line: int, col: int) -> yaml.Node | None:
    """The outermost node of the tree that starts at 1-based `line` and `col` (a model value's `at`), if any.

    The model keeps positions, not nodes; an edit finds its item's node
    again here. Each level is searched for the last child starting at or
    before the place, so the walk is as deep as the tree, not as long.
    """
    target = (line - 1, col - 1)
    node: yaml.Node = root
    while True:
        mark = node.start_mark
        if (mark.line, mark.column) == target:
            return node
        if isinstance(node, yaml.MappingNode):
            children: list[yaml.Node] = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            return None
        found = None
        for child in children:
            if (child.start_mark.line, child.start_mark.column) > target:
                break
            found = child
        if found is None:
            return None
        node = found


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
        problems.append(
            Problem(
                filename, line, tab - starts[line - 1] + 1, said("tab character in indentation; indent with spaces")
            )
        )
    if len(tabs) > MAX_TAB_REPORTS:
        first, last = problems[0], problems[-1]
        problems.append(
            Problem(
                filename,
                last.line,
                last.col,
                said(
                    "and {count} more lines indented with tabs after this one (the first is line {line})",
                    count=len(tabs) - MAX_TAB_REPORTS,
                    line=first.line,
                ),
            )
        )
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
                    assert mark is not None, "a parsed event has a position"
                    return [
                        Problem(
                            filename,
                            mark.line + 1,
                            mark.column + 1,
                            _too_deep(),
                        )
                    ]
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
    """True if an anchor, alias or tag might be present (a cheap scan first).

    A `!` alone is a tag too (YAML's non-specific one), refused like any
    other rather than read differently by the two parsers when it tags
    nothing.
    """
    for char in _NODE_PROPERTY_CHARS:
        at = text.find(char)
        while at >= 0:
            after = text[at + 1 : at + 2]
            named = after and after not in _NOT_A_NAME
            if (named or char == "!") and (at == 0 or text[at - 1] in _PROPERTY_SEPARATORS):
                return True
            at = text.find(char, at + 1)
    return False


def _node_property_problems(text: str, filename: str, loader: type | None = None) -> list[Problem]:
    """Exact positions of every anchor, alias and tag (all refused)."""
    problems = []
    try:
        for event in yaml.parse(text, Loader=loader or _LOADER):
            mark = event.start_mark
            assert mark is not None, "a parsed event has a position"
            where = (filename, mark.line + 1, mark.column + 1)
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        *where,
                        said(
                            "alias *{anchor} refused: write the value out in full (aliases and merge keys are not"
                            " allowed)",
                            anchor=event.anchor,
                        ),
                    )
                )
                continue
            anchor = getattr(event, "anchor", None)
            if anchor is not None and not isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        *where,
                        said(
                            "anchor &{anchor} refused: write each value out in full (anchors are not allowed)",
                            anchor=anchor,
                        ),
                    )
                )
            tag = getattr(event, "tag", None)
            if tag is not None and isinstance(
                event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
            ):
                problems.append(
                    Problem(
                        *where,
                        said(
                            "tag {tag} refused: the schema decides types, and nothing in a plan is executed",
                            tag=_short_tag(tag),
                        ),
                    )
                )
    except yaml.YAMLError:
        pass  # syntax errors are reported by compose, with its own position
    return problems


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _reader_problem(err: yaml.YAMLError | None, text: str, filename: str) -> Problem:
    """A character YAML refuses, found again in the text (libyaml counts bytes, PyYAML characters)."""
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is None:
        return Problem(filename, 1, 1, _reword(str(err)))
    line, col = _line_col(text[: bad.start()])
    code = ord(bad.group())
    shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return Problem(
            filename, line, col, said("control character {code} is not allowed in a plan; remove it", code=shown)
        )
    return Problem(
        filename, line, col, said("unprintable character {code} is not allowed in a plan; remove it", code=shown)
    )


#: PyYAML's wording of an error, and libyaml's for the same error: either parser's
#: refusal of a file reads the same (the errors `_ScansAsLibyaml` raises itself
#: are in libyaml's words already).
_LIBYAML_WORDS = [
    (re.compile(r"expected '<document start>', but found .*", re.S), "did not find expected <document start>"),
    (re.compile(r"expected ',' or '\]', but got .*", re.S), "did not find expected ',' or ']'"),
    (re.compile(r"expected ',' or '}', but got .*", re.S), "did not find expected ',' or '}'"),
    (re.compile(r"expected the node content, but found .*", re.S), "did not find expected node content"),
    (
        re.compile(r"expected alphabetic or numeric character, but found .*", re.S),
        "did not find expected alphabetic or numeric character",
    ),
    (
        re.compile(r"found character .* that cannot start any token", re.S),
        "found character that cannot start any token",
    ),
    (re.compile(r"found undefined tag handle .*", re.S), "found undefined tag handle"),
    (re.compile(r"found undefined alias .*", re.S), "found undefined alias"),
    (re.compile(r"found duplicate anchor .*; first occurrence", re.S), "found duplicate anchor; first occurrence"),
    (re.compile(r"mapping keys are not allowed here"), "mapping keys are not allowed in this context"),
    (re.compile(r"sequence entries are not allowed here"), "block sequence entries are not allowed in this context"),
    (re.compile(r"mapping values are not allowed here"), "mapping values are not allowed in this context"),
]
_AFTER_A_BLOCK = re.compile(r"expected <block end>, but found .*", re.S)


def _in_libyaml_words(context: str | None, problem: str | None) -> tuple[str | None, str | None]:
    """The context and problem of a PyYAML error as libyaml words them (libyaml's own pass unchanged)."""
    if problem and _AFTER_A_BLOCK.fullmatch(problem):
        problem = (
            "did not find expected key"
            if context == "while parsing a block mapping"
            else "did not find expected '-' indicator"
        )
    words = []
    for part in (context, problem):
        if part:
            for pyyaml, libyaml in _LIBYAML_WORDS:
                if pyyaml.fullmatch(part):
                    part = libyaml
                    break
        words.append(part)
    return words[0], words[1]


def _syntax_problem(err: yaml.MarkedYAMLError, filename: str, text: str = "") -> Problem:
    err.context, err.problem = _in_libyaml_words(err.context, err.problem)
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if err.context_mark and mark and (err.context_mark.line, err.context_mark.column) == (mark.line, mark.column):
        err.context_mark = None  # libyaml repeats the position as the context's, PyYAML does not: one place
    if "expected a single document" in str(err):
        return Problem(filename, line, col, said("a second YAML document (---) found; a plan is one document"))
    if "maximum nesting depth" in str(err):
        return Problem(filename, line, col, _too_deep())
    unclosed = _unclosed_quote(text, err.context_mark.line if err.context_mark else 0, mark.line if mark else 0)
    if unclosed is not None:
        quote_line, quote_col, quote = unclosed
        return Problem(
            filename,
            quote_line,
            quote_col,
            said(
                "the {quote} opened here is never closed (YAML fails further on, at line {line}, column {col})",
                quote=said('double quote (")') if quote == '"' else said("single quote (')"),
                line=line,
                col=col,
            ),
        )
    message: str = err.problem or "invalid YAML"
    if message == "found character that cannot start any token" and mark:
        # libyaml does not say which character; the text does, for either parser.
        found = _character_at(text, mark.line, mark.column)
        if found == "\t":
            return Problem(filename, line, col, said("tab character where YAML does not allow one; use spaces"))
        if found:
            message = said("found character {found!r} that cannot start any token", found=found)
    if not err.context:
        return Problem(filename, line, col, _reword(message))
    # The parser's own words (context and problem) stay as libyaml writes them; what is ours is said.
    context, problem = " ".join(err.context.split()), _plainly(message)
    if err.context_mark:
        opened = (err.context_mark.line + 1, err.context_mark.column + 1)
        return Problem(
            filename,
            line,
            col,
            said(
                "invalid YAML: {context}: {problem} (opened at line {line}, column {col})",
                context=context,
                problem=problem,
                line=opened[0],
                col=opened[1],
            ),
        )
    return Problem(filename, line, col, said("invalid YAML: {context}: {problem}", context=context, problem=problem))


_OPEN_QUOTE = re.compile(r"""(?:^|[:\-,\[{?]\s+|[\[{])(["'])""")


def _unclosed_quote(text: str, first: int, last: int) -> tuple[int, int, str] | None:
    """1-based position and quote character of a quoted value a line opens and never closes, between two 0-based lines.

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
            rest = line[match.end() :]
            closed = rest.replace("''", "").find("'") >= 0 if quote == "'" else re.search(r'(?<!\\)"', rest) is not None
            if not closed:
                return number + 1, match.end(), quote
            break  # a closed quoted value: the rest of the line is after it
    return None


def _character_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column, or "" past the end."""
    lines = _LINE_BREAK.split(text, maxsplit=line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _reword(message: str) -> str:
    """libyaml's wording, made plainer where it is cryptic."""
    return said("invalid YAML: {problem}", problem=_plainly(message))


def _plainly(message: str) -> str:
    """`message` on one line, its blanks single spaces; a `Said` stays one, to be said in the reader's language."""
    if isinstance(message, Said):
        return message  # made by a template here, whose words are already single-spaced
    return " ".join(message.split())


def _too_deep() -> str:
    return said("nesting deeper than {depth} levels; a plan needs about ten", depth=MAX_DEPTH)
