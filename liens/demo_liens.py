"""Demo liens: every demo loan that needs a lien gets one, recorded; and one
loan paid off at a property sale has its satisfaction pending. Made through
the services as the system user; idempotent (run after loans.demo)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from liens.choices import LienStatus
from liens.services.liens import (
    lien_create_for_loan,
    lien_prepare_satisfaction,
    lien_record,
)
from liens.services.payoffs import payoff_request_create
from loans.choices import LoanStatus
from loans.models import Loan
from loans.services.booking import loan_book
from loans.services.payments import payment_post, payoff_quote
from portal.audit import audit_context, get_system_user
from portal.models import UtilityAccount

SOLD_LOAN = "EE-DEMO-0009"
SOLD_ACCOUNT = "100001"


def load_liens_demo() -> None:
    actor = get_system_user()
    with transaction.atomic():
        _sold_property_loan(actor)
        for loan in Loan.objects.filter(lien_required=True).order_by("number"):
            _lien_for(actor, loan)
        sold = Loan.objects.filter(number=SOLD_LOAN).first()
        if sold is not None:
            _pay_off_at_sale(actor, sold)


def _with_property(loan: Loan) -> Loan:
    # Migrated loans are booked without their property: the account's.
    account = loan.account
    if loan.parcel_id is None and account and account.service_property_id:
        loan.parcel_id = account.service_property_id
        with audit_context(reason="Property on file (demo)"):
            loan.save(update_fields=["parcel"])
    return loan


def _lien_for(actor: Any, loan: Loan) -> None:
    loan = _with_property(loan)
    if loan.parcel_id is None or loan.liens.exists():
        return
    lien = lien_create_for_loan(actor=actor, loan=loan)
    recorded_on = (loan.disbursed_on or timezone.localdate()) + timedelta(days=12)
    lien_record(
        actor=actor,
        lien=lien,
        recording_county="Rensselaer",
        instrument_number=f"{recorded_on:%Y}-{lien.pk:06d}",
        recorded_on=min(recorded_on, timezone.localdate()),
    )


def _sold_property_loan(actor: Any) -> None:
    if Loan.objects.filter(number=SOLD_LOAN).exists():
        return
    account = UtilityAccount.objects.filter(number=SOLD_ACCOUNT).first()
    if account is None:
        return
    today = timezone.localdate()
    disbursed = today - timedelta(days=120)
    loan_book(
        actor=actor,
        number=SOLD_LOAN,
        product_code="EE",
        customer_name=account.customer.display_name,
        customer_email=account.customer.email,
        account_number=account.number,
        principal=Decimal("5500.00"),
        annual_rate=Decimal("5.00"),
        term_months=48,
        first_due_date=disbursed + timedelta(days=30),
        disbursed_on=disbursed,
    )


def _pay_off_at_sale(actor: Any, loan: Loan) -> None:
    """The title company's request, its payment, the satisfaction prepared."""
    if loan.status != LoanStatus.PAID_OFF:
        today = timezone.localdate()
        payoff_request_create(
            actor=actor,
            loan=loan,
            title_company="Hudson Valley Title Co.",
            contact_name="Dana Reyes",
            email="closings@hudsontitle.example",
            closing_on=today,
            payoff_on=today,
        )
        payment_post(
            actor=actor,
            loan=loan,
            amount=payoff_quote(loan, today).total,
            received_on=today,
            method="check",
            reference=f"TITLE-{loan.number}",
        )
        loan.refresh_from_db()
    # The receiver does this after the commit; here at once, so the demo is
    # the same whether or not the signal has run yet.
    lien = loan.liens.filter(status=LienStatus.RECORDED).first()
    if lien is not None and loan.status == LoanStatus.PAID_OFF:
        lien_prepare_satisfaction(actor=actor, lien=lien)
