"""Deposit decisions for new service with old debt: propose (staff), approve
(a supervisor other than the preparer, within the "deposit" approval limit)
or reject with a reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from liens.choices import InstrumentType
from liens.models.decisions import DecisionStatus, DepositDecision
from portal.audit import audit_context
from portal.controls import four_eyes_check
from portal.models import UtilityAccount
from portal.money import MoneyError, format_money, parse_money
from portal.transitions import TransitionRefused, has_perm, locked, save_transition

BAD_DEBT = (
    "Account {number}'s delinquent bill has been turned over to bad debt; a "
    "deposit decision is only for debt not yet turned over. Refer it to "
    "collections."
)
NOT_DELINQUENT = (
    "Account {number} owes no delinquent bill; no deposit decision is needed."
)
ALREADY_OPEN = "Account {number} already has a deposit decision waiting for approval."
AMOUNT_REQUIRED = "Enter the deposit amount required."
AMOUNT_POSITIVE = "The deposit required must be more than $0.00."
UNKNOWN_TYPE = "Choose the kind of instrument required."
REASON_REQUIRED = "Give the reason for rejecting the deposit decision."


@transaction.atomic
def deposit_decision_propose(
    *,
    actor: Any,
    account: UtilityAccount,
    deposit_required: Any,
    instrument_type: str,
    note: str = "",
) -> DepositDecision:
    """Propose the deposit a customer with an old delinquent bill must give
    before new service is connected."""
    verdict = has_perm(
        actor, "liens.propose_deposit_decision", doing="propose deposit decisions"
    )
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")
    account = UtilityAccount.objects.select_for_update().get(pk=account.pk)
    if account.turned_to_bad_debt:
        raise ValidationError(
            {"account": BAD_DEBT.format(number=account.number)}, code="bad_debt"
        )
    owed = Decimal(account.delinquent_balance.amount)
    if owed <= 0:
        raise ValidationError({"account": NOT_DELINQUENT.format(number=account.number)})
    if DepositDecision.objects.filter(
        account=account, status=DecisionStatus.PROPOSED
    ).exists():
        raise ValidationError({"account": ALREADY_OPEN.format(number=account.number)})
    errors: dict[str, str] = {}
    amount = Decimal(0)
    if deposit_required in (None, ""):
        errors["deposit_required"] = AMOUNT_REQUIRED
    else:
        try:
            amount = parse_money(deposit_required)
        except MoneyError as exc:
            errors["deposit_required"] = str(exc)
        else:
            if amount <= 0:
                errors["deposit_required"] = AMOUNT_POSITIVE
    if instrument_type not in InstrumentType.values:
        errors["instrument_type"] = UNKNOWN_TYPE
    if errors:
        raise ValidationError(errors)
    with audit_context(
        user=actor,
        reason=f"Deposit of {format_money(amount)} proposed for account "
        f"{account.number} (delinquent bill {format_money(owed)})",
    ):
        return DepositDecision.objects.create(
            account=account,
            customer=account.customer,
            delinquent_amount=owed,
            deposit_required=amount,
            instrument_type=instrument_type,
            note=(note or "").strip(),
            prepared_by=actor,
        )


@transaction.atomic
def deposit_decision_approve(
    *, actor: Any, decision: DepositDecision
) -> DepositDecision:
    decision = locked(DepositDecision, decision.pk, "approve", actor)
    four_eyes_check(
        action="deposit",
        preparer=decision.prepared_by,
        approver=actor,
        amount=decision.deposit_required,
    )
    return save_transition(
        decision,
        actor=actor,
        reason=f"Deposit decision {decision.reference} for account "
        f"{decision.account.number} approved",
        status=DecisionStatus.APPROVED,
        stamp="decided_at",
        decided_by=actor,
    )


@transaction.atomic
def deposit_decision_reject(
    *, actor: Any, decision: DepositDecision, reason: str
) -> DepositDecision:
    decision = locked(DepositDecision, decision.pk, "reject", actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    return save_transition(
        decision,
        actor=actor,
        reason=f"Deposit decision {decision.reference} for account "
        f"{decision.account.number} rejected",
        status=DecisionStatus.REJECTED,
        stamp="decided_at",
        decided_by=actor,
        rejection_reason=reason.strip()[:255],
    )
