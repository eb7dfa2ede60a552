"""A paid-off loan stays paid off when a reversal moves its payoff later, and
its paid-off date moves with it (past-date aging reads that date). A fee
assessed after the payoff (a returned check) reopens it until the fee is paid:
a loan that owes money is never "paid off"."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.choices import LoanStatus
from loans.selectors import ledger_balances
from loans.services.payments import payment_post, payment_reverse, payoff_quote

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

    payment_reverse(actor=cashiering_system, payment=early, reason="posting_error")

    loan.refresh_from_db()
    assert (loan.status, loan.paid_off_on) == (LoanStatus.PAID_OFF, date(2026, 6, 1))
    assert loan.history.order_by("-history_id").first().paid_off_on == date(2026, 6, 1)


@time_machine.travel(date(2026, 7, 1), tick=False)
def test_a_returned_check_fee_after_the_payoff_reopens_the_loan_until_it_is_paid(
    book, cashiering_system
):
    loan = book("PD-2", principal="1200.00", annual_rate="0.00", term_months=2)
    early = pay(loan, cashiering_system, "300.00", date(2026, 2, 1), "PD-2-a")
    pay(loan, cashiering_system, "300.00", date(2026, 6, 1), "PD-2-c")
    pay(loan, cashiering_system, "900.00", date(2026, 3, 1), "PD-2-b")

    # June's money still covers the principal, but the check's $25.00 fee is owed.
    payment_reverse(actor=cashiering_system, payment=early, reason="nsf")

    loan.refresh_from_db()
    assert (loan.status, loan.paid_off_on) == (LoanStatus.ACTIVE, None)
    assert ledger_balances(loan)["fees"] == Decimal("25.00")
    assert payoff_quote(loan, date(2026, 7, 1)).total == Decimal("25.00")

    pay(loan, cashiering_system, "25.00", date(2026, 7, 1), "PD-2-fee")

    loan.refresh_from_db()
    assert (loan.status, loan.paid_off_on) == (LoanStatus.PAID_OFF, date(2026, 7, 1))
    assert ledger_balances(loan)["fees"] == Decimal("0.00")
