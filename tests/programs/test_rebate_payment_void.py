"""Voiding a payment: only a standing payment of a paid application, with a
reason and a void date on or after the payment; the application is approved
(reserved) again, and both records say why in their history."""

from datetime import date

from django.core.exceptions import ValidationError

import pytest
import time_machine

from programs import services as svc
from tests.factories import RebatePaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mid_april():
    with time_machine.travel(date(2026, 4, 15), tick=False):
        yield


def void(payment, actor, reason="Check lost in the mail.", voided_on=None):
    return svc.rebate_payment_void(
        actor=actor,
        payment=payment,
        reason=reason,
        voided_on=voided_on or date(2026, 4, 9),
    )


def refusal(payment, actor, **kwargs):
    with pytest.raises(ValidationError) as caught:
        void(payment, actor, **kwargs)
    before = (payment.status, payment.application.status)
    payment.refresh_from_db()
    payment.application.refresh_from_db()
    assert (payment.status, payment.application.status) == before
    return caught.value


def test_a_void_reserves_the_approved_amount_again_and_says_why(supervisor_bob):
    payment = void(RebatePaymentFactory(), supervisor_bob)
    assert (payment.status, payment.voided_on, payment.void_reason) == (
        "void",
        date(2026, 4, 9),
        "Check lost in the mail.",
    )
    app = payment.application
    app.refresh_from_db()
    assert (app.status, app.paid_at) == ("approved", None)
    assert payment.history.first().history_change_reason == (
        "Payment voided: Check lost in the mail."
    )
    assert app.history.first().history_change_reason == (
        "Payment (check of $300.00) voided; approved amount reserved again"
    )


def test_a_payment_whose_application_is_no_longer_paid_is_not_voided(
    supervisor_bob,
):
    payment = RebatePaymentFactory(application__status="cancelled")
    error = refusal(payment, supervisor_bob)
    assert error.messages == [
        f"Application RA-{payment.application.pk:06d} is cancelled, not paid; "
        "its payment can't be voided from there."
    ]


def test_a_void_needs_a_reason(supervisor_bob):
    error = refusal(RebatePaymentFactory(), supervisor_bob, reason="  ")
    assert error.message_dict == {"reason": ["Say why the payment is void."]}


def test_a_void_date_before_the_payment_is_refused(supervisor_bob):
    error = refusal(RebatePaymentFactory(), supervisor_bob, voided_on=date(2026, 3, 31))
    assert error.message_dict == {
        "voided_on": ["The void date can't be before the payment date, April 1, 2026."]
    }


def test_a_void_date_in_the_future_is_refused(supervisor_bob):
    error = refusal(RebatePaymentFactory(), supervisor_bob, voided_on=date(2026, 4, 16))
    assert error.message_dict == {
        "voided_on": ["The void date can't be in the future."]
    }
