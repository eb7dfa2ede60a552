"""The payoff letter as a customer reads it (the PDF's text): the office,
the letter's date, the customer's mailing address, the payoff total as of
its date and what it includes, the date it is good through, and where and
how to pay. The loan page's balance and the letter differ by exactly the
interest accrued since the last due date, and say so."""

import io
from datetime import date

from django.urls import reverse

from wagtail.models import Site

import pytest
import time_machine
from pypdf import PdfReader

from loans.documents.payoff_letter import payoff_letter_html, payoff_letter_pdf
from portal.models import OfficeSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return OfficeSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        utility_name="Riverton Municipal Utilities",
        office_name="Customer Finance Office",
        line1="100 Main St",
        city="Riverton",
        state="NY",
        postal_code="12180",
        phone="(518) 555-0100",
        email="finance@riverton.example",
        hours="Monday to Friday, 8:00 a.m. to 4:30 p.m.",
        payable_to="Riverton Municipal Utilities",
        remit_line1="PO Box 4100",
        remit_city="Riverton",
        remit_state="NY",
        remit_postal_code="12181",
        remittance_instructions="You can also pay in person at the office.",
    )


@pytest.fixture
def loan(book):
    """$10,000 at 5% over 60 months, first due 2026-02-01, nothing paid;
    the borrower Carol Jensen at 12 Maple St, Apt 3."""
    loan = book("L-1")
    customer = loan.customer
    customer.mailing_line1 = "12 Maple St"
    customer.mailing_line2 = "Apt 3"
    customer.mailing_city = "Riverton"
    customer.mailing_state = "NY"
    customer.mailing_postal_code = "12180"
    customer.save()
    return loan


def pdf_text(pdf: bytes) -> str:
    """The PDF's words on one line each page, spaces normalised."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_the_letter_prints_the_office_its_date_and_the_customers_address(office, loan):
    text = pdf_text(payoff_letter_pdf(loan=loan, as_of=date(2026, 2, 11)))
    assert text.startswith(
        "Riverton Municipal Utilities Customer Finance Office 100 Main St "
        "Riverton, NY 12180 Phone (518) 555-0100 finance@riverton.example "
        "Monday to Friday, 8:00 a.m. to 4:30 p.m. "
        "March 20, 2026 "
        "Carol Jensen 12 Maple St Apt 3 Riverton, NY 12180 "
        "Payoff statement for loan L-1"
    )


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_the_payoff_total_says_its_date_and_that_it_includes_accrued_interest(
    office, loan
):
    text = pdf_text(payoff_letter_pdf(loan=loan, as_of=date(2026, 2, 11)))
    assert (
        "Principal outstanding $10,000.00 "
        "Interest: unpaid interest due, and interest accrued since the last due "
        "date (February 1, 2026) to February 11, 2026 $55.37 "
        "Unpaid fees $0.00 "
        "Payoff total as of February 11, 2026, including interest accrued since "
        "the last due date $10,055.37"
    ) in text
    assert (
        "This payoff total is good through February 11, 2026: it settles the loan "
        "when received on or before that date. If payment arrives after that "
        "date, add $1.37 for each further day."
    ) in text


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_the_letter_says_to_whom_where_and_how_to_pay(office, loan):
    text = pdf_text(payoff_letter_pdf(loan=loan, as_of=date(2026, 2, 11)))
    assert (
        "How to pay Make your check payable to Riverton Municipal Utilities and "
        "write loan number L-1 on it. Mail it to: Riverton Municipal Utilities "
        "PO Box 4100 Riverton, NY 12181 "
        "You can also pay in person at the office."
    ) in text
    assert (
        "Questions about this statement? Contact Customer Finance Office at "
        "(518) 555-0100, finance@riverton.example (Monday to Friday, 8:00 a.m. "
        "to 4:30 p.m.)."
    ) in text


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_payments_go_to_the_office_address_when_no_payment_address_is_set(office, loan):
    office.remit_line1 = office.remit_city = office.remit_postal_code = ""
    office.remit_state = ""
    office.save()
    text = pdf_text(payoff_letter_pdf(loan=loan, as_of=date(2026, 2, 11)))
    assert (
        "Mail it to: Riverton Municipal Utilities 100 Main St Riverton, NY 12180"
    ) in text


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_the_letter_can_be_dated_other_than_today(office, loan):
    html = payoff_letter_html(
        loan=loan, as_of=date(2026, 2, 11), dated=date(2026, 2, 9)
    )
    assert '<p class="dated">February 9, 2026</p>' in html


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_before_the_first_due_date_interest_accrues_since_disbursement(office, loan):
    text = pdf_text(payoff_letter_pdf(loan=loan, as_of=date(2026, 1, 21)))
    assert (
        "interest accrued since disbursement (January 1, 2026) to January 21, "
        "2026 $27.40"
    ) in text
    assert (
        "Payoff total as of January 21, 2026, including interest accrued since "
        "disbursement $10,027.40"
    ) in text


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_a_customer_without_a_mailing_address_is_flagged_not_guessed(office, book):
    loan = book("L-2")
    html = payoff_letter_html(loan=loan, as_of=date(2026, 2, 11))
    assert (
        "Carol Jensen<br><strong>No mailing address on file: add it on the "
        "customer's record before mailing.</strong>"
    ) in html


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_without_office_settings_the_letter_still_names_the_utility(loan):
    text = pdf_text(payoff_letter_pdf(loan=loan, as_of=date(2026, 2, 11)))
    assert text.startswith("Riverton Municipal Utilities")
    assert "March 20, 2026 Carol Jensen 12 Maple St" in text
    assert (
        "Make your check payable to Riverton Municipal Utilities and write loan "
        "number L-1 on it. Product:"
    ) in text


@time_machine.travel(date(2026, 2, 11), tick=False)
def test_the_loan_page_balance_is_the_payoff_total_less_accrued_interest(
    client, office, loan, supervisor_bob
):
    # 2026-02-11: installment 1 (due 2026-02-01) unpaid. Its interest, $41.67,
    # is due; ten days since then accrue $13.70 more. Page: $10,041.67;
    # letter: $10,055.37.
    client.force_login(supervisor_bob)
    page = " ".join(
        client.get(reverse("loans:inspect", args=[loan.pk])).content.decode().split()
    )
    assert (
        "principal outstanding (due and not yet due) $10,000.00, unpaid interest "
        "due $41.67, unpaid fees $0.00; balance before interest accrued since the "
        "last due date $10,041.67."
    ) in page
    assert (
        "The payoff letter states the payoff total as of its date, including "
        "interest accrued since the last due date."
    ) in page
    text = pdf_text(payoff_letter_pdf(loan=loan, as_of=date(2026, 2, 11)))
    assert (
        "Payoff total as of February 11, 2026, including interest accrued since "
        "the last due date $10,055.37"
    ) in text
