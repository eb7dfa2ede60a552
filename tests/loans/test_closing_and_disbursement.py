"""Closing: agreement PDF, signature, checks (void and reissue keep both), and
the loan becomes active on its first disbursement."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine

from loans.choices import DisbursementStatus, LoanStatus
from loans.services import applications as apps
from loans.services import closing
from tests.factories import LoanApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(staff_alice, supervisor_bob):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    apps.application_submit(actor=staff_alice, application=application)
    apps.application_start_review(actor=staff_alice, application=application)
    apps.application_approve(actor=supervisor_bob, application=application)
    return closing.loan_create_from_application(
        actor=staff_alice, application=application, first_due_date=date(2026, 3, 1)
    )


def test_the_loan_takes_the_approved_terms_and_stays_closing(loan):
    assert (loan.status, loan.principal, loan.term_months) == (
        LoanStatus.CLOSING,
        Decimal("4000.00"),
        48,
    )
    assert loan.installment_amount == Decimal("92.12")
    assert not loan.lien_required


def test_the_agreement_is_a_pdf_linked_to_the_loan(loan, staff_alice):
    document = closing.agreement_generate(actor=staff_alice, loan=loan)
    loan.refresh_from_db()
    assert loan.agreement_document == document
    assert document.file.read().startswith(b"%PDF")


def test_no_check_before_the_agreement_is_signed(loan, staff_alice):
    with pytest.raises(ValidationError, match="signed agreement"):
        closing.disbursement_issue(
            actor=staff_alice,
            loan=loan,
            check_number="5001",
            payee="Acme Insulation",
            amount=Decimal("4000.00"),
            issued_on=date(2026, 2, 1),
        )


@time_machine.travel(date(2026, 2, 2), tick=False)
def test_the_first_check_activates_the_loan_with_its_schedule(loan, staff_alice):
    closing.agreement_generate(actor=staff_alice, loan=loan)
    closing.agreement_record_signed(
        actor=staff_alice, loan=loan, signed_on=date(2026, 1, 30)
    )
    closing.disbursement_issue(
        actor=staff_alice,
        loan=loan,
        check_number="5001",
        payee="Acme Insulation",
        amount=Decimal("4000.00"),
        issued_on=date(2026, 2, 1),
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    assert loan.disbursed_on == date(2026, 2, 1)
    assert loan.installments.count() == 48
    # EE charges a $50.00 origination fee at disbursement.
    assert loan.entries.filter(kind="fee_assessed").get().amount == Decimal("50.00")


@time_machine.travel(date(2026, 2, 2), tick=False)
def test_void_and_reissue_keep_both_checks(loan, staff_alice):
    closing.agreement_generate(actor=staff_alice, loan=loan)
    closing.agreement_record_signed(
        actor=staff_alice, loan=loan, signed_on=date(2026, 1, 30)
    )
    first = closing.disbursement_issue(
        actor=staff_alice,
        loan=loan,
        check_number="5001",
        payee="Acme Insulation",
        amount=Decimal("4000.00"),
        issued_on=date(2026, 2, 1),
    )
    second = closing.disbursement_reissue(
        actor=staff_alice,
        disbursement=first,
        new_check_number="5002",
        issued_on=date(2026, 2, 2),
    )
    first.refresh_from_db()
    assert first.status == DisbursementStatus.VOID
    assert second.replaces == first
    assert loan.disbursements.count() == 2
    with pytest.raises(ValidationError, match="more than the loan"):
        closing.disbursement_issue(
            actor=staff_alice,
            loan=loan,
            check_number="5003",
            payee="X",
            amount=Decimal("0.01"),
            issued_on=date(2026, 2, 2),
        )
