"""The application workflow: named transitions, each checked and recorded."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
from djmoney.money import Money

from loans.choices import ApplicationStatus as S
from loans.selectors import underwriting_facts
from loans.services import applications as svc
from tests.factories import BillingPeriodFactory, LoanApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(staff_alice):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    svc.application_submit(actor=staff_alice, application=application)
    return svc.application_start_review(actor=staff_alice, application=application)


def test_an_application_moves_through_review_and_records_each_step(staff_alice):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    application = svc.application_submit(actor=staff_alice, application=application)
    application = svc.application_start_review(
        actor=staff_alice, application=application
    )
    application = svc.application_request_information(
        actor=staff_alice, application=application, question="Send the deed."
    )
    assert application.status == S.NEEDS_INFORMATION
    application = svc.application_provide_information(
        actor=staff_alice, application=application
    )
    assert application.status == S.IN_REVIEW
    assert application.submitted_at and application.information_requested_at
    reasons = list(
        application.history.order_by("history_id").values_list(
            "history_change_reason", flat=True
        )
    )[1:]  # after the factory's creation row
    assert reasons == [
        "Application submitted",
        "Review started",
        "Information requested: Send the deed.",
        "Information provided; review resumed",
    ]


def test_a_transition_from_the_wrong_state_is_refused_and_changes_nothing(
    staff_alice,
):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    with pytest.raises(ValidationError) as caught:
        svc.application_approve(actor=staff_alice, application=application)
    assert caught.value.messages == [
        f"Application {application.reference} is draft; it can't be approved "
        "from there."
    ]
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_the_preparer_cannot_approve_their_own_application(in_review, staff_alice):
    with pytest.raises(ValidationError, match="different person"):
        svc.application_approve(actor=staff_alice, application=in_review)
    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW


def test_staff_cannot_approve_above_their_limit(in_review, db):
    from tests.conftest import _user

    colleague = _user("erin", "Program staff")  # limit $5,000.00
    with pytest.raises(ValidationError, match="above Erin's approval limit"):
        svc.application_approve(
            actor=colleague, application=in_review, amount=Decimal("6000.00")
        )


def test_a_supervisor_approves_within_limit_and_product_terms(
    in_review, supervisor_bob
):
    approved = svc.application_approve(
        actor=supervisor_bob,
        application=in_review,
        amount=Decimal("8000.00"),
        term_months=60,
        reasons="Good payment history.",
    )
    assert approved.status == S.APPROVED
    assert approved.approved_amount == Money("8000.00", "USD")
    assert approved.decided_by == supervisor_bob
    assert approved.history.latest().history_user == supervisor_bob


def test_approval_outside_the_product_limits_is_refused(in_review, supervisor_bob):
    with pytest.raises(ValidationError) as caught:
        svc.application_approve(
            actor=supervisor_bob,
            application=in_review,
            amount=Decimal("12000.00"),
            term_months=72,
        )
    assert set(caught.value.message_dict) == {"amount", "term"}


def test_a_decline_needs_reasons(in_review, supervisor_bob):
    with pytest.raises(ValidationError):
        svc.application_decline(
            actor=supervisor_bob, application=in_review, reasons=" "
        )
    declined = svc.application_decline(
        actor=supervisor_bob, application=in_review, reasons="Not the owner of record."
    )
    assert declined.status == S.DECLINED


def test_underwriting_shows_history_ownership_and_limits(staff_alice):
    application = LoanApplicationFactory(
        prepared_by=staff_alice, requested_amount=Money("6000.00", "USD")
    )
    for month in range(1, 4):
        BillingPeriodFactory(
            account=application.account,
            period_start=date(2026, month, 1),
            paid_late=month == 2,
        )
    facts = underwriting_facts(application)
    assert (facts.late_months, len(facts.billing_months)) == (1, 3)
    assert facts.owner_matches is False
    application.parcel.owners.add(application.customer)
    assert underwriting_facts(application).owner_matches is True
    assert facts.amount_within_limits and facts.term_within_limit
    assert facts.lien_required  # EE needs a lien above $5,000.00
