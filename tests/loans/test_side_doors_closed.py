"""The loans back office and API have one write path: each action goes
through its service with its rules, and facts once posted are read-only.
Each test is a side door that used to be open."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine

from loans.choices import ApplicationStatus as S
from loans.choices import PaymentMethod, PaymentStatus
from loans.models import LedgerEntry, Payment, PaymentBatch
from loans.services import applications as svc
from loans.services.payments import payment_post
from tests.factories import LoanApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(book, cashiering_system):
    """A $100.00 check posted to a booked loan: (payment, loan)."""
    loan = book("L-1")
    payment = payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("100.00"),
        received_on=date(2026, 2, 1),
        method=PaymentMethod.CHECK,
        reference="CHK-1",
    ).payment
    return payment, loan


@pytest.fixture
def in_review(staff_alice):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    svc.application_submit(actor=staff_alice, application=application)
    svc.application_start_review(actor=staff_alice, application=application)
    return application


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "3999.995",
            "Amounts are in dollars and cents: &#x27;3999.995&#x27; has more than "
            "two decimal places.",
        ),
        (
            "4e3",
            "Write &#x27;4e3&#x27; out in digits; amounts with an exponent are not "
            "accepted.",
        ),
    ],
)
def test_a_sub_cent_or_exponent_approval_amount_is_refused_not_rounded(
    client, in_review, supervisor_bob, typed, message
):
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("loan_application_action", args=[in_review.pk, "approve"]),
        {"amount": typed, "term_months": "48"},
        follow=True,
    )
    assert message in response.content.decode()
    in_review.refresh_from_db()
    assert (in_review.status, in_review.approved_amount) == (S.IN_REVIEW, None)


def test_the_approval_amount_typed_with_cents_is_stored_to_the_cent(
    client, in_review, supervisor_bob
):
    client.force_login(supervisor_bob)
    client.post(
        reverse("loan_application_action", args=[in_review.pk, "approve"]),
        {"amount": "3,999.99", "term_months": "48"},
    )
    in_review.refresh_from_db()
    assert in_review.approved_amount.amount == Decimal("3999.99")


def test_application_terms_cannot_be_edited_once_in_review(
    client, in_review, staff_alice
):
    client.force_login(staff_alice)
    url = reverse("loan_applications:edit", args=[in_review.pk])
    response = client.post(
        url,
        {
            "customer": in_review.customer_id,
            "account": in_review.account_id,
            "product": in_review.product_id,
            "requested_amount_0": "9000.00",
            "requested_amount_1": "USD",
            "requested_term_months": "48",
            "purpose": "More",
        },
        follow=True,
    )
    assert (
        f"Application {in_review.reference} is in review; it can&#x27;t be edited "
        "from there." in response.content.decode()
    )
    in_review.refresh_from_db()
    assert in_review.requested_amount.amount == Decimal("4000.00")


def test_a_draft_edit_goes_through_the_service_with_its_reason(client, staff_alice):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_applications:edit", args=[application.pk]),
        {
            "customer": application.customer_id,
            "account": application.account_id,
            "parcel": application.parcel_id,
            "product": application.product_id,
            "requested_amount": "4500.00",
            "requested_term_months": "48",
            "purpose": "Attic insulation",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.requested_amount.amount == Decimal("4500.00")
    latest = application.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        staff_alice,
        "Application terms changed",
    )


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_payments_and_batches_cannot_be_edited_in_the_admin(
    client, admin_user, book, cashier_casey
):
    loan = book("L-1")
    payment = payment_post(
        actor=cashier_casey,
        loan=loan,
        amount=Decimal("100.00"),
        received_on=date(2026, 2, 1),
        method=PaymentMethod.CHECK,
        reference="CHK-1",
    ).payment
    batch = PaymentBatch.objects.create(file_name="lockbox.csv")
    client.force_login(admin_user)
    for url in (
        reverse("loan_payments:edit", args=[payment.pk]),
        reverse("payment_batches:edit", args=[batch.pk]),
    ):
        assert client.get(url).status_code == 302  # to the dashboard: no permission
        client.post(url, {"reversal_note": "edited", "file_name": "other.csv"})
    payment.refresh_from_db()
    batch.refresh_from_db()
    assert (payment.reversal_note, payment.status) == ("", PaymentStatus.POSTED)
    assert batch.file_name == "lockbox.csv"
    # A payment's page is its receipt (read-only).
    page = client.get(reverse("loan_payments:inspect", args=[payment.pk]), follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].endswith(f"/payments/{payment.pk}/receipt/")
    assert LedgerEntry.objects.filter(payment=payment).exists()


@pytest.mark.parametrize(
    "reason", ["NSF - bank error", "bounced", "error", "", "refund"]
)
@time_machine.travel(date(2026, 3, 2), tick=False)
def test_the_api_refuses_a_free_text_reversal_reason(
    api_client_for, posted, cashiering_system, reason
):
    payment, _loan = posted
    client = api_client_for(cashiering_system)
    response = client.post(
        f"/api/v1/payments/{payment.pk}/reversal",
        {"reason": reason},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "reason": [
            "Choose the reason: nsf (Returned check (NSF)), returned (Returned "
            "payment (ACH/card)), posting_error (Posting error)."
        ]
    }
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.POSTED


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_an_nsf_reversal_through_the_api_charges_the_returned_payment_fee(
    api_client_for, posted, cashiering_system
):
    payment, loan = posted
    client = api_client_for(cashiering_system)
    response = client.post(
        f"/api/v1/payments/{payment.pk}/reversal",
        {"reason": "nsf", "note": "Bank says NSF"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["reversal_reason"] == "nsf"
    fee = LedgerEntry.objects.get(loan=loan, fee_kind="returned_payment")
    assert fee.amount == Decimal("25.00")
    assert Payment.objects.get(pk=payment.pk).reversal_note == "Bank says NSF"
