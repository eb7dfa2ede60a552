"""The dashboard and a customer's page in a real browser, with the demo
utility: the supervisor and the cashier each see their own panels, the
pages run cleanly under the Content-Security-Policy, and screenshots of
them are kept in docs/screenshots/ (dashboard-supervisor.png, loan-page.png, application-page.png,
dashboard-cashier.png, customer-page.png)."""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

import pytest
from djmoney.money import Money

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def office(db):
    """The demo utility, plus rebates waiting for approval and a customer
    with letters and notes."""
    from portal.models import Correspondence, Customer, Note, UtilityAccount
    from programs.models import Program
    from tests.factories import RebateApplicationFactory

    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    ruth = Customer.objects.get(first_name="Ruth", last_name="Abernathy")
    account = UtilityAccount.objects.get(number="100005")
    program = Program.objects.get(code="GIP")
    for status, amount in [("in_review", "300.00"), ("inspected", "500.00")]:
        RebateApplicationFactory(
            program=program,
            customer=ruth,
            account=account,
            status=status,
            inspection_passed=True if status == "inspected" else None,
            requested_amount=Money(amount, "USD"),
            prepared_by=users["alice"],
        )
    Correspondence.objects.create(
        customer=ruth,
        account=account,
        channel="letter",
        subject="Your payment is past due",
        sent_by=users["alice"],
    )
    Note.objects.create(
        content_type=ContentType.objects.get_for_model(ruth),
        object_id=str(ruth.pk),
        text="Asked for a payment plan; call back after the 15th.",
        author=users["alice"],
    )
    return {"users": users, "ruth": ruth}


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    # The admin scrolls inside its main area, not the page: make the window
    # as tall as the content so the screenshot holds all of it.
    page.page.set_viewport_size({"width": 1440, "height": 900})
    height = page.page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('body, body *'),"
        " (e) => e.scrollHeight))"
    )
    page.page.set_viewport_size({"width": 1440, "height": min(int(height), 8000)})
    page.page.screenshot(path=str(path), full_page=True)
    return path


def test_the_supervisor_and_the_cashier_see_their_dashboards(page_for, office):
    users = office["users"]

    page = page_for(users["bob"])
    page.goto("/admin/")
    page.page.wait_for_selector("#loan-approvals-section", timeout=10000)
    for panel in [
        "loan-approvals",
        "rebate-approvals",
        "delinquency",
        "program-budgets",
    ]:
        assert page.page.locator(f"#{panel}-section").is_visible(), panel
    assert page.page.locator("#payments-today-section").count() == 0
    # The demo's application in review, prepared by alice, links to its page.
    approvals = page.page.locator("#loan-approvals-section")
    assert approvals.get_by_text("Carol Jensen").is_visible()
    approvals.locator("a", has_text="LA-").first.click()
    page.page.wait_for_load_state("networkidle")
    assert "/admin/loan_applications/inspect/" in page.page.url
    page.goto("/admin/")
    assert shoot(page, "dashboard-supervisor.png").stat().st_size > 10_000
    assert page.problems == [], "\n".join(page.problems)

    page = page_for(users["casey"])
    page.goto("/admin/")
    page.page.wait_for_selector("#payments-today-section", timeout=10000)
    assert page.page.locator("#delinquency-section").is_visible()
    assert page.page.locator("#loan-approvals-section").count() == 0
    # The demo's payments were posted today (by bob, when it was loaded).
    assert (
        page.page.locator("#payments-today-section")
        .get_by_text("Check")
        .first.is_visible()
    )
    assert shoot(page, "dashboard-cashier.png").stat().st_size > 10_000
    assert page.problems == [], "\n".join(page.problems)


def test_a_customer_page_in_the_browser(page_for, office):
    page = page_for(office["users"]["bob"])
    page.goto(reverse("customers:inspect", args=[office["ruth"].pk]))
    page.page.wait_for_selector("#record-loans-section", timeout=10000)
    assert page.page.title() == (
        "Customer: Ruth Abernathy - Riverton Municipal Utilities"
    )
    loans = page.page.locator("#record-loans-section")
    assert loans.get_by_text("WS-DEMO-0001").is_visible()
    for section in [
        "customer-accounts",
        "customer-properties",
        "record-loan-applications",
        "record-rebate-applications",
        "record-correspondence",
        "record-notes",
    ]:
        assert page.page.locator(f"#{section}-section").is_visible(), section
    assert shoot(page, "customer-page.png").stat().st_size > 10_000
    assert page.problems == [], "\n".join(page.problems)


def test_a_loan_page_and_an_application_page_in_the_browser(page_for, office):
    from loans.models import Loan, LoanApplication

    page = page_for(office["users"]["bob"])
    loan = Loan.objects.get(number="WS-DEMO-0001")
    page.goto(reverse("loans:inspect", args=[loan.pk]))
    assert page.page.get_by_text("WS-DEMO-0001").first.is_visible()
    assert shoot(page, "loan-page.png").stat().st_size > 10_000
    application = LoanApplication.objects.order_by("pk").first()
    page.goto(reverse("loan_applications:inspect", args=[application.pk]))
    assert page.page.get_by_text(application.reference).first.is_visible()
    assert shoot(page, "application-page.png").stat().st_size > 10_000
    assert page.problems == [], "\n".join(page.problems)
