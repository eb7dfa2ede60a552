"""Every refusal of a loan application's screens is the service's message on
the form (or above it), never a 500: entering an application for an account
of another customer, a sub-cent amount, an amount outside the product's
range; approving one's own application, above one's limit or outside the
product's range; asking for information without saying what; declining
without reasons."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

import pytest
from djmoney.money import Money

from loans.choices import ApplicationStatus
from loans.models import LoanApplication, LoanProduct
from loans.services import applications as apps
from loans.services.applications import (
    ACCOUNT_NOT_CUSTOMERS,
    QUESTION_REQUIRED,
    REASONS_REQUIRED,
)
from portal.transitions import SAME_PERSON
from tests.factories import (
    CustomerFactory,
    LoanApplicationFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db


def entry(customer, account, **changes) -> dict:
    return {
        "customer": customer.pk,
        "account": account.pk,
        "parcel": "",
        "product": LoanProduct.objects.get(code="EE").pk,
        "requested_amount": "4000.00",
        "requested_term_months": "48",
        "purpose": "Heat pump",
        "contractor_name": "",
        "proposal_document": "",
        **changes,
    }


def test_an_account_of_another_customer_is_refused_on_the_account_field(
    client, staff_alice
):
    customer = CustomerFactory()
    other = UtilityAccountFactory(number="500001")
    client.force_login(staff_alice)
    response = client.post(reverse("loan_applications:add"), entry(customer, other))
    assert response.status_code == 200
    assert response.context["form"].errors["account"] == [
        ACCOUNT_NOT_CUSTOMERS.format(number="500001")
    ]
    assert not LoanApplication.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("4000.005", "has more than two decimal places"),
        ("4e3", ""),
        ("", "Enter the amount requested."),
    ],
)
def test_a_bad_amount_is_refused_on_the_amount_field_never_rounded(
    client, staff_alice, typed, message
):
    account = UtilityAccountFactory()
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_applications:add"),
        entry(account.customer, account, requested_amount=typed),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["requested_amount"]
    assert len(errors) == 1 and message in errors[0]
    assert not LoanApplication.objects.exists()


def test_the_entry_form_takes_the_amount_as_typed_with_grouping(client, staff_alice):
    account = UtilityAccountFactory()
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_applications:add"),
        entry(account.customer, account, requested_amount="4,250.50"),
    )
    assert response.status_code == 302
    application = LoanApplication.objects.get()
    assert application.requested_amount == Money("4250.50", "USD")
    assert application.prepared_by == staff_alice


@pytest.fixture
def in_review(supervisor_bob):
    application = LoanApplicationFactory(
        prepared_by=supervisor_bob, requested_amount=Money("6000.00", "USD")
    )
    apps.application_submit(actor=supervisor_bob, application=application)
    return apps.application_start_review(actor=supervisor_bob, application=application)


def act(client, application, action, data=None) -> list[str]:
    response = client.post(
        reverse("loan_application_action", args=[application.pk, action]), data or {}
    )
    assert response.status_code == 302  # back to the application's page
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_approving_ones_own_application_shows_the_four_eyes_message(
    client, supervisor_bob, in_review
):
    client.force_login(supervisor_bob)
    assert act(client, in_review, "approve", {"amount": "6000.00"}) == [SAME_PERSON]
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_REVIEW


def test_approving_above_ones_limit_shows_the_limit(client, staff_alice, in_review):
    client.force_login(staff_alice)
    shown = act(client, in_review, "approve", {"amount": "6000.00"})
    assert len(shown) == 1
    assert shown[0].startswith("$6,000.00 is above")
    assert "approval limit of $5,000.00 for a loan" in shown[0]
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_REVIEW


def test_approving_outside_the_products_range_names_the_range(
    client, staff_alice, in_review
):
    client.force_login(staff_alice)
    assert act(client, in_review, "approve", {"amount": "200.00"}) == [
        "$200.00 is outside the EE range of $500.00 to $10,000.00."
    ]


def test_a_sub_cent_approval_amount_is_the_parsers_message(
    client, staff_alice, in_review
):
    client.force_login(staff_alice)
    shown = act(client, in_review, "approve", {"amount": "4000.001"})
    assert len(shown) == 1 and shown[0].startswith("Amount")
    assert "more than two decimal places" in shown[0]


def test_asking_for_information_without_saying_what_is_refused(
    client, staff_alice, in_review
):
    client.force_login(staff_alice)
    assert act(client, in_review, "request_information", {"question": " "}) == [
        QUESTION_REQUIRED
    ]


def test_declining_without_reasons_is_refused(client, staff_alice, in_review):
    client.force_login(staff_alice)
    assert act(client, in_review, "decline", {"reasons": ""}) == [REASONS_REQUIRED]
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_REVIEW
