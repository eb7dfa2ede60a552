"""Claims against the insurer, surety or bank behind a bond: file, write,
negotiate, settle, record what is recovered, close; or deny.

The amount claimed is at most the share of the instrument that secured the
account; a settlement at most the amount claimed; recoveries in total at most
the settlement. Each step is a locked, recorded transition (the predicates
are on DepositClaim and DepositInstrument.can_file_claim).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liens.choices import ClaimStatus, CorrespondenceDirection
from liens.models import ClaimCorrespondence, DepositClaim, DepositInstrument
from liens.services.deposits import checked_amount, in_words, resolve_account
from portal.audit import audit_context
from portal.models import Document
from portal.money import cents, format_money, usd
from portal.transitions import locked, save_transition

NOT_SECURED = "{instrument} does not secure account {number}."
OVER_ALLOCATION = (
    "{amount} is more than the {allocated} the bond holds for account {number}."
)
OVER_CLAIM = (
    "The settlement ({amount}) can't be more than the amount claimed ({claimed})."
)
OVER_SETTLEMENT = (
    "{amount} would recover more than the settlement: {settled} was agreed and "
    "{recovered} is already recovered, so at most {left} can be recorded."
)
IN_FUTURE = "The date can't be in the future (today is {today})."
SUMMARY_REQUIRED = "Summarise the letter, e-mail or call."
REASON_REQUIRED = "Say why the insurer or surety denied the claim."


def _today_or(day: date | None, field: str) -> date:
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError(
            {field: [IN_FUTURE.format(today=in_words(timezone.localdate()))]}
        )
    return day


@transaction.atomic
def claim_file(
    *,
    actor: Any,
    instrument: DepositInstrument,
    account: Any,
    amount_claimed: Any,
    filed_on: date | None = None,
) -> DepositClaim:
    instrument = locked(DepositInstrument, instrument.pk, "file_claim", actor)
    found = resolve_account(account)
    allocation = instrument.allocations.filter(account=found).first() if found else None
    if found is None or allocation is None:
        raise ValidationError(
            {"account": [NOT_SECURED.format(instrument=instrument, number=account)]}
        )
    amount = checked_amount(amount_claimed, "amount_claimed")
    if amount > allocation.amount.amount:
        raise ValidationError(
            {
                "amount_claimed": [
                    OVER_ALLOCATION.format(
                        amount=format_money(amount),
                        allocated=format_money(allocation.amount.amount),
                        number=found.number,
                    )
                ]
            }
        )
    day = _today_or(filed_on, "filed_on")
    with audit_context(user=actor, reason=f"Claim filed for {format_money(amount)}"):
        return DepositClaim.objects.create(
            instrument=instrument,
            account=found,
            amount_claimed=usd(amount),
            filed_on=day,
            created_by=actor,
        )


@transaction.atomic
def claim_add_correspondence(
    *,
    actor: Any,
    claim: DepositClaim,
    on: date,
    direction: str,
    summary: str,
    document: Document | None = None,
) -> ClaimCorrespondence:
    claim = locked(DepositClaim, claim.pk, "add_correspondence", actor)
    errors: dict[str, list[str]] = {}
    if direction not in CorrespondenceDirection.values:
        errors["direction"] = ["Say whether it was received or sent."]
    if not summary.strip():
        errors["summary"] = [SUMMARY_REQUIRED]
    if on > timezone.localdate():
        errors["on"] = [IN_FUTURE.format(today=in_words(timezone.localdate()))]
    if errors:
        raise ValidationError(errors)
    with audit_context(user=actor, reason="Claim correspondence recorded"):
        return ClaimCorrespondence.objects.create(
            claim=claim,
            on=on,
            direction=direction,
            summary=summary.strip(),
            document=document,
            recorded_by=actor,
        )


@transaction.atomic
def claim_negotiate(
    *, actor: Any, claim: DepositClaim, on: date | None = None
) -> DepositClaim:
    claim = locked(DepositClaim, claim.pk, "negotiate", actor)
    return save_transition(
        claim,
        actor=actor,
        reason="Negotiation with the insurer or surety opened",
        status=ClaimStatus.IN_NEGOTIATION,
        negotiation_started_on=_today_or(on, "on"),
    )


@transaction.atomic
def claim_settle(
    *,
    actor: Any,
    claim: DepositClaim,
    settlement_amount: Any,
    on: date | None = None,
) -> DepositClaim:
    claim = locked(DepositClaim, claim.pk, "settle", actor)
    amount = checked_amount(settlement_amount, "settlement_amount")
    if amount > claim.amount_claimed.amount:
        raise ValidationError(
            {
                "settlement_amount": [
                    OVER_CLAIM.format(
                        amount=format_money(amount),
                        claimed=format_money(claim.amount_claimed.amount),
                    )
                ]
            }
        )
    return save_transition(
        claim,
        actor=actor,
        reason=f"Settled for {format_money(amount)}",
        status=ClaimStatus.SETTLED,
        settled_on=_today_or(on, "on"),
        settlement_amount=usd(amount),
    )


@transaction.atomic
def claim_record_recovery(
    *, actor: Any, claim: DepositClaim, amount: Any, on: date | None = None
) -> DepositClaim:
    claim = locked(DepositClaim, claim.pk, "record_recovery", actor)
    value = checked_amount(amount, "amount")
    assert claim.settlement_amount is not None  # settled, per the predicate
    settled = claim.settlement_amount.amount
    recovered = claim.amount_recovered.amount
    left = cents(settled - recovered)
    if value > left:
        raise ValidationError(
            {
                "amount": [
                    OVER_SETTLEMENT.format(
                        amount=format_money(value),
                        settled=format_money(settled),
                        recovered=format_money(recovered),
                        left=format_money(left),
                    )
                ]
            }
        )
    return save_transition(
        claim,
        actor=actor,
        reason=f"Recovered {format_money(value)}",
        amount_recovered=usd(cents(recovered + value)),
        last_recovered_on=_today_or(on, "on"),
    )


@transaction.atomic
def claim_close(
    *, actor: Any, claim: DepositClaim, on: date | None = None
) -> DepositClaim:
    claim = locked(DepositClaim, claim.pk, "close", actor)
    return save_transition(
        claim,
        actor=actor,
        reason="Claim closed",
        status=ClaimStatus.CLOSED,
        closed_on=_today_or(on, "on"),
    )


@transaction.atomic
def claim_deny(
    *, actor: Any, claim: DepositClaim, reason: str, on: date | None = None
) -> DepositClaim:
    claim = locked(DepositClaim, claim.pk, "deny", actor)
    if not reason.strip():
        raise ValidationError({"reason": [REASON_REQUIRED]})
    return save_transition(
        claim,
        actor=actor,
        reason=f"Claim denied: {reason.strip()}",
        status=ClaimStatus.DENIED,
        denied_on=_today_or(on, "on"),
        denial_reason=reason.strip(),
    )
