"""The collections work queue page: every past-due loan with its amounts,
last action, next recommended action and promise, in words; filterable by
bucket and officer; its query count does not grow with the loans in it."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from tests.loans.collections_setup import record

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)  # loans booked with a Feb 1 first due date: 47 DPD


def add_loans(book, staff, start, count):
    loans = []
    for i in range(start, start + count):
        loan = book(f"L-{i:03d}", term_months=6, account_number=f"2000{i:02d}")
        record(staff, loan, "letter", date(2026, 2, 12), outcome="Reminder sent")
        record(
            staff,
            loan,
            "promise_to_pay",
            date(2026, 2, 20),
            channel="phone",
            promise_amount=Decimal("100.00"),
            promise_date=date(2026, 3, 1),
        )
        loans.append(loan)
    return loans


def get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, len(ctx.captured_queries)


@time_machine.travel(TODAY, tick=False)
def test_the_queue_query_count_does_not_grow_with_loans(client, book, staff_alice):
    client.force_login(staff_alice)
    url = reverse("collections:index")
    add_loans(book, staff_alice, 1, 2)
    _, with_2 = get(client, url)
    add_loans(book, staff_alice, 3, 10)
    response, with_12 = get(client, url)
    assert with_12 == with_2
    assert response.content.decode().count('href="/admin/loan-collections/loans/') == 12


@time_machine.travel(TODAY, tick=False)
def test_a_row_says_everything_in_words(client, book, staff_alice, supervisor_bob):
    (loan,) = add_loans(book, staff_alice, 1, 1)
    client.force_login(supervisor_bob)
    response, _ = get(client, reverse("collections:index"))
    page = response.content.decode()
    assert "L-001" in page
    assert "Carol Jensen" in page
    assert "47 <span" in page and "31–60 days past due" in page
    assert "Telephone call" in page  # next: the call at 45 days
    assert "Promise to pay, February 20, 2026" in page
    assert "Promise of $100.00 by March 1, 2026: open" in page
    # The Feb 1 and Mar 1 installments of $1,691.06 are past due.
    assert "$3,382.12" in page
    assert loan.number == "L-001"


@time_machine.travel(TODAY, tick=False)
def test_filters_by_bucket_and_officer(client, book, staff_alice):
    add_loans(book, staff_alice, 1, 1)
    client.force_login(staff_alice)
    url = reverse("collections:index")
    response, _ = get(client, url + "?bucket=31-60")
    assert "L-001" in response.content.decode()
    response, _ = get(client, url + "?bucket=1-30")
    assert "L-001" not in response.content.decode()
    response, _ = get(client, url + "?officer=none")
    assert "L-001" in response.content.decode()
    response, _ = get(client, url + f"?officer={staff_alice.pk}")
    assert "No loan is past due with these filters." in response.content.decode()


def test_people_without_collections_access_are_refused(client, outsider_dave, book):
    client.force_login(outsider_dave)
    response = client.get(reverse("collections:index"))
    assert response.status_code in (302, 403)


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_counts_the_queue_by_bucket_with_links(client, book, staff_alice):
    add_loans(book, staff_alice, 1, 2)
    client.force_login(staff_alice)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Collections work queue" in page
    assert (
        'href="/admin/loan-collections/?bucket=31-60">31–60 days past due</a></td><td>2<'
        in page
    )
