"""Properties of the cache's encoding: any plan the model can hold comes back exactly, and no change to an entry
can make a hit crash or hand back anything but a plan.

Plans are generated from the model's records, not read from YAML (`test_portfolio_cache` compares what the cache
gives for every plan file of the repository with what its text gives), so that every field takes values a plan file
rarely holds: texts in French and English (or in one language only, which equals its plain text), positions with
and without their keys, absent and present dates, steps with histories of their own, shared lists of leads.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oagtrack.core import cache as cache_module
from oagtrack.core.cache import Cache, decode_entry, encode_entry, key_of
from oagtrack.core.model import (
    AUDIT_KINDS,
    EVENT_KINDS,
    LANGUAGES,
    STATUSES,
    Audit,
    Event,
    Milestone,
    Person,
    Plan,
    Position,
    Recommendation,
    Response,
    Texts,
)
from oagtrack.core.validate import validate_bytes

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 2)
KEY = "0123456789abcdef" * 4

# Any character a plan file may hold: no lone surrogate, which neither YAML nor UTF-8 can carry.
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
ids = st.text("abc123.-", min_size=1, max_size=6)
in_both_languages = st.builds(
    lambda en, fr, first: Texts({"en": en, "fr": fr}, first), texts, texts, st.sampled_from(LANGUAGES)
)
in_one_language = st.builds(lambda text, language: Texts({language: text}, language), texts, st.sampled_from(LANGUAGES))
prose = st.one_of(texts, in_both_languages, in_one_language)
days = st.dates()
maybe_days = st.none() | days
lists_of_ids = st.lists(ids, max_size=3).map(tuple)
keys = st.lists(st.tuples(ids, st.integers(0, 40), st.integers(1, 120)), max_size=4).map(
    lambda triples: tuple(part for triple in triples for part in triple)
)
positions = st.builds(Position, st.integers(0, 10**6), st.integers(0, 500), keys)
people = st.builds(
    Person,
    key=ids,
    name=prose,
    title=prose,
    branch=prose,
    org=texts,
    phone=texts,
    email=texts,
    honorific=texts,
    at=positions,
)
events = st.builds(
    Event,
    on=days,
    kind=st.sampled_from(EVENT_KINDS),
    text=prose,
    reason=prose,
    from_due=maybe_days,
    to_due=maybe_days,
    approved_by=texts,
    evidence=st.lists(texts, max_size=2).map(tuple),
    by=texts,
    completed=maybe_days,
    verified=maybe_days,
    verified_by=texts,
    at=positions,
)


def milestones(steps: st.SearchStrategy[tuple[Milestone, ...]]) -> st.SearchStrategy[Milestone]:
    return st.builds(
        Milestone,
        id=ids,
        kind=st.sampled_from(("action", "step", "outcome")),
        recommendation=ids,
        text=prose,
        due=days,  # a checked plan has no milestone without one, and the cache refuses such a plan
        leads=lists_of_ids,
        label=ids,
        status=st.sampled_from(STATUSES),
        started=maybe_days,
        completed=maybe_days,
        evidence=st.lists(texts, max_size=2).map(tuple),
        verified=maybe_days,
        verified_by=texts,
        history=st.lists(events, max_size=3).map(tuple),
        steps=steps,
        parent=ids,
        at=positions,
    )


steps = milestones(st.just(()))
actions = milestones(st.lists(steps, max_size=3).map(tuple))
recommendations = st.builds(
    Recommendation,
    id=ids,
    text=prose,
    response=st.builds(Response, st.booleans(), prose),
    outcome=steps,
    actions=st.lists(actions, max_size=3).map(tuple),
    bullets=st.lists(prose, max_size=2).map(tuple),
    leads=lists_of_ids,
    at=positions,
)
audits = st.builds(
    Audit,
    id=ids,
    title=prose,
    auditor=texts,
    year=texts,
    report=texts,
    organizations=lists_of_ids,
    kind=st.sampled_from(("", *AUDIT_KINDS)),
    status=texts,
    report_approved=maybe_days,
    report_published=maybe_days,
)
plans = st.builds(
    Plan,
    schema_version=st.integers(1, 2),
    audit=audits,
    people=st.dictionaries(ids, people, max_size=3),
    recommendations=st.lists(recommendations, max_size=3).map(tuple),
    languages=st.sampled_from(((), ("en",), ("fr", "en"))),
)


def exactly(value: object) -> object:
    """Everything a value holds, with the type of each part: positions' keys and every language of a text too,
    which `==` leaves out or lets a plain text stand for."""
    if isinstance(value, Texts):
        return ("Texts", value.language, sorted(value.versions.items()))
    if isinstance(value, tuple):
        return (type(value).__name__, [exactly(item) for item in value])
    if isinstance(value, dict):
        return ("dict", [(key, exactly(item)) for key, item in value.items()])
    return (type(value).__name__, value)


def round_trip(plan: Plan) -> Plan:
    return decode_entry(encode_entry(plan, KEY, TODAY), KEY, TODAY)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans)
def test_any_plan_comes_back_exactly(plan: Plan):
    """Decoding what was encoded gives an equal plan, and equal in what `==` does not compare as well."""
    back = round_trip(plan)
    assert plan == back
    assert exactly(plan) == exactly(back)


def test_day_zero_is_no_date_where_one_is_required():
    """0 stands for no date only where the type allows none: a history entry's day is never absent."""
    zero = cache_module._encode_numbers([0])
    assert cache_module._column(date | None).decode(zero, 1) == [None]
    with pytest.raises(ValueError, match="ordinal"):
        cache_module._column(date).decode(zero, 1)


def test_a_text_in_one_language_and_the_same_plain_text_come_back_apart():
    """`Texts({"en": "x"}, "en") == "x"`, so tuples holding either are equal: each row keeps its own."""
    plain, english = ("x",), (Texts({"en": "x"}, "en"),)
    column = cache_module._column(tuple[str, ...])
    back = column.decode(json.loads(json.dumps(column.encode([plain, english, plain]))), 3)
    assert [exactly(value) for value in (plain, english, plain)] == [exactly(value) for value in back]


# -- hostile entries: any change to a good entry is a miss or a plan, never an error ----------------------------


def good_entry() -> bytes:
    plan, problems = validate_bytes((ROOT / "plan.yaml").read_bytes(), "plan.yaml", TODAY)
    assert plan is not None, problems
    return encode_entry(plan, KEY, TODAY)


GOOD = good_entry()
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)


def store_holding(folder: Path, entry: bytes) -> Cache:
    """A cache whose entry for the bundled plan's bytes is `entry`."""
    store = Cache(folder)
    path = store.entry_path(key_of(b"plan"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(entry.replace(KEY.encode(), key_of(b"plan").encode(), 1))
    return store


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_value_of_an_entry_replaced_is_a_miss_or_a_plan(folder: Path, data: st.DataObject):
    body = json.loads(GOOD)
    parent, key = body, "plan"
    while isinstance(parent[key], (list, dict)) and parent[key] and data.draw(st.booleans()):
        parent, key = parent[key], data.draw(st.sampled_from(range(len(parent[key]))))
        if isinstance(parent, dict):
            key = list(parent)[key]
    parent[key] = data.draw(json_values)
    found = store_holding(folder, json.dumps(body).encode()).get(b"plan", TODAY)
    assert found is None or type(found) is Plan


@settings(max_examples=200, deadline=None)
@given(at=st.integers(0, len(GOOD) - 1), byte=st.integers(0, 255), cut=st.booleans())
def test_any_byte_of_an_entry_changed_or_cut_there_is_a_miss_or_a_plan(folder: Path, at: int, byte: int, cut: bool):
    entry = GOOD[:at] if cut else GOOD[:at] + bytes([byte]) + GOOD[at + 1 :]
    found = store_holding(folder, entry).get(b"plan", TODAY)
    assert found is None or type(found) is Plan


# -- the key ---------------------------------------------------------------------------------------------------


def test_a_hit_does_not_import_hashlib():
    """hashlib loads OpenSSL, milliseconds of every start: the key is made with `_blake2` alone."""
    # Importing hashlib is made to fail rather than looked for afterwards: under `coverage run`, coverage
    # itself has imported it before any test code runs.
    script = (
        "import sys; sys.modules['hashlib'] = None; from oagtrack.core.cache import key_of; "
        "print(len(key_of(b'x', 'people')))"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (shown.returncode, shown.stdout) == (0, "64\n"), shown.stderr


def test_without_blake2_the_key_is_another_digest_of_the_same_bytes(monkeypatch):
    with_blake2 = key_of(b"plan", "people")
    monkeypatch.setitem(sys.modules, "_blake2", None)  # as on a Python built without it: the import fails
    without = key_of(b"plan", "people")
    assert (len(without), without == key_of(b"plan", "people")) == (64, True)
    assert without != with_blake2 and without != key_of(b"plan", "other people")
