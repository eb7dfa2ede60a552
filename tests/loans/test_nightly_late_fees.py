"""The nightly job charges the late fee rule's fees (loans.services.late_fees):
once per installment, the day after its grace period, however often it runs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from loans.choices import EntryKind, FeeKind
from loans.models import AgingTrigger, LedgerEntry
from loans.services.aging import aging_run
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db


def late_fees(loan):
    return list(
        LedgerEntry.objects.filter(
            loan=loan, kind=EntryKind.FEE_ASSESSED, fee_kind=FeeKind.LATE
        )
        .order_by("installment_number")
        .values_list("installment_number", "amount", "effective_on")
    )


@time_machine.travel(date(2026, 5, 1), tick=False)
def test_daily_runs_charge_each_late_installment_once(book, supervisor_bob):
    loan = book("L-1", first_due_date=date(2026, 2, 1))  # EE: $15 after 15 days
    day, charged = date(2026, 2, 1), 0
    while day <= date(2026, 4, 30):
        run = aging_run(as_of=day, actor=supervisor_bob, trigger=AgingTrigger.API)
        charged += run.late_fees_count
        day += timedelta(days=1)
    assert charged == 3
    assert late_fees(loan) == [
        (1, Decimal("15.00"), date(2026, 2, 17)),
        (2, Decimal("15.00"), date(2026, 3, 17)),
        (3, Decimal("15.00"), date(2026, 4, 17)),
    ]


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_the_fee_falls_on_the_first_run_after_the_grace_period(book, supervisor_bob):
    book("L-1", first_due_date=date(2026, 2, 1))
    on_grace_end = aging_run(
        as_of=date(2026, 2, 16), actor=supervisor_bob, trigger=AgingTrigger.API
    )
    after = aging_run(
        as_of=date(2026, 2, 17), actor=supervisor_bob, trigger=AgingTrigger.API
    )
    assert (on_grace_end.late_fees_count, after.late_fees_count) == (0, 1)
    assert after.late_fees_amount == Decimal("15.00")


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_an_installment_paid_within_grace_is_never_charged(
    book, supervisor_bob, cashiering_system
):
    loan = book("L-1", first_due_date=date(2026, 2, 1))
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("188.71"),
        received_on=date(2026, 2, 16),
        method="check",
        reference="ON-TIME",
    )
    run = aging_run(
        as_of=date(2026, 3, 1), actor=supervisor_bob, trigger=AgingTrigger.API
    )
    assert run.late_fees_count == 0
    assert late_fees(loan) == []


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_a_late_payment_after_a_skipped_day_is_still_charged_on_catch_up(
    book, supervisor_bob, cashiering_system
):
    # Nobody ran the job on Feb 17-19; the customer paid on Feb 18 (late).
    loan = book("L-1", first_due_date=date(2026, 2, 1))
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("188.71"),
        received_on=date(2026, 2, 18),
        method="check",
        reference="LATE",
    )
    run = aging_run(
        as_of=date(2026, 2, 20), actor=supervisor_bob, trigger=AgingTrigger.API
    )
    assert run.late_fees_count == 1
    assert late_fees(loan) == [(1, Decimal("15.00"), date(2026, 2, 17))]
