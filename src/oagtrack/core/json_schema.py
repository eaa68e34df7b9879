"""A JSON Schema (draft-07) of plan.yaml, generated from `schema.RECORDS`.

Editors read it through yaml-language-server (the `# yaml-language-server:
$schema=...` first line of a plan) to complete and check keys as people type.
It is derived from the same declaration the validator uses, so the two agree
on every key; the validator still checks more than a schema can say (dates
that exist, leads that are people, a history that tells one story).
"""

from __future__ import annotations

import json
from typing import Any

from .model import LANGUAGES
from .schema import EVENT_KEYS, RECORDS, SCHEMA_VERSION, Key

DRAFT = "http://json-schema.org/draft-07/schema#"

#: Same shapes the validator accepts (validate._ID and dates.parse_iso).
# `$(?!\n)`: Python's `$` (used by the jsonschema package) also matches before a
# final newline, so a block-scalar date "2020-09-30\n" would pass; editors' engines agree either way.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-/]*$(?!\n)"
DATE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$(?!\n)"

#: Records whose milestones need a due date (an action needs one unless it has steps).
_DUE_REQUIRED = ("outcome", "step")


def plan_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict."""
    definitions = {name: _record(name, keys) for name, keys in RECORDS.items() if name != "plan"}
    top = _record("plan", RECORDS["plan"])
    return {
        "$schema": DRAFT,
        "title": "oagtrack plan",
        "description": "An audit's Management Action Plan, kept by oagtrack. Check it fully with `oagtrack validate`.",
        **top,
        "definitions": definitions,
    }


def schema_text() -> str:
    """The schema as `oagtrack schema` prints it and plan.schema.json holds it."""
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"


def _record(name: str, keys: tuple[Key, ...]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "object",
        "properties": {key.name: _described(_kind(key.kind, key.name), key.doc) for key in keys},
        "additionalProperties": False,
    }
    required = [key.name for key in keys if key.required]
    if name in _DUE_REQUIRED:
        required.append("due")
    if required:
        record["required"] = required
    if name == "action":
        # An action with steps is a group: its steps carry the dates.
        record["if"] = {"required": ["steps"]}
        record["else"] = {"required": ["due"]}
    if name == "event":
        record["allOf"] = [
            {
                "if": {"properties": {"event": {"const": kind}}, "required": ["event"]},
                "then": {"required": sorted(needs), "propertyNames": {"enum": sorted(allowed)}},
            }
            for kind, (needs, allowed) in EVENT_KEYS.items()
        ]
    if name == "plan":
        record["properties"]["schema_version"]["const"] = SCHEMA_VERSION
    return record


def _described(schema: dict[str, Any], doc: str) -> dict[str, Any]:
    return {**schema, "description": doc} if doc else schema


def _kind(kind: str, name: str = "") -> dict[str, Any]:
    if kind.startswith("list:"):
        return {"type": "array", "items": _kind(kind[len("list:") :])}
    if kind.startswith("record:"):
        return {"$ref": f"#/definitions/{kind[len('record:') :]}"}
    if kind.startswith("map:"):
        return {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": {"$ref": f"#/definitions/{kind[len('map:') :]}"},
        }
    if kind.startswith("enum:"):
        return {"type": "string", "enum": kind[len("enum:") :].split(",")}
    if kind == "prose":  # a text, or the same text in each language: {en: ..., fr: ...}
        text = _kind("text")
        versions = {
            "type": "object",
            "properties": {language: dict(text) for language in LANGUAGES},
            "additionalProperties": False,
            "minProperties": 1,
        }
        return {"oneOf": [text, versions]}
    simple = {
        "text": {"type": "string", "pattern": r"\S"},  # blank text is refused, as by validate and the commands
        "id": {"type": "string", "pattern": ID_PATTERN},
        "ref": {"type": "string", "pattern": ID_PATTERN},
        "date": {"type": "string", "pattern": DATE_PATTERN},
        "bool": {"type": "boolean"},
        "int": {"type": "integer"},
    }
    if kind not in simple:
        raise ValueError(f"schema kind {kind!r} of {name!r} has no JSON Schema form")
    return dict(simple[kind])
