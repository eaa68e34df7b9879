"""What a plan file may contain: every key, its type and whether it is required.

One declaration serves the validator (`validate.py`) and the JSON Schema that
editors use (`oagtrack schema`), so the two can never disagree about a key.
Every key and enumerated word is a string to YAML 1.1 loaders as well as to
ours: `date:`, never `on:` (tests/test_schema_words.py holds that rule).
"""

from __future__ import annotations

from typing import NamedTuple

from .model import AUDIT_KINDS, AUDIT_STATUSES, EVENT_KINDS, LANGUAGES, STATUSES


class Key(NamedTuple):
    name: str
    kind: str  # text, prose (text, or one per language), id, date, bool, int, ref, enum:<values>, list:, record:, map:
    required: bool = False
    doc: str = ""


SCHEMA_VERSION = 2

_MILESTONE_KEYS = (
    Key("id", "id", True, 'Unique id, quoted: "1.1"'),
    Key("label", "text", doc='The number as printed, when it differs from the id, such as "3.4 a)"'),
    Key("text", "prose", True, "The full text, as printed"),
    Key("due", "date", doc="Current due date, YYYY-MM-DD"),
    Key("leads", "list:ref", doc="Keys of people; default: the parent's leads"),
    Key("status", "enum:" + ",".join(STATUSES), doc="Default not-started; must be what the history makes it"),
    Key(
        "history",
        "list:record:event",
        doc="Append-only and dated, oldest first: every start, completion (with its evidence), verification, "
        "reopening, revision, note and retirement",
    ),
)

RECORDS: dict[str, tuple[Key, ...]] = {
    "plan": (
        Key("schema_version", "int", True, f"Version of this file format: {SCHEMA_VERSION}"),
        Key("audit", "record:audit", True),
        Key("people", "map:person", True, "Leads, by key"),
        Key("recommendations", "list:record:recommendation", True),
        Key(
            "languages",
            "list:enum:" + ",".join(LANGUAGES),
            doc="The languages every text is written in, such as [en, fr]; validate reports each text missing one",
        ),
    ),
    "audit": (
        Key("id", "id", True, "Stable id of this plan; calendar UIDs derive from it"),
        Key("title", "prose", True),
        Key("auditor", "text"),
        Key("year", "text"),
        Key("report", "text"),
        Key("organizations", "list:text"),
        Key("kind", "enum:" + ",".join(AUDIT_KINDS), doc="Who audited: oag, internal (internal audit) or other"),
        Key("status", "enum:" + ",".join(AUDIT_STATUSES), doc="The audit's status, as the KCA table reports it"),
        Key("report_approved", "date", doc="The day the audit report was approved"),
        Key("report_published", "date", doc="The day the report was published (or, for the OAG, tabled)"),
    ),
    "person": (
        Key("name", "text", True),
        Key("honorific", "text", doc="Such as Dr."),
        Key("title", "prose"),
        Key("branch", "prose"),
        Key("org", "text", doc="Organization, such as CBSA"),
        Key("phone", "text"),
        Key("email", "text"),
    ),
    "recommendation": (
        Key("id", "id", True),
        Key("text", "prose", True),
        Key("bullets", "list:prose"),
        Key("leads", "list:ref"),
        Key("response", "record:response", True),
        Key("outcome", "record:outcome", True),
        Key("actions", "list:record:action", True),
    ),
    "response": (
        Key("agreed", "bool", True, "true or false"),
        Key("text", "prose", True),
    ),
    "outcome": _MILESTONE_KEYS,
    "action": _MILESTONE_KEYS + (Key("steps", "list:record:step", doc="Steps, each a milestone with its own date"),),
    "step": _MILESTONE_KEYS,
    "event": (
        Key("date", "date", True, "When this happened, YYYY-MM-DD"),
        Key("event", "enum:" + ",".join(EVENT_KINDS), True),
        Key("evidence", "list:text", doc="completed: links or paths to the evidence"),
        Key("by", "text", doc="verified: who verified the completion"),
        Key("from", "date", doc="revised: the due date before"),
        Key("to", "date", doc="revised: the due date after"),
        Key("reason", "prose", doc="revised, reopened, retired: why"),
        Key("approved_by", "text", doc="revised: who approved the extension"),
        Key("text", "prose", doc="note: the note"),
    ),
}

#: Keys each kind of history event requires, and the only keys it may have.
EVENT_KEYS = {
    "started": (set(), {"date", "event"}),
    "completed": (set(), {"date", "event", "evidence"}),
    "verified": ({"by"}, {"date", "event", "by"}),
    "reopened": ({"reason"}, {"date", "event", "reason"}),
    "revised": ({"from", "to", "reason"}, {"date", "event", "from", "to", "reason", "approved_by"}),
    "note": ({"text"}, {"date", "event", "text"}),
    "retired": ({"reason"}, {"date", "event", "reason"}),
}
