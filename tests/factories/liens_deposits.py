"""Deposit instruments for the deposits tests (built through the service, so
the factories obey the same rules as the screens and the API)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from liens.choices import InstrumentType
from liens.services.deposits import deposit_create
from portal.audit import get_system_user
from tests.factories import UtilityAccountFactory


def make_deposit(
    *,
    instrument_type: str = InstrumentType.CASH,
    face: str = "500.00",
    effective_on: date = date(2025, 1, 1),
    expires_on: date | None = None,
    allocations: list[tuple[object, str]] | None = None,
    issuer: str = "",
    number: str = "",
):
    if allocations is None:
        allocations = [(UtilityAccountFactory(), face)]
    return deposit_create(
        actor=get_system_user(),
        instrument_type=instrument_type,
        issuer=issuer,
        instrument_number=number,
        face_amount=Decimal(face),
        effective_on=effective_on,
        expires_on=expires_on,
        allocations=allocations,
    )
