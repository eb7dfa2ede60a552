"""XLSX exports: the rebate check register and the program report.

Both are written by portal.xlsx (title block, human headers, typed cells,
frozen header, totals; customer text escaped so a spreadsheet never runs it
as a formula; write-only mode).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models.functions import Length

from portal.xlsx import Column, Sheet, safe_text, workbook_xlsx
from programs.models import Program, RebateCheckBatch
from programs.selectors import budget_positions, program_report

__all__ = ["payment_register_xlsx", "program_report_xlsx", "safe_text"]

ZERO = Decimal("0.00")

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


# --------------------------------------------------------------------------
# Program report
# --------------------------------------------------------------------------

_MONEY_AND_SAVINGS = [
    Column("Committed", "money", total=True),
    Column("Paid", "money", total=True),
    Column("kWh savings", "quantity", total=True),
    Column("Therms savings", "quantity", total=True),
]
Figure = Literal["committed", "paid", "kwh_savings", "therms_savings"]
_FIGURES: tuple[Figure, ...] = ("committed", "paid", "kwh_savings", "therms_savings")
_SAVINGS: tuple[Figure, ...] = ("kwh_savings", "therms_savings")


def program_report_xlsx(
    *,
    fiscal_year: int,
    generated_by: Any = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The programs of a fiscal year: budget, committed, paid and remaining by
    program; committed, paid and estimated savings by measure and by month
    (month of submission); and the detail by program, measure and month.

    "By program" is the budget position (committed = approved amounts not
    yet paid; paid = checks and credits issued). The other sheets add up the
    incentives of each measure line, of approved (committed) and paid
    applications."""
    programs = list(Program.objects.filter(fiscal_year=fiscal_year).order_by("code"))
    positions = budget_positions(programs)
    codes = {p.code for p in programs}
    detail = [row for row in program_report() if row["program"] in codes]

    savings: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    by_measure: dict[tuple[str, str, str], dict[str, Any]] = {}
    by_month: dict[Any, dict[str, Decimal]] = {}
    for row in detail:
        for figure in _SAVINGS:
            savings[row["program"]][figure] += row[figure]
        key = (row["program"], row["measure"], row["measure_name"])
        measure = by_measure.setdefault(
            key, {"applications": 0, **{f: ZERO for f in _FIGURES}}
        )
        measure["applications"] += row["applications"]  # one month per application
        month = by_month.setdefault(row["month"], {f: ZERO for f in _FIGURES})
        for figure in _FIGURES:
            measure[figure] += row[figure]
            month[figure] += row[figure]

    by_program = [
        [
            p.code,
            p.name,
            positions[p.pk].budget,
            positions[p.pk].committed,
            positions[p.pk].paid,
            positions[p.pk].remaining,
            savings[p.code]["kwh_savings"],
            savings[p.code]["therms_savings"],
        ]
        for p in programs
    ]
    sheets = [
        Sheet(
            "By program",
            [
                Column("Program", width=10),
                Column("Name", width=32),
                Column("Budget", "money", total=True),
                Column("Committed (approved, unpaid)", "money", total=True),
                Column("Paid", "money", total=True),
                Column("Remaining", "money", total=True),
                Column("kWh savings", "quantity", total=True),
                Column("Therms savings", "quantity", total=True),
            ],
            by_program,
        ),
        Sheet(
            "By measure",
            [
                Column("Program", width=10),
                Column("Measure", width=14),
                Column("Measure name", width=32),
                Column("Applications", "integer"),
                *_MONEY_AND_SAVINGS,
            ],
            (
                [*key, figures["applications"], *(figures[f] for f in _FIGURES)]
                for key, figures in sorted(by_measure.items())
            ),
        ),
        Sheet(
            "By month",
            [Column("Month", "month"), *_MONEY_AND_SAVINGS],
            (
                [month, *(figures[f] for f in _FIGURES)]
                for month, figures in sorted(
                    by_month.items(), key=lambda item: (item[0] is None, item[0])
                )
            ),
        ),
        Sheet(
            "Detail",
            [
                Column("Program", width=10),
                Column("Measure", width=14),
                Column("Measure name", width=32),
                Column("Month", "month"),
                Column("Applications", "integer"),
                *_MONEY_AND_SAVINGS,
            ],
            (
                [
                    row["program"],
                    row["measure"],
                    row["measure_name"],
                    row["month"],
                    row["applications"],
                    *(row[f] for f in _FIGURES),
                ]
                for row in detail
            ),
        ),
    ]
    return workbook_xlsx(
        report="Program report",
        parameters=[("Fiscal year", fiscal_year)],
        generated_by=generated_by,
        generated_at=generated_at,
        sheets=sheets,
    )
