"""The XLSX of a report run: a `Summary` sheet, then one sheet per section.

Every sheet opens with the same header block, so a page printed or mailed
alone still says what it is:

    Riverton Municipal Utilities                    <- Settings › Office
    PSC zero-interest loan guarantee report — Payment receipts
    Period: 2026-Q3, July 1, 2026 to September 30, 2026
    Version: 2, amending version 1
    Status: Generated
    Generated: November 24, 2026, 9:30 a.m. by Bob Supervisor
                                                    <- blank
    Loan | Customer | Received | Amount | ...       <- frozen with the block
    ...
    Total |         |          | $1,234.56 | ...    <- sums of the rows

Written in openpyxl's write-only mode: each row goes to the file as it is
read, so a section of 250,000 rows never sits in memory. Cells are typed
(dates as dates, money as exact Decimal numbers with a currency format, counts
as whole numbers). Text is written as a string cell; text a spreadsheet could
read as a formula (= + - @ tab CR) also carries the quote prefix, which keeps
it text even when someone edits the cell, and shows it exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import WorkbookAlreadySaved

from portal.templatetags.portal_format import day_text, moment_text, person_text
from portal.xlsx import DATE_FORMAT, INTEGER_FORMAT, QUANTITY_FORMAT, utility_name
from regulatory_reports.kinds import SUMMED, Column, ColumnType, ReportResult, Section
from regulatory_reports.models import ReportRun

# Negative amounts (reversals) stand out in red and keep their minus sign.
MONEY_FORMAT = '"$"#,##0.00;[Red]-"$"#,##0.00'
FORMATS: dict[str, str] = {
    "money": MONEY_FORMAT,
    "date": DATE_FORMAT,
    "int": INTEGER_FORMAT,
    "quantity": QUANTITY_FORMAT,
}
# Characters a spreadsheet may read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WIDTHS: dict[str, int] = {
    "text": 20,
    "date": 12,
    "money": 15,
    "int": 10,
    "quantity": 12,
}
MAX_WIDTH = 60
SUMMARY = "Summary"
# Excel refuses these in a tab's name, and a name of more than 31 characters.
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_SHEET_RESERVED = {"history"}

_TITLE = Font(bold=True, size=14)
_SUBTITLE = Font(bold=True, size=12)
_BOLD = Font(bold=True)
_RULE = Side(style="thin")


def header_lines(run: ReportRun, heading: str) -> list[str]:
    """The header block's lines (also the PDF's): utility, report, period,
    version, status, generated."""
    version = f"Version: {run.version}"
    status = f"Status: {run.get_status_display()}"
    if run.pk is None:
        # A workbook downloaded straight from a kind (exports.download_xlsx):
        # no run, so no version to review or file.
        version = "Version: none (a download, not a report run)"
        status = "Status: not filed"
    elif run.amends_id:
        amended = run.amends.version if run.amends else "?"
        version += f", amending version {amended}"
    return [
        utility_name(),
        heading,
        f"Period: {run.period}, {day_text(run.start)} to {day_text(run.end)}",
        version,
        status,
        f"Generated: {moment_text(run.generated_at)} by {person_text(run.generated_by)}",
    ]


def clean_text(value: Any) -> str:
    """Text a workbook can hold: control characters XML forbids become U+FFFD
    (visible, instead of failing the whole export)."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


def text_cell(ws: Any, value: Any) -> Cell:
    """A string cell that is never a formula, whatever the text starts with."""
    text = clean_text(value)
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # openpyxl types a text starting with "=" as a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def typed_value(kind: ColumnType, value: Any) -> Any:
    """The value as its cell holds it: Decimal money, int counts, dates."""
    if value is None or value == "":
        return None
    if kind == "money":
        return Decimal(str(getattr(value, "amount", value)))
    if kind == "quantity":
        return Decimal(str(value))
    if kind == "int":
        return int(value)
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raise TypeError(f"A date column holds dates, got {value!r}.")
    return value


def typed_cell(ws: Any, kind: ColumnType, value: Any) -> Cell:
    value = typed_value(kind, value)
    if kind == "text" and value is not None:
        return text_cell(ws, value)
    cell = WriteOnlyCell(ws, value=value)
    if kind in FORMATS:
        cell.number_format = FORMATS[kind]
    return cell


def sheet_title(text: str, taken: set[str]) -> str:
    """A tab name Excel accepts: safe characters, 31 at most, unique."""
    base = " ".join(_SHEET_UNSAFE.sub(" ", text).split()).strip("'") or "Sheet"
    base = base[:31].rstrip()
    title, number = base, 2
    while title.lower() in taken or title.lower() in _SHEET_RESERVED:
        suffix = f" ({number})"
        title = base[: 31 - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(title.lower())
    return title


class RunWorkbook:
    """A write-only workbook for one run; sheets are written one after the
    other: `summary()`, then per section `section_sheet()`, rows, `close()`."""

    def __init__(self, run: ReportRun, result: ReportResult) -> None:
        self.run = run
        self.result = result
        self.book = Workbook(write_only=True)
        self._taken: set[str] = set()

    def _start(self, title: str, heading: str, widths: list[int]) -> Any:
        ws = self.book.create_sheet(sheet_title(title, self._taken))
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        lines = header_lines(self.run, heading)
        header_row = len(lines) + 2  # the block, a blank row, the header row
        # Write-only sheets take their layout before their first row.
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        for number, line in enumerate(lines):
            cell = text_cell(ws, line)
            cell.font = _TITLE if number == 0 else _SUBTITLE if number == 1 else Font()
            ws.append([cell])
        ws.append([])
        return ws

    def _header_row(self, ws: Any, titles: Iterable[str]) -> None:
        cells = []
        for title in titles:
            cell = text_cell(ws, title)
            cell.font = _BOLD
            cell.border = Border(bottom=_RULE)
            cells.append(cell)
        ws.append(cells)

    def summary(self) -> None:
        lines = self.result.summary
        label_width = max([len(str(label)) for label, _, _ in lines] + [20]) + 2
        ws = self._start(
            SUMMARY, f"{self.run.title} — Summary", [min(label_width, MAX_WIDTH), 18]
        )
        self._header_row(ws, ["Figure", "Value"])
        for label, value, kind in lines:
            ws.append([text_cell(ws, label), typed_cell(ws, kind, value)])

    def section_sheet(self, section: Section) -> SectionSheet:
        widths = [
            min(max(WIDTHS[c.type], len(c.title) + 2), MAX_WIDTH)
            for c in section.columns
        ]
        ws = self._start(section.title, f"{self.run.title} — {section.title}", widths)
        self._header_row(ws, [c.title for c in section.columns])
        return SectionSheet(ws, section.columns)

    def save(self, target: IO[bytes]) -> None:
        self.book.save(target)

    def discard(self) -> None:
        """Close and remove the sheets' temporary files of a workbook that
        will not be saved (a section failed its totals check)."""
        for ws in self.book.worksheets:
            with suppress(OSError, ValueError, WorkbookAlreadySaved):
                if not ws.closed:
                    ws.close()
                if ws._writer is not None:
                    ws._writer.cleanup()


class SectionSheet:
    """A section's sheet while its rows stream in; sums the money and int
    columns as it goes, and ends with the totals row."""

    def __init__(self, ws: Any, columns: list[Column]) -> None:
        self.ws = ws
        self.columns = columns
        self.sums: dict[str, Decimal] = {
            c.key: Decimal(0) for c in columns if c.type in SUMMED
        }
        self._styles: dict[str, Any] = {}

    def append(self, row: dict[str, Any]) -> None:
        cells: list[Any] = []
        for column in self.columns:
            value = typed_value(column.type, row.get(column.key))
            if value is None:
                cells.append(None)
                continue
            if column.key in self.sums:
                self.sums[column.key] += value
            if column.type == "text":
                text = clean_text(value)
                # Plain text goes in as a value (openpyxl reuses one cell for
                # those: most of a large sheet's time is cell objects).
                risky = text.startswith(FORMULA_STARTS) or text in ERROR_CODES
                cells.append(text_cell(self.ws, text) if risky else text)
            else:
                cells.append(self._styled(column.type, value))
        self.ws.append(cells)

    def _styled(self, kind: ColumnType, value: Any) -> Cell:
        """A number or date cell carrying its column's number format; the
        style is looked up once per kind and shared (write-only cells are
        written at once and never changed)."""
        style = self._styles.get(kind)
        if style is None:
            style = self._styles[kind] = typed_cell(self.ws, kind, value)._style
        cell = WriteOnlyCell(self.ws)
        cell._style = style
        cell.value = value
        return cell

    def close(self, totalled: Iterable[str], label: str = "Total") -> None:
        """The totals row: the streamed sums of the `totalled` columns; the
        label goes in the first column when that one is not summed."""
        keys = set(totalled)
        if not keys:
            return
        cells = []
        for index, column in enumerate(self.columns):
            if column.key in keys:
                cell = typed_cell(self.ws, column.type, self.sums[column.key])
            elif index == 0:
                cell = text_cell(self.ws, label)
            else:
                cell = WriteOnlyCell(self.ws, value=None)
            cell.font = _BOLD
            cell.border = Border(top=_RULE)
            cells.append(cell)
        self.ws.append(cells)
