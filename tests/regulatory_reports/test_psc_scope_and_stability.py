"""The PSC report reads only loans of state-guaranteed products, and a past
period's figures do not move when money arrives after it."""

from datetime import date

from django.contrib.auth import get_user_model

import pytest
import time_machine

from loans.choices import PaymentMethod
from loans.models import Loan, LoanProduct
from loans.services.payments import payment_post
from tests.regulatory_reports.psc_portfolio import build_report, q3  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_non_guaranteed_products_loans_are_in_no_section(q3):  # noqa: F811
    # L-900 (EE) had a payment and a letter in the period and is past due.
    assert not LoanProduct.objects.get(code="EE").state_guaranteed
    for key, rows in q3.rows.items():
        assert "L-900" not in {row["loan"] for row in rows}, key


def test_figures_are_unchanged_after_a_payment_dated_after_the_period(q3):  # noqa: F811
    with time_machine.travel(date(2026, 10, 20), tick=False):
        payment_post(
            actor=_office(),
            loan=Loan.objects.get(number="L-208"),
            amount="400.00",
            received_on=date(2026, 10, 20),
            method=PaymentMethod.CASH,
            reference="L208-10",
        )
    again = build_report()
    assert again.figures == q3.figures
    assert again.rows == q3.rows


def _office():
    return get_user_model().objects.get(username="office")
