"""A customer only ever sees their own records: every object URL of the
customer area that belongs to Carol answers 404 to Olga (the same answer as
for a record that does not exist), for reading and for answering; each of
them answers 200 to Carol, so the list is of real URLs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

import pytest
import time_machine

from loans.choices import ApplicationStatus
from loans.services.applications import application_request_information
from loans.services.statements import statement_produce
from portal.models import Document
from programs.choices import RebateStatus
from programs.services import rebate_request_information
from tests.customer.my_setup import (
    TODAY,
    active_loan,
    application_in_review,
    customer_with_login,
)
from tests.factories import RebateApplicationFactory, UtilityAccountFactory
from tests.factories.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def carols(staff_alice, supervisor_bob):
    """Carol's records: a loan (with a statement), a loan application and a
    rebate application both waiting for her answer, and a document."""
    from portal.services import document_upload

    user, customer = customer_with_login("carol", "Carol", "Jensen")
    loan = active_loan(customer, staff_alice, supervisor_bob)
    statement = statement_produce(
        loan=loan, actor=staff_alice, period_end=date(2026, 2, 28)
    )
    asked = application_in_review(customer, staff_alice)
    application_request_information(
        actor=staff_alice, application=asked, question="Send the proposal."
    )
    rebate: Any = RebateApplicationFactory(
        account=UtilityAccountFactory(customer=customer),
        status=RebateStatus.IN_REVIEW,
    )
    rebate_request_information(
        actor=staff_alice, application=rebate, question="Send the invoice."
    )
    document = document_upload(
        actor=user,
        upload=upload("deed.pdf", pdf_bytes(), "application/pdf"),
        document_type="deed",
        customer=customer,
    )
    return {
        "user": user,
        "urls": [
            reverse("customer:application", args=["loan", asked.pk]),
            reverse("customer:application", args=["loan", loan.application_id]),
            reverse("customer:application", args=["rebate", rebate.pk]),
            reverse("customer:loan", args=[loan.number]),
            reverse("customer:loan", args=[loan.number]) + "?as_of=2026-03-31",
            reverse("customer:loan_payoff_letter", args=[loan.number])
            + "?as_of=2026-03-31",
            reverse("customer:loan_coupon_book", args=[loan.number]),
            reverse("customer:loan_statement", args=[loan.number, statement.pk]),
            reverse("document_file", args=[document.pk]),
        ],
        "answerable": [
            (
                reverse("customer:application", args=["loan", asked.pk]),
                asked,
                ApplicationStatus.NEEDS_INFORMATION,
            ),
            (
                reverse("customer:application", args=["rebate", rebate.pk]),
                rebate,
                RebateStatus.NEEDS_INFORMATION,
            ),
        ],
    }


@pytest.fixture
def olga():
    user, _ = customer_with_login("olga", "Olga", "Berg")
    return user


def test_each_of_carols_urls_answers_her(client, carols):
    client.force_login(carols["user"])
    for url in carols["urls"]:
        assert client.get(url).status_code == 200, url


def test_each_of_carols_urls_is_404_for_another_customer(client, carols, olga):
    client.force_login(olga)
    for url in carols["urls"]:
        assert client.get(url).status_code == 404, url


def test_another_customer_cannot_answer_for_carol(client, carols, olga):
    client.force_login(olga)
    for url, application, waiting in carols["answerable"]:
        response = client.post(
            url,
            {
                "message": "Here it is.",
                "documents": [upload("x.pdf", pdf_bytes(), "application/pdf")],
            },
        )
        assert response.status_code == 404, url
        application.refresh_from_db()
        assert application.status == waiting
    # Only Carol's own deed is on file: Olga's answers stored nothing.
    assert list(Document.objects.values_list("original_name", flat=True)) == [
        "deed.pdf"
    ]


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, carols):
    for url in carols["urls"][:-1]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("portal:login")), url
