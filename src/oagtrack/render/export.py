"""Machine-readable renderings of query results: JSON and CSV.

JSON keeps every string exactly as written (a control or bidirectional
character as a `\\u` escape); CSV neutralises cells a spreadsheet would
otherwise run as a formula (OWASP "CSV injection") and shows such
characters as escapes (`inert.CSV`).

A milestone row (`milestone_row`) is one definition for CSV and Excel: the
same fields, typed (dates, counts), each list in one cell. Evidence is one
link or path per line: a path holds spaces and a link commas, semicolons
and pipes, but neither holds a line break, so `cell.split("\\n")` gives
back each one (a line break inside one, which no link or path has, is
shown as `\\x0a`). Leads and organizations are names, separated by `; `.

CSV and Excel are read by people: their header row and the words in their
kind, state and status cells are in the command's language (`--lang`).
JSON is read by programs: its keys and values are the plan's own words in
every language.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from ..core.model import Event, Milestone, Plan
from ..core.query import Standing
from .inert import CSV, JSON, inert, renders
from .language import _
from .phrases import state_word, status_word

#: Version of the JSON shape written by `export --format json`.
EXPORT_SCHEMA_VERSION = 2  # 2: history entries under `date`, every fact an entry (plan version 2)

#: The columns of `export --format csv` (and `overdue`, `upcoming` as CSV), in order: new ones are added at the end,
#: so a program that reads columns by position keeps working. The header row names them in the reader's language
#: (`csv_headers`); these English names are the keys of `milestone_row`.
CSV_FIELDS = (
    "id", "kind", "recommendation", "text", "due", "original_due", "state", "status", "days_overdue", "leads",
    "completed", "evidence", "organizations", "verified", "verified_by", "days_late", "revisions", "latest_note_date",
    "latest_note",
)  # fmt: skip
#: Between two evidence links or paths in one cell.
EVIDENCE_SEPARATOR = "\n"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_headers() -> tuple[str, ...]:
    """The header row of `CSV_FIELDS`, in the current language, column for column."""
    # One literal per column: the catalog extractor reads only literal messages.
    return (
        _("id"), _("kind"), _("recommendation"), _("text"), _("due"), _("original_due"), _("state"), _("status"),
        _("days_overdue"), _("leads"), _("completed"), _("evidence"), _("organizations"), _("verified"),
        _("verified_by"), _("days_late"), _("revisions"), _("latest_note_date"), _("latest_note"),
    )  # fmt: skip


def kind_word(kind: str) -> str:
    """A milestone's kind (`model.MILESTONE_KINDS`) as a reader reads it: `outcome`, in French `résultat attendu`."""
    words = {"action": _("action"), "step": _("step"), "outcome": _("outcome")}
    return words.get(kind, kind)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def standing_record(standing: Standing) -> dict[str, Any]:
    """One milestone as a flat JSON object."""
    milestone = standing.milestone
    return {
        "id": milestone.id,
        "label": milestone.display_id,
        "kind": milestone.kind,
        "recommendation": milestone.recommendation,
        "text": milestone.text,
        "due": _iso(standing.due),
        "original_due": _iso(standing.original_due),
        "state": standing.state,
        "status": standing.status,
        "days_overdue": standing.days_overdue,
        "days_left": max(0, standing.days_left) if standing.is_pending else 0,
        "completed": _iso(standing.completed),
        "verified": _iso(standing.verified),
        "evidence": list(milestone.evidence),
        "leads": [person.full_name for person in standing.leads],
        "lead_keys": list(milestone.leads),
        "revisions": len(standing.revisions),
        "slip_days": standing.slip_days,
    }


@renders(JSON)
def standings_json(rows: list[Standing]) -> str:
    return json.dumps([standing_record(s) for s in rows], indent=2, ensure_ascii=False) + "\n"


@renders(JSON)
def plan_json(plan: Plan, rows: list[Standing], as_of: date) -> str:
    """The whole plan, each milestone with its computed state on `as_of`."""
    by_id = {s.milestone.id: s for s in rows}

    def item(milestone: Milestone) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": milestone.id,
            "label": milestone.display_id,
            "text": milestone.text,
            "leads": list(milestone.leads),
        }
        if milestone.steps:
            record["steps"] = [item(step) for step in milestone.steps]
        elif milestone.id in by_id:
            record.update(standing_record(by_id[milestone.id]))
            record["history"] = [_event(event) for event in milestone.history]
        return record

    document = {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "audit": {
            "id": plan.audit.id,
            "title": plan.audit.title,
            "auditor": plan.audit.auditor,
            "year": plan.audit.year,
            "organizations": list(plan.audit.organizations),
        },
        "people": {
            key: {
                "name": p.name,
                "honorific": p.honorific,
                "title": p.title,
                "branch": p.branch,
                "org": p.org,
                "phone": p.phone,
                "email": p.email,
            }
            for key, p in plan.people.items()
        },
        "recommendations": [
            {
                "id": rec.id,
                "text": rec.text,
                "bullets": list(rec.bullets),
                "leads": list(rec.leads),
                "response": {"agreed": rec.response.agreed, "text": rec.response.text},
                "outcome": item(rec.outcome),
                "actions": [item(action) for action in rec.actions],
            }
            for rec in plan.recommendations
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _event(event: Event) -> dict[str, Any]:
    """A history entry under the keys plan.yaml uses, empty ones left out; a reopening with what it withdrew."""
    record: dict[str, Any] = {"date": _iso(event.on), "event": event.kind}
    for key, value in (
        ("evidence", list(event.evidence)),
        ("by", event.by),
        ("text", event.text),
        ("reason", event.reason),
        ("from", _iso(event.from_due)),
        ("to", _iso(event.to_due)),
        ("approved_by", event.approved_by),
        ("completed", _iso(event.completed)),
        ("verified", _iso(event.verified)),
        ("verified_by", event.verified_by),
    ):
        if value:
            record[key] = value
    return record


def neutralise(cell: str) -> str:
    """Prefix a quote to a cell a spreadsheet would read as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def organizations(standing: Standing) -> list[str]:
    """The leads' organizations, each once, in the order of the leads."""
    return list(dict.fromkeys(person.org for person in standing.leads if person.org))


def evidence_cell(evidence: tuple[str, ...] | list[str]) -> str:
    """Each link or path on a line of its own; a line break inside one (no link or path has one) shown as an escape."""
    return EVIDENCE_SEPARATOR.join(item.replace("\r", "\\x0d").replace("\n", "\\x0a") for item in evidence)


def milestone_row(standing: Standing) -> dict[str, Any]:
    """One milestone as the CSV and Excel exports show it: `CSV_FIELDS`, typed.

    A date is a date, a count an int, and an empty field None; kind, state
    and status are words for the reader, in the current language.
    """
    milestone = standing.milestone
    note = standing.latest_note
    return {
        "id": milestone.id,
        "kind": kind_word(milestone.kind),
        "recommendation": milestone.recommendation,
        "text": milestone.text,
        "due": standing.due,
        "original_due": standing.original_due,
        "state": state_word(standing.state),
        "status": status_word(standing.status),
        "days_overdue": standing.days_overdue,
        "leads": "; ".join(person.full_name for person in standing.leads),
        "completed": standing.completed,
        "evidence": evidence_cell(milestone.evidence),
        "organizations": "; ".join(organizations(standing)),
        "verified": standing.verified,
        "verified_by": standing.verified_by,
        "days_late": standing.days_late,
        "revisions": len(standing.revisions),
        "latest_note_date": note.on if note else None,
        "latest_note": note.text if note else None,
    }


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


@renders(CSV)
def standings_csv(rows: list[Standing]) -> str:
    """One row per milestone; UTF-8, fields quoted as needed, each cell inert, then formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_headers())
    for standing in rows:
        row = milestone_row(standing)
        writer.writerow([neutralise(inert(_csv_value(row[key]), CSV)) for key in CSV_FIELDS])
    return buffer.getvalue()
