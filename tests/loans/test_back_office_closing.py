"""Closing a loan from the back office: open it from the approved application,
generate and download the agreement, record the signature, issue the check
(which activates the loan), void and reissue checks; withdraw an application.

Each action: the happy path, each refusal as the service's (or the
predicate's) words with 200 or 302 and never 500, who may do it, and the
confirmation step before anything that can't be undone."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest
import time_machine

from loans.choices import ApplicationStatus, DisbursementStatus, LoanStatus
from loans.models import Disbursement, Loan
from loans.services import applications as apps
from loans.services import closing
from portal import roles
from tests.factories import (
    CustomerFactory,
    LoanApplicationFactory,
    UserFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def in_review(staff_alice):
    customer = CustomerFactory(first_name="Walter", last_name="Okafor")
    application = LoanApplicationFactory(
        prepared_by=staff_alice,
        account=UtilityAccountFactory(customer=customer),
        contractor_name="Acme Insulation",
    )
    apps.application_submit(actor=staff_alice, application=application)
    apps.application_start_review(actor=staff_alice, application=application)
    return application


@pytest.fixture
def approved(in_review, supervisor_bob):
    return apps.application_approve(actor=supervisor_bob, application=in_review)


@pytest.fixture
def loan(approved, staff_alice):
    return closing.loan_create_from_application(
        actor=staff_alice, application=approved, first_due_date=date(2026, 5, 1)
    )


@pytest.fixture
def signed(loan, staff_alice):
    closing.agreement_generate(actor=staff_alice, loan=loan)
    closing.agreement_record_signed(actor=staff_alice, loan=loan, signed_on=TODAY)
    loan.refresh_from_db()
    return loan


@pytest.fixture
def issued(signed, staff_alice):
    return closing.disbursement_issue(
        actor=staff_alice,
        loan=signed,
        check_number="100123",
        payee="Walter Okafor",
        amount=Decimal("4000.00"),
        issued_on=TODAY,
    )


@pytest.fixture
def editor_eddie(db):
    """Back-office access, but no loan permissions at all."""
    user = UserFactory(username="eddie")
    user.groups.add(Group.objects.get(name=roles.CONTENT_EDITOR))
    return user


# --------------------------------------------------------------------------
# Open the loan
# --------------------------------------------------------------------------


def test_an_approved_application_offers_open_the_loan(client, approved, staff_alice):
    client.force_login(staff_alice)
    page = text(client.get(reverse("loan_applications:inspect", args=[approved.pk])))
    assert "Open the loan" in page
    assert '<label class="w-field__label" for="id_open_loan_first_due_date"' in page
    assert reverse("loan_application_open_loan", args=[approved.pk]) in page


def test_an_application_in_review_does_not_offer_it(client, in_review, staff_alice):
    client.force_login(staff_alice)
    page = text(client.get(reverse("loan_applications:inspect", args=[in_review.pk])))
    assert "Open the loan" not in page


def test_opening_the_loan_goes_to_its_page_in_closing(client, approved, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_application_open_loan", args=[approved.pk]),
        {"first_due_date": "2026-05-01"},
    )
    loan = Loan.objects.get(application=approved)
    assert response.status_code == 302
    assert response["Location"] == reverse("loans:inspect", args=[loan.pk])
    assert (loan.status, loan.principal, loan.first_due_date) == (
        LoanStatus.CLOSING,
        Decimal("4000.00"),
        date(2026, 5, 1),
    )
    page = client.get(response["Location"])
    assert messages_of(page) == [
        f"Loan EE-2026-{approved.pk:05d} opened for Walter Okafor: $4,000.00 over "
        "48 months, first due May 1, 2026. Next: generate the agreement."
    ]
    assert "Closing (not yet disbursed)" in text(page)


def test_the_application_page_links_the_loan_once_opened(
    client, loan, approved, staff_alice
):
    client.force_login(staff_alice)
    page = text(client.get(reverse("loan_applications:inspect", args=[approved.pk])))
    assert f'Loan: <a href="{reverse("loans:inspect", args=[loan.pk])}">' in page
    assert "Open the loan" not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the first due date."),
        ("next month", "Enter a date such as 2026-03-10."),
        (
            "2026-03-02",
            "The first due date must be after today: checks are issued before it.",
        ),
    ],
)
def test_a_bad_first_due_date_is_refused_on_the_form(
    client, approved, staff_alice, typed, message
):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_application_open_loan", args=[approved.pk]),
        {"first_due_date": typed},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"first_due_date": [message]}
    assert message in text(response)
    assert not Loan.objects.exists()


def test_a_second_opening_is_refused_with_the_services_words(
    client, loan, approved, staff_alice
):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_application_open_loan", args=[approved.pk]),
        {"first_due_date": "2026-05-01"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        f"Application {approved.reference} already has loan {loan.number}."
    ]
    assert Loan.objects.count() == 1


def test_an_application_in_review_cannot_be_opened(client, in_review, staff_alice):
    client.force_login(staff_alice)
    response = client.get(
        reverse("loan_application_open_loan", args=[in_review.pk]), follow=True
    )
    assert messages_of(response) == [
        f"Application {in_review.reference} is in review; only an approved "
        "application closes."
    ]


def test_a_cashier_cannot_open_a_loan(client, approved, cashier_casey):
    client.force_login(cashier_casey)
    page = text(client.get(reverse("loan_applications:inspect", args=[approved.pk])))
    assert "Open the loan" not in page
    response = client.post(
        reverse("loan_application_open_loan", args=[approved.pk]),
        {"first_due_date": "2026-05-01"},
    )
    assert response.status_code == 302
    assert messages_of(client.get(response["Location"])) == [
        "You don't have permission to open loans."
    ]
    assert not Loan.objects.exists()


# --------------------------------------------------------------------------
# Withdraw (with confirmation)
# --------------------------------------------------------------------------


def test_withdraw_asks_for_confirmation_first(client, in_review, staff_alice):
    client.force_login(staff_alice)
    url = reverse("loan_application_withdraw", args=[in_review.pk])
    page = text(client.get(reverse("loan_applications:inspect", args=[in_review.pk])))
    assert f'href="{url}">Withdraw</a>' in page
    response = client.get(url)
    assert response.status_code == 200
    assert f"Withdraw application {in_review.reference}?" in text(response)
    assert f"Yes, withdraw {in_review.reference}" in text(response)
    assert "Walter Okafor" in text(response)
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_REVIEW


def test_the_confirm_post_withdraws(client, in_review, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_application_withdraw", args=[in_review.pk]), follow=True
    )
    assert messages_of(response) == [f"{in_review.reference}: withdrawn."]
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.WITHDRAWN


def test_the_generic_action_no_longer_withdraws_without_confirmation(
    client, in_review, staff_alice
):
    """The action URL for "withdraw" is the confirmation page itself."""
    client.force_login(staff_alice)
    url = reverse("loan_application_action", args=[in_review.pk, "withdraw"])
    assert url == reverse("loan_application_withdraw", args=[in_review.pk])
    assert client.get(url).status_code == 200
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_REVIEW


def test_withdrawing_twice_is_refused_with_the_predicates_words(
    client, in_review, staff_alice
):
    apps.application_withdraw(actor=staff_alice, application=in_review)
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_application_withdraw", args=[in_review.pk]), follow=True
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        f"Application {in_review.reference} is withdrawn; it can't be withdrawn "
        "from there."
    ]


def test_a_cashier_cannot_withdraw(client, in_review, cashier_casey):
    client.force_login(cashier_casey)
    response = client.post(
        reverse("loan_application_withdraw", args=[in_review.pk]), follow=True
    )
    assert messages_of(response) == [
        "You don't have permission to work on loan applications."
    ]
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_REVIEW


# --------------------------------------------------------------------------
# The loan page's closing buttons come from the predicates
# --------------------------------------------------------------------------


def closing_buttons(client, loan) -> list[str]:
    response = client.get(reverse("loans:inspect", args=[loan.pk]))
    assert response.status_code == 200
    return [step["label"] for step in response.context["closing_actions"]]


def test_the_closing_buttons_follow_the_loans_state(client, loan, staff_alice):
    client.force_login(staff_alice)
    assert closing_buttons(client, loan) == ["Generate agreement"]
    closing.agreement_generate(actor=staff_alice, loan=loan)
    assert closing_buttons(client, loan) == [
        "Generate the agreement again",
        "Record signature",
    ]
    closing.agreement_record_signed(actor=staff_alice, loan=loan, signed_on=TODAY)
    assert closing_buttons(client, loan) == ["Issue disbursement check"]
    page = text(client.get(reverse("loans:inspect", args=[loan.pk])))
    assert "Signed: on March 2, 2026" in page


def test_a_cashier_sees_no_closing_buttons(client, loan, cashier_casey):
    client.force_login(cashier_casey)
    assert closing_buttons(client, loan) == []


# --------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------


def test_generating_the_agreement_makes_it_downloadable(client, loan, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_generate_agreement", args=[loan.pk]), follow=True
    )
    assert messages_of(response) == [
        f"Agreement for loan {loan.number} generated. Download it from this page, "
        "have it signed, then record the signature."
    ]
    loan.refresh_from_db()
    assert loan.agreement_document is not None
    page = text(response)
    download = reverse("loan_agreement", args=[loan.pk])
    assert f'href="{download}"' in page
    assert "/media/" not in page
    pdf = client.get(download)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="agreement-{loan.number}.pdf"'
    )
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_cashier_may_download_but_not_generate(
    client, loan, staff_alice, cashier_casey
):
    closing.agreement_generate(actor=staff_alice, loan=loan)
    client.force_login(cashier_casey)
    assert client.get(reverse("loan_agreement", args=[loan.pk])).status_code == 200
    response = client.post(
        reverse("loan_generate_agreement", args=[loan.pk]), follow=True
    )
    assert messages_of(response) == ["You don't have permission to close loans."]


def test_the_agreement_needs_the_view_loan_permission(
    client, loan, staff_alice, editor_eddie
):
    closing.agreement_generate(actor=staff_alice, loan=loan)
    client.force_login(editor_eddie)
    response = client.get(reverse("loan_agreement", args=[loan.pk]))
    # The admin answers PermissionDenied by sending the user to its dashboard.
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_no_agreement_yet_is_a_404(client, loan, staff_alice):
    client.force_login(staff_alice)
    assert client.get(reverse("loan_agreement", args=[loan.pk])).status_code == 404


def test_a_signed_agreement_is_not_generated_again(client, signed, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_generate_agreement", args=[signed.pk]), follow=True
    )
    assert messages_of(response) == [
        f"The agreement for {signed.number} was signed on March 2, 2026; it is "
        "not generated again."
    ]


# --------------------------------------------------------------------------
# Signature
# --------------------------------------------------------------------------


def test_recording_the_signature(client, loan, staff_alice):
    closing.agreement_generate(actor=staff_alice, loan=loan)
    client.force_login(staff_alice)
    url = reverse("loan_record_signature", args=[loan.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert 'for="id_signed_on"' in text(form_page)
    response = client.post(url, {"signed_on": "2026-03-01"}, follow=True)
    assert messages_of(response) == [
        f"Agreement for loan {loan.number} signed on March 1, 2026. Next: issue "
        "the disbursement check."
    ]
    loan.refresh_from_db()
    assert loan.agreement_signed_on == date(2026, 3, 1)


def test_a_future_signing_date_is_refused_on_the_field(client, loan, staff_alice):
    closing.agreement_generate(actor=staff_alice, loan=loan)
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_record_signature", args=[loan.pk]), {"signed_on": "2026-03-03"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "signed_on": ["The signing date can't be in the future."]
    }
    loan.refresh_from_db()
    assert loan.agreement_signed_on is None


def test_no_signature_before_the_agreement(client, loan, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_record_signature", args=[loan.pk]),
        {"signed_on": "2026-03-01"},
        follow=True,
    )
    assert messages_of(response) == [
        "Generate the agreement before recording it as signed."
    ]


# --------------------------------------------------------------------------
# Disbursement checks
# --------------------------------------------------------------------------


def issue(client, loan, **overrides):
    data = {
        "check_number": "100123",
        "payee": "Walter Okafor",
        "amount": "4,000.00",
        "issued_on": "2026-03-02",
        **overrides,
    }
    return client.post(reverse("loan_issue_disbursement", args=[loan.pk]), data)


def test_the_check_form_offers_the_customer_and_the_contractor(
    client, signed, staff_alice
):
    client.force_login(staff_alice)
    response = client.get(reverse("loan_issue_disbursement", args=[signed.pk]))
    form = response.context["form"]
    assert form.fields["payee"].choices == [
        ("Walter Okafor", "Walter Okafor"),
        ("Acme Insulation", "Acme Insulation"),
    ]
    assert form["amount"].value() == "4000.00"  # what is left to pay out
    page = text(response)
    for label in ("Check number", "Pay to", "Amount", "Issued on"):
        assert f'>\n            {label}<span class="w-required-mark">' in page


def test_the_first_check_activates_the_loan(client, signed, staff_alice):
    client.force_login(staff_alice)
    response = issue(client, signed)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert messages_of(page) == [
        "Check 100123 issued to Walter Okafor for $4,000.00; the loan is now active."
    ]
    assert "<strong>Active</strong>" in text(page)
    signed.refresh_from_db()
    assert (signed.status, signed.disbursed_on) == (LoanStatus.ACTIVE, TODAY)


def test_a_second_check_does_not_claim_to_activate(client, signed, staff_alice):
    client.force_login(staff_alice)
    client.get(issue(client, signed, amount="1000.00")["Location"])
    response = issue(
        client, signed, check_number="100124", payee="Acme Insulation", amount="3000"
    )
    assert messages_of(client.get(response["Location"])) == [
        "Check 100124 issued to Acme Insulation for $3,000.00."
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"amount": "3999.995"},
            "amount",
            "Amounts are in dollars and cents: '3999.995' has more than two "
            "decimal places.",
        ),
        ({"amount": ""}, "amount", "Enter an amount."),
        ({"amount": "0"}, "amount", "The check amount must be more than $0.00."),
        (
            {"amount": "4000.01"},
            "amount",
            "Checks would total $4,000.01, more than the loan's $4,000.00.",
        ),
        (
            {"issued_on": "2026-05-01"},
            "issued_on",
            "The first due date must be after the disbursement date.",
        ),
        (
            {"payee": "Somebody Else"},
            "payee",
            "Choose the customer or the contractor named on the application.",
        ),
        ({"check_number": ""}, "check_number", "Enter the check number."),
        (
            {"check_number": "12 34"},
            "check_number",
            "A check number may contain only letters, digits, '-', '_' and '.', "
            "and must start with a letter or digit.",
        ),
    ],
)
def test_check_refusals_land_on_the_form(
    client, signed, staff_alice, overrides, field, message
):
    client.force_login(staff_alice)
    response = issue(client, signed, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert message in text(response)
    assert not Disbursement.objects.exists()
    signed.refresh_from_db()
    assert signed.status == LoanStatus.CLOSING


def test_a_used_check_number_is_refused_on_its_field(client, issued, staff_alice):
    closing.disbursement_void(
        actor=staff_alice, disbursement=issued, reason="Torn", voided_on=TODAY
    )
    client.force_login(staff_alice)
    response = issue(client, issued.loan)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "check_number": ["Disbursement with this Check number already exists."]
    }
    assert Disbursement.objects.count() == 1


def test_no_check_before_the_signature(client, loan, staff_alice):
    client.force_login(staff_alice)
    response = issue(client, loan)
    assert response.status_code == 302
    assert messages_of(client.get(response["Location"])) == [
        "Record the signed agreement before issuing a disbursement."
    ]


def test_a_cashier_cannot_issue_a_check(client, signed, cashier_casey):
    client.force_login(cashier_casey)
    response = issue(client, signed)
    assert messages_of(client.get(response["Location"])) == [
        "You don't have permission to issue disbursement checks."
    ]
    assert not Disbursement.objects.exists()


# --------------------------------------------------------------------------
# Void and reissue (with confirmation)
# --------------------------------------------------------------------------


def test_the_loan_page_offers_void_and_reissue_per_check(client, issued, staff_alice):
    client.force_login(staff_alice)
    page = text(client.get(reverse("loans:inspect", args=[issued.loan_id])))
    assert f'href="{reverse("loan_check_void", args=[issued.pk])}"' in page
    assert f'href="{reverse("loan_check_reissue", args=[issued.pk])}"' in page


def test_a_cashier_is_offered_neither(client, issued, cashier_casey):
    client.force_login(cashier_casey)
    page = text(client.get(reverse("loans:inspect", args=[issued.loan_id])))
    assert reverse("loan_check_void", args=[issued.pk]) not in page
    assert reverse("loan_check_reissue", args=[issued.pk]) not in page


def test_void_shows_the_check_and_asks_first(client, issued, staff_alice):
    client.force_login(staff_alice)
    response = client.get(reverse("loan_check_void", args=[issued.pk]))
    page = text(response)
    assert response.status_code == 200
    assert "Void check 100123?" in page
    assert "Yes, void check 100123" in page
    assert "$4,000.00" in page and "Walter Okafor" in page
    assert 'class="button no"' in page
    issued.refresh_from_db()
    assert issued.status == DisbursementStatus.ISSUED


def test_void_needs_a_reason_in_the_services_words(client, issued, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_check_void", args=[issued.pk]),
        {"reason": "  ", "voided_on": "2026-03-02"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Say why the check is void."]}
    issued.refresh_from_db()
    assert issued.status == DisbursementStatus.ISSUED


def test_the_confirm_post_voids(client, issued, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_check_void", args=[issued.pk]),
        {"reason": "Lost in the mail", "voided_on": "2026-03-02"},
        follow=True,
    )
    assert messages_of(response) == [
        "Check 100123 to Walter Okafor for $4,000.00 is void: Lost in the mail"
    ]
    issued.refresh_from_db()
    assert (issued.status, issued.voided_on) == (DisbursementStatus.VOID, TODAY)
    again = client.get(reverse("loan_check_void", args=[issued.pk]), follow=True)
    assert messages_of(again) == ["Check 100123 is already void."]


def test_a_cashier_cannot_void(client, issued, cashier_casey):
    client.force_login(cashier_casey)
    response = client.post(
        reverse("loan_check_void", args=[issued.pk]),
        {"reason": "Lost", "voided_on": "2026-03-02"},
        follow=True,
    )
    assert messages_of(response) == ["You don't have permission to void checks."]


def test_reissue_asks_first_then_replaces_the_check(client, issued, staff_alice):
    client.force_login(staff_alice)
    url = reverse("loan_check_reissue", args=[issued.pk])
    confirm = client.get(url)
    assert "Yes, reissue check 100123" in text(confirm)
    assert 'for="id_new_check_number"' in text(confirm)
    assert Disbursement.objects.count() == 1
    response = client.post(
        url, {"new_check_number": "100124", "issued_on": "2026-03-02"}, follow=True
    )
    assert messages_of(response) == [
        "Check 100124 issued to Walter Okafor for $4,000.00 in place of check "
        "100123, which is void."
    ]
    issued.refresh_from_db()
    new = Disbursement.objects.get(check_number="100124")
    assert (issued.status, new.replaces) == (DisbursementStatus.VOID, issued)
    again = client.get(url, follow=True)
    assert messages_of(again) == ["Check 100123 was already reissued as 100124."]


def test_a_reissue_to_a_used_number_is_refused_on_the_field(
    client, issued, staff_alice
):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_check_reissue", args=[issued.pk]),
        {"new_check_number": "100123", "issued_on": "2026-03-02"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_check_number"]
    issued.refresh_from_db()
    assert issued.status == DisbursementStatus.ISSUED


def test_a_cashier_cannot_reissue(client, issued, cashier_casey):
    client.force_login(cashier_casey)
    response = client.post(
        reverse("loan_check_reissue", args=[issued.pk]),
        {"new_check_number": "100124", "issued_on": "2026-03-02"},
        follow=True,
    )
    assert messages_of(response) == ["You don't have permission to reissue checks."]
    assert Disbursement.objects.count() == 1
