"""My applications: drafts to continue, and each sent application with its
reference, what it is for, the amount, the date and where it stands in
plain words; an application's page tells its steps ("Submitted on March
10, 2026", "Approved for $4,000.00", "Loan opened: ...", "Declined: ...",
"Paid by check on ...")."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine
from djmoney.money import Money

from loans.services import applications as workflow
from portal.models import OnlineApplication
from programs.choices import RebateStatus
from tests.customer.my_setup import (
    TODAY,
    active_loan,
    application_in_review,
    customer_with_login,
)
from tests.factories import (
    RebateApplicationFactory,
    RebatePaymentFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def text(response) -> str:
    body = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def carol():
    return customer_with_login("carol", "Carol", "Jensen")


def test_a_customer_without_applications_is_told_so(client, carol):
    user, _ = carol
    client.force_login(user)
    response = client.get(reverse("customer:applications"))
    assert response.status_code == 200
    assert "You have not sent an application yet." in text(response)
    assert "no-store" in response["Cache-Control"]


def test_a_draft_is_listed_to_continue(client, carol):
    user, customer = carol
    OnlineApplication.objects.create(kind="loan", customer=customer, step="amount")
    client.force_login(user)
    page = text(client.get(reverse("customer:applications")))
    assert "Not sent yet" in page
    assert "Loan application" in page
    assert "Started March 10, 2026, last saved March 10, 2026." in page


def test_a_submitted_draft_is_not_listed_as_a_draft(client, carol):
    user, customer = carol
    OnlineApplication.objects.create(
        kind="rebate", customer=customer, submitted_at=timezone.now()
    )
    client.force_login(user)
    assert "Not sent yet" not in text(client.get(reverse("customer:applications")))


def test_sent_applications_show_reference_product_amount_date_and_status(
    client, carol, staff_alice
):
    user, customer = carol
    loan_app = application_in_review(customer, staff_alice, amount="6000.00")
    rebate: Any = RebateApplicationFactory(
        account=UtilityAccountFactory(customer=customer),
        program__name="Heat pump rebate",
        requested_amount=Money(Decimal("300.00"), "USD"),
    )
    client.force_login(user)
    page = text(client.get(reverse("customer:applications")))
    assert (
        f"{loan_app.reference} In review Energy-efficiency loan $6,000.00 "
        "requested March 10, 2026"
    ) in page
    assert (
        f"{rebate.reference} Submitted: waiting for review Heat pump rebate "
        "$300.00 requested March 10, 2026"
    ) in page
    assert "Action needed" not in page


def test_the_steps_of_an_approved_loan_application_lead_to_the_loan(
    client, carol, staff_alice, supervisor_bob
):
    user, customer = carol
    loan = active_loan(customer, staff_alice, supervisor_bob, amount="6000.00")
    client.force_login(user)
    listing = text(client.get(reverse("customer:applications")))
    assert f"Loan opened: {loan.number}" in listing
    response = client.get(
        reverse("customer:application", args=["loan", loan.application_id])
    )
    page = text(response)
    for step in [
        "Submitted on March 10, 2026",
        "In review Since March 10, 2026",
        "Approved for $6,000.00 On March 10, 2026, over 48 months",
        f"Loan opened: {loan.number} See it in My loans",
    ]:
        assert step in page
    assert reverse("customer:loan", args=[loan.number]) in response.content.decode()


def test_a_declined_application_says_why(client, carol, staff_alice):
    user, customer = carol
    application = application_in_review(customer, staff_alice)
    workflow.application_decline(
        actor=staff_alice,
        application=application,
        reasons="The property is not in the customer's name.",
    )
    client.force_login(user)
    page = text(
        client.get(reverse("customer:application", args=["loan", application.pk]))
    )
    assert (
        "Declined: The property is not in the customer's name. On March 10, 2026"
        in page
    )


def test_a_paid_rebate_says_how_and_when_it_was_paid(client, carol):
    user, customer = carol
    payment: Any = RebatePaymentFactory(
        application__account=UtilityAccountFactory(customer=customer),
        application__status=RebateStatus.PAID,
        application__decided_at=timezone.make_aware(datetime(2026, 3, 2, 12)),
        check_number="5123",
        paid_on=date(2026, 3, 6),
    )
    client.force_login(user)
    page = text(
        client.get(
            reverse("customer:application", args=["rebate", payment.application_id])
        )
    )
    assert "Approved for $300.00 On March 2, 2026" in page
    assert "Paid by check on March 6, 2026 $300.00, check 5123" in page


def test_an_unknown_kind_is_404(client, carol, staff_alice):
    user, customer = carol
    application = application_in_review(customer, staff_alice)
    client.force_login(user)
    response = client.get(f"/account/applications/grant/{application.pk}/")
    assert response.status_code == 404
