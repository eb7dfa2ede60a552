"""Late fees: an installment still unpaid N grace days after its due date
(the product's late_fee_grace_days) is charged the product's late fee, once.

Runs daily (`manage.py assess_late_fees`, or the `assess_late_fees_task`);
idempotent per loan and installment, so a re-run charges nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from loans import engine
from loans.choices import EntryKind, FeeKind, LoanStatus
from loans.models import LedgerEntry, Loan
from portal.audit import audit_context


@transaction.atomic
def late_fees_assess(*, actor: Any, as_of: date) -> int:
    """Charge every late fee due on or before `as_of`; return how many."""
    charged = 0
    loans = Loan.objects.filter(
        status__in=[LoanStatus.ACTIVE, LoanStatus.DEFAULTED],
        product__late_fee__gt=0,
    ).select_related("product")
    for loan in loans:
        charged += _assess_loan(loan, as_of, actor)
    return charged


def _assess_loan(loan: Loan, as_of: date, actor: Any) -> int:
    grace = timedelta(days=loan.product.late_fee_grace_days)
    already = set(
        LedgerEntry.objects.filter(
            loan=loan, kind=EntryKind.FEE_ASSESSED, fee_kind=FeeKind.LATE
        ).values_list("installment_number", flat=True)
    )
    state = engine.position(loan, as_of)
    late = [
        s
        for s in state.states
        if not s.is_paid and s.due_date + grace < as_of and s.number not in already
    ]
    if not late:
        return 0
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    reason = f"Late fees assessed as of {as_of}"
    with audit_context(user=actor, reason=reason):
        for s in late:
            LedgerEntry.objects.create(
                loan=loan,
                kind=EntryKind.FEE_ASSESSED,
                fee_kind=FeeKind.LATE,
                installment_number=s.number,
                amount=loan.product.late_fee.amount,
                effective_on=s.due_date + grace + timedelta(days=1),
                posted_by=actor,
                memo=f"Late fee, installment {s.number} due {s.due_date}",
            )
    # Payments received since the fee's date now pay it first.
    engine.sync(loan, actor=actor, effective_on=as_of, reason=reason)
    return len(late)
