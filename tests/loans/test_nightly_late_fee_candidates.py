"""The nightly job looks only at what changed since its last run: loans with
an installment whose grace ended since then, and loans whose ledger changed
(a returned check can make an old installment late). A quiet night looks at
no loan at all, and nothing owed is missed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from loans import aging_selectors
from loans.models import AgingRun, AgingTrigger, LedgerEntry
from loans.services.aging import aging_run
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post, payment_reverse
from portal.audit import get_system_user

pytestmark = pytest.mark.django_db


def age(as_of):
    with time_machine.travel(as_of, tick=False):
        return aging_run(
            as_of=as_of, actor=get_system_user(), trigger=AgingTrigger.COMMAND
        )


def late_fees(loan):
    return list(
        LedgerEntry.objects.filter(
            loan=loan, kind="fee_assessed", fee_kind="late", reverses__isnull=True
        ).values_list("installment_number", "amount")
    )


def since_last_run(as_of):
    last = AgingRun.objects.filter(as_of__lte=as_of).order_by("-as_of").first()
    return aging_selectors.late_fee_candidates(
        as_of, since=(last.as_of, last.started_at)
    )


def test_a_quiet_night_looks_at_no_loan_and_a_new_due_date_at_its_loan(
    book, cashiering_system
):
    with time_machine.travel(date(2026, 1, 2), tick=False):
        loan = book("L-1")  # first due Feb 1, 2026, grace 15 days, nothing paid
    age(date(2026, 2, 20))
    assert late_fees(loan) == [(1, Decimal("15.00"))]
    # The fee it charged changed the ledger: the next night looks once more,
    # and the one after that at nothing.
    assert since_last_run(date(2026, 2, 21)) == [loan.pk]
    assert age(date(2026, 2, 21)).late_fees_count == 0
    assert since_last_run(date(2026, 2, 22)) == []
    # Installment 2's grace ends March 16: the run after it looks at the loan.
    age(date(2026, 3, 10))
    assert since_last_run(date(2026, 3, 17)) == [loan.pk]
    age(date(2026, 3, 17))
    assert late_fees(loan) == [(1, Decimal("15.00")), (2, Decimal("15.00"))]


def test_a_check_returned_after_the_run_makes_the_old_installment_late(
    book, cashiering_system
):
    with time_machine.travel(date(2026, 1, 2), tick=False):
        loan = book("L-1")
    with time_machine.travel(date(2026, 2, 1), tick=False):
        paid = payment_post(
            actor=cashiering_system,
            loan=loan,
            amount=Decimal("188.71"),
            received_on=date(2026, 2, 1),
            method="check",
            reference="CHK-1",
        ).payment
    age(date(2026, 2, 20))
    assert late_fees(loan) == []
    with time_machine.travel(date(2026, 2, 25), tick=False):
        payment_reverse(actor=cashiering_system, payment=paid, reason="nsf")
    # Its grace ended before the last run, but its ledger changed since.
    assert since_last_run(date(2026, 2, 26)) == [loan.pk]
    age(date(2026, 2, 26))
    assert late_fees(loan) == [(1, Decimal("15.00"))]
    # And the full rule finds nothing the narrowed run missed.
    with time_machine.travel(date(2026, 2, 26) + timedelta(hours=1), tick=False):
        assert late_fees_assess(actor=get_system_user(), as_of=date(2026, 2, 26)) == 0
