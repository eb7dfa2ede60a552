"""Is a generated loan what the services would have left? For each loan,
under its row lock and rolled back afterwards:

- its installment rows equal the engine's replay of its payments and fees;
- the loan row's facts (oldest unpaid due date, principal outstanding,
  status, paid-off date) equal the replay's;
- the ledger's balances agree (principal, unpaid fees, nothing unapplied);
- `engine.sync` finds nothing to write (no INSERT, UPDATE or DELETE);
- the late-fee rule, as of the date fees were charged through, finds exactly
  the installments charged (none missing, none extra).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from loans import engine
from loans.choices import EntryKind, FeeKind, LoanStatus
from loans.models import Installment, LedgerEntry, Loan
from loans.selectors import ledger_balances
from loans.services.late_fees import late_installments

_WRITES = ("INSERT", "UPDATE", "DELETE")


def verify_loans(
    loan_ids: Iterable[int], *, late_fees_through: date | None, actor: Any
) -> list[str]:
    problems: list[str] = []
    for loan_id in loan_ids:
        with transaction.atomic():
            loan = (
                Loan.objects.select_for_update(of=("self",))
                .select_related("product")
                .get(pk=loan_id)
            )
            problems.extend(_check(loan, late_fees_through, actor))
            transaction.set_rollback(True)
    return problems


def _check(loan: Loan, late_fees_through: date | None, actor: Any) -> list[str]:
    problems: list[str] = []
    name = loan.number
    replay = engine.position(loan)
    rows = [
        (
            r.number,
            r.due_date,
            r.principal,
            r.interest,
            r.principal_paid,
            r.interest_paid,
        )
        for r in Installment.objects.filter(loan=loan).order_by("number")
    ]
    states = [
        (
            s.number,
            s.due_date,
            s.principal_due,
            s.interest_due,
            s.principal_paid,
            s.interest_paid,
        )
        for s in replay.states
    ]
    if rows != states:
        problems.append(f"{name}: installment rows differ from the replay")
    facts = (loan.oldest_unpaid_due, loan.principal_outstanding)
    if facts != engine.schedule_facts(replay.states):
        problems.append(f"{name}: loan facts {facts} differ from the replay")
    paid_off = loan.status == LoanStatus.PAID_OFF
    if paid_off != (replay.paid_off_on is not None) or (
        paid_off and loan.paid_off_on != replay.paid_off_on
    ):
        problems.append(f"{name}: status {loan.status} differs from the replay")
    balances = ledger_balances(loan)
    if balances["principal"] != replay.principal_outstanding:
        problems.append(f"{name}: ledger principal differs from the replay")
    if balances["fees"] != replay.unpaid_fees:
        problems.append(f"{name}: ledger fees differ from the replay")
    if balances["unapplied"]:
        problems.append(f"{name}: a payment was more than the payoff")
    with CaptureQueriesContext(connection) as queries:
        engine.sync(
            loan, actor=actor, effective_on=loan.first_due_date, reason="verify"
        )
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(_WRITES)
    ]
    if writes:
        problems.append(f"{name}: sync would write {len(writes)} statements")
    product = loan.product
    if late_fees_through is not None and product.late_fee.amount > 0:
        due = {
            s.number
            for s in late_installments(
                loan,
                engine._payment_facts(loan),
                grace_days=product.late_fee_grace_days,
                as_of=late_fees_through,
            )
        }
        charged = {
            number
            for number in LedgerEntry.objects.filter(
                loan=loan, kind=EntryKind.FEE_ASSESSED, fee_kind=FeeKind.LATE
            ).values_list("installment_number", flat=True)
            if number is not None
        }
        if due != charged:
            problems.append(
                f"{name}: late fees charged for {sorted(charged)}, "
                f"the rule says {sorted(due)}"
            )
    return problems


def verify_sample(
    *,
    seed: int,
    size: int,
    late_fees_through: date | None,
    actor: Any,
    prefix: str = "GEN",
) -> tuple[list[str], int]:
    """Check `size` random loans of the seed (all of them if fewer)."""
    ids = sorted(
        Loan.objects.filter(number__startswith=f"{prefix}-{seed}-").values_list(
            "pk", flat=True
        )
    )
    sample = random.Random(seed).sample(ids, min(size, len(ids)))  # noqa: S311
    return verify_loans(sample, late_fees_through=late_fees_through, actor=actor), len(
        sample
    )
