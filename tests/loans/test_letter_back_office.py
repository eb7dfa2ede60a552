"""The loan's documents page and the template preview: print a coupon book,
produce a statement, send a notice after a confirmation page, download what
was sent; preview a template for a loan or with sample figures."""

from datetime import date

from django.core import mail
from django.urls import reverse

import pytest
import time_machine

from loans.models import LetterTemplate, LoanCorrespondence, Statement
from tests.loans.letters_fixtures import *  # noqa: F403 (fixtures: loan, office)
from tests.loans.letters_fixtures import pdf_text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_the_loan_page_links_its_documents_page(client, loan, staff_alice):
    client.force_login(staff_alice)
    page = client.get(reverse("loans:inspect", args=[loan.pk])).content.decode()
    assert reverse("loan_documents", args=[loan.pk]) in page
    page = client.get(reverse("loan_documents", args=[loan.pk])).content.decode()
    assert "Print the coupon book" in page
    assert "Produce the statement" in page
    assert "Send a notice" in page


def test_a_cashier_sees_the_documents_but_no_buttons(client, loan, cashier_casey):
    client.force_login(cashier_casey)
    page = client.get(reverse("loan_documents", args=[loan.pk])).content.decode()
    assert "Print the coupon book" not in page
    response = client.post(reverse("loan_coupon_book", args=[loan.pk]))
    # Wagtail answers a refused permission by sending them to the dashboard.
    assert response.status_code in (302, 403)
    assert LoanCorrespondence.objects.count() == 0


def test_print_the_coupon_book_and_download_it(client, loan, staff_alice):
    client.force_login(staff_alice)
    response = client.post(reverse("loan_coupon_book", args=[loan.pk]))
    assert response.status_code == 302
    record = LoanCorrespondence.objects.get(kind="coupon_book")
    download = client.get(reverse("loan_correspondence_file", args=[record.pk]))
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content))
    assert "Payment coupons for loan L-1" in text


def test_produce_a_statement(client, loan, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_statement", args=[loan.pk]), {"period_end": "2026-02-28"}
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.period_end == date(2026, 2, 28)
    page = client.get(reverse("loan_documents", args=[loan.pk])).content.decode()
    assert "Statement for loan L-1" in page


def test_a_statement_in_the_future_is_refused_with_a_message(client, loan, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_statement", args=[loan.pk]),
        {"period_end": "2026-04-30"},
        follow=True,
    )
    assert Statement.objects.count() == 0
    assert "future" in response.content.decode()


def test_a_notice_is_sent_only_from_its_confirmation_page(client, loan, staff_alice):
    client.force_login(staff_alice)
    reminder = LetterTemplate.objects.get(code="reminder")
    url = reverse("loan_send_notice", args=[loan.pk])
    assert client.get(url).status_code == 200
    confirm = client.post(url, {"template": reminder.pk, "on": "2026-03-20"})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Send Reminder: payment past due to Carol Jensen?" in page
    assert "carol.jensen@example.org" in page
    assert LoanCorrespondence.objects.count() == 0 and mail.outbox == []
    sent = client.post(
        url, {"template": reminder.pk, "on": "2026-03-20", "confirmed": "True"}
    )
    assert sent.status_code == 302
    assert LoanCorrespondence.objects.get().template == reminder
    assert len(mail.outbox) == 1


def test_preview_with_sample_figures_and_for_a_loan(client, loan, staff_alice):
    client.force_login(staff_alice)
    reminder = LetterTemplate.objects.get(code="reminder")
    url = reverse("letter_template_preview", args=[reminder.pk])
    sample = client.get(url).content.decode()
    assert "Carol Sample" in sample
    for_loan = client.get(url, {"loan": "L-1"}).content.decode()
    assert "is 47 days past due" in for_loan
    unknown = client.get(url, {"loan": "NOPE"}).content.decode()
    assert "There is no loan numbered NOPE" in unknown
    pdf = client.get(url, {"loan": "L-1", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert "$377.42" in pdf_text(pdf.content)
