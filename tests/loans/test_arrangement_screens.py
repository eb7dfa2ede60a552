"""The arrangement screens: propose from the loan's collections page,
approve and cancel through a confirmation page whose POST alone acts; the
buttons come from the predicates and a refusal is a message in words."""

from datetime import date

from django.urls import reverse

import pytest
import time_machine

from loans.choices import ArrangementStatus
from loans.models import PaymentArrangement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 4, 15), tick=False):
        yield


def propose(client, loan):
    return client.post(
        reverse("collections:arrangement_propose", args=[loan.pk]),
        {"months": "3", "first_due_date": "2026-05-01", "channel": "phone", "note": ""},
        follow=True,
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_staff_propose_and_a_supervisor_approves_after_confirming(
    client, book, staff_alice, supervisor_bob
):
    loan = book("L-1")
    client.force_login(staff_alice)
    form = client.get(reverse("collections:arrangement_propose", args=[loan.pk]))
    assert "Past due today" in form.content.decode()
    assert "$566.13" in form.content.decode()
    response = propose(client, loan)
    arrangement = PaymentArrangement.objects.get()
    ref = arrangement.reference  # PA-000001 (ids are not reset on PostgreSQL)
    assert messages_of(response) == [
        f"Arrangement {ref} proposed: $566.13 past due over 3 months from "
        "May 1, 2026. It takes effect once approved."
    ]
    client.force_login(supervisor_bob)
    page = client.get(reverse("collections:loan", args=[loan.pk])).content.decode()
    approve_url = reverse("collections:arrangement_approve", args=[arrangement.pk])
    assert approve_url in page
    confirm = client.get(approve_url).content.decode()
    assert f"Approve arrangement {ref}?" in confirm
    assert "$377.42" in confirm  # $188.71 installment + $188.71 catch-up
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.PROPOSED  # GET changes nothing
    response = client.post(approve_url, follow=True)
    assert messages_of(response)[0].startswith(f"Arrangement {ref} approved")
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.ACTIVE


def test_a_refused_approval_is_a_message_and_no_button(
    client, book, staff_alice, supervisor_bob
):
    from djmoney.money import Money

    from portal.models import ApprovalLimit

    limit = ApprovalLimit.objects.get(group__name="Program staff", action="arrangement")
    limit.max_amount = Money("100.00", "USD")
    limit.save()
    loan = book("L-1")
    client.force_login(staff_alice)
    propose(client, loan)
    arrangement = PaymentArrangement.objects.get()
    approve_url = reverse("collections:arrangement_approve", args=[arrangement.pk])
    assert (
        approve_url
        not in client.get(reverse("collections:loan", args=[loan.pk])).content.decode()
    )
    response = client.post(approve_url, follow=True)
    assert messages_of(response) == [
        "$566.13 is above your own limit for a payment arrangement ($100.00); a "
        "second person with a high enough limit must approve it."
    ]
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.PROPOSED


def test_cancelling_asks_for_a_reason_on_its_confirmation_page(
    client, book, staff_alice
):
    loan = book("L-1")
    client.force_login(staff_alice)
    propose(client, loan)
    arrangement = PaymentArrangement.objects.get()
    url = reverse("collections:arrangement_cancel", args=[arrangement.pk])
    ref = arrangement.reference
    assert f"Cancel arrangement {ref}?" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Say why the arrangement is cancelled." in response.content.decode()
    response = client.post(url, {"reason": "Customer will pay in full"}, follow=True)
    assert messages_of(response) == [f"Arrangement {ref} cancelled."]
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.CANCELLED
