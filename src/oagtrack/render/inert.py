"""Every output made inert for its medium, in one place, as it leaves a renderer.

Plan text is data. No character of it may act on whatever shows the output:
ESC and the sequences it starts (colours, cursor moves, OSC 8 links, OSC 52
clipboard writes), the other C0 and the C1 controls (`\\x9b` starts a
sequence on its own), DEL, and the bidirectional overrides and isolates
that make text read other than it is. Renderers escape plan text as their
format needs (Markdown punctuation, HTML entities, iCalendar and CSV rules)
and pass it through `visible()`; this module is the last pass over a whole
output, so that a field a renderer forgets is still inert:

- every renderer of text declares its medium with `@renders(MEDIUM)`, which
  passes what it returns through `inert`;
- Rich output for the terminal passes `terminal.print_renderable`, which
  applies the same rule to every segment it prints;
- `write` is the one way a command writes text to standard output.

What "inert" means, per medium:

- TERMINAL, MARKDOWN, HTML, GITHUB: each such character is shown as an
  escape (`\\x1b`, `\\u202e`); newline and tab stay.
- CSV, ICS: the same, but CR LF stays, since it ends their lines and may end
  a line inside a CSV cell; a CR alone is shown as `\\x0d` (it would move the
  cursor back over what a terminal printed).
- JSON: each such character as a `\\u` escape, so a program reads exactly
  the same string and a terminal sees only plain characters. (`json.dumps`
  escapes C0 itself; it leaves DEL, C1 and bidirectional controls raw.)
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from typing import IO, ParamSpec

from ..core.plan_terms import one_line, printable_ascii

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# overrides and isolates that can make text read differently than it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Plan text with every terminal-active character shown as an escape (`\\x1b`)."""
    if printable_ascii(text, b"\t\n"):
        return text
    return _UNSAFE.sub(_escape, text)


def visible_len(text: str) -> int:
    """`len(visible(text))`, without building it (a long text is rarely full of controls)."""
    if printable_ascii(text, b"\t\n"):
        return len(text)
    return len(text) + sum(3 if ord(char) < 0x100 else 5 for char in _UNSAFE.findall(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Markdown: inline markup anywhere (emphasis, code, links, strikethrough,
# table pipes); block markup only where a line starts (lists, headings,
# setext underlines); GitHub mentions and issue references.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


_MD_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([#+\-=])(?=[\s#+\-=]|$)")


_MD_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


# `@name` after a non-word character (an e-mail address is no mention); `#12` anywhere (`owner/repo#12` links too).
_MD_REFERENCE = re.compile(r"((?<!\w)@(?=\w)|#(?=\d))")


ZERO_WIDTH_SPACE = "\u200b"


def markdown_inert(text: str, *, cell: bool = False) -> str:
    """Plan text made inert in GitHub Markdown: a paragraph, or (with `cell`) a table cell.

    The one escaper for every Markdown output (reports, exports, diffs):
    control characters shown as escapes; newlines collapsed so a cell or
    bullet stays one line; `&`, `<`, `>` as entities so no HTML reaches the
    page; `\\ ` * _ [ ] | ~` backslash-escaped so text cannot become a link,
    emphasis, code or a table column; `#`, `-`, `+`, `=` and `1.` escaped
    where they would start a heading or list; and a zero-width space after
    `@` and `#` where GitHub would otherwise link a mention (`@name`) or an
    issue (`#12`), which it does even when they are escaped.
    """
    flat = one_line(visible(text)).translate(_MD_ENTITIES)
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    if not cell:  # inside a cell, `-` or `1.` at the start make no list
        flat = _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", flat, count=1)
    return _MD_REFERENCE.sub(r"\1" + ZERO_WIDTH_SPACE, flat)


TERMINAL = "terminal"
MARKDOWN = "markdown"
HTML = "html"
GITHUB = "github"
CSV = "csv"
ICS = "ics"
JSON = "json"
MEDIA = (TERMINAL, MARKDOWN, HTML, GITHUB, CSV, ICS, JSON)

#: Every character that can act on a terminal or reorder text, newline and tab aside (as `text.visible`).
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same with CR LF allowed, for media whose lines end in it.
_ACTIVE_BUT_CRLF = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def is_inert(text: str) -> bool:
    """True when `text` holds nothing that could act on a terminal (newline and tab aside)."""
    return ACTIVE.search(text) is None


def inert(text: str, medium: str) -> str:
    """`text`, a whole output in `medium`, with every active character escaped as that medium allows."""
    if medium == JSON:
        return ACTIVE.sub(_json_escape, text)
    if medium in (CSV, ICS):
        return _ACTIVE_BUT_CRLF.sub(_shown, text)  # a CR alone is shown as \x0d, like the rest
    if medium in (TERMINAL, MARKDOWN, HTML, GITHUB):
        return visible(text)
    raise ValueError(f"unknown medium {medium}")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _shown(match: re.Match[str]) -> str:
    return visible(match.group())


Params = ParamSpec("Params")


def renders(medium: str) -> Callable[[Callable[Params, str]], Callable[Params, str]]:
    """Declare what a renderer writes: its whole output is made inert for `medium`."""
    if medium not in MEDIA:
        raise ValueError(f"unknown medium {medium}")

    def declare(render: Callable[Params, str]) -> Callable[Params, str]:
        @functools.wraps(render)
        def inert_output(*args: Params.args, **kwargs: Params.kwargs) -> str:
            return inert(render(*args, **kwargs), medium)

        vars(inert_output)["medium"] = medium  # for whoever inspects a renderer (no typed field)
        return inert_output

    return declare


def write(text: str, medium: str, stream: IO[str] | None = None) -> None:
    """Write a whole output to `stream` (standard output by default), inert for `medium`.

    With no standard output at all (`sys.stdout` is None when the app runs
    without `cli.main`, which gives a closed one somewhere to go), there is
    nothing to print to, which is not an error.
    """
    target = stream if stream is not None else sys.stdout
    if target is not None:
        target.write(inert(text, medium))
