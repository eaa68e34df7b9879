"""An iCalendar file (RFC 5545) of the milestones, written by hand.

A conservative subset that Outlook and Google Calendar both import:
VCALENDAR 2.0 with PRODID, CALSCALE:GREGORIAN and METHOD:PUBLISH; one
all-day VEVENT per milestone (`DTSTART;VALUE=DATE`, `DTEND` the next day),
or a VTODO (`DUE;VALUE=DATE`) with `--todo`.

Re-importing updates rather than duplicates: the UID comes from the audit
id and the item id (never the row), SEQUENCE is the number of revisions (plus
one once the milestone is retired) so it rises when a date moves or the event
is cancelled, and DTSTAMP is derived from the as-of date, not
the clock, so the same plan on the same day gives the same bytes.

RFC 5545 gives VEVENT no "completed" status (only TENTATIVE, CONFIRMED,
CANCELLED), so a completed milestone's event is marked in its SUMMARY
("Done: ...") and CATEGORIES; a VTODO carries STATUS:COMPLETED, COMPLETED
and PERCENT-COMPLETE:100. A retired milestone is STATUS:CANCELLED, in
both, with "Retired: " before its summary. Completed and retired milestones
get no reminders.

The words a person reads (summaries, descriptions, categories, reminders)
are in the command's language; the identifiers (UID, PRODID) never change.

TEXT values escape `\\ ; ,` and newlines (section 3.3.11); control
characters are shown as escapes; lines end in CRLF and fold at 75 octets
without splitting a UTF-8 character (section 3.1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from ..core.model import Milestone, Plan
from ..core.plan_terms import one_line
from ..core.query import Standing
from .inert import ICS, renders, visible
from .language import _, n_
from .phrases import shorten, state_word
from .report_tables import actions_by_id, day, leads_with_org, printed_ref

PRODID = "-//oagtrack//Management Action Plan//EN"
DEFAULT_REMINDERS = (timedelta(days=30), timedelta(days=7))
_SUMMARY_WIDTH = 60
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9._\-]")


def escape_text(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newlines escaped; no raw control characters."""
    text = visible(text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (continuations start with a space), CRLF-terminated."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current)
            current, limit = b"", 74  # a continuation line's leading space counts
        current += encoded
    parts.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in parts) + "\r\n"


def uid(plan: Plan, item_id: str, suffix: str = "") -> str:
    """Stable across runs and edits: audit id and item id, never the row position."""
    item = _UID_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", item_id)
    audit = _UID_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", plan.audit.id)
    return f"{audit}-{item}{suffix}@oagtrack"


def summary(actions: Mapping[str, Milestone], standing: Standing) -> str:
    """`1.1 The CBSA will continue to refine… (CBSA, Scott Harris)`, `Done: ` first when complete.

    `actions` is `words.actions_by_id(plan)`, built once per calendar.
    """
    m = standing.milestone
    leads = leads_with_org(standing)
    text = f"{printed_ref(actions, m)} {shorten(one_line(m.text), _SUMMARY_WIDTH)}" + (f" ({leads})" if leads else "")
    if standing.is_done:
        return _("Done: {summary}").format(summary=text)
    if standing.state == "retired":
        return _("Retired: {summary}").format(summary=text)
    return text


def description(plan: Plan, standing: Standing) -> str:
    m = standing.milestone
    lines = [
        _("{audit}, recommendation {recommendation}").format(audit=plan.audit.title, recommendation=m.recommendation),
        "",
        m.text,
        "",
        _("Due: {due}").format(due=day(standing.due)),
    ]
    if standing.revisions:
        count, slip = len(standing.revisions), standing.slip_days
        # English has always written "days" and "revision(s)" whatever the count; French agrees with it.
        days = n_("{days} days", "{days} days", abs(slip)).format(days=f"{slip:+d}")
        revisions = n_("{count} revision(s)", "{count} revision(s)", count).format(count=count)
        lines.append(
            _("Original due: {original} ({days}, {revisions})").format(
                original=standing.original_due, days=days, revisions=revisions
            )
        )
    lines.append(_("State on {day}: {state}").format(day=standing.as_of, state=state_word(standing.state)))
    if standing.completed:
        lines.append(_("Completed: {day}").format(day=standing.completed))
    retirement = m.retirement
    if standing.state == "retired" and retirement:
        lines.append(_("Retired: {day}: {reason}").format(day=retirement.on, reason=retirement.reason))
    lines += [_("Evidence: {link}").format(link=item) for item in m.evidence]
    if standing.leads:
        lines += ["", _("Leads:")]
        for person in standing.leads:
            details = [person.full_name] + [
                v for v in (person.title, person.branch, person.org, person.phone, person.email) if v
            ]
            lines.append("- " + ", ".join(details))
    return "\n".join(lines)


def _duration(delta: timedelta) -> str:
    return f"P{delta.days}D"  # days, never weeks: the form every client reads


@renders(ICS)
def calendar(
    plan: Plan,
    rows: Iterable[Standing],
    as_of: date,
    *,
    todo: bool = False,
    reminders: Sequence[timedelta] = DEFAULT_REMINDERS,
) -> str:
    """The calendar text, CRLF line endings, one component per milestone in plan order."""
    stamp = f"{as_of:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(_('{audit}: action plan').format(audit=plan.audit.title))}",
    ]
    actions = actions_by_id(plan)  # once: a step's printed number needs its action's
    for s in rows:
        lines += _todo(plan, actions, s, stamp, reminders) if todo else _event(plan, actions, s, stamp, reminders)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


def _common(plan: Plan, actions: Mapping[str, Milestone], s: Standing, stamp: str, suffix: str) -> list[str]:
    return [
        f"UID:{uid(plan, s.milestone.id, suffix)}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{len(s.revisions) + (s.state == 'retired')}",
        f"SUMMARY:{escape_text(summary(actions, s))}",
        f"DESCRIPTION:{escape_text(description(plan, s))}",
        f"CATEGORIES:{escape_text(_('Action plan'))},{escape_text(state_word(s.state))}",
    ]


def _alarms(
    actions: Mapping[str, Milestone], s: Standing, reminders: Sequence[timedelta], related_end: bool
) -> list[str]:
    if not s.is_pending:
        return []
    lines = []
    trigger = "TRIGGER;RELATED=END:" if related_end else "TRIGGER:"
    reminder = _("{item} due {due}").format(item=printed_ref(actions, s.milestone), due=s.due)
    for delta in reminders:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(reminder)}",
            f"{trigger}-{_duration(delta)}" if delta.days else f"{trigger}PT0S",
            "END:VALARM",
        ]
    return lines


def _event(
    plan: Plan, actions: Mapping[str, Milestone], s: Standing, stamp: str, reminders: Sequence[timedelta]
) -> list[str]:
    return (
        ["BEGIN:VEVENT"]
        + _common(plan, actions, s, stamp, "")
        + [
            f"DTSTART;VALUE=DATE:{s.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{s.due + timedelta(days=1):%Y%m%d}",
            "STATUS:CANCELLED" if s.state == "retired" else "STATUS:CONFIRMED",
            "TRANSP:TRANSPARENT",
        ]
        + _alarms(actions, s, reminders, related_end=False)
        + ["END:VEVENT"]
    )


def _todo(
    plan: Plan, actions: Mapping[str, Milestone], s: Standing, stamp: str, reminders: Sequence[timedelta]
) -> list[str]:
    lines = ["BEGIN:VTODO"] + _common(plan, actions, s, stamp, "-todo") + [f"DUE;VALUE=DATE:{s.due:%Y%m%d}"]
    if s.is_done and s.completed:
        lines += ["STATUS:COMPLETED", f"COMPLETED:{s.completed:%Y%m%d}T000000Z", "PERCENT-COMPLETE:100"]
    elif s.state == "retired":
        lines.append("STATUS:CANCELLED")
    elif s.status == "in-progress":
        lines.append("STATUS:IN-PROCESS")
    else:
        lines.append("STATUS:NEEDS-ACTION")
    return lines + _alarms(actions, s, reminders, related_end=True) + ["END:VTODO"]
