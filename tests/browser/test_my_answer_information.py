"""The staff ask for information (through their service); Carol sees
"Action needed" on My applications, opens the application, answers with a
message and a PDF in the browser; the application is back in review and the
staff's page lists her file at once."""

from __future__ import annotations

import pytest

from loans.choices import ApplicationStatus
from loans.services.applications import application_request_information
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.flows_my import answer_information_request
from tests.customer.my_setup import application_in_review, customer_with_login
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_carol_answers_with_an_upload_and_the_staff_see_it(
    page_for, staff_alice, tmp_path
):
    user, customer = customer_with_login("carol", "Carol", "Jensen")
    application = application_in_review(customer, staff_alice)
    application_request_information(
        actor=staff_alice,
        application=application,
        question="Please send your contractor's signed proposal.",
    )
    carol = page_for(user)

    carol.goto("/account/applications/")
    assert application.reference in carol.page.inner_text("#action-needed")
    with carol.page.expect_navigation():
        carol.page.get_by_role(
            "link", name=f"Answer for application {application.reference}"
        ).click()
    assert "signed proposal" in carol.page.inner_text("#information-request")
    screenshot(carol, "my-application-needs-information")
    assert_accessible(carol, "an application waiting for information")

    proposal = tmp_path / "signed-proposal.pdf"
    proposal.write_bytes(pdf_bytes())
    thanks = answer_information_request(
        carol, "loan", application.pk, "The signed proposal is attached.", proposal
    )
    assert (
        f"we received your answer and 1 file for application {application.reference}"
        in thanks
    )
    assert "signed-proposal.pdf" in carol.page.inner_text("#answers")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert carol.problems == []

    alice = page_for(staff_alice)
    alice.goto(f"/admin/loan_applications/inspect/{application.pk}/")
    answers = alice.page.inner_text("#customer-answers-section")
    assert "signed-proposal.pdf" in answers
    assert "The signed proposal is attached." in answers
