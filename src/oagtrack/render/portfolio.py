"""The portfolio's tables in words: one row per audit, the KCA table, the committee report, each lead's digest.

Tables are `report_tables.Table`s of plain strings, so the terminal,
Markdown and HTML draw them as they draw the report's; Excel gets typed
cells (dates, percentages) through `xlsx.Sheet`; CSV goes through the `csv`
module with the same neutralising of formulas as `export`.

Every word is in the command's language (`--lang`), looked up when a table
is built: the KCA columns in French are the Treasury Board's French
headings. Dates in cells and headings stay ISO (YYYY-MM-DD) in both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING, NamedTuple

from ..core.model import Event, Person
from ..core.plan_terms import one_line
from ..core.query import Standing
from ..core.rollup import AGEING_BUCKETS, AuditRow, KcaRow, Owed, Recorded
from .export import neutralise
from .inert import CSV, inert, visible
from .inert import markdown_inert as md
from .language import _, n_
from .language import percent as percent_sign
from .phrases import countdown
from .report_tables import Table

if TYPE_CHECKING:
    from rich.console import RenderableType


def kca_headers() -> tuple[str, ...]:
    """The KCA table's columns, exactly as the Treasury Board's published tables name them, in each language."""
    return (
        _("Internal audit engagement title"),
        _("Audit status"),
        _("Report approved date"),
        _("Report published date"),
        _("Original planned MAP completion date"),
        _("Implementation status (%)"),
    )


def audit_status_word(status: str) -> str | None:
    """How the plan's `audit.status` word is printed in the KCA table; None when the plan gives none we know."""
    words = {
        "planned": _("Planned"),
        "in-progress": _("In progress"),
        "completed": _("Completed"),
        "cancelled": _("Cancelled"),
    }
    return words.get(status)


def bucket_words(low: int, high: int | None) -> str:
    """How an ageing bucket reads; each says its limits in days too."""
    if (low, high) == (366, 1095):
        return _("over 1 year (366-1095 days)")
    if (low, high) == (1096, None):
        return _("over 3 years (1096 days or more)")
    if high is not None:
        return _("{low}-{high} days").format(low=low, high=high)
    return _("over {days} days").format(days=low - 1)


def kind_words(kind: str) -> str | None:
    """How the plan's `audit.kind` word is printed; None when the plan gives none we know."""
    words = {"oag": _("OAG"), "internal": _("Internal"), "other": _("Other")}
    return words.get(kind)


def audit_headers() -> tuple[str, ...]:
    return (
        _("Audit"),
        _("Title"),
        _("Kind"),
        _("Total"),
        _("Done"),
        _("Overdue"),
        _("Due soon"),
        _("% implemented"),
        _("Original completion"),
        _("Current completion"),
    )


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def percent(value: float | None) -> str:
    return percent_sign(value) if value is not None else "-"


def audit_table(rows: Sequence[AuditRow], *, terminal: bool = False) -> Table:
    """A row per audit; on a terminal the title, kind and id share the first column, so the numbers keep their room."""
    not_given = _("kind not given")
    cells = tuple(
        (
            *(
                (f"{one_line(row.title)} ({kind_words(row.kind) or not_given}, {row.audit_id})",)
                if terminal
                else (row.audit_id, one_line(row.title), kind_words(row.kind) or "-")
            ),
            str(row.total),
            str(row.done),
            str(row.overdue),
            str(row.due_soon),
            percent(row.percent_implemented),
            day(row.original_completion),
            day(row.current_completion),
        )
        for row in rows
    )
    headers = audit_headers()
    if terminal:
        # "% impl." (the same number) leaves the dates room at 100 columns.
        headers = (headers[0], *headers[3:7], _("% impl."), *headers[8:])
    first = 1 if terminal else 3
    return Table(headers, cells, numeric=frozenset(range(first, first + 5)))


def kca_table(rows: Sequence[KcaRow]) -> Table:
    cells = tuple(
        (
            one_line(row.title),
            audit_status_word(row.audit_status) or "-",
            day(row.report_approved),
            day(row.report_published),
            day(row.original_completion),
            f"{row.percent_implemented:.0f}" if row.percent_implemented is not None else "-",
        )
        for row in rows
    )
    return Table(kca_headers(), cells, numeric=frozenset({5}))


def kca_csv(rows: Sequence[KcaRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    table = kca_table(rows)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([neutralise(inert(cell if cell != "-" else "", CSV)) for cell in row])
    return buffer.getvalue()


def ageing_table(counts: Sequence[int], as_of: date) -> Table:
    """The buckets with their limits in days and in dates, beside each count."""
    rows = []
    for (low, high), count in zip(AGEING_BUCKETS, counts):
        due_from = as_of.toordinal() - (high if high is not None else 0)
        due_to = as_of.toordinal() - low
        dates = (
            _("due {first} to {last}").format(
                first=date.fromordinal(due_from).isoformat(), last=date.fromordinal(due_to).isoformat()
            )
            if high
            else _("due on or before {last}").format(last=date.fromordinal(due_to).isoformat())
        )
        rows.append((bucket_words(low, high), dates, str(count)))
    headers = (_("Days overdue"), _("Due dates (as of {day})").format(day=as_of.isoformat()), _("Items"))
    return Table(headers, tuple(rows), numeric=frozenset({2}))


def _reason(event: Event | None) -> str:
    if event is None:
        return _("(no reason recorded)")
    words = event.reason if event.kind == "revised" else event.text
    kind = {"revised": _("revised"), "note": _("note")}.get(event.kind, event.kind)
    return _("{day} {kind}: {reason}").format(day=event.on.isoformat(), kind=kind, reason=one_line(words))


def past_due_table(rows: Sequence[tuple[str, Standing, Event | None]]) -> Table:
    cells = tuple(
        (f"{audit}:{s.id}", day(s.due), str(s.days_overdue), _leads(s), _reason(reason)) for audit, s, reason in rows
    )
    headers = (_("Item"), _("Due"), _("Days overdue"), _("Lead"), _("Reason for delay (latest revision or note)"))
    return Table(headers, cells, numeric=frozenset({2}))


def extensions_table(rows: Sequence[Recorded]) -> Table:
    not_recorded = _("(not recorded)")
    cells = tuple(
        (
            f"{r.audit_id}:{r.standing.id}",
            r.event.on.isoformat(),
            day(r.event.from_due),
            day(r.event.to_due),
            one_line(r.event.reason),
            one_line(r.event.approved_by) or not_recorded,
        )
        for r in rows
    )
    return Table((_("Item"), _("Recorded"), _("From"), _("To"), _("Reason"), _("Approved by")), cells)


def retired_table(rows: Sequence[Recorded]) -> Table:
    cells = tuple((f"{r.audit_id}:{r.standing.id}", r.event.on.isoformat(), one_line(r.event.reason)) for r in rows)
    return Table((_("Item"), _("Retired on"), _("Reason (no longer relevant)")), cells)


def _leads(s: Standing) -> str:
    return ", ".join(one_line(person.full_name) for person in s.leads) or "-"


# -- the digest per lead ------------------------------------------------------
def digest_markdown(owed: Owed, person: Person | None, as_of: date, within_days: int) -> str:
    name = person.full_name if person else owed.lead
    lines = [f"# {_('What {name} owes, as of {day}').format(name=md(name), day=as_of.isoformat())}", ""]
    lines += _digest_section(_("Overdue"), owed.overdue, as_of)
    lines += _digest_section(_due_within(within_days), owed.due_soon, as_of)
    return "\n".join(lines)


def _due_within(days: int) -> str:
    # English has always written "days", even for one; French agrees with the count.
    return n_("Due within {days} days", "Due within {days} days", days).format(days=days)


def _digest_section(title: str, items: Sequence[tuple[str, Standing]], as_of: date) -> list[str]:
    escape = md
    lines = [f"## {title} ({len(items)})", ""]
    if not items:
        return [*lines, f"_{_('None.')}_", ""]
    for audit, s in items:
        item = _("due {due} ({countdown}): {text}").format(
            due=day(s.due), countdown=countdown(s), text=escape(s.milestone.text)
        )
        lines.append(f"- **{escape(audit)}:{escape(s.id)}** {item}")
    return [*lines, ""]


def digest_email(owed: Owed, person: Person | None, as_of: date, within_days: int, sender: str) -> bytes:
    """One RFC 5322 message (a draft: nothing is sent), plain text, UTF-8, to the lead's address if known."""
    message = EmailMessage(policy=SMTP)
    name = visible(one_line(person.full_name)) if person else owed.lead
    message["Subject"] = _("Audit action items: {overdue} overdue, {due_soon} due soon ({day})").format(
        overdue=len(owed.overdue), due_soon=len(owed.due_soon), day=as_of
    )
    message["From"] = sender
    if person and person.email:
        # Address quotes the display name, so "(fictional)" is not read as a comment, nor a comma as two people.
        try:
            message["To"] = Address(display_name=name, addr_spec=visible(one_line(person.email)))
        except (ValueError, IndexError, HeaderParseError):
            message["X-Oagtrack-To"] = visible(
                one_line(person.email)
            )  # not an address email can write: shown, not used
    message["X-Oagtrack-Lead"] = owed.lead
    message["X-Unsent"] = "1"  # mail programs open it as a draft to review and send
    message["Date"] = format_datetime(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC))
    body = [f"{name},", "", _("As of {day}, the audit action plans record:").format(day=as_of.isoformat()), ""]
    for title, items in ((_("Overdue"), owed.overdue), (_due_within(within_days), owed.due_soon)):
        body.append(_("{title} ({count}):").format(title=title, count=len(items)))
        for audit, s in items:
            text = visible(one_line(s.milestone.text))
            item = _("{item}, due {due} ({countdown}): {text}").format(
                item=f"{audit}:{s.id}", due=day(s.due), countdown=countdown(s), text=text
            )
            body.append(f"  - {item}")
        if not items:
            body.append(f"  {_('(none)')}")
        body.append("")
    body.append(_("This draft was prepared by oagtrack from the plans in the repository; nothing was sent."))
    message.set_content("\n".join(body))
    return message.as_bytes()


# -- the terminal ---------------------------------------------------------------
def status_view(rows: Sequence[AuditRow], as_of: date) -> RenderableType:
    """`status` of a portfolio: a row per audit, then the totals in one line."""
    from rich.console import Group
    from rich.text import Text

    from .report import FittedTable

    total = sum(row.total for row in rows)
    done = sum(row.done for row in rows)
    overdue = sum(row.overdue for row in rows)
    due_soon = sum(row.due_soon for row in rows)
    audits = n_("{count} audit", "{count} audits", len(rows)).format(count=len(rows))
    # English has always written "milestones", even for one; French agrees with the count.
    line = n_(
        "{audits}, {total} milestones: {done} complete, {overdue} overdue, {due_soon} due soon",
        "{audits}, {total} milestones: {done} complete, {overdue} overdue, {due_soon} due soon",
        total,
    ).format(audits=audits, total=total, done=done, overdue=overdue, due_soon=due_soon)
    title = _("Portfolio as of {day}").format(day=as_of.isoformat())
    return Group(FittedTable(audit_table(rows, terminal=True), title), Text(line))


# -- the KCA table and the committee report in each format ------------------------------
def kca_title() -> str:
    return _("Internal audit: key compliance attributes")


def kca_markdown(rows: Sequence[KcaRow], as_of: date) -> str:
    from .markdown import table

    as_of_line = _("As of {day}.").format(day=as_of.isoformat())
    return f"# {kca_title()}\n\n{as_of_line}\n\n" + table(kca_table(rows))


def kca_html(rows: Sequence[KcaRow], as_of: date) -> str:
    from . import html

    title = kca_title()
    body = [f"<h1>{html.h(title)}</h1>", f"<p>{html.h(_('As of {day}.').format(day=as_of.isoformat()))}</p>"]
    body.append(html.table(kca_table(rows), "kca", title, hidden_caption=True))
    return html.page(title, body, as_of.isoformat())


def kca_workbook(rows: Sequence[KcaRow], as_of: date) -> bytes:
    from . import xlsx

    headers = kca_headers()
    columns = (
        xlsx.Column(headers[0]),
        xlsx.Column(headers[1]),
        xlsx.Column(headers[2], xlsx.DATE),
        xlsx.Column(headers[3], xlsx.DATE),
        xlsx.Column(headers[4], xlsx.DATE),
        xlsx.Column(headers[5], xlsx.COUNT),
    )
    values = tuple(
        (
            row.title,
            audit_status_word(row.audit_status),
            row.report_approved,
            row.report_published,
            row.original_completion,
            round(row.percent_implemented) if row.percent_implemented is not None else None,
        )
        for row in rows
    )
    title = kca_title()
    about = xlsx.about_sheet([(_("Table"), title), (_("As of"), as_of), (_("Engagements"), len(rows))])
    return xlsx.workbook([xlsx.Sheet(_("KCA"), columns, values), about], title, as_of)


class CommitteeReport(NamedTuple):
    """What the audit committee reads each quarter, across every audit."""

    as_of: date
    since: date
    audits: Sequence[AuditRow]
    past_due: Sequence[tuple[str, Standing, Event | None]]
    ageing: Sequence[int]
    extensions: Sequence[Recorded]
    retired: Sequence[Recorded]


def committee_sections(report: CommitteeReport, *, terminal: bool = False) -> list[tuple[str, str, Table]]:
    """Each section: an id, its heading, and its table, in the order the committee reads them."""
    first, last = report.since.isoformat(), report.as_of.isoformat()
    return [
        ("audits", _("Every audit"), audit_table(report.audits, terminal=terminal)),
        (
            "ageing",
            _("Overdue items by age, as of {day}").format(day=last),
            ageing_table(report.ageing, report.as_of),
        ),
        ("past-due", _("Past-due items and the reasons for delay"), past_due_table(report.past_due)),
        (
            "extensions",
            _("Extensions recorded from {first} to {last}").format(first=first, last=last),
            extensions_table(report.extensions),
        ),
        (
            "retired",
            _("Items closed as no longer relevant from {first} to {last}").format(first=first, last=last),
            retired_table(report.retired),
        ),
    ]


def committee_title(report: CommitteeReport) -> str:
    return _("Management action plans: report to the audit committee, as of {day}").format(day=report.as_of.isoformat())


def committee_markdown(report: CommitteeReport) -> str:
    from .markdown import table

    parts = [f"# {committee_title(report)}", ""]
    for _ident, heading, data in committee_sections(report):
        parts += [f"## {heading}", "", table(data)]
    return "\n".join(parts)


def committee_html(report: CommitteeReport) -> str:
    from . import html

    title = committee_title(report)
    body = [f"<h1>{html.h(title)}</h1>"]
    for ident, heading, data in committee_sections(report):
        body += [f"<h2>{html.h(heading)}</h2>", html.table(data, ident, heading, hidden_caption=True)]
    return html.page(title, body, report.as_of.isoformat())


def committee_view(report: CommitteeReport) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from .report import FittedTable

    parts: list[RenderableType] = [Text(committee_title(report), style="bold")]
    for _ident, heading, data in committee_sections(report, terminal=True):
        parts += [
            Text(""),
            FittedTable(data, heading) if data.rows else Text(_("{heading}: none.").format(heading=heading)),
        ]
    return Group(*parts)
