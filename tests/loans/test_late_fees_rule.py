"""The late-fee rule: an installment is late when, replaying the payments
without fees, it is not fully paid by the end of its grace period (due date +
15 days for EE); it is charged $15.00 once, effective the next day. So a
catch-up run equals daily runs, a re-run charges nothing, and one late payment
does not make the on-time installments after it late (no pyramiding)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from loans.choices import EntryKind, FeeKind
from loans.models import LedgerEntry
from loans.selectors import loan_summary
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db
D = Decimal
NOW = date(2026, 8, 1)


def late_fees(loan):
    """(installment, amount, effective date) of each late fee, in order."""
    return list(
        LedgerEntry.objects.filter(
            loan=loan, kind=EntryKind.FEE_ASSESSED, fee_kind=FeeKind.LATE
        )
        .order_by("installment_number")
        .values_list("installment_number", "amount", "effective_on")
    )


def post(loan, actor, amount, received_on, reference):
    return payment_post(
        actor=actor,
        loan=loan,
        amount=D(amount),
        received_on=received_on,
        method="check",
        reference=reference,
    )


def twelve_hundreds(book, number):
    """12 × $100.00 (0 %), due the 15th from January 15, 2026; EE: $15.00
    late fee after 15 grace days, so installment k's grace ends on the 30th
    (March 2 for February) and its fee is effective the day after."""
    return book(
        number,
        principal="1200.00",
        annual_rate="0.00",
        term_months=12,
        first_due_date=date(2026, 1, 15),
        disbursed_on=date(2025, 12, 15),
    )


def run_daily(actor, loan, payments, start, end):
    """Post each payment on the day it is received, then run that day's job."""
    charged = 0
    day = start
    while day <= end:
        for i, (received_on, amount) in enumerate(payments):
            if received_on == day:
                post(loan, actor, amount, received_on, f"{loan.number}-{i}")
        charged += late_fees_assess(actor=actor, as_of=day)
        day += timedelta(days=1)
    return charged


def post_all(actor, loan, payments):
    for i, (received_on, amount) in enumerate(payments):
        post(loan, actor, amount, received_on, f"{loan.number}-{i}")


@time_machine.travel(NOW, tick=False)
def test_a_rerun_for_the_same_date_charges_nothing(book, cashiering_system):
    loan = book("L-1")  # $188.71 due the 1st from Feb 1, nothing paid
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 6, 1)) == 4
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 6, 1)) == 0
    assert late_fees(loan) == [
        (1, D("15.00"), date(2026, 2, 17)),
        (2, D("15.00"), date(2026, 3, 17)),
        (3, D("15.00"), date(2026, 4, 17)),
        (4, D("15.00"), date(2026, 5, 17)),
    ]
    assert loan_summary(loan, date(2026, 6, 1)).balance["fees"] == D("60.00")


# On time (#1), partial then completed after grace (#2 late), on time although
# the fee charged for #2 takes the first $15.00 of later payments (#3),
# within grace (#4), partial never completed (#5 late), nothing (#6 late).
HISTORY = [
    (date(2026, 1, 15), "100.00"),
    (date(2026, 2, 15), "60.00"),
    (date(2026, 3, 5), "40.00"),
    (date(2026, 3, 15), "100.00"),
    (date(2026, 4, 28), "100.00"),
    (date(2026, 5, 15), "50.00"),
    (date(2026, 6, 10), "50.00"),
]
EXPECTED = [
    (2, D("15.00"), date(2026, 3, 3)),
    (5, D("15.00"), date(2026, 5, 31)),
    (6, D("15.00"), date(2026, 7, 1)),
]


@time_machine.travel(NOW, tick=False)
def test_one_catch_up_run_charges_the_same_fees_as_daily_runs(book, cashiering_system):
    daily = twelve_hundreds(book, "L-DAILY")
    charged = run_daily(
        cashiering_system, daily, HISTORY, date(2026, 1, 1), date(2026, 7, 1)
    )
    assert charged == 3
    assert late_fees(daily) == EXPECTED

    caught_up = twelve_hundreds(book, "L-CATCH-UP")
    post_all(cashiering_system, caught_up, HISTORY)
    # The daily loan has nothing more to pay: only the catch-up loan's 3.
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 7, 1)) == 3
    assert late_fees(caught_up) == EXPECTED == late_fees(daily)


@time_machine.travel(NOW, tick=False)
def test_an_installment_paid_after_its_grace_period_but_before_the_run_is_charged(
    book, cashiering_system
):
    loan = twelve_hundreds(book, "L-1")
    # #1 was due January 15, unpaid through its grace end on January 30,
    # and paid in full on February 20, two days before the run.
    post(loan, cashiering_system, "100.00", date(2026, 2, 20), "P-1")
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 2, 22)) == 1
    assert late_fees(loan) == [(1, D("15.00"), date(2026, 1, 31))]
    # The fee is older than the payment, so the payment now pays it first.
    payment = loan.payments.get()
    lines = {
        (e.kind, e.installment_number): e.amount
        for e in payment.entries.filter(reversed_by__isnull=True, reverses=None)
    }
    assert lines == {
        (EntryKind.FEE_PAID, 1): D("15.00"),
        (EntryKind.PRINCIPAL_PAID, 1): D("85.00"),
    }
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 2, 22)) == 0


def on_time_after_one_late(late_on):
    """January's $100.00 paid late, then exactly $100.00 on every due date."""
    return [
        (late_on, "100.00"),
        (date(2026, 2, 15), "100.00"),
        (date(2026, 3, 15), "100.00"),
    ]


ON_TIME_AFTER_ONE_LATE = on_time_after_one_late(date(2026, 1, 31))


# January 31: the day after the grace end, before that day's run;
# February 5: after a run charged the fee.
@pytest.mark.parametrize("late_on", [date(2026, 1, 31), date(2026, 2, 5)])
@time_machine.travel(NOW, tick=False)
def test_on_time_installments_after_one_late_payment_are_not_charged_daily_runs(
    book, cashiering_system, late_on
):
    loan = twelve_hundreds(book, "L-1")
    charged = run_daily(
        cashiering_system,
        loan,
        on_time_after_one_late(late_on),
        date(2026, 1, 15),
        date(2026, 3, 31),
    )
    assert charged == 1
    assert late_fees(loan) == [(1, D("15.00"), date(2026, 1, 31))]
    # In the ledger each payment paid the $15.00 shortfall left by the fee
    # first, so #3 is $15.00 short; that shortfall is the fee's, not lateness.
    third = loan.installments.get(number=3)
    assert (third.principal, third.principal_paid) == (D("100.00"), D("85.00"))


@time_machine.travel(NOW, tick=False)
def test_on_time_installments_after_one_late_payment_are_not_charged_catch_up(
    book, cashiering_system
):
    loan = twelve_hundreds(book, "L-1")
    post_all(cashiering_system, loan, ON_TIME_AFTER_ONE_LATE)
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 3, 31)) == 1
    assert late_fees(loan) == [(1, D("15.00"), date(2026, 1, 31))]
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 3, 31)) == 0


@time_machine.travel(NOW, tick=False)
def test_a_loan_whose_product_has_no_late_fee_is_not_charged(book, cashiering_system):
    loan = book("L-ZI", product="ZI", annual_rate="0.00")  # ZI: late fee $0.00
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 6, 1)) == 0
    assert late_fees(loan) == []
