"""Write-offs and the recoveries that follow them.

A write-off takes a loan's whole balance on a date off the books: principal,
interest (due and accrued to that date) and unpaid fees, as the engine's
payoff quote gives them. Staff propose it; someone else approves it within
their write-off limit (portal.controls.four_eyes_check); on approval it is
posted as one ledger entry per part (WRITE_OFF, WRITE_OFF_INTEREST,
WRITE_OFF_FEES), the loan becomes written off and its schedule is closed
(loans.engine.sync refuses a written-off loan, payments_post refuses it, the
late-fee and nightly jobs skip it).

Money received afterwards is a recovery: a Payment the cashier sees, whose
one ledger line is a RECOVERY entry (not an allocation), never more in total
than was written off. A recovery is reversed with a reason from the fixed
list; it adds no returned-payment fee (a fee would open a balance on a loan
whose books are closed), and the cap counts only recoveries not reversed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from loans.choices import (
    ActionChannel,
    ActionType,
    EntryKind,
    LoanStatus,
    PaymentMethod,
    PaymentStatus,
    RecoverySource,
    ReversalReason,
    WriteOffStatus,
)
from loans.models import LedgerEntry, Loan, Payment, Recovery, WriteOff
from loans.models.recovery import (
    WRITE_OFF_STATUSES,
    can_post_recovery,
    can_propose_write_off,
)
from loans.schedule import ZERO
from loans.services.collections import collection_action_record
from loans.services.payments import payoff_quote
from portal.audit import audit_context
from portal.checks import future_problem, identifier_problem
from portal.controls import four_eyes_check
from portal.money import format_money, parse_money
from portal.transitions import TransitionRefused, locked, save_transition

REASON_REQUIRED = "Say why the loan is written off."
REJECTION_REASON_REQUIRED = "Say why the write-off is rejected."
BEFORE_DISBURSEMENT = (
    "The write-off date can't be before the loan was disbursed on {day}."
)
BEFORE_LAST_PAYMENT = (
    "A payment received on {day} is on the loan, after the write-off date; "
    "write it off as of {day} or later."
)
NOTHING_OWED = "Loan {number} owes nothing on {day}; there is nothing to write off."
BALANCE_CHANGED = (
    "The balance of loan {number} on {day} is now {now}, not the {then} "
    "proposed (a payment or fee was posted since); reject this proposal and "
    "propose the write-off again."
)
LOAN_LEFT_DEFAULT = (
    "Loan {number} is {status} now; only a defaulted or matured loan is written off."
)
OVER_RECOVERY = (
    "{amount} would recover more than was written off: {written} was written "
    "off and {recovered} is already recovered, so at most {left} can be posted."
)
NOTHING_LEFT_TO_RECOVER = (
    "{written} was written off and all of it is already recovered; "
    "nothing more can be posted."
)
RECOVERY_BEFORE_WRITE_OFF = (
    "The recovery was received on {received}, before the loan was written off "
    "on {written}; a payment before the write-off is a payment, not a recovery."
)
RECOVERY_NOT_POSITIVE = "A recovery must be more than $0.00."
REFERENCE_REQUIRED = "A payment reference is required (the cashiering system's ID)."
REFERENCE_TAKEN = "Reference {reference} was already posted; use a new reference."
UNKNOWN_METHOD = "Unknown payment method {method!r}; use one of: {choices}."
UNKNOWN_SOURCE = "Unknown recovery source {source!r}; use one of: {choices}."
UNKNOWN_REASON = "Give a reason: {choices}."
NOT_A_RECOVERY = "Payment {reference} is not a recovery."


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@dataclass(frozen=True)
class WriteOffParts:
    """The loan's whole balance on a date, by part (the engine's payoff)."""

    as_of: date
    principal: Decimal
    interest: Decimal
    fees: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fees


def write_off_balance(loan: Loan, as_of: date) -> WriteOffParts:
    """What a write-off of `loan` as of `as_of` would take off the books."""
    quote = payoff_quote(loan, as_of)
    return WriteOffParts(as_of, quote.principal, quote.interest, quote.fees)


def _last_received(loan: Loan) -> date | None:
    return (
        Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED)
        .order_by("-received_on")
        .values_list("received_on", flat=True)
        .first()
    )


def _lock_loan(loan: Loan) -> Loan:
    # The loan row is the lock payments take: a payment can't post between
    # reading the balance and writing it off.
    return (
        Loan.objects.select_for_update(of=("self",))
        .select_related("product")
        .get(pk=loan.pk)
    )


def _date_problems(loan: Loan, as_of: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if problem := future_problem(as_of, "The write-off date"):
        errors["as_of"] = problem
    elif loan.disbursed_on and as_of < loan.disbursed_on:
        errors["as_of"] = BEFORE_DISBURSEMENT.format(day=_day(loan.disbursed_on))
    elif (last := _last_received(loan)) and last > as_of:
        errors["as_of"] = BEFORE_LAST_PAYMENT.format(day=_day(last))
    return errors


@transaction.atomic
def write_off_propose(*, actor: Any, loan: Loan, as_of: date, reason: str) -> WriteOff:
    """Propose writing off the loan's whole balance on `as_of`."""
    loan = _lock_loan(loan)
    verdict = can_propose_write_off(loan, actor)
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")
    errors = _date_problems(loan, as_of)
    if not (reason or "").strip():
        errors["reason"] = REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    parts = write_off_balance(loan, as_of)
    if parts.total <= 0:
        raise ValidationError(
            {"as_of": NOTHING_OWED.format(number=loan.number, day=_day(as_of))}
        )
    with audit_context(
        user=actor,
        reason=f"Write-off of {format_money(parts.total)} proposed on loan "
        f"{loan.number}",
    ):
        return WriteOff.objects.create(
            loan=loan,
            as_of=as_of,
            principal=parts.principal,
            interest=parts.interest,
            fees=parts.fees,
            total=parts.total,
            reason=reason.strip(),
            proposed_by=actor,
        )


@transaction.atomic
def write_off_approve(*, actor: Any, write_off: WriteOff) -> WriteOff:
    """Approve and post: four-eyes within the approver's write-off limit, the
    balance re-read under the loan's lock and equal to the proposal, then one
    WRITE_OFF entry per part and the loan written off."""
    loan = _lock_loan(write_off.loan)
    write_off = locked(WriteOff, write_off.pk, "approve", actor)
    four_eyes_check(
        action="write_off",
        preparer=write_off.proposed_by,
        approver=actor,
        amount=write_off.total,
    )
    if loan.status not in WRITE_OFF_STATUSES:
        raise ValidationError(
            LOAN_LEFT_DEFAULT.format(
                number=loan.number, status=loan.get_status_display().lower()
            )
        )
    if errors := _date_problems(loan, write_off.as_of):
        raise ValidationError(errors["as_of"])
    now = write_off_balance(loan, write_off.as_of)
    if (now.principal, now.interest, now.fees) != (
        write_off.principal,
        write_off.interest,
        write_off.fees,
    ):
        raise ValidationError(
            BALANCE_CHANGED.format(
                number=loan.number,
                day=_day(write_off.as_of),
                now=format_money(now.total),
                then=format_money(write_off.total),
            )
        )
    reason = (
        f"Write-off of {format_money(write_off.total)} on loan {loan.number} approved"
    )
    parts = [
        (EntryKind.WRITE_OFF, write_off.principal),
        (EntryKind.WRITE_OFF_INTEREST, write_off.interest),
        (EntryKind.WRITE_OFF_FEES, write_off.fees),
    ]
    with audit_context(user=actor, reason=reason):
        for kind, amount in parts:
            if amount:
                LedgerEntry.objects.create(
                    loan=loan,
                    kind=kind,
                    amount=amount,
                    effective_on=write_off.as_of,
                    posted_by=actor,
                    memo=f"Write-off approved by {actor.get_username()}",
                )
        loan.status = LoanStatus.WRITTEN_OFF
        loan.written_off_on = write_off.as_of
        loan.save(update_fields=["status", "written_off_on"])
    save_transition(
        write_off,
        actor=actor,
        reason=reason,
        status=WriteOffStatus.APPROVED,
        stamp="approved_at",
        approved_by=actor,
    )
    collection_action_record(
        actor=actor,
        loan=loan,
        type=ActionType.WRITE_OFF,
        on=timezone.localdate(),
        channel=ActionChannel.SYSTEM,
        outcome=f"{format_money(write_off.total)} written off as of "
        f"{_day(write_off.as_of)}",
        note=write_off.reason,
    )
    return write_off


@transaction.atomic
def write_off_reject(*, actor: Any, write_off: WriteOff, reason: str) -> WriteOff:
    """Reject a proposal (nothing is posted); another may be proposed."""
    write_off = locked(WriteOff, write_off.pk, "reject", actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": REJECTION_REASON_REQUIRED})
    return save_transition(
        write_off,
        actor=actor,
        reason=f"Write-off on loan {write_off.loan.number} rejected",
        status=WriteOffStatus.REJECTED,
        stamp="rejected_at",
        rejected_by=actor,
        rejection_reason=reason.strip()[:255],
    )


# --------------------------------------------------------------------------
# Recoveries
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryPosition:
    written_off: Decimal
    recovered: Decimal

    @property
    def recoverable(self) -> Decimal:
        return self.written_off - self.recovered


WRITE_OFF_KINDS = (
    EntryKind.WRITE_OFF,
    EntryKind.WRITE_OFF_INTEREST,
    EntryKind.WRITE_OFF_FEES,
)


def recovery_position(loan: Loan) -> RecoveryPosition:
    """What was written off and what has been recovered (net of reversals),
    from the ledger; sums in Python, exact on SQLite too."""
    written = recovered = ZERO
    for kind, amount in LedgerEntry.objects.filter(
        loan=loan, kind__in=[*WRITE_OFF_KINDS, EntryKind.RECOVERY]
    ).values_list("kind", "amount"):
        if kind == EntryKind.RECOVERY:
            recovered += amount
        else:
            written += amount
    return RecoveryPosition(written, recovered)


@transaction.atomic
def recovery_post(
    *,
    actor: Any,
    loan: Loan,
    amount: Decimal | str,
    received_on: date,
    method: str,
    reference: str,
    source: str = RecoverySource.BORROWER,
    note: str = "",
) -> Recovery:
    """Post money received on a written-off loan, never more in total than
    was written off."""
    loan = _lock_loan(loan)
    verdict = can_post_recovery(loan, actor)
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")
    errors: dict[str, str] = {}
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = REFERENCE_REQUIRED
    elif problem := identifier_problem(reference, "A payment reference"):
        errors["reference"] = problem
    elif Payment.objects.filter(reference=reference).exists():
        errors["reference"] = REFERENCE_TAKEN.format(reference=reference)
    value = ZERO
    try:
        value = parse_money(amount)
        if value <= 0:
            errors["amount"] = RECOVERY_NOT_POSITIVE
    except (ValueError, ArithmeticError) as error:
        errors["amount"] = str(error)
    if problem := future_problem(received_on, "The received date"):
        errors["received_on"] = problem
    elif loan.written_off_on and received_on < loan.written_off_on:
        errors["received_on"] = RECOVERY_BEFORE_WRITE_OFF.format(
            received=_day(received_on), written=_day(loan.written_off_on)
        )
    if method not in PaymentMethod.values:
        errors["method"] = UNKNOWN_METHOD.format(
            method=method, choices=", ".join(PaymentMethod.values)
        )
    if source not in RecoverySource.values:
        errors["source"] = UNKNOWN_SOURCE.format(
            source=source, choices=", ".join(RecoverySource.values)
        )
    if "amount" not in errors:
        position = recovery_position(loan)
        if position.recoverable <= 0:
            errors["amount"] = NOTHING_LEFT_TO_RECOVER.format(
                written=format_money(position.written_off)
            )
        elif value > position.recoverable:
            errors["amount"] = OVER_RECOVERY.format(
                amount=format_money(value),
                written=format_money(position.written_off),
                recovered=format_money(position.recovered),
                left=format_money(position.recoverable),
            )
    if errors:
        raise ValidationError(errors)
    write_off = loan.write_offs.get(status=WriteOffStatus.APPROVED)
    with audit_context(
        user=actor,
        reason=f"Recovery {reference} of {format_money(value)} posted on written-off "
        f"loan {loan.number}",
    ):
        payment = Payment.objects.create(
            loan=loan,
            reference=reference,
            amount=value,
            received_on=received_on,
            method=method,
            posted_by=actor,
        )
        LedgerEntry.objects.create(
            loan=loan,
            payment=payment,
            kind=EntryKind.RECOVERY,
            amount=value,
            effective_on=received_on,
            posted_by=actor,
            memo=RecoverySource(source).label,
        )
        return Recovery.objects.create(
            payment=payment,
            loan=loan,
            write_off=write_off,
            source=source,
            note=(note or "")[:255],
        )


@transaction.atomic
def recovery_reverse(
    *,
    actor: Any,
    payment: Payment,
    reason: str,
    note: str = "",
    reversed_on: date | None = None,
) -> Payment:
    """Reverse a recovery (a returned check, say): a reversing RECOVERY entry,
    the payment marked reversed; no returned-payment fee (module docstring)."""
    if reason not in ReversalReason.values:
        raise ValidationError(
            {
                "reason": UNKNOWN_REASON.format(
                    choices=", ".join(
                        f"{value} ({label})" for value, label in ReversalReason.choices
                    )
                )
            }
        )
    loan = _lock_loan(payment.loan)
    payment = locked(Payment, payment.pk, "reverse", actor)
    if not Recovery.objects.filter(payment=payment).exists():
        raise ValidationError(NOT_A_RECOVERY.format(reference=payment.reference))
    reversed_on = reversed_on or timezone.localdate()
    label = ReversalReason(reason).label
    with audit_context(
        user=actor, reason=f"Recovery {payment.reference} reversed: {label}"
    ):
        payment.status = PaymentStatus.REVERSED
        payment.reversed_at = timezone.now()
        payment.reversed_by = actor
        payment.reversal_reason = reason
        payment.reversal_note = (note or "")[:255]
        payment.save()
        for entry in LedgerEntry.objects.filter(
            payment=payment, kind=EntryKind.RECOVERY, reverses__isnull=True
        ):
            LedgerEntry.objects.create(
                loan=loan,
                payment=payment,
                kind=EntryKind.RECOVERY,
                amount=-entry.amount,
                effective_on=reversed_on,
                posted_by=actor,
                reverses=entry,
                memo=f"Reversed: {label}"[:255],
            )
    return payment
