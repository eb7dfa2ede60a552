"""My loans: the list and a loan's page (balance as of today, the next
payment, days past due in words, the schedule, payments with reversals,
statements), the payoff quote for a chosen date (refused on its field
before today or past 90 days), and the PDFs (payoff letter, coupon book,
statement): application/pdf, never stored by a browser, and printed with the
customer's name, the loan number and the amounts as $x,xxx.xx.

The loan: $4,000.00 at 5 % over 48 months (installment $92.12) disbursed
January 5, 2026 with a $50.00 origination fee, first due February 1; one
$92.12 payment on February 1 pays the fee, then $16.67 interest and $25.45
principal. On March 10 the February and March installments are unpaid in
part and whole: 37 days past due."""

from __future__ import annotations

import html
import io
import re
from datetime import date

from django.urls import reverse

import pytest
import time_machine
from pypdf import PdfReader

from loans.models import LetterKind, LoanCorrespondence
from loans.services.payments import payment_post, payment_reverse
from loans.services.statements import statement_produce
from tests.customer.my_setup import TODAY, active_loan, customer_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def text(response) -> str:
    body = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def pdf_text(response) -> str:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def carol():
    return customer_with_login("carol", "Carol", "Jensen")


@pytest.fixture
def loan(carol, staff_alice, supervisor_bob, cashier_casey):
    _, customer = carol
    loan = active_loan(customer, staff_alice, supervisor_bob)
    payment_post(
        actor=cashier_casey,
        loan=loan,
        amount="92.12",
        received_on=date(2026, 2, 1),
        method="check",
        reference="CHK-1001",
    )
    loan.refresh_from_db()
    return loan


@pytest.fixture
def signed_in(client, carol):
    client.force_login(carol[0])
    return client


def loan_url(loan, query: str = "") -> str:
    return reverse("customer:loan", args=[loan.number]) + query


def test_the_list_shows_each_loan_with_what_is_owed_and_next_due(signed_in, loan):
    response = signed_in.get(reverse("customer:loans"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert (
        f"{loan.number} Past due 37 days $3,974.55 $92.12 due April 1, 2026 "
        "Energy-efficiency loan"
    ) in text(response)


def test_the_loan_page_shows_the_balance_as_of_today(signed_in, loan):
    response = signed_in.get(loan_url(loan))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = text(response)
    assert f"Loan {loan.number} Energy-efficiency loan: Past due 37 days" in page
    assert (
        "Balance as of March 10, 2026 Principal $3,974.55 Interest due $16.35 "
        "Fees $0.00 Balance $3,990.90 Next payment $92.12 due April 1, 2026 "
        "Days past due 37"
    ) in page
    assert "Past due 37 days. $142.12 of earlier installments is unpaid." in page


def test_the_schedule_and_payments_are_in_words(signed_in, loan):
    page = text(signed_in.get(loan_url(loan)))
    assert "1 February 1, 2026 $92.12 $75.45 $16.67 $42.12 Past due" in page
    assert "2 March 1, 2026 $92.12 $75.77 $16.35 $0.00 Past due" in page
    assert "3 April 1, 2026 $92.12 $76.08 $16.04 $0.00 Scheduled" in page
    assert "February 1, 2026 $92.12 Check Received" in page


def test_a_reversed_payment_is_shown_with_its_reason(signed_in, loan, cashier_casey):
    payment = payment_post(
        actor=cashier_casey,
        loan=loan,
        amount="92.12",
        received_on=date(2026, 3, 1),
        method="ach",
        reference="ACH-2002",
    ).payment
    payment_reverse(actor=cashier_casey, payment=payment, reason="returned")
    page = text(signed_in.get(loan_url(loan)))
    assert (
        "March 1, 2026 $92.12 Bank transfer (ACH) Reversed on March 10, 2026: "
        "Returned payment (ACH/card)"
    ) in page


def test_a_current_loan_says_current(signed_in, carol, staff_alice, supervisor_bob):
    _, customer = carol
    fresh = active_loan(
        customer,
        staff_alice,
        supervisor_bob,
        number="EE-2026-CUR",
        disbursed_on=date(2026, 3, 2),
        first_due_date=date(2026, 4, 1),
    )
    page = text(signed_in.get(loan_url(fresh)))
    assert "Energy-efficiency loan: Current" in page
    assert "Days past due 0" in page
    assert "Past due" not in page.split("Schedule")[0]


def test_the_payoff_quote_for_a_chosen_date_has_its_parts(signed_in, loan):
    response = signed_in.get(loan_url(loan, "?as_of=2026-03-31"))
    page = text(response)
    assert (
        f"To pay off loan {loan.number} on March 31, 2026: $4,007.23 Principal "
        "$3,974.55 Interest $32.68 Fees $0.00 Total $4,007.23"
    ) in page
    letter = reverse("customer:loan_payoff_letter", args=[loan.number])
    assert f"{letter}?as_of=2026-03-31" in response.content.decode()


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (
            "2026-03-09",
            "Choose today (March 10, 2026) or a later date: a payoff amount is "
            "for a day still to come.",
        ),
        (
            "2026-06-09",
            "Choose a date by June 8, 2026 (within 90 days): interest adds up "
            "every day, so we quote payoff amounts for the next 90 days only.",
        ),
        ("31/03/2026", "Enter the date as year-month-day, for example 2026-03-31."),
        ("", "Choose the date you plan to pay the loan off."),
    ],
)
def test_a_payoff_date_out_of_range_is_refused_on_its_field(
    signed_in, loan, as_of, message
):
    response = signed_in.get(loan_url(loan, f"?as_of={as_of}"))
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"] == [message]
    assert response.context["quote"] is None
    assert "Download the payoff letter" not in text(response)


def test_the_payoff_letter_is_a_pdf_for_the_chosen_date(signed_in, loan):
    response = signed_in.get(
        reverse("customer:loan_payoff_letter", args=[loan.number]) + "?as_of=2026-03-31"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert (
        f'filename="payoff-{loan.number}-2026-03-31.pdf"'
        in response["Content-Disposition"]
    )
    letter = pdf_text(response)
    assert "Carol Jensen" in letter
    assert loan.number in letter
    assert "$4,007.23" in letter
    assert "$3,974.55" in letter


def test_a_payoff_letter_for_a_refused_date_goes_back_to_the_field(signed_in, loan):
    response = signed_in.get(
        reverse("customer:loan_payoff_letter", args=[loan.number]) + "?as_of=2025-01-01"
    )
    assert response.status_code == 302
    assert response["Location"] == loan_url(loan, "?as_of=2025-01-01#payoff")


def test_the_coupon_book_is_printed_once_then_served_again(signed_in, loan):
    url = reverse("customer:loan_coupon_book", args=[loan.number])
    first = signed_in.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert "no-store" in first["Cache-Control"]
    book = pdf_text(first)
    assert "Carol Jensen" in book
    assert loan.number in book
    assert "$92.12" in book
    assert signed_in.get(url).status_code == 200
    # Kept with the loan's correspondence; asking again prints no second book.
    assert (
        LoanCorrespondence.objects.filter(
            loan=loan, kind=LetterKind.COUPON_BOOK
        ).count()
        == 1
    )


def test_a_statement_is_listed_and_downloads(signed_in, loan, staff_alice):
    statement = statement_produce(
        loan=loan, actor=staff_alice, period_end=date(2026, 2, 28)
    )
    url = reverse("customer:loan_statement", args=[loan.number, statement.pk])
    page = signed_in.get(loan_url(loan))
    assert (
        "Statement January 5, 2026 to February 28, 2026 (PDF) : balance $3,974.55"
        in text(page)
    )
    assert url in page.content.decode()
    response = signed_in.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    printed = pdf_text(response)
    assert "Carol Jensen" in printed
    assert loan.number in printed
    assert "$3,974.55" in printed


def test_an_unknown_loan_number_is_404(signed_in, loan):
    assert signed_in.get("/account/loans/EE-2099-99999/").status_code == 404


def test_a_loan_in_closing_owes_nothing_yet_and_offers_no_payoff(
    signed_in, carol, staff_alice, supervisor_bob
):
    from loans.services import applications as workflow
    from loans.services import closing
    from tests.customer.my_setup import application_in_review

    _, customer = carol
    application = application_in_review(customer, staff_alice)
    workflow.application_approve(actor=supervisor_bob, application=application)
    opened = closing.loan_create_from_application(
        actor=staff_alice, application=application, first_due_date=date(2026, 5, 1)
    )
    response = signed_in.get(loan_url(opened))
    page = text(response)
    assert "Energy-efficiency loan: Being set up: not paid out yet" in page
    assert "Principal $0.00 Interest due $0.00 Fees $0.00 Balance $0.00" in page
    assert "The schedule is set when the loan is paid out." in page
    assert "Pay off the loan" not in page
    assert "coupon book" not in page
    # Nothing to pay off and no coupon book to print before the money is out.
    for name in ("customer:loan_payoff_letter", "customer:loan_coupon_book"):
        assert signed_in.get(reverse(name, args=[opened.number])).status_code == 404
