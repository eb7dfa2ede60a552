"""Security deposit instruments: taking them, allocating them to accounts,
and their lifecycle (renew, release, refund, apply to a final bill, redeem).

Every refusal is a ValidationError keyed by the API's field names, so the
API, the forms and the tests see the same keys:

- "face_amount", "effective_on", "expires_on", "instrument_type",
- "allocations" (the total exceeds the face amount, or none were given),
- "allocations.<i>.account" / "allocations.<i>.amount" (one allocation),
- "new_expires_on", "account", "amount", "proceeds",
  "early_redemption_penalty", the date of the action.

Expiry rule: a letter of credit, a certificate of deposit and a surety bond
run for a stated term, so they need `expires_on`; cash may have none, and
indemnity, blanket and utility bonds may be open-ended (their expiry is
optional). Whatever has an expiry cannot expire before it is effective.

The allocations of an instrument never add up to more than its face amount;
every change to them is judged under a lock on the instrument's row, so two
clerks allocating at once are checked one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liens.choices import EXPIRING_TYPES, InstrumentStatus, InstrumentType
from liens.models import (
    DepositAllocation,
    DepositApplication,
    DepositInstrument,
    DepositPolicy,
    DepositRedemption,
)
from portal.audit import audit_context
from portal.choices import AccountStatus
from portal.models import Customer, Document, UtilityAccount
from portal.money import MoneyError, cents, format_money, parse_money, sum_money, usd
from portal.transitions import check, locked, save_transition

PERMISSION = "liens.manage_deposit"

FACE_NOT_POSITIVE = "The face amount must be more than $0.00."
EXPIRY_REQUIRED = "A {kind} runs for a term; give the date it expires."
EXPIRES_BEFORE_EFFECTIVE = (
    "The expiry date ({expires}) is before the effective date ({effective})."
)
NO_ALLOCATIONS = "Allocate the deposit to at least one account."
UNKNOWN_ACCOUNT = "There is no account {number}."
DUPLICATE_ACCOUNT = "Account {number} is listed twice; give it one allocation."
ALLOCATION_NOT_POSITIVE = "The amount allocated must be more than $0.00."
OVER_FACE = "The allocations add up to {total}, more than the face amount of {face}."
NOT_ALLOCATED = "{instrument} does not secure account {number}."
RENEW_NOT_LATER = "The new expiry date must be after the current one, {current}."
BEFORE_EFFECTIVE = "The date can't be before the deposit took effect on {day}."
IN_FUTURE = "The date can't be in the future (today is {today})."
NOT_FINAL_BILLED = "Account {number} has not been final billed."
OVER_ALLOCATION = (
    "{amount} is more than the {allocated} this deposit holds for account {number}."
)
AMOUNT_NOT_POSITIVE = "The amount must be more than $0.00."
PROCEEDS_NOT_POSITIVE = "The proceeds must be more than $0.00."
PENALTY_OVER_PROCEEDS = (
    "The penalty ({penalty}) can't be more than the proceeds ({proceeds})."
)


def checked_amount(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    """Money given to a service as Decimal, Money or text, checked here too,
    so a command or a form is held to the same rules as the API."""
    raw = getattr(value, "amount", value)
    try:
        amount = parse_money(raw if raw is not None else "")
    except MoneyError as error:
        raise ValidationError({field: [str(error)]}) from None
    if amount <= 0 and not allow_zero:
        raise ValidationError({field: [AMOUNT_NOT_POSITIVE]})
    return amount


def _day(day: date | None, instrument: DepositInstrument, field: str) -> date:
    day = day or timezone.localdate()
    today = timezone.localdate()
    if day > today:
        raise ValidationError({field: [IN_FUTURE.format(today=in_words(today))]})
    if day < instrument.effective_on:
        raise ValidationError(
            {field: [BEFORE_EFFECTIVE.format(day=in_words(instrument.effective_on))]}
        )
    return day


def in_words(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def resolve_account(value: Any) -> UtilityAccount | None:
    if isinstance(value, UtilityAccount):
        return value
    return UtilityAccount.objects.filter(number=str(value).strip()).first()


def allocated_total(instrument: DepositInstrument) -> Decimal:
    return sum_money(instrument.allocations.all(), "amount")


def _check_dates(
    instrument_type: str, effective_on: date, expires_on: date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if instrument_type in EXPIRING_TYPES and expires_on is None:
        kind = InstrumentType(instrument_type).label.lower()
        errors["expires_on"] = [EXPIRY_REQUIRED.format(kind=kind)]
    elif expires_on is not None and expires_on < effective_on:
        errors["expires_on"] = [
            EXPIRES_BEFORE_EFFECTIVE.format(
                expires=in_words(expires_on), effective=in_words(effective_on)
            )
        ]
    return errors


@transaction.atomic
def deposit_create(
    *,
    actor: Any,
    instrument_type: str,
    issuer: str = "",
    instrument_number: str = "",
    face_amount: Any,
    effective_on: date,
    expires_on: date | None,
    allocations: Sequence[tuple[Any, Any]] = (),
    holder: Customer | None = None,
    documents: Iterable[Document] = (),
) -> DepositInstrument:
    """Take a deposit instrument and allocate it to the accounts it secures.
    Nothing is stored unless every part is valid; all problems are reported
    at once, each on its field."""
    blank = DepositInstrument(instrument_type=instrument_type)
    check(blank, "allocate", actor)  # the permission; a new instrument is held
    errors: dict[str, list[str]] = {}
    if instrument_type not in InstrumentType.values:
        errors["instrument_type"] = [f"{instrument_type!r} is not a kind of deposit."]
    face: Decimal | None = None
    try:
        face = checked_amount(face_amount, "face_amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    errors.update(_check_dates(instrument_type, effective_on, expires_on))

    resolved: list[tuple[UtilityAccount, Decimal]] = []
    if not allocations:
        errors["allocations"] = [NO_ALLOCATIONS]
    seen: set[int] = set()
    for index, (account_ref, amount_ref) in enumerate(allocations):
        account = resolve_account(account_ref)
        if account is None:
            errors[f"allocations.{index}.account"] = [
                UNKNOWN_ACCOUNT.format(number=account_ref)
            ]
        elif account.pk in seen:
            errors[f"allocations.{index}.account"] = [
                DUPLICATE_ACCOUNT.format(number=account.number)
            ]
        try:
            amount = checked_amount(amount_ref, f"allocations.{index}.amount")
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if account is not None and account.pk not in seen:
            seen.add(account.pk)
            resolved.append((account, amount))
    total = cents(sum((amount for _, amount in resolved), Decimal(0)))
    if face is not None and total > face:
        errors.setdefault("allocations", []).append(
            OVER_FACE.format(total=format_money(total), face=format_money(face))
        )
    if errors:
        raise ValidationError(errors)
    assert face is not None

    with audit_context(user=actor, reason="Deposit taken"):
        instrument = DepositInstrument.objects.create(
            instrument_type=instrument_type,
            issuer=issuer.strip(),
            instrument_number=instrument_number.strip(),
            face_amount=usd(face),
            effective_on=effective_on,
            expires_on=expires_on,
            holder=holder,
            created_by=actor,
        )
        docs = list(documents)
        if docs:
            instrument.documents.add(*docs)
        for account, amount in resolved:
            DepositAllocation.objects.create(
                instrument=instrument, account=account, amount=usd(amount)
            )
    return instrument


def _over_face(instrument: DepositInstrument, total: Decimal) -> None:
    face = instrument.face_amount.amount
    if total > face:
        raise ValidationError(
            {
                "amount": [
                    OVER_FACE.format(total=format_money(total), face=format_money(face))
                ]
            }
        )


@transaction.atomic
def deposit_allocate(
    *, actor: Any, instrument: DepositInstrument, account: Any, amount: Any
) -> DepositAllocation:
    """Add an account to what the instrument secures."""
    instrument = locked(DepositInstrument, instrument.pk, "allocate", actor)
    found = resolve_account(account)
    if found is None:
        raise ValidationError({"account": [UNKNOWN_ACCOUNT.format(number=account)]})
    if instrument.allocations.filter(account=found).exists():
        raise ValidationError(
            {
                "account": [
                    f"{instrument} already secures account {found.number}; "
                    "change its allocation instead."
                ]
            }
        )
    value = checked_amount(amount, "amount")
    _over_face(instrument, allocated_total(instrument) + value)
    with audit_context(user=actor, reason=f"Allocated to account {found.number}"):
        return DepositAllocation.objects.create(
            instrument=instrument, account=found, amount=usd(value)
        )


@transaction.atomic
def deposit_change_allocation(
    *, actor: Any, instrument: DepositInstrument, account: Any, amount: Any
) -> DepositAllocation:
    """Change the share an account already has of the instrument."""
    instrument = locked(DepositInstrument, instrument.pk, "allocate", actor)
    found = resolve_account(account)
    allocation = (
        instrument.allocations.select_for_update().filter(account=found).first()
        if found is not None
        else None
    )
    if allocation is None:
        raise ValidationError(
            {"account": [NOT_ALLOCATED.format(instrument=instrument, number=account)]}
        )
    value = checked_amount(amount, "amount")
    others = sum_money(instrument.allocations.exclude(pk=allocation.pk), "amount")
    _over_face(instrument, others + value)
    allocation.amount = usd(value)
    with audit_context(
        user=actor, reason=f"Allocation to {allocation.account.number} changed"
    ):
        allocation.save()
    return allocation


@transaction.atomic
def deposit_renew(
    *, actor: Any, instrument: DepositInstrument, new_expires_on: date
) -> DepositInstrument:
    """Extend the same instrument to a later expiry; its history keeps the old one."""
    instrument = locked(DepositInstrument, instrument.pk, "renew", actor)
    assert instrument.expires_on is not None  # can_renew says so
    if new_expires_on <= instrument.expires_on:
        raise ValidationError(
            {
                "new_expires_on": [
                    RENEW_NOT_LATER.format(current=in_words(instrument.expires_on))
                ]
            }
        )
    old = instrument.expires_on
    return save_transition(
        instrument,
        actor=actor,
        reason=f"Renewed: expiry {old:%Y-%m-%d} → {new_expires_on:%Y-%m-%d}",
        stamp="renewed_on",
        expires_on=new_expires_on,
    )


@transaction.atomic
def deposit_release(
    *, actor: Any, instrument: DepositInstrument, released_on: date | None = None
) -> DepositInstrument:
    """Return a bond, letter of credit or CD to whoever gave it."""
    instrument = locked(DepositInstrument, instrument.pk, "release", actor)
    day = _day(released_on, instrument, "released_on")
    return save_transition(
        instrument,
        actor=actor,
        reason="Instrument returned",
        status=InstrumentStatus.RELEASED,
        released_on=day,
    )


def refund_interest(instrument: DepositInstrument, on: date) -> Decimal:
    """Simple interest on what is refunded, days actual/365, half up to the cent."""
    policy = DepositPolicy.current()
    if not policy.pays_interest:
        return Decimal("0.00")
    days = (on - instrument.effective_on).days
    principal = refundable(instrument)
    return cents(principal * policy.annual_rate * days / Decimal(36500))


def refundable(instrument: DepositInstrument) -> Decimal:
    """The cash still held: the face amount less what went to final bills."""
    applied = sum_money(instrument.applications.all(), "amount")
    return cents(instrument.face_amount.amount - applied)


@transaction.atomic
def deposit_refund(
    *, actor: Any, instrument: DepositInstrument, refunded_on: date | None = None
) -> DepositInstrument:
    """Refund a cash deposit with the ordinance's interest (DepositPolicy)."""
    instrument = locked(DepositInstrument, instrument.pk, "refund", actor)
    day = _day(refunded_on, instrument, "refunded_on")
    interest = refund_interest(instrument, day)
    return save_transition(
        instrument,
        actor=actor,
        reason=(
            f"Refunded {format_money(refundable(instrument))} "
            f"with {format_money(interest)} interest"
        ),
        status=InstrumentStatus.REFUNDED,
        refunded_on=day,
        refund_interest=usd(interest),
    )


@transaction.atomic
def deposit_apply_to_final_bill(
    *,
    actor: Any,
    instrument: DepositInstrument,
    account: Any,
    amount: Any,
    applied_on: date | None = None,
) -> DepositApplication:
    """Apply the account's share of the deposit to its final bill. The
    account's allocation shrinks by the amount; when nothing is left
    allocated, the instrument has been applied in full."""
    instrument = locked(DepositInstrument, instrument.pk, "apply_to_final_bill", actor)
    found = resolve_account(account)
    allocation = (
        instrument.allocations.select_for_update().filter(account=found).first()
        if found is not None
        else None
    )
    if found is None or allocation is None:
        raise ValidationError(
            {"account": [NOT_ALLOCATED.format(instrument=instrument, number=account)]}
        )
    if found.status != AccountStatus.FINAL_BILLED:
        raise ValidationError(
            {"account": [NOT_FINAL_BILLED.format(number=found.number)]}
        )
    value = checked_amount(amount, "amount")
    if value > allocation.amount.amount:
        raise ValidationError(
            {
                "amount": [
                    OVER_ALLOCATION.format(
                        amount=format_money(value),
                        allocated=format_money(allocation.amount.amount),
                        number=found.number,
                    )
                ]
            }
        )
    day = _day(applied_on, instrument, "applied_on")
    reason = f"Applied {format_money(value)} to the final bill of {found.number}"
    with audit_context(user=actor, reason=reason):
        application = DepositApplication.objects.create(
            instrument=instrument,
            account=found,
            amount=usd(value),
            applied_on=day,
            recorded_by=actor,
        )
        left = cents(allocation.amount.amount - value)
        if left > 0:
            allocation.amount = usd(left)
            allocation.save()
        else:
            allocation.delete()
    done = not instrument.allocations.exists()
    save_transition(
        instrument,
        actor=actor,
        reason=reason,
        status=InstrumentStatus.APPLIED if done else None,
        applied_on=day,
    )
    return application


@transaction.atomic
def deposit_redeem(
    *,
    actor: Any,
    instrument: DepositInstrument,
    redeemed_on: date,
    proceeds: Any,
    early_redemption_penalty: Any,
) -> DepositRedemption:
    """Cash in a certificate of deposit or a utility bond: proceeds less the
    early-redemption penalty is the net, posted as a DepositRedemption."""
    instrument = locked(DepositInstrument, instrument.pk, "redeem", actor)
    day = _day(redeemed_on, instrument, "redeemed_on")
    gross = checked_amount(proceeds, "proceeds")
    penalty = checked_amount(
        early_redemption_penalty, "early_redemption_penalty", allow_zero=True
    )
    if penalty > gross:
        raise ValidationError(
            {
                "early_redemption_penalty": [
                    PENALTY_OVER_PROCEEDS.format(
                        penalty=format_money(penalty), proceeds=format_money(gross)
                    )
                ]
            }
        )
    net = cents(gross - penalty)
    reason = f"Redeemed: {format_money(gross)} less {format_money(penalty)} penalty"
    with audit_context(user=actor, reason=reason):
        redemption = DepositRedemption.objects.create(
            instrument=instrument,
            redeemed_on=day,
            proceeds=usd(gross),
            early_redemption_penalty=usd(penalty),
            net=usd(net),
            posted_by=actor,
        )
    save_transition(
        instrument,
        actor=actor,
        reason=reason,
        status=InstrumentStatus.REDEEMED,
        redeemed_on=day,
    )
    return redemption
