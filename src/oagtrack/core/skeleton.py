"""The commented plan skeleton that `oagtrack init` writes for a new audit.

The skeleton is itself a valid plan (the tests validate it), so a new plan
starts from something `oagtrack validate` accepts and only the words change.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .yamltext import double_quoted

_TEMPLATE = """\
# yaml-language-server: $schema=plan.schema.json
# Management Action Plan (MAP) for the audit "{title}".
#
# Editors check and complete keys from plan.schema.json: write it once with
#   oagtrack schema > plan.schema.json
# and keep the first line of this file.
#
# How to edit this file
# - Change it through pull requests; reviewers run `oagtrack diff` and CI runs
#   `oagtrack check --against` the base branch (history is append-only).
# - Record progress with the commands (`oagtrack complete`, `oagtrack revise`,
#   `oagtrack note`) so that only the lines of the item change.
# - Dates are ISO: YYYY-MM-DD. Quote every id ("1.1") so YAML never reads it as
#   a number ("1.10" is not 1.1).
schema_version: 2

audit:
  # A stable id for this plan: calendar entries derive their ids from it.
  id: {audit_id}
  title: {title_yaml}
  auditor: Office of the Auditor General of Canada
  year: "{year}"
  organizations: [ORG]

# Leads, by key; actions name them in `leads: [key]`.
people:
  lead:
    name: Name of the lead
    title: Title of the lead
    branch: Branch of the lead
    org: ORG
    phone: 000-000-0000

# Each recommendation: the auditor's text, the management response, the
# expected outcome with its target date, and the numbered actions.
# Every action, step and outcome is a milestone with a due date and a status:
# not-started, in-progress, complete, verified or reopened; a milestone that
# no longer applies is never deleted but retired (oagtrack retire).
recommendations:
  - id: "1"
    text: >-
      The recommendation, as printed in the audit report.
    leads: [lead]
    response:
      agreed: true
      text: >-
        Agreed. The management response, as printed.
    outcome:
      id: "1.outcome"
      text: >-
        The expected outcome, as printed.
      due: {outcome_due}
      status: not-started
    actions:
      - id: "1.1"
        text: >-
          The first action, as printed.
        due: {action_due}
        status: not-started
      # An action done in steps has no due date of its own: each step has one.
      - id: "1.2"
        text: >-
          An action done in two steps.
        steps:
          - id: "1.2.a"
            text: The first step.
            due: {action_due}
          - id: "1.2.b"
            text: The second step.
            due: {outcome_due}
"""


def skeleton(title: str, today: date) -> str:
    """A valid plan for an audit titled `title`, with due dates after `today`."""
    title = "".join(ch for ch in " ".join(title.split()) if ch.isprintable()) or "Title of the audit"
    year = audit_year(title, today)
    return _TEMPLATE.format(
        title=title.replace('"', "'"),
        title_yaml=double_quoted(title),
        audit_id=audit_id(title, year),
        year=year,
        action_due=(today + timedelta(days=182)).isoformat(),
        outcome_due=(today + timedelta(days=365)).isoformat(),
    )


def audit_year(title: str, today: date) -> int:
    """The year a title names ("2021 Report 5: ..."), else this year."""
    named = re.search(r"\b(19|20)\d\d\b", title)
    return int(named.group()) if named else today.year


def audit_id(title: str, year: int) -> str:
    """`oag-2021-border-security` from the title and the year, the year said once."""
    title = re.sub(rf"\b{year}\b", " ", title, count=1)
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:60].strip("-") or "audit"
    return f"oag-{year}-{slug}"
