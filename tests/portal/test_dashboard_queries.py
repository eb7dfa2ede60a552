"""The dashboard reads each panel in a fixed number of queries: the same
ceiling holds with 10 and with 100 records of every kind the panels show
(applications at every step, loans past due with their schedules, today's
payments and batches, programs with approved and paid rebates).

The ceiling is the page without the office's panels (Wagtail's own panels,
the session, the user and the middleware: measured, so that a change there
does not move these numbers) plus what the role's panels may add."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine
from djmoney.money import Money

from loans.models import (
    Installment,
    Loan,
    LoanApplication,
    LoanProduct,
    Payment,
    PaymentBatch,
)
from programs.models import Program, RebateApplication, RebatePayment
from tests.factories import CustomerFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)
TODAY = NOW.date()

# The most queries the office's panels add to the home page per role,
# whatever the data: one reads the user's roles, then two per application
# panel (counts or totals, and the rows), three for today's payments, one
# for delinquency and three for the program budgets.
# Each panel reads once; the collections panel (counts by bucket) is one more.
PANEL_QUERIES = {"staff": 16, "supervisor": 10, "cashier": 9, "auditor": 6}


@pytest.fixture(autouse=True)
def june_15():
    with time_machine.travel(NOW, tick=False):
        yield


def add_records(n: int, alice, bob) -> None:
    """n records of every kind each panel reads (bulk: no history needed
    for reading)."""
    customer = CustomerFactory(first_name="Many", last_name="Records")
    account = UtilityAccountFactory(customer=customer)
    product = LoanProduct.objects.get(code="ZI")
    start = LoanApplication.objects.count()

    def application(i, status, prepared_by, **extra):
        return LoanApplication(
            customer=customer,
            account=account,
            product=product,
            requested_amount=Money("1000.00", "USD"),
            requested_term_months=12,
            purpose=f"Record {start + i}",
            status=status,
            prepared_by=prepared_by,
            submitted_at=NOW - timedelta(days=i % 40),
            **extra,
        )

    steps = ["draft", "submitted", "in_review", "needs_information"]
    LoanApplication.objects.bulk_create(
        [application(i, steps[i % 4], alice) for i in range(n)]
        + [
            application(i, "in_review", alice, information_requested_at=NOW)
            for i in range(n)
        ]
    )

    program = Program.objects.create(
        code=f"P{Program.objects.count()}",
        name=f"Program {Program.objects.count()}",
        program_type="rebate",
        fiscal_year=2026,
        budget=Money("1000000.00", "USD"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        customer_classes=["residential"],
    )

    def rebate(i, status, **extra):
        return RebateApplication(
            program=program,
            customer=customer,
            account=account,
            status=status,
            requested_amount=Money("300.00", "USD"),
            prepared_by=alice,
            submitted_at=NOW - timedelta(days=i % 30),
            **extra,
        )

    rebate_steps = ["submitted", "in_review", "needs_information", "inspected"]
    rebates = RebateApplication.objects.bulk_create(
        [rebate(i, rebate_steps[i % 4], inspection_passed=True) for i in range(n)]
        + [
            rebate(
                i,
                "inspection_scheduled",
                inspection_scheduled_for=TODAY + timedelta(days=i % 7),
            )
            for i in range(n)
        ]
        + [rebate(i, "in_review", information_provided_at=NOW) for i in range(n)]
        + [
            rebate(i, "approved", approved_amount=Money("300.00", "USD"))
            for i in range(n)
        ]
        + [rebate(i, "paid", approved_amount=Money("300.00", "USD")) for i in range(n)]
    )
    RebatePayment.objects.bulk_create(
        [
            RebatePayment(
                application=application,
                method="bill_credit",
                amount=Decimal("300.00"),
                paid_on=TODAY,
            )
            for application in rebates
            if application.status == "paid"
        ]
    )

    first = Loan.objects.count()
    loans = Loan.objects.bulk_create(
        [
            Loan(
                number=f"Q-{first + i:05d}",
                customer=customer,
                account=account,
                product=product,
                principal=Decimal("1200.00"),
                annual_rate=Decimal("0.00"),
                term_months=12,
                installment_amount=Decimal("100.00"),
                first_due_date=TODAY - timedelta(days=(i * 7) % 200 + 1),
                disbursed_on=date(2025, 1, 1),
                status="active",
            )
            for i in range(n)
        ]
    )
    Installment.objects.bulk_create(
        [
            Installment(
                loan=loan,
                number=k,
                due_date=loan.first_due_date + timedelta(days=30 * (k - 1)),
                principal=Decimal("100.00"),
                interest=Decimal("0.00"),
            )
            for loan in loans
            for k in range(1, 13)
        ]
    )
    batches = PaymentBatch.objects.bulk_create(
        [
            PaymentBatch(file_name=f"lockbox-{i}.csv", uploaded_by=bob, row_count=1)
            for i in range(n)
        ]
    )
    methods = ["cash", "check", "ach", "card", "on_bill"]
    Payment.objects.bulk_create(
        [
            Payment(
                loan=loans[i % len(loans)],
                reference=f"PAY-{first + i}",
                amount=Decimal("10.00"),
                received_on=TODAY,
                method=methods[i % 5],
                batch=batches[i],
                posted_by=bob,
            )
            for i in range(n)
        ]
    )


def home_queries(client, user, django_assert_max_num_queries, ceiling):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(user)
    # Start every count from the same cold cache (the content-type cache is
    # per process: warm or cold depending on the tests run before).
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response, len(captured)


def without_office_panels(client, user, monkeypatch, django_assert_max_num_queries):
    """Queries of the home page when no office panel concerns anyone."""
    from portal.panels import DashboardPanel

    with monkeypatch.context() as patch:
        patch.setattr(DashboardPanel, "concerns", classmethod(lambda cls, u: False))
        response, count = home_queries(
            client, user, django_assert_max_num_queries, 1000
        )
    assert "delinquency-section" not in response.content.decode()
    return count


@pytest.mark.parametrize("records", [10, 100])
def test_the_dashboard_reads_a_fixed_number_of_queries(
    client,
    monkeypatch,
    django_assert_max_num_queries,
    staff_alice,
    supervisor_bob,
    cashier_casey,
    auditor_audrey,
    records,
):
    add_records(records, staff_alice, staff_alice)
    users = {
        "staff": staff_alice,
        "supervisor": supervisor_bob,
        "cashier": cashier_casey,
        "auditor": auditor_audrey,
    }
    for role, user in users.items():
        ceiling = PANEL_QUERIES[role] + without_office_panels(
            client, user, monkeypatch, django_assert_max_num_queries
        )
        response, _ = home_queries(client, user, django_assert_max_num_queries, ceiling)
        body = response.content.decode()
        if role == "staff":
            # 100 drafts and more: the oldest ten of each step are listed,
            # with a link to the rest.
            if records == 100:
                assert "all submitted" in body
            assert "Inspections due" in body
        if role == "supervisor":
            in_review = records + len([i for i in range(records) if i % 4 == 2])
            assert f"{in_review} waiting" in body
        if role == "cashier":
            assert f"{records} payments totalling" in body


def test_the_ceiling_is_the_same_count_at_10_and_100_records(
    client, staff_alice, supervisor_bob, cashier_casey, django_assert_max_num_queries
):
    """Not only under the ceiling: exactly as many queries with ten times
    the records."""
    users = [staff_alice, supervisor_bob, cashier_casey]
    add_records(10, staff_alice, supervisor_bob)
    at_10 = [
        home_queries(client, user, django_assert_max_num_queries, 100)[1]
        for user in users
    ]
    add_records(90, staff_alice, supervisor_bob)
    at_100 = [
        home_queries(client, user, django_assert_max_num_queries, 100)[1]
        for user in users
    ]
    assert at_100 == at_10
