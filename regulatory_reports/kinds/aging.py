"""Delinquency aging: every open loan past due as of the period's last day,
counting only payments received by then, with its bucket, days past due,
past-due amount (unpaid principal and interest of the installments due
before the day) and outstanding principal; counts and sums per bucket.

Read set-based through `loans.aging_selectors.delinquency_as_of` (the same
rule as the nightly aging job; three queries, no replay per loan).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from loans.aging_selectors import delinquency_as_of
from loans.schedule import DPD_BUCKETS
from regulatory_reports.kinds import (
    ZERO,
    Column,
    ReportKind,
    ReportResult,
    Section,
    money,
    register,
)

COLUMNS = [
    Column("loan", "Loan"),
    Column("customer", "Customer"),
    Column("product", "Product"),
    Column("bucket", "Days past due bucket"),
    Column("dpd", "Days past due", "int"),
    Column("past_due", "Past-due amount", "money"),
    Column("principal", "Outstanding principal", "money"),
]


@register
class AgingReport(ReportKind):
    key = "aging"
    title = "Delinquency aging"

    def build(self, *, start: date, end: date) -> ReportResult:
        aged = delinquency_as_of(end)
        buckets: dict[str, dict[str, Any]] = {
            name: {"count": 0, "past_due": ZERO, "principal": ZERO}
            for name in DPD_BUCKETS
        }
        buckets["current"]["count"] = aged.current_count
        buckets["current"]["principal"] = aged.current_principal
        rows: list[dict[str, Any]] = []
        for loan in aged.past_due:
            bucket = buckets[loan.bucket]
            bucket["count"] += 1
            bucket["past_due"] += loan.past_due
            bucket["principal"] += loan.principal
            rows.append(
                {
                    "loan": loan.number,
                    "customer": loan.customer,
                    "product": loan.product,
                    "bucket": loan.bucket,
                    "dpd": loan.days_past_due,
                    "past_due": loan.past_due,
                    "principal": loan.principal,
                }
            )
        past_due = sum((row["past_due"] for row in rows), ZERO)
        principal = sum((row["principal"] for row in rows), ZERO)
        figures = {
            "as_of": end.isoformat(),
            "count": len(rows),
            "past_due": money(past_due),
            "principal": money(principal),
            "buckets": {
                name: {
                    "count": b["count"],
                    "past_due": money(b["past_due"]),
                    "principal": money(b["principal"]),
                }
                for name, b in buckets.items()
            },
        }
        summary: list[tuple[str, Any, Any]] = [
            ("As of", end, "date"),
            ("Loans current", aged.current_count, "int"),
            ("Principal of the loans current", aged.current_principal, "money"),
            ("Loans past due", len(rows), "int"),
            ("Past-due amount", past_due, "money"),
            ("Principal of the loans past due", principal, "money"),
        ]
        for name, b in buckets.items():
            if name == "current":
                continue
            summary += [
                (f"{name} days: loans", b["count"], "int"),
                (f"{name} days: past-due amount", b["past_due"], "money"),
                (f"{name} days: principal", b["principal"], "money"),
            ]
        section = Section(
            "past_due",
            "Loans past due",
            COLUMNS,
            rows,
            {"past_due": past_due, "principal": principal},
            loan_key="loan",
        )
        return ReportResult(figures=figures, summary=summary, sections=[section])
