"""A paid-off loan stays paid off when a reversal moves its payoff later, and
its paid-off date moves with it (past-date aging reads that date)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.choices import LoanStatus
from loans.services.payments import payment_post, payment_reverse

pytestmark = pytest.mark.django_db


def pay(loan, actor, amount, day, ref):
    return payment_post(
        actor=actor,
        loan=loan,
        amount=Decimal(amount),
        received_on=day,
        method="check",
        reference=ref,
    ).payment


@time_machine.travel(date(2026, 7, 1), tick=False)
def test_reversing_a_payment_before_the_payoff_moves_the_paid_off_date_to_the_later_payment(
    book, cashiering_system
):
    loan = book("PD-1", principal="1200.00", annual_rate="0.00", term_months=2)
    early = pay(loan, cashiering_system, "300.00", date(2026, 2, 1), "PD-1-a")
    pay(loan, cashiering_system, "300.00", date(2026, 6, 1), "PD-1-c")
    # Back-dated: with the February payment it pays the loan off on March 1,
    # and June's payment is money beyond the payoff.
    pay(loan, cashiering_system, "900.00", date(2026, 3, 1), "PD-1-b")
    loan.refresh_from_db()
    assert (loan.status, loan.paid_off_on) == (LoanStatus.PAID_OFF, date(2026, 3, 1))

    payment_reverse(actor=cashiering_system, payment=early, reason="nsf")

    loan.refresh_from_db()
    assert (loan.status, loan.paid_off_on) == (LoanStatus.PAID_OFF, date(2026, 6, 1))
    assert loan.history.first().paid_off_on == date(2026, 6, 1)
