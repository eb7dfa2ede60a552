"""Rebate applications: incentives computed on entry, named transitions, and
the inspection fail path."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
from djmoney.money import Money

from programs import services as svc
from programs.choices import RebateStatus as S
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def to_inspection(app, actor):
    app = svc.rebate_start_review(actor=actor, application=app)
    return svc.rebate_schedule_inspection(
        actor=actor, application=app, inspect_on=date(2026, 3, 10)
    )


def test_the_requested_amount_is_the_sum_of_the_measures_incentives(apply):
    app = apply(quantity="2")
    assert app.requested_amount == Money("300.00", "USD")  # fixed: quantity ignored
    assert app.status == S.SUBMITTED


def test_review_can_ask_for_information_and_resume(apply, staff_alice):
    app = svc.rebate_start_review(actor=staff_alice, application=apply())
    app = svc.rebate_request_information(
        actor=staff_alice, application=app, question="Send the invoice."
    )
    assert app.status == S.NEEDS_INFORMATION
    app = svc.rebate_provide_information(actor=staff_alice, application=app)
    assert app.status == S.IN_REVIEW


def test_a_failed_inspection_can_only_be_denied(apply, staff_alice, supervisor_bob):
    app = to_inspection(apply(), staff_alice)
    app = svc.rebate_record_inspection(
        actor=staff_alice,
        application=app,
        passed=False,
        notes="Unit not installed.",
        inspected_on=date(2026, 3, 10),
    )
    assert (app.status, app.inspection_passed) == (S.INSPECTED, False)
    with pytest.raises(ValidationError) as caught:
        svc.rebate_approve(actor=supervisor_bob, application=app)
    assert caught.value.messages == [
        "The inspection failed; the application can only be denied."
    ]
    app = svc.rebate_deny(
        actor=supervisor_bob, application=app, reasons="Failed inspection."
    )
    assert app.status == S.DENIED


def test_a_failed_inspection_needs_notes(apply, staff_alice):
    app = to_inspection(apply(), staff_alice)
    with pytest.raises(ValidationError):
        svc.rebate_record_inspection(
            actor=staff_alice,
            application=app,
            passed=False,
            notes="",
            inspected_on=date(2026, 3, 10),
        )


def test_a_passed_inspection_can_be_approved(apply, staff_alice, supervisor_bob):
    app = to_inspection(apply(), staff_alice)
    app = svc.rebate_record_inspection(
        actor=staff_alice,
        application=app,
        passed=True,
        notes="",
        inspected_on=date(2026, 3, 10),
    )
    app = svc.rebate_approve(actor=supervisor_bob, application=app)
    assert (app.status, app.approved_amount) == (S.APPROVED, Money("300.00", "USD"))


def test_a_wrong_state_transition_is_refused(apply, staff_alice):
    app = apply()
    with pytest.raises(ValidationError, match="submitted; it can't be"):
        svc.rebate_schedule_inspection(
            actor=staff_alice, application=app, inspect_on=date(2026, 3, 10)
        )


def test_four_eyes_preparer_cannot_approve_and_staff_limit_applies(
    apply, program, staff_alice, supervisor_bob
):
    app = svc.rebate_start_review(actor=staff_alice, application=apply())
    with pytest.raises(ValidationError, match="different person"):
        svc.rebate_approve(actor=staff_alice, application=app)
    from tests.conftest import _user

    erin = _user("erin", "Program staff")  # rebate limit $1,000.00
    furnace = MeasureFactory(program=program, code="FURNACE", amount=Decimal("1200.00"))
    big = svc.rebate_start_review(
        actor=staff_alice, application=apply(the_measure=furnace)
    )
    assert big.requested_amount == Money("1200.00", "USD")
    with pytest.raises(ValidationError, match="above Erin's approval limit"):
        svc.rebate_approve(actor=erin, application=big, amount=Decimal("1000.01"))
    assert svc.rebate_approve(actor=erin, application=app).status == S.APPROVED
