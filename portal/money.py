"""Money helpers shared by every app.

SQLite stores decimals as floating point, so a database SUM of money drifts
(1,000 × 0.10 can come back as 99.9999999999986). Every money aggregate goes
through `sum_money`, which rounds the database's answer to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from djmoney.money import Money

CENT = Decimal("0.01")
SUB_CENT = "Amounts are in dollars and cents: {value} has more than two decimal places."


def to_cents(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def usd(value: Decimal | int | str) -> Money:
    return Money(to_cents(value), "USD")


def parse_amount(value: Any) -> Decimal:
    """Parse a money amount from user input, refusing floats and sub-cent values
    (django-money would silently round 1.005 to 1.00 on save)."""
    if isinstance(value, float):
        raise ValueError("Amounts must be given as text or decimals, not floats.")
    amount = Decimal(str(value).strip())
    if not amount.is_finite():
        raise ValueError(f"{value} is not an amount.")
    if amount != amount.quantize(CENT):
        raise ValueError(SUB_CENT.format(value=value))
    return amount


def sum_money(queryset: QuerySet[Any], field: str) -> Decimal:
    total = queryset.aggregate(total=Sum(field))["total"]
    return to_cents(total or 0)
