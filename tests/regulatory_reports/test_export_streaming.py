"""A section's rows are read once, as they stream to the XLSX and the CSV:
a generator of 250,000 rows is never turned into a list, and 50,000 rows
stay far below 50 MB of Python memory."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from regulatory_reports.exports import write_files, xlsx_bytes
from regulatory_reports.kinds import Column, ReportResult, Section
from tests.regulatory_reports.exports_fixtures import psc_kind, run  # noqa: F401

pytestmark = pytest.mark.django_db

COLUMNS = [
    Column("loan", "Loan"),
    Column("received", "Received", "date"),
    Column("amount", "Amount", "money"),
]


class OnlyOnce:
    """Rows that can be read once: a second pass (or a list() then a pass)
    is a bug in the exporter, so it fails loudly."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.passes = 0
        self.produced = 0

    def __iter__(self):
        self.passes += 1
        if self.passes > 1:
            raise AssertionError("the rows were iterated twice")
        return self._rows()

    def _rows(self):
        first = date(2026, 7, 1)
        for number in range(self.count):
            self.produced += 1
            yield {
                "loan": f"ZI-{number:06d}",
                "received": first + timedelta(days=number % 92),
                "amount": Decimal("1.01"),
            }


def one_section(rows, total) -> ReportResult:
    return ReportResult(
        figures={},
        summary=[("Payments", total, "money")],
        sections=[
            Section("receipts", "Payment receipts", COLUMNS, rows, {"amount": total})
        ],
    )


def test_a_generator_of_250000_rows_is_read_once_into_the_xlsx_and_csv(run):  # noqa: F811
    rows = OnlyOnce(250_000)
    files = write_files(run=run, result=one_section(rows, Decimal("252500.00")))
    assert (rows.passes, rows.produced) == (1, 250_000)
    book = load_workbook(files[0].file.open("rb"), read_only=True)
    sheet = book["Payment receipts"]
    last = list(sheet.iter_rows(min_row=250_008, values_only=True))
    assert last == [("ZI-249999", last[0][1], 1.01), ("Total", None, 252500)]
    book.close()
    with files[1].file.open("rb") as csv_file:
        assert sum(1 for _ in csv_file) == 250_001  # the header and the rows


def test_50000_rows_stay_under_50_mb_of_python_memory(run):  # noqa: F811
    rows = OnlyOnce(50_000)
    tracemalloc.start()
    try:
        content = xlsx_bytes(run, one_section(rows, Decimal("50500.00")))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"
    book = load_workbook(io.BytesIO(content), read_only=True)
    last = list(book["Payment receipts"].iter_rows(min_row=50_008, values_only=True))
    assert last == [("ZI-049999", last[0][1], 1.01), ("Total", None, 50500)]
    book.close()
