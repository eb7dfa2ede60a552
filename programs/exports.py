"""XLSX exports: the rebate payment register and the program report.

Written in openpyxl's write-only mode (a large report stays small in memory);
customer text that starts with = + - or @ is escaped so a spreadsheet never
runs it as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@")


def safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _workbook(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append([safe_text(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def payment_register_xlsx(batch) -> bytes:
    payments = batch.payments.select_related(
        "application__customer", "application__account", "application__program"
    ).order_by("check_number")
    return _workbook(
        "Payment register",
        [
            "check_number",
            "paid_on",
            "payee",
            "account_number",
            "program",
            "application",
            "amount",
        ],
        (
            [
                p.check_number,
                p.paid_on,
                p.application.customer.display_name,
                p.application.account.number,
                p.application.program.code,
                p.application.reference,
                p.amount,
            ]
            for p in payments
        ),
    )


def program_report_xlsx(rows: Iterable[Mapping[str, object]]) -> bytes:
    header = [
        "program",
        "measure",
        "measure_name",
        "month",
        "applications",
        "committed",
        "paid",
        "kwh_savings",
        "therms_savings",
    ]
    return _workbook(
        "Program report", header, ([row[h] for h in header] for row in rows)
    )
