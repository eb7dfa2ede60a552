"""A payment whose allocation was re-posted (an earlier payment of the loan
was returned first) and that is then returned itself is one negative row, on
its own reversal date, in the cash receipts journal; in the GL journal the
re-allocation moves principal between installments but every day still
balances."""

from datetime import date
from decimal import Decimal

import pytest

from loans.choices import PaymentMethod
from tests.regulatory_reports.journal_portfolio import build, pay
from tests.regulatory_reports.psc_portfolio import Portfolio, office_user

pytestmark = pytest.mark.django_db


def test_a_reallocated_payment_returned_later_is_one_negative_row(
    staff_alice, supervisor_bob
):
    p = Portfolio(office_user(), staff_alice, supervisor_bob)
    p.book("L-401", disbursed_on=date(2026, 5, 1), first_due=date(2026, 6, 1))
    june = pay(p, "L-401", date(2026, 6, 1), "100.00", "L401-6", PaymentMethod.CHECK)
    july = pay(p, "L-401", date(2026, 7, 1), "100.00", "L401-7", PaymentMethod.CHECK)
    # June's check returned: July's payment is re-allocated to June's installment.
    p.reverse(june, date(2026, 7, 5))
    p.reverse(july, date(2026, 7, 20))

    receipts = build("cash_receipts")
    assert [
        (r["date"], r["reference"], r["amount"]) for r in receipts.rows["entries"]
    ] == [
        (date(2026, 7, 1), "L401-7", Decimal("100.00")),
        (date(2026, 7, 5), "L401-6", Decimal("-100.00")),
        (date(2026, 7, 20), "L401-7", Decimal("-100.00")),
    ]
    assert receipts.figures["receipts"]["amount"] == "-100.00"

    journal = build("gl_journal")
    assert all(day["debits"] == day["credits"] for day in journal.rows["days"])
    cash = journal.figures["by_account"]["1010"]
    # Received $100.00 in July, returned $200.00: net cash −$100.00.
    assert Decimal(cash["debit"]) - Decimal(cash["credit"]) == Decimal("-100.00")
