"""Past its final due date a loan with a balance is matured and stays in
collections; a matured loan paid in full closes as paid off."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.choices import LoanStatus
from loans.models import AgingTrigger
from loans.services.aging import aging_run
from loans.services.payments import payment_post, payoff_quote

pytestmark = pytest.mark.django_db

FIRST_DUE = date(2026, 2, 1)  # three installments: Feb 1, Mar 1, Apr 1


def run(day, actor):
    return aging_run(as_of=day, actor=actor, trigger=AgingTrigger.SCHEDULE)


def short_loan(book, cashiering_system, paid: int):
    loan = book(
        "L-1",
        principal="3000.00",
        annual_rate="0.00",
        term_months=3,
        first_due_date=FIRST_DUE,
    )
    for k in range(paid):
        payment_post(
            actor=cashiering_system,
            loan=loan,
            amount=Decimal("1000.00"),
            received_on=date(2026, 2 + k, 1),
            method="check",
            reference=f"P-{k}",
        )
    return loan


@time_machine.travel(date(2026, 8, 1), tick=False)
def test_past_the_final_due_date_with_a_balance_the_loan_is_matured_and_stays(
    book, cashiering_system, supervisor_bob
):
    loan = short_loan(book, cashiering_system, paid=2)
    on_final_due = run(date(2026, 4, 1), supervisor_bob)
    loan.refresh_from_db()
    assert (loan.status, on_final_due.to_matured) == (LoanStatus.ACTIVE, 0)
    day_after = run(date(2026, 4, 2), supervisor_bob)
    loan.refresh_from_db()
    assert (loan.status, day_after.to_matured) == (LoanStatus.MATURED, 1)
    later = run(date(2026, 5, 15), supervisor_bob)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.MATURED
    assert later.to_matured == 0
    assert later.bucket_counts()["31-60"] == 1  # still aged, in collections


@time_machine.travel(date(2026, 8, 1), tick=False)
def test_a_matured_loan_paid_in_full_closes_as_paid_off(
    book, cashiering_system, supervisor_bob
):
    loan = short_loan(book, cashiering_system, paid=2)
    run(date(2026, 4, 2), supervisor_bob)
    quote = payoff_quote(loan, date(2026, 4, 20))
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=quote.total,
        received_on=date(2026, 4, 20),
        method="check",
        reference="PAYOFF",
    )
    loan.refresh_from_db()
    assert (loan.status, loan.paid_off_on) == (LoanStatus.PAID_OFF, date(2026, 4, 20))
    after = run(date(2026, 4, 21), supervisor_bob)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PAID_OFF
    assert after.loans == 0


@time_machine.travel(date(2026, 8, 1), tick=False)
def test_a_loan_paid_on_schedule_is_paid_off_not_matured(
    book, cashiering_system, supervisor_bob
):
    loan = short_loan(book, cashiering_system, paid=3)
    result = run(date(2026, 4, 2), supervisor_bob)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PAID_OFF
    assert result.to_matured == 0
