"""The lien register for a period: liens standing (recorded and not
satisfied) at its end, liens subordinated in it, liens satisfied in it;
counts and amounts per group. Read through `liens.selectors_liens.lien_register`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from liens.models import Lien
from liens.selectors_liens import lien_register
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
    Column("lien", "Lien"),
    Column("loan", "Loan"),
    Column("borrower", "Borrower"),
    Column("parcel", "Parcel"),
    Column("amount", "Amount", "money"),
    Column("position", "Position", "int"),
    Column("status", "Status"),
    Column("county", "County"),
    Column("recording", "Instrument / book and page"),
    Column("recorded_on", "Recorded", "date"),
    Column("subordinated_on", "Subordinated", "date"),
    Column("satisfied_on", "Satisfied", "date"),
]
GROUPS = [
    ("open", "Open liens at the end"),
    ("subordinated", "Subordinated in the period"),
    ("satisfied", "Satisfied in the period"),
]


def _row(lien: Lien) -> dict[str, Any]:
    return {
        "lien": lien.reference,
        "loan": lien.loan.number,
        "borrower": lien.loan.customer.display_name,
        "parcel": lien.parcel.parcel_id,
        "amount": lien.amount.amount,
        "position": lien.position,
        "status": lien.get_status_display(),
        "county": lien.recording_county,
        "recording": lien.recording_reference,
        "recorded_on": lien.recorded_on,
        "subordinated_on": lien.subordinated_on,
        "satisfied_on": lien.satisfied_on,
    }


@register
class LienRegisterReport(ReportKind):
    key = "lien_register"
    title = "Lien register"

    def build(self, *, start: date, end: date) -> ReportResult:
        found = lien_register(start, end)
        figures: dict[str, Any] = {"as_of": end.isoformat()}
        summary: list[tuple[str, Any, Any]] = []
        sections = []
        for key, title in GROUPS:
            liens: Sequence[Lien] = getattr(found, key)
            rows = [_row(lien) for lien in liens]
            amount = sum((row["amount"] for row in rows), ZERO)
            figures[key] = {"count": len(rows), "amount": money(amount)}
            summary += [
                (f"{title}: liens", len(rows), "int"),
                (f"{title}: amount", amount, "money"),
            ]
            sections.append(
                Section(key, title, COLUMNS, rows, {"amount": amount}, loan_key="loan")
            )
        return ReportResult(figures=figures, summary=summary, sections=sections)
