"""Loans with liens for the lien lifecycle tests: a migrated loan booked on
a property (EE: a lien above $5,000.00), and its lien at each step."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission

from liens.models import Lien
from liens.services.liens import lien_create_for_loan, lien_record
from loans.models import Loan
from loans.services.booking import loan_book
from portal.audit import audit_context
from tests.factories.portal import PropertyFactory, UserFactory


def cashiering_user() -> Any:
    user = UserFactory(username="cashiering")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="loans",
            codename__in=["view_loan", "post_payment", "book_loan"],
        )
    )
    return user


def loan_on_property(
    number: str = "L-1",
    *,
    principal: str = "10000.00",
    parcel_id: str | None = None,
    account_number: str = "100001",
) -> Loan:
    """A migrated EE loan (5 %, 60 months, disbursed Jan 1, 2026) on a parcel."""
    loan = loan_book(
        actor=cashiering_user(),
        number=number,
        product_code="EE",
        customer_name="Carol Jensen",
        customer_email="carol.jensen@example.org",
        account_number=account_number,
        principal=Decimal(principal),
        annual_rate=Decimal("5.00"),
        term_months=60,
        first_due_date=date(2026, 2, 1),
        disbursed_on=date(2026, 1, 1),
    )
    parcel = PropertyFactory(**({"parcel_id": parcel_id} if parcel_id else {}))
    parcel.owners.add(loan.customer)
    loan.parcel = parcel
    with audit_context(reason="Property on file"):
        loan.save(update_fields=["parcel"])
    return loan


def lien_to_record(actor: Any, **loan_fields: Any) -> Lien:
    return lien_create_for_loan(actor=actor, loan=loan_on_property(**loan_fields))


def recorded_lien(actor: Any, **loan_fields: Any) -> Lien:
    return lien_record(
        actor=actor,
        lien=lien_to_record(actor, **loan_fields),
        recording_county="Marion",
        instrument_number="2026-004512",
        recorded_on=date(2026, 1, 15),
    )
