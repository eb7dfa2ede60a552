"""Submitting an online loan application creates one application in the
staff's own workflow (the same entry service, submitted, in the staff's
list), attaches the proposal, marks the draft sent, e-mails the reference,
and a second submission creates nothing more."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

import pytest
from djmoney.money import Money

from loans.choices import ApplicationStatus
from loans.models import LoanApplication
from loans.services.online import loan_application_submit_online
from portal.models import OnlineApplication
from tests.customer.apply_loan_setup import (
    Applicant,
    fill_in,
    product,
    step_url,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return Applicant()


def test_submitting_creates_one_submitted_application_like_the_staffs(
    applicant, django_capture_on_commit_callbacks
):
    client = applicant.client()
    draft = fill_in(client, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, draft)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "customer:apply_loan_submitted", args=[draft.pk]
    )
    application = LoanApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert application.customer == applicant.customer
    assert application.account == applicant.account
    assert application.parcel == applicant.parcel
    assert application.product == product("EE")
    assert application.requested_amount == Money("4000.00", "USD")
    assert application.requested_term_months == 48
    assert application.purpose == (
        "Measures: Insulation, Heat pump.\n"
        "Attic insulation to R-30 and a cold-climate heat pump"
    )
    assert application.contractor_name == "Riverton Home Energy"
    # The customer prepared it, so the customer can never approve it; no
    # officer until staff assign one.
    assert application.prepared_by == applicant.user
    assert application.officer is None
    proposal = application.proposal_document
    assert proposal.original_name == "proposal.pdf"
    assert proposal.customer == applicant.customer
    assert proposal.document_type == "contractor_proposal"
    assert [h.history_change_reason for h in application.history.order_by("pk")] == [
        "Application entered online",
        "Submitted online",
    ]

    draft.refresh_from_db()
    assert not draft.is_draft()
    assert draft.submitted == application
    assert (
        draft.submitted_reference
        == application.reference
        == (f"LA-{application.pk:06d}")
    )


def test_the_submitted_application_is_in_the_staffs_list(applicant, staff_alice):
    client = applicant.client()
    submit(client, fill_in(client, applicant))
    application = LoanApplication.objects.get()
    client.force_login(staff_alice)
    listing = client.get(reverse("loan_applications:index"))
    assert listing.status_code == 200
    assert application.reference in listing.content.decode()
    page = client.get(reverse("loan_applications:inspect", args=[application.pk]))
    assert page.status_code == 200


def test_submitting_twice_creates_one_application(
    applicant, django_capture_on_commit_callbacks
):
    client = applicant.client()
    draft = fill_in(client, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(client, draft)
        # The back button and the button pressed again.
        second = submit(client, draft)
        again = loan_application_submit_online(actor=applicant.user, draft=draft)
    assert first["Location"] == second["Location"]
    assert LoanApplication.objects.count() == 1
    assert again == LoanApplication.objects.get()
    assert len(mail.outbox) == 1


def test_the_confirmation_email_carries_the_reference(
    applicant, django_capture_on_commit_callbacks
):
    client = applicant.client()
    draft = fill_in(client, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, draft)
    reference = LoanApplication.objects.get().reference
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["carol@example.org"]
    assert email.subject == f"Your loan application {reference} is received"
    assert f"Reference number: {reference}" in email.body
    assert "Amount: $4,000.00 over 48 months" in email.body
    assert "A loan officer reviews your application" in email.body
    assert "http" in email.body  # the link to follow the application


def test_no_email_is_sent_before_the_transaction_commits(
    applicant, django_capture_on_commit_callbacks
):
    client = applicant.client()
    draft = fill_in(client, applicant)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(client, draft)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_the_confirmation_page_shows_the_reference_and_whats_next(
    applicant, django_capture_on_commit_callbacks
):
    client = applicant.client()
    draft = fill_in(client, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, draft)
    page = client.get(response["Location"]).content.decode()
    reference = LoanApplication.objects.get().reference
    assert f"Your reference number is <strong>{reference}</strong>" in page
    assert "What happens next" in page
    assert "We have sent a confirmation to carol@example.org." in page


def test_a_rule_broken_since_the_check_refuses_the_submission_with_its_reason(
    applicant,
):
    client = applicant.client()
    draft = fill_in(client, applicant)
    ee = product("EE")
    ee.max_amount = Money("3000.00", "USD")
    ee.save()
    response = submit(client, draft)
    assert response.status_code == 200
    assert response.context["loan_errors"] == [
        "$4,000.00 is outside the EE range of $500.00 to $3,000.00."
    ]
    assert not LoanApplication.objects.exists()
    draft.refresh_from_db()
    assert draft.is_draft()


def test_a_draft_with_missing_answers_is_refused_with_what_is_missing(applicant):
    client = applicant.client()
    client.post(
        "/account/apply/loan/",
        {"account": applicant.account.pk, "later": "1"},
    )
    draft = OnlineApplication.objects.get()
    response = submit(client, draft)
    assert response.status_code == 200
    assert response.context["loan_errors"] == [
        "Choose the loan you are applying for.",
        "Enter the amount you want to borrow.",
        "Enter how many months you want to repay over.",
    ]
    assert response.context["project_errors"] == ["Say what the loan will pay for."]
    assert not LoanApplication.objects.exists()


def test_only_the_customer_can_submit_their_draft(applicant, staff_alice):
    client = applicant.client()
    draft = fill_in(client, applicant)
    with pytest.raises(Exception, match="Only the customer"):
        loan_application_submit_online(actor=staff_alice, draft=draft)
    assert not LoanApplication.objects.exists()


def test_after_submission_the_step_pages_lead_to_the_confirmation(applicant):
    client = applicant.client()
    draft = fill_in(client, applicant)
    submit(client, draft)
    confirmation = reverse("customer:apply_loan_submitted", args=[draft.pk])
    for step in ["loan", "project", "check", "review"]:
        got = client.get(step_url(draft, step))
        assert got.status_code == 302 and got["Location"] == confirmation
        posted = client.post(step_url(draft, step), {"amount": "9000.00"})
        assert posted.status_code == 302 and posted["Location"] == confirmation
    resume = client.get(reverse("customer:apply_loan_resume", args=[draft.pk]))
    assert resume["Location"] == confirmation
    draft.refresh_from_db()
    assert draft.data["loan"]["amount"] == "4000.00"


def test_a_step_saved_from_a_tab_opened_before_the_submission_changes_nothing(
    applicant, monkeypatch
):
    from portal.customer import views_apply_loan

    client = applicant.client()
    draft = fill_in(client, applicant)
    stale = OnlineApplication.objects.get(pk=draft.pk)  # read before sending
    submit(client, draft)
    # The other tab's request read the draft just before the submission.
    monkeypatch.setattr(views_apply_loan, "own_draft_or_404", lambda *a: stale)
    for step, data in [
        (
            "loan",
            {
                "account": applicant.account.pk,
                "product": product("EE").pk,
                "amount": "9000.00",
                "term": "48",
                "parcel": applicant.parcel.pk,
            },
        ),
        ("check", {}),
    ]:
        response = client.post(step_url(draft, step), data)
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "customer:apply_loan_submitted", args=[draft.pk]
        )
    draft.refresh_from_db()
    assert draft.data["loan"]["amount"] == "4000.00"
