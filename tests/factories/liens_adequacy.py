"""Deposit rows for adequacy tests, created directly (instrument creation
is another part's service)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from liens.choices import InstrumentStatus, InstrumentType
from liens.models import DepositAllocation, DepositInstrument
from portal.models import BillingPeriod, UtilityAccount
from tests.factories.portal import UtilityAccountFactory


def account(number: str, customer_class: str = "residential", **kw) -> UtilityAccount:
    return UtilityAccountFactory(number=number, customer_class=customer_class, **kw)


def bills(acct: UtilityAccount, amounts: list[str], last: date) -> None:
    """One bill per month ending with the month of `last` (oldest first)."""
    year, month = last.year, last.month
    starts = []
    for _ in amounts:
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    for start, amount in zip(reversed(starts), amounts, strict=True):
        BillingPeriod.objects.create(
            account=acct, period_start=start, billed_amount=Decimal(amount)
        )


def instrument(
    allocations: dict[UtilityAccount, str],
    *,
    face: str | None = None,
    type: str = InstrumentType.SURETY_BOND,
    effective_on: date = date(2025, 1, 1),
    expires_on: date | None = None,
    status: str = InstrumentStatus.HELD,
    number: str = "B-1",
) -> DepositInstrument:
    total = sum((Decimal(a) for a in allocations.values()), Decimal(0))
    deposit = DepositInstrument.objects.create(
        instrument_type=type,
        issuer="Hudson Surety Co.",
        instrument_number=number,
        face_amount=Decimal(face) if face else total,
        effective_on=effective_on,
        expires_on=expires_on,
        status=status,
    )
    for acct, amount in allocations.items():
        DepositAllocation.objects.create(
            instrument=deposit, account=acct, amount=Decimal(amount)
        )
    return deposit
