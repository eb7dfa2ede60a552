"""Deposit adequacy reviews over the API.

POST /deposits/adequacy-review {"as_of": "2026-03-31", "class": "all"}
     → 201 {"id", "as_of", "class", "multiple", "rows": [{"account",
     "average_bill", "required", "held", "difference", "status"}],
     "expiring": [{"deposit", "expires_on"}]}

Amounts are two-decimal strings ("1234.50"); `difference` = held − required
(negative when under-secured). `multiple` is not money: it is the policy's
multiple as a plain decimal string with no trailing zeros ("2", "1.5").
`deposit` is the instrument's id. Every run is recorded; a second run for
the same date and class is a new review with the same figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from liens.models.adequacy import AdequacyReview, ReviewClass
from liens.services.adequacy import FUTURE_DATE, UNKNOWN_CLASS, adequacy_review_run
from portal.api_auth import require_permission
from portal.api_schema import StrictIn
from portal.money import money_str

router = Router(tags=["deposits"])


class ReviewIn(StrictIn):
    as_of: dt.date = Field(description="The review date; not in the future.")
    customer_class: str = Field(
        alias="class", description="residential, commercial or all."
    )

    @field_validator("customer_class")
    @classmethod
    def known_class(cls, value: str) -> str:
        if value not in ReviewClass.values:
            raise ValueError(UNKNOWN_CLASS)
        return value

    @field_validator("as_of")
    @classmethod
    def not_future(cls, value: dt.date) -> dt.date:
        if value > timezone.localdate():
            raise ValueError(FUTURE_DATE)
        return value


class RowOut(Schema):
    account: str
    average_bill: str
    required: str
    held: str
    difference: str
    status: str = Field(description="under, adequate or over.")


class ExpiringOut(Schema):
    deposit: int = Field(description="The instrument's id.")
    expires_on: dt.date


class ReviewOut(Schema):
    id: int
    as_of: dt.date
    class_: str = Field(alias="class")
    multiple: str = Field(
        description='The policy multiple used, a decimal string such as "2".'
    )
    rows: list[RowOut]
    expiring: list[ExpiringOut]


def plain_decimal(value: Decimal) -> str:
    """2.00 → "2", 1.50 → "1.5"."""
    text = format(Decimal(value).normalize(), "f")
    return text


def review_body(review: AdequacyReview) -> dict[str, Any]:
    rows = review.rows.select_related("account").order_by("account__number")
    return {
        "id": review.pk,
        "as_of": review.as_of,
        "class": review.customer_class,
        "multiple": plain_decimal(review.multiple),
        "rows": [
            {
                "account": row.account.number,
                "average_bill": money_str(row.average_bill),
                "required": money_str(row.required),
                "held": money_str(row.held),
                "difference": money_str(row.difference),
                "status": row.status,
            }
            for row in rows
        ],
        "expiring": [
            {"deposit": item.instrument_id, "expires_on": item.expires_on}
            for item in review.expiring.order_by("expires_on", "instrument_id")
        ],
    }


@router.post(
    "/deposits/adequacy-review",
    response={201: ReviewOut},
    by_alias=True,
    summary="Run a deposit adequacy review",
    description=__doc__,
)
def adequacy_review(request: Any, payload: ReviewIn) -> Any:
    require_permission(request, "liens.review_adequacy", "run adequacy reviews")
    review = adequacy_review_run(
        actor=request.user, as_of=payload.as_of, customer_class=payload.customer_class
    )
    return Status(201, review_body(review))
