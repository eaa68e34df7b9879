"""The portfolio's tables in words: one row per audit, the KCA table, the committee report, each lead's digest.

Tables are `report_tables.Table`s of plain strings, so the terminal,
Markdown and HTML draw them as they draw the report's; Excel gets typed
cells (dates, percentages) through `xlsx.Sheet`; CSV goes through the `csv`
module with the same neutralising of formulas as `export`.
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
from .phrases import countdown
from .report_tables import Table

if TYPE_CHECKING:
    from rich.console import RenderableType

#: The KCA table's columns, exactly as the Treasury Board's published tables name them.
KCA_HEADERS = (
    "Internal audit engagement title",
    "Audit status",
    "Report approved date",
    "Report published date",
    "Original planned MAP completion date",
    "Implementation status (%)",
)
#: How the plan's `audit.status` words are printed in the KCA table.
AUDIT_STATUS_WORDS = {
    "planned": "Planned",
    "in-progress": "In progress",
    "completed": "Completed",
    "cancelled": "Cancelled",
}
#: How the ageing buckets read; each says its limits in days too.
BUCKET_WORDS = {(366, 1095): "over 1 year (366-1095 days)", (1096, None): "over 3 years (1096 days or more)"}
KIND_WORDS = {"oag": "OAG", "internal": "Internal", "other": "Other"}
AUDIT_HEADERS = (
    "Audit",
    "Title",
    "Kind",
    "Total",
    "Done",
    "Overdue",
    "Due soon",
    "% implemented",
    "Original completion",
    "Current completion",
)


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def percent(value: float | None) -> str:
    return f"{value:.0f}%" if value is not None else "-"


def audit_table(rows: Sequence[AuditRow], *, terminal: bool = False) -> Table:
    """A row per audit; on a terminal the title, kind and id share the first column, so the numbers keep their room."""
    cells = tuple(
        (
            *(
                (f"{one_line(row.title)} ({KIND_WORDS.get(row.kind, 'kind not given')}, {row.audit_id})",)
                if terminal
                else (row.audit_id, one_line(row.title), KIND_WORDS.get(row.kind, "-"))
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
    # On a terminal "% impl." (the same number) leaves the dates room at 100 columns.
    headers = ("Audit", *AUDIT_HEADERS[3:7], "% impl.", *AUDIT_HEADERS[8:]) if terminal else AUDIT_HEADERS
    first = 1 if terminal else 3
    return Table(headers, cells, numeric=frozenset(range(first, first + 5)))


def kca_table(rows: Sequence[KcaRow]) -> Table:
    cells = tuple(
        (
            one_line(row.title),
            AUDIT_STATUS_WORDS.get(row.audit_status, "-"),
            day(row.report_approved),
            day(row.report_published),
            day(row.original_completion),
            f"{row.percent_implemented:.0f}" if row.percent_implemented is not None else "-",
        )
        for row in rows
    )
    return Table(KCA_HEADERS, cells, numeric=frozenset({5}))


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
        label = BUCKET_WORDS.get((low, high), f"{low}-{high} days" if high is not None else f"over {low - 1} days")
        due_from = as_of.toordinal() - (high if high is not None else 0)
        due_to = as_of.toordinal() - low
        dates = (
            f"due {date.fromordinal(due_from).isoformat()} to {date.fromordinal(due_to).isoformat()}"
            if high
            else (f"due on or before {date.fromordinal(due_to).isoformat()}")
        )
        rows.append((label, dates, str(count)))
    return Table(
        ("Days overdue", f"Due dates (as of {as_of.isoformat()})", "Items"), tuple(rows), numeric=frozenset({2})
    )


def _reason(event: Event | None) -> str:
    if event is None:
        return "(no reason recorded)"
    words = event.reason if event.kind == "revised" else event.text
    return f"{event.on.isoformat()} {event.kind}: {one_line(words)}"


def past_due_table(rows: Sequence[tuple[str, Standing, Event | None]]) -> Table:
    cells = tuple(
        (f"{audit}:{s.id}", day(s.due), str(s.days_overdue), _leads(s), _reason(reason)) for audit, s, reason in rows
    )
    headers = ("Item", "Due", "Days overdue", "Lead", "Reason for delay (latest revision or note)")
    return Table(headers, cells, numeric=frozenset({2}))


def extensions_table(rows: Sequence[Recorded]) -> Table:
    cells = tuple(
        (
            f"{r.audit_id}:{r.standing.id}",
            r.event.on.isoformat(),
            day(r.event.from_due),
            day(r.event.to_due),
            one_line(r.event.reason),
            one_line(r.event.approved_by) or "(not recorded)",
        )
        for r in rows
    )
    return Table(("Item", "Recorded", "From", "To", "Reason", "Approved by"), cells)


def retired_table(rows: Sequence[Recorded]) -> Table:
    cells = tuple((f"{r.audit_id}:{r.standing.id}", r.event.on.isoformat(), one_line(r.event.reason)) for r in rows)
    return Table(("Item", "Retired on", "Reason (no longer relevant)"), cells)


def _leads(s: Standing) -> str:
    return ", ".join(one_line(person.full_name) for person in s.leads) or "-"


# -- the digest per lead ------------------------------------------------------
def digest_markdown(owed: Owed, person: Person | None, as_of: date, within_days: int) -> str:
    name = person.full_name if person else owed.lead
    lines = [f"# What {md(name)} owes, as of {as_of.isoformat()}", ""]
    lines += _digest_section("Overdue", owed.overdue, as_of)
    lines += _digest_section(f"Due within {within_days} days", owed.due_soon, as_of)
    return "\n".join(lines)


def _digest_section(title: str, items: Sequence[tuple[str, Standing]], as_of: date) -> list[str]:
    escape = md
    lines = [f"## {title} ({len(items)})", ""]
    if not items:
        return [*lines, "_None._", ""]
    for audit, s in items:
        when = countdown(s)
        lines.append(f"- **{escape(audit)}:{escape(s.id)}** due {day(s.due)} ({when}): {escape(s.milestone.text)}")
    return [*lines, ""]


def digest_email(owed: Owed, person: Person | None, as_of: date, within_days: int, sender: str) -> bytes:
    """One RFC 5322 message (a draft: nothing is sent), plain text, UTF-8, to the lead's address if known."""
    message = EmailMessage(policy=SMTP)
    name = visible(one_line(person.full_name)) if person else owed.lead
    message["Subject"] = f"Audit action items: {len(owed.overdue)} overdue, {len(owed.due_soon)} due soon ({as_of})"
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
    body = [f"{name},", "", f"As of {as_of.isoformat()}, the audit action plans record:", ""]
    for title, items in (("Overdue", owed.overdue), (f"Due within {within_days} days", owed.due_soon)):
        body.append(f"{title} ({len(items)}):")
        for audit, s in items:
            text = visible(one_line(s.milestone.text))
            body.append(f"  - {audit}:{s.id}, due {day(s.due)} ({countdown(s)}): {text}")
        if not items:
            body.append("  (none)")
        body.append("")
    body.append("This draft was prepared by oagtrack from the plans in the repository; nothing was sent.")
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
    audits = f"{len(rows)} audit{'' if len(rows) == 1 else 's'}"
    line = f"{audits}, {total} milestones: {done} complete, {overdue} overdue, {due_soon} due soon"
    return Group(FittedTable(audit_table(rows, terminal=True), f"Portfolio as of {as_of.isoformat()}"), Text(line))


# -- the KCA table and the committee report in each format ------------------------------
KCA_TITLE = "Internal audit: key compliance attributes"


def kca_markdown(rows: Sequence[KcaRow], as_of: date) -> str:
    from .markdown import table

    return f"# {KCA_TITLE}\n\nAs of {as_of.isoformat()}.\n\n" + table(kca_table(rows))


def kca_html(rows: Sequence[KcaRow], as_of: date) -> str:
    from . import html

    body = [f"<h1>{html.h(KCA_TITLE)}</h1>", f"<p>As of {as_of.isoformat()}.</p>"]
    body.append(html.table(kca_table(rows), "kca", KCA_TITLE, hidden_caption=True))
    return html.page(KCA_TITLE, body, as_of.isoformat())


def kca_workbook(rows: Sequence[KcaRow], as_of: date) -> bytes:
    from . import xlsx

    columns = (
        xlsx.Column(KCA_HEADERS[0]),
        xlsx.Column(KCA_HEADERS[1]),
        xlsx.Column(KCA_HEADERS[2], xlsx.DATE),
        xlsx.Column(KCA_HEADERS[3], xlsx.DATE),
        xlsx.Column(KCA_HEADERS[4], xlsx.DATE),
        xlsx.Column(KCA_HEADERS[5], xlsx.COUNT),
    )
    values = tuple(
        (
            row.title,
            AUDIT_STATUS_WORDS.get(row.audit_status),
            row.report_approved,
            row.report_published,
            row.original_completion,
            round(row.percent_implemented) if row.percent_implemented is not None else None,
        )
        for row in rows
    )
    about = xlsx.about_sheet([("Table", KCA_TITLE), ("As of", as_of), ("Engagements", len(rows))])
    return xlsx.workbook([xlsx.Sheet("KCA", columns, values), about], KCA_TITLE, as_of)


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
    period = f"{report.since.isoformat()} to {report.as_of.isoformat()}"
    return [
        ("audits", "Every audit", audit_table(report.audits, terminal=terminal)),
        (
            "ageing",
            f"Overdue items by age, as of {report.as_of.isoformat()}",
            ageing_table(report.ageing, report.as_of),
        ),
        ("past-due", "Past-due items and the reasons for delay", past_due_table(report.past_due)),
        ("extensions", f"Extensions recorded from {period}", extensions_table(report.extensions)),
        ("retired", f"Items closed as no longer relevant from {period}", retired_table(report.retired)),
    ]


def committee_title(report: CommitteeReport) -> str:
    return f"Management action plans: report to the audit committee, as of {report.as_of.isoformat()}"


def committee_markdown(report: CommitteeReport) -> str:
    from .markdown import table

    parts = [f"# {committee_title(report)}", ""]
    for _, heading, data in committee_sections(report):
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
    for _, heading, data in committee_sections(report, terminal=True):
        parts += [Text(""), FittedTable(data, heading) if data.rows else Text(f"{heading}: none.")]
    return Group(*parts)
