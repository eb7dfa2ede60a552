"""A customer applies for a loan online in a real browser: the four steps,
the review and the confirmation, each screenshotted at desktop and phone
widths and checked by axe-core; the application lands in the staff's
workflow, submitted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loans.choices import ApplicationStatus
from loans.models import LoanApplication
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.flows_apply_loan import apply_for_loan, write_proposal
from tests.customer.apply_loan_setup import Applicant

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_customer_applies_for_a_loan_online(page_for, tmp_path):
    applicant = Applicant()
    page = page_for(applicant.user)

    def on_page(name: str) -> None:
        screenshot(page, name)
        assert_accessible(page, name)

    reference = apply_for_loan(
        page,
        product_code="EE",
        amount="4,500.00",
        term=48,
        purpose="Attic insulation to R-30 and air sealing",
        proposal_path=write_proposal(tmp_path),
        on_page=on_page,
    )

    application = LoanApplication.objects.get()
    assert reference == application.reference
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.requested_amount.amount == Decimal("4500.00")
    assert application.requested_term_months == 48
    assert application.prepared_by == applicant.user
    assert application.proposal_document.original_name == "proposal.pdf"
    assert page.problems == []


def test_a_refusal_is_shown_on_its_field_and_is_accessible(page_for):
    applicant = Applicant()
    page = page_for(applicant.user)
    raw = page.page
    page.goto("/account/apply/loan/?product=EE")
    raw.get_by_label("Utility account").select_option(index=1)
    raw.get_by_label("Amount to borrow").fill("12000")
    raw.get_by_label("Term in months").fill("48")
    with raw.expect_navigation():
        raw.get_by_role("button", name="Save and continue").click()
    amount = raw.get_by_label("Amount to borrow")
    described = amount.get_attribute("aria-describedby") or ""
    assert "id_amount_error" in described
    assert (
        "$12,000.00 is outside the EE range of $500.00 to $10,000.00."
        in raw.locator("#id_amount_error").inner_text()
    )
    screenshot(page, "apply-loan-1-refused")
    assert_accessible(page, "apply-loan-1-refused")
    assert not LoanApplication.objects.exists()
