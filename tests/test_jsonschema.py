"""The JSON Schema (draft-07) accepts valid plans and rejects each invalid fixture, as `validate` does."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from oagtrack.core.json_schema import plan_schema
from oagtrack.core.schema import RECORDS
from oagtrack.core.skeleton import skeleton
from oagtrack.core.validate import validate_bytes

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = [ROOT / "plan.yaml", FIXTURES / "readme" / "retired.yaml", *sorted((FIXTURES / "valid").glob("*.yaml"))]
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
TODAY = date(2021, 6, 30)


def as_json(node: yaml.Node, key: str = "") -> Any:
    """A YAML node as the JSON an editor sees: plain true/false are
    booleans, schema_version a number, every other scalar text."""
    if isinstance(node, yaml.MappingNode):
        return {item.value: as_json(value, item.value) for item, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [as_json(item) for item in node.value]
    if not node.style and node.value in ("true", "false"):
        return node.value == "true"
    if key == "schema_version" and not node.style and node.value.isdigit():
        return int(node.value)
    return node.value


def load(text: str) -> Any:
    return as_json(yaml.compose(text, Loader=yaml.SafeLoader))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = plan_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_schema_is_draft_07() -> None:
    assert "http://json-schema.org/draft-07/schema#" == plan_schema()["$schema"]


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_valid_plans_pass_the_schema(path: Path, validator: jsonschema.Draft7Validator) -> None:
    text = path.read_text(encoding="utf-8")
    assert validate_bytes(text.encode(), str(path), TODAY)[1] == []
    assert [] == [error.message for error in validator.iter_errors(load(text))]


def test_init_skeleton_passes_the_schema(validator: jsonschema.Draft7Validator) -> None:
    assert [] == [error.message for error in validator.iter_errors(load(skeleton("New audit", TODAY)))]


def test_there_are_invalid_fixtures() -> None:
    assert len(INVALID) >= 10


@pytest.mark.parametrize("path", INVALID, ids=lambda path: path.stem)
def test_invalid_fixtures_fail_the_schema_and_validate(path: Path, validator: jsonschema.Draft7Validator) -> None:
    """Each invalid fixture is refused by both, problem for problem."""
    text = path.read_text(encoding="utf-8")
    plan, problems = validate_bytes(text.encode(), str(path), TODAY)
    errors = list(validator.iter_errors(load(text)))
    assert plan is None
    assert len(problems) == len(errors) >= 1, (problems, [error.message for error in errors])


def test_every_key_of_every_record_is_in_the_schema() -> None:
    """One declaration serves both: each record's keys are exactly the schema's properties."""
    schema = plan_schema()
    for name, keys in RECORDS.items():
        record = schema if name == "plan" else schema["definitions"][name]
        assert [key.name for key in keys] == list(record["properties"]), name
        assert record["additionalProperties"] is False


def test_committed_schema_file_matches(validator: jsonschema.Draft7Validator) -> None:
    assert json.loads((ROOT / "plan.schema.json").read_text(encoding="utf-8")) == plan_schema()
