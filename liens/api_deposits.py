"""Security deposits over the API: take an instrument with its allocations,
list the instruments securing an account.

The routes are exactly `/deposits` (GET, POST) and `/deposits/{id}` (GET,
integer id), so `/deposits/adequacy-review` (liens/api_adequacy.py) is never
taken for an instrument id. Amounts are two-decimal strings.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from ninja import Field, Router, Schema, Status

from liens.choices import InstrumentStatus, InstrumentType
from liens.models import DepositAllocation, DepositInstrument
from liens.services.deposits import deposit_create
from portal.api_auth import require_permission
from portal.api_schema import StrictIn
from portal.checks import AccountNumber, CleanStr
from portal.models import UtilityAccount
from portal.money import MoneyText, money_str

router = Router(tags=["deposits"])

MANAGE = "liens.manage_deposit"
VIEW = "liens.view_depositinstrument"


class AllocationIn(StrictIn):
    account: AccountNumber = Field(..., min_length=1, max_length=20)
    amount: MoneyText


class DepositIn(StrictIn):
    type: InstrumentType
    # null or absent for cash, which has no issuer or number
    issuer: CleanStr | None = Field("", max_length=200)
    instrument_number: CleanStr | None = Field("", max_length=60)
    face_amount: MoneyText
    effective_on: date
    expires_on: date | None = None
    allocations: list[AllocationIn] = Field(..., max_length=500)


class AllocationOut(Schema):
    account: str
    amount: str


class DepositOut(Schema):
    id: int
    type: str
    issuer: str
    instrument_number: str
    face_amount: str
    effective_on: date
    expires_on: date | None
    status: str
    allocations: list[AllocationOut]


class SecuringOut(DepositOut):
    # The share of the instrument securing the account asked about; `amount`
    # says the same under the allocations' own name.
    allocated: str
    amount: str


def _out(instrument: DepositInstrument) -> dict[str, Any]:
    allocations = instrument.allocations.select_related("account").order_by(
        "account__number"
    )
    return {
        "id": instrument.pk,
        "type": instrument.instrument_type,
        "issuer": instrument.issuer,
        "instrument_number": instrument.instrument_number,
        "face_amount": money_str(instrument.face_amount),
        "effective_on": instrument.effective_on,
        "expires_on": instrument.expires_on,
        "status": instrument.status,
        "allocations": [
            {"account": a.account.number, "amount": money_str(a.amount)}
            for a in allocations
        ],
    }


@router.post("/deposits", response={201: DepositOut})
def create_deposit(request: Any, payload: DepositIn) -> Any:
    require_permission(request, MANAGE, "record security deposits")
    instrument = deposit_create(
        actor=request.user,
        instrument_type=payload.type,
        issuer=payload.issuer or "",
        instrument_number=payload.instrument_number or "",
        face_amount=payload.face_amount,
        effective_on=payload.effective_on,
        expires_on=payload.expires_on,
        allocations=[(a.account, a.amount) for a in payload.allocations],
    )
    return Status(201, _out(instrument))


@router.get("/deposits", response=list[SecuringOut])
def deposits_for_account(request: Any, account: str) -> Any:
    require_permission(request, VIEW, "see security deposits")
    found = UtilityAccount.objects.filter(number=account.strip()[:40]).first()
    if found is None:
        raise Http404(f"There is no account {account.strip()[:40]}.")
    held = (
        DepositAllocation.objects.filter(
            account=found, instrument__status=InstrumentStatus.HELD
        )
        .select_related("instrument")
        .order_by("instrument__effective_on", "instrument__pk")
    )
    return [
        {
            **_out(a.instrument),
            "allocated": money_str(a.amount),
            "amount": money_str(a.amount),
        }
        for a in held
    ]


@router.get("/deposits/{id}", response=DepositOut)
def deposit_detail(request: Any, id: int) -> Any:
    require_permission(request, VIEW, "see security deposits")
    return _out(get_object_or_404(DepositInstrument, pk=id))
