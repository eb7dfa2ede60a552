"""Linked records: a customer's page tells the whole story on one screen
(accounts, properties, loan applications, loans with status and balance,
rebate applications, documents, correspondence, notes), each row linking to
its record; an account's and a property's pages show their neighbours; the
lists open a record's page. It is June 15, 2026 throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

import pytest
import time_machine
from bs4 import BeautifulSoup
from djmoney.money import Money

from loans.services.booking import loan_book
from loans.services.payments import payment_post
from portal.models import BillingPeriod, Correspondence, Document, Note
from tests.factories import (
    CustomerFactory,
    LoanApplicationFactory,
    ProgramFactory,
    PropertyFactory,
    RebateApplicationFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def june_15():
    with time_machine.travel(NOW, tick=False):
        yield


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return BeautifulSoup(response.content, "html.parser")


def words(cell) -> str:
    return " ".join(cell.get_text(" ", strip=True).split())


def section(soup, name):
    return soup.find(id=f"{name}-section")


def rows(part):
    return [
        [words(cell) for cell in tr.find_all(["th", "td"])]
        for tr in part.select("tbody tr")
    ]


def links(part) -> dict[str, str]:
    return {words(a): a["href"] for a in part.find_all("a", href=True)}


def facts(soup) -> dict[str, str]:
    record = soup.find("dl", class_="portal-record")
    return {
        words(dt): words(dd)
        for dt, dd in zip(record.find_all("dt"), record.find_all("dd"), strict=True)
    }


@pytest.fixture
def walter(db, staff_alice, supervisor_bob):
    """Walter Okafor: two accounts (one at his parcel), a loan application
    approved and its loan with one payment, a rebate, a document, a letter
    and notes."""
    staff_alice.last_name = "Staff"
    staff_alice.save()
    customer = CustomerFactory(
        first_name="Walter",
        last_name="Okafor",
        email="walter@example.org",
        phone="555-0102",
        mailing_line1="PO Box 12",
        mailing_city="Riverton",
        mailing_state="NY",
        mailing_postal_code="12180",
        household_size=3,
        household_income=Money("41000.00", "USD"),
    )
    parcel = PropertyFactory(parcel_id="R-001-002", line1="48 Birch Ave")
    parcel.owners.add(customer)
    home = UtilityAccountFactory(
        number="100002",
        customer=customer,
        service_property=parcel,
        line1="48 Birch Ave",
        delinquent_balance=Money("82.50", "USD"),
    )
    shop = UtilityAccountFactory(
        number="100009",
        customer=customer,
        line1="2 Mill Rd",
        customer_class="commercial",
        status="final_billed",
    )
    application = LoanApplicationFactory(
        customer=customer,
        account=home,
        parcel=parcel,
        requested_amount=Money("2400.00", "USD"),
        approved_amount=Money("2400.00", "USD"),
        status="approved",
        prepared_by=staff_alice,
        created_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
    )
    loan = loan_book(
        actor=supervisor_bob,
        number="ZI-0007",
        product_code="ZI",
        customer_name="Walter Okafor",
        customer_email="walter@example.org",
        account_number="100002",
        principal=Decimal("2400.00"),
        annual_rate=Decimal("0.00"),
        term_months=24,
        first_due_date=date(2026, 2, 1),
        disbursed_on=date(2026, 1, 1),
    )
    loan.parcel = parcel
    loan.save()
    payment_post(
        actor=supervisor_bob,
        loan=loan,
        amount=Decimal("100.00"),
        received_on=date(2026, 2, 1),
        method="check",
        reference="ZI-0007-001",
    )
    program = ProgramFactory(code="GIP", name="Gas Incentive Program")
    rebate = RebateApplicationFactory(
        program=program,
        customer=customer,
        account=shop,
        status="approved",
        requested_amount=Money("500.00", "USD"),
        approved_amount=Money("450.00", "USD"),
        submitted_at=datetime(2026, 4, 2, 10, 0, tzinfo=UTC),
    )
    document = Document.objects.create(
        document_type="proof_of_income",
        file="documents/2026/03/w2.pdf",
        original_name="w2-2025.pdf",
        content_type="application/pdf",
        size_bytes=1000,
        customer=customer,
        uploaded_by=staff_alice,
        uploaded_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
    )
    letter = Correspondence.objects.create(
        customer=customer,
        account=home,
        channel="letter",
        subject="Your loan is approved",
        sent_at=datetime(2026, 1, 6, 9, 0, tzinfo=UTC),
        sent_by=staff_alice,
    )
    on_customer = Note.objects.create(
        content_type=ContentType.objects.get_for_model(customer),
        object_id=str(customer.pk),
        text="Prefers calls after 5 p.m.",
        author=staff_alice,
        created_at=datetime(2026, 5, 1, 17, 30, tzinfo=UTC),
    )
    on_account = Note.objects.create(
        content_type=ContentType.objects.get_for_model(home),
        object_id=str(home.pk),
        text="Meter replaced in March.",
        author=supervisor_bob,
        created_at=datetime(2026, 3, 20, 8, 0, tzinfo=UTC),
    )
    BillingPeriod.objects.create(
        account=home,
        period_start=date(2026, 5, 1),
        billed_amount=Money("120.00", "USD"),
        paid_amount=Money("37.50", "USD"),
        paid_late=True,
    )
    return {
        "customer": customer,
        "parcel": parcel,
        "home": home,
        "shop": shop,
        "application": application,
        "loan": loan,
        "rebate": rebate,
        "document": document,
        "letter": letter,
        "on_customer": on_customer,
        "on_account": on_account,
    }


def test_the_customer_page_tells_the_whole_story(client, supervisor_bob, walter):
    customer = walter["customer"]
    soup = page(
        client, supervisor_bob, reverse("customers:inspect", args=[customer.pk])
    )

    assert soup.title.get_text() == (
        "Customer: Walter Okafor - Riverton Municipal Utilities"
    )
    assert facts(soup) == {
        "Customer": "Walter Okafor (Person)",
        "Email": "walter@example.org",
        "Phone": "555-0102",
        "Mailing address": "PO Box 12, Riverton, NY 12180",
        "Date of birth": "—",
        "Verified": "age no · disability no · income no",
        "Household": "3 people · income $41,000.00",
        "Customer since": "June 15, 2026",
        "Log-in on the public site": "none",
    }

    accounts = section(soup, "customer-accounts")
    assert rows(accounts) == [
        [
            "100002",
            "48 Birch Ave, Riverton, NY 12180",
            "R-001-002",
            "Residential",
            "Active",
            "$82.50",
        ],
        [
            "100009",
            "2 Mill Rd, Riverton, NY 12180",
            "—",
            "Commercial",
            "Final billed",
            "$0.00",
        ],
    ]
    assert links(accounts)["100002"] == reverse(
        "accounts:inspect", args=[walter["home"].pk]
    )
    assert links(accounts)["R-001-002"] == reverse(
        "properties:inspect", args=[walter["parcel"].pk]
    )

    parcels = section(soup, "customer-properties")
    assert rows(parcels) == [["R-001-002", "48 Birch Ave, Riverton, NY 12180"]]

    applications = section(soup, "record-loan-applications")
    application = walter["application"]
    assert rows(applications) == [
        [
            application.reference,
            "Walter Okafor",
            "Energy-efficiency loan",
            "$2,400.00",
            "$2,400.00",
            "Approved",
            "January 5, 2026",
        ]
    ]
    assert links(applications)[application.reference] == reverse(
        "loan_applications:inspect", args=[application.pk]
    )

    loans = section(soup, "record-loans")
    assert rows(loans) == [
        [
            "ZI-0007",
            "Walter Okafor",
            "Zero-interest loan (state-guaranteed)",
            "$2,400.00",
            "$2,300.00",
            "106",
            "Active",
        ]
    ]
    assert links(loans)["ZI-0007"] == reverse("loans:inspect", args=[walter["loan"].pk])

    rebates = section(soup, "record-rebate-applications")
    rebate = walter["rebate"]
    assert rows(rebates) == [
        [
            rebate.reference,
            "Gas Incentive Program",
            "100009",
            "$500.00",
            "$450.00",
            "Approved (budget reserved)",
            "April 2, 2026",
        ]
    ]
    assert links(rebates)[rebate.reference] == reverse(
        "rebate_applications:inspect", args=[rebate.pk]
    )

    documents = section(soup, "record-documents")
    assert rows(documents) == [
        ["w2-2025.pdf", "Proof of income", "—", "March 3, 2026", "Alice Staff"]
    ]
    assert links(documents)["w2-2025.pdf"] == reverse(
        "customer_documents:inspect", args=[walter["document"].pk]
    )

    letters = section(soup, "record-correspondence")
    assert rows(letters) == [
        ["Your loan is approved", "Letter", "100002", "January 6, 2026", "Alice Staff"]
    ]
    assert links(letters)["Your loan is approved"] == reverse(
        "correspondence:inspect", args=[walter["letter"].pk]
    )

    notes = section(soup, "record-notes")
    assert rows(notes) == [
        [
            "Prefers calls after 5 p.m.",
            "Walter Okafor",
            "Alice Staff",
            "May 1, 2026, 5:30 p.m.",
        ],
        [
            "Meter replaced in March.",
            "100002 (Walter Okafor)",
            "Bob",
            "March 20, 2026, 8:00 a.m.",
        ],
    ]
    assert links(notes)["Meter replaced in March."] == reverse(
        "notes:inspect", args=[walter["on_account"].pk]
    )

    # One screen, in this order.
    order = [
        s["id"].removesuffix("-section")
        for s in soup.find_all("section", id=True)
        if s["id"].endswith("-section")
    ]
    assert order == [
        "customer-accounts",
        "customer-properties",
        "record-loan-applications",
        "record-loans",
        "record-liens",
        "record-rebate-applications",
        "record-documents",
        "record-correspondence",
        "record-notes",
    ]


def test_a_cashier_sees_only_what_the_role_may_read(client, cashier_casey, walter):
    customer = walter["customer"]
    soup = page(client, cashier_casey, reverse("customers:inspect", args=[customer.pk]))
    shown = {s["id"] for s in soup.find_all("section", id=True)}
    assert "customer-accounts-section" in shown
    assert "record-loans-section" in shown
    for hidden in [
        "customer-properties",
        "record-documents",
        "record-correspondence",
        "record-notes",
    ]:
        assert f"{hidden}-section" not in shown
    # The account's parcel is named but not linked: the cashier can't open it.
    accounts = section(soup, "customer-accounts")
    assert "R-001-002" in words(accounts) and "R-001-002" not in links(accounts)


def test_the_account_page_shows_its_neighbours(client, staff_alice, walter):
    home = walter["home"]
    soup = page(client, staff_alice, reverse("accounts:inspect", args=[home.pk]))
    assert facts(soup) == {
        "Account": "100002",
        "Customer": "Walter Okafor",
        "Service address": "48 Birch Ave, Riverton, NY 12180",
        "Property served": "R-001-002 48 Birch Ave",
        "Class": "Residential",
        "Services": "Electric, Water",
        "Status": "Active, opened June 15, 2026",
        "Delinquent balance": "$82.50",
        "Account manager": "—",
    }
    found = links(soup.find("dl", class_="portal-record"))
    assert found["Walter Okafor"] == reverse(
        "customers:inspect", args=[walter["customer"].pk]
    )
    assert found["R-001-002 48 Birch Ave"] == reverse(
        "properties:inspect", args=[walter["parcel"].pk]
    )
    assert [row[0] for row in rows(section(soup, "record-loans"))] == ["ZI-0007"]
    assert [row[0] for row in rows(section(soup, "record-loan-applications"))] == [
        walter["application"].reference
    ]
    # The rebate is on the other account.
    assert rows(section(soup, "record-rebate-applications")) == []
    assert "No rebate applications." in words(
        section(soup, "record-rebate-applications")
    )
    assert rows(section(soup, "account-billing")) == [
        ["May 2026", "$120.00", "$37.50", "late"]
    ]
    assert rows(section(soup, "record-correspondence"))[0][0] == (
        "Your loan is approved"
    )
    assert [row[0] for row in rows(section(soup, "record-notes"))] == [
        "Meter replaced in March."
    ]


def test_the_property_page_shows_owners_accounts_and_loans(client, staff_alice, walter):
    parcel = walter["parcel"]
    soup = page(client, staff_alice, reverse("properties:inspect", args=[parcel.pk]))
    assert facts(soup)["Owners"] == "Walter Okafor"
    assert links(soup.find("dl", class_="portal-record"))["Walter Okafor"] == (
        reverse("customers:inspect", args=[walter["customer"].pk])
    )
    assert rows(section(soup, "property-accounts")) == [
        ["100002", "Walter Okafor", "Active", "$82.50"]
    ]
    assert [row[0] for row in rows(section(soup, "record-loans"))] == ["ZI-0007"]
    assert [row[0] for row in rows(section(soup, "record-loan-applications"))] == [
        walter["application"].reference
    ]


def test_list_rows_open_the_record_page(client, staff_alice, walter):
    client.force_login(staff_alice)
    for namespace, record, title in [
        ("customers", walter["customer"], "Walter Okafor"),
        ("accounts", walter["home"], "100002"),
        ("properties", walter["parcel"], "R-001-002"),
    ]:
        soup = BeautifulSoup(
            client.get(reverse(f"{namespace}:index")).content, "html.parser"
        )
        title_link = next(a for a in soup.select("td.title a") if words(a) == title)
        assert title_link["href"] == reverse(f"{namespace}:inspect", args=[record.pk])
        # Editing is still one click away, on the page and in the row's menu.
        assert reverse(f"{namespace}:edit", args=[record.pk]) in str(soup)


def add_neighbours(customer, n, user):
    """n of every kind of neighbour around one customer."""
    from portal.models import Property

    start = Property.objects.count()
    program = ProgramFactory()
    for i in range(n):
        parcel = PropertyFactory(parcel_id=f"Q-{start + i:05d}")
        parcel.owners.add(customer)
        account = UtilityAccountFactory(customer=customer, service_property=parcel)
        LoanApplicationFactory(customer=customer, account=account, parcel=parcel)
        RebateApplicationFactory(program=program, customer=customer, account=account)
        Document.objects.create(
            document_type="invoice",
            file=f"documents/{i}.pdf",
            original_name=f"invoice-{i}.pdf",
            content_type="application/pdf",
            size_bytes=10,
            customer=customer,
            uploaded_by=user,
        )
        Correspondence.objects.create(
            customer=customer, account=account, channel="email", subject=f"#{i}"
        )
        Note.objects.create(
            content_type=ContentType.objects.get_for_model(account),
            object_id=str(account.pk),
            text=f"Note {i}",
            author=user,
        )


def test_the_customer_page_reads_a_fixed_number_of_queries(
    client, supervisor_bob, walter, django_assert_max_num_queries
):
    """The ceiling is the page as it is with walter's two of most things;
    with 12 and 102 of everything it takes no more (18 queries on this
    branch: the admin's own session, user and permission reads, the customer
    with their log-in, one query per kind of neighbour)."""
    customer = walter["customer"]
    url = reverse("customers:inspect", args=[customer.pk])
    client.force_login(supervisor_bob)

    def queries(ceiling):
        ContentType.objects.clear_cache()
        with django_assert_max_num_queries(ceiling) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return response, len(captured)

    _, ceiling = queries(1000)
    counts = []
    for more in (10, 90):  # 12 and 102 accounts, applications, documents...
        add_neighbours(customer, more, supervisor_bob)
        response, count = queries(ceiling)
        counts.append(count)
    assert counts == [ceiling, ceiling]
    assert response.content.decode().count("invoice-") == 100
