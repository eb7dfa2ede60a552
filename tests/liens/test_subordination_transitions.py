"""Every step of a subordination request and its refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import ValidationError

import pytest
import time_machine
from pypdf import PdfReader

from liens.choices import LienStatus
from liens.choices_subordinations import SubordinationStatus
from liens.services import subordinations as svc
from portal.transitions import SAME_PERSON, TransitionRefused
from tests.factories.liens_subordinations import recorded_lien, submitted_request

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 15)


def _pdf_text(document) -> str:
    document.file.open("rb")
    try:
        reader = PdfReader(BytesIO(document.file.read()))
    finally:
        document.file.close()
    return " ".join((page.extract_text() or "") for page in reader.pages)


@pytest.fixture
def in_review(staff_alice):
    with time_machine.travel(DAY):
        request = submitted_request()
        svc.subordination_request_match(
            actor=staff_alice, request=request, lien=recorded_lien()
        )
        return svc.subordination_start_review(actor=staff_alice, request=request)


def test_a_submitted_request_gets_its_reference_and_is_received():
    with time_machine.travel(DAY):
        request = submitted_request()
    assert request.reference == f"SR-2026-{request.pk:06d}"
    assert request.status == SubordinationStatus.RECEIVED
    assert request.new_loan_amount.amount == Decimal("150000.00")


def test_review_needs_a_matched_lien(staff_alice):
    request = submitted_request()
    verdict = request.can_start_review(staff_alice)
    assert not verdict
    assert (
        verdict.reason == "Match the request to one of our liens before reviewing it."
    )


def test_staff_match_then_start_review(in_review, staff_alice):
    assert in_review.status == SubordinationStatus.IN_REVIEW
    assert in_review.prepared_by == staff_alice
    assert in_review.matched_on == DAY
    assert in_review.review_started_on == DAY


def test_a_customer_cannot_work_on_requests(customer_carol):
    request = submitted_request()
    verdict = request.can_match(customer_carol)
    assert (
        verdict.reason == "You don't have permission to work on subordination requests."
    )


def test_staff_cannot_approve(in_review, staff_alice):
    assert in_review.can_approve(staff_alice).reason == (
        "You don't have permission to decide subordination requests."
    )


def test_supervisor_approves_within_limit_when_rules_pass(in_review, supervisor_bob):
    with time_machine.travel(DAY):
        approved = svc.subordination_approve(actor=supervisor_bob, request=in_review)
    assert approved.status == SubordinationStatus.APPROVED
    assert approved.decided_by == supervisor_bob
    assert approved.approved_on == DAY


def test_approver_cannot_be_the_preparer(supervisor_bob, staff_alice):
    with time_machine.travel(DAY):
        request = submitted_request()
        svc.subordination_request_match(
            actor=supervisor_bob, request=request, lien=recorded_lien()
        )
        svc.subordination_start_review(actor=supervisor_bob, request=request)
        request.refresh_from_db()
        assert request.can_approve(supervisor_bob).reason == SAME_PERSON
        with pytest.raises(TransitionRefused, match="different person"):
            svc.subordination_approve(actor=supervisor_bob, request=request)
    request.refresh_from_db()
    assert request.status == SubordinationStatus.IN_REVIEW


def test_over_the_approval_limit_is_refused(supervisor_bob, staff_alice):
    with time_machine.travel(DAY):
        request = submitted_request(
            new_loan_amount=Decimal("1000000.01"),
            appraised_value=Decimal("2000000.00"),
        )
        svc.subordination_request_match(
            actor=staff_alice, request=request, lien=recorded_lien()
        )
        svc.subordination_start_review(actor=staff_alice, request=request)
        with pytest.raises(ValidationError) as refused:
            svc.subordination_approve(actor=supervisor_bob, request=request)
    assert refused.value.messages == [
        "$1,000,000.01 is above Bob's approval limit of $1,000,000.00 for a lien "
        "subordination."
    ]
    request.refresh_from_db()
    assert request.status == SubordinationStatus.IN_REVIEW


def test_behind_a_delinquent_loan_the_default_rule_refuses(in_review, supervisor_bob):
    with time_machine.travel(date(2026, 3, 3)):
        with pytest.raises(TransitionRefused) as refused:
            svc.subordination_approve(actor=supervisor_bob, request=in_review)
    assert "The loan is 30 days past due." in refused.value.messages[0]
    in_review.refresh_from_db()
    assert in_review.status == SubordinationStatus.IN_REVIEW


def test_cltv_over_90_percent_refuses_approval(staff_alice, supervisor_bob):
    with time_machine.travel(DAY):
        request = submitted_request(senior_liens_total=Decimal("20010.00"))
        svc.subordination_request_match(
            actor=staff_alice, request=request, lien=recorded_lien()
        )
        svc.subordination_start_review(actor=staff_alice, request=request)
        with pytest.raises(TransitionRefused, match="CLTV 90.01% is above 90.00%"):
            svc.subordination_approve(actor=supervisor_bob, request=request)


def test_deny_needs_a_reason_and_writes_the_letter(in_review, supervisor_bob):
    with pytest.raises(ValidationError) as refused:
        svc.subordination_deny(actor=supervisor_bob, request=in_review, reason="  ")
    assert refused.value.message_dict == {
        "reason": [
            "Say why the request is denied; the lender receives it in the letter."
        ]
    }
    with time_machine.travel(DAY):
        denied = svc.subordination_deny(
            actor=supervisor_bob,
            request=in_review,
            reason="The loan secured by our lien is past due.",
        )
    assert denied.status == SubordinationStatus.DENIED
    text = _pdf_text(denied.denial_letter)
    assert "Dana Ortiz" in text
    assert "Hudson Valley Savings Bank" in text
    assert "The loan secured by our lien is past due." in text
    assert "$150,000.00" in text
    assert denied.reference in text
    assert "January 15, 2026" in text


def test_a_denied_request_cannot_be_approved(in_review, supervisor_bob):
    svc.subordination_deny(actor=supervisor_bob, request=in_review, reason="No.")
    in_review.refresh_from_db()
    assert in_review.can_approve(supervisor_bob).reason == (
        f"Request {in_review.reference} is denied; it can't be approved from there."
    )


def _approved(in_review, supervisor_bob):
    with time_machine.travel(DAY):
        return svc.subordination_approve(actor=supervisor_bob, request=in_review)


def test_agreement_pdf_names_the_lien_the_lender_and_the_new_position(
    in_review, supervisor_bob, staff_alice
):
    request = _approved(in_review, supervisor_bob)
    assert request.can_record(staff_alice).reason == (
        "Generate the subordination agreement before recording it."
    )
    with time_machine.travel(DAY):
        document = svc.subordination_agreement_generate(
            actor=staff_alice, request=request, new_position=2
        )
    text = _pdf_text(document)
    assert "Subordination Agreement" in text
    assert "Hudson Valley Savings Bank" in text
    assert "$150,000.00" in text
    assert "$10,000.00" in text
    assert "2026-000417" in text
    assert "from position 1 to position 2" in text
    request.refresh_from_db()
    assert request.agreement_generated_on == DAY


def test_recording_moves_the_lien_behind_the_new_loan(
    in_review, supervisor_bob, staff_alice
):
    request = _approved(in_review, supervisor_bob)
    with time_machine.travel(DAY):
        svc.subordination_agreement_generate(actor=staff_alice, request=request)
        request.refresh_from_db()
        recorded = svc.subordination_record(
            actor=staff_alice,
            request=request,
            recorded_on=DAY,
            instrument_number="2026-001200",
            new_position=2,
        )
    assert recorded.status == SubordinationStatus.RECORDED
    lien = recorded.lien
    lien.refresh_from_db()
    assert lien.status == LienStatus.SUBORDINATED
    assert lien.position == 2
    assert lien.subordinated_on == DAY
    # The last row written (history dates follow the travelled clock, so
    # they don't order the rows).
    latest = lien.history.order_by("-history_id").first()
    assert latest.history_change_reason.startswith(
        f"Subordinated by {request.reference}"
    )


def test_recording_refuses_bad_input_and_changes_nothing(
    in_review, supervisor_bob, staff_alice
):
    request = _approved(in_review, supervisor_bob)
    with time_machine.travel(DAY):
        svc.subordination_agreement_generate(actor=staff_alice, request=request)
        request.refresh_from_db()
        with pytest.raises(ValidationError) as refused:
            svc.subordination_record(
                actor=staff_alice,
                request=request,
                recorded_on=date(2026, 1, 16),
                instrument_number=" ",
                new_position=0,
            )
    assert refused.value.message_dict == {
        "instrument_number": [
            "Give the instrument number the county recorded the agreement under."
        ],
        "new_position": ["Give the lien's new position (2 for second, and so on)."],
        "recorded_on": ["The recording date can't be in the future."],
    }
    request.lien.refresh_from_db()
    assert request.lien.position == 1
    assert request.lien.status == LienStatus.RECORDED


def test_a_lien_not_yet_recorded_cannot_be_subordinated(
    in_review, supervisor_bob, staff_alice
):
    request = _approved(in_review, supervisor_bob)
    with time_machine.travel(DAY):
        svc.subordination_agreement_generate(actor=staff_alice, request=request)
    lien = request.lien
    lien.status = LienStatus.TO_RECORD
    lien.save()
    request.refresh_from_db()
    assert request.can_record(staff_alice).reason == (
        f"Lien {lien.reference} is to record; it can't be subordinated from there."
    )


def test_withdraw_before_a_decision(in_review, staff_alice, supervisor_bob):
    withdrawn = svc.subordination_withdraw(actor=staff_alice, request=in_review)
    assert withdrawn.status == SubordinationStatus.WITHDRAWN
    assert not withdrawn.can_deny(supervisor_bob)
