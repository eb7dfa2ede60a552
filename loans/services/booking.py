"""Booking an existing loan (portfolio migration): it arrives already
disbursed, keeping its own rate and term."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from loans import schedule
from loans.choices import LoanStatus
from loans.models import Loan, LoanProduct
from loans.services.closing import loan_activate
from portal.audit import audit_context
from portal.checks import future_problem, identifier_problem
from portal.models import Customer, UtilityAccount

NUMBER_TAKEN = "Loan number {number} already exists."
UNKNOWN_PRODUCT = "Unknown product {code!r}; use one of: {codes}."
FIRST_DUE_NOT_AFTER_DISBURSEMENT = (
    "The first due date must be after the disbursement date."
)
RATE_OUT_OF_RANGE = "The annual rate is a percentage from 0.00 to 100.00."
TERM_OUT_OF_RANGE = "The term is 1 to 600 months."
ACCOUNT_OF_ANOTHER_CUSTOMER = (
    "Utility account {number} belongs to another customer; a loan is booked "
    "only onto the borrower's own account."
)
DISBURSED_TOO_EARLY = (
    "The disbursement date {day:%Y-%m-%d} is before {earliest:%Y-%m-%d}, the "
    "earliest date a booked loan may carry."
)
FIRST_DUE_TOO_LATE = (
    "The first due date must be within {days} days of the disbursement date."
)


class LoanNumberTaken(ValidationError):
    pass


def _existing_customer(name: str, email: str) -> Customer | None:
    if email:
        return Customer.objects.filter(email__iexact=email).first()
    return None


def _customer_for(name: str, email: str) -> Customer:
    if found := _existing_customer(name, email):
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
    if problem := identifier_problem(number, "A loan number"):
        errors["number"] = problem
    if problem := identifier_problem(account_number, "An account number"):
        errors["account_number"] = problem
    if product is None:
        codes = ", ".join(LoanProduct.objects.values_list("code", flat=True))
        errors["product"] = UNKNOWN_PRODUCT.format(code=product_code, codes=codes)
    if not Decimal(0) <= annual_rate <= Decimal(100):
        errors["annual_rate"] = RATE_OUT_OF_RANGE
    if not 1 <= term_months <= 600:
        errors["term_months"] = TERM_OUT_OF_RANGE
    errors.update(_date_problems(disbursed_on, first_due_date))
    account = UtilityAccount.objects.filter(number=account_number).first()
    if account is not None and not _borrower_owns(
        account, customer_name, customer_email
    ):
        errors["account_number"] = ACCOUNT_OF_ANOTHER_CUSTOMER.format(
            number=account_number
        )
    if errors:
        raise ValidationError(errors)
    assert product is not None  # an unknown product is among the errors
    if Loan.objects.filter(number=number).exists():
        raise LoanNumberTaken(NUMBER_TAKEN.format(number=number), code="conflict")
    try:
        # A savepoint: a client booking the same number (or creating the same
        # new account) at the same moment makes this insert fail; that is a
        # conflict (409) to retry, never a 500.
        with transaction.atomic():
            return _book(
                actor=actor,
                number=number,
                product=product,
                customer_name=customer_name,
                customer_email=customer_email,
                account_number=account_number,
                principal=principal,
                annual_rate=annual_rate,
                term_months=term_months,
                first_due_date=first_due_date,
                disbursed_on=disbursed_on,
            )
    except IntegrityError:
        raise LoanNumberTaken(
            NUMBER_TAKEN.format(number=number)
            if Loan.objects.filter(number=number).exists()
            else f"Loan {number} or account {account_number} was just booked by "
            "another client; retry to see it.",
            code="conflict",
        ) from None


def _date_problems(disbursed_on: date, first_due_date: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    earliest: date = settings.PORTAL_BOOKING_EARLIEST_DISBURSEMENT
    max_days: int = settings.PORTAL_BOOKING_FIRST_DUE_MAX_DAYS
    if problem := future_problem(disbursed_on, "The disbursement date"):
        errors["disbursed_on"] = problem
    elif disbursed_on < earliest:
        errors["disbursed_on"] = DISBURSED_TOO_EARLY.format(
            day=disbursed_on, earliest=earliest
        )
    if first_due_date <= disbursed_on:
        errors["first_due_date"] = FIRST_DUE_NOT_AFTER_DISBURSEMENT
    elif (first_due_date - disbursed_on).days > max_days:
        errors["first_due_date"] = FIRST_DUE_TOO_LATE.format(days=max_days)
    return errors


def _borrower_owns(account: UtilityAccount, name: str, email: str) -> bool:
    """An existing account is used only when it is the named borrower's: the
    customer found by e-mail, or (no e-mail match) one with the same name."""
    owner = account.customer
    found = _existing_customer(name, email)
    if found is not None:
        return found.pk == owner.pk
    return owner.display_name.casefold() == " ".join(name.split()).casefold()


def _book(
    *,
    actor: Any,
    number: str,
    product: LoanProduct,
    customer_name: str,
    customer_email: str,
    account_number: str,
    principal: Decimal,
    annual_rate: Decimal,
    term_months: int,
    first_due_date: date,
    disbursed_on: date,
) -> Loan:

    with audit_context(
        user=actor, reason=f"Loan {number} booked (portfolio migration)"
    ):
        account = UtilityAccount.objects.filter(number=account_number).first()
        if account is not None:
            # Checked above: the account is the borrower's own.
            customer = account.customer
        else:
            customer = _customer_for(customer_name, customer_email)
            account = UtilityAccount(number=account_number, customer=customer)
            # Uniqueness is the database's to judge (a race ends in 409).
            account.full_clean(validate_unique=False)
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
        loan.full_clean(validate_unique=False)
        loan.save()
    # Migrated loans carry no new origination fee: it was settled at their origin.
    return loan_activate(
        actor=actor, loan=loan, disbursed_on=disbursed_on, assess_origination_fee=False
    )
