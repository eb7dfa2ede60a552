"""XLSX exports: the rebate check register (the program report is a report
kind: regulatory_reports/kinds/program.py).

Written by portal.xlsx (title block, human headers, typed cells,
frozen header, totals; customer text escaped so a spreadsheet never runs it
as a formula; write-only mode).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models.functions import Length

from portal.xlsx import Column, Sheet, safe_text, workbook_xlsx
from programs.models import RebateCheckBatch

__all__ = ["payment_register_xlsx", "safe_text"]

REGISTER_COLUMNS = [
    Column("Check number", width=12),
    Column("Check date", "date"),
    Column("Payee", width=28),
    Column("Mailing address", width=28),
    Column("Address line 2", width=16),
    Column("City", width=16),
    Column("State", width=6),
    Column("ZIP code", width=10),
    Column("Amount", "money", total=True),
    Column("Application", width=12),
    Column("Program", width=10),
    Column("Account", width=10),
]


def payment_register_xlsx(
    batch: RebateCheckBatch,
    *,
    generated_by: Any = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The check register of a batch: one row per check with the payee's
    name and mailing address (checks are mailed), in check-number order, and
    the batch's total. `generated_by` defaults to who issued the batch."""
    payments = list(
        batch.payments.select_related(
            "application__customer", "application__account", "application__program"
        ).order_by(Length("check_number"), "check_number")
    )
    count = len(payments)

    def rows() -> Iterable[list[Any]]:
        for p in payments:
            customer = p.application.customer
            yield [
                p.check_number,
                p.paid_on,
                customer.display_name,
                customer.mailing_line1,
                customer.mailing_line2,
                customer.mailing_city,
                customer.mailing_state,
                customer.mailing_postal_code,
                p.amount,
                p.application.reference,
                p.application.program.code,
                p.application.account.number,
            ]

    return workbook_xlsx(
        report="Rebate check register",
        parameters=[
            ("Check batch", batch.pk),
            ("Check date", batch.paid_on),
            ("Checks", count),
        ],
        generated_by=generated_by or batch.created_by,
        generated_at=generated_at,
        sheets=[
            Sheet(
                "Check register",
                REGISTER_COLUMNS,
                rows(),
                totals_label=f"Total ({count} check{'' if count == 1 else 's'})",
            )
        ],
    )
