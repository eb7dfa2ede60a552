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
the rule's answer, tested so), judges them in chunks from one unlocked read
each (`loans_owing_late_fees`), then handles each loan that owes a fee in its
own short transaction: lock the loan row, re-read its payments and fees,
charge, re-allocate (`engine.sync`, when a payment was received since the
fee's date), commit. It never holds more than one loan's lock,
so a cashier posting to any loan waits for one loan's work at most; call it
outside a transaction, or the per-loan commits become savepoints. Two
overlapping runs cannot double-charge: the second sees the first's fees once it
holds the lock, and the constraint `one_late_fee_per_installment` refuses a
second late fee for an installment in any case (that loan then counts 0).
A reversed (waived) late fee is not charged again.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from loans import engine
from loans import schedule as arithmetic
from loans.choices import OPEN_LOAN_STATUSES, EntryKind, FeeKind, PaymentStatus
from loans.models import LedgerEntry, Loan, Payment
from loans.schedule import InstallmentState
from portal.audit import audit_context, bulk_create_audited

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
    candidates = late_fee_candidates(as_of, since=since)
    with audit_context(user=actor, reason=reason):
        for start in range(0, len(candidates), PREJUDGE_CHUNK):
            chunk = candidates[start : start + PREJUDGE_CHUNK]
            for loan_id in loans_owing_late_fees(chunk, as_of):
                charged, fee = _assess_loan(loan_id, as_of, actor, reason)
                count += charged
                amount += charged * fee
    return count, amount


# Loans judged per read in loans_owing_late_fees: three queries per chunk.
PREJUDGE_CHUNK = 500


def loans_owing_late_fees(loan_ids: Sequence[int], as_of: date) -> list[int]:
    """Of these loans, those that owe a late fee not charged yet, judged
    from one unlocked read of their payments and fees (three queries
    whatever the number of loans), in id order.

    Only these are then locked and judged again under the lock: locking
    every candidate made each one a write transaction and a commit, and on a
    first run (thousands of candidates, a few hundred owing) those commits
    were most of the job's time. A payment or reversal committed after this
    read posts ledger entries after the run started, so the next run looks
    at that loan again (late_fee_candidates' `since`); nothing is missed."""
    loans = (
        Loan.objects.filter(pk__in=loan_ids, status__in=OPEN, product__late_fee__gt=0)
        .select_related("product")
        .order_by("pk")
    )
    charged = _charged_by_loan(loan_ids)
    # engine._payment_facts for many loans: posted payments (recoveries only
    # exist on written-off loans, which are not open).
    payments: dict[int, list[engine.PaymentFact]] = defaultdict(list)
    rows = Payment.objects.filter(
        loan_id__in=loan_ids, status=PaymentStatus.POSTED
    ).values_list("loan_id", "pk", "amount", "received_on")
    for loan_id, pk, paid, received_on in rows:
        payments[loan_id].append(engine.PaymentFact(pk, paid, received_on))
    owing = []
    for loan in loans:
        done = charged.get(loan.pk, set())
        late = late_installments(
            loan,
            payments[loan.pk],
            grace_days=loan.product.late_fee_grace_days,
            as_of=as_of,
        )
        if any(s.number not in done for s in late):
            owing.append(loan.pk)
    return owing


def late_installments(
    loan: Loan,
    payments: Sequence[engine.PaymentFact],
    *,
    grace_days: int,
    as_of: date,
) -> list[InstallmentState]:
    """The installments late under the rule whose grace period ended before
    `as_of` (charged already or not), each as it stood at its grace end.

    One pass of a fee-free walk (the engine's replay with no fees): installment
    k is judged after the payments received by its own grace end, and grace
    ends come in installment order."""
    grace = timedelta(days=grace_days)
    walk = FeeFreeWalk(loan)
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
        state = walk.state(number)
        if state is None:
            # Paid off, or re-amortized to fewer rows, before it fell due:
            # there is no installment `number` and none after it.
            break
        if not state.is_paid:
            late.append(state)
        number += 1
    return late


class FeeFreeWalk:
    """engine.Walk with no fees: each payment goes through engine.apply_one's
    steps (payoff, else schedule.allocate_payment and apply_payment), with the
    same results, at a fraction of the cost; the first run over a portfolio
    judges thousands of loans, and the walk was most of its time.

    Two shortcuts, neither changing an answer: an installment paid in full
    and due leaves the list the arithmetic runs over (nothing changes it any
    more: allocation skips a paid installment and a re-amortization replaces
    only those not yet due); and the payoff is quoted only when the payment
    reaches the principal outstanding (a payoff is never less)."""

    def __init__(self, loan: Loan) -> None:
        self.loan = loan
        self.states = arithmetic.installment_states(engine.original_schedule(loan))
        self.done: dict[int, InstallmentState] = {}
        self.last_done: InstallmentState | None = None
        # The principal outstanding over the list (the paid ones owe none),
        # kept as payments are applied instead of summed for each payment.
        self.principal = arithmetic.outstanding_principal(self.states)
        # As engine.Walk: a schedule with nothing to pay is settled at once.
        self.settled = (
            bool(self.states)
            and all(s.is_paid for s in self.states)
            and arithmetic.outstanding_principal(self.states) == 0
        )

    def state(self, number: int) -> InstallmentState | None:
        found = self.done.get(number)
        if found is not None:
            return found
        return next((s for s in self.states if s.number == number), None)

    def take(self, amount: Decimal, received_on: date) -> None:
        if self.settled or not amount:
            return  # apply_one: all of it unapplied
        loan = self.loan
        if amount >= self.principal:
            # The paid installments left out still date the interest accrual.
            quoted = (
                self.states
                if self.last_done is None
                else [
                    self.last_done,
                    *self.states,
                ]
            )
            start = min(loan.disbursed_on or loan.first_due_date, received_on)
            payoff = arithmetic.payoff_quote(
                quoted, received_on, loan.annual_rate, start
            )
            if amount >= payoff.total:
                # apply_one's payoff: every due installment paid, none after.
                self.states = [
                    replace(
                        s, principal_paid=s.principal_due, interest_paid=s.interest_due
                    )
                    for s in self.states
                    if s.due_date <= received_on
                ]
                self.settled = True
                self.principal = ZERO_FEE  # nothing left
                self._set_aside(received_on)
                return
        allocation = arithmetic.allocate_payment(amount, received_on, self.states)
        self.states = arithmetic.apply_payment(
            self.states,
            allocation,
            loan.annual_rate,
            loan.installment_amount,
            loan.first_due_date,
        )
        if allocation.prepayment_principal:
            # Re-amortized: the rows not yet due are new.
            self.principal = arithmetic.outstanding_principal(self.states)
        else:
            self.principal -= allocation.principal
        # apply_one's test, cheapest first: the first unpaid one ends all().
        self.settled = all(s.is_paid for s in self.states) and self.principal == 0
        self._set_aside(received_on)

    def _set_aside(self, received_on: date) -> None:
        """Move the paid installments due by now out of the working list.
        Paid in full they are the list's head (allocation pays the oldest
        first)."""
        states = self.states
        k = 0
        while k < len(states) and states[k].due_date <= received_on:
            if not states[k].is_paid:
                break
            self.done[states[k].number] = self.last_done = states[k]
            k += 1
        if k:
            self.states = states[k:]


def _charged_by_loan(loan_ids: Sequence[int]) -> dict[int, set[int]]:
    """Loan id -> its installments that already have a late fee (a waived
    one included). One query."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = LedgerEntry.objects.filter(
        loan_id__in=loan_ids, kind=EntryKind.FEE_ASSESSED, fee_kind=FeeKind.LATE
    ).values_list("loan_id", "installment_number")
    for loan_id, number in rows:
        if number is not None:
            found[loan_id].add(number)
    return found


def _charged_installments(loan: Loan) -> set[int]:
    """Installments that already have a late fee (a waived one included)."""
    return _charged_by_loan([loan.pk]).get(loan.pk, set())


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
            payments = engine._payment_facts(loan)  # the payments that count
            late = [
                s
                for s in late_installments(
                    loan,
                    payments,
                    grace_days=product.late_fee_grace_days,
                    as_of=as_of,
                )
                if s.number not in charged
            ]
            if not late:
                return 0, ZERO_FEE
            grace = timedelta(days=product.late_fee_grace_days)
            fees = [
                LedgerEntry(
                    loan=loan,
                    kind=EntryKind.FEE_ASSESSED,
                    fee_kind=FeeKind.LATE,
                    installment_number=s.number,
                    amount=product.late_fee.amount,
                    effective_on=s.due_date + grace + timedelta(days=1),
                    posted_by=actor,
                    memo=f"Late fee, installment {s.number} due {s.due_date}",
                )
                for s in late
            ]
            numbers.extend(s.number for s in late)
            with audit_context(user=actor, reason=reason):
                bulk_create_audited(LedgerEntry, fees)
            # Payments received since a fee's date now pay it first. A fee
            # changes only the allocation of payments received on or after
            # its date (engine.FeeQueue), so with none there is nothing to
            # re-allocate and the full replay is skipped (most late loans).
            first_fee_on = min(fee.effective_on for fee in fees)
            if any(p.received_on >= first_fee_on for p in payments):
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
