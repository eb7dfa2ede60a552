"""Demo security deposits (the lead wires `load_deposits_demo` into the demo
loader): a cash deposit, a blanket bond over the two commercial accounts, a
CD, a letter of credit expiring within 60 days, and a claim in negotiation.
Made through the services, idempotent by instrument number; dates relative
to today so the expiring letter stays expiring."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from liens.choices import InstrumentType
from liens.models import DepositInstrument
from liens.services.claims import (
    claim_add_correspondence,
    claim_file,
    claim_negotiate,
)
from liens.services.deposits import deposit_create
from portal.audit import get_system_user
from portal.models import UtilityAccount


def _years_ago(today: date, years: int) -> date:
    return today.replace(year=today.year - years, day=1)


def load_deposits_demo(users: dict[str, Any] | None = None) -> None:
    actor = (users or {}).get("alice") or get_system_user()
    today = timezone.localdate()
    accounts = {
        a.number: a
        for a in UtilityAccount.objects.filter(
            number__in=["100002", "100004", "200001", "200002"]
        )
    }
    if len(accounts) < 4:
        return  # the core demo (portal.demo) has not run
    specs = [
        (
            "CASH-100002",
            InstrumentType.CASH,
            "",
            "190.00",
            _years_ago(today, 2),
            None,
            [("100002", "190.00")],
        ),
        (
            "BB-55120",
            InstrumentType.BLANKET_BOND,
            "Hudson Surety Co.",
            "6000.00",
            _years_ago(today, 1),
            today + timedelta(days=365),
            [("200001", "2900.00"), ("200002", "3100.00")],
        ),
        (
            "CD-88231",
            InstrumentType.CERTIFICATE_OF_DEPOSIT,
            "First Riverton Bank",
            "2500.00",
            _years_ago(today, 1),
            today + timedelta(days=200),
            [("100004", "2500.00")],
        ),
        (
            "LC-4410",
            InstrumentType.LETTER_OF_CREDIT,
            "Mohawk Valley Trust",
            "3000.00",
            _years_ago(today, 1),
            today + timedelta(days=45),
            [("200002", "3000.00")],
        ),
    ]
    for number, kind, issuer, face, effective, expires, allocations in specs:
        if DepositInstrument.objects.filter(instrument_number=number).exists():
            continue
        deposit_create(
            actor=actor,
            instrument_type=kind,
            issuer=issuer,
            instrument_number=number,
            face_amount=face,
            effective_on=effective,
            expires_on=expires,
            allocations=[(accounts[n], amount) for n, amount in allocations],
            holder=accounts[allocations[0][0]].customer,
        )
    bond = DepositInstrument.objects.get(instrument_number="BB-55120")
    if not bond.claims.exists():
        claim = claim_file(
            actor=actor,
            instrument=bond,
            account=accounts["200001"],
            amount_claimed="1843.20",
            filed_on=today - timedelta(days=30),
        )
        claim_add_correspondence(
            actor=actor,
            claim=claim,
            on=today - timedelta(days=29),
            direction="out",
            summary="Demand letter sent with the final bill of account 200001.",
        )
        claim_add_correspondence(
            actor=actor,
            claim=claim,
            on=today - timedelta(days=12),
            direction="in",
            summary="Surety offers $1,400.00 in full settlement.",
        )
        claim_negotiate(actor=actor, claim=claim, on=today - timedelta(days=12))
