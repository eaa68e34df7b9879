"""The progress report and the milestone export as an Excel workbook (openpyxl: the `excel` extra).

Only `report -f xlsx` and `export -f xlsx` import this module, so neither
the core nor start-up ever loads openpyxl.

A workbook holds values, not text: a date is a date cell shown
`yyyy-mm-dd`, a count is a number, and every id and every piece of plan text
is an explicit string cell, so `1.1` is never the number 1.1 and `=cmd()`
is never a formula. (openpyxl makes any string starting with `=` a formula:
each string cell's type is set back to string, and a cell starting like a
formula also gets Excel's quote prefix, so that it stays text when someone
edits it.)

Every string passes `cell_text`, this medium's inert rule, as every text
output passes `inert.inert`: control and bidirectional characters are shown
as escapes as `text.visible` shows them (a CR LF line end becomes the line
break Excel uses, a lone CR shows as `\\x0d`), so are U+FFFE and U+FFFF
(XML cannot hold them, nor C0 controls, which openpyxl refuses with
IllegalCharacterError); `_x` followed by four hex digits and `_` is
escaped as Excel reads it (`_x005F_`), so the text does not turn into the
character it spells; and a text longer than a cell holds (32,767
characters) is cut with a note that says so, where openpyxl would cut it
silently.

Each table is a sheet: its header row bold, frozen and filtered, its
columns sized to their content (long text wraps). The same input gives the
same bytes: the workbook's times are the as-of date, never the clock.

Sheet names, headers and the workbook's own words are in the reader's
language (`language._`), looked up as each sheet is built.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..core.metrics import Group, Report, Slippage, Summary
from ..core.model import Plan
from ..core.query import Standing
from . import language, report_tables
from .export import milestone_row
from .inert import visible
from .language import _
from .phrases import state_word
from .report_tables import change_word

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath
    from openpyxl.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

#: What a column holds, which decides its cells' type and number format.
TEXT, DATE, COUNT, SIGNED, PERCENT = "text", "date", "count", "signed", "percent"
NUMBER_FORMATS = {DATE: "yyyy-mm-dd", COUNT: "0", SIGNED: "+0;-0;0", PERCENT: "0%"}
#: The most characters Excel holds in a cell.
CELL_LIMIT = 32_767
#: Column widths, in characters: text wider than the widest wraps.
NARROWEST, WIDEST = 6, 60
#: Cells a spreadsheet would read as a formula if typed in (as `export.neutralise`).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NONCHARACTERS = re.compile("[\ufffe\uffff]")
_SPELLED_CHARACTER = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_BOLD = Font(bold=True)
_TOP = Alignment(vertical="top")
_WRAPPED = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str = TEXT


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table: a sheet name valid in Excel, its columns, and rows of values (None for an empty cell)."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


# -- the medium's rule ------------------------------------------------------
def inert_text(text: str) -> str:
    """`text` inert and XML-safe.

    Control, bidirectional and non-characters as escapes, CR LF as the line break Excel uses.
    """
    return _NONCHARACTERS.sub(_escape, visible(text.replace("\r\n", "\n")))


def cell_text(text: str) -> str:
    """`text` as a string cell holds it: `inert_text`, read by Excel as written, and no longer than a cell holds."""
    shown = inert_text(text)
    whole = _SPELLED_CHARACTER.sub("_x005F_", shown)
    if len(whole) <= CELL_LIMIT:
        return whole
    note = " … " + _("[cut: Excel holds {limit} characters in a cell; this text has {length}]").format(
        limit=_thousands(CELL_LIMIT), length=_thousands(len(shown))
    )
    room = CELL_LIMIT - len(note)
    low, high = 0, min(len(shown), room)  # the longest start of `shown` that fits once escaped
    while low < high:
        middle = (low + high + 1) // 2
        if len(_SPELLED_CHARACTER.sub("_x005F_", shown[:middle])) <= room:
            low = middle
        else:
            high = middle - 1
    return _SPELLED_CHARACTER.sub("_x005F_", shown[:low]) + note


def _thousands(number: int) -> str:
    """`32,767`; in French `32 767`, a no-break space between the groups."""
    text = f"{number:,}"
    return text.replace(",", language.NBSP) if language.current() == "fr" else text


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


# -- the tables -------------------------------------------------------------
def milestone_columns() -> tuple[tuple[str, Column], ...]:
    """The milestone table: (key of `export.milestone_row`, column), in the order a reader wants them."""
    return (
        ("id", Column(_("ID"))), ("kind", Column(_("Kind"))), ("recommendation", Column(_("Rec"))),
        ("text", Column(_("Milestone"))), ("leads", Column(_("Leads"))), ("organizations", Column(_("Organizations"))),
        ("due", Column(_("Due"), DATE)), ("original_due", Column(_("Original due"), DATE)),
        ("revisions", Column(_("Revisions"), COUNT)), ("state", Column(_("State"))), ("status", Column(_("Status"))),
        ("days_overdue", Column(_("Days overdue"), COUNT)), ("completed", Column(_("Completed"), DATE)),
        ("days_late", Column(_("Days late"), COUNT)), ("verified", Column(_("Verified"), DATE)),
        ("verified_by", Column(_("Verified by"))), ("evidence", Column(_("Evidence"))),
        ("latest_note_date", Column(_("Latest note date"), DATE)), ("latest_note", Column(_("Latest note"))),
    )  # fmt: skip


def milestone_sheet(rows: Iterable[Standing]) -> Sheet:
    """One row per milestone, every field `export --format csv` has."""
    keyed = milestone_columns()
    columns = tuple(column for _key, column in keyed)
    values = tuple(tuple(row[key] for key, _column in keyed) for row in map(milestone_row, rows))
    return Sheet(_("Milestones"), columns, values)


def about_sheet(pairs: Sequence[tuple[str, Any]]) -> Sheet:
    """What the workbook is: a table of items and values (the title, the as-of date...)."""
    return Sheet(_("About"), (Column(_("Item")), Column(_("Value"))), tuple(pairs))


def summary_sheet(report: Report) -> Sheet:
    """How many milestones stand where, for the plan, each organization and each lead.

    Done on time, done late, overdue, due soon, later and retired add up to
    Total; Verified counts within the done, and Implemented is the done out
    of those that still apply.
    """
    columns = (
        Column(_("Group")), Column(_("Name")), Column(_("Total"), COUNT),
        *(Column(part, COUNT) for part in report_tables.summary_parts(report.horizon.days)),
        Column(_("Retired"), COUNT), Column(report_tables.verified_header(), COUNT), Column(_("Implemented"), PERCENT),
    )  # fmt: skip

    def row(group: str, name: str, s: Summary) -> tuple[Any, ...]:
        share = None if s.percent_implemented is None else s.percent_implemented / 100
        return (
            group,
            name,
            s.total,
            s.on_time,
            s.late,
            s.overdue,
            s.due_soon,
            s.not_yet_due,
            s.retired,
            s.verified,
            share,
        )

    groups: list[tuple[str, Group]] = [(_("Organization"), g) for g in report.by_org] + [
        (_("Lead"), g) for g in report.by_lead
    ]
    return Sheet(
        _("Summary"),
        columns,
        (row(_("Plan"), _("All milestones"), report.summary),)
        + tuple(row(kind, report_tables.group_name(g), g.summary) for kind, g in groups),
    )


def slippage_sheet(report: Report) -> Sheet:
    """How far dates moved: the plan, each recommendation, each lead."""
    columns = (
        Column(_("Group")), Column(_("Name")),
        Column(_("Milestones"), COUNT), Column(_("Revised"), COUNT), Column(_("Revisions"), COUNT),
        Column(_("Days slipped"), SIGNED), Column(_("Max slip"), SIGNED), Column(_("Fallen due or complete"), COUNT),
        Column(_("Met original date"), COUNT), Column(_("Met original date (share)"), PERCENT),
    )  # fmt: skip

    def row(group: str, s: Slippage, name: str | None = None) -> tuple[Any, ...]:
        rate = None if s.on_time_rate is None else s.on_time_rate / 100
        return (
            group,
            s.name if name is None else name,
            s.milestones,
            s.revised,
            s.revisions,
            s.days_slipped,
            s.max_slip,
            s.measured,
            s.on_time,
            rate,
        )

    rows = [row(_("Plan"), report.slippage, _("All milestones"))]  # the core names the plan's row in English
    rows += [row(_("Recommendation"), s) for s in report.slippage_by_recommendation]
    rows += [row(_("Lead"), s) for s in report.slippage_by_lead]
    return Sheet(_("Slippage"), columns, tuple(rows))


def stale_sheet(report: Report) -> Sheet:
    """Open milestones with no activity within the stale window, quietest first."""
    columns = (
        Column(_("ID")), Column(_("Milestone")), Column(_("Leads")), Column(_("Due"), DATE), Column(_("State")),
        Column(_("Last activity"), DATE), Column(_("Activity")), Column(_("Days quiet"), COUNT),
    )  # fmt: skip
    rows = tuple(
        (item.standing.id, item.standing.milestone.text, milestone_row(item.standing)["leads"], item.standing.due,
         state_word(item.standing.state), item.last_activity,
         change_word(item.last_kind) if item.last_kind else _("none recorded"), item.days_quiet)
        for item in report.stale
    )  # fmt: skip
    return Sheet(_("Stale"), columns, rows)


def changes_sheet(report: Report) -> Sheet:
    """What the plan records as done from `since` to `as_of`, oldest first."""
    columns = (
        Column(_("Date"), DATE), Column(_("ID")), Column(_("What")), Column(_("Milestone")), Column(_("Detail")),
        Column(_("From due"), DATE), Column(_("To due"), DATE),
    )  # fmt: skip
    rows = tuple(
        (c.on, c.standing.id, change_word(c.kind), c.standing.milestone.text, report_tables.change_detail(c),
         c.from_due, c.to_due)
        for c in report.changes
    )  # fmt: skip
    return Sheet(_("Changes"), columns, rows)


def recommendations_sheet(report: Report) -> Sheet:
    """Each recommendation the report covers, with the entity's response."""
    columns = (
        Column(_("Rec")),
        Column(_("Recommendation")),
        Column(_("Agreed")),
        Column(_("Response")),
        Column(_("Milestones"), COUNT),
    )
    yes, no = _("yes"), _("no")
    rows = tuple(
        (d.recommendation.id, "\n".join((d.recommendation.text, *(f"- {b}" for b in d.recommendation.bullets))),
         yes if d.recommendation.response.agreed else no, d.recommendation.response.text,
         (1 if d.outcome else 0) + sum(len(a.steps) or 1 for a in d.actions))
        for d in report.details
    )  # fmt: skip
    return Sheet(_("Recommendations"), columns, rows)


def report_sheets(report: Report) -> list[Sheet]:
    """Every table of the progress report, one sheet each, and an About sheet saying what it is."""
    return [
        summary_sheet(report),
        milestone_sheet(report.standings),
        slippage_sheet(report),
        stale_sheet(report),
        changes_sheet(report),
        recommendations_sheet(report),
        about_sheet(
            [
                (_("Report"), report_tables.title(report)),
                (_("Audit"), report.plan.audit.id),
                (_("As of"), report.as_of),
                (_("Changes since"), report.since),
                (_("Stale after (days)"), report.stale_after.days),
                (_("Due soon: within (days)"), report.horizon.days),
                (_("Filtered"), _("yes") if report.filtered else _("no")),
                (_("Planned completion"), report.current_completion),
                (_("Originally planned completion"), report.original_completion),
                (_("Headline"), report_tables.headline(report)),
            ]
        ),
    ]


# -- the workbooks ------------------------------------------------------------
def report(report: Report) -> bytes:
    """`report --format xlsx`: the progress report as a workbook."""
    return workbook(report_sheets(report), report_tables.title(report), report.as_of)


def milestones(plan: Plan, rows: list[Standing], as_of: date, title: str) -> bytes:
    """`export --format xlsx`: one row per milestone, and what the export is."""
    about = about_sheet(
        [(_("Export"), title), (_("Audit"), plan.audit.id), (_("As of"), as_of), (_("Milestones"), len(rows))]
    )
    return workbook([milestone_sheet(rows), about], title, as_of)


def workbook(sheets: Sequence[Sheet], title: str, as_of: date) -> bytes:
    """The sheets as an .xlsx file, the same bytes for the same sheets, title and day."""
    book = Workbook()
    blank = book.active
    assert blank is not None, "a new workbook opens on one blank sheet"
    book.remove(blank)
    for sheet in sheets:
        _write_sheet(book.create_sheet(sheet.name), sheet)
    stamp = datetime(as_of.year, as_of.month, as_of.day)
    book.properties.creator = "oagtrack"
    book.properties.title = inert_text(title)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    with _StampedZip(buffer, "w", zipfile.ZIP_DEFLATED, stamp=stamp) as archive:
        ExcelWriter(book, archive).write_data()  # not `Workbook.save`, which stamps the file with the clock
    return buffer.getvalue()


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    headers = [cell_text(column.header) for column in sheet.columns]
    texts = [[_shown(value, column.kind) for value, column in zip(row, sheet.columns)] for row in sheet.rows]
    widths = [_width([headers[n]] + [row[n] for row in texts]) for n in range(len(sheet.columns))]
    for n, header in enumerate(headers, 1):
        _put(ws.cell(row=1, column=n), header, TEXT).font = _BOLD
        ws.column_dimensions[get_column_letter(n)].width = widths[n - 1]
    for r, (row, shown) in enumerate(zip(sheet.rows, texts), 2):
        for n, (value, column, text) in enumerate(zip(row, sheet.columns, shown), 1):
            cell = _put(ws.cell(row=r, column=n), text if isinstance(value, str) else value, column.kind)
            wraps = isinstance(value, str) and ("\n" in text or _line_width(text) > widths[n - 1] - 2)
            cell.alignment = _WRAPPED if wraps else _TOP
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
    ws.print_title_rows = "1:1"  # printed, each page repeats the header


def _put(cell: Cell | MergedCell, value: Any, kind: str) -> Cell | MergedCell:
    """Write one value as its kind; a string, already `cell_text`, is always a string cell, never a formula."""
    if value is None or value == "":
        return cell
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl made it a formula if it starts with '='
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
        return cell
    cell.value = value
    if kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    elif isinstance(value, date):
        cell.number_format = NUMBER_FORMATS[DATE]
    return cell


def _shown(value: Any, kind: str) -> str:
    """A string as its cell holds it; anything else roughly as the cell shows it, to size its column."""
    if value is None:
        return ""
    if isinstance(value, str):
        return cell_text(value)
    if isinstance(value, date):
        return "0000-00-00"
    if kind == PERCENT:
        return "100%"
    return f"{value:+d}" if kind == SIGNED else str(value)


def _width(texts: list[str]) -> float:
    widest = max((_line_width(text) for text in texts), default=0)
    return float(min(max(widest, NARROWEST), WIDEST) + 2)


def _line_width(text: str) -> int:
    """The widest line of `text` in columns, a wide (East Asian) character counting two; at most WIDEST + 1."""
    widest = 0
    for line in text.split("\n"):
        if len(line) > WIDEST:
            return WIDEST + 1
        width = len(line) if line.isascii() else sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        widest = max(widest, width)
    return widest


class _StampedZip(zipfile.ZipFile):
    """A zip archive whose every member is dated `stamp`: the file then depends on its content only."""

    def __init__(self, *args: Any, stamp: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = min(max(stamp.date(), date(1980, 1, 1)), date(2107, 12, 31))  # what a zip date can hold
        self._stamp = (day.year, day.month, day.day, 0, 0, 0)

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: StrPath,
        arcname: StrPath | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """A member from a file on disk (openpyxl writes each sheet through one), dated `stamp`, not the file's time."""
        with open(filename, "rb") as handle:
            self.writestr(os.fspath(arcname or filename), handle.read(), compress_type, compresslevel)
