"""A loan application's page links its customer, account, property,
documents and (once opened) its loan; a loan's page links its customer,
account, property, application and the customer's other loans; a document's
page links its customer; the loan and application lists open the record's
page. Each page reads its neighbours in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine
from bs4 import BeautifulSoup

from loans.models import Loan, LoanProduct
from portal.models import Document
from tests.factories import LoanApplicationFactory, PropertyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def march_1():
    with time_machine.travel(datetime(2026, 3, 1, 15, 0, tzinfo=UTC), tick=False):
        yield


def words(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def links(soup) -> dict[str, str]:
    return {words(a): a["href"] for a in soup.find_all("a", href=True)}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return BeautifulSoup(response.content, "html.parser")


def count_queries(client, url) -> int:
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_documents(customer, count, start):
    Document.objects.bulk_create(
        [
            Document(
                document_type="proof_of_income",
                file=f"documents/2026/02/n{start + i}.pdf",
                original_name=f"paystub-{start + i}.pdf",
                content_type="application/pdf",
                size_bytes=1000,
                customer=customer,
            )
            for i in range(count)
        ]
    )


def add_loans(customer, count, start):
    product = LoanProduct.objects.get(code="EE")
    Loan.objects.bulk_create(
        [
            Loan(
                number=f"OL-{start + i:04d}",
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


@pytest.fixture
def carol(book):
    """Carol's loan L-0001 opened from her application on her parcel, whose
    proposal is on file."""
    loan = book("L-0001", term_months=12, principal="1200.00")
    parcel = PropertyFactory(parcel_id="R-004-010", line1="12 Elm St")
    proposal = Document.objects.create(
        document_type="proposal",
        file="documents/2026/01/proposal.pdf",
        original_name="attic-proposal.pdf",
        content_type="application/pdf",
        size_bytes=1000,
        customer=loan.customer,
    )
    application = LoanApplicationFactory(
        customer=loan.customer,
        account=loan.account,
        parcel=parcel,
        proposal_document=proposal,
        status="approved",
    )
    loan.application = application
    loan.parcel = parcel
    loan.save()
    return {
        "loan": loan,
        "application": application,
        "parcel": parcel,
        "proposal": proposal,
    }


def test_the_application_page_links_its_neighbours(client, supervisor_bob, carol):
    loan, application = carol["loan"], carol["application"]
    client.force_login(supervisor_bob)
    soup = page(client, reverse("loan_applications:inspect", args=[application.pk]))
    found = links(soup)
    assert found["Carol Jensen"] == reverse(
        "customers:inspect", args=[loan.customer_id]
    )
    assert found[loan.account.number] == reverse(
        "accounts:inspect", args=[loan.account_id]
    )
    assert found[str(carol["parcel"])] == reverse(
        "properties:inspect", args=[carol["parcel"].pk]
    )
    assert found["L-0001"] == reverse("loans:inspect", args=[loan.pk])
    assert found["attic-proposal.pdf"] == reverse(
        "customer_documents:inspect", args=[carol["proposal"].pk]
    )
    assert "Loan: L-0001 (Active)" in words(soup)


def test_the_loan_page_links_its_neighbours(client, supervisor_bob, carol):
    loan, application = carol["loan"], carol["application"]
    add_loans(loan.customer, 2, 0)
    client.force_login(supervisor_bob)
    soup = page(client, reverse("loans:inspect", args=[loan.pk]))
    found = links(soup)
    assert found["Carol Jensen"] == reverse(
        "customers:inspect", args=[loan.customer_id]
    )
    assert found[loan.account.number] == reverse(
        "accounts:inspect", args=[loan.account_id]
    )
    assert found[str(carol["parcel"])] == reverse(
        "properties:inspect", args=[carol["parcel"].pk]
    )
    assert found[application.reference] == reverse(
        "loan_applications:inspect", args=[application.pk]
    )
    others = Loan.objects.filter(number__startswith="OL-").order_by("number")
    for other in others:
        assert found[other.number] == reverse("loans:inspect", args=[other.pk])
    neighbours = words(soup.find(id="loan-neighbours"))
    assert "Other loans OL-0000 (Active), OL-0001 (Active)" in neighbours
    assert neighbours.endswith("Other loans OL-0000 (Active), OL-0001 (Active)")


def test_the_document_page_links_its_customer(client, supervisor_bob, carol):
    proposal = carol["proposal"]
    client.force_login(supervisor_bob)
    soup = page(client, reverse("customer_documents:inspect", args=[proposal.pk]))
    assert links(soup)["Carol Jensen"] == reverse(
        "customers:inspect", args=[proposal.customer_id]
    )


def test_list_rows_open_the_record_page(client, supervisor_bob, carol):
    loan, application = carol["loan"], carol["application"]
    client.force_login(supervisor_bob)
    loans = links(page(client, reverse("loans:index")))
    assert loans["L-0001"] == reverse("loans:inspect", args=[loan.pk])
    applications = links(page(client, reverse("loan_applications:index")))
    assert applications[application.reference] == reverse(
        "loan_applications:inspect", args=[application.pk]
    )


def test_the_loan_page_takes_as_many_queries_with_20_other_loans_as_with_2(
    client, supervisor_bob, carol
):
    loan = carol["loan"]
    url = reverse("loans:inspect", args=[loan.pk])
    client.force_login(supervisor_bob)
    add_loans(loan.customer, 2, 0)
    with_2 = count_queries(client, url)
    add_loans(loan.customer, 18, 2)
    assert count_queries(client, url) == with_2
    assert page(client, url).find(id="loan-neighbours").text.count("OL-") == 20


def test_the_application_page_takes_as_many_queries_with_20_documents_as_with_2(
    client, supervisor_bob, carol
):
    application = carol["application"]
    url = reverse("loan_applications:inspect", args=[application.pk])
    client.force_login(supervisor_bob)
    add_documents(application.customer, 1, 0)  # and the proposal: 2
    with_2 = count_queries(client, url)
    add_documents(application.customer, 18, 1)
    assert count_queries(client, url) == with_2
    assert len(page(client, url).select("#record-documents-section tbody tr")) == 20


def test_the_document_page_takes_a_fixed_number_of_queries(
    client, supervisor_bob, carol
):
    proposal = carol["proposal"]
    url = reverse("customer_documents:inspect", args=[proposal.pk])
    client.force_login(supervisor_bob)
    first = count_queries(client, url)
    add_documents(proposal.customer, 20, 0)
    assert count_queries(client, url) == first
