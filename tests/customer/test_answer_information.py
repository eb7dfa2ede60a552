"""Answering an information request online: the staff ask (through their
service), the customer sees the message and "Action needed", answers with a
message and a file; the file is attached to the application (and is the
customer's document), the application is back in review with the history
reason "Customer answered online: ...", and the staff's page lists the file
at once. A bad file, an empty message, or an answer nobody asked for is
refused on its field and changes nothing."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import override_settings
from django.urls import reverse

import pytest
import time_machine

from loans.choices import ApplicationStatus
from loans.services.applications import application_request_information
from portal.models import Document
from programs.choices import RebateStatus
from programs.services import rebate_request_information
from tests.customer.my_setup import TODAY, application_in_review, customer_with_login
from tests.factories import RebateApplicationFactory, UtilityAccountFactory
from tests.factories.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

QUESTION = "Please send your contractor's signed proposal."


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def text(response) -> str:
    body = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def carol():
    return customer_with_login("carol", "Carol", "Jensen")


@pytest.fixture
def asked(carol, staff_alice):
    """Carol's loan application, which the staff sent back for information."""
    _, customer = carol
    application = application_in_review(customer, staff_alice)
    application_request_information(
        actor=staff_alice, application=application, question=QUESTION
    )
    application.refresh_from_db()
    return application


def page_url(application, kind="loan") -> str:
    return reverse("customer:application", args=[kind, application.pk])


def answer(client, url, message="The proposal is attached.", files=None):
    data = {"message": message}
    if files is not None:
        data["documents"] = files
    return client.post(url, data)


def proposal():
    return upload("proposal.pdf", pdf_bytes(), "application/pdf")


def test_the_customer_sees_the_staffs_message_and_action_needed(client, carol, asked):
    user, _ = carol
    client.force_login(user)
    listing = text(client.get(reverse("customer:applications")))
    assert "Action needed" in listing
    assert f"Answer for application {asked.reference}" in listing
    page = text(client.get(page_url(asked)))
    assert QUESTION in page
    assert "We need more information from you" in page
    assert "Send my answer" in page


def test_answering_with_a_pdf_attaches_it_and_puts_the_application_back_in_review(
    client, carol, asked, staff_alice
):
    user, customer = carol
    client.force_login(user)
    response = answer(client, page_url(asked), files=[proposal()])
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.IN_REVIEW
    [document] = asked.documents.all()
    assert document.original_name == "proposal.pdf"
    assert document.customer == customer
    assert document.content_type == "application/pdf"
    assert document.description == (
        f"Answer for {asked.reference}: The proposal is attached."
    )
    latest = asked.history.order_by("-history_id").first()
    assert latest.history_change_reason == (
        "Customer answered online: The proposal is attached."
    )
    assert latest.history_user == user
    # The customer is thanked and sees what they sent.
    page = text(client.get(page_url(asked)))
    assert (
        f"we received your answer and 1 file for application {asked.reference}" in page
    )
    assert "proposal.pdf" in page
    assert "You sent the information; back in review" in page
    assert "Send my answer" not in page


def test_the_staff_page_lists_the_answer_at_once(client, carol, asked, staff_alice):
    user, _ = carol
    client.force_login(user)
    answer(client, page_url(asked), files=[proposal()])
    document = asked.documents.get()
    client.force_login(staff_alice)
    response = client.get(reverse("loan_applications:inspect", args=[asked.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "Customer's answers sent online" in page
    assert "proposal.pdf" in page
    assert f"Answer for {asked.reference}: The proposal is attached." in page
    assert (
        reverse("admin_document_file", args=[document.pk]) in response.content.decode()
    )


def test_a_message_alone_is_an_answer(client, carol, asked):
    user, _ = carol
    client.force_login(user)
    response = answer(client, page_url(asked), message="The contractor mails it today.")
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.IN_REVIEW
    assert asked.documents.count() == 0


def refused_unchanged(client, asked, response) -> str:
    """The answer was refused on the page (200) and nothing was kept."""
    assert response.status_code == 200
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.NEEDS_INFORMATION
    assert asked.documents.count() == 0
    assert Document.objects.count() == 0
    return response.content.decode()


def field_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def test_a_renamed_program_is_refused_on_the_files_field(client, carol, asked):
    user, _ = carol
    client.force_login(user)
    program = upload("proposal.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = answer(client, page_url(asked), files=[program])
    refused_unchanged(client, asked, response)
    [message] = field_errors(response, "documents")
    assert message.startswith("proposal.pdf is not an accepted file type.")


@override_settings(PORTAL_DOCUMENT_MAX_BYTES=1024)
def test_an_oversize_file_is_refused_on_the_files_field(client, carol, asked):
    user, _ = carol
    client.force_login(user)
    big = upload("scan.pdf", pdf_bytes(pages=3) + b"\n" * 2048, "application/pdf")
    response = answer(client, page_url(asked), files=[big])
    refused_unchanged(client, asked, response)
    [message] = field_errors(response, "documents")
    assert "the largest file we accept is 1.0\xa0KB" in message


def test_a_good_file_with_a_bad_one_keeps_neither(client, carol, asked):
    user, _ = carol
    client.force_login(user)
    bad = upload("notes.html", b"<html>hi</html>", "text/html")
    response = answer(client, page_url(asked), files=[proposal(), bad])
    refused_unchanged(client, asked, response)
    [message] = field_errors(response, "documents")
    assert message.startswith("notes.html is named as a web page or script (.html)")


def test_an_empty_answer_is_refused_on_the_message_field(client, carol, asked):
    user, _ = carol
    client.force_login(user)
    response = answer(client, page_url(asked), message="   ", files=[proposal()])
    refused_unchanged(client, asked, response)
    [message] = field_errors(response, "message")
    assert message.startswith("Write a short answer, even when the file says it all")


def test_answering_when_nothing_was_asked_is_refused(client, carol, staff_alice):
    user, customer = carol
    application = application_in_review(customer, staff_alice)
    client.force_login(user)
    page = text(client.get(page_url(application)))
    assert "Send my answer" not in page
    response = answer(client, page_url(application), files=[proposal()])
    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [
        f"Application {application.reference} is in review: we are not waiting "
        "for information from you."
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert Document.objects.count() == 0


def test_only_the_applicants_log_in_may_answer(carol, asked, staff_alice):
    """The predicate itself: staff (who resume review with their own action)
    and other customers are refused; the applicant is allowed."""
    user, _ = carol
    other, _ = customer_with_login("olga", "Olga", "Berg")
    assert asked.can_answer_information(user)
    for actor in (staff_alice, other):
        verdict = asked.can_answer_information(actor)
        assert not verdict
        assert verdict.reason == (
            f"Only the customer who applied can answer for application {asked.reference}."
        )


# --- rebates ---------------------------------------------------------------


@pytest.fixture
def rebate_asked(carol, staff_alice):
    _, customer = carol
    application: Any = RebateApplicationFactory(
        account=UtilityAccountFactory(customer=customer),
        status=RebateStatus.IN_REVIEW,
    )
    rebate_request_information(
        actor=staff_alice, application=application, question="Send the invoice."
    )
    application.refresh_from_db()
    return application


def test_a_rebate_answer_attaches_the_invoice_and_the_staff_see_it(
    client, carol, rebate_asked, staff_alice
):
    user, customer = carol
    client.force_login(user)
    url = page_url(rebate_asked, "rebate")
    assert "Send the invoice." in text(client.get(url))
    invoice = upload("invoice.pdf", pdf_bytes(), "application/pdf")
    response = answer(client, url, message="Invoice attached.", files=[invoice])
    assert response.status_code == 302
    rebate_asked.refresh_from_db()
    assert rebate_asked.status == RebateStatus.IN_REVIEW
    assert rebate_asked.information_provided_at is not None
    [document] = rebate_asked.documents.all()
    assert (document.original_name, document.customer) == ("invoice.pdf", customer)
    latest = rebate_asked.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Customer answered online: Invoice attached."
    client.force_login(staff_alice)
    staff_page = client.get(
        reverse("rebate_applications:inspect", args=[rebate_asked.pk])
    )
    assert staff_page.status_code == 200
    assert "invoice.pdf" in text(staff_page)
    assert (
        reverse("admin_document_file", args=[document.pk])
        in staff_page.content.decode()
    )
