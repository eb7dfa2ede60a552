"""Cash receipts journal for July 2026 (journal_portfolio): every payment
received in the month on its date with its method's label, a reversal as a
negative row on its reversal date, a payment returned after the month stays
positive; deposits per day and method are the payments received (gross), and
deposits − reversals = the net received; figures to the cent."""

from datetime import date
from decimal import Decimal

import pytest

from tests.regulatory_reports.journal_portfolio import build, july  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def _entry(day, method, loan, reference, amount):
    return {
        "date": day,
        "method": method,
        "loan": loan,
        "customer": f"Borrower {loan}",
        "reference": reference,
        "amount": D(amount),
    }


@pytest.fixture
def journal(july):  # noqa: F811
    return build("cash_receipts")


def test_every_receipt_and_reversal_of_the_month_in_date_order(journal):
    assert journal.rows["entries"] == [
        _entry(date(2026, 7, 1), "ACH", "L-301", "L301-7", "106.62"),
        _entry(date(2026, 7, 1), "Check", "L-303", "L303-7", "100.00"),
        # Returned NSF on July 10: negative on its reversal date.
        _entry(date(2026, 7, 10), "Check", "L-303", "L303-7", "-100.00"),
        _entry(date(2026, 7, 20), "Cash", "L-303", "L303-7B", "125.00"),
        _entry(date(2026, 7, 25), "Card", "L-304", "L304-7", "100.00"),
        # A recovery on a written-off loan is money received too.
        _entry(date(2026, 7, 28), "Cash", "L-305", "L305-REC", "200.00"),
        # Returned on August 4, after the month: positive in July.
        _entry(date(2026, 7, 31), "Check", "L-306", "L306-7", "100.00"),
    ]
    assert journal.sections["entries"].totals == {"amount": D("631.62")}


def test_deposits_per_day_and_method_are_the_payments_received_gross(journal):
    def row(day, method, count, amount):
        return {"date": day, "method": method, "count": count, "amount": D(amount)}

    assert journal.rows["deposits"] == [
        row(date(2026, 7, 1), "ACH", 1, "106.62"),
        row(date(2026, 7, 1), "Check", 1, "100.00"),
        row(date(2026, 7, 20), "Cash", 1, "125.00"),
        row(date(2026, 7, 25), "Card", 1, "100.00"),
        row(date(2026, 7, 28), "Cash", 1, "200.00"),
        row(date(2026, 7, 31), "Check", 1, "100.00"),
    ]
    assert journal.sections["deposits"].totals == {"count": 6, "amount": D("731.62")}


def test_the_figures_for_the_api(journal):
    assert journal.figures == {
        "receipts": {
            "count": 7,
            "amount": "631.62",
            "by_method": {
                "cash": {"count": 2, "amount": "325.00"},
                "check": {"count": 3, "amount": "100.00"},
                "ach": {"count": 1, "amount": "106.62"},
                "card": {"count": 1, "amount": "100.00"},
                "on_bill": {"count": 0, "amount": "0.00"},
            },
        },
        "days": [
            {"date": "2026-07-01", "method": "ach", "count": 1, "amount": "106.62"},
            {"date": "2026-07-01", "method": "check", "count": 1, "amount": "100.00"},
            {"date": "2026-07-20", "method": "cash", "count": 1, "amount": "125.00"},
            {"date": "2026-07-25", "method": "card", "count": 1, "amount": "100.00"},
            {"date": "2026-07-28", "method": "cash", "count": 1, "amount": "200.00"},
            {"date": "2026-07-31", "method": "check", "count": 1, "amount": "100.00"},
        ],
    }


def test_the_summary_reconciles_deposits_less_reversals_to_the_net(journal):
    assert journal.summary[:7] == [
        ("Entries (payments and reversals)", 7, "int"),
        ("Total received, net of reversals", D("631.62"), "money"),
        ("Payments deposited", 6, "int"),
        ("Deposits", D("731.62"), "money"),
        ("Reversals", 1, "int"),
        ("Reversed", D("-100.00"), "money"),
        (
            "Deposits − reversals = net received",
            "$731.62 − $100.00 = $631.62",
            "text",
        ),
    ]
    assert ("Check: net received", D("100.00"), "money") in journal.summary
    assert not any(
        label.startswith("On the utility bill") for label, *_ in journal.summary
    )


def test_the_month_after_shows_the_late_return_as_negative(july):  # noqa: F811
    august = build("cash_receipts", date(2026, 8, 1), date(2026, 8, 31))
    assert august.rows["entries"] == [
        _entry(date(2026, 8, 4), "Check", "L-306", "L306-7", "-100.00"),
    ]
    assert august.rows["deposits"] == []
    assert august.figures["receipts"]["amount"] == "-100.00"
