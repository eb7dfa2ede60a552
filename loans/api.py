"""Loans over the API: products, booking, position, schedule, payments,
reversal, payoff, and the nightly aging run.

The contract is exact: amounts are JSON strings with two
decimals, dates YYYY-MM-DD, rates in percent ("5.00").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from loans import selectors
from loans.choices import PaymentMethod, ReversalReason
from loans.models import AgingTrigger, Loan, LoanProduct, Payment
from loans.services.aging import aging_run
from loans.services.booking import LoanNumberTaken, loan_book
from loans.services.payments import (
    PostedPayment,
    ReferenceConflict,
    payment_post,
    payment_reverse,
    payoff_quote,
)
from portal.api_auth import require_permission
from portal.api_schema import StrictIn
from portal.checks import AccountNumber, CleanStr, LoanNumber, Reference
from portal.money import MoneyText

router = Router(tags=["loans"])

TWO_PLACES = Decimal("0.01")


def cents(value: Decimal) -> str:
    return f"{value.quantize(TWO_PLACES):.2f}"


class CustomerRef(StrictIn):
    name: CleanStr = Field(..., min_length=1, max_length=200)
    email: CleanStr = Field("", max_length=254)


class LoanBookIn(StrictIn):
    number: LoanNumber = Field(..., min_length=1, max_length=30)
    product: CleanStr = Field(..., min_length=1, max_length=20)
    customer: CustomerRef
    account_number: AccountNumber = Field(..., min_length=1, max_length=20)
    principal: MoneyText
    annual_rate: Decimal = Field(..., ge=0, le=100)
    term_months: int = Field(..., ge=1, le=600)
    first_due_date: date
    disbursed_on: date

    @field_validator("principal")
    @classmethod
    def principal_positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("The principal must be more than 0.00.")
        return value

    @field_validator("annual_rate")
    @classmethod
    def rate_two_places(cls, value: Decimal) -> Decimal:
        if value != value.quantize(TWO_PLACES):
            raise ValueError("Give the rate with at most two decimals, e.g. 5.25.")
        return value


class BalanceOut(Schema):
    principal: str
    interest: str
    fees: str
    total: str


class LoanOut(Schema):
    number: str
    status: str
    product: str
    principal: str
    annual_rate: str
    term_months: int
    installment_amount: str
    first_due_date: date
    maturity_date: date
    next_due_date: date | None
    days_past_due: int
    bucket: str
    balance: BalanceOut


class PaidOut(Schema):
    principal: str
    interest: str
    fees: str


class InstallmentOut(Schema):
    number: int
    due_date: date
    amount: str
    principal: str
    interest: str
    balance_after: str
    paid: PaidOut
    status: str


class ScheduleOut(Schema):
    installments: list[InstallmentOut]


class PaymentIn(StrictIn):
    amount: MoneyText
    received_on: date
    method: PaymentMethod
    reference: Reference = Field(..., min_length=1, max_length=64)

    @field_validator("amount")
    @classmethod
    def amount_positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("The amount must be more than 0.00.")
        return value


class AllocationOut(Schema):
    fees: str
    interest: str
    principal: str


class PaymentOut(Schema):
    id: int
    reference: str
    amount: str
    allocation: AllocationOut


class ReversalIn(StrictIn):
    """Why the payment is reversed: one of the fixed reasons, never guessed
    from free text (a returned payment is charged the product's fee, a posting
    error is not)."""

    reason: str = Field(..., description="nsf, returned or posting_error")
    note: CleanStr = Field("", max_length=255)

    @field_validator("reason")
    @classmethod
    def known_reason(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in ReversalReason.values:
            raise ValueError(
                "Choose the reason: "
                + ", ".join(f"{v} ({label})" for v, label in ReversalReason.choices)
                + "."
            )
        return value


class ReversalOut(Schema):
    id: int
    reference: str
    amount: str
    status: str
    reversal_reason: str
    reversed_on: date


class PayoffOut(Schema):
    as_of: date
    principal: str
    interest: str
    fees: str
    total: str


class ProductOut(Schema):
    code: str
    name: str
    annual_rate: str
    min_amount: str
    max_amount: str
    max_term_months: int
    origination_fee: str
    late_fee: str
    late_fee_grace_days: int
    returned_payment_fee: str
    default_dpd: int
    state_guaranteed: bool


class AgingRunIn(StrictIn):
    as_of: date


class LateFeesOut(Schema):
    count: int
    amount: str


class AgingRunOut(Schema):
    as_of: date
    loans: int
    buckets: dict[str, int]
    late_fees_assessed: LateFeesOut
    defaulted: int
    matured: int


def _loan(number: str) -> Loan:
    return get_object_or_404(Loan.objects.select_related("product"), number=number)


def _loan_body(loan: Loan, as_of: date) -> dict[str, Any]:
    summary = selectors.loan_summary(loan, as_of)
    return {
        "number": loan.number,
        "status": loan.status,
        "product": loan.product.code,
        "principal": cents(loan.principal),
        "annual_rate": cents(loan.annual_rate),
        "term_months": loan.term_months,
        "installment_amount": cents(loan.installment_amount),
        "first_due_date": loan.first_due_date,
        "maturity_date": summary.maturity_date,
        "next_due_date": summary.next_due_date,
        "days_past_due": summary.days_past_due,
        "bucket": summary.dpd_bucket,
        "balance": {k: cents(v) for k, v in summary.balance.items()},
    }


def _payment_body(posted: PostedPayment) -> dict[str, Any]:
    payment = posted.payment
    allocation = posted.allocation
    return {
        "id": payment.pk,
        "reference": payment.reference,
        "amount": cents(payment.amount),
        "allocation": {
            k: cents(allocation[k]) for k in ("fees", "interest", "principal")
        },
    }


@router.get("/products", response=list[ProductOut])
def products(request: Any) -> Any:
    """The loan products offered (active ones), with their terms and fees."""
    require_permission(request, "loans.view_loanproduct", "view loan products")
    return [
        {
            "code": p.code,
            "name": p.name,
            "annual_rate": cents(p.annual_rate),
            "min_amount": cents(p.min_amount.amount),
            "max_amount": cents(p.max_amount.amount),
            "max_term_months": p.max_term_months,
            "origination_fee": cents(p.origination_fee.amount),
            "late_fee": cents(p.late_fee.amount),
            "late_fee_grace_days": p.late_fee_grace_days,
            "returned_payment_fee": cents(p.returned_payment_fee.amount),
            "default_dpd": p.default_dpd,
            "state_guaranteed": p.state_guaranteed,
        }
        for p in LoanProduct.objects.filter(is_active=True).order_by("code")
    ]


@router.post("/aging/run", response=AgingRunOut)
def aging_run_endpoint(request: Any, payload: AgingRunIn) -> Any:
    """Run the nightly aging job for a date (today or earlier). Re-running a
    date changes nothing: the same counts, no late fee charged again."""
    require_permission(request, "loans.run_aging", "run aging")
    run = aging_run(as_of=payload.as_of, actor=request.user, trigger=AgingTrigger.API)
    return {
        "as_of": run.as_of,
        "loans": run.loans,
        "buckets": run.bucket_counts(),
        "late_fees_assessed": {
            "count": run.late_fees_count,
            "amount": cents(run.late_fees_amount),
        },
        # Loans in default / matured with a balance as of the date, so the
        # same date again answers the same (what the run changed is in the
        # back office's Aging runs).
        "defaulted": run.defaulted_loans,
        "matured": run.matured_loans,
    }


@router.post("/loans", response={201: LoanOut})
def loan_book_endpoint(request: Any, payload: LoanBookIn) -> Any:
    require_permission(request, "loans.book_loan", "book loans")
    try:
        loan = loan_book(
            actor=request.user,
            number=payload.number.strip(),
            product_code=payload.product.strip(),
            customer_name=payload.customer.name,
            customer_email=payload.customer.email.strip(),
            account_number=payload.account_number.strip(),
            principal=payload.principal,
            annual_rate=payload.annual_rate,
            term_months=payload.term_months,
            first_due_date=payload.first_due_date,
            disbursed_on=payload.disbursed_on,
        )
    except LoanNumberTaken as conflict:
        raise HttpError(409, conflict.messages[0]) from None
    return Status(201, _loan_body(loan, timezone.localdate()))


@router.get("/loans/{number}", response=LoanOut)
def loan_detail(request: Any, number: str, as_of: date | None = None) -> Any:
    require_permission(request, "loans.view_loan", "view loans")
    return _loan_body(_loan(number), as_of or timezone.localdate())


@router.get("/loans/{number}/schedule", response=ScheduleOut)
def loan_schedule(request: Any, number: str) -> Any:
    require_permission(request, "loans.view_loan", "view loans")
    rows = selectors.schedule_rows(_loan(number), timezone.localdate())
    return {
        "installments": [
            {
                "number": r.number,
                "due_date": r.due_date,
                "amount": cents(r.amount),
                "principal": cents(r.principal),
                "interest": cents(r.interest),
                "balance_after": cents(r.balance_after),
                "paid": {
                    "principal": cents(r.principal_paid),
                    "interest": cents(r.interest_paid),
                    "fees": cents(r.fees_paid),
                },
                "status": r.status,
            }
            for r in rows
        ]
    }


@router.post("/loans/{number}/payments", response={200: PaymentOut, 201: PaymentOut})
def payment_create(request: Any, number: str, payload: PaymentIn) -> Any:
    require_permission(request, "loans.post_payment", "post payments")
    # Only the loan's id: posting locks and reads the loan itself.
    loan = get_object_or_404(Loan.objects.only("id", "number"), number=number)
    try:
        posted = payment_post(
            actor=request.user,
            loan=loan,
            amount=payload.amount,
            received_on=payload.received_on,
            method=payload.method,
            reference=payload.reference,
        )
    except ReferenceConflict as conflict:
        raise HttpError(409, conflict.messages[0]) from None
    return Status(201 if posted.created else 200, _payment_body(posted))


@router.post("/payments/{payment_id}/reversal", response={201: ReversalOut})
def payment_reversal(request: Any, payment_id: int, payload: ReversalIn) -> Any:
    require_permission(request, "loans.post_payment", "reverse payments")
    payment = get_object_or_404(Payment, pk=payment_id)
    try:
        payment = payment_reverse(
            actor=request.user,
            payment=payment,
            reason=payload.reason,
            note=payload.note,
        )
    except ValidationError as error:
        if payment.status == "reversed":
            raise HttpError(409, error.messages[0]) from None
        raise
    return Status(
        201,
        {
            "id": payment.pk,
            "reference": payment.reference,
            "amount": cents(payment.amount),
            "status": payment.status,
            "reversal_reason": payment.reversal_reason,
            "reversed_on": timezone.localtime(payment.reversed_at).date(),
        },
    )


@router.get("/loans/{number}/payoff", response=PayoffOut)
def loan_payoff(request: Any, number: str, as_of: date | None = None) -> Any:
    require_permission(request, "loans.view_loan", "view loans")
    loan = _loan(number)
    as_of = as_of or timezone.localdate()
    if loan.disbursed_on and as_of < loan.disbursed_on:
        raise ValidationError(
            {
                "as_of": "A payoff can't be quoted before the loan "
                f"was disbursed on {loan.disbursed_on}."
            }
        )
    quote = payoff_quote(loan, as_of)
    return {
        "as_of": as_of,
        "principal": cents(quote.principal),
        "interest": cents(quote.interest),
        "fees": cents(quote.fees),
        "total": cents(quote.total),
    }
