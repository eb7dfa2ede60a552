"""Every refusal of the rebate workflow, once: for each state and action the
predicate (`can_<action>`) answers allowed or gives the exact reason, and the
service for the action refuses with the same reason."""

from datetime import date

from django.core.exceptions import ValidationError

import pytest
from djmoney.money import Money

from programs import services as svc
from tests.factories import RebateApplicationFactory, RebatePaymentFactory

pytestmark = pytest.mark.django_db

STATE_LABELS = {
    "submitted": "submitted",
    "in_review": "in review",
    "needs_information": "needs information",
    "inspection_scheduled": "inspection scheduled",
    "inspected": "inspected",
    "approved": "approved (budget reserved)",
    "denied": "denied",
    "paid": "paid",
    "cancelled": "cancelled",
}

OPEN_BEFORE_A_DECISION = {
    "submitted",
    "in_review",
    "needs_information",
    "inspection_scheduled",
    "inspected",
}

# action: (the verb in its refusal, the states it is open in)
ACTIONS = {
    "start_review": ("reviewed", {"submitted"}),
    "request_information": ("sent back for information", {"in_review"}),
    "provide_information": ("resumed", {"needs_information"}),
    "schedule_inspection": ("scheduled for inspection", {"in_review"}),
    "record_inspection": ("recorded as inspected", {"inspection_scheduled"}),
    "approve": ("approved", {"in_review", "inspected"}),
    "deny": ("denied", OPEN_BEFORE_A_DECISION),
    "cancel": ("cancelled", {"approved"}),
    "pay_by_check": ("paid", {"approved"}),
    "pay_by_bill_credit": ("credited", {"approved"}),
}

TABLE = [
    (state, action)
    for state in STATE_LABELS
    for action in ACTIONS  # 9 states × 10 actions
]


def application_in(state):
    approved = Money("300.00", "USD") if state in {"approved", "paid"} else None
    return RebateApplicationFactory(
        status=state, approved_amount=approved, inspection_passed=None
    )


@pytest.mark.parametrize(("state", "action"), TABLE)
def test_each_action_is_open_only_in_its_states(state, action, staff_alice):
    app = application_in(state)
    verdict = getattr(app, f"can_{action}")(staff_alice)
    verb, open_in = ACTIONS[action]
    if state in open_in:
        assert (verdict.allowed, verdict.reason) == (True, "")
    else:
        assert (verdict.allowed, verdict.reason) == (
            False,
            f"Application RA-{app.pk:06d} is {STATE_LABELS[state]}; "
            f"it can't be {verb} from there.",
        )


def test_approval_is_refused_after_a_failed_inspection(staff_alice):
    app = RebateApplicationFactory(status="inspected", inspection_passed=False)
    verdict = app.can_approve(staff_alice)
    assert (verdict.allowed, verdict.reason) == (
        False,
        "The inspection failed; the application can only be denied.",
    )
    assert app.can_deny(staff_alice).allowed


def test_approval_is_open_after_a_passed_inspection(staff_alice):
    app = RebateApplicationFactory(status="inspected", inspection_passed=True)
    assert app.can_approve(staff_alice).allowed


@pytest.mark.parametrize("action", ACTIONS)
def test_someone_who_may_only_read_applications_is_refused_every_action(
    action, cashier_casey
):
    app = application_in(next(iter(ACTIONS[action][1])))
    verdict = getattr(app, f"can_{action}")(cashier_casey)
    assert (verdict.allowed, verdict.reason) == (
        False,
        "You don't have permission to work on rebate applications.",
    )


def test_the_service_refuses_with_the_predicates_reason(staff_alice):
    app = application_in("denied")
    with pytest.raises(ValidationError) as caught:
        svc.rebate_schedule_inspection(
            actor=staff_alice, application=app, inspect_on=date(2026, 3, 10)
        )
    assert caught.value.messages == [
        f"Application RA-{app.pk:06d} is denied; it can't be scheduled for "
        "inspection from there."
    ]
    app.refresh_from_db()
    assert (app.status, app.inspection_scheduled_for) == ("denied", None)


# --- payments ---------------------------------------------------------------


def test_a_payment_of_a_paid_application_can_be_voided(supervisor_bob):
    payment = RebatePaymentFactory()
    assert payment.can_void(supervisor_bob).allowed


def test_a_void_payment_cannot_be_voided_again(supervisor_bob):
    payment = RebatePaymentFactory(status="void", voided_on=date(2026, 4, 9))
    verdict = payment.can_void(supervisor_bob)
    assert (verdict.allowed, verdict.reason) == (
        False,
        "This payment is already void.",
    )


@pytest.mark.parametrize(
    ("state", "label"),
    [("approved", "approved (budget reserved)"), ("cancelled", "cancelled")],
)
def test_a_payment_whose_application_is_not_paid_cannot_be_voided(
    state, label, supervisor_bob
):
    payment = RebatePaymentFactory(application__status=state)
    verdict = payment.can_void(supervisor_bob)
    assert (verdict.allowed, verdict.reason) == (
        False,
        f"Application RA-{payment.application.pk:06d} is {label}, not paid; "
        "its payment can't be voided from there.",
    )


def test_only_those_allowed_to_void_payments_can(staff_alice):
    verdict = RebatePaymentFactory().can_void(staff_alice)
    assert (verdict.allowed, verdict.reason) == (
        False,
        "You don't have permission to void rebate payments.",
    )
