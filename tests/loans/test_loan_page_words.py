"""The loan page and the bad-check ledger speak in words: money as
$1,234.56, dates as April 5, 2026, schedule statuses as "Paid", "Past due",
"Scheduled", and the days-past-due bucket as "31–60 days past due"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine
from bs4 import BeautifulSoup

from loans.services.payments import payment_post, payment_reverse
from loans.words import DPD_BUCKET_WORDS, INSTALLMENT_STATUS_WORDS

pytestmark = pytest.mark.django_db


def words(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return BeautifulSoup(response.content, "html.parser")


def table_after(soup, heading):
    title = soup.find("h3", string=heading)
    table = title.find_next("table")
    return [[words(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")]


@pytest.fixture
def loan(book, cashiering_system):
    """$12,000.00 at 0% over 12 months (installments of $1,000.00 from
    February 1, 2026); the first installment paid on time."""
    loan = book("L-0042", principal="12000.00", annual_rate="0.00", term_months=12)
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("1000.00"),
        received_on=date(2026, 2, 1),
        method="check",
        reference="L-0042-001",
    )
    return loan


@time_machine.travel(datetime(2026, 4, 5, 15, 0, tzinfo=UTC), tick=False)
def test_the_loan_page_writes_money_dates_and_statuses_in_words(
    client, supervisor_bob, loan
):
    soup = page(client, supervisor_bob, reverse("loans:inspect", args=[loan.pk]))
    text = words(soup)
    assert "$12,000.00 at 0.00% for 12 months" in text
    assert "installment $1,000.00" in text
    assert "first due February 1, 2026" in text
    assert "35 days past due (31–60 days past due)" in text
    assert "As of April 5, 2026:" in text
    assert "principal outstanding (due and not yet due) $11,000.00" in text
    assert "matures January 1, 2027" in text

    schedule = table_after(soup, "Schedule")
    assert schedule[0][:3] == ["1", "February 1, 2026", "$1,000.00"]
    assert schedule[0][-1] == "Paid"
    assert schedule[1][1] == "March 1, 2026"
    assert schedule[1][-1] == "Past due"
    assert schedule[3][-1] == "Scheduled"
    assert schedule[3][5] == "$8,000.00"  # balance after
    for row in schedule:
        assert "past_due" not in row[-1] and "scheduled" != row[-1]

    payments = table_after(soup, "Payments")
    assert payments[0][1:3] == ["February 1, 2026", "$1,000.00"]


def test_every_code_has_words():
    from loans.schedule import DPD_BUCKETS

    assert set(DPD_BUCKET_WORDS) == set(DPD_BUCKETS)
    assert DPD_BUCKET_WORDS["31-60"] == "31–60 days past due"
    assert INSTALLMENT_STATUS_WORDS["past_due"] == "Past due"


@time_machine.travel(datetime(2026, 2, 10, 15, 0, tzinfo=UTC), tick=False)
def test_the_bad_check_ledger_writes_money_dates_and_people(
    client, supervisor_bob, cashier_casey, loan
):
    cashier_casey.first_name, cashier_casey.last_name = "Casey", "Cashier"
    cashier_casey.save()
    payment = loan.payments.get()
    payment_reverse(actor=cashier_casey, payment=payment, reason="nsf")
    soup = page(client, supervisor_bob, reverse("loan_bad_check_ledger"))
    rows = [[words(td) for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert rows == [
        [
            "L-0042-001",
            "L-0042",
            "Carol Jensen",
            "$1,000.00",
            "February 1, 2026",
            "February 10, 2026",
            "Returned check (NSF)",
            "Casey Cashier",
        ]
    ]
    found = {words(a): a["href"] for a in soup.select("tbody a[href]")}
    assert found["L-0042"] == reverse("loans:inspect", args=[loan.pk])
    assert found["Carol Jensen"] == reverse(
        "customers:inspect", args=[loan.customer_id]
    )
