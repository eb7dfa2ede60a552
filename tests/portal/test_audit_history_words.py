"""The audit history reads as words: fields by their labels, choices by
their labels, money as $1,234.56, dates in the one date format, related
records by name and people by full name ("Reversed by: — → Casey Cashier"),
never field names, codes or ids."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine
from bs4 import BeautifulSoup
from djmoney.money import Money

from loans.models import LoanProduct
from loans.services.booking import loan_book
from loans.services.payments import payment_post, payment_reverse
from portal.audit import audit_context
from portal.services import customer_update
from tests.factories import (
    CustomerFactory,
    LoanApplicationFactory,
    PropertyFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def june_15():
    with time_machine.travel(NOW, tick=False):
        yield


def history(client, user, record):
    opts = record._meta
    client.force_login(user)
    response = client.get(
        reverse("audit_history", args=[opts.app_label, opts.model_name, record.pk])
    )
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def rows(soup):
    """(when, who, what, why, [change lines]) per history row, newest first."""
    found = []
    for tr in soup.select("table.listing tbody tr"):
        cells = tr.find_all("td")
        changes = [" ".join(div.get_text().split()) for div in cells[4].find_all("div")]
        found.append((*[words(c) for c in cells[:4]], changes))
    return found


def test_a_reversal_reads_as_words(client, cashier_casey, supervisor_bob):
    cashier_casey.first_name, cashier_casey.last_name = "Casey", "Cashier"
    cashier_casey.save()
    loan = loan_book(
        actor=supervisor_bob,
        number="ZI-0100",
        product_code="ZI",
        customer_name="Ruth Abernathy",
        customer_email="ruth@example.org",
        account_number="100005",
        principal=Decimal("2400.00"),
        annual_rate=Decimal("0.00"),
        term_months=24,
        first_due_date=date(2026, 2, 1),
        disbursed_on=date(2026, 1, 1),
    )
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=UTC), tick=False):
        payment = payment_post(
            actor=cashier_casey,
            loan=loan,
            amount=Decimal("100.00"),
            received_on=date(2026, 6, 1),
            method="check",
            reference="ZI-0100-001",
        ).payment
    payment_reverse(
        actor=cashier_casey, payment=payment, reason="nsf", note="Bank returned it"
    )

    soup = history(client, cashier_casey, payment)

    title = soup.title.get_text()
    assert title.startswith("History of ZI-0100-001")
    assert title.endswith(" - Riverton Municipal Utilities")
    reversal, posting = rows(soup)
    assert reversal == (
        "June 15, 2026, 2:00 p.m.",
        "Casey Cashier (casey)",
        "Changed",
        "Payment ZI-0100-001 reversed: Returned check (NSF)",
        [
            "Status: Posted → Reversed",
            "Reversed at: — → June 15, 2026, 2:00 p.m.",
            "Reversed by: — → Casey Cashier",
            "Reversal reason: — → Returned check (NSF)",
            "Reversal note: — → Bank returned it",
        ],
    )
    assert posting[:3] == (
        "June 1, 2026, 9:00 a.m.",
        "Casey Cashier (casey)",
        "Created",
    )
    text = words(soup.find("table"))
    for code in ["reversed_by", "reversal_reason", "nsf", "posted →"]:
        assert code not in text


def test_money_dates_and_yes_no_in_a_customers_history(client, staff_alice):
    staff_alice.last_name = "Staff"
    staff_alice.save()
    customer = CustomerFactory(first_name="Walter", last_name="Okafor")
    customer_update(
        actor=staff_alice,
        customer=customer,
        reason="Eligibility papers seen",
        date_of_birth=date(1950, 3, 4),
        age_verified=True,
        household_size=3,
        household_income=Decimal("41000.00"),
        kind="person",
        phone="555-0102",
    )

    changed, created = rows(history(client, staff_alice, customer))

    assert changed == (
        "June 15, 2026, 2:00 p.m.",
        "Alice Staff (alice)",
        "Changed",
        "Eligibility papers seen",
        [
            "Phone: — → 555-0102",
            "Date of birth: — → March 4, 1950",
            "Age verified: No → Yes",
            "Household size: — → 3",
            "Household income: — → $41,000.00",
        ],
    )
    assert created[2] == "Created" and created[4] == []


def test_related_records_and_people_by_name(client, staff_alice, supervisor_bob):
    supervisor_bob.last_name = "Boss"
    supervisor_bob.save()
    first = UtilityAccountFactory(
        number="100001",
        customer=CustomerFactory(first_name="Carol", last_name="Jensen"),
    )
    second = UtilityAccountFactory(number="100003", customer=first.customer)
    application = LoanApplicationFactory(
        account=first, customer=first.customer, parcel=None
    )
    with audit_context(user=staff_alice, reason="Entered on the wrong account"):
        application.account = second
        application.product = LoanProduct.objects.get(code="WS")
        application.requested_amount = Money("4500.00", "USD")
        application.status = "submitted"
        application.officer = supervisor_bob
        application.save()

    changed = rows(history(client, supervisor_bob, application))[0]

    assert changed[1:] == (
        "Alice (alice)",
        "Changed",
        "Entered on the wrong account",
        [
            "Account: 100001 (Carol Jensen) → 100003 (Carol Jensen)",
            "Product: EE — Energy-efficiency loan → WS — Water/sewer connection loan",
            "Requested amount: $4,000.00 → $4,500.00",
            "Status: Draft → Submitted",
            "Officer: — → Bob Boss",
        ],
    )


def test_owners_of_a_property_by_name(client, staff_alice):
    parcel = PropertyFactory(parcel_id="R-001-002", line1="48 Birch Ave")
    walter = CustomerFactory(first_name="Walter", last_name="Okafor")
    with audit_context(user=staff_alice, reason="Deed recorded"):
        parcel.owners.add(walter)

    changed = rows(history(client, staff_alice, parcel))[0]

    assert changed[3:] == ("Deed recorded", ["Owners: — → Walter Okafor"])
