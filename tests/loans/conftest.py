"""Loans fixtures: a service account for the cashiering system, and booking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Permission

import pytest

from loans.services.booking import loan_book
from tests.factories import UserFactory


@pytest.fixture
def cashiering_system(db):
    """The cashiering system's service account: view loans, post payments, book."""
    user = UserFactory(username="cashiering")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="loans",
            codename__in=["view_loan", "post_payment", "book_loan"],
        )
    )
    return user


@pytest.fixture
def book(db, cashiering_system):
    """Book a migrated loan: book(number="L-1", principal="10000.00", ...)."""

    def make(
        number: str = "L-0001",
        *,
        product: str = "EE",
        principal: str = "10000.00",
        annual_rate: str = "5.00",
        term_months: int = 60,
        first_due_date: date = date(2026, 2, 1),
        disbursed_on: date = date(2026, 1, 1),
        account_number: str = "100001",
    ):
        return loan_book(
            actor=cashiering_system,
            number=number,
            product_code=product,
            customer_name="Carol Jensen",
            customer_email="carol.jensen@example.org",
            account_number=account_number,
            principal=Decimal(principal),
            annual_rate=Decimal(annual_rate),
            term_months=term_months,
            first_due_date=first_due_date,
            disbursed_on=disbursed_on,
        )

    return make
