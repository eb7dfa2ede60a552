"""Loan arithmetic: amortization, payment allocation, delinquency and payoff.

Pure functions over small frozen dataclasses; no Django, no I/O, so the rules
can be tested exhaustively and reused by models, views and reports alike.

Conventions:
- Money is ``Decimal`` rounded ROUND_HALF_UP to the cent; floats are refused.
- ``annual_rate`` is a nominal annual percentage (``Decimal("5")`` is 5 %).
- Installment numbers are 1-based; installment k of a loan is always due on
  ``due_date(first_due_date, k)``, where ``first_due_date`` is the due date of
  installment 1, so the day of month never drifts after a short month.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from portal.money import CENT, ZERO, cents, parse_money

__all__ = [
    "CENT",
    "DPD_BUCKETS",
    "ZERO",
    "Allocation",
    "AllocationLine",
    "InstallmentState",
    "PayoffQuote",
    "ScheduledInstallment",
    "allocate_payment",
    "amortize",
    "apply_payment",
    "days_past_due",
    "dpd_bucket",
    "due_date",
    "installment_amount",
    "installment_states",
    "money",
    "outstanding_principal",
    "parse_money",
    "payoff_quote",
    "reamortize",
]


# 34 significant digits (IEEE decimal128) keeps (1 + r) ** -n far more precise
# than a cent for any realistic principal and term; rounding happens only where
# the rules say, never as a side effect of the caller's global context.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP)

# Rate is a percentage per year; dividing by 1200 gives the monthly fraction.
_MONTHLY_RATE_DIVISOR = Decimal(1200)
# Actual/365 accrual: percentage per year spread over 365 days.
_DAILY_RATE_DIVISOR = Decimal(36500)

# The product's one delinquency bucket table: label -> (lowest DPD, highest
# DPD or None for open-ended). Aging, the loan list filter and the reports
# all read it.
DPD_BUCKETS: dict[str, tuple[int, int | None]] = {
    "current": (0, 0),
    "1-30": (1, 30),
    "31-60": (31, 60),
    "61-90": (61, 90),
    "91-120": (91, 120),
    "121+": (121, None),
}


# Money: one rounding rule and one parser for the whole product (portal.money)
money = cents


def _require_cents(value: Decimal, name: str) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}.")
    # Fast path (this runs for every installment on every payment): a finite
    # value with at most two decimal places is already whole cents.
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return
    if not value.is_finite() or value != money(value):
        raise ValueError(f"{name} must be a whole number of cents, got {value}.")


def _require_rate(annual_rate: Decimal) -> None:
    if not isinstance(annual_rate, Decimal):
        raise TypeError(
            f"annual_rate must be a Decimal percentage, not "
            f"{type(annual_rate).__name__}."
        )
    if not annual_rate.is_finite() or annual_rate < 0:
        raise ValueError(
            f"annual_rate must be a non-negative percentage, got {annual_rate}."
        )


def _monthly_interest(balance: Decimal, annual_rate: Decimal) -> Decimal:
    # balance * rate is exact; dividing last means an exact half cent stays
    # exact and rounds up, instead of drifting through a truncated r.
    with localcontext(_CONTEXT):
        return money(balance * annual_rate / _MONTHLY_RATE_DIVISOR)


# --------------------------------------------------------------------------
# Schedule
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScheduledInstallment:
    """One row of an amortization schedule (amount = principal + interest)."""

    number: int
    due_date: date
    amount: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal


def installment_amount(
    principal: Decimal, annual_rate: Decimal, term_months: int
) -> Decimal:
    """Level monthly installment A = round(P·r / (1 − (1 + r)^−n)), r = rate/1200.

    For a 0 % rate the formula divides by zero, so A = round(P / n).
    """
    _require_cents(principal, "principal")
    _require_rate(annual_rate)
    if principal <= 0:
        raise ValueError(f"principal must be positive, got {principal}.")
    if term_months < 1:
        raise ValueError(f"term_months must be at least 1, got {term_months}.")
    with localcontext(_CONTEXT):
        if annual_rate == 0:
            return money(principal / term_months)
        r = annual_rate / _MONTHLY_RATE_DIVISOR
        return money(principal * r / (1 - (1 + r) ** -term_months))


def due_date(first_due_date: date, k: int) -> date:
    """Due date of installment k (1-based), same day as installment 1.

    Clamped to the month's last day, and always derived from first_due_date so
    Jan 31 gives Feb 28 and then Mar 31, not Mar 28.
    """
    if k < 1:
        raise ValueError(f"Installment numbers start at 1, got {k}.")
    month_index = first_due_date.month - 1 + (k - 1)
    year = first_due_date.year + month_index // 12
    month = month_index % 12 + 1
    day = min(first_due_date.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def amortize(
    principal: Decimal,
    annual_rate: Decimal,
    term_months: int,
    first_due_date: date,
) -> list[ScheduledInstallment]:
    """Level-payment monthly schedule; the last row takes the remaining balance."""
    amount = installment_amount(principal, annual_rate, term_months)
    return _build_rows(
        balance=principal,
        annual_rate=annual_rate,
        amount=amount,
        first_number=1,
        first_due_date=first_due_date,
        max_rows=term_months,
    )


def reamortize(
    balance: Decimal,
    annual_rate: Decimal,
    installment_amount: Decimal,
    first_number: int,
    loan_first_due_date: date,
) -> list[ScheduledInstallment]:
    """Remaining rows after a prepayment: same amount A, as many rows as needed.

    ``first_number`` is the number of the first not-yet-due installment and
    ``loan_first_due_date`` is the due date of installment 1 of the loan (not of
    ``first_number``), so due dates keep the loan's original day of month.
    Returns no rows for a zero balance.
    """
    _require_cents(balance, "balance")
    _require_cents(installment_amount, "installment_amount")
    _require_rate(annual_rate)
    if balance < 0:
        raise ValueError(f"balance must not be negative, got {balance}.")
    if first_number < 1:
        raise ValueError(f"Installment numbers start at 1, got {first_number}.")
    if balance == 0:
        return []
    # Without this the balance would never fall and the loop would not end.
    if installment_amount <= _monthly_interest(balance, annual_rate):
        raise ValueError(
            f"An installment of {installment_amount} does not cover the monthly "
            f"interest on {balance}; the loan would never be repaid."
        )
    return _build_rows(
        balance=balance,
        annual_rate=annual_rate,
        amount=installment_amount,
        first_number=first_number,
        first_due_date=loan_first_due_date,
        max_rows=None,
    )


def _build_rows(
    *,
    balance: Decimal,
    annual_rate: Decimal,
    amount: Decimal,
    first_number: int,
    first_due_date: date,
    max_rows: int | None,
) -> list[ScheduledInstallment]:
    rows: list[ScheduledInstallment] = []
    # Callers may pass 100 for 100.00; every amount on a schedule shows cents.
    balance = money(balance)
    number = first_number
    while balance > 0:
        interest = _monthly_interest(balance, annual_rate)
        principal = amount - interest
        is_last_allowed = max_rows is not None and len(rows) + 1 == max_rows
        # The last row clears the balance; also stop early if cent rounding
        # ever lets a level payment reach the balance, so it never goes negative.
        if is_last_allowed or principal >= balance:
            principal = balance
        balance -= principal
        rows.append(
            ScheduledInstallment(
                number=number,
                due_date=due_date(first_due_date, number),
                amount=principal + interest,
                principal=principal,
                interest=interest,
                balance_after=balance,
            )
        )
        number += 1
    return rows


# --------------------------------------------------------------------------
# Payments
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstallmentState:
    """What one installment asks for and what has been paid against it."""

    number: int
    due_date: date
    principal_due: Decimal
    interest_due: Decimal
    principal_paid: Decimal = ZERO
    interest_paid: Decimal = ZERO

    def __post_init__(self) -> None:
        # Checked once, when a state is made, so the functions below can trust
        # every state they are given without re-checking it on each call.
        _check_state(self)

    @property
    def principal_outstanding(self) -> Decimal:
        return self.principal_due - self.principal_paid

    @property
    def interest_outstanding(self) -> Decimal:
        return self.interest_due - self.interest_paid

    @property
    def is_paid(self) -> bool:
        return self.principal_outstanding <= 0 and self.interest_outstanding <= 0


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """Money from one payment applied to one due installment."""

    number: int
    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal


@dataclass(frozen=True, slots=True)
class Allocation:
    """How one payment was split. Every cent received is in exactly one field:

    amount == fees + interest + principal + prepayment_principal + unapplied.
    ``interest``/``principal`` are the totals of ``lines`` (due installments);
    ``prepayment_principal`` reduces not-yet-due principal and triggers a
    re-amortization; ``unapplied`` is beyond the whole debt (caller refunds).
    """

    amount: Decimal
    received_on: date
    lines: tuple[AllocationLine, ...]
    fees: Decimal
    interest: Decimal
    principal: Decimal
    prepayment_principal: Decimal
    unapplied: Decimal

    @property
    def applied(self) -> Decimal:
        return self.fees + self.interest + self.principal + self.prepayment_principal


def installment_states(
    schedule: Iterable[ScheduledInstallment],
) -> list[InstallmentState]:
    """Fresh, unpaid states for a schedule (e.g. right after disbursement)."""
    return [
        InstallmentState(
            number=row.number,
            due_date=row.due_date,
            principal_due=row.principal,
            interest_due=row.interest,
        )
        for row in schedule
    ]


def outstanding_principal(installments: Iterable[InstallmentState]) -> Decimal:
    """Principal still owed over all installments, due or not."""
    return sum((s.principal_outstanding for s in installments), ZERO)


def allocate_payment(
    amount: Decimal,
    received_on: date,
    installments: Sequence[InstallmentState],
    unpaid_fees: Decimal = ZERO,
) -> Allocation:
    """Split a payment: fees, then each due installment oldest first (its
    interest, then its principal), then prepayment of not-yet-due principal,
    then whatever exceeds the whole debt is unapplied.

    An installment is due when its due date is on or before ``received_on``.
    Nothing is paid toward interest of installments not yet due: a prepayment
    reduces principal and the re-amortized schedule recomputes that interest.
    """
    _require_cents(amount, "amount")
    _require_cents(unpaid_fees, "unpaid_fees")
    if amount <= 0:
        raise ValueError(f"A payment must be positive, got {amount}.")
    if unpaid_fees < 0:
        raise ValueError(f"unpaid_fees must not be negative, got {unpaid_fees}.")
    amount, unpaid_fees = money(amount), money(unpaid_fees)

    remaining = amount
    fees = min(remaining, unpaid_fees)
    remaining -= fees

    lines: list[AllocationLine] = []
    due = [s for s in installments if s.due_date <= received_on]
    for state in sorted(due, key=lambda s: (s.due_date, s.number)):
        if remaining == 0:
            break
        interest = min(remaining, state.interest_outstanding)
        remaining -= interest
        principal = min(remaining, state.principal_outstanding)
        remaining -= principal
        if interest or principal:
            lines.append(AllocationLine(state.number, interest, principal))

    not_yet_due = [s for s in installments if s.due_date > received_on]
    prepayment = min(remaining, outstanding_principal(not_yet_due))
    remaining -= prepayment

    return Allocation(
        amount=amount,
        received_on=received_on,
        lines=tuple(lines),
        fees=fees,
        interest=sum((line.interest for line in lines), ZERO),
        principal=sum((line.principal for line in lines), ZERO),
        prepayment_principal=prepayment,
        unapplied=remaining,
    )


def apply_payment(
    installments: Sequence[InstallmentState],
    allocation: Allocation,
    annual_rate: Decimal,
    installment_amount: Decimal,
    loan_first_due_date: date,
) -> list[InstallmentState]:
    """New installment states after an allocation (inputs are not modified).

    Due installments get the paid amounts from ``allocation.lines``. If there
    was a prepayment, the not-yet-due installments are replaced by a
    re-amortization of the reduced principal at the same installment amount,
    starting at the first not-yet-due number: fewer rows, same A. Fees are
    loan-level and are the caller's to reduce by ``allocation.fees``.
    """
    paid = {line.number: line for line in allocation.lines}
    received_on = allocation.received_on

    updated: list[InstallmentState] = []
    for state in installments:
        line = paid.get(state.number)
        if line is None:
            updated.append(state)
            continue
        if state.due_date > received_on:
            raise ValueError(
                f"Installment {state.number} was not due on {received_on}; "
                "this allocation was not made from these installments."
            )
        updated.append(
            replace(
                state,
                interest_paid=state.interest_paid + line.interest,
                principal_paid=state.principal_paid + line.principal,
            )
        )
        if (
            updated[-1].principal_outstanding < 0
            or updated[-1].interest_outstanding < 0
        ):
            raise ValueError(
                f"Allocation overpays installment {state.number}; "
                "it was not made from these installments."
            )

    if allocation.prepayment_principal == 0:
        return updated

    due = [s for s in updated if s.due_date <= received_on]
    not_yet_due = [s for s in updated if s.due_date > received_on]
    if any(s.interest_paid for s in not_yet_due):
        # Re-amortizing would recompute and so lose interest paid in advance.
        raise ValueError("Cannot re-amortize installments with interest paid ahead.")
    balance = outstanding_principal(not_yet_due) - allocation.prepayment_principal
    if balance < 0:
        raise ValueError(
            "Prepayment exceeds the principal not yet due; "
            "this allocation was not made from these installments."
        )
    first_number = min(s.number for s in not_yet_due)
    rows = reamortize(
        balance, annual_rate, installment_amount, first_number, loan_first_due_date
    )
    return due + installment_states(rows)


def _check_state(s: InstallmentState) -> None:
    for name in ("principal_due", "interest_due", "principal_paid", "interest_paid"):
        _require_cents(getattr(s, name), f"installment {s.number} {name}")
    if s.principal_outstanding < 0 or s.interest_outstanding < 0:
        raise ValueError(f"Installment {s.number} is paid more than is due.")
    if s.principal_paid < 0 or s.interest_paid < 0:
        raise ValueError(f"Installment {s.number} has a negative payment.")


# --------------------------------------------------------------------------
# Delinquency
# --------------------------------------------------------------------------


def days_past_due(installments: Iterable[InstallmentState], as_of: date) -> int:
    """as_of − due date of the oldest installment not fully paid; 0 if it is
    not yet past due (due on as_of counts as current). Fees do not count."""
    unpaid = [s.due_date for s in installments if not s.is_paid]
    if not unpaid:
        return 0
    return max((as_of - min(unpaid)).days, 0)


def dpd_bucket(dpd: int) -> str:
    """Reporting bucket: current, 1-30, 31-60, 61-90, 91-120, 121+."""
    if dpd < 0:
        raise ValueError(f"Days past due cannot be negative, got {dpd}.")
    for label, (_low, high) in DPD_BUCKETS.items():
        if high is None or dpd <= high:
            return label
    raise AssertionError("the last bucket is open-ended")  # pragma: no cover


# --------------------------------------------------------------------------
# Payoff
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PayoffQuote:
    """Amount that settles the loan in full on ``as_of``.

    ``interest`` is unpaid interest of installments due on or before as_of plus
    interest accrued since the last due date; total = principal + interest + fees.
    """

    as_of: date
    principal: Decimal
    interest: Decimal
    fees: Decimal
    total: Decimal


def payoff_quote(
    installments: Sequence[InstallmentState],
    as_of: date,
    annual_rate: Decimal,
    start_date: date,
    unpaid_fees: Decimal = ZERO,
) -> PayoffQuote:
    """Payoff as of a date, accruing actual/365 on outstanding principal.

    Accrual runs from the latest due date on or before ``as_of`` or, if no
    installment is due yet, from ``start_date`` (disbursement).
    """
    _require_rate(annual_rate)
    _require_cents(unpaid_fees, "unpaid_fees")
    if unpaid_fees < 0:
        raise ValueError(f"unpaid_fees must not be negative, got {unpaid_fees}.")
    if as_of < start_date:
        raise ValueError(f"Cannot quote a payoff on {as_of}, before the loan starts.")
    unpaid_fees = money(unpaid_fees)

    principal = money(outstanding_principal(installments))
    due = [s for s in installments if s.due_date <= as_of]
    due_interest = sum((s.interest_outstanding for s in due), ZERO)
    accrue_from = max((s.due_date for s in due), default=start_date)
    days = (as_of - accrue_from).days
    with localcontext(_CONTEXT):
        # Multiply first, divide last, so an exact half cent rounds up exactly.
        accrued = money(principal * annual_rate * days / _DAILY_RATE_DIVISOR)
    interest = due_interest + accrued
    return PayoffQuote(
        as_of=as_of,
        principal=principal,
        interest=interest,
        fees=unpaid_fees,
        total=principal + interest + unpaid_fees,
    )
