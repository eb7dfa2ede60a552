"""A loan defaults when its days past due reach its product's default_dpd
(data, per product), with the day it reached it stamped as defaulted_on;
default stays until it is paid off or written off."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from loans.choices import LoanStatus
from loans.models import AgingTrigger, LoanProduct
from loans.services.aging import aging_run
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db

FIRST_DUE = date(2026, 2, 1)


def run(day, actor):
    return aging_run(as_of=day, actor=actor, trigger=AgingTrigger.SCHEDULE)


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_a_loan_defaults_at_the_products_days_past_due_not_a_day_before(
    book, supervisor_bob
):
    loan = book("L-1", first_due_date=FIRST_DUE)  # EE defaults at 120
    day_before = run(FIRST_DUE + timedelta(days=119), supervisor_bob)
    loan.refresh_from_db()
    assert (loan.status, day_before.to_defaulted) == (LoanStatus.DELINQUENT, 0)
    on_the_day = run(FIRST_DUE + timedelta(days=120), supervisor_bob)
    loan.refresh_from_db()
    assert (loan.status, on_the_day.to_defaulted) == (LoanStatus.DEFAULTED, 1)
    assert loan.defaulted_on == date(2026, 6, 1)
    latest = loan.history.order_by("-history_id").first()
    assert latest.history_change_reason.startswith("Defaulted")
    assert latest.history_change_reason.endswith("(aging run 2026-06-01)")
    assert (latest.history_user, latest.status, latest.defaulted_on) == (
        supervisor_bob,
        "defaulted",
        date(2026, 6, 1),
    )
    assert latest.number == "L-1"


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_the_default_age_is_the_products_own(book, supervisor_bob):
    ws = LoanProduct.objects.get(code="WS")
    ws.default_dpd = 60
    ws.save()
    water = book("W-1", product="WS", first_due_date=FIRST_DUE, annual_rate="3.00")
    energy = book("E-1", first_due_date=FIRST_DUE, account_number="100002")
    result = run(FIRST_DUE + timedelta(days=60), supervisor_bob)
    water.refresh_from_db()
    energy.refresh_from_db()
    assert (water.status, energy.status) == (
        LoanStatus.DEFAULTED,
        LoanStatus.DELINQUENT,
    )
    assert water.defaulted_on == FIRST_DUE + timedelta(days=60)
    assert result.to_defaulted == 1


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_a_catch_up_run_stamps_the_day_the_loan_reached_default(book, supervisor_bob):
    loan = book("L-1", first_due_date=FIRST_DUE)
    run(FIRST_DUE + timedelta(days=130), supervisor_bob)
    loan.refresh_from_db()
    assert loan.defaulted_on == FIRST_DUE + timedelta(days=120)


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_a_defaulted_loan_stays_defaulted_when_partly_paid(
    book, supervisor_bob, cashiering_system
):
    loan = book("L-1", first_due_date=FIRST_DUE)
    run(date(2026, 6, 1), supervisor_bob)
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("2000.00"),
        received_on=date(2026, 11, 30),
        method="check",
        reference="CATCH-UP",
    )
    again = run(date(2026, 12, 1), supervisor_bob)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DEFAULTED
    assert again.transitions()["active"] == 0


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_a_delinquent_loan_brought_current_is_active_again(
    book, supervisor_bob, cashiering_system
):
    loan = book("L-1", first_due_date=FIRST_DUE)
    run(date(2026, 3, 5), supervisor_bob)  # charges installment 1's fee
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DELINQUENT
    payment_post(
        actor=cashiering_system,
        loan=loan,
        # Two installments and the $15.00 fee, within installment 2's grace.
        amount=Decimal("392.42"),
        received_on=date(2026, 3, 10),
        method="check",
        reference="CURE",
    )
    cured = run(date(2026, 3, 11), supervisor_bob)
    loan.refresh_from_db()
    assert (loan.status, cured.to_active) == (LoanStatus.ACTIVE, 1)
