"""A cache of each plan's validated model, so that a portfolio answers at once.

Reading a plan means parsing YAML and checking every rule; a department's
portfolio holds tens of plans of hundreds of actions, and most of them do not
change between two commands. So the validated `Plan` of each file is kept in
the user's cache folder (never in the repository), under a key made of the
file's bytes, and the next command that reads the same bytes takes the
model from there instead. Beancount's loader keeps a cache beside the ledger
for the same reason.

What the cache may never do:

- **Answer for other bytes.** The key is the SHA-256 of the file's bytes with
  the oagtrack version and this format's version, and the entry repeats it:
  an edit that keeps the size and the modification time is still a miss.
- **Run code.** An entry is JSON read with `json.loads`, and every value is
  rebuilt through the model's declared field types (str, int, bool, dates,
  tuples, the model's records): nothing is looked up by a name the file
  gives, nothing is imported, nothing is called. `pickle` is never used.
- **Change an answer.** An entry that is corrupt, truncated, of another
  version or shape, or whose values do not have the declared types, is a
  miss: the plan is read from its text and the entry written again. Only a
  plan without problems is cached, with the day it was checked: a check
  depends on the day (an entry dated in the future is refused), so an entry
  is used only on that day or later, when the same check would pass again.

Anyone who can write to the user's cache folder can write an entry that is
well formed and says something else about a file with the same bytes; that
is the same person who can edit the plan itself, or the user's shell
start-up files. `OAGTRACK_NO_CACHE=1` or `--no-cache` turns the cache off.
"""

from __future__ import annotations

import functools
import os
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .. import __version__
from .model import LANGUAGES, Plan, Position, Texts

#: Bumped whenever the encoding or the model's records change shape.
FORMAT = "oagtrack-plan-cache"
FORMAT_VERSION = 2
NO_CACHE_ENV = "OAGTRACK_NO_CACHE"
CACHE_DIR_ENV = "OAGTRACK_CACHE_DIR"
#: An entry larger than this is not read (a plan's model is a fraction of its text).
MAX_ENTRY_BYTES = 512 * 1024 * 1024


class Invalid(Exception):
    """A cache entry that is not what this version writes: ignored, then rewritten."""


def enabled(environ: Mapping[str, str], no_cache: bool = False) -> bool:
    """False when the user turned the cache off, by option or by environment."""
    return not no_cache and environ.get(NO_CACHE_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


def folder(environ: Mapping[str, str]) -> Path:
    """The user's cache folder for oagtrack: $OAGTRACK_CACHE_DIR, else $XDG_CACHE_HOME/oagtrack, else ~/.cache."""
    if environ.get(CACHE_DIR_ENV):
        return Path(environ[CACHE_DIR_ENV])
    base = environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec says a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "oagtrack"


@functools.cache  # computed when a key is first made, not when a command that never caches imports this
def _model_shape() -> str:
    """Every record of the model with its fields and their declared types: a new field is a new key."""
    from . import model

    records = sorted(
        (name, value)
        for name, value in vars(model).items()
        if isinstance(value, type) and issubclass(value, tuple) and hasattr(value, "_fields")
    )
    return ";".join(
        f"{name}({','.join(f'{f}:{value.__annotations__.get(f)}' for f in value._fields)})" for name, value in records
    )


def key_of(data: bytes, context: str = "") -> str:
    """The key of a file's bytes (and of the `context` its check depends on, such as a portfolio's people):
    the same bytes give the same key, in this version of oagtrack and its model only."""
    import hashlib  # here: a command with the cache off imports this module without it

    digest = hashlib.sha256()
    digest.update(f"{FORMAT}/{FORMAT_VERSION}/{__version__}/{_model_shape()}\0".encode())
    digest.update(hashlib.sha256(context.encode("utf-8", "surrogatepass")).digest())
    digest.update(data)
    return digest.hexdigest()


class Cache:
    """Validated plans by the key of their bytes, in one folder; every failure to read or write is a miss."""

    def __init__(self, where: Path):
        self.where = where

    def entry_path(self, key: str) -> Path:
        return self.where / f"{key[:2]}" / f"{key}.json"

    def get(self, data: bytes, today: date, context: str = "") -> Plan | None:
        """The cached model of a file holding `data`, checked on or before `today`; None when there is none."""
        key = key_of(data, context)
        try:
            with open(self.entry_path(key), "rb") as handle:
                raw = handle.read(MAX_ENTRY_BYTES + 1)
            if len(raw) > MAX_ENTRY_BYTES:
                return None
            return decode_entry(raw, key, today)
        except (OSError, Invalid, ValueError, TypeError, RecursionError, MemoryError):
            return None

    def put(self, data: bytes, plan: Plan, today: date, context: str = "") -> None:
        """Keep `plan` as the model of `data`; a cache that cannot be written is left alone."""
        key = key_of(data, context)
        target = self.entry_path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            with open(temporary, "wb") as handle:
                handle.write(encode_entry(plan, key, today))
            os.replace(temporary, target)  # readers see the old entry or the new one, never half of one
        except (OSError, ValueError, TypeError):
            try:
                temporary.unlink(missing_ok=True)
            except (OSError, UnboundLocalError):
                pass


# -- the encoding ---------------------------------------------------------------
# A record is a JSON array of its fields in declared order; a date is its ISO
# text; a tuple is an array; a dict of records is an object. Decoders are
# built once per type from the model's annotations.


def encode_entry(plan: Plan, key: str, today: date) -> bytes:
    body = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "key": key,
        "checked": today.isoformat(),
        "plan": _encode(plan),
    }
    import json

    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_entry(raw: bytes, key: str, today: date) -> Plan:
    import json

    body = json.loads(raw.decode("utf-8"))
    if not isinstance(body, dict) or set(body) != {"format", "version", "key", "checked", "plan"}:
        raise Invalid("not a cache entry")
    if body["format"] != FORMAT or body["version"] != FORMAT_VERSION or body["key"] != key:
        raise Invalid("an entry of another format, version or file")
    checked = _date(body["checked"])
    if checked > today:
        raise Invalid("checked on a later day than today")
    plan = _decoder(Plan)(body["plan"])
    assert isinstance(plan, Plan)
    return plan


def encoded(value: object) -> object:
    """A value of the model as the cache writes it, in JSON's types."""
    return _encode(value)


def _encode(value: object) -> object:
    if type(value) is Texts:  # a text in several languages: {"~": the plan's first, "en": ..., "fr": ...}
        return {"~": value.language, **value.versions}
    if type(value) is Position:  # the most numerous record: one flat list, [line, col, *keys]
        return [value.line, value.col, *value.keys]
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return [_encode(item) for item in value]
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"the cache cannot hold a {type(value).__name__}")


_DECODERS: dict[object, Callable[[object], object]] = {}


def _decoder(kind: object) -> Callable[[object], object]:
    """The function that rebuilds a value of the declared type `kind` from JSON, refusing anything else."""
    found = _DECODERS.get(kind)
    if found is None:
        found = _DECODERS[kind] = _build_decoder(kind)
    return found


def _build_decoder(kind: object) -> Callable[[object], object]:
    if kind is str:
        return _text
    if kind is bool:
        return _exactly(bool)
    if kind is int:
        return _exactly(int)
    if kind is date:
        return _date
    origin = typing.get_origin(kind)
    arguments = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return _optional(arguments)
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        return _tuple_of(arguments[0])
    if origin is dict and arguments[0] is str:
        return _dict_of(arguments[1])
    if kind is Position:
        return _position
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        return _record(kind)
    raise TypeError(f"no cache decoder for {kind!r}")


def _text(value: object) -> str:
    """A text, or a text in several languages (`Texts`), every part a string of a known language."""
    if type(value) is str:
        return value
    if type(value) is not dict or type(value.get("~")) is not str:
        raise Invalid("expected a text")
    versions = {key: text for key, text in value.items() if key != "~"}
    if not versions or not all(key in LANGUAGES and type(text) is str for key, text in versions.items()):
        raise Invalid("expected a text in known languages")
    if value["~"] not in versions:
        raise Invalid("a text's first language has no version")
    return Texts(versions, value["~"])


_POSITION_TYPES = frozenset((int, str))


def _position(value: object) -> Position:
    if type(value) is not list or len(value) < 2 or type(value[0]) is not int or type(value[1]) is not int:
        raise Invalid("expected a position")
    if not set(map(type, value)) <= _POSITION_TYPES:
        raise Invalid("expected a position's numbers and keys")
    return Position(value[0], value[1], tuple(value[2:]))


def _exactly(kind: type) -> Callable[[object], object]:
    def decode(value: object) -> object:
        if type(value) is not kind:
            raise Invalid(f"expected {kind.__name__}")
        return value

    return decode


def _date(value: object) -> date:
    if type(value) is not str or len(value) != 10:
        raise Invalid("expected a date")
    return date.fromisoformat(value)


def _optional(arguments: tuple[Any, ...]) -> Callable[[object], object]:
    """`X | None`, or a union of plain types (`str | int`) told apart by the JSON value's own type."""
    others = [argument for argument in arguments if argument is not type(None)]
    if all(argument in (str, int, bool) for argument in others):
        allowed = frozenset(arguments)

        def plain(value: object) -> object:
            if type(value) not in allowed:
                raise Invalid(f"expected one of {arguments!r}")
            return value

        return plain
    if len(others) != 1:
        raise TypeError(f"no cache decoder for a union of {arguments!r}")
    inner = _decoder(others[0])
    return lambda value: None if value is None else inner(value)


_PLAIN = (str, int, bool)


def _hint(text: object, module: str) -> object:
    """A field's declared type from its annotation's text, read by a small grammar rather than `eval`.

    The model's annotations are strings (`from __future__ import
    annotations`); `typing.get_type_hints` would compile each one, which
    costs a command tens of milliseconds at start-up. The grammar knows
    `A | B`, `tuple[A, ...]`, `dict[str, A]` and names: the plain types,
    `date`, and the records of the model's own module.
    """
    if isinstance(text, typing.ForwardRef):  # how a NamedTuple keeps a string annotation
        text = text.__forward_arg__
    if not isinstance(text, str):
        return text
    text = text.strip()
    depth, parts, start = 0, [], 0
    for index, char in enumerate(text):
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    if parts:
        members = tuple(_hint(part, module) for part in [*parts, text[start:]])
        return typing.Union[members]  # noqa: UP007 - built from a tuple of types, not written out
    if text.endswith("]"):
        base, _, inner = text[:-1].partition("[")
        if base == "tuple" and inner.endswith(", ..."):
            return tuple[_hint(inner[: -len(", ...")], module), ...]  # type: ignore[misc]
        if base == "dict" and inner.startswith("str,"):
            return dict[str, _hint(inner[len("str,") :], module)]  # type: ignore[misc]
        raise TypeError(f"no cache decoder for {text!r}")
    names: dict[str, object] = {"str": str, "int": int, "bool": bool, "date": date, "None": type(None)}
    found = names.get(text) or getattr(sys.modules[module], text, None)
    if found is None:
        raise TypeError(f"no cache decoder for {text!r}")
    return found


def _tuple_of(item_kind: object) -> Callable[[object], object]:
    members = typing.get_args(item_kind) if typing.get_origin(item_kind) in (typing.Union, types.UnionType) else ()
    if item_kind in _PLAIN or (members and set(members) <= set(_PLAIN)):
        allowed = frozenset(members or (item_kind,))

        def plain(value: object) -> object:
            # map(type, ...) and the set test run in C: a tuple of texts costs almost nothing to check
            if type(value) is not list:
                raise Invalid("expected a list of plain values")
            if not set(map(type, value)) <= allowed:
                if item_kind is str:  # texts, some of them in several languages
                    return tuple(map(_text, value))
                raise Invalid("expected a list of plain values")
            return tuple(value)

        return plain

    def decode(value: object) -> object:
        if type(value) is not list:
            raise Invalid("expected a list")
        item = _decoder(item_kind)  # looked up late: a record may hold tuples of itself (steps)
        return tuple(map(item, value))

    return decode


def _dict_of(value_kind: object) -> Callable[[object], object]:
    def decode(value: object) -> object:
        if type(value) is not dict:
            raise Invalid("expected an object")
        item = _decoder(value_kind)
        return {key: item(entry) for key, entry in value.items()}

    return decode


def _record(kind: type) -> Callable[[object], object]:
    """A record from the list of its fields: plain fields checked in place, the others decoded, then `_make`.

    The decoders of the other fields are found on first use, since a record
    may hold records of its own kind (an action's steps).
    """
    hints = {name: _hint(text, kind.__module__) for name, text in kind.__annotations__.items()}
    fields: tuple[str, ...] = kind._fields  # type: ignore[attr-defined]
    count = len(fields)
    make: Callable[[Any], Any] = kind._make  # type: ignore[attr-defined]
    plain = [(index, hints[name]) for index, name in enumerate(fields) if hints[name] in (int, bool)]
    decoded = [(index, hints[name]) for index, name in enumerate(fields) if hints[name] not in (int, bool)]
    decoders: list[tuple[int, Callable[[object], object]]] = []

    def decode(value: object) -> object:
        if type(value) is not list or len(value) != count:
            raise Invalid(f"expected {count} fields of a {kind.__name__}")
        for index, exact in plain:
            if type(value[index]) is not exact:
                raise Invalid(f"expected {exact!r} in a {kind.__name__}")
        if not decoders:
            decoders.extend((index, _decoder(hint)) for index, hint in decoded)
        for index, field in decoders:
            value[index] = field(value[index])
        return make(value)

    return decode
