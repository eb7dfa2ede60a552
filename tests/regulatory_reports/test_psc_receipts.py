"""PSC receipts: every payment received in the period with its allocation;
a reversal made in the period is a negative row on its reversal date; a
payment received in the period and reversed after it stays positive."""

from datetime import date
from decimal import Decimal

import pytest

from tests.regulatory_reports.psc_portfolio import q3  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def _row(loan, day, ref, amount, principal, fees="0.00", method="Check"):
    count = -1 if amount.startswith("-") else 1 if D(amount) else 0
    return {
        "loan": loan,
        "customer": f"Borrower {loan}",
        "date": day,
        "method": method,
        "reference": ref,
        "amount": D(amount),
        "principal": D(principal),
        "interest": D("0.00"),
        "fees": D(fees),
        "count": count,
    }


def test_every_receipt_row_with_its_allocation(q3):  # noqa: F811
    assert q3.rows["receipts"] == [
        _row("L-101", date(2026, 7, 1), "L101-7", "100.00", "100.00"),
        _row("L-104", date(2026, 7, 10), "L104-7", "100.00", "100.00"),
        _row("L-101", date(2026, 8, 1), "L101-8", "100.00", "100.00"),
        # The returned-payment fee is paid first, then June's and July's.
        _row("L-102", date(2026, 8, 3), "L102-8", "225.00", "200.00", "25.00"),
        _row("L-104", date(2026, 8, 10), "L104-8", "100.00", "100.00"),
        _row("L-103", date(2026, 8, 15), "L103-8", "100.00", "100.00"),
        # Returned on October 5, after the period: positive in this one.
        _row("L-101", date(2026, 9, 1), "L101-9", "100.00", "100.00"),
        _row("L-103", date(2026, 9, 15), "L103-9", "100.00", "100.00"),
        # The State's payment is a recovery: no allocation to the schedule.
        _row(
            "L-106",
            date(2026, 9, 20),
            "STATE-2026-0920",
            "1100.00",
            "0.00",
            method="ACH",
        ),  # fmt: skip
        # June's payment, returned on July 10: negative on that day.
        _row("L-102", date(2026, 7, 10), "L102-6", "-100.00", "-100.00"),
    ]


def test_receipt_totals_are_the_rows_net_of_the_reversal(q3):  # noqa: F811
    # Net: nine payments received, one returned.
    assert q3.figures["receipts"] == {
        "count": 8,
        "amount": "1925.00",
        "principal": "800.00",
        "interest": "0.00",
        "fees": "25.00",
    }
    assert q3.sections["receipts"].totals == {
        "amount": D("1925.00"),
        "principal": D("800.00"),
        "interest": D("0.00"),
        "fees": D("25.00"),
    }


def test_receipts_principal_and_fees_equal_the_summarys(q3):  # noqa: F811
    summary, receipts = q3.figures["summary"], q3.figures["receipts"]
    assert receipts["principal"] == summary["principal_received"] == "800.00"
    assert receipts["fees"] == summary["fees_received"] == "25.00"
