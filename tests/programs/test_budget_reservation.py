"""Approval reserves against the remaining budget; the budget is never
over-committed; denial, cancellation and voids release or restore."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from programs import services as svc
from programs.selectors import budget_position

pytestmark = pytest.mark.django_db


def approve(app, reviewer, approver):
    app = svc.rebate_start_review(actor=reviewer, application=app)
    return svc.rebate_approve(actor=approver, application=app)


def test_approval_reserves_and_an_overrun_is_refused(
    apply, program, staff_alice, supervisor_bob
):
    approve(apply(), staff_alice, supervisor_bob)
    approve(apply(), staff_alice, supervisor_bob)
    approve(apply(), staff_alice, supervisor_bob)
    assert budget_position(program).remaining == Decimal("100.00")
    fourth = svc.rebate_start_review(actor=staff_alice, application=apply())
    with pytest.raises(ValidationError) as caught:
        svc.rebate_approve(actor=supervisor_bob, application=fourth)
    assert caught.value.messages == [
        "Approving $300.00 would over-commit REE: only $100.00 of its budget remains."
    ]
    fourth.refresh_from_db()
    assert fourth.status == "in_review"


def test_a_partial_approval_can_use_what_remains(
    apply, program, staff_alice, supervisor_bob
):
    for _ in range(3):
        approve(apply(), staff_alice, supervisor_bob)
    fourth = svc.rebate_start_review(actor=staff_alice, application=apply())
    svc.rebate_approve(
        actor=supervisor_bob, application=fourth, amount=Decimal("100.00")
    )
    assert budget_position(program).remaining == Decimal("0.00")


def test_cancelling_an_approval_releases_its_reservation(
    apply, program, staff_alice, supervisor_bob
):
    app = approve(apply(), staff_alice, supervisor_bob)
    svc.rebate_cancel(actor=supervisor_bob, application=app, reason="Withdrawn.")
    assert budget_position(program).remaining == Decimal("1000.00")


def test_a_denied_application_reserves_nothing(
    apply, program, staff_alice, supervisor_bob
):
    app = svc.rebate_start_review(actor=staff_alice, application=apply())
    svc.rebate_deny(actor=supervisor_bob, application=app, reasons="Not eligible.")
    assert budget_position(program).committed == Decimal("0.00")


def test_paying_moves_the_reservation_to_paid_and_a_void_restores_it(
    apply, program, staff_alice, supervisor_bob
):
    app = approve(apply(), staff_alice, supervisor_bob)
    batch = svc.rebate_checks_issue(
        actor=staff_alice,
        applications=[app],
        first_check_number=7001,
        paid_on=date(2026, 4, 1),
    )
    position = budget_position(program)
    assert (position.committed, position.paid) == (Decimal("0.00"), Decimal("300.00"))
    svc.rebate_payment_void(
        actor=supervisor_bob,
        payment=batch.payments.get(),
        reason="Check lost in mail.",
        voided_on=date(2026, 4, 9),
    )
    position = budget_position(program)
    assert (position.committed, position.paid) == (Decimal("300.00"), Decimal("0.00"))
    assert batch.payments.get().status == "void"
