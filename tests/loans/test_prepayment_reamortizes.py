"""Money beyond what is due prepays principal: the installment amount stays,
the schedule is re-amortized and the loan pays off sooner."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.selectors import ledger_balances
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db
D = Decimal


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_payment_beyond_due_amount_prepays_principal_and_shortens_schedule(
    book, cashiering_system
):
    loan = book("L-1")
    assert loan.installments.count() == 60
    posted = payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=D("2188.71"),
        received_on=date(2026, 2, 1),
        method="ach",
        reference="P-1",
    )
    assert posted.allocation["principal"] == D("2147.04")
    rows = list(loan.installments.order_by("number"))
    # 1 paid + 46 re-amortized rows instead of 60: the loan ends 13 months sooner.
    assert len(rows) == 47
    # Every remaining installment but the last keeps the original amount.
    assert {r.amount for r in rows[:-1]} == {D("188.71")}
    # Interest on the balance after the prepayment: 7,852.96 × 5 % / 12 = 32.72.
    assert (rows[1].number, rows[1].due_date, rows[1].principal, rows[1].interest) == (
        2,
        date(2026, 3, 1),
        D("155.99"),
        D("32.72"),
    )
    assert (rows[2].principal, rows[2].interest) == (D("156.64"), D("32.07"))
    # The last installment takes the remaining balance and its interest.
    assert (rows[-1].number, rows[-1].due_date, rows[-1].principal) == (
        47,
        date(2029, 12, 1),
        D("149.80"),
    )
    assert (rows[-1].interest, rows[-1].amount) == (D("0.62"), D("150.42"))
    assert ledger_balances(loan)["principal"] == D("7852.96")
    assert sum((r.principal - r.principal_paid for r in rows), D("0")) == D("7852.96")
