"""PSC matured loans: those whose final due date falls in the period, with
original principal, amount repaid and principal balance at maturity."""

from datetime import date
from decimal import Decimal

import pytest

from tests.regulatory_reports.psc_portfolio import q3  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def test_each_matured_loan_with_its_figures(q3):  # noqa: F811
    assert q3.rows["matured"] == [
        {
            "loan": "L-104",
            "customer": "Borrower L-104",
            "final_due": date(2026, 8, 10),
            "original_principal": D("600.00"),
            "repaid": D("600.00"),
            "balance": D("0.00"),
            "status": "Paid off",
        },
        {
            "loan": "L-105",
            "customer": "Borrower L-105",
            "final_due": date(2026, 9, 5),
            "original_principal": D("600.00"),
            "repaid": D("300.00"),
            "balance": D("300.00"),
            "status": "Matured with a balance",
        },
    ]


def test_matured_totals(q3):  # noqa: F811
    assert q3.figures["matured"] == {
        "count": 2,
        "original_principal": "1200.00",
        "balance": "300.00",
    }
    assert q3.sections["matured"].totals == {
        "original_principal": D("1200.00"),
        "repaid": D("900.00"),
        "balance": D("300.00"),
    }
