"""Liens over the API: `GET /api/v1/liens?loan={number}`.

The contract is exact: amount a two-decimal string, status the LienStatus
value, recorded_on an ISO date or null. Like the loans' list endpoints (the
products), a plain list."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404

from ninja import Router, Schema

from liens.models import Lien
from loans.models import Loan
from portal.api_auth import require_permission
from portal.money import money_str

router = Router(tags=["liens"])


class LienOut(Schema):
    id: int
    loan: str
    property: str
    amount: str
    position: int
    status: str
    recorded_on: date | None
    instrument_number: str


@router.get("/liens", response=list[LienOut])
def lien_list(request: Any, loan: str | None = None) -> Any:
    """The liens securing a loan (by its number), or every lien."""
    require_permission(request, "liens.view_lien", "view liens")
    liens = Lien.objects.select_related("loan", "parcel").order_by("pk")
    if loan is not None:
        found = Loan.objects.filter(number=loan.strip()).first()
        if found is None:
            raise Http404(f"No loan numbered {loan.strip()!r}.")
        liens = liens.filter(loan=found)
    return [
        {
            "id": lien.pk,
            "loan": lien.loan.number,
            "property": lien.parcel.parcel_id,
            "amount": money_str(lien.amount),
            "position": lien.position,
            "status": lien.status,
            "recorded_on": lien.recorded_on,
            "instrument_number": lien.instrument_number,
        }
        for lien in liens
    ]
