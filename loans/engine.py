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
- the loan's status follows: paid off when nothing is owed;
- the loan row's delinquency facts (`oldest_unpaid_due`,
  `principal_outstanding`) follow the schedule rows, written by
  `LedgerWriter.flush` in the same transaction (`schedule_facts`).

Callers hold a row lock on the loan (`select_for_update`) around `sync()`.

Payments received on or after every posted one (nearly all of them) don't
replay: `load_books` reads the stored books (the installments those payments
can reach, the rows after them summed in the database, the unpaid fees, the
loan row's facts) and `post_in_order` continues the same Walk from there,
writing only the new entries and the rows that changed, in a constant number
of statements whatever the loan's history. A loan whose cached facts
disagree with its rows is replayed in full instead. Back-dated payments,
reversals and fee changes always replay.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import django.dispatch
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from loans import schedule as arithmetic
from loans.choices import EntryKind, LoanStatus, PaymentStatus
from loans.models import Installment, LedgerEntry, Loan, Payment
from loans.schedule import ZERO, InstallmentState
from portal.audit import audit_context, bulk_create_audited
from portal.money import cents

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
    paid_off_on: date | None

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


def schedule_facts(
    states: Iterable[InstallmentState],
) -> tuple[date | None, Decimal]:
    """What the loan row caches of its schedule: the due date of the oldest
    installment not fully paid (None when nothing is unpaid) and the
    principal not yet paid, due or not."""
    states = list(states)
    unpaid = [s.due_date for s in states if not s.is_paid]
    return (min(unpaid) if unpaid else None), arithmetic.outstanding_principal(states)


def original_schedule(loan: Loan) -> list[arithmetic.ScheduledInstallment]:
    return arithmetic.amortize(
        loan.principal, loan.annual_rate, loan.term_months, loan.first_due_date
    )


def _add(
    bucket: dict[AllocationKey, Decimal], key: AllocationKey, amount: Decimal
) -> None:
    if amount:
        bucket[key] = bucket.get(key, ZERO) + amount


@dataclass
class OpenFee:
    fact: FeeFact
    remaining: Decimal


@dataclass
class Step:
    """One payment applied: its allocation and the loan after it."""

    bucket: dict[AllocationKey, Decimal]
    states: list[InstallmentState]
    paid_off: bool


def payoff_total(loan: Loan, states: Sequence[InstallmentState], on: date) -> Decimal:
    start = min(loan.disbursed_on or loan.first_due_date, on)
    return arithmetic.payoff_quote(states, on, loan.annual_rate, start).total


def apply_one(
    loan: Loan,
    states: list[InstallmentState],
    open_fees: list[OpenFee],
    amount: Decimal,
    received_on: date,
    paid_off: bool,
) -> Step:
    """Allocate one payment: fees (oldest first), then due interest and
    principal oldest installment first, then prepayment (re-amortized); a
    payment reaching the payoff closes the loan. `open_fees` is updated."""
    bucket: dict[AllocationKey, Decimal] = {}
    remaining = amount
    # Fee payments carry the installment their fee belongs to (late fees).
    for item in open_fees:
        if not remaining:
            break
        paid = min(remaining, item.remaining)
        item.remaining -= paid
        remaining -= paid
        _add(bucket, (EntryKind.FEE_PAID, item.fact.installment_number), paid)
    open_fees[:] = [item for item in open_fees if item.remaining > 0]

    if paid_off or not remaining:
        _add(bucket, (EntryKind.UNAPPLIED, None), remaining)
        return Step(bucket, states, paid_off)

    quote_start = min(loan.disbursed_on or loan.first_due_date, received_on)
    quote = arithmetic.payoff_quote(states, received_on, loan.annual_rate, quote_start)
    if remaining >= quote.total:
        # Pays the loan off: due interest and principal by installment, the
        # interest accrued since the last due date, then all principal left.
        due = [s for s in states if s.due_date <= received_on]
        for s in due:
            _add(bucket, (EntryKind.INTEREST_PAID, s.number), s.interest_outstanding)
            _add(bucket, (EntryKind.PRINCIPAL_PAID, s.number), s.principal_outstanding)
        accrued = quote.interest - sum((s.interest_outstanding for s in due), ZERO)
        _add(bucket, (EntryKind.INTEREST_PAID, None), accrued)
        not_yet_due = [s for s in states if s.due_date > received_on]
        _add(
            bucket,
            (EntryKind.PREPAYMENT, None),
            arithmetic.outstanding_principal(not_yet_due),
        )
        _add(bucket, (EntryKind.UNAPPLIED, None), remaining - quote.total)
        settled = [
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
        return Step(bucket, settled, True)

    allocation = arithmetic.allocate_payment(remaining, received_on, states)
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
    done = arithmetic.outstanding_principal(states) == 0 and all(
        s.is_paid for s in states
    )
    return Step(bucket, states, done)


class FeeQueue:
    """Fees assessed over time; each becomes payable on its effective date."""

    def __init__(self, fees: Iterable[FeeFact], already_paid: Decimal = ZERO) -> None:
        self.pending = sorted(fees, key=lambda f: (f.effective_on, f.entry_id))
        self.open: list[OpenFee] = []
        self._paid = already_paid

    def assess_until(self, day: date) -> None:
        while self.pending and self.pending[0].effective_on <= day:
            fee = self.pending.pop(0)
            # Fees already paid by earlier payments were paid oldest first.
            covered = min(self._paid, fee.amount)
            self._paid -= covered
            if fee.amount - covered > 0:
                self.open.append(OpenFee(fee, fee.amount - covered))

    @property
    def unpaid(self) -> Decimal:
        return sum((item.remaining for item in self.open), ZERO)


@dataclass
class Walk:
    """A loan's schedule and fees as its payments are applied in date order
    (shared by the full replay and by posting from the cached schedule)."""

    loan: Loan
    states: list[InstallmentState]
    queue: FeeQueue
    paid_off_on: date | None = None
    # The schedule is paid in full (principal and interest). The loan is paid
    # off only when no fee is owed either: a returned-check fee assessed
    # after the payoff reopens it until that fee is paid.
    settled: bool = False

    def __post_init__(self) -> None:
        self.settled = (
            self.settled
            or self.paid_off_on is not None
            or (
                bool(self.states)
                and all(s.is_paid for s in self.states)
                and arithmetic.outstanding_principal(self.states) == 0
            )
        )

    def assess_until(self, day: date) -> None:
        self.queue.assess_until(day)
        if self.queue.open:
            self.paid_off_on = None

    def payoff_on(self, received_on: date) -> Decimal:
        self.assess_until(received_on)
        return payoff_total(self.loan, self.states, received_on) + self.queue.unpaid

    def take(self, amount: Decimal, received_on: date) -> dict[AllocationKey, Decimal]:
        self.assess_until(received_on)
        step = apply_one(
            self.loan,
            self.states,
            self.queue.open,
            amount,
            received_on,
            self.settled,
        )
        self.states = step.states
        self.settled = self.settled or step.paid_off
        if self.settled and self.paid_off_on is None and not self.queue.open:
            self.paid_off_on = received_on
        return step.bucket


def replay(
    loan: Loan,
    payments: Sequence[PaymentFact],
    fees: Sequence[FeeFact],
    as_of: date | None = None,
) -> Replay:
    """Apply fees and payments (received on or before `as_of`) in date order."""
    walk = Walk(
        loan, arithmetic.installment_states(original_schedule(loan)), FeeQueue(fees)
    )
    allocations: dict[int, dict[AllocationKey, Decimal]] = {}
    for payment in sorted(payments, key=lambda p: (p.received_on, p.id)):
        if as_of is not None and payment.received_on > as_of:
            break
        allocations[payment.id] = walk.take(payment.amount, payment.received_on)
    walk.assess_until(date.max if as_of is None else as_of)
    return Replay(
        states=walk.states,
        allocations=allocations,
        unpaid_fees=walk.queue.unpaid,
        paid_off_on=walk.paid_off_on,
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
    payments = Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED)
    if loan.status == LoanStatus.WRITTEN_OFF:
        # Recoveries after a write-off (loans.services.writeoffs) are not
        # payments on the schedule; only a written-off loan has them.
        payments = payments.filter(recovery__isnull=True)
    rows = payments.values_list("pk", "amount", "received_on")
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
    allocations = [
        (e.payment_id, e)
        for e in entries
        if e.payment_id and e.kind in ALLOCATION_KINDS
    ]
    reversed_ids = {e.reverses_id for _, e in allocations if e.reverses_id}
    for payment_id, e in allocations:
        _add(net[payment_id], (e.kind, e.installment_number), e.amount)
        if e.reverses_id is None and e.pk not in reversed_ids:
            live[payment_id].append(e)
    return {k: {kk: v for kk, v in d.items() if v} for k, d in net.items()}, live


WRITTEN_OFF_CLOSED = (
    "Loan {number} was written off on {day}; its payments and schedule can no "
    "longer change. Money received now is posted as a recovery."
)


def sync(loan: Loan, *, actor: Any, effective_on: date, reason: str) -> Replay:
    """Bring ledger, installments and status in line with the loan's facts by
    a full replay (used after a reversal or a back-dated payment)."""
    if loan.status == LoanStatus.WRITTEN_OFF:
        # The write-off's entries took the balance of that day off the books;
        # re-allocating the payments before it would leave them wrong.
        day = loan.written_off_on
        raise ValidationError(
            WRITTEN_OFF_CLOSED.format(
                number=loan.number,
                day=f"{day:%B} {day.day}, {day.year}" if day else "an earlier day",
            )
        )
    entries = _entries(loan)
    result = replay(loan, _payment_facts(loan), _fee_facts(entries))
    posted, live = _posted_allocations(entries)
    received = dict(Payment.objects.filter(loan=loan).values_list("pk", "received_on"))
    writer = LedgerWriter(actor=actor, reason=reason)
    for payment_id in sorted(set(posted) | set(result.allocations)):
        expected = result.allocations.get(payment_id, {})
        if posted.get(payment_id, {}) == expected:
            continue
        old_entries = live.get(payment_id, [])
        for old in old_entries:
            writer.reverse(old, effective_on)
        # A payment's first allocation is dated on its received day; a
        # re-allocation on the same day as the reversal of the old one, so
        # the ledger as of any earlier day still counts the payment once
        # (a period already reported keeps its figures: nothing is
        # back-dated into it except a back-dated payment itself).
        on = (
            max(received[payment_id], effective_on)
            if old_entries
            else received[payment_id]
        )
        writer.allocate(loan, payment_id, on, expected)
    installments = list(Installment.objects.filter(loan=loan))
    writer.schedule(loan, installments, result.states)
    writer.status(loan, result.paid_off_on)
    writer.flush()
    return result


class LedgerWriter:
    """Collects ledger entries, installment changes and status changes, and
    writes them in bulk with history (one set of statements per flush)."""

    def __init__(self, *, actor: Any, reason: str) -> None:
        self.actor = actor
        self.reason = reason
        self._start()

    def _start(self) -> None:
        """Begin an empty set of writes (on creation and after each flush)."""
        self.now = timezone.now()
        self.entries: list[LedgerEntry] = []
        self.changed: list[Installment] = []
        self.created: list[Installment] = []
        self.removed: list[Installment] = []
        self.loans_changed: list[tuple[Loan, date | None]] = []
        # loan pk -> (loan, oldest unpaid due date, principal outstanding)
        self.facts: dict[int, tuple[Loan, date | None, Decimal]] = {}

    def reverse(self, old: LedgerEntry, effective_on: date) -> None:
        self.entries.append(
            LedgerEntry(
                loan_id=old.loan_id,
                payment_id=old.payment_id,
                kind=old.kind,
                fee_kind=old.fee_kind,
                installment_number=old.installment_number,
                amount=-old.amount,
                effective_on=effective_on,
                posted_at=self.now,
                posted_by=self.actor,
                reverses=old,
                memo=self.reason[:255],
            )
        )

    def allocate(
        self,
        loan: Loan,
        payment_id: int,
        received_on: date,
        bucket: dict[AllocationKey, Decimal],
    ) -> None:
        for (kind, number), amount in sorted(
            bucket.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)
        ):
            self.entries.append(
                LedgerEntry(
                    loan_id=loan.pk,
                    payment_id=payment_id,
                    kind=kind,
                    installment_number=number,
                    amount=amount,
                    effective_on=received_on,
                    posted_at=self.now,
                    posted_by=self.actor,
                )
            )

    def schedule(
        self,
        loan: Loan,
        rows: Sequence[Installment],
        states: Sequence[InstallmentState],
        facts_from: Sequence[InstallmentState] | None = None,
    ) -> None:
        """Make `rows` equal `states` (rows with no state are removed); the
        loan's facts come from `facts_from` (default `states`)."""
        existing = {row.number: row for row in rows}
        for s in states:
            values = {
                "due_date": s.due_date,
                "principal": s.principal_due,
                "interest": s.interest_due,
                "principal_paid": s.principal_paid,
                "interest_paid": s.interest_paid,
            }
            row = existing.pop(s.number, None)
            if row is None:
                self.created.append(Installment(loan=loan, number=s.number, **values))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                self.changed.append(row)
        # Rows a re-amortization no longer needs (the loan pays off sooner).
        self.removed.extend(existing.values())
        self.facts[loan.pk] = (
            loan,
            *schedule_facts(states if facts_from is None else facts_from),
        )

    def status(self, loan: Loan, paid_off_on: date | None) -> None:
        was_paid_off = loan.status == LoanStatus.PAID_OFF
        if bool(paid_off_on) != was_paid_off or (
            # Still paid off, on another day: a reversal before the payoff
            # moved it (aging reads paid_off_on to know when it was open).
            was_paid_off and paid_off_on != loan.paid_off_on
        ):
            self.loans_changed.append((loan, paid_off_on))

    def flush(self) -> None:
        with audit_context(user=self.actor, reason=self.reason):
            if self.entries:
                bulk_create_audited(LedgerEntry, self.entries)
            if self.changed:
                _update_installments(self.changed, self.actor, self.reason)
            if self.created:
                bulk_create_audited(Installment, self.created)
            for row in self.removed:
                row.delete()
            stale = [
                loan
                for loan, oldest, principal in self.facts.values()
                if _set_facts(loan, oldest, principal)
            ]
            if stale:
                _update_loan_facts(stale, self.actor, self.reason)
            for loan, paid_off_on in self.loans_changed:
                _set_paid_off(loan, paid_off_on, self.actor)
        self._start()


def _update_installments(rows: list[Installment], actor: Any, reason: str) -> None:
    """UPDATE the changed schedule rows in one executemany, and write their
    history rows in bulk. Django's bulk_update builds a CASE per row and field,
    which made it the slowest step of posting a 10,000-payment batch."""
    table = connection.ops.quote_name(Installment._meta.db_table)
    sql = (
        f"UPDATE {table} SET due_date = %s, principal = %s, interest = %s, "  # noqa: S608 - table name is ours
        "principal_paid = %s, interest_paid = %s WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (
                    r.due_date,
                    r.principal,
                    r.interest,
                    r.principal_paid,
                    r.interest_paid,
                    r.pk,
                )
                for r in rows
            ],
        )
    Installment.history.bulk_history_create(
        rows, update=True, default_user=actor, default_change_reason=reason
    )


def _set_facts(loan: Loan, oldest: date | None, principal: Decimal) -> bool:
    """Set the loan's cached schedule facts; whether they changed. The loan was
    read under its row lock, so what it holds is what the row holds."""
    if (loan.oldest_unpaid_due, loan.principal_outstanding) == (oldest, principal):
        return False
    loan.oldest_unpaid_due = oldest
    loan.principal_outstanding = principal
    return True


def _update_loan_facts(loans: list[Loan], actor: Any, reason: str) -> None:
    """UPDATE the loans' delinquency facts in one executemany, with history
    rows in bulk (as _update_installments)."""
    table = connection.ops.quote_name(Loan._meta.db_table)
    sql = (
        f"UPDATE {table} SET oldest_unpaid_due = %s, "  # noqa: S608 - table name is ours
        "principal_outstanding = %s WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [(x.oldest_unpaid_due, x.principal_outstanding, x.pk) for x in loans],
        )
    Loan.history.bulk_history_create(
        loans, update=True, default_user=actor, default_change_reason=reason
    )


def _set_paid_off(loan: Loan, paid_off_on: date | None, actor: Any) -> None:
    if paid_off_on and loan.status == LoanStatus.PAID_OFF:
        # Paid off still, from a later payment: only the date moves, and
        # `loan_paid_off` is not sent again (it was sent once).
        loan.paid_off_on = paid_off_on
        loan.save(update_fields=["paid_off_on"])
        return
    if paid_off_on:
        loan.status = LoanStatus.PAID_OFF
        loan.paid_off_on = paid_off_on
        loan.save(update_fields=["status", "paid_off_on"])
        transaction.on_commit(
            lambda: loan_paid_off.send(
                sender=Loan, loan=loan, paid_off_on=paid_off_on, actor=actor
            )
        )
    else:
        # The payment that paid it off was reversed: the loan is open again.
        loan.status = LoanStatus.ACTIVE
        loan.paid_off_on = None
        loan.save(update_fields=["status", "paid_off_on"])


# --------------------------------------------------------------------------
# Posting new payments in date order, from the cached schedule
# --------------------------------------------------------------------------


@dataclass
class LoanBook:
    """What posting needs to know about a locked loan, loaded in bulk.

    `installments` holds every schedule row, or (`window` set) only the rows
    from the last paid installment due by the newest new payment through that
    date: for payments appended after every posted one, the installments
    before it are paid and stay so, and those due after it are unpaid and
    untouched unless a prepayment re-amortizes them (or a payoff removes
    them). Those later rows are then one state, `tail`: their principal
    (summed in the database) on the first one's due date, with no interest
    due, which is all the allocation, the payoff quote and the loan's facts
    read of them. `trusted` is False when the loan row's cached facts do not
    match its rows (the window, the tail's sums); posting then replays in
    full. Reading every row and the window give the same allocation:
    tests/loans/test_posting_append_equals_replay.py.
    """

    loan: Loan
    installments: list[Installment]
    fees: list[FeeFact]
    fees_paid: Decimal
    last_received: date | None
    window: tuple[int, int] | None = None
    tail: InstallmentState | None = None
    trusted: bool = True

    def states(self) -> list[InstallmentState]:
        states = [
            InstallmentState(
                r.number,
                r.due_date,
                r.principal,
                r.interest,
                r.principal_paid,
                r.interest_paid,
            )
            for r in self.installments
        ]
        return [*states, self.tail] if self.tail is not None else states

    def rows_after_window(self) -> None:
        """Load the rows the tail stood for (a prepayment or payoff rewrites
        them) and forget the window."""
        if self.window is None:
            return
        self.installments.extend(
            Installment.objects.filter(
                loan_id=self.loan.pk, number__gte=self.window[1]
            ).order_by("number")
        )
        self.window = None
        self.tail = None


# At most this many loans get window loads in one posting (one OR'ed range
# per loan); a larger batch reads whole schedules, as it always did.
WINDOW_LOANS = 20


def _number_due_by(first_due_date: date, day: date) -> int:
    """The number of the last installment due on or before `day` in the
    loan's numbering (installment k falls due on due_date(first, k)); 0 when
    none is."""
    k = (day.year - first_due_date.year) * 12 + day.month - first_due_date.month + 1
    while k >= 1 and arithmetic.due_date(first_due_date, k) > day:
        k -= 1
    return max(k, 0)


def _window(loan: Loan, until: date) -> tuple[int, int] | None:
    """Installment numbers [last paid .. first not due after `until`] that
    appended payments received by `until` can touch, from the loan row's
    cached facts; None when the facts give no window (nothing unpaid)."""
    if loan.oldest_unpaid_due is None:
        return None
    oldest = _number_due_by(loan.first_due_date, loan.oldest_unpaid_due)
    if oldest < 1:
        return None
    return max(oldest - 1, 1), max(_number_due_by(loan.first_due_date, until), 0) + 1


@dataclass(frozen=True)
class TailSums:
    """The rows after a window, summed in the database: what is still to
    fall due, anything paid on them (none should be), the first's number and
    due date, and how many there are."""

    principal: Decimal
    paid: Decimal
    first_number: int | None
    first_due: date | None
    count: int


def _windowed(
    book: LoanBook, rows: list[Installment], tail: TailSums, until: date
) -> None:
    """Take the window's rows and the tail, and check them against the loan
    row's facts (`trusted`): a stale cache is not posted from."""
    loan = book.loan
    assert book.window is not None
    low, high = book.window
    book.installments = rows
    window_principal = sum((r.principal - r.principal_paid for r in rows), ZERO)
    unpaid = [r.due_date for r in rows if not r.is_paid()]
    oldest = min(unpaid) if unpaid else tail.first_due
    book.trusted = (
        # The window has no gaps (the schedule may end inside it), is due by
        # `until`, and starts at the oldest unpaid installment or the paid
        # one before it.
        [r.number for r in rows] == list(range(low, low + len(rows)))
        and (tail.count == 0 or low + len(rows) == high)
        and all(r.due_date <= until for r in rows)
        and oldest == loan.oldest_unpaid_due
        and window_principal + tail.principal == loan.principal_outstanding
        # The rows after it: not due yet, nothing paid on them, and some
        # principal left on them if there are any.
        and (
            tail.count == 0
            or (
                tail.first_number == high
                and tail.first_due is not None
                and tail.first_due > until
                and tail.paid == 0
                and tail.principal > 0
            )
        )
    )
    if book.trusted and tail.count:
        assert tail.first_due is not None
        book.tail = InstallmentState(high, tail.first_due, tail.principal, ZERO)


def load_books(
    loans: Sequence[Loan], until: dict[int, date] | None = None
) -> dict[int, LoanBook]:
    """The books of locked loans. With `until` (loan pk -> the newest
    received date of the payments about to be appended), only the window of
    installments those payments can touch is read, so the cost does not grow
    with the loan's history or term (see LoanBook)."""
    ids = [loan.pk for loan in loans]
    books = {loan.pk: LoanBook(loan, [], [], ZERO, None) for loan in loans}
    windows: dict[int, tuple[int, int]] = {}
    if until is not None and len(loans) <= WINDOW_LOANS:
        for loan in loans:
            if loan.pk in until and (window := _window(loan, until[loan.pk])):
                windows[loan.pk] = books[loan.pk].window = window
    rows: dict[int, list[Installment]] = defaultdict(list)
    if ids:
        whole = [pk for pk in ids if pk not in windows]
        where = Q(loan_id__in=whole) if whole else Q(pk__in=[])
        for pk, (low, high) in windows.items():
            where |= Q(loan_id=pk, number__gte=low, number__lt=high)
        for row in Installment.objects.filter(where).order_by("loan_id", "number"):
            rows[row.loan_id].append(row)
    # Then one statement for each loan's scalar facts (BookFacts), and the
    # assessed fees (and their reversals) as rows only for a loan that still
    # owes or awaits one: when everything assessed was paid, no fee is open
    # or pending, and the FeeQueue is the same without them.
    facts = _book_facts(ids, windows)
    owing = [pk for pk, f in facts.items() if f.fees_assessed != f.fees_paid]
    if owing:
        by_loan: dict[int, list[LedgerEntry]] = defaultdict(list)
        for entry in LedgerEntry.objects.filter(
            loan_id__in=owing, kind=EntryKind.FEE_ASSESSED
        ).order_by("pk"):
            by_loan[entry.loan_id].append(entry)
        for loan_id, entries in by_loan.items():
            books[loan_id].fees = _fee_facts(entries)
    for loan in loans:
        book = books[loan.pk]
        book.last_received = facts[loan.pk].last_received
        book.fees_paid = facts[loan.pk].fees_paid
        if book.window is not None:
            _windowed(book, rows[loan.pk], facts[loan.pk].tail, until[loan.pk])  # type: ignore[index]
        else:
            book.installments = whole_rows = rows[loan.pk]
            unpaid = [r.due_date for r in whole_rows if not r.is_paid()]
            book.trusted = loan.disbursed_on is None or (
                min(unpaid) if unpaid else None,
                sum((r.principal - r.principal_paid for r in whole_rows), ZERO),
            ) == (loan.oldest_unpaid_due, loan.principal_outstanding)
    return books


@dataclass(frozen=True)
class BookFacts:
    """A loan's sums that posting reads besides its installment rows: the
    newest received date of a posted payment, the fees assessed (net of
    reversals) and paid, and the rows after its window (TailSums)."""

    last_received: date | None
    fees_assessed: Decimal
    fees_paid: Decimal
    tail: TailSums


def _book_facts(
    ids: list[int], windows: dict[int, tuple[int, int]]
) -> dict[int, BookFacts]:
    """Every loan's BookFacts in one statement, a row per loan: each round
    trip is spent holding the loans' locks, and building the same statement
    with the ORM's correlated subqueries cost more CPU than the four
    statements it replaces. Plain SQL that SQLite and PostgreSQL both run;
    the newest date reads one entry of the (loan, received_on) index, the
    fee sums the (loan, kind) index, the tail the (loan, number) rows after
    the window."""
    if not ids:
        return {}
    quote = connection.ops.quote_name
    loan, payment, ledger, installment = (
        quote(model._meta.db_table)
        for model in (Loan, Payment, LedgerEntry, Installment)
    )
    after = " OR ".join(["(i.loan_id = %s AND i.number >= %s)"] * len(windows))
    sql = (
        "SELECT l.id,"  # noqa: S608 - table names are ours, values are parameters
        f" (SELECT MAX(p.received_on) FROM {payment} p"
        "   WHERE p.loan_id = l.id AND p.status = %s),"
        f" (SELECT SUM(e.amount) FROM {ledger} e WHERE e.loan_id = l.id AND e.kind = %s),"
        f" (SELECT SUM(e.amount) FROM {ledger} e WHERE e.loan_id = l.id AND e.kind = %s),"
        " t.principal, t.paid, t.first_number, t.first_due, t.n"
        f" FROM {loan} l LEFT JOIN ("
        " SELECT i.loan_id, SUM(i.principal - i.principal_paid) AS principal,"
        " SUM(i.principal_paid + i.interest_paid) AS paid,"
        " MIN(i.number) AS first_number, MIN(i.due_date) AS first_due,"
        f" COUNT(*) AS n FROM {installment} i WHERE {after or '1 = 0'}"
        " GROUP BY i.loan_id) t ON t.loan_id = l.id"
        f" WHERE l.id IN ({', '.join(['%s'] * len(ids))})"
    )
    params: list[Any] = [
        PaymentStatus.POSTED.value,
        EntryKind.FEE_ASSESSED.value,
        EntryKind.FEE_PAID.value,
    ]
    for pk, (_, high) in windows.items():
        params += [pk, high]
    params += ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    facts: dict[int, BookFacts] = {}
    for pk, last, assessed, paid, principal, tail_paid, first, first_due, n in rows:
        facts[pk] = BookFacts(
            last_received=_as_date(last),
            fees_assessed=_as_cents(assessed),
            fees_paid=_as_cents(paid),
            tail=TailSums(
                _as_cents(principal),
                _as_cents(tail_paid),
                first,
                _as_date(first_due),
                n or 0,
            ),
        )
    return facts


def _as_cents(value: Any) -> Decimal:
    """A SUM as the database returns it (SQLite: a float, or None) to the
    cent: 1000.0000000000001 must not make a trusted schedule look stale."""
    if value is None:
        return ZERO
    return cents(value if isinstance(value, Decimal | int) else Decimal(str(value)))


def _as_date(value: Any) -> date | None:
    """A MIN/MAX of a date column (SQLite returns its text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


class Overpayment(Exception):
    def __init__(self, payment: Payment, payoff: Decimal) -> None:
        self.payment = payment
        self.payoff = payoff


def post_in_order(
    book: LoanBook, payments: Sequence[Payment], writer: LedgerWriter
) -> None:
    """Allocate new payments that are all on or after the loan's last posted
    payment: the same result a full replay gives, from the cached schedule."""
    loan = book.loan
    walk = Walk(
        loan,
        book.states(),
        FeeQueue(book.fees, already_paid=book.fees_paid),
        loan.paid_off_on if loan.status == LoanStatus.PAID_OFF else None,
    )
    for payment in sorted(payments, key=lambda p: (p.received_on, p.pk)):
        if walk.paid_off_on is None:
            payoff = walk.payoff_on(payment.received_on)
            if payment.amount > payoff:
                raise Overpayment(payment, payoff)
        bucket = walk.take(payment.amount, payment.received_on)
        writer.allocate(loan, payment.pk, payment.received_on, bucket)
    states = walk.states
    if book.tail is not None and states and states[-1] is book.tail:
        # The rows after the window are as they were: write the window's rows
        # only; the loan's facts still count the tail.
        writer.schedule(loan, book.installments, states[:-1], facts_from=states)
    else:
        # A prepayment re-amortized (or a payoff removed) the rows after it.
        book.rows_after_window()
        writer.schedule(loan, book.installments, states)
    writer.status(loan, walk.paid_off_on)
