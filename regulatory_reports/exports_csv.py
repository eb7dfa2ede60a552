"""The CSV of one section: for machines and for anyone re-adding by hand.

- UTF-8 with a byte-order mark, so Excel opens names like "Muñoz" correctly
  (without it Excel guesses a legacy code page); CRLF line ends (RFC 4180).
- One header row with the column titles, then one line per row; no title
  block and no totals line, so every line after the header is a data row
  (the XLSX carries the block and the totals).
- Amounts as plain two-decimal numbers (-12.50, no "$", no thousands
  separator), dates ISO (2026-07-01), counts as whole numbers.
- Text that a spreadsheet could run as a formula (starting with = + - @ tab
  or CR) gets a leading apostrophe; only text columns are escaped, so a
  negative amount stays a number.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from regulatory_reports.exports_xlsx import FORMULA_STARTS
from regulatory_reports.kinds import Column, ColumnType

ENCODING = "utf-8-sig"


def safe_csv_text(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(kind: ColumnType, value: Any) -> str:
    if value is None or value == "":
        return ""
    if kind == "money":
        return f"{Decimal(str(getattr(value, 'amount', value))):.2f}"
    if kind == "int":
        return str(int(value))
    if kind == "quantity":
        return str(Decimal(str(value)))
    if kind == "date":
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            raise TypeError(f"A date column holds dates, got {value!r}.")
        return value.isoformat()
    return safe_csv_text(value)


class SectionCsv:
    """Writes a section's CSV to a binary file as its rows stream in."""

    def __init__(self, target: IO[bytes], columns: list[Column]) -> None:
        self.columns = columns
        self.text = io.TextIOWrapper(target, encoding=ENCODING, newline="")
        self.writer = csv.writer(self.text, lineterminator="\r\n")
        self.writer.writerow([safe_csv_text(c.title) for c in columns])

    def append(self, row: dict[str, Any]) -> None:
        self.writer.writerow([csv_value(c.type, row.get(c.key)) for c in self.columns])

    def close(self) -> None:
        """Flush, and hand the binary file back (still open) to the caller."""
        self.text.flush()
        self.text.detach()
