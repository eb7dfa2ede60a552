"""Back-office loan screens render, and their query counts do not grow with
the number of loans, installments or payments (10 rows vs 500 rows)."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from loans.models import LedgerEntry, Loan, LoanProduct, Payment
from tests.factories import CustomerFactory, LoanApplicationFactory

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def add_loans(count, start):
    product = LoanProduct.objects.get(code="EE")
    customer = CustomerFactory()
    Loan.objects.bulk_create(
        [
            Loan(
                number=f"Q-{start + i:05d}",
                customer=customer,
                product=product,
                principal=Decimal("1000.00"),
                annual_rate=Decimal("5.00"),
                term_months=12,
                installment_amount=Decimal("85.61"),
                first_due_date=date(2026, 2, 1),
                status="active",
            )
            for i in range(count)
        ]
    )


def test_the_loan_list_query_count_does_not_grow_with_loans(client, staff_alice):
    client.force_login(staff_alice)
    url = reverse("loans:index")
    add_loans(10, 0)
    # The first page in a process also builds the sidebar (its menu's
    # permission queries), which later pages reuse (portal.admin_chrome).
    queries(client, url)
    with_10 = queries(client, url)
    add_loans(490, 10)
    assert queries(client, url) == with_10
    assert queries(client, url + "?dpd_bucket=1-30&status=active") <= with_10 + 1


def add_payments(loan, count, start):
    Payment.objects.bulk_create(
        [
            Payment(
                loan=loan,
                reference=f"QP-{start + i}",
                amount=Decimal("10.00"),
                received_on=date(2026, 2, 1),
                method="ach",
            )
            for i in range(count)
        ]
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                loan=loan,
                kind="unapplied",
                amount=Decimal("10.00"),
                effective_on=date(2026, 2, 1),
            )
            for _ in range(count)
        ]
    )


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_the_loan_page_query_count_does_not_grow_with_rows(client, staff_alice, book):
    client.force_login(staff_alice)
    small = book("L-10", term_months=10)
    add_payments(small, 10, 0)
    with_10 = queries(client, reverse("loans:inspect", args=[small.pk]))
    big = book("L-500", term_months=500, principal="20000.00", account_number="100002")
    add_payments(big, 500, 1000)
    assert queries(client, reverse("loans:inspect", args=[big.pk])) == with_10


def test_application_pages_and_actions_work_for_staff(
    client, staff_alice, supervisor_bob
):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    client.force_login(staff_alice)
    assert client.get(reverse("loan_applications:index")).status_code == 200
    inspect = reverse("loan_applications:inspect", args=[application.pk])
    assert "Underwriting" in client.get(inspect).content.decode()
    for action in ("submit", "start_review"):
        client.post(reverse("loan_application_action", args=[application.pk, action]))
    response = client.post(
        reverse("loan_application_action", args=[application.pk, "approve"]),
        follow=True,
    )
    assert "different person" in response.content.decode()
    client.force_login(supervisor_bob)
    client.post(reverse("loan_application_action", args=[application.pk, "approve"]))
    application.refresh_from_db()
    assert application.status == "approved"


def test_the_bad_check_ledger_and_batch_upload_pages_render(client, supervisor_bob):
    client.force_login(supervisor_bob)
    assert client.get(reverse("loan_bad_check_ledger")).status_code == 200
    response = client.post(
        reverse("loan_payment_batch_upload"),
        {"file": __import__("io").BytesIO(b"loan_number,amount\n")},
    )
    assert response.status_code == 200


def test_no_one_can_edit_or_delete_a_ledger_entry_from_the_admin(
    client, admin_user, book
):
    book("L-1")
    entry = LedgerEntry.objects.first()
    client.force_login(admin_user)
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("ledger_entries:edit", args=[entry.pk])
