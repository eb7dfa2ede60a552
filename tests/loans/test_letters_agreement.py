"""The loan agreement as the borrower reads it (the PDF's text): the
lender's office block from Settings › Office, the agreement's date, the
borrower's mailing address, and the lender named as the utility."""

import io
from datetime import date

from wagtail.models import Site

import pytest
import time_machine
from pypdf import PdfReader

from loans.documents.agreement import agreement_html, agreement_pdf
from portal.models import OfficeSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(book):
    loan = book("L-1")
    customer = loan.customer
    customer.mailing_line1 = "12 Maple St"
    customer.mailing_city = "Riverton"
    customer.mailing_state = "NY"
    customer.mailing_postal_code = "12180"
    customer.save()
    return loan


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


@time_machine.travel(date(2026, 1, 5), tick=False)
def test_the_agreement_prints_the_office_its_date_and_the_borrowers_address(loan):
    OfficeSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        utility_name="Riverton Water & Light",
        office_name="Customer Finance Office",
        line1="100 Main St",
        city="Riverton",
        state="NY",
        postal_code="12180",
        phone="(518) 555-0100",
    )
    text = pdf_text(agreement_pdf(loan))
    assert text.startswith(
        "Riverton Water & Light Customer Finance Office 100 Main St "
        "Riverton, NY 12180 Phone (518) 555-0100 "
        "January 5, 2026 "
        "Carol Jensen 12 Maple St Riverton, NY 12180 "
        "Loan agreement and promissory note — L-1 "
        "Between Riverton Water & Light (the lender) and Carol Jensen (the "
        "borrower), utility account 100001."
    )
    assert (
        "The borrower promises to repay $10,000.00 with interest at 5.00% per "
        "year in 60 monthly installments of $188.71"
    ) in text
    assert "Questions? Contact Customer Finance Office at (518) 555-0100." in text


def test_the_agreement_takes_the_date_it_is_given(loan):
    html = agreement_html(loan, dated=date(2026, 1, 2))
    assert '<p class="dated">January 2, 2026</p>' in html
