"""The lien register for a period: liens standing at its end, subordinated
in it, satisfied in it; and its XLSX export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from liens.choices import LienStatus
from liens.models import Lien
from portal.money import sum_money
from portal.xlsx import Column, Sheet, workbook_xlsx


@dataclass(frozen=True)
class LienRegister:
    start: date
    end: date
    open: Sequence[Lien]
    subordinated: Sequence[Lien]
    satisfied: Sequence[Lien]

    @property
    def open_total(self) -> Decimal:
        return sum((lien.amount.amount for lien in self.open), Decimal("0.00"))


def _liens() -> QuerySet[Lien]:
    return Lien.objects.select_related("loan", "loan__customer", "parcel").order_by(
        "loan__number", "pk"
    )


def standing_on(day: date) -> Q:
    """Recorded on or before the day and not satisfied by then."""
    return Q(recorded_on__isnull=False, recorded_on__lte=day) & (
        Q(satisfied_on__isnull=True) | Q(satisfied_on__gt=day)
    )


def lien_register(start: date, end: date) -> LienRegister:
    if start > end:
        raise ValueError("The period's start must not be after its end.")
    return LienRegister(
        start=start,
        end=end,
        open=list(_liens().filter(standing_on(end))),
        # Any subordination in the period, not only the latest: a lien
        # subordinated twice keeps the earlier date in its history.
        subordinated=list(
            _liens().filter(
                pk__in=Lien.history.filter(
                    subordinated_on__gte=start, subordinated_on__lte=end
                ).values("id")
            )
        ),
        satisfied=list(
            _liens().filter(
                status=LienStatus.SATISFIED,
                satisfied_on__gte=start,
                satisfied_on__lte=end,
            )
        ),
    )


def standing_total(day: date) -> Decimal:
    """What the standing liens secure on a day (rounded to the cent)."""
    return sum_money(Lien.objects.filter(standing_on(day)), "amount")


_COLUMNS = [
    Column("Lien", width=11),
    Column("Loan", width=16),
    Column("Borrower", width=28),
    Column("Parcel", width=16),
    Column("Amount", "money", total=True),
    Column("Position", "integer"),
    Column("Status", width=22),
    Column("County", width=16),
    Column("Instrument / book and page", width=24),
    Column("Recorded", "date"),
    Column("Subordinated", "date"),
    Column("Satisfied", "date"),
]


def _row(lien: Lien) -> list[Any]:
    return [
        lien.reference,
        lien.loan.number,
        lien.loan.customer.display_name,
        lien.parcel.parcel_id,
        lien.amount.amount,
        lien.position,
        lien.get_status_display(),
        lien.recording_county,
        lien.recording_reference,
        lien.recorded_on,
        lien.subordinated_on,
        lien.satisfied_on,
    ]


def lien_register_xlsx(register: LienRegister, *, generated_by: Any = None) -> bytes:
    return workbook_xlsx(
        report="Lien register",
        parameters=[("From", register.start), ("To", register.end)],
        generated_by=generated_by,
        sheets=[
            Sheet("Open", _COLUMNS, [_row(x) for x in register.open]),
            Sheet("Subordinated", _COLUMNS, [_row(x) for x in register.subordinated]),
            Sheet("Satisfied", _COLUMNS, [_row(x) for x in register.satisfied]),
        ],
    )
