"""Late fees: one fee per installment paid late, judged on the installment alone.

The rule. An installment's timeliness is judged on its own amount; unpaid fees
wait outside the test. An installment is late when, replaying the loan's
payments WITHOUT any fees (each payment goes to interest and principal only,
oldest installment first, a prepayment re-amortizing exactly as in the engine),
it is not fully paid by the end of its grace period: payments received on or
before due date + the product's late_fee_grace_days count. A late installment
is charged the product's late fee once, effective the day after its grace
period ends, by the first run whose as-of date is past that grace period.

So one late payment never makes the following on-time installments late
(no pyramiding, FTC Credit Practices Rule, 16 CFR 444.4), even though in the
ledger a payment still pays unpaid fees first. Because the answer depends only
on the payments received by each grace end, a catch-up run for a date charges
exactly what daily runs up to that date would have, and a re-run charges
nothing. (A payment posted after a fee was charged but back-dated into the
grace period does not take the fee back; that is a waiver, by reversal.)

Running it: daily (`manage.py assess_late_fees`, or `assess_late_fees_task`).
It picks the candidate loans without locking, set-based (only the loans that
can owe a new fee: loans.aging_selectors.late_fee_candidates, a superset of
the rule's answer, tested so), then handles each loan in its own
short transaction: lock the loan row, re-read its payments and fees, charge,
re-allocate (`engine.sync`), commit. It never holds more than one loan's lock,
so a cashier posting to any loan waits for one loan's work at most; call it
outside a transaction, or the per-loan commits become savepoints. Two
overlapping runs cannot double-charge: the second sees the first's fees once it
holds the lock, and the constraint `one_late_fee_per_installment` refuses a
second late fee for an installment in any case (that loan then counts 0).
A reversed (waived) late fee is not charged again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from loans import engine
from loans import schedule as arithmetic
from loans.choices import OPEN_LOAN_STATUSES, EntryKind, FeeKind
from loans.models import LedgerEntry, Loan
from loans.schedule import InstallmentState
from portal.audit import audit_context

OPEN = OPEN_LOAN_STATUSES
ZERO_FEE = Decimal("0.00")


def late_fees_assess(*, actor: Any, as_of: date) -> int:
    """Charge every late fee due on or before `as_of`; return how many."""
    return late_fees_assess_totals(actor=actor, as_of=as_of)[0]


def late_fees_assess_totals(
    *, actor: Any, as_of: date, since: tuple[date, datetime] | None = None
) -> tuple[int, Decimal]:
    """Charge every late fee due on or before `as_of`; how many and how much.

    Only the loans that can owe a new fee are read and locked
    (`late_fee_candidates`, set-based): on a portfolio charged daily, the
    loans that became late since the last run, not every open loan. `since`
    narrows it to what changed after the last finished run (the nightly job
    passes it; see late_fee_candidates)."""
    from loans.aging_selectors import late_fee_candidates

    reason = f"Late fees assessed as of {as_of}"
    count, amount = 0, Decimal("0.00")
    with audit_context(user=actor, reason=reason):
        for loan_id in late_fee_candidates(as_of, since=since):
            charged, fee = _assess_loan(loan_id, as_of, actor, reason)
            count += charged
            amount += charged * fee
    return count, amount


def late_installments(
    loan: Loan,
    payments: Sequence[engine.PaymentFact],
    *,
    grace_days: int,
    as_of: date,
) -> list[InstallmentState]:
    """The installments late under the rule whose grace period ended before
    `as_of` (charged already or not), each as it stood at its grace end.

    One pass of the engine's Walk with no fees: installment k is judged after
    the payments received by its own grace end, and grace ends come in
    installment order."""
    grace = timedelta(days=grace_days)
    walk = engine.Walk(
        loan,
        arithmetic.installment_states(engine.original_schedule(loan)),
        engine.FeeQueue([]),
    )
    # The order engine.replay() applies payments in.
    pending = deque(sorted(payments, key=lambda p: (p.received_on, p.id)))
    late: list[InstallmentState] = []
    number = 1
    while True:
        grace_end = arithmetic.due_date(loan.first_due_date, number) + grace
        if grace_end >= as_of:
            break
        while pending and pending[0].received_on <= grace_end:
            payment = pending.popleft()
            walk.take(payment.amount, payment.received_on)
        state = next((s for s in walk.states if s.number == number), None)
        if state is None:
            # Paid off, or re-amortized to fewer rows, before it fell due:
            # there is no installment `number` and none after it.
            break
        if not state.is_paid:
            late.append(state)
        number += 1
    return late


def _charged_installments(loan: Loan) -> set[int]:
    """Installments that already have a late fee (a waived one included)."""
    numbers = LedgerEntry.objects.filter(
        loan=loan, kind=EntryKind.FEE_ASSESSED, fee_kind=FeeKind.LATE
    ).values_list("installment_number", flat=True)
    return {number for number in numbers if number is not None}


def _assess_loan(
    loan_id: int, as_of: date, actor: Any, reason: str
) -> tuple[int, Decimal]:
    """Charge one loan's late fees under its lock: (how many, the fee)."""
    numbers: list[int] = []
    try:
        with transaction.atomic():
            # Lock the loan row only (of=self): a plain FOR UPDATE would lock
            # the joined product row too, queueing every loan of the product.
            loan = (
                Loan.objects.select_for_update(of=("self",))
                .select_related("product")
                .filter(pk=loan_id)
                .first()
            )
            if loan is None or loan.status not in OPEN:
                return 0, ZERO_FEE
            product = loan.product
            if product.late_fee.amount <= 0:
                return 0, ZERO_FEE
            # Read after the lock: a run that charged this loan meanwhile has
            # committed, and its fees are seen here.
            charged = _charged_installments(loan)
            late = [
                s
                for s in late_installments(
                    loan,
                    engine._payment_facts(loan),  # the payments that count
                    grace_days=product.late_fee_grace_days,
                    as_of=as_of,
                )
                if s.number not in charged
            ]
            if not late:
                return 0, ZERO_FEE
            grace = timedelta(days=product.late_fee_grace_days)
            for s in late:
                numbers.append(s.number)
                LedgerEntry.objects.create(
                    loan=loan,
                    kind=EntryKind.FEE_ASSESSED,
                    fee_kind=FeeKind.LATE,
                    installment_number=s.number,
                    amount=product.late_fee.amount,
                    effective_on=s.due_date + grace + timedelta(days=1),
                    posted_by=actor,
                    memo=f"Late fee, installment {s.number} due {s.due_date}",
                )
            # Payments received since a fee's date now pay it first.
            engine.sync(loan, actor=actor, effective_on=as_of, reason=reason)
            return len(late), product.late_fee.amount
    except IntegrityError:
        # Another run, not holding the lock, charged one of these fees first
        # (one_late_fee_per_installment): this loan's work is rolled back.
        if LedgerEntry.objects.filter(
            loan_id=loan_id,
            kind=EntryKind.FEE_ASSESSED,
            fee_kind=FeeKind.LATE,
            installment_number__in=numbers,
            reverses__isnull=True,
        ).exists():
            return 0, ZERO_FEE
        raise
