"""Collection actions: the one way a letter, call, visit, promise to pay,
referral or other step taken on a loan gets into its collection history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from loans.choices import ActionChannel, ActionType, PromiseStatus
from loans.models import CollectionAction, Loan
from portal.audit import audit_context
from portal.checks import future_problem
from portal.transitions import has_perm

PROMISE_NEEDS_BOTH = "A promise to pay needs both the amount and the date."
PROMISE_ONLY_ON_PROMISE = "Only a promise to pay has a promised amount and date."
PROMISE_NOT_POSITIVE = "The promised amount must be more than $0.00."
PROMISE_BEFORE_ACTION = "The promised date can't be before the day of the promise."


def collection_action_record(
    *,
    actor: Any,
    loan: Loan,
    type: str,
    on: date,
    channel: str,
    outcome: str = "",
    note: str = "",
    promise_amount: Decimal | None = None,
    promise_date: date | None = None,
) -> CollectionAction:
    """Record one action taken to collect `loan` on day `on` by `actor`."""
    verdict = has_perm(
        actor, "loans.record_collection_action", doing="record collection actions"
    )
    if not verdict:
        raise ValidationError(verdict.reason)
    errors: dict[str, str] = {}
    if type not in ActionType.values:
        errors["type"] = f"{type!r} is not a kind of collection action."
    if channel not in ActionChannel.values:
        errors["channel"] = f"{channel!r} is not a channel."
    if problem := future_problem(on, "The action's date"):
        errors["date"] = problem
    is_promise = type == ActionType.PROMISE_TO_PAY
    if is_promise and (promise_amount is None or promise_date is None):
        errors["promise_amount"] = PROMISE_NEEDS_BOTH
    elif not is_promise and (promise_amount is not None or promise_date is not None):
        errors["promise_amount"] = PROMISE_ONLY_ON_PROMISE
    elif promise_amount is not None and promise_amount <= 0:
        errors["promise_amount"] = PROMISE_NOT_POSITIVE
    elif promise_date is not None and promise_date < on:
        errors["promise_date"] = PROMISE_BEFORE_ACTION
    if errors:
        raise ValidationError(errors)
    with (
        transaction.atomic(),
        audit_context(
            user=actor,
            reason=f"{ActionType(type).label} recorded on loan {loan.number}",
        ),
    ):
        return CollectionAction.objects.create(
            loan=loan,
            type=type,
            date=on,
            channel=channel,
            outcome=outcome,
            note=note,
            by=actor,
            promise_amount=promise_amount,
            promise_date=promise_date,
            promise_status=PromiseStatus.OPEN if is_promise else "",
        )
