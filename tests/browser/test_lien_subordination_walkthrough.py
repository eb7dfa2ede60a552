"""Liens and deposits in a real browser: a lender finds the subordination
form from the public site's footer, sends a request with its appraisal and
gets a reference number (first a field error for a bad amount); the
supervisor finds the request in the back office, and every Liens & deposits
list opens with nothing blocked by the Content-Security-Policy."""

import io
import re

from django.core.management import call_command

import pytest

from liens.models import SubordinationRequest
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def test_a_lender_sends_a_request_and_the_supervisor_finds_it(
    page_for, demo, supervisor_bob, tmp_path
):
    appraisal = tmp_path / "appraisal.pdf"
    appraisal.write_bytes(pdf_bytes())

    lender = page_for()
    lender.goto("/")
    with lender.page.expect_navigation():
        lender.page.get_by_role(
            "link", name="For lenders: request a lien subordination"
        ).click()
    form = lender.page.locator("main form")
    form.get_by_label("Lending institution").fill("Mohawk Mortgage Company")
    form.get_by_label("Contact name").fill("Dana Ortiz")
    form.get_by_label("Contact e-mail").fill("dana.ortiz@hvsb.example")
    form.get_by_label("Property address or parcel number").fill("12 Maple St")
    form.get_by_label("Borrower's name").fill("Carol Jensen")
    form.get_by_label("New loan amount (dollars and cents)").fill("185,000.005")
    form.get_by_label("Appraised value of the property").fill("260000.00")
    form.get_by_label("Existing liens that will be senior to ours (total)").fill("0.00")
    form.get_by_label(
        "Documents (appraisal, loan commitment, title report)"
    ).set_input_files(str(appraisal))
    with lender.page.expect_navigation():
        form.get_by_role("button", name="Send the request").click()
    # A sub-cent amount is refused on its field; nothing is stored.
    assert "more than two decimal places" in lender.page.content()
    assert not SubordinationRequest.objects.filter(
        institution="Mohawk Mortgage Company"
    ).exists()

    form = lender.page.locator("main form")
    form.get_by_label("New loan amount (dollars and cents)").fill("185000.00")
    form.get_by_label(
        "Documents (appraisal, loan commitment, title report)"
    ).set_input_files(str(appraisal))
    with lender.page.expect_navigation():
        form.get_by_role("button", name="Send the request").click()
    text = lender.page.locator("main").inner_text()
    found = re.search(r"SR-\d{4}-\d{6}", text)
    assert found, text
    reference = found.group(0)
    request = SubordinationRequest.objects.get(institution="Mohawk Mortgage Company")
    assert request.reference == reference
    assert request.documents.count() == 1
    assert lender.problems == [], "\n".join(lender.problems)

    bob = page_for(supervisor_bob)
    bob.goto("/admin/subordination_requests/")
    with bob.page.expect_navigation():
        bob.page.get_by_role("link", name=reference).first.click()
    assert "Mohawk Mortgage Company" in bob.page.locator("main").inner_text()
    for path in [
        "/admin/liens/",
        "/admin/deposit_instruments/",
        "/admin/deposit_claims/",
        "/admin/liens-adequacy/",
        "/admin/liens-deposit-decisions/",
        "/admin/subordination_rules/",
    ]:
        assert bob.goto(path).status == 200, path
    assert bob.problems == [], "\n".join(bob.problems)
