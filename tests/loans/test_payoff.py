"""Payoff as of a date, and paying it in full closes the loan."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.choices import LoanStatus
from loans.engine import loan_paid_off
from loans.selectors import ledger_balances
from loans.services.payments import payment_post, payoff_quote

pytestmark = pytest.mark.django_db
D = Decimal


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_payoff_is_principal_plus_due_interest_plus_accrued_plus_fees(
    book, cashiering_system
):
    loan = book("L-1")
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=D("188.71"),
        received_on=date(2026, 2, 1),
        method="ach",
        reference="P-1",
    )
    quote = payoff_quote(loan, date(2026, 3, 20))
    # Principal 9,852.96; installment 2 (Mar 1) interest 41.05 unpaid;
    # 19 days accrued on 9,852.96 at 5 % actual/365 = 25.64.
    assert (quote.principal, quote.interest, quote.fees, quote.total) == (
        D("9852.96"),
        D("66.69"),
        D("0.00"),
        D("9919.65"),
    )


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_paying_the_payoff_in_full_closes_the_loan_and_tells_the_liens_work(
    book, cashiering_system, django_capture_on_commit_callbacks
):
    loan = book("L-1")
    heard = []
    loan_paid_off.connect(
        lambda **kw: heard.append(kw), weak=False, dispatch_uid="test_payoff_heard"
    )
    try:
        quote = payoff_quote(loan, date(2026, 3, 20))
        with django_capture_on_commit_callbacks(execute=True):
            posted = payment_post(
                actor=cashiering_system,
                loan=loan,
                amount=quote.total,
                received_on=date(2026, 3, 20),
                method="ach",
                reference="PAYOFF",
            )
    finally:
        # Only this test's receiver: the liens app listens too.
        loan_paid_off.disconnect(dispatch_uid="test_payoff_heard")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PAID_OFF
    assert loan.paid_off_on == date(2026, 3, 20)
    assert ledger_balances(loan)["principal"] == D("0.00")
    assert sum(posted.allocation.values(), D("0")) == quote.total
    assert [h["loan"].number for h in heard] == ["L-1"]
    assert payoff_quote(loan, date(2026, 3, 20)).total == D("0.00")
