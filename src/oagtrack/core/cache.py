"""A cache of each plan's validated model, so that a portfolio answers at once.

Reading a plan means parsing YAML and checking every rule; a department's
portfolio holds tens of plans of hundreds of actions, and most of them do not
change between two commands. So the validated `Plan` of each file is kept in
the user's cache folder (never in the repository), under a key made of the
file's bytes, and the next command that reads the same bytes takes the
model from there instead. Beancount's loader keeps a cache beside the ledger
for the same reason.

What the cache may never do:

- **Answer for other bytes.** The key is a 256-bit BLAKE2b digest of the
  file's bytes with the oagtrack version, this format's version, the model's
  shape and the people the check read, and the entry repeats it:
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
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard, TypeVar

from .. import __version__
from .model import LANGUAGES, Plan, Texts

_Record = TypeVar("_Record", bound=tuple[Any, ...])

#: Bumped whenever the encoding or the model's records change shape.
FORMAT = "oagtrack-plan-cache"
FORMAT_VERSION = 3
NO_CACHE_ENV = "OAGTRACK_NO_CACHE"
CACHE_DIR_ENV = "OAGTRACK_CACHE_DIR"
#: How whole numbers are packed (`_encode_numbers`): as C ints, whose size and byte order the key names.
_C_INT: typing.Final = "i"
_C_INT_BYTES = memoryview(b"").cast(_C_INT).itemsize
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


def _digest(data: bytes = b"") -> Any:
    """A new 256-bit BLAKE2b digest, from `_blake2`, the C module `hashlib` itself takes BLAKE2 from.

    Importing `hashlib` loads OpenSSL's `_hashlib` too, about 3 ms of every
    cold start that reads the cache; `_blake2` alone costs a tenth of that.
    A Python built without it falls back to `hashlib`'s SHA-256: another
    key, so only a miss.
    """
    try:
        from _blake2 import blake2b
    except ImportError:
        import hashlib

        return hashlib.sha256(data)
    return blake2b(data, digest_size=32)


def key_of(data: bytes, context: str = "") -> str:
    """The key of a file's bytes (and of the `context` its check depends on, such as a portfolio's people):
    the same bytes give the same key, in this version of oagtrack and its model only."""
    version = f"{FORMAT}/{FORMAT_VERSION}/{__version__}/{sys.byteorder}/{_C_INT_BYTES}/{_model_shape()}\0"
    digest = _digest(version.encode())
    digest.update(_digest(context.encode("utf-8", "surrogatepass")).digest())
    digest.update(data)
    hexdigest: str = digest.hexdigest()
    return hexdigest


class Cache:
    """Validated plans by the key of their bytes, in one folder; every failure to read or write is a miss."""

    def __init__(self, where: Path):
        self.where = where

    def entry_path(self, key: str) -> Path:
        return self.where / f"{key[:2]}" / f"{key}.json"

    def get(self, data: bytes, today: date, context: str = "") -> Plan | None:
        """The cached model of a file holding `data`, checked on or before `today`; None when there is none."""
        return self.get_record(data, today, context, Plan)

    def get_record(self, data: bytes, today: date, context: str, kind: type[_Record]) -> _Record | None:
        """As `get`, for a file read as another record of the model (a portfolio file: `PortfolioFileSays`)."""
        key = key_of(data, _of_kind(context, kind))
        try:
            with open(self.entry_path(key), "rb") as handle:
                raw = handle.read(MAX_ENTRY_BYTES + 1)
            if len(raw) > MAX_ENTRY_BYTES:
                return None
            return decode_entry(raw, key, today, kind)
        except (OSError, Invalid, ValueError, TypeError, RecursionError, MemoryError):
            return None

    def put(self, data: bytes, plan: NamedTuple, today: date, context: str = "") -> None:
        """Keep `plan` (or another record of the model) as the model of `data`; a cache that cannot be written
        is left alone."""
        key = key_of(data, _of_kind(context, type(plan)))
        target = self.entry_path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            with open(temporary, "wb") as handle:
                handle.write(encode_entry(plan, key, today))
            os.replace(temporary, target)  # readers see the old entry or the new one, never half of one
        except (OSError, ValueError, TypeError, OverflowError):
            try:
                temporary.unlink(missing_ok=True)
            except (OSError, UnboundLocalError):
                pass


# -- the encoding ---------------------------------------------------------------
# A plan of a few hundred actions holds thousands of records (actions, history
# entries and the position of each), and a hit rebuilds them all. So records
# are written by column, not one by one: all the records of one type at one
# place in the plan (every action's history entries, say) are one table, a
# list of one column per field in declared order, and checking and rebuilding
# a column is a few passes in C (`set(map(type, column))`, `map`, `zip`)
# rather than Python work per value. A field of records is a table of its
# own: of one record per row (`at`, `outcome`); of every row's records in
# order, after the count of each row's (`history`, `actions`); of a dict's
# values, after their counts and keys (`people`). A table of no rows is [].
# The whole numbers of a column (lines, counts, indexes, dates as day numbers)
# are packed in one string (`_encode_numbers`); a tuple of plain values (a
# position's keys, an action's leads) is written once however many rows hold
# it, and each row holds its index. Columns are built once per declared type,
# from the model's annotations.


def _of_kind(context: str, kind: type) -> str:
    """The context of a key, with the kind of record when it is not a plan: the same bytes read as a plan and
    as a portfolio file are two entries."""
    return context if kind is Plan else f"{kind.__name__}\0{context}"


def encode_entry(plan: NamedTuple, key: str, today: date) -> bytes:
    body = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "key": key,
        "checked": today.isoformat(),
        "plan": _column(type(plan)).encode([plan]),
    }
    import json

    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_entry(raw: bytes, key: str, today: date, kind: type[_Record] = Plan) -> _Record:  # type: ignore[assignment]
    import json

    body = json.loads(raw.decode("utf-8"))
    if not isinstance(body, dict) or set(body) != {"format", "version", "key", "checked", "plan"}:
        raise Invalid("not a cache entry")
    if body["format"] != FORMAT or body["version"] != FORMAT_VERSION or body["key"] != key:
        raise Invalid("an entry of another format, version or file")
    if type(body["checked"]) is not str or date.fromisoformat(body["checked"]) > today:
        raise Invalid("checked on a later day than today")
    record: _Record = _column(kind).decode(body["plan"], 1)[0]
    if isinstance(record, Plan) and any(milestone.due is None for milestone in record.milestones()):
        # Well typed, yet no check passes a plan with a milestone without a due date, and queries rely on it.
        raise Invalid("a milestone without a due date")
    return record


def encoded(value: object) -> object:
    """A record of the model as the cache writes it, in JSON's types: the table of that one record."""
    return _column(type(value)).encode([value])


class _Column(NamedTuple):
    """How the values of one declared type are written as a column of JSON, and read back `count` at a time."""

    encode: Callable[[Sequence[Any]], object]
    decode: Callable[[object, int], list[Any]]


_COLUMNS: dict[object, _Column] = {}
_NONE = type(None)
_STR: frozenset[type] = frozenset({str})
_LIST: frozenset[type] = frozenset({list})
_TUPLE: frozenset[type] = frozenset({tuple})
_DICT: frozenset[type] = frozenset({dict})
_TEXTS: frozenset[type] = frozenset({str, Texts})


def _column(kind: object) -> _Column:
    """The column of the declared type `kind`, built on first use."""
    found = _COLUMNS.get(kind)
    if found is None:
        found = _COLUMNS[kind] = _build_column(kind)
    return found


def _build_column(kind: object) -> _Column:
    """The column of `kind`, for the types the model declares; any other is refused before any entry is read."""
    origin = typing.get_origin(kind)
    arguments = typing.get_args(kind)
    if kind is str:
        return _Column(_encode_texts, _decode_texts)
    if kind is int:
        return _Column(_encode_numbers, _numbers)
    if kind is bool:
        return _Column(_encode_flags, _decode_flags)
    if kind is date or (origin in (typing.Union, types.UnionType) and set(arguments) == {date, _NONE}):
        return _dates(optional=kind is not date)
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        item = arguments[0]
        if _is_record(item):
            return _many(item)
        members = typing.get_args(item) if typing.get_origin(item) in (typing.Union, types.UnionType) else (item,)
        if set(members) <= {str, int}:
            return _tuples(frozenset(members))
    if origin is dict and arguments[0] is str and _is_record(arguments[1]):
        return _by_key(arguments[1])
    if _is_record(kind):
        return _table(kind)  # type: ignore[arg-type]
    raise TypeError(f"no cache decoder for {kind!r}")


def _is_record(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")


def _is_list(value: object, count: int) -> TypeGuard[list[Any]]:
    return type(value) is list and len(value) == count


def _refused(values: Sequence[Any], allowed: frozenset[type]) -> TypeError:
    strangers = sorted(kind.__name__ for kind in set(map(type, values)) - allowed)
    return TypeError(f"the cache cannot hold a {', '.join(strangers)} here")


def _encode_numbers(values: Sequence[Any]) -> str:
    """Whole numbers as the hex of their C ints, in this machine's byte order (which the key names).

    `json.loads` takes about 60 ns to read a number, and checking its type
    more; an entry holds tens of thousands (a line, a column and an index in
    every position, the dates, the counts), and `bytes.fromhex` and
    `memoryview.cast` read a column of them from one string in a quarter of
    that, each number an int by construction.
    """
    from array import array  # imported here: a hit reads numbers with built-ins alone

    if not set(map(type, values)) <= {int}:
        raise _refused(values, frozenset({int}))
    return array(_C_INT, values).tobytes().hex()  # OverflowError for a number no C int holds


def _numbers(column: object, count: int) -> list[Any]:
    """`count` whole numbers from the text `_encode_numbers` wrote."""
    if type(column) is not str:
        raise Invalid("expected numbers")
    numbers = memoryview(bytes.fromhex(column)).cast(_C_INT)  # TypeError for a part of a number
    if len(numbers) != count:
        raise Invalid(f"expected {count} numbers")
    return numbers.tolist()


def _encode_flags(values: Sequence[Any]) -> object:
    if not set(map(type, values)) <= {bool}:
        raise _refused(values, frozenset({bool}))
    return list(values)


def _decode_flags(column: object, count: int) -> list[Any]:
    if not _is_list(column, count) or not set(map(type, column)) <= {bool}:
        raise Invalid(f"expected {count} flags")
    return column


def _encode_texts(values: Sequence[Any]) -> object:
    kinds = set(map(type, values))
    if kinds <= _STR:
        return list(values)
    if kinds <= _TEXTS:
        return list(map(_encode_text, values))
    raise _refused(values, _TEXTS)


def _encode_text(value: str) -> object:
    """A text, or a text in several languages as {"~": the plan's first, "en": ..., "fr": ...}."""
    return {"~": value.language, **value.versions} if isinstance(value, Texts) else value


def _decode_texts(column: object, count: int) -> list[Any]:
    if not _is_list(column, count):
        raise Invalid(f"expected {count} texts")
    try:
        "".join(column)  # refuses anything but a str in less than half the time `set(map(type, ...))` takes
    except TypeError:
        return list(map(_text, column))  # some in several languages, or not texts at all
    return column


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


def _dates(optional: bool) -> _Column:
    """Dates as their day numbers (`date.toordinal`), 0 for none where the type allows it.

    `date.fromordinal` refuses a number outside the calendar (ValueError).
    """
    allowed: frozenset[type] = frozenset({date, _NONE}) if optional else frozenset({date})
    day = date.fromordinal

    def encode(values: Sequence[Any]) -> object:
        if not set(map(type, values)) <= allowed:
            raise _refused(values, allowed)
        return _encode_numbers([0 if value is None else value.toordinal() for value in values])

    def decode(column: object, count: int) -> list[Any]:
        numbers = _numbers(column, count)
        if optional and not any(numbers):
            return [None] * count  # as most optional dates are (when a revision moved a due date, say)
        if optional:
            return [day(number) if number else None for number in numbers]
        return list(map(day, numbers))

    return _Column(encode, decode)


def _tuples(allowed: frozenset[type]) -> _Column:
    """Tuples of plain values: [each distinct tuple once, the index of each row's].

    A tuple holding a text in several languages is never shared: `Texts`
    equals its one-language `str`, so sharing could give one row the other.
    """
    texts = allowed == _STR

    def encode(values: Sequence[Any]) -> object:
        if not set(map(type, values)) <= _TUPLE:
            raise _refused(values, _TUPLE)
        items = set(map(type, chain.from_iterable(values)))
        if items <= allowed:
            distinct = list(dict.fromkeys(values))
            index = {value: number for number, value in enumerate(distinct)}
            return [list(map(list, distinct)), _encode_numbers(list(map(index.__getitem__, values)))]
        if texts and items <= _TEXTS:
            return [[list(map(_encode_text, value)) for value in values], _encode_numbers(range(len(values)))]
        raise _refused(list(chain.from_iterable(values)), allowed)

    def decode(column: object, count: int) -> list[Any]:
        if not _is_list(column, 2) or type(column[0]) is not list or not set(map(type, column[0])) <= _LIST:
            raise Invalid("expected [tuples, indexes]")
        distinct, indexes = column[0], _numbers(column[1], count)
        if set(map(type, chain.from_iterable(distinct))) <= allowed:
            values = list(map(tuple, distinct))
        elif texts:
            values = [tuple(map(_text, value)) for value in distinct]
        else:
            raise Invalid(f"expected tuples of {sorted(kind.__name__ for kind in allowed)}")
        if indexes and (min(indexes) < 0 or max(indexes) >= len(values)):
            raise Invalid("an index past the tuples")
        return list(map(values.__getitem__, indexes))

    return _Column(encode, decode)


def _table(kind: type[tuple[Any, ...]]) -> _Column:
    """Records of one type as a list of one column per field; rebuilt by `zip`ping the decoded columns."""
    hints = [_hint(kind.__annotations__[name], kind.__module__) for name in kind._fields]  # type: ignore[attr-defined]
    columns: list[_Column] = []  # found on first use: a record may hold records of its own kind (an action's steps)
    mine = frozenset({kind})

    def field_columns() -> list[_Column]:
        if not columns:
            columns.extend(map(_column, hints))
        return columns

    def encode(rows: Sequence[Any]) -> object:
        if not rows:
            return []
        if not set(map(type, rows)) <= mine:
            raise _refused(rows, mine)
        return [column.encode(values) for column, values in zip(field_columns(), zip(*rows))]

    def decode(table: object, count: int) -> list[Any]:
        if count == 0 and table == []:
            return []
        if count == 0 or not _is_list(table, len(hints)):
            raise Invalid(f"expected a table of {count} {kind.__name__} records")
        fields = [column.decode(values, count) for column, values in zip(field_columns(), table)]
        # what `kind._make` does, without a Python call per record
        return list(map(tuple.__new__, repeat(kind), zip(*fields)))

    return _Column(encode, decode)


def _many(kind: type[tuple[Any, ...]]) -> _Column:
    """A tuple of records in each row: [how many in each row, the table of them all in order]."""
    table = _column(kind)

    def encode(values: Sequence[Any]) -> object:
        if not set(map(type, values)) <= _TUPLE:
            raise _refused(values, _TUPLE)
        return [_encode_numbers(list(map(len, values))), table.encode(list(chain.from_iterable(values)))]

    def decode(column: object, count: int) -> list[Any]:
        if not _is_list(column, 2):
            raise Invalid("expected [counts, table]")
        counts = _counts(column[0], count)
        records = iter(table.decode(column[1], sum(counts)))
        return list(map(tuple, map(islice, repeat(records), counts)))

    return _Column(encode, decode)


def _by_key(kind: type[tuple[Any, ...]]) -> _Column:
    """A dict of records by text key in each row: [how many in each row, every key in order, the table of them all]."""
    table = _column(kind)

    def encode(values: Sequence[Any]) -> object:
        if not set(map(type, values)) <= _DICT:
            raise _refused(values, _DICT)
        keys = list(chain.from_iterable(values))
        if not set(map(type, keys)) <= _STR:
            raise _refused(keys, _STR)
        records = list(chain.from_iterable(value.values() for value in values))
        return [_encode_numbers(list(map(len, values))), keys, table.encode(records)]

    def decode(column: object, count: int) -> list[Any]:
        if not _is_list(column, 3):
            raise Invalid("expected [counts, keys, table]")
        counts = _counts(column[0], count)
        total = sum(counts)
        keys = column[1]
        if not _is_list(keys, total) or not set(map(type, keys)) <= _STR:
            raise Invalid(f"expected {total} keys")
        pairs = zip(keys, table.decode(column[2], total))
        made = list(map(dict, map(islice, repeat(pairs), counts)))
        if sum(map(len, made)) != total:
            raise Invalid("a key written twice")
        return made

    return _Column(encode, decode)


def _counts(column: object, count: int) -> list[int]:
    """`count` counts of records, none negative."""
    counts = _numbers(column, count)
    if counts and min(counts) < 0:
        raise Invalid("a negative count")
    return counts


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
