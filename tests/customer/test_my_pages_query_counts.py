"""Every customer page reads a fixed number of rows sets, however many
records the customer has: the same page for a customer with 1 record and
for one with 50 runs the same number of SQL queries (no query per row)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from loans.choices import ApplicationStatus
from loans.models import Statement
from loans.services.payments import payment_post
from portal.models import Correspondence, OnlineApplication
from programs.choices import RebateStatus
from tests.customer.my_setup import TODAY, active_loan, customer_with_login
from tests.factories import (
    LoanApplicationFactory,
    RebateApplicationFactory,
    RebatePaymentFactory,
    UtilityAccountFactory,
)
from tests.factories.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

MANY = 50


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def queries(client, user, url: str) -> int:
    client.force_login(user)
    client.get(url)  # the session and the log-in's first reads settle
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def with_applications(username: str, count: int):
    """`count` of each: drafts, loan applications (half waiting for
    information) and rebate applications (with payments)."""
    user, customer = customer_with_login(username, username.title(), "Tester")
    account = UtilityAccountFactory(customer=customer)
    for i in range(count):
        OnlineApplication.objects.create(kind="loan", customer=customer, step="amount")
        LoanApplicationFactory(
            account=account,
            status=ApplicationStatus.NEEDS_INFORMATION
            if i % 2
            else ApplicationStatus.IN_REVIEW,
        )
        RebatePaymentFactory(
            application__account=account, application__status=RebateStatus.PAID
        )
    return user, customer


def test_my_applications_costs_the_same_for_1_and_50(client):
    one, _ = with_applications("one", 1)
    many, _ = with_applications("many", MANY)
    url = reverse("customer:applications")
    assert queries(client, one, url) == queries(client, many, url)


def with_answered_application(username: str, count: int):
    """A loan and a rebate application, each with `count` files answered
    (and the rebate with `count` payments)."""
    from portal.services import document_upload

    user, customer = customer_with_login(username, username.title(), "Tester")
    account = UtilityAccountFactory(customer=customer)
    loan_app: Any = LoanApplicationFactory(
        account=account, status=ApplicationStatus.NEEDS_INFORMATION
    )
    rebate: Any = RebateApplicationFactory(
        account=account, status=RebateStatus.PAID, approved_amount=Decimal("300.00")
    )
    for _ in range(count):
        document = document_upload(
            actor=user,
            upload=upload("answer.pdf", pdf_bytes(), "application/pdf"),
            document_type="other",
            customer=customer,
        )
        loan_app.documents.add(document)
        rebate.documents.add(document)
        RebatePaymentFactory(application=rebate, amount=Decimal("1.00"))
    return user, loan_app, rebate


def test_an_application_page_costs_the_same_for_1_and_50_files(client):
    one, one_loan_app, one_rebate = with_answered_application("one", 1)
    many, many_loan_app, many_rebate = with_answered_application("many", MANY)

    def url(kind, application):
        return reverse("customer:application", args=[kind, application.pk])

    assert queries(client, one, url("loan", one_loan_app)) == queries(
        client, many, url("loan", many_loan_app)
    )
    assert queries(client, one, url("rebate", one_rebate)) == queries(
        client, many, url("rebate", many_rebate)
    )


def test_my_loans_costs_the_same_for_1_and_50_loans(
    client, staff_alice, supervisor_bob
):
    one, one_customer = customer_with_login("one", "One", "Tester")
    many, many_customer = customer_with_login("many", "Many", "Tester")
    active_loan(one_customer, staff_alice, supervisor_bob, number="ONE-1")
    for i in range(MANY):
        active_loan(many_customer, staff_alice, supervisor_bob, number=f"MANY-{i}")
    url = reverse("customer:loans")
    assert queries(client, one, url) == queries(client, many, url)


def loan_with_history(customer, staff, supervisor, cashier, number: str, count: int):
    """A loan with `count` payments and `count` statements on file."""
    loan = active_loan(customer, staff, supervisor, number=number)
    for i in range(count):
        payment_post(
            actor=cashier,
            loan=loan,
            amount="10.00",
            received_on=date(2026, 1, 6) + timedelta(days=i),
            method="check",
            reference=f"{number}-P{i}",
        )
        # The statements' list reads their rows only; their PDFs are the
        # statement service's (tested in test_my_loans).
        letter = Correspondence.objects.create(
            customer=customer, channel="letter", subject=f"Statement {i}"
        )
        Statement.objects.create(
            loan=loan,
            period_start=date(2020, 1, 1) + timedelta(days=i),
            period_end=date(2020, 1, 1) + timedelta(days=i),
            balance=Decimal("100.00"),
            correspondence=letter,
            created_by=staff,
        )
    return loan


def test_a_loan_page_costs_the_same_for_1_and_50_payments_and_statements(
    client, staff_alice, supervisor_bob, cashier_casey
):
    one, one_customer = customer_with_login("one", "One", "Tester")
    many, many_customer = customer_with_login("many", "Many", "Tester")
    one_loan = loan_with_history(
        one_customer, staff_alice, supervisor_bob, cashier_casey, "ONE-1", 1
    )
    many_loan = loan_with_history(
        many_customer, staff_alice, supervisor_bob, cashier_casey, "MANY-1", MANY
    )

    def url(loan):
        return reverse("customer:loan", args=[loan.number]) + "?as_of=2026-03-31"

    assert queries(client, one, url(one_loan)) == queries(client, many, url(many_loan))
