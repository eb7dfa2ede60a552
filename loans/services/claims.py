"""State guarantee claims: prepared → submitted → paid or denied.

A claim is made for a defaulted loan of a `state_guaranteed` product (or one
already written off) and claims the outstanding principal: the write-off's
principal when the loan is written off, otherwise the engine's principal
outstanding on the day the claim is prepared.

Decision: the State's payment is posted as a **recovery against the
write-off**, so a claim can be prepared and submitted while the loan is
defaulted but its payment is recorded only once the loan is written off
(GuaranteeClaim.can_record_payment says so). The guarantee covers a loss,
and the loss is what the write-off took off the books; posting the State's
money as a recovery keeps one rule for every dollar received after a loss
(never more than was written off), and the PSC report reads write-offs and
recoveries from one place. A payment of less than claimed is recorded as
received; more than claimed is refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from loans.choices import (
    ActionChannel,
    ActionType,
    ClaimStatus,
    LoanStatus,
    PaymentMethod,
    RecoverySource,
    WriteOffStatus,
)
from loans.models import GuaranteeClaim, Loan
from loans.models.recovery import can_prepare_claim
from loans.services.collections import collection_action_record
from loans.services.payments import payoff_quote
from loans.services.writeoffs import recovery_post
from portal.audit import audit_context
from portal.checks import future_problem
from portal.money import format_money, parse_money
from portal.transitions import TransitionRefused, locked, save_transition

NOTHING_TO_CLAIM = "Loan {number} has no outstanding principal to claim."
BEFORE_PREPARED = "The claim can't be submitted before it was prepared ({day})."
PAID_BEFORE_SUBMITTED = (
    "The State can't have paid before the claim was submitted ({day})."
)
DENIED_BEFORE_SUBMITTED = (
    "The State can't have denied it before it was submitted ({day})."
)
MORE_THAN_CLAIMED = "{amount} is more than the {claimed} claimed."
NOT_POSITIVE = "The amount received must be more than $0.00."
DENIAL_REASON_REQUIRED = "Give the State's reason for the denial."


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def principal_to_claim(loan: Loan, on: date) -> Decimal:
    """Outstanding principal: written off, or the engine's on the day."""
    if loan.status == LoanStatus.WRITTEN_OFF:
        written: Decimal = loan.write_offs.get(status=WriteOffStatus.APPROVED).principal
        return written
    principal: Decimal = payoff_quote(loan, on).principal
    return principal


@transaction.atomic
def guarantee_claim_prepare(
    *, actor: Any, loan: Loan, prepared_on: date, note: str = ""
) -> GuaranteeClaim:
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("product")
        .get(pk=loan.pk)
    )
    verdict = can_prepare_claim(loan, actor)
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")
    if problem := future_problem(prepared_on, "The claim's date"):
        raise ValidationError({"prepared_on": problem})
    principal = principal_to_claim(loan, prepared_on)
    if principal <= 0:
        raise ValidationError(NOTHING_TO_CLAIM.format(number=loan.number))
    with audit_context(
        user=actor,
        reason=f"State guarantee claim for {format_money(principal)} prepared on "
        f"loan {loan.number}",
    ):
        return GuaranteeClaim.objects.create(
            loan=loan,
            principal_claimed=principal,
            prepared_on=prepared_on,
            prepared_by=actor,
            note=note,
        )


@transaction.atomic
def guarantee_claim_submit(
    *, actor: Any, claim: GuaranteeClaim, submitted_on: date
) -> GuaranteeClaim:
    claim = locked(GuaranteeClaim, claim.pk, "submit", actor)
    if problem := future_problem(submitted_on, "The submission date"):
        raise ValidationError({"submitted_on": problem})
    if submitted_on < claim.prepared_on:
        raise ValidationError(
            {"submitted_on": BEFORE_PREPARED.format(day=_day(claim.prepared_on))}
        )
    claim = save_transition(
        claim,
        actor=actor,
        reason=f"State guarantee claim on loan {claim.loan.number} submitted",
        status=ClaimStatus.SUBMITTED,
        submitted_on=submitted_on,
        submitted_by=actor,
    )
    collection_action_record(
        actor=actor,
        loan=claim.loan,
        type=ActionType.GUARANTEE_CLAIM,
        on=submitted_on,
        channel=ActionChannel.MAIL,
        outcome=f"Claim for {format_money(claim.principal_claimed)} submitted "
        "to the State",
    )
    return claim


@transaction.atomic
def guarantee_claim_record_payment(
    *,
    actor: Any,
    claim: GuaranteeClaim,
    amount: Decimal | str,
    paid_on: date,
    reference: str,
    method: str = PaymentMethod.ACH,
) -> GuaranteeClaim:
    """The State paid: post its payment to the loan as a recovery (capped by
    what was written off, like every recovery) and mark the claim paid."""
    claim = locked(GuaranteeClaim, claim.pk, "record_payment", actor)
    errors: dict[str, str] = {}
    try:
        value = parse_money(amount)
        if value <= 0:
            errors["amount"] = NOT_POSITIVE
        elif value > claim.principal_claimed:
            errors["amount"] = MORE_THAN_CLAIMED.format(
                amount=format_money(value),
                claimed=format_money(claim.principal_claimed),
            )
    except (ValueError, ArithmeticError) as error:
        errors["amount"] = str(error)
    if claim.submitted_on and paid_on < claim.submitted_on:
        errors["paid_on"] = PAID_BEFORE_SUBMITTED.format(day=_day(claim.submitted_on))
    if errors:
        raise ValidationError(errors)
    try:
        recovery = recovery_post(
            actor=actor,
            loan=claim.loan,
            amount=value,
            received_on=paid_on,
            method=method,
            reference=reference,
            source=RecoverySource.STATE_GUARANTEE,
            note=f"State guarantee claim {claim.pk}",
        )
    except ValidationError as error:
        # The recovery's "received_on" is this form's "paid_on".
        if hasattr(error, "error_dict") and "received_on" in error.error_dict:
            error.error_dict["paid_on"] = error.error_dict.pop("received_on")
        raise
    claim = save_transition(
        claim,
        actor=actor,
        reason=f"State paid {format_money(value)} on the guarantee claim for loan "
        f"{claim.loan.number}",
        status=ClaimStatus.PAID,
        paid_on=paid_on,
        amount_received=value,
        recovery=recovery,
        decided_by=actor,
    )
    collection_action_record(
        actor=actor,
        loan=claim.loan,
        type=ActionType.GUARANTEE_CLAIM,
        on=paid_on,
        channel=ActionChannel.SYSTEM,
        outcome=f"State paid {format_money(value)} of "
        f"{format_money(claim.principal_claimed)} claimed",
    )
    return claim


@transaction.atomic
def guarantee_claim_deny(
    *, actor: Any, claim: GuaranteeClaim, denied_on: date, reason: str
) -> GuaranteeClaim:
    claim = locked(GuaranteeClaim, claim.pk, "deny", actor)
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = DENIAL_REASON_REQUIRED
    if problem := future_problem(denied_on, "The denial date"):
        errors["denied_on"] = problem
    elif claim.submitted_on and denied_on < claim.submitted_on:
        errors["denied_on"] = DENIED_BEFORE_SUBMITTED.format(
            day=_day(claim.submitted_on)
        )
    if errors:
        raise ValidationError(errors)
    claim = save_transition(
        claim,
        actor=actor,
        reason=f"State guarantee claim on loan {claim.loan.number} denied",
        status=ClaimStatus.DENIED,
        denied_on=denied_on,
        denial_reason=reason.strip()[:255],
        decided_by=actor,
    )
    collection_action_record(
        actor=actor,
        loan=claim.loan,
        type=ActionType.GUARANTEE_CLAIM,
        on=denied_on,
        channel=ActionChannel.SYSTEM,
        outcome=f"State denied the claim: {claim.denial_reason}",
    )
    return claim
