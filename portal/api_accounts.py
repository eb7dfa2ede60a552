"""Utility accounts over the API: read one (GET), and the billing system's
account feed (PUT the account, PUT its monthly bills; permission
portal.sync_accounts). The rules live in portal.services_accounts."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from ninja import Router, Schema, Status

from portal.api_auth import require_permission
from portal.models import UtilityAccount
from portal.money import money_str
from portal.schemas_accounts import AccountFeedIn, BillIn
from portal.services_accounts import (
    SYNC_PERMISSION,
    AccountTransferRequired,
    Bill,
    account_sync,
    billing_periods_sync,
)

router = Router(tags=["accounts"])

SYNC_WHAT = "sync accounts from the billing system"


class AccountOut(Schema):
    number: str
    customer: str
    customer_class: str
    services: list[str]
    status: str
    service_address: list[str]
    delinquent_balance: str
    turned_to_bad_debt: bool


class ErrorOut(Schema):
    message: str
    errors: dict[str, list[str]] = {}


class BillsOut(Schema):
    account: str
    bills: int


def account_out(account: UtilityAccount) -> dict[str, Any]:
    return {
        "number": account.number,
        "customer": account.customer.display_name,
        "customer_class": account.customer_class,
        "services": sorted(account.services),
        "status": account.status,
        "service_address": account.address_lines(),
        "delinquent_balance": money_str(account.delinquent_balance),
        "turned_to_bad_debt": account.turned_to_bad_debt,
    }


@router.get("/accounts/{number}", response=AccountOut)
def account_detail(request: Any, number: str) -> Any:
    require_permission(request, "portal.view_utilityaccount", "view utility accounts")
    account = get_object_or_404(
        UtilityAccount.objects.select_related("customer"), number=number
    )
    return account_out(account)


@router.put(
    "/accounts/{number}", response={200: AccountOut, 201: AccountOut, 409: ErrorOut}
)
def account_put(request: Any, number: str, payload: AccountFeedIn) -> Any:
    require_permission(request, SYNC_PERMISSION, SYNC_WHAT)
    address = payload.service_address
    try:
        account, created = account_sync(
            actor=request.user,
            number=number,
            customer_name=payload.customer.name,
            customer_email=payload.customer.email,
            line1=address.line1,
            city=address.city,
            state=address.state,
            postal_code=address.zip,
            customer_class=payload.customer_class,
            services=payload.services,
            status=payload.status,
            delinquent_balance=payload.delinquent_balance,
            bad_debt=payload.bad_debt,
            transfer=payload.transfer,
        )
    except AccountTransferRequired as conflict:
        return Status(
            409,
            {
                "message": "The account belongs to another customer.",
                "errors": conflict.message_dict,
            },
        )
    return Status(201 if created else 200, account_out(account))


@router.put("/accounts/{number}/bills", response=BillsOut)
def account_bills_put(request: Any, number: str, payload: list[BillIn]) -> Any:
    require_permission(request, SYNC_PERMISSION, SYNC_WHAT)
    bills = [Bill(period_start=b.month_start(), amount=b.amount) for b in payload]
    try:
        account, count = billing_periods_sync(
            actor=request.user, number=number, bills=bills
        )
    except UtilityAccount.DoesNotExist as missing:
        raise Http404(str(missing)) from None
    return {"account": account.number, "bills": count}
