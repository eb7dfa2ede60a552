"""Core records over the API: customers (for the customer information system
and scripts). Utility accounts and the billing feed: portal.api_accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.validators import validate_email

from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import field_validator

from portal.api_auth import require_permission
from portal.api_schema import StrictIn
from portal.checks import CleanStr
from portal.choices import CustomerKind
from portal.models import Customer
from portal.money import MoneyText
from portal.selectors import customer_list
from portal.services import customer_create

router = Router(tags=["customers"])


class CustomerIn(StrictIn):
    kind: CustomerKind = CustomerKind.PERSON
    first_name: CleanStr = Field("", max_length=100)
    last_name: CleanStr = Field("", max_length=100)
    business_name: CleanStr = Field("", max_length=200)
    email: CleanStr = Field("", max_length=254)
    phone: CleanStr = Field("", max_length=30)
    date_of_birth: date | None = None
    household_size: int | None = Field(None, ge=1, le=30)
    household_income: MoneyText | None = None

    @field_validator("email")
    @classmethod
    def valid_email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except Exception:
                raise ValueError("Enter a valid email address.") from None
        return value


class CustomerOut(Schema):
    id: int
    kind: str
    name: str
    email: str
    phone: str
    accounts: list[str]

    @staticmethod
    def resolve_name(customer: Customer) -> str:
        return customer.display_name

    @staticmethod
    def resolve_accounts(customer: Customer) -> list[str]:
        return [a.number for a in customer.accounts.all()]


@router.get("/customers", response=list[CustomerOut])
@paginate(LimitOffsetPagination)
def customers(request: Any, search: str = "") -> Any:
    require_permission(request, "portal.view_customer", "view customers")
    return customer_list(search=search).prefetch_related("accounts")


@router.post("/customers", response={201: CustomerOut})
def customer_add(request: Any, payload: CustomerIn) -> Any:
    require_permission(request, "portal.add_customer", "add customers")
    customer = customer_create(
        actor=request.user, reason="Customer created via API", **payload.dict()
    )
    return Status(201, customer)
