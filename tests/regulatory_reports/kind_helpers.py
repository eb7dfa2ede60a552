"""Shared steps of the report kinds' tests: generate through the API, read
the run back, open its workbook with openpyxl and read a section's sheet."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from regulatory_reports.exports_xlsx import MONEY_FORMAT

HEADER_ROW = 8  # six header lines, a blank row, then the column titles


def generate(client: Any, kind: str, period: str = "2026-Q3") -> dict[str, Any]:
    made = client.post(
        f"/api/v1/reports/{kind}",
        data=json.dumps({"period": period}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body: dict[str, Any] = made.json()
    again = client.get(f"/api/v1/reports/{body['id']}")
    assert again.status_code == 200
    assert again.json() == body
    return body


def workbook(client: Any, run_id: int) -> Any:
    response = client.get(f"/api/v1/reports/{run_id}.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]
    totals: list[Any] | None
    formats: list[str]  # number formats of the first row's cells


def table(sheet: Any, *, totals: bool = True) -> Table:
    """A section sheet's column titles, rows and totals row."""
    values = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    header, body = values[0], values[1:]
    rows, total = (body[:-1], body[-1]) if totals else (body, None)
    formats = [c.number_format for c in sheet[HEADER_ROW + 1]] if rows else []
    return Table(header, rows, total, formats)


def assert_totals_are_the_sums(t: Table, columns: list[int]) -> None:
    assert t.totals is not None
    assert t.totals[0] == "Total"
    for col in columns:
        summed = sum((Decimal(str(r[col] or 0)) for r in t.rows), Decimal(0))
        assert Decimal(str(t.totals[col] or 0)) == summed, t.header[col]


def assert_money_columns(t: Table, columns: list[int]) -> None:
    for col in columns:
        assert t.formats[col] == MONEY_FORMAT, t.header[col]
        assert all(isinstance(r[col], (int, float)) for r in t.rows), t.header[col]
