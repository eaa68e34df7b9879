"""A cache entry with the right envelope but one value of the wrong shape, anywhere in the model, is a miss.

Each entry here is a good one with a single value changed where the decoder must notice: a mapping where a list
belongs, a position that is text, a date that is no day, an index past what it indexes, a count that does not add
up. The cache must answer None (never a model holding the wrong type), the plan is then read from its text, and the
entry is written again, good.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from oagtrack.core import cache as cache_module
from oagtrack.core.cache import Cache, key_of
from oagtrack.core.model import Plan
from oagtrack.core.portfolio import read_plans
from oagtrack.core.validate import validate_bytes

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 2)
PLAN_TEXT = (ROOT / "examples" / "portfolio" / "plans" / "security-2020.yaml").read_bytes()

# The encoded plan is a table of one Plan: one column per field, [schema_version, audit, people, recommendations,
# languages]. Whole numbers are packed in one string per column (`numbers` below). The audit is a table of ten
# columns: [id], [title], ..., organizations (5) as [distinct tuples, indexes], ..., report_approved (8) and
# report_published (9) as day numbers. People are [counts, keys, a table of Person], whose `at` (8) is a table of
# Position: [lines, columns, [distinct keys, indexes]].
Mutation = Callable[[list], None]


def numbers(*values: int) -> str:
    """Whole numbers as the cache packs them."""
    return cache_module._encode_numbers(values)


def set_at(*path: object, value: object) -> Mutation:
    def mutate(plan: list) -> None:
        target = plan
        for step in path[:-1]:
            target = target[step]  # type: ignore[index]
        target[path[-1]] = value  # type: ignore[index]

    return mutate


def drop_last_audit_field(plan: list) -> None:
    plan[1] = plan[1][:-1]


def drop_position_keys(plan: list) -> None:
    plan[2][2][8] = plan[2][2][8][:2]


def name_chen_twice(plan: list) -> None:
    plan[2][1] = plan[2][1] * 2
    plan[2][0] = numbers(2)


MISTYPED: dict[str, Mutation] = {
    "people as a list": set_at(2, value=[]),
    "recommendations as a mapping": set_at(3, value={}),
    "a position as text": set_at(2, 2, 8, value="15:3"),
    "a position's keys holding a fraction": set_at(2, 2, 8, 2, 0, value=[["title", 1.5, 3]]),
    "a position without its keys": drop_position_keys,
    "a position's lines as a list": set_at(2, 2, 8, 0, value=[15]),
    "a date as a number": set_at(1, 8, value=20201005),
    "a date as text": set_at(1, 8, value="2020-10-05"),
    "a date that is no day": set_at(1, 8, value=numbers(-5)),
    "a day past the calendar": set_at(1, 8, value=numbers(2**31 - 1)),
    "numbers one short": set_at(0, value=numbers()),
    "numbers one too many": set_at(0, value=numbers(2, 2)),
    "half a number": set_at(0, value=numbers(2)[:-2]),
    "numbers that are not hex": set_at(0, value="zz000000"),
    "an audit one field short": drop_last_audit_field,
    "organizations holding a number": set_at(1, 5, 0, value=[[1]]),
    "organizations as text": set_at(1, 5, value="EXD"),
    "an index past the tuples": set_at(1, 5, 1, value=numbers(1)),
    "a negative index": set_at(1, 5, 1, value=numbers(-1)),
    "a person's name as a number": set_at(2, 2, 1, 0, value=5),
    "a text in no language of a plan": set_at(2, 2, 1, 0, value={"~": "de", "de": "Wei Chen"}),
    "a text whose first language has no version": set_at(2, 2, 1, 0, value={"~": "fr", "en": "Wei Chen"}),
    "a person as a mapping": set_at(2, 2, value={"name": "Wei Chen"}),
    "one person counted as two": set_at(2, 0, value=numbers(2)),
    "a negative count": set_at(3, 0, value=numbers(-1)),
    "a person named twice": name_chen_twice,
    "schema_version true": set_at(0, value=True),
}


@pytest.fixture
def plan_file(tmp_path) -> Path:
    path = tmp_path / "security.yaml"
    path.write_bytes(PLAN_TEXT)
    return path


def fresh_plan() -> Plan:
    plan, problems = validate_bytes(PLAN_TEXT, "security.yaml", TODAY)
    assert plan is not None, problems
    return plan


@pytest.mark.parametrize("name", MISTYPED)
def test_an_entry_with_one_mistyped_value_is_a_miss_and_is_rewritten(tmp_path, plan_file, name):
    store = Cache(tmp_path / "cache")
    plan = fresh_plan()
    store.put(PLAN_TEXT, plan, TODAY)
    entry = store.entry_path(key_of(PLAN_TEXT))
    body = json.loads(entry.read_bytes())
    MISTYPED[name](body["plan"])
    entry.write_text(json.dumps(body), encoding="utf-8")
    assert store.get(PLAN_TEXT, TODAY) is None
    read = read_plans([plan_file], TODAY, store)[0]
    assert (read.plan, read.problems) == (plan, [])
    assert json.loads(entry.read_bytes())["plan"] == json.loads(cache_module.encode_entry(plan, "", TODAY))["plan"]


def test_an_entry_larger_than_the_limit_is_not_read(tmp_path, monkeypatch):
    store = Cache(tmp_path / "cache")
    plan = fresh_plan()
    store.put(PLAN_TEXT, plan, TODAY)
    assert store.get(PLAN_TEXT, TODAY) == plan
    size = store.entry_path(key_of(PLAN_TEXT)).stat().st_size
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", size - 1)
    assert store.get(PLAN_TEXT, TODAY) is None


def test_a_model_the_cache_cannot_hold_is_not_cached_and_leaves_no_file(tmp_path):
    """A value of a type the encoding has no form for (here a fraction) is refused whole, not written in part."""
    store = Cache(tmp_path / "cache")
    odd = fresh_plan()._replace(schema_version=2.5)
    store.put(PLAN_TEXT, odd, TODAY)
    assert store.get(PLAN_TEXT, TODAY) is None
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    "annotation", ["float", "os.system", "list[str]", "tuple[str, int]", "dict[int, str]", "Person | Audit", float]
)
def test_the_decoder_knows_only_the_models_own_types(annotation: object):
    """The cache reads types from the model's annotations by a small grammar: an unknown name is never looked up
    elsewhere (no import, no eval), and a shape it cannot check is refused when the decoder is built."""
    with pytest.raises(TypeError, match="no cache decoder"):
        cache_module._build_column(cache_module._hint(annotation, "oagtrack.core.model"))


def test_the_contexts_key_tells_two_portfolios_people_apart():
    """The same plan bytes under two portfolios that describe a shared lead differently are two entries."""
    assert key_of(PLAN_TEXT) != key_of(PLAN_TEXT, "lemieux: CFO") != key_of(PLAN_TEXT, "lemieux: CEO")
    assert key_of(PLAN_TEXT, "") == key_of(PLAN_TEXT)
