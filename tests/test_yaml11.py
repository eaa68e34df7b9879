"""Every YAML tool reads plan.yaml the same: YAML 1.1 loaders (PyYAML's safe_load, yq, editors) as well as ours.

YAML 1.1 reads plain `on`, `off`, `yes`, `no`, `y`, `n`, `true`, `false`,
`null`, `~` and numbers as something other than text. The rule that no key
and no enumerated value of the schema is one of them is checked on the
schema declaration itself, with PyYAML's own 1.1 resolver as the judge, so
a key added later cannot bring the trap back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from test_jsonschema import load as load_as_editors_do

from oagtrack.core.json_schema import plan_schema
from oagtrack.core.schema import EVENT_KEYS, RECORDS
from oagtrack.core.validate import validate_bytes

ROOT = Path(__file__).resolve().parents[1]
PLANS = [ROOT / "plan.yaml", ROOT / "tests" / "fixtures" / "valid" / "every-event.yaml"]
TODAY = date(2026, 12, 1)


def schema_words() -> set[str]:
    """Every key of every record, and every enumerated value, as the schema declares them."""
    words = set()
    for keys in RECORDS.values():
        for key in keys:
            words.add(key.name)
            if key.kind.startswith("enum:"):
                words.update(key.kind[len("enum:") :].split(","))
    for required, allowed in EVENT_KEYS.values():
        words |= required | allowed
    words |= set(EVENT_KEYS)
    return words


@pytest.mark.parametrize("word", sorted(schema_words()))
def test_every_schema_word_is_text_to_a_yaml_1_1_loader(word: str) -> None:
    """Written plain as a key and as a value, PyYAML's YAML 1.1 safe_load reads the word back as that very string."""
    assert {word: word} == yaml.safe_load(f"{word}: {word}\n")


#: The booleans and nulls of the YAML 1.1 type repository (yaml.org/type/bool.html, null.html).
#: PyYAML leaves out y, Y, n and N; other YAML 1.1 loaders do not.
YAML_1_1_SPEC_WORDS = set(
    "y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF ~ null Null NULL".split()
)


@pytest.mark.parametrize("word", sorted(schema_words()))
def test_no_schema_word_is_a_yaml_1_1_boolean_or_null_by_the_spec(word: str) -> None:
    """Not one of the words the YAML 1.1 spec itself reads as a boolean or null, PyYAML's omissions included."""
    assert word not in YAML_1_1_SPEC_WORDS


def test_the_rule_catches_the_yaml_1_1_traps() -> None:
    """The checks above fail for the words YAML 1.1 reads as booleans, nulls or numbers (`on:` was one)."""
    for trap in ("on", "off", "yes", "no", "true", "false", "null", "~", "1", "1.5"):
        assert yaml.safe_load(f"{trap}: {trap}\n") != {trap: trap}, trap
    assert {"y", "n"} <= YAML_1_1_SPEC_WORDS


class _TextDates(yaml.SafeLoader):
    """PyYAML's YAML 1.1 resolver, except that dates stay text (as JSON has no dates)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def keys_of(value: Any) -> list[Any]:
    """Every mapping key, at every depth."""
    if isinstance(value, dict):
        return [*value, *(key for item in value.values() for key in keys_of(item))]
    if isinstance(value, list):
        return [key for item in value for key in keys_of(item)]
    return []


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_a_yaml_1_1_loader_sees_only_string_keys(path: Path) -> None:
    """yaml.safe_load (YAML 1.1) reads every key of the plan, every history entry's included, as a string."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = keys_of(data)
    assert "history" not in keys or "date" in keys  # history entries, where there are any, were seen
    assert [] == [key for key in keys if not isinstance(key, str)]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_the_json_schema_accepts_the_yaml_1_1_and_1_2_readings(path: Path) -> None:
    """The JSON Schema validates the plan as PyYAML's 1.1 resolver reads it (dates as text) and as a 1.2 editor does."""
    text = path.read_text(encoding="utf-8")
    assert validate_bytes(text.encode(), str(path), TODAY)[1] == []
    validator = jsonschema.Draft7Validator(plan_schema())
    yaml_1_1 = yaml.load(text, Loader=_TextDates)  # noqa: S506 - a SafeLoader subclass
    assert [] == [error.message for error in validator.iter_errors(yaml_1_1)]
    assert [] == [error.message for error in validator.iter_errors(load_as_editors_do(text))]
    assert yaml_1_1 == load_as_editors_do(text)  # the two readings are the same document
