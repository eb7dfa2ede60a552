"""Posting and reversing loan payments: the one place money reaches a loan.

Views, the API, batch files and admin buttons all call `payment_post` and
`payment_reverse`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from loans import engine
from loans.choices import (
    OPEN_LOAN_STATUSES,
    EntryKind,
    FeeKind,
    LoanStatus,
    PaymentMethod,
    PaymentStatus,
    ReversalReason,
)
from loans.models import LedgerEntry, Loan, Payment, PaymentBatch
from portal.audit import audit_context, bulk_create_audited
from portal.checks import future_problem, identifier_problem
from portal.money import format_money, parse_money
from portal.transitions import locked

LOAN_NOT_OPEN = "Loan {number} is {status}; payments post only to an active loan."
NOT_POSITIVE = "A payment must be more than $0.00."
BEFORE_DISBURSEMENT = "The payment was received on {received}, before the loan was disbursed on {disbursed}."
OVERPAYMENT = "{amount} is more than the payoff of {payoff} on {received}; post at most the payoff amount."
REFERENCE_ON_OTHER_LOAN = "Reference {reference} was already posted to loan {number}."
REFERENCE_REQUIRED = "A payment reference is required (the cashiering system's ID)."
REPLAY_DIFFERS = (
    "Reference {reference} was already posted with a different {fields}: "
    "{differences}. Nothing was posted; use a new reference for a new payment."
)
UNKNOWN_METHOD = "Unknown payment method {method!r}; use one of: {choices}."
JUST_POSTED = (
    "A payment with this reference was just posted by another client; retry to see it."
)


class ReferenceConflict(ValidationError):
    """The reference was already posted with a different payload (409)."""


@dataclass(frozen=True)
class PostedPayment:
    payment: Payment
    created: bool
    # What this posting allocated, when it wrote the entries itself (an
    # appended payment): the answer then needs no query.
    posted: dict[str, Decimal] | None = None

    @property
    def allocation(self) -> dict[str, Decimal]:
        if self.posted is not None:
            return dict(self.posted)
        return payment_allocation(self.payment)


def payment_allocation(payment: Payment) -> dict[str, Decimal]:
    """Net allocation of a payment by what it paid (fees, interest, principal)."""
    return _allocation_totals(payment.entries.order_by().values_list("kind", "amount"))


def _allocation_totals(entries: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """(kind, amount) ledger lines summed by what they paid."""
    totals = {
        "fees": Decimal("0.00"),
        "interest": Decimal("0.00"),
        "principal": Decimal("0.00"),
        "unapplied": Decimal("0.00"),
    }
    where: dict[str, str] = {
        EntryKind.FEE_PAID: "fees",
        EntryKind.INTEREST_PAID: "interest",
        EntryKind.PRINCIPAL_PAID: "principal",
        EntryKind.PREPAYMENT: "principal",
        EntryKind.UNAPPLIED: "unapplied",
    }
    for kind, amount in entries:
        if kind in where:
            totals[where[kind]] += amount
    return totals


def _validate_method(method: str) -> None:
    if method not in PaymentMethod.values:
        raise ValidationError(
            {
                "method": UNKNOWN_METHOD.format(
                    method=method, choices=", ".join(PaymentMethod.values)
                )
            }
        )


@dataclass(frozen=True)
class PaymentRequest:
    """One payment to post (from a cashier, the API or a batch file line)."""

    loan: Loan
    amount: Decimal | str
    received_on: date
    method: str
    reference: str
    line: int | None = None


class PostingRejected(ValidationError):
    """Nothing was posted; `problems` pairs each bad request with its messages.
    `conflicts` holds the requests whose reference was already posted with a
    different payload (the API answers those 409)."""

    def __init__(
        self,
        problems: list[tuple[PaymentRequest, dict[str, str]]],
        conflicts: set[str] | None = None,
    ) -> None:
        self.problems = problems
        self.conflicts = conflicts or set()
        super().__init__(
            [message for _, errors in problems for message in errors.values()]
        )

    @property
    def is_conflict(self) -> bool:
        return bool(self.conflicts) and len(self.conflicts) == len(self.problems)


def _check_request(request: PaymentRequest) -> dict[str, str]:
    errors: dict[str, str] = {}
    reference = (request.reference or "").strip()
    if not reference:
        errors["reference"] = REFERENCE_REQUIRED
    elif problem := identifier_problem(reference, "A payment reference"):
        errors["reference"] = problem
    if problem := future_problem(request.received_on, "The received date"):
        errors["received_on"] = problem
    try:
        amount = parse_money(request.amount)
        if amount <= 0:
            errors["amount"] = NOT_POSITIVE
    except (ValueError, ArithmeticError) as error:
        errors["amount"] = str(error)
    if request.method not in PaymentMethod.values:
        errors["method"] = UNKNOWN_METHOD.format(
            method=request.method, choices=", ".join(PaymentMethod.values)
        )
    return errors


class _ReferenceRace(Exception):
    """Another client inserted one of the references after it was looked up."""


def payments_post(
    *,
    actor: Any,
    requests: list[PaymentRequest],
    batch: PaymentBatch | None = None,
    reason: str | None = None,
) -> list[PostedPayment]:
    """Post payments (one or a whole batch) and allocate each: fees, then
    interest, then principal, oldest installment first; any excess prepays
    principal and re-amortizes. Idempotent on the reference. All or nothing:
    if any request is bad, PostingRejected says why for each and nothing posts.
    """
    try:
        return _payments_post(
            actor=actor, requests=requests, batch=batch, reason=reason
        )
    except _ReferenceRace:
        # The other client's payment is committed now (the insert waited for
        # it), so a second pass finds it like any replayed reference.
        try:
            return _payments_post(
                actor=actor, requests=requests, batch=batch, reason=reason
            )
        except _ReferenceRace:
            raise ValidationError({"reference": JUST_POSTED}) from None


@transaction.atomic
def _payments_post(
    *,
    actor: Any,
    requests: list[PaymentRequest],
    batch: PaymentBatch | None,
    reason: str | None,
) -> list[PostedPayment]:
    """One attempt of payments_post, in its own transaction (or savepoint)."""
    # Every problem is collected in one pass: bad requests are set aside and
    # the rest are still posted (inside this transaction) to find
    # overpayments; if anything was wrong, all of it rolls back.
    problems: list[tuple[PaymentRequest, dict[str, str]]] = []
    conflicts: set[str] = set()
    valid: list[PaymentRequest] = []
    for request in requests:
        if refusals := _check_request(request):
            problems.append((request, refusals))
        else:
            valid.append(request)
    requests = valid

    # References already posted are looked up before the lock: a payment is
    # never deleted, so one found here stays found, and a replay takes no
    # lock at all. One posted after this look-up makes the insert below fail
    # (the unique reference), and payments_post tries once more.
    existing = _posted_payments([r.reference.strip() for r in requests])
    # Lock the loans first, in a fixed order: concurrent posts to one loan must
    # queue, or two allocations computed from one balance would both be written.
    loan_ids = sorted(
        {r.loan.pk for r in requests if r.reference.strip() not in existing}
    )
    loans = (
        {
            loan.pk: loan
            # of=("self",): lock the loan rows only; locking the joined product
            # row would queue every payment to any loan of the same product.
            for loan in Loan.objects.select_for_update(of=("self",))
            .select_related("product")
            .filter(pk__in=loan_ids)
            .order_by("pk")
        }
        if loan_ids
        else {}
    )
    results: dict[str, PostedPayment] = {}
    fresh: list[Payment] = []
    for request in requests:
        reference = request.reference.strip()
        errors: dict[str, str] = {}
        if reference in existing:
            payment = existing[reference]
            if payment.loan_id != request.loan.pk:
                errors["reference"] = REFERENCE_ON_OTHER_LOAN.format(
                    reference=reference, number=payment.loan.number
                )
                conflicts.add(reference)
            elif differences := _replay_differences(payment, request):
                errors["reference"] = REPLAY_DIFFERS.format(
                    reference=reference,
                    fields=" and ".join(differences),
                    differences="; ".join(differences.values()),
                )
                conflicts.add(reference)
            else:
                results[reference] = PostedPayment(payment, created=False)
        elif reference in results:
            errors["reference"] = f"Reference {reference} appears twice."
        elif (loan := loans[request.loan.pk]).status not in OPEN_LOAN_STATUSES:
            errors["loan"] = LOAN_NOT_OPEN.format(
                number=loan.number, status=loan.get_status_display().lower()
            )
        elif loan.disbursed_on and request.received_on < loan.disbursed_on:
            errors["received_on"] = BEFORE_DISBURSEMENT.format(
                received=request.received_on, disbursed=loan.disbursed_on
            )
        else:
            payment = Payment(
                loan=loan,
                reference=reference,
                amount=parse_money(request.amount),
                received_on=request.received_on,
                method=request.method,
                batch=batch,
                posted_by=actor,
            )
            fresh.append(payment)
            results[reference] = PostedPayment(payment, created=True)
        if errors:
            problems.append((request, errors))
    if not fresh:
        if problems:
            raise PostingRejected(problems, conflicts)
        return [results[r.reference.strip()] for r in requests]

    reason = reason or (
        f"Payment {fresh[0].reference} posted"
        if len(fresh) == 1
        else f"{len(fresh)} payments posted"
    )
    by_loan: dict[int, list[Payment]] = {}
    for payment in fresh:
        by_loan.setdefault(payment.loan_id, []).append(payment)
    # Loaded before the new payments exist, so "in date order" compares them
    # with the payments already posted.
    # Only the installments the new payments can reach are read, so posting
    # costs the same whatever the loan's history (engine.LoanBook).
    books = engine.load_books(
        [loans[pk] for pk in by_loan],
        until={pk: max(p.received_on for p in ps) for pk, ps in by_loan.items()},
    )
    back_dated: set[int] = set()
    for loan_id, payments in by_loan.items():
        last_received = books[loan_id].last_received
        if not books[loan_id].trusted or (
            last_received is not None
            and min(p.received_on for p in payments) < last_received
        ):
            # A loan whose cached facts disagree with its rows is replayed in
            # full too (which also puts the cache right).
            back_dated.add(loan_id)
    for loan_id in back_dated:
        # Checked before the new payments exist, against the posted ones.
        for payment in list(by_loan[loan_id]):
            quote = payoff_quote(loans[loan_id], payment.received_on)
            if payment.amount > quote.total:
                problems.append(
                    _overpayment(
                        next(
                            r
                            for r in requests
                            if r.reference.strip() == payment.reference
                        ),
                        payment.amount,
                        quote.total,
                        payment.received_on,
                    )
                )
                by_loan[loan_id].remove(payment)
                fresh.remove(payment)
    try:
        # No savepoint of its own: a failed insert ends this attempt, whose
        # transaction (or savepoint) rolls back as a whole.
        with audit_context(user=actor, reason=reason):
            bulk_create_audited(Payment, fresh)
    except IntegrityError:
        # The same reference was posted at the same moment by another client.
        raise _ReferenceRace from None

    writer = engine.LedgerWriter(actor=actor, reason=reason)
    request_for = {r.reference.strip(): r for r in requests}
    for loan_id, payments in by_loan.items():
        try:
            if loan_id in back_dated:
                # A payment received before one already posted changes how the
                # later ones allocate: replay everything, post reversing and
                # new entries.
                engine.sync(
                    loans[loan_id],
                    actor=actor,
                    effective_on=timezone.localdate(),
                    reason=reason,
                )
            else:
                engine.post_in_order(books[loan_id], payments, writer)
        except engine.Overpayment as over:
            problems.append(
                _overpayment(
                    request_for[over.payment.reference],
                    over.payment.amount,
                    over.payoff,
                    over.payment.received_on,
                )
            )
    if problems:
        # Everything this call wrote (the simulation included) rolls back.
        raise PostingRejected(problems, conflicts)
    # The appended payments' lines, as written (a replayed loan's are written
    # by engine.sync, and read back if asked for).
    lines: dict[int, list[tuple[str, Decimal]]] = {}
    for entry in writer.entries:
        if entry.payment_id is not None:
            lines.setdefault(entry.payment_id, []).append((entry.kind, entry.amount))
    writer.flush()
    for payment in fresh:
        if payment.pk in lines:
            results[payment.reference] = PostedPayment(
                payment, created=True, posted=_allocation_totals(lines[payment.pk])
            )
    return [results[r.reference.strip()] for r in requests]


def _posted_payments(references: list[str]) -> dict[str, Payment]:
    """The payments already posted under these references (any loan). Their
    loans are not joined: only a conflict's message names one."""
    return {p.reference: p for p in Payment.objects.filter(reference__in=references)}


def _replay_differences(payment: Payment, request: PaymentRequest) -> dict[str, str]:
    """What a replayed reference says differently from the posted payment."""
    differences: dict[str, str] = {}
    amount = parse_money(request.amount)
    if amount != payment.amount:
        differences["amount"] = (
            f"posted {format_money(payment.amount)}, this request "
            f"{format_money(amount)}"
        )
    if request.received_on != payment.received_on:
        differences["received date"] = (
            f"posted {payment.received_on:%Y-%m-%d}, this request "
            f"{request.received_on:%Y-%m-%d}"
        )
    if request.method != payment.method:
        differences["method"] = (
            f"posted {payment.method}, this request {request.method}"
        )
    return differences


def _overpayment(
    request: PaymentRequest, amount: Decimal, payoff: Decimal, received_on: date
) -> tuple[PaymentRequest, dict[str, str]]:
    return (
        request,
        {
            "amount": OVERPAYMENT.format(
                amount=f"${amount:,.2f}", payoff=f"${payoff:,.2f}", received=received_on
            )
        },
    )


def payment_post(
    *,
    actor: Any,
    loan: Loan,
    amount: Decimal | str,
    received_on: date,
    method: str,
    reference: str,
    batch: PaymentBatch | None = None,
) -> PostedPayment:
    """Post one payment (see payments_post). Raises ValidationError with
    field messages and posts nothing if the payment is bad."""
    request = PaymentRequest(loan, amount, received_on, method, reference or "")
    try:
        return payments_post(actor=actor, requests=[request], batch=batch)[0]
    except PostingRejected as rejected:
        error = ValidationError(rejected.problems[0][1])
        if rejected.is_conflict:
            raise ReferenceConflict(rejected.messages[0], code="conflict") from None
        raise error from None


@transaction.atomic
def payment_reverse(
    *,
    actor: Any,
    payment: Payment,
    reason: str,
    note: str = "",
    reversed_on: date | None = None,
) -> Payment:
    """Reverse a payment's allocations (reversing ledger entries, never edits).
    A returned payment (NSF, returned ACH/card) adds the product's fee and
    appears in the bad-check ledger; a posting error adds no fee."""
    if reason not in ReversalReason.values:
        raise ValidationError(
            {
                "reason": "Give a reason: "
                + ", ".join(
                    f"{value} ({label})" for value, label in ReversalReason.choices
                )
            }
        )
    if payment.loan.status == LoanStatus.WRITTEN_OFF:
        # A recovery after a write-off is reversed off the recovery ledger;
        # other payments on a written-off loan are closed (engine.sync says so).
        from loans.services.writeoffs import recovery_reverse

        if hasattr(payment, "recovery"):
            return recovery_reverse(
                actor=actor,
                payment=payment,
                reason=reason,
                note=note,
                reversed_on=reversed_on,
            )
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("product")
        .get(pk=payment.loan_id)
    )
    payment = locked(Payment, payment.pk, "reverse", actor)
    reversed_on = reversed_on or timezone.localdate()
    label = ReversalReason(reason).label
    with audit_context(
        user=actor, reason=f"Payment {payment.reference} reversed: {label}"
    ):
        payment.status = PaymentStatus.REVERSED
        payment.reversed_at = timezone.now()
        payment.reversed_by = actor
        payment.reversal_reason = reason
        payment.reversal_note = note[:255]
        payment.save()
        fee = loan.product.returned_payment_fee.amount
        if reason != ReversalReason.POSTING_ERROR and fee > 0:
            LedgerEntry.objects.create(
                loan=loan,
                payment=payment,
                kind=EntryKind.FEE_ASSESSED,
                fee_kind=FeeKind.RETURNED_PAYMENT,
                amount=fee,
                effective_on=reversed_on,
                posted_by=actor,
                memo=f"Returned payment {payment.reference}",
            )
    engine.sync(
        loan,
        actor=actor,
        effective_on=reversed_on,
        reason=f"Payment {payment.reference} reversed: {label}",
    )
    return payment


def payoff_quote(loan: Loan, as_of: date) -> Any:
    """Payoff as of a date (docs/architecture.md, "Money rules"): outstanding principal + unpaid interest
    of installments due by then + interest accrued since the last due date
    (actual/365) + unpaid fees."""
    from loans.schedule import PayoffQuote
    from loans.schedule import payoff_quote as quote

    if loan.status == LoanStatus.PAID_OFF or loan.disbursed_on is None:
        zero = Decimal("0.00")
        return PayoffQuote(
            as_of=as_of, principal=zero, interest=zero, fees=zero, total=zero
        )
    state = engine.position(loan, as_of)
    start = min(loan.disbursed_on, as_of)
    return quote(state.states, as_of, loan.annual_rate, start, state.unpaid_fees)
