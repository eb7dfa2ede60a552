"""The loan ledger engine: where a loan stands is a replay of its facts.

Facts are the loan's terms, the fees assessed (ledger FEE_ASSESSED entries)
and the payments received (not reversed). `replay()` runs them in date order
through the pure arithmetic of loans.schedule, giving each payment's
allocation and the current schedule. `sync()` then makes the stored records
equal to that replay:

- the ledger is append-only: a payment whose allocation is new gets entries;
  one whose allocation changed (a reversal or a back-dated payment before it)
  gets reversing entries for the old lines and new entries for the new ones;
- the Installment rows, a cache of the schedule and what was paid on it, are
  rewritten where they differ (re-amortization after a prepayment);
- the loan's status follows: paid off when nothing is owed.

Callers hold a row lock on the loan (`select_for_update`) around `sync()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import django.dispatch
from django.db import transaction
from django.utils import timezone

from loans import schedule as arithmetic
from loans.choices import EntryKind, FeeKind, LoanStatus, PaymentStatus
from loans.models import Installment, LedgerEntry, Loan, Payment
from loans.schedule import ZERO, InstallmentState
from portal.audit import audit_context, bulk_create_audited, bulk_update_audited

# Sent once when a loan becomes paid off; the liens work issues the satisfaction.
loan_paid_off = django.dispatch.Signal()  # kwargs: loan, paid_off_on, actor

ALLOCATION_KINDS = (
    EntryKind.FEE_PAID,
    EntryKind.INTEREST_PAID,
    EntryKind.PRINCIPAL_PAID,
    EntryKind.PREPAYMENT,
    EntryKind.UNAPPLIED,
)

# (kind, installment number or None) -> amount
AllocationKey = tuple[str, int | None]


@dataclass(frozen=True)
class FeeFact:
    entry_id: int
    amount: Decimal
    effective_on: date
    installment_number: int | None
    fee_kind: str


@dataclass(frozen=True)
class PaymentFact:
    id: int
    amount: Decimal
    received_on: date


@dataclass
class Replay:
    """Where the loan stands after the facts up to `as_of`."""

    states: list[InstallmentState]
    allocations: dict[int, dict[AllocationKey, Decimal]]
    unpaid_fees: Decimal
    fees_paid_by_installment: dict[int | None, Decimal]
    paid_off_on: date | None
    fees: list[tuple[FeeFact, Decimal]] = field(default_factory=list)

    @property
    def principal_outstanding(self) -> Decimal:
        return arithmetic.outstanding_principal(self.states)

    def interest_due(self, as_of: date) -> Decimal:
        return sum(
            (s.interest_outstanding for s in self.states if s.due_date <= as_of), ZERO
        )

    def days_past_due(self, as_of: date) -> int:
        return arithmetic.days_past_due(self.states, as_of)

    def next_due_date(self) -> date | None:
        unpaid = [s.due_date for s in self.states if not s.is_paid]
        return min(unpaid) if unpaid else None

    def maturity_date(self, loan: Loan) -> date:
        if self.states:
            return max(s.due_date for s in self.states)
        return arithmetic.due_date(loan.first_due_date, loan.term_months)


def original_schedule(loan: Loan) -> list[arithmetic.ScheduledInstallment]:
    return arithmetic.amortize(
        loan.principal, loan.annual_rate, loan.term_months, loan.first_due_date
    )


def _add(
    bucket: dict[AllocationKey, Decimal], key: AllocationKey, amount: Decimal
) -> None:
    if amount:
        bucket[key] = bucket.get(key, ZERO) + amount


def replay(
    loan: Loan,
    payments: Sequence[PaymentFact],
    fees: Sequence[FeeFact],
    as_of: date | None = None,
) -> Replay:
    """Apply fees and payments (received on or before `as_of`) in date order."""
    states = arithmetic.installment_states(original_schedule(loan))
    pending_fees = sorted(fees, key=lambda f: (f.effective_on, f.entry_id))
    open_fees: list[list[Any]] = []  # [fee, remaining], oldest first
    allocations: dict[int, dict[AllocationKey, Decimal]] = {}
    fees_paid: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    paid_off_on: date | None = None
    start = loan.disbursed_on or loan.first_due_date

    def assess_until(day: date) -> None:
        while pending_fees and pending_fees[0].effective_on <= day:
            fee = pending_fees.pop(0)
            open_fees.append([fee, fee.amount])

    for payment in sorted(payments, key=lambda p: (p.received_on, p.id)):
        if as_of is not None and payment.received_on > as_of:
            break
        assess_until(payment.received_on)
        bucket: dict[AllocationKey, Decimal] = {}
        remaining = payment.amount
        # Fees first, oldest first; each fee payment is tagged with the
        # installment its fee belongs to (late fees), for the schedule view.
        for item in open_fees:
            if not remaining:
                break
            paid = min(remaining, item[1])
            if paid:
                item[1] -= paid
                remaining -= paid
                _add(bucket, (EntryKind.FEE_PAID, item[0].installment_number), paid)
                fees_paid[item[0].installment_number] += paid
        open_fees = [item for item in open_fees if item[1] > 0]

        if paid_off_on is not None or not remaining:
            _add(bucket, (EntryKind.UNAPPLIED, None), remaining)
            allocations[payment.id] = bucket
            continue

        quote = arithmetic.payoff_quote(
            states,
            payment.received_on,
            loan.annual_rate,
            min(start, payment.received_on),
        )
        if remaining >= quote.total:
            # Pays the loan off: due interest and principal by installment, the
            # interest accrued since the last due date, then all principal left.
            due = [s for s in states if s.due_date <= payment.received_on]
            for s in due:
                _add(
                    bucket, (EntryKind.INTEREST_PAID, s.number), s.interest_outstanding
                )
                _add(
                    bucket,
                    (EntryKind.PRINCIPAL_PAID, s.number),
                    s.principal_outstanding,
                )
            accrued = quote.interest - sum((s.interest_outstanding for s in due), ZERO)
            _add(bucket, (EntryKind.INTEREST_PAID, None), accrued)
            not_yet_due = [s for s in states if s.due_date > payment.received_on]
            _add(
                bucket,
                (EntryKind.PREPAYMENT, None),
                arithmetic.outstanding_principal(not_yet_due),
            )
            _add(bucket, (EntryKind.UNAPPLIED, None), remaining - quote.total)
            states = [
                InstallmentState(
                    s.number,
                    s.due_date,
                    s.principal_due,
                    s.interest_due,
                    s.principal_due,
                    s.interest_due,
                )
                for s in due
            ]
            paid_off_on = payment.received_on
            allocations[payment.id] = bucket
            continue

        allocation = arithmetic.allocate_payment(remaining, payment.received_on, states)
        for line in allocation.lines:
            _add(bucket, (EntryKind.INTEREST_PAID, line.number), line.interest)
            _add(bucket, (EntryKind.PRINCIPAL_PAID, line.number), line.principal)
        _add(bucket, (EntryKind.PREPAYMENT, None), allocation.prepayment_principal)
        _add(bucket, (EntryKind.UNAPPLIED, None), allocation.unapplied)
        states = arithmetic.apply_payment(
            states,
            allocation,
            loan.annual_rate,
            loan.installment_amount,
            loan.first_due_date,
        )
        if arithmetic.outstanding_principal(states) == 0 and all(
            s.is_paid for s in states
        ):
            paid_off_on = payment.received_on
        allocations[payment.id] = bucket

    if as_of is None:
        assess_until(date.max)
    else:
        assess_until(as_of)
    return Replay(
        states=states,
        allocations=allocations,
        unpaid_fees=sum((item[1] for item in open_fees), ZERO),
        fees_paid_by_installment=dict(fees_paid),
        paid_off_on=paid_off_on,
        fees=[(item[0], item[1]) for item in open_fees],
    )


# --------------------------------------------------------------------------
# Loading facts
# --------------------------------------------------------------------------


def _entries(loan: Loan) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(loan=loan).order_by("pk"))


def _fee_facts(entries: Iterable[LedgerEntry]) -> list[FeeFact]:
    entries = list(entries)
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    return [
        FeeFact(e.pk, e.amount, e.effective_on, e.installment_number, e.fee_kind)
        for e in entries
        if e.kind == EntryKind.FEE_ASSESSED
        and e.reverses_id is None
        and e.pk not in reversed_ids
    ]


def _payment_facts(loan: Loan) -> list[PaymentFact]:
    rows = Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED).values_list(
        "pk", "amount", "received_on"
    )
    return [PaymentFact(pk, amount, received_on) for pk, amount, received_on in rows]


def position(loan: Loan, as_of: date | None = None) -> Replay:
    """Read-only: the loan as of a date, counting payments received by then."""
    return replay(loan, _payment_facts(loan), _fee_facts(_entries(loan)), as_of)


# --------------------------------------------------------------------------
# Writing: make the ledger and the schedule cache equal the replay
# --------------------------------------------------------------------------


def _posted_allocations(
    entries: Iterable[LedgerEntry],
) -> tuple[dict[int, dict[AllocationKey, Decimal]], dict[int, list[LedgerEntry]]]:
    net: dict[int, dict[AllocationKey, Decimal]] = defaultdict(dict)
    live: dict[int, list[LedgerEntry]] = defaultdict(list)
    entries = [e for e in entries if e.payment_id and e.kind in ALLOCATION_KINDS]
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    for e in entries:
        _add(net[e.payment_id], (e.kind, e.installment_number), e.amount)
        if e.reverses_id is None and e.pk not in reversed_ids:
            live[e.payment_id].append(e)
    return {k: {kk: v for kk, v in d.items() if v} for k, d in net.items()}, live


def sync(loan: Loan, *, actor: Any, effective_on: date, reason: str) -> Replay:
    """Bring ledger, installments and status in line with the loan's facts."""
    entries = _entries(loan)
    result = replay(loan, _payment_facts(loan), _fee_facts(entries))
    posted, live = _posted_allocations(entries)
    now = timezone.now()
    received = dict(Payment.objects.filter(loan=loan).values_list("pk", "received_on"))

    new_entries: list[LedgerEntry] = []
    for payment_id in sorted(set(posted) | set(result.allocations)):
        expected = result.allocations.get(payment_id, {})
        if posted.get(payment_id, {}) == expected:
            continue
        for old in live.get(payment_id, []):
            new_entries.append(
                LedgerEntry(
                    loan=loan,
                    payment_id=payment_id,
                    kind=old.kind,
                    installment_number=old.installment_number,
                    amount=-old.amount,
                    effective_on=effective_on,
                    posted_at=now,
                    posted_by=actor,
                    reverses=old,
                    memo=reason[:255],
                )
            )
        for (kind, number), amount in sorted(
            expected.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)
        ):
            new_entries.append(
                LedgerEntry(
                    loan=loan,
                    payment_id=payment_id,
                    kind=kind,
                    installment_number=number,
                    amount=amount,
                    effective_on=received[payment_id],
                    posted_at=now,
                    posted_by=actor,
                )
            )
    with audit_context(user=actor, reason=reason):
        if new_entries:
            bulk_create_audited(LedgerEntry, new_entries)
        _write_installments(loan, result.states)
        _write_status(loan, result, actor)
    return result


def _write_installments(loan: Loan, states: Sequence[InstallmentState]) -> None:
    existing = {row.number: row for row in Installment.objects.filter(loan=loan)}
    wanted = {s.number: s for s in states}
    changed, created = [], []
    for number, s in wanted.items():
        row = existing.get(number)
        values = {
            "due_date": s.due_date,
            "principal": s.principal_due,
            "interest": s.interest_due,
            "principal_paid": s.principal_paid,
            "interest_paid": s.interest_paid,
        }
        if row is None:
            created.append(Installment(loan=loan, number=number, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    if changed:
        bulk_update_audited(
            Installment,
            changed,
            ["due_date", "principal", "interest", "principal_paid", "interest_paid"],
        )
    if created:
        bulk_create_audited(Installment, created)
    # Rows a re-amortization no longer needs (the loan pays off sooner).
    for number in sorted(set(existing) - set(wanted)):
        existing[number].delete()


def _write_status(loan: Loan, result: Replay, actor: Any) -> None:
    if result.paid_off_on and loan.status != LoanStatus.PAID_OFF:
        loan.status = LoanStatus.PAID_OFF
        loan.paid_off_on = result.paid_off_on
        loan.save(update_fields=["status", "paid_off_on"])
        transaction.on_commit(
            lambda: loan_paid_off.send(
                sender=Loan, loan=loan, paid_off_on=result.paid_off_on, actor=actor
            )
        )
    elif not result.paid_off_on and loan.status == LoanStatus.PAID_OFF:
        # The payment that paid it off was reversed: the loan is open again.
        loan.status = LoanStatus.ACTIVE
        loan.paid_off_on = None
        loan.save(update_fields=["status", "paid_off_on"])


def loan_activate(
    *, actor: Any, loan: Loan, disbursed_on: date, assess_origination_fee: bool = True
) -> Loan:
    """Fix the schedule and post the disbursement: the loan becomes active."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != LoanStatus.CLOSING:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            f"Loan {loan.number} is {loan.get_status_display().lower()}; only a loan "
            "in closing can be activated."
        )
    with audit_context(user=actor, reason="Loan disbursed and activated"):
        loan.disbursed_on = disbursed_on
        loan.status = LoanStatus.ACTIVE
        loan.save(update_fields=["disbursed_on", "status"])
        entries = [
            LedgerEntry(
                loan=loan,
                kind=EntryKind.DISBURSEMENT,
                amount=loan.principal,
                effective_on=disbursed_on,
                posted_by=actor,
                memo="Principal disbursed",
            )
        ]
        fee = loan.product.origination_fee.amount
        if assess_origination_fee and fee > 0:
            entries.append(
                LedgerEntry(
                    loan=loan,
                    kind=EntryKind.FEE_ASSESSED,
                    fee_kind=FeeKind.ORIGINATION,
                    amount=fee,
                    effective_on=disbursed_on,
                    posted_by=actor,
                    memo="Origination fee",
                )
            )
        bulk_create_audited(LedgerEntry, entries)
        bulk_create_audited(
            Installment,
            [
                Installment(
                    loan=loan,
                    number=row.number,
                    due_date=row.due_date,
                    principal=row.principal,
                    interest=row.interest,
                )
                for row in original_schedule(loan)
            ],
        )
    return loan
