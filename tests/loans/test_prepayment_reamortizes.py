"""Money beyond what is due prepays principal: the installment amount stays,
the schedule is re-amortized and the loan pays off sooner."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans import schedule
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
    assert len(rows) < 60
    # Every remaining installment but the last keeps the original amount.
    assert {r.amount for r in rows[:-1]} == {D("188.71")}
    assert rows[-1].amount <= D("188.71")
    expected = schedule.reamortize(
        D("7852.96"), D("5.00"), D("188.71"), 2, date(2026, 2, 1)
    )
    assert [(r.number, r.principal, r.interest) for r in rows[1:]] == [
        (e.number, e.principal, e.interest) for e in expected
    ]
    assert ledger_balances(loan)["principal"] == D("7852.96")
    assert sum((r.principal - r.principal_paid for r in rows), D("0")) == D("7852.96")
