"""Liens and subordination requests for the subordination tests.

The lien services are another part's, so a lien row is created directly
(recorded, first position) on a loan booked through loans' public
booking service, which gives it a real balance and schedule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission

from djmoney.money import Money

from liens.choices import LienStatus
from liens.choices_subordinations import SubordinationPurpose, SubordinationSource
from liens.models import Lien, SubordinationRequest
from liens.services.subordinations import subordination_request_submit
from loans.models import Loan
from loans.services.booking import loan_book
from portal.audit import get_system_user
from tests.factories.portal import PropertyFactory, UserFactory


def booked_loan(
    number: str = "L-0001",
    *,
    principal: str = "10000.00",
    first_due_date: date = date(2026, 2, 1),
    disbursed_on: date = date(2026, 1, 1),
    account_number: str = "100001",
) -> Loan:
    actor = UserFactory(username="cashiering")
    actor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="loans",
            codename__in=["view_loan", "post_payment", "book_loan"],
        )
    )
    return loan_book(
        actor=actor,
        number=number,
        product_code="EE",
        customer_name="Carol Jensen",
        customer_email="carol.jensen@example.org",
        account_number=account_number,
        principal=Decimal(principal),
        annual_rate=Decimal("5.00"),
        term_months=60,
        first_due_date=first_due_date,
        disbursed_on=disbursed_on,
    )


def recorded_lien(loan: Loan | None = None, **loan_kwargs: Any) -> Lien:
    loan = loan or booked_loan(**loan_kwargs)
    return Lien.objects.create(
        loan=loan,
        parcel=PropertyFactory(parcel_id="14-2-33", line1="12 Elm St"),
        amount=Money(loan.principal, "USD"),
        position=1,
        status=LienStatus.RECORDED,
        recording_county="Rensselaer",
        instrument_number="2026-000417",
        recorded_on=date(2026, 1, 5),
    )


def submitted_request(**overrides: Any) -> SubordinationRequest:
    values: dict[str, Any] = {
        "actor": get_system_user(),
        "source": SubordinationSource.PUBLIC_FORM,
        "institution": "Hudson Valley Savings Bank",
        "contact_name": "Dana Ortiz",
        "contact_email": "dana.ortiz@hvsb.example",
        "contact_phone": "518-555-0100",
        "property_text": "12 Elm St, Riverton (parcel 14-2-33)",
        "borrower_name": "Carol Jensen",
        "new_loan_amount": Decimal("150000.00"),
        "purpose": SubordinationPurpose.REFINANCE,
        "appraised_value": Decimal("200000.00"),
        "senior_liens_total": Decimal("20000.00"),
        "fee_paid": True,
        "fee_paid_on": date(2026, 1, 10),
        "fee_amount": Decimal("75.00"),
    }
    values.update(overrides)
    return subordination_request_submit(**values)
