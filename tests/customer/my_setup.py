"""Shared set-up for the My applications / My loans tests: customers with a
log-in, and loans made the way the office makes them (application →
review → approval → loan opened → activated), through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group

from loans.models import Loan, LoanApplication
from loans.services import applications as workflow
from loans.services import closing
from portal import roles
from portal.models import Customer
from tests.factories import (
    CustomerFactory,
    LoanApplicationFactory,
    UserFactory,
    UtilityAccountFactory,
)

# The day the tests live on (time_machine): a Tuesday.
TODAY = date(2026, 3, 10)


def customer_with_login(username: str, first: str, last: str) -> tuple[Any, Customer]:
    user: Any = UserFactory(username=username, first_name=first, last_name=last)
    user.groups.add(Group.objects.get(name=roles.CUSTOMER))
    customer: Any = CustomerFactory(
        first_name=first,
        last_name=last,
        user=user,
        email=f"{username}@example.org",
    )
    return user, customer


def application_in_review(
    customer: Customer, staff: Any, *, amount: str = "4000.00"
) -> LoanApplication:
    application: Any = LoanApplicationFactory(
        prepared_by=staff,
        account=UtilityAccountFactory(customer=customer),
        requested_amount=Decimal(amount),
    )
    workflow.application_submit(actor=staff, application=application)
    workflow.application_start_review(actor=staff, application=application)
    application.refresh_from_db()
    return application


def active_loan(
    customer: Customer,
    staff: Any,
    supervisor: Any,
    *,
    amount: str = "4000.00",
    number: str | None = None,
    disbursed_on: date = date(2026, 1, 5),
    first_due_date: date = date(2026, 2, 1),
) -> Loan:
    """A loan as the office makes one: approved by a second person, opened
    from the application and activated by its disbursement."""
    application = application_in_review(customer, staff, amount=amount)
    workflow.application_approve(actor=supervisor, application=application)
    loan = closing.loan_create_from_application(
        actor=staff,
        application=application,
        first_due_date=first_due_date,
        number=number,
    )
    closing.loan_activate(actor=staff, loan=loan, disbursed_on=disbursed_on)
    loan.refresh_from_db()
    return loan
