"""Booking an existing loan (portfolio migration): it arrives already
disbursed, keeping its own rate and term."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from loans import schedule
from loans.choices import LoanStatus
from loans.models import Loan, LoanProduct
from loans.services.closing import loan_activate
from portal.audit import audit_context
from portal.models import Customer, UtilityAccount

NUMBER_TAKEN = "Loan number {number} already exists."
UNKNOWN_PRODUCT = "Unknown product {code!r}; use one of: {codes}."
FIRST_DUE_NOT_AFTER_DISBURSEMENT = (
    "The first due date must be after the disbursement date."
)
RATE_OUT_OF_RANGE = "The annual rate is a percentage from 0.00 to 100.00."
TERM_OUT_OF_RANGE = "The term is 1 to 600 months."


class LoanNumberTaken(ValidationError):
    pass


def _customer_for(name: str, email: str) -> Customer:
    if email:
        found = Customer.objects.filter(email__iexact=email).first()
        if found is not None:
            return found
    first, _, last = name.strip().rpartition(" ")
    customer = Customer(first_name=first, last_name=last or first, email=email)
    customer.full_clean()
    customer.save()
    return customer


@transaction.atomic
def loan_book(
    *,
    actor: Any,
    number: str,
    product_code: str,
    customer_name: str,
    customer_email: str,
    account_number: str,
    principal: Decimal,
    annual_rate: Decimal,
    term_months: int,
    first_due_date: date,
    disbursed_on: date,
) -> Loan:
    product = LoanProduct.objects.filter(code=product_code).first()
    errors: dict[str, str] = {}
    if product is None:
        codes = ", ".join(LoanProduct.objects.values_list("code", flat=True))
        errors["product"] = UNKNOWN_PRODUCT.format(code=product_code, codes=codes)
    if not Decimal(0) <= annual_rate <= Decimal(100):
        errors["annual_rate"] = RATE_OUT_OF_RANGE
    if not 1 <= term_months <= 600:
        errors["term_months"] = TERM_OUT_OF_RANGE
    if first_due_date <= disbursed_on:
        errors["first_due_date"] = FIRST_DUE_NOT_AFTER_DISBURSEMENT
    if errors:
        raise ValidationError(errors)
    assert product is not None  # an unknown product is among the errors
    if Loan.objects.filter(number=number).exists():
        raise LoanNumberTaken(NUMBER_TAKEN.format(number=number), code="conflict")

    with audit_context(
        user=actor, reason=f"Loan {number} booked (portfolio migration)"
    ):
        customer = _customer_for(customer_name, customer_email)
        account = UtilityAccount.objects.filter(number=account_number).first()
        if account is None:
            account = UtilityAccount(number=account_number, customer=customer)
            account.full_clean()
            account.save()
        loan = Loan(
            number=number,
            customer=customer,
            account=account,
            product=product,
            principal=principal,
            annual_rate=annual_rate,
            term_months=term_months,
            installment_amount=schedule.installment_amount(
                principal, annual_rate, term_months
            ),
            first_due_date=first_due_date,
            status=LoanStatus.CLOSING,
            lien_required=bool(
                product.lien_required_above
                and principal > product.lien_required_above.amount
            ),
        )
        loan.full_clean()
        loan.save()
    # Migrated loans carry no new origination fee: it was settled at their origin.
    return loan_activate(
        actor=actor, loan=loan, disbursed_on=disbursed_on, assess_origination_fee=False
    )
