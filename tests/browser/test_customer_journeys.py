"""The issue's end-to-end journeys, one browser session after another, each
step through the pages a customer uses (the staff's part through their
services, as the office would act between the customer's visits):

- a new customer signs up, confirms the e-mail from the outbox, links the
  utility account, starts a rebate application, leaves, comes back (a new
  log-in), resumes it, uploads an invoice, sees eligibility, submits and
  sees its status; the staff ask for information and the customer answers
  with an upload, which the staff's page shows at once;
- a customer applies for a loan online; the office approves and closes it;
  the customer sees the loan's balance and downloads the payoff letter.

The steps are the reusable ones in tests/browser/flows_*.py."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest
from djmoney.money import Money
from pypdf import PdfReader

from loans.choices import ApplicationStatus
from loans.models import LoanApplication
from loans.services import applications as workflow
from loans.services import closing
from programs.choices import RebateStatus
from programs.models import RebateApplication
from programs.services import rebate_request_information, rebate_start_review
from tests.browser.flows_accounts import (
    link_account,
    log_in,
    log_out,
    sign_up,
    verify_email,
)
from tests.browser.flows_apply_loan import apply_for_loan, write_proposal
from tests.browser.flows_apply_rebate import (
    resume_rebate,
    see_eligibility,
    start_rebate,
    submit_rebate,
    upload_document,
)
from tests.browser.flows_my import (
    answer_information_request,
    download_payoff_letter,
    see_loan_balance,
)
from tests.customer.apply_loan_setup import Applicant
from tests.factories import (
    CustomerFactory,
    MeasureFactory,
    ProgramFactory,
    UtilityAccountFactory,
)
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "dana.okafor@example.org"
PASSWORD = "Riverton-heat-2026!"  # noqa: S105 - a test persona's password


@pytest.fixture(autouse=True)
def public_site(db):
    """The home page a log-out lands on (transactional tests start empty)."""
    from portal.site.demo import home_page

    return home_page()


@pytest.fixture
def dana_account(db):
    """Dana's service account as the billing system loaded it: no log-in yet."""
    customer = CustomerFactory(first_name="Dana", last_name="Okafor", email="")
    return UtilityAccountFactory(
        customer=customer, number="204518", line1="41 Mill Rd", postal_code="12180"
    )


@pytest.fixture
def heating_program(db):
    today = timezone.localdate()
    program = ProgramFactory(
        code="HEAT",
        name="Home Heating Rebates",
        fiscal_year=today.year,
        budget=Money("50000.00", "USD"),
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=180),
    )
    MeasureFactory(
        program=program,
        code="TSTAT",
        name="Smart thermostat",
        incentive_kind="fixed",
        amount=Decimal("75.00"),
        required_documents=["invoice"],
    )
    return program


def test_a_new_customer_signs_up_applies_for_a_rebate_over_two_visits_and_answers_the_staff(  # noqa: E501
    page_for, dana_account, heating_program, staff_alice, tmp_path
):
    dana = page_for()
    sign_up(dana, EMAIL, PASSWORD)
    verify_email(dana, EMAIL)
    link_account(dana, "204518", "12180", "okafor")
    assert "204518" in dana.page.inner_text("#main")

    installed = timezone.localdate() - timedelta(days=12)
    start_rebate(
        dana,
        "HEAT",
        quantities={"Smart thermostat": "1"},
        install_date=installed.isoformat(),
        contractor="Warm Homes LLC",
    )
    log_out(dana)

    # Another day: she logs in again and picks up where she left off.
    log_in(dana, EMAIL, PASSWORD)
    resume_rebate(dana)
    invoice = tmp_path / "thermostat-invoice.pdf"
    invoice.write_bytes(pdf_bytes())
    upload_document(dana, invoice)
    eligibility = see_eligibility(dana)
    assert "You meet the requirements of Home Heating Rebates" in eligibility
    assert "$75.00" in eligibility
    reference = submit_rebate(dana)

    application = RebateApplication.objects.get()
    assert application.reference == reference
    assert application.customer == dana_account.customer
    assert application.status == RebateStatus.SUBMITTED
    dana.goto("/account/applications/")
    assert reference in dana.page.inner_text("#main")

    # The office reviews it and asks for a photo of the installed thermostat.
    rebate_start_review(actor=staff_alice, application=application)
    rebate_request_information(
        actor=staff_alice,
        application=application,
        question="Please send a photo of the installed thermostat.",
    )
    dana.goto("/account/applications/")
    assert reference in dana.page.inner_text("#action-needed")
    photo = tmp_path / "thermostat-photo.pdf"
    photo.write_bytes(pdf_bytes())
    thanks = answer_information_request(
        dana, "rebate", application.pk, "Photo attached.", photo
    )
    assert reference in thanks
    application.refresh_from_db()
    assert application.status == RebateStatus.IN_REVIEW
    assert dana.problems == [], "\n".join(dana.problems)

    alice = page_for(staff_alice)
    alice.goto(f"/admin/rebate_applications/inspect/{application.pk}/")
    answers = alice.page.inner_text("#customer-answers-section")
    assert "thermostat-photo.pdf" in answers
    assert "Photo attached." in answers


def test_a_loan_applied_for_online_and_closed_by_the_office_shows_its_balance_and_payoff_letter(  # noqa: E501
    page_for, staff_alice, supervisor_bob, tmp_path
):
    applicant = Applicant(username="erin")
    erin = page_for(applicant.user)
    reference = apply_for_loan(
        erin,
        product_code="EE",
        amount="4,000.00",
        term=48,
        purpose="Attic insulation and air sealing",
        proposal_path=write_proposal(tmp_path),
    )
    application = LoanApplication.objects.get()
    assert application.reference == reference
    assert application.status == ApplicationStatus.SUBMITTED

    # The office: review, approval by a second person, closing, disbursement.
    today = timezone.localdate()
    workflow.application_start_review(actor=staff_alice, application=application)
    workflow.application_approve(actor=supervisor_bob, application=application)
    loan = closing.loan_create_from_application(
        actor=staff_alice,
        application=application,
        first_due_date=today + timedelta(days=10),
    )
    closing.loan_activate(
        actor=staff_alice, loan=loan, disbursed_on=today - timedelta(days=20)
    )

    balance = see_loan_balance(erin, loan.number)
    assert "$4,000.00" in balance
    letter = download_payoff_letter(erin, loan.number)
    printed = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter)).pages)
    assert applicant.customer.display_name in printed
    assert loan.number in printed
    assert erin.problems == [], "\n".join(erin.problems)
