"""Posting and reversing loan payments: the one place money reaches a loan.

Views, the API, batch files and admin buttons all call `payment_post` and
`payment_reverse`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from loans import engine
from loans.choices import (
    EntryKind,
    FeeKind,
    LoanStatus,
    PaymentMethod,
    PaymentStatus,
    ReversalReason,
)
from loans.models import LedgerEntry, Loan, Payment, PaymentBatch
from portal.audit import audit_context
from portal.money import parse_amount

LOAN_NOT_OPEN = "Loan {number} is {status}; payments post only to an active loan."
NOT_POSITIVE = "A payment must be more than $0.00."
BEFORE_DISBURSEMENT = "The payment was received on {received}, before the loan was disbursed on {disbursed}."
IN_FUTURE = "The payment's received date {received} is in the future."
OVERPAYMENT = "{amount} is more than the payoff of {payoff} on {received}; post at most the payoff amount."
REFERENCE_ON_OTHER_LOAN = "Reference {reference} was already posted to loan {number}."
REFERENCE_REQUIRED = "A payment reference is required (the cashiering system's ID)."
ALREADY_REVERSED = "Payment {reference} was already reversed on {when}."
UNKNOWN_METHOD = "Unknown payment method {method!r}; use one of: {choices}."


@dataclass(frozen=True)
class PostedPayment:
    payment: Payment
    created: bool

    @property
    def allocation(self) -> dict[str, Decimal]:
        return payment_allocation(self.payment)


def payment_allocation(payment: Payment) -> dict[str, Decimal]:
    """Net allocation of a payment by what it paid (fees, interest, principal)."""
    totals = {
        "fees": Decimal("0.00"),
        "interest": Decimal("0.00"),
        "principal": Decimal("0.00"),
        "unapplied": Decimal("0.00"),
    }
    where = {
        EntryKind.FEE_PAID: "fees",
        EntryKind.INTEREST_PAID: "interest",
        EntryKind.PRINCIPAL_PAID: "principal",
        EntryKind.PREPAYMENT: "principal",
        EntryKind.UNAPPLIED: "unapplied",
    }
    for kind, amount in payment.entries.values_list("kind", "amount"):
        if kind in where:
            totals[where[kind]] += amount
    return totals


def _validate_method(method: str) -> None:
    if method not in PaymentMethod.values:
        raise ValidationError(
            {
                "method": UNKNOWN_METHOD.format(
                    method=method, choices=", ".join(PaymentMethod.values)
                )
            }
        )


@transaction.atomic
def payment_post(
    *,
    actor: Any,
    loan: Loan,
    amount: Decimal | str,
    received_on: date,
    method: str,
    reference: str,
    batch: PaymentBatch | None = None,
) -> PostedPayment:
    """Post a payment and allocate it (fees, interest, principal, oldest first;
    any excess prepays principal and re-amortizes). Idempotent on `reference`."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": REFERENCE_REQUIRED})
    try:
        amount = parse_amount(amount)
    except (ValueError, ArithmeticError) as error:
        raise ValidationError({"amount": str(error)}) from None
    if amount <= 0:
        raise ValidationError({"amount": NOT_POSITIVE})
    _validate_method(method)

    # Lock the loan first: concurrent posts to one loan must queue, or two
    # allocations computed from the same balance would both be written.
    loan = Loan.objects.select_for_update().select_related("product").get(pk=loan.pk)
    existing = (
        Payment.objects.filter(reference=reference).select_related("loan").first()
    )
    if existing is not None:
        if existing.loan_id != loan.pk:
            raise ValidationError(
                {
                    "reference": REFERENCE_ON_OTHER_LOAN.format(
                        reference=reference, number=existing.loan.number
                    )
                }
            )
        return PostedPayment(existing, created=False)
    if loan.status not in (LoanStatus.ACTIVE, LoanStatus.DEFAULTED):
        raise ValidationError(
            LOAN_NOT_OPEN.format(
                number=loan.number, status=loan.get_status_display().lower()
            )
        )
    if loan.disbursed_on and received_on < loan.disbursed_on:
        raise ValidationError(
            {
                "received_on": BEFORE_DISBURSEMENT.format(
                    received=received_on, disbursed=loan.disbursed_on
                )
            }
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": IN_FUTURE.format(received=received_on)})
    quote = payoff_quote(loan, received_on)
    if amount > quote.total:
        raise ValidationError(
            {
                "amount": OVERPAYMENT.format(
                    amount=f"${amount:,.2f}",
                    payoff=f"${quote.total:,.2f}",
                    received=received_on,
                )
            }
        )

    with audit_context(user=actor, reason=f"Payment {reference} posted"):
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    loan=loan,
                    reference=reference,
                    amount=amount,
                    received_on=received_on,
                    method=method,
                    batch=batch,
                    posted_by=actor,
                )
        except IntegrityError:
            # The same reference was posted concurrently to another loan.
            other = Payment.objects.select_related("loan").get(reference=reference)
            raise ValidationError(
                {
                    "reference": REFERENCE_ON_OTHER_LOAN.format(
                        reference=reference, number=other.loan.number
                    )
                }
            ) from None
    engine.sync(
        loan,
        actor=actor,
        effective_on=received_on,
        reason=f"Payment {reference} posted",
    )
    return PostedPayment(payment, created=True)


def reversal_reason_from_text(text: str) -> str:
    lowered = (text or "").lower()
    if "error" in lowered or "posting" in lowered or "mistake" in lowered:
        return ReversalReason.POSTING_ERROR
    if "nsf" in lowered or "insufficient" in lowered or "bounced" in lowered:
        return ReversalReason.NSF
    if lowered in ReversalReason.values:
        return lowered
    return ReversalReason.RETURNED


@transaction.atomic
def payment_reverse(
    *,
    actor: Any,
    payment: Payment,
    reason: str,
    note: str = "",
    reversed_on: date | None = None,
) -> Payment:
    """Reverse a payment's allocations (reversing ledger entries, never edits).
    A returned payment (NSF, returned ACH/card) adds the product's fee and
    appears in the bad-check ledger; a posting error adds no fee."""
    if reason not in ReversalReason.values:
        raise ValidationError(
            {
                "reason": "Give a reason: "
                + ", ".join(
                    f"{value} ({label})" for value, label in ReversalReason.choices
                )
            }
        )
    loan = (
        Loan.objects.select_for_update()
        .select_related("product")
        .get(pk=payment.loan_id)
    )
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == PaymentStatus.REVERSED:
        raise ValidationError(
            ALREADY_REVERSED.format(
                reference=payment.reference, when=payment.reversed_at.date()
            )
        )
    reversed_on = reversed_on or timezone.localdate()
    label = ReversalReason(reason).label
    with audit_context(
        user=actor, reason=f"Payment {payment.reference} reversed: {label}"
    ):
        payment.status = PaymentStatus.REVERSED
        payment.reversed_at = timezone.now()
        payment.reversed_by = actor
        payment.reversal_reason = reason
        payment.reversal_note = note[:255]
        payment.save()
        fee = loan.product.returned_payment_fee.amount
        if reason != ReversalReason.POSTING_ERROR and fee > 0:
            LedgerEntry.objects.create(
                loan=loan,
                payment=payment,
                kind=EntryKind.FEE_ASSESSED,
                fee_kind=FeeKind.RETURNED_PAYMENT,
                amount=fee,
                effective_on=reversed_on,
                posted_by=actor,
                memo=f"Returned payment {payment.reference}",
            )
    engine.sync(
        loan,
        actor=actor,
        effective_on=reversed_on,
        reason=f"Payment {payment.reference} reversed: {label}",
    )
    return payment


def payoff_quote(loan: Loan, as_of: date) -> Any:
    """Payoff as of a date (DESIGN.md): outstanding principal + unpaid interest
    of installments due by then + interest accrued since the last due date
    (actual/365) + unpaid fees."""
    from loans.schedule import PayoffQuote
    from loans.schedule import payoff_quote as quote

    if loan.status == LoanStatus.PAID_OFF or loan.disbursed_on is None:
        zero = Decimal("0.00")
        return PayoffQuote(
            as_of=as_of, principal=zero, interest=zero, fees=zero, total=zero
        )
    state = engine.position(loan, as_of)
    start = min(loan.disbursed_on, as_of)
    return quote(state.states, as_of, loan.annual_rate, start, state.unpaid_fees)
