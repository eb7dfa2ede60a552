"""My loans and My applications in a real browser: a loan made through the
services (application, approval by a second person, the loan opened and
activated) is on Carol's My loans with its balance; she asks the payoff
amount and downloads the payoff letter, which names her and the loan. Each
page (My loans, the loan, My applications, the application) is
screenshotted at desktop and phone widths (no sideways scroll) and has no
serious accessibility violation."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

import pytest
from pypdf import PdfReader

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.flows_my import download_payoff_letter, see_loan_balance
from tests.customer.my_setup import active_loan, customer_with_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_carol_sees_her_loan_and_downloads_the_payoff_letter(
    page_for, staff_alice, supervisor_bob
):
    today = timezone.localdate()
    user, customer = customer_with_login("carol", "Carol", "Jensen")
    loan = active_loan(
        customer,
        staff_alice,
        supervisor_bob,
        disbursed_on=today - timedelta(days=20),
        first_due_date=today + timedelta(days=10),
    )
    carol = page_for(user)

    carol.goto("/account/loans/")
    assert loan.number in carol.page.inner_text("#loans")
    assert "$4,000.00" in carol.page.inner_text("#loans")
    screenshot(carol, "my-loans")
    assert_accessible(carol, "My loans")

    balance = see_loan_balance(carol, loan.number)
    # $4,000.00 lent; the $50.00 origination fee is not paid yet.
    assert "$4,000.00" in balance
    assert "$4,050.00" in balance
    assert "Current" in carol.page.inner_text("h1 + .lead")
    screenshot(carol, "my-loan")
    assert_accessible(carol, "a loan's page")

    letter = download_payoff_letter(carol, loan.number)
    assert letter.startswith(b"%PDF")
    printed = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(letter)).pages
    )
    assert "Carol Jensen" in printed
    assert loan.number in printed
    screenshot(carol, "my-loan-payoff")
    assert_accessible(carol, "a loan's page with its payoff quote")

    carol.goto("/account/applications/")
    assert f"Loan opened: {loan.number}" in carol.page.inner_text("#applications")
    screenshot(carol, "my-applications")
    assert_accessible(carol, "My applications")

    with carol.page.expect_navigation():
        carol.page.get_by_role("link", name=f"LA-{loan.application_id:06d}").click()
    assert f"Loan opened: {loan.number}" in carol.page.inner_text("#timeline")
    screenshot(carol, "my-application")
    assert_accessible(carol, "an application's page")
    assert carol.problems == []
