"""A rebate is paid from the application's approved amount. An application
marked approved without one (outside the approval workflow, which always sets
it) is refused with a message instead of failing on the missing amount, and
cancelling it says that nothing was reserved."""

from datetime import date

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from programs import services as svc
from programs.models import RebateCheckBatch, RebatePayment
from tests.factories import RebateApplicationFactory

pytestmark = pytest.mark.django_db


def approved_without_amount():
    return RebateApplicationFactory(
        status="approved", approved_amount=None, program__code="REE"
    )


def act(client, app, action, data):
    response = client.post(reverse("rebate_action", args=[app.pk, action]), data)
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_paying_by_check_without_an_approved_amount_is_refused(staff_alice):
    app = approved_without_amount()
    with pytest.raises(ValidationError) as refused:
        svc.rebate_checks_issue(
            actor=staff_alice,
            applications=[app],
            first_check_number=7001,
            paid_on=date(2026, 4, 1),
        )
    assert refused.value.messages == [
        f"Application RA-{app.pk:06d} has no approved amount; it can't be paid."
    ]
    assert not RebateCheckBatch.objects.exists()
    assert not RebatePayment.objects.exists()
    app.refresh_from_db()
    assert app.status == "approved"


def test_paying_by_bill_credit_without_an_approved_amount_is_refused(staff_alice):
    app = approved_without_amount()
    with pytest.raises(ValidationError) as refused:
        svc.rebate_bill_credits_export(
            actor=staff_alice, applications=[app], credit_date=date(2026, 4, 1)
        )
    assert refused.value.messages == [
        f"Application RA-{app.pk:06d} has no approved amount; it can't be paid."
    ]
    assert not RebatePayment.objects.exists()


def test_the_page_refuses_the_payment_with_the_message(client, staff_alice):
    app = approved_without_amount()
    client.force_login(staff_alice)
    assert act(client, app, "pay_by_check", {"check_number": "7001"}) == [
        f"Application RA-{app.pk:06d} has no approved amount; it can't be paid."
    ]
    app.refresh_from_db()
    assert app.status == "approved"


def test_cancelling_it_from_the_page_says_nothing_was_reserved(client, supervisor_bob):
    app = approved_without_amount()
    client.force_login(supervisor_bob)
    assert act(client, app, "cancel", {"reason": "Entered by mistake."}) == [
        f"RA-{app.pk:06d}: approval cancelled; it had no approved amount, so "
        "nothing is released to REE's budget."
    ]
    app.refresh_from_db()
    assert app.status == "cancelled"
