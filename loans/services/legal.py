"""Legal collection: referral to the City Attorney, the judgment that
follows and its satisfaction; placement with a collection agency and its
recall. Each referral, judgment and placement is also recorded in the loan's
collection history (loans.services.collections)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from loans.choices import ActionChannel, ActionType, LoanStatus
from loans.models import AgencyPlacement, AttorneyReferral, Judgment, Loan
from loans.models.recovery import (
    can_place_with_agency,
    can_record_judgment,
    can_refer_to_attorney,
)
from loans.services.collections import collection_action_record
from loans.services.payments import payoff_quote
from loans.services.writeoffs import recovery_position
from portal.audit import audit_context
from portal.checks import future_problem
from portal.money import format_money, parse_money
from portal.transitions import TransitionRefused, locked, save_transition

REQUIRED = "This is required."
JUDGMENT_BEFORE_REFERRAL = (
    "The judgment date can't be before the referral to the City Attorney on {day}."
)
CASE_TAKEN = "{court} already has a judgment recorded as case {case}."
SATISFIED_BEFORE_JUDGMENT = (
    "The satisfaction can't be dated before the judgment ({day})."
)
NOT_POSITIVE = "{what} must be more than $0.00."
RECALL_BEFORE_PLACEMENT = "The recall can't be dated before the placement ({day})."
BEFORE_DISBURSEMENT = "{what} can't be before the loan was disbursed ({day})."


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _refuse_unless(verdict: Any) -> None:
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")


def _lock(loan: Loan) -> Loan:
    return Loan.objects.select_for_update(of=("self",)).get(pk=loan.pk)


def _required(errors: dict[str, str], **values: str) -> None:
    for name, value in values.items():
        if not (value or "").strip():
            errors[name] = REQUIRED


def _dated(errors: dict[str, str], name: str, day: date, what: str, loan: Loan) -> None:
    if problem := future_problem(day, what):
        errors[name] = problem
    elif loan.disbursed_on and day < loan.disbursed_on:
        errors[name] = BEFORE_DISBURSEMENT.format(
            what=what, day=_day(loan.disbursed_on)
        )


def _amount(errors: dict[str, str], name: str, value: Any, what: str) -> Decimal:
    try:
        amount = parse_money(value)
    except (ValueError, ArithmeticError) as error:
        errors[name] = str(error)
        return Decimal("0.00")
    if amount <= 0:
        errors[name] = NOT_POSITIVE.format(what=what)
    return amount


def loan_balance_on(loan: Loan, day: date) -> Decimal:
    """The balance an agency or court is told about: for a written-off loan
    what was written off and not yet recovered, otherwise the payoff."""
    if loan.status == LoanStatus.WRITTEN_OFF:
        return recovery_position(loan).recoverable
    total: Decimal = payoff_quote(loan, day).total
    return total


@transaction.atomic
def attorney_referral_record(
    *,
    actor: Any,
    loan: Loan,
    referred_on: date,
    attorney: str,
    office: str = "",
    note: str = "",
) -> AttorneyReferral:
    loan = _lock(loan)
    _refuse_unless(can_refer_to_attorney(loan, actor))
    errors: dict[str, str] = {}
    _required(errors, attorney=attorney)
    _dated(errors, "referred_on", referred_on, "The referral date", loan)
    if errors:
        raise ValidationError(errors)
    with audit_context(
        user=actor, reason=f"Loan {loan.number} referred to {attorney.strip()}"
    ):
        referral = AttorneyReferral.objects.create(
            loan=loan,
            referred_on=referred_on,
            attorney=attorney.strip(),
            office=office.strip(),
            note=note,
            by=actor,
        )
    collection_action_record(
        actor=actor,
        loan=loan,
        type=ActionType.ATTORNEY_REFERRAL,
        on=referred_on,
        channel=ActionChannel.MAIL,
        outcome=f"Referred to {referral.attorney}"
        + (f", {referral.office}" if referral.office else ""),
        note=note,
    )
    return referral


@transaction.atomic
def judgment_record(
    *,
    actor: Any,
    loan: Loan,
    case_number: str,
    court: str,
    amount: Decimal | str,
    judgment_on: date,
    note: str = "",
) -> Judgment:
    """A judgment on the loan's latest referral to the City Attorney."""
    loan = _lock(loan)
    _refuse_unless(can_record_judgment(loan, actor))
    referral = loan.attorney_referrals.order_by("-referred_on", "-pk").first()
    assert referral is not None  # can_record_judgment requires one
    errors: dict[str, str] = {}
    _required(errors, case_number=case_number, court=court)
    value = _amount(errors, "amount", amount, "The judgment amount")
    if problem := future_problem(judgment_on, "The judgment date"):
        errors["judgment_on"] = problem
    elif judgment_on < referral.referred_on:
        errors["judgment_on"] = JUDGMENT_BEFORE_REFERRAL.format(
            day=_day(referral.referred_on)
        )
    if (
        "case_number" not in errors
        and "court" not in errors
        and Judgment.objects.filter(
            court__iexact=court.strip(), case_number__iexact=case_number.strip()
        ).exists()
    ):
        errors["case_number"] = CASE_TAKEN.format(
            court=court.strip(), case=case_number.strip()
        )
    if errors:
        raise ValidationError(errors)
    with audit_context(
        user=actor,
        reason=f"Judgment {case_number.strip()} recorded on loan {loan.number}",
    ):
        judgment = Judgment.objects.create(
            loan=loan,
            referral=referral,
            case_number=case_number.strip(),
            court=court.strip(),
            amount=value,
            judgment_on=judgment_on,
            note=note,
            by=actor,
        )
    collection_action_record(
        actor=actor,
        loan=loan,
        type=ActionType.JUDGMENT,
        on=judgment_on,
        channel=ActionChannel.IN_PERSON,
        outcome=f"Judgment for {format_money(value)} in {judgment.court}, "
        f"case {judgment.case_number}",
        note=note,
    )
    return judgment


@transaction.atomic
def judgment_satisfy(
    *, actor: Any, judgment: Judgment, satisfied_on: date, amount: Decimal | str
) -> Judgment:
    """Record that the judgment was satisfied (paid, or settled for less)."""
    judgment = locked(Judgment, judgment.pk, "satisfy", actor)
    errors: dict[str, str] = {}
    value = _amount(errors, "amount", amount, "The amount satisfied")
    if problem := future_problem(satisfied_on, "The satisfaction date"):
        errors["satisfied_on"] = problem
    elif satisfied_on < judgment.judgment_on:
        errors["satisfied_on"] = SATISFIED_BEFORE_JUDGMENT.format(
            day=_day(judgment.judgment_on)
        )
    if errors:
        raise ValidationError(errors)
    return save_transition(
        judgment,
        actor=actor,
        reason=f"Judgment {judgment.case_number} satisfied",
        satisfied_on=satisfied_on,
        satisfied_amount=value,
    )


@transaction.atomic
def agency_placement_record(
    *, actor: Any, loan: Loan, agency: str, placed_on: date, note: str = ""
) -> AgencyPlacement:
    """Place the loan with a collection agency; the balance placed is the
    loan's balance on the placement date (loan_balance_on)."""
    loan = _lock(loan)
    _refuse_unless(can_place_with_agency(loan, actor))
    errors: dict[str, str] = {}
    _required(errors, agency=agency)
    _dated(errors, "placed_on", placed_on, "The placement date", loan)
    if errors:
        raise ValidationError(errors)
    balance = loan_balance_on(loan, placed_on)
    with audit_context(
        user=actor, reason=f"Loan {loan.number} placed with {agency.strip()}"
    ):
        placement = AgencyPlacement.objects.create(
            loan=loan,
            agency=agency.strip(),
            placed_on=placed_on,
            balance_placed=balance,
            note=note,
            by=actor,
        )
    collection_action_record(
        actor=actor,
        loan=loan,
        type=ActionType.AGENCY_REFERRAL,
        on=placed_on,
        channel=ActionChannel.MAIL,
        outcome=f"Placed with {placement.agency}: {format_money(balance)}",
        note=note,
    )
    return placement


@transaction.atomic
def agency_placement_recall(
    *, actor: Any, placement: AgencyPlacement, recalled_on: date, reason: str
) -> AgencyPlacement:
    placement = locked(AgencyPlacement, placement.pk, "recall", actor)
    errors: dict[str, str] = {}
    _required(errors, reason=reason)
    if problem := future_problem(recalled_on, "The recall date"):
        errors["recalled_on"] = problem
    elif recalled_on < placement.placed_on:
        errors["recalled_on"] = RECALL_BEFORE_PLACEMENT.format(
            day=_day(placement.placed_on)
        )
    if errors:
        raise ValidationError(errors)
    return save_transition(
        placement,
        actor=actor,
        reason=f"Placement with {placement.agency} recalled",
        recalled_on=recalled_on,
        recall_reason=reason.strip()[:255],
        recalled_by=actor,
    )
