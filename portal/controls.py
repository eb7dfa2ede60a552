"""The four-eyes check every approval workflow calls.

An approval (loan, rebate, subordination, write-off, report filing, adjustment)
must be made by someone other than its preparer, and only within the
approver's limit for that kind of decision (ApprovalLimit, per role).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from djmoney.money import Money

from portal.choices import ApprovalAction
from portal.models import ApprovalLimit
from portal.transitions import SAME_PERSON

NO_AUTHORITY = "{approver} has no authority to approve a {action}."
OVER_LIMIT = "{amount} is above {approver}'s approval limit of {limit} for a {action}."


def approval_limit_for(user: Any, action: str) -> Money | None:
    """The highest limit any of the user's roles has for the action, or None."""
    if not user or not user.is_active:
        return None
    limits = ApprovalLimit.objects.filter(action=action, group__user=user)
    amounts = [limit.max_amount for limit in limits]
    return max(amounts, key=lambda m: m.amount) if amounts else None


def _as_money(amount: Money | Decimal | None) -> Money | None:
    if amount is None or isinstance(amount, Money):
        return amount
    return Money(amount, "USD")


def four_eyes_check(
    *,
    action: str,
    preparer: Any,
    approver: Any,
    amount: Money | Decimal | None = None,
) -> Money:
    """Raise ValidationError (code on each message) unless `approver` may approve
    what `preparer` prepared; return the approver's limit that allowed it.
    `amount` is None for decisions with no amount."""
    label = ApprovalAction(action).label.lower()
    name = approver.get_full_name() or approver.get_username()
    if preparer is not None and approver.pk == preparer.pk:
        raise ValidationError(SAME_PERSON, code="same_person")
    limit = approval_limit_for(approver, action)
    if limit is None:
        raise ValidationError(
            NO_AUTHORITY.format(approver=name, action=label), code="no_authority"
        )
    money = _as_money(amount)
    if money is not None and money.amount > limit.amount:
        raise ValidationError(
            OVER_LIMIT.format(amount=money, approver=name, limit=limit, action=label),
            code="over_limit",
        )
    return limit
