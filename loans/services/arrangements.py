"""Payment arrangements: proposed by staff, approved within the approver's
limit (the preparer alone only within their own; four-eyes above it),
cancelled; kept or broken is judged by collections_day
(loans.services.collections)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from loans.choices import OPEN_ARRANGEMENT_STATUSES, ActionType, ArrangementStatus
from loans.ladder import spread
from loans.models import (
    ArrangementPayment,
    Installment,
    Loan,
    PaymentArrangement,
)
from loans.schedule import due_date
from loans.selectors_collections import past_due_amount
from loans.services.collections import collection_action_record
from portal.audit import audit_context, bulk_create_audited
from portal.checks import text_problem
from portal.choices import ApprovalAction
from portal.controls import four_eyes_check
from portal.money import ZERO, format_money
from portal.transitions import has_perm, locked, save_transition

MAX_MONTHS = 24
NOT_PAST_DUE = "Loan {number} is not past due; an arrangement is for a delinquent loan."
LOAN_NOT_OPEN = "Loan {number} is {status}; arrangements are made on open loans."
ALREADY_ONE = (
    "Loan {number} already has arrangement {reference} ({status}); cancel it "
    "before proposing another."
)
MONTHS_RANGE = f"Spread the past-due amount over 1 to {MAX_MONTHS} months."
FIRST_DATE_PAST = "The first payment date can't be before today."
FIRST_DATE_TOO_LATE = "The first payment date must be within 62 days of today."
TOO_SMALL = "{amount} can't be spread over {months} months of at least $0.01 each."
CANCEL_NEEDS_REASON = "Say why the arrangement is cancelled."


def arrangement_schedule(
    loan: Loan, *, agreed_on: date, first_due_date: date, amount: Decimal, months: int
) -> list[ArrangementPayment]:
    """The arrangement's months (unsaved rows): on each date, the loan's own
    installments falling due since the previous date (what is still unpaid
    of them) plus this month's part of the past-due amount."""
    parts = spread(amount, months)
    dates = [due_date(first_due_date, k) for k in range(1, months + 1)]
    installments = list(
        Installment.objects.filter(
            loan=loan, due_date__gte=agreed_on, due_date__lte=dates[-1]
        ).order_by("due_date")
    )
    rows = []
    since = agreed_on - timedelta(days=1)
    for number, (day, part) in enumerate(zip(dates, parts, strict=True), start=1):
        regular = sum(
            (
                i.amount - i.principal_paid - i.interest_paid
                for i in installments
                if since < i.due_date <= day
            ),
            ZERO,
        )
        rows.append(
            ArrangementPayment(
                number=number,
                due_date=day,
                regular_amount=regular,
                catch_up_amount=part,
            )
        )
        since = day
    return rows


@transaction.atomic
def arrangement_propose(
    *,
    actor: Any,
    loan: Loan,
    months: int,
    first_due_date: date,
    channel: str,
    note: str = "",
) -> PaymentArrangement:
    """Propose spreading the loan's past-due amount (as of today) over
    `months` months from `first_due_date`, and record the collection action
    (type "arrangement") of the conversation it came from."""
    verdict = has_perm(
        actor, "loans.propose_arrangement", doing="propose payment arrangements"
    )
    if not verdict:
        raise ValidationError(verdict.reason)
    today = timezone.localdate()
    # The loan row is the lock: two proposals for one loan queue up here.
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if not loan.is_open():
        raise ValidationError(
            LOAN_NOT_OPEN.format(
                number=loan.number, status=loan.get_status_display().lower()
            )
        )
    if loan.oldest_unpaid_due is None or loan.oldest_unpaid_due >= today:
        raise ValidationError(NOT_PAST_DUE.format(number=loan.number))
    existing = PaymentArrangement.objects.filter(
        loan=loan, status__in=OPEN_ARRANGEMENT_STATUSES
    ).first()
    if existing is not None:
        raise ValidationError(
            ALREADY_ONE.format(
                number=loan.number,
                reference=existing.reference,
                status=existing.get_status_display().lower(),
            )
        )
    errors: dict[str, str] = {}
    amount = past_due_amount(loan, today)
    if not 1 <= months <= MAX_MONTHS:
        errors["months"] = MONTHS_RANGE
    elif amount < Decimal(months) / 100:
        errors["months"] = TOO_SMALL.format(amount=format_money(amount), months=months)
    if first_due_date < today:
        errors["first_due_date"] = FIRST_DATE_PAST
    elif first_due_date > today + timedelta(days=62):
        errors["first_due_date"] = FIRST_DATE_TOO_LATE
    if problem := text_problem(note):
        errors["note"] = problem
    if errors:
        raise ValidationError(errors)
    action = collection_action_record(
        actor=actor,
        loan=loan,
        type=ActionType.ARRANGEMENT,
        on=today,
        channel=channel,
        outcome=f"Arrangement proposed: {format_money(amount)} past due over "
        f"{months} month{'s' if months != 1 else ''}",
        note=note,
    )
    with audit_context(
        user=actor, reason=f"Payment arrangement proposed on loan {loan.number}"
    ):
        arrangement = PaymentArrangement.objects.create(
            loan=loan,
            past_due_amount=amount,
            months=months,
            agreed_on=today,
            first_due_date=first_due_date,
            note=note,
            action=action,
            proposed_by=actor,
        )
        rows = arrangement_schedule(
            loan,
            agreed_on=today,
            first_due_date=first_due_date,
            amount=amount,
            months=months,
        )
        for row in rows:
            row.arrangement = arrangement
        bulk_create_audited(ArrangementPayment, rows)
    return arrangement


@transaction.atomic
def arrangement_approve(
    *, actor: Any, arrangement: PaymentArrangement
) -> PaymentArrangement:
    """Approve: the predicate judges role, state, date and the preparer's
    own limit; a second person is judged by four_eyes_check on the amount."""
    arrangement = locked(PaymentArrangement, arrangement.pk, "approve", actor)
    if actor.pk != arrangement.proposed_by_id:
        four_eyes_check(
            action=ApprovalAction.ARRANGEMENT,
            preparer=arrangement.proposed_by,
            approver=actor,
            amount=arrangement.past_due_amount,
        )
    return save_transition(
        arrangement,
        actor=actor,
        reason=f"Arrangement {arrangement.reference} approved",
        status=ArrangementStatus.ACTIVE,
        stamp="approved_at",
        approved_by=actor,
    )


@transaction.atomic
def arrangement_cancel(
    *, actor: Any, arrangement: PaymentArrangement, reason: str
) -> PaymentArrangement:
    arrangement = locked(PaymentArrangement, arrangement.pk, "cancel", actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": CANCEL_NEEDS_REASON})
    if problem := text_problem(reason):
        raise ValidationError({"reason": problem})
    return save_transition(
        arrangement,
        actor=actor,
        reason=f"Arrangement {arrangement.reference} cancelled: {reason}"[:100],
        status=ArrangementStatus.CANCELLED,
        stamp="cancelled_at",
        cancelled_by=actor,
        cancel_reason=reason[:255],
    )
