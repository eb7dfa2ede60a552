"""The whole loan story in a real browser, under the Content-Security-Policy,
as the personas: staff enter a loan application on the back office's form,
submit it and start its review; the supervisor finds it on his dashboard's
"waiting for my approval" queue, opens it from the queue's row and approves
it; staff open the loan, generate and download the agreement, record the
signature and issue the check (the loan is then active); a cashier posts a
counter payment, prints its receipt, and reverses another payment through
the confirmation page. Every input on these screens has a visible label, and
nothing the pages do is blocked or fails."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest

from loans.choices import LoanStatus, PaymentStatus
from loans.models import Loan, LoanApplication, Payment
from loans.services.payments import payment_post
from tests.factories import CustomerFactory, PropertyFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)


def assert_every_input_is_labelled(page) -> None:
    """Each visible input, select and textarea in the page's main content has
    a <label> that is itself visible."""
    unlabelled = page.page.evaluate(
        """() => [...document.querySelectorAll(
                '#main input:not([type=hidden]), #main select, #main textarea')]
            .filter((field) => field.offsetParent !== null)
            .filter((field) => {
                const label = field.id &&
                    document.querySelector(`label[for="${field.id}"]`);
                return !label || label.offsetParent === null;
            })
            .map((field) => field.name || field.outerHTML)"""
    )
    assert unlabelled == []


def click_and_wait(page, selector: str) -> None:
    with page.page.expect_navigation():
        page.page.click(selector)


def messages(page) -> str:
    return page.page.inner_text(".messages")


def test_from_entry_to_an_active_loan_and_its_payments(
    page_for, staff_alice, supervisor_bob, cashier_casey
):
    today = timezone.localdate()
    customer = CustomerFactory(first_name="Walter", last_name="Okafor")
    UtilityAccountFactory(customer=customer, number="300417")
    parcel = PropertyFactory(parcel_id="P-30417", line1="17 Elm St")
    parcel.owners.add(customer)

    # Staff enter the application on the back office's form.
    alice = page_for(staff_alice)
    alice.goto("/admin/loan_applications/new/")
    assert_every_input_is_labelled(alice)
    form = alice.page.locator("#main form")
    form.get_by_label("Customer").select_option(label="Walter Okafor")
    form.get_by_label("Account").select_option(label="300417 (Walter Okafor)")
    form.get_by_label("Property").select_option(label="P-30417 17 Elm St")
    form.get_by_label("Product").select_option(index=1)
    product_label = form.get_by_label("Product").evaluate(
        "(select) => select.options[select.selectedIndex].text"
    )
    form.get_by_label("Requested amount").fill("4,000.00")
    form.get_by_label("Term (months)").fill("48")
    form.get_by_label("Purpose").fill("Attic insulation to R-30 and a heat pump")
    form.get_by_label("Contractor name").fill("Acme Insulation")
    with alice.page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    application = LoanApplication.objects.get(customer=customer)
    assert application.prepared_by == staff_alice
    assert application.requested_amount.amount == Decimal("4000.00")
    assert str(application.product) == product_label
    application_path = f"/admin/loan_applications/inspect/{application.pk}/"

    # ... and take it to approval: submit, then start the review.
    alice.goto(application_path)
    click_and_wait(alice, "button:text-is('Submit')")
    assert f"Application {application.reference} is submitted" in messages(alice)
    click_and_wait(alice, "button:text-is('Start review')")
    assert f"Application {application.reference} is now in review." in messages(alice)
    assert "Approve" not in alice.page.inner_text("#main")  # not by its preparer

    # The supervisor finds it waiting for his approval and approves it from
    # the queue's row.
    bob = page_for(supervisor_bob)
    bob.goto("/admin/")
    queue = bob.page.locator("#loan-approvals-section")
    row = queue.locator("tr", has_text=application.reference)
    assert "Walter Okafor" in row.inner_text()
    assert "$4,000.00" in row.inner_text()
    with bob.page.expect_navigation():
        row.get_by_role("link", name=application.reference).click()
    assert bob.page.url.endswith(application_path)
    click_and_wait(bob, "button:text-is('Approve')")
    assert (
        f"Application {application.reference} is approved for $4,000.00 over 48 "
        "months." in messages(bob)
    )
    bob.goto("/admin/")
    assert application.reference not in bob.page.inner_text("#loan-approvals-section")

    # Staff open the loan from the approved application.
    alice.goto(application_path)
    assert_every_input_is_labelled(alice)
    first_due = today + timedelta(days=40)
    alice.page.get_by_label("First due date").fill(first_due.isoformat())
    click_and_wait(alice, "button:text-is('Open the loan')")
    loan = Loan.objects.get(application=application)
    assert f"Loan {loan.number} opened for Walter Okafor" in messages(alice)
    assert "Closing (not yet disbursed)" in alice.page.inner_text("#main")

    # Generate the agreement, then download it.
    click_and_wait(alice, "button:text-is('Generate agreement')")
    assert f"Agreement for loan {loan.number} generated." in messages(alice)
    with alice.page.expect_download() as download:
        alice.page.click("text=download the agreement (PDF)")
    assert download.value.suggested_filename == f"agreement-{loan.number}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # Record the signature (signed today: the form's default).
    click_and_wait(alice, "a:text-is('Record signature')")
    assert_every_input_is_labelled(alice)
    assert alice.page.get_by_label("Signed on").input_value() == today.isoformat()
    click_and_wait(alice, "button:text-is('Record signature')")
    assert f"Agreement for loan {loan.number} signed on" in messages(alice)

    # Issue the check: the loan becomes active.
    click_and_wait(alice, "a:text-is('Issue disbursement check')")
    assert_every_input_is_labelled(alice)
    alice.page.get_by_label("Check number").fill("100123")
    alice.page.get_by_label("Pay to").select_option(label="Walter Okafor")
    assert alice.page.get_by_label("Amount").input_value() == "4000.00"
    click_and_wait(alice, "button:text-is('Issue check')")
    assert (
        "Check 100123 issued to Walter Okafor for $4,000.00; the loan is now active."
        in messages(alice)
    )
    assert "Active" in alice.page.inner_text("#main h2 + p strong")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    assert alice.problems == [], "\n".join(alice.problems)
    assert bob.problems == [], "\n".join(bob.problems)

    # A cashier posts a counter payment and gets its receipt.
    casey = page_for(cashier_casey)
    loan_path = f"/admin/loans/inspect/{loan.pk}/"
    casey.goto(loan_path)
    assert_every_input_is_labelled(casey)
    casey.page.get_by_label("Amount").fill("92.12")
    casey.page.get_by_label("Paid by").select_option(label="Cash")
    casey.page.get_by_label("Reference").fill("CTR-0001")
    click_and_wait(casey, "button:text-is('Post payment')")
    assert "Payment CTR-0001 of $92.12 posted to loan" in messages(casey)
    receipt = casey.page.inner_text("#main")
    for shown in [loan.number, "Walter Okafor", "$92.12", "Cash", "CTR-0001"]:
        assert shown in receipt
    assert "Posted by Casey" in receipt
    # The Print button's script runs under the policy (print itself stubbed).
    casey.page.evaluate("window.print = () => { window.printed = true; }")
    casey.page.click("button:text-is('Print receipt')")
    assert casey.page.evaluate("window.printed") is True

    # ... and reverses another payment through the confirmation page.
    other = payment_post(
        actor=cashier_casey,
        loan=loan,
        amount=Decimal("50.00"),
        received_on=today,
        method="check",
        reference="CHK-778",
    ).payment
    casey.goto(loan_path)
    click_and_wait(casey, "[aria-label='Reverse payment CHK-778']")
    page = casey.page.inner_text("#main")
    assert "$50.00" in page and "CHK-778" in page
    assert_every_input_is_labelled(casey)
    other.refresh_from_db()
    assert other.status == PaymentStatus.POSTED  # nothing happens before confirming
    casey.page.get_by_label("Reason").select_option(label="Returned check (NSF)")
    casey.page.get_by_label("Note").fill("Returned by the bank")
    click_and_wait(casey, "button:text-is('Yes, reverse payment CHK-778')")
    assert "Payment CHK-778 of $50.00" in messages(casey)
    assert "reversed: Returned check (NSF)" in messages(casey)
    other.refresh_from_db()
    assert other.status == PaymentStatus.REVERSED
    assert Payment.objects.get(reference="CTR-0001").status == PaymentStatus.POSTED
    assert casey.problems == [], "\n".join(casey.problems)
