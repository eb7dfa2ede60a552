"""No 500s on the programs screens: each refusal (from the service, the
record's predicate or the money parser) is shown on the page in its own
words, with a 200 (the form again) or a 302 (back to the record, the message
shown there), and nothing changes."""

import html
import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine
from djmoney.money import Money

from programs import services as svc
from programs.models import RebateApplication, RebateCheckBatch, RebatePayment
from tests.factories import (
    MeasureFactory,
    RebateApplicationFactory,
    RebatePaymentFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db

PAY = "rebate_checks_pay"
CREDIT = "rebate_bill_credits_pay"


@pytest.fixture
def approved(apply, staff_alice, supervisor_bob):
    def make():
        app = svc.rebate_start_review(actor=staff_alice, application=apply())
        return svc.rebate_approve(actor=supervisor_bob, application=app)

    return make


def shows(client, response, message: str) -> bool:
    """The page the person sees (after a redirect, the page it goes to)
    carries the message."""
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        response = client.get(response["Location"])
        assert response.status_code == 200
    page = html.unescape(response.content.decode())
    return message in " ".join(re.sub(r"<[^>]+>", " ", page).split())


def ref(app) -> str:
    return f"RA-{app.pk:06d}"


# --------------------------------------------------------------------------
# Entry
# --------------------------------------------------------------------------


def test_entry_with_a_measure_of_another_program_shows_the_services_message(
    client, staff_alice, measure
):
    elsewhere = MeasureFactory(code="HEATPUMP")
    client.force_login(staff_alice)
    response = client.post(
        reverse("rebate_applications:add"),
        {
            "program": measure.program.pk,
            "account": UtilityAccountFactory().pk,
            "measure": elsewhere.pk,
            "quantity": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Measure HEATPUMP belongs to another program."
    ]
    assert shows(client, response, "Measure HEATPUMP belongs to another program.")
    assert not RebateApplication.objects.exists()


def test_entry_with_a_sub_cent_invoiced_cost_is_refused_on_the_field(
    client, staff_alice, measure
):
    client.force_login(staff_alice)
    response = client.post(
        reverse("rebate_applications:add"),
        {
            "program": measure.program.pk,
            "account": UtilityAccountFactory().pk,
            "measure": measure.pk,
            "quantity": "1",
            "invoiced_cost": "1200.005",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["invoiced_cost"] == [
        "Amounts are in dollars and cents: '1200.005' has more than two decimal places."
    ]
    assert not RebateApplication.objects.exists()


# --------------------------------------------------------------------------
# The application's page
# --------------------------------------------------------------------------


def test_approving_a_sub_cent_amount_shows_the_parsers_message(
    client, apply, staff_alice, supervisor_bob
):
    app = svc.rebate_start_review(actor=staff_alice, application=apply())
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("rebate_action", args=[app.pk, "approve"]), {"amount": "250.005"}
    )
    assert response.status_code == 302
    assert shows(
        client,
        response,
        "Amount: Amounts are in dollars and cents: '250.005' has more than two "
        "decimal places.",
    )
    app.refresh_from_db()
    assert (app.status, app.approved_amount) == ("in_review", None)


def test_approving_over_the_budget_shows_the_services_message(
    client, staff_alice, supervisor_bob, apply, approved
):
    for _ in range(3):
        approved()  # $900 of REE's $1,000 reserved
    fourth = svc.rebate_start_review(actor=staff_alice, application=apply())
    client.force_login(supervisor_bob)
    response = client.post(reverse("rebate_action", args=[fourth.pk, "approve"]))
    assert shows(
        client,
        response,
        "Approving $300.00 would over-commit REE: only $100.00 of its budget remains.",
    )
    fourth.refresh_from_db()
    assert fourth.status == "in_review"


def test_changing_a_budget_to_a_sub_cent_amount_is_refused_on_the_field(
    client, supervisor_bob, program
):
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("program_change_budget", args=[program.pk]),
        {"budget": "2000.001", "reason": "More money."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["budget"] == [
        "Amounts are in dollars and cents: '2000.001' has more than two decimal places."
    ]
    program.refresh_from_db()
    assert program.budget == Money("1000.00", "USD")


@time_machine.travel(date(2026, 4, 15), tick=False)
def test_a_void_dated_before_the_payment_shows_the_services_message(
    client, supervisor_bob
):
    payment = RebatePaymentFactory(paid_on=date(2026, 4, 1))
    client.force_login(supervisor_bob)
    confirm = client.post(
        reverse("rebate_payment_void_confirm", args=[payment.pk]),
        {"reason": "Lost.", "voided_on": "2026-03-31"},
    )
    assert confirm.status_code == 200  # the confirmation does not judge dates
    response = client.post(
        reverse("rebate_payment_void", args=[payment.pk]),
        {"reason": "Lost.", "voided_on": "2026-03-31"},
    )
    assert shows(
        client,
        response,
        "The void date can't be before the payment date, April 1, 2026.",
    )
    payment.refresh_from_db()
    assert payment.status == "issued"


# --------------------------------------------------------------------------
# Paying many at once
# --------------------------------------------------------------------------


def checks(apps, first="7001", **extra):
    return {
        "applications": [a.pk for a in apps],
        "first_check_number": first,
        "paid_on": "2026-04-02",
        **extra,
    }


def test_a_used_check_number_is_refused_with_the_services_message(
    client, approved, staff_alice
):
    earlier = approved()
    svc.rebate_checks_issue(
        actor=staff_alice,
        applications=[earlier],
        first_check_number=7002,
        paid_on=date(2026, 4, 1),
    )
    apps = [approved(), approved()]
    client.force_login(staff_alice)
    assert client.post(reverse(PAY), checks(apps)).status_code == 200  # the review
    response = client.post(reverse(PAY), checks(apps, confirmed="yes"))
    message = (
        f"Check number 7002 is already used ({ref(earlier)}, paid on April 1, 2026)."
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"first_check_number": [message]}
    assert shows(client, response, message)
    assert RebateCheckBatch.objects.count() == 1
    for app in apps:
        app.refresh_from_db()
        assert app.status == "approved"


def test_check_numbers_running_past_twenty_digits_are_refused(
    client, approved, staff_alice
):
    apps = [approved(), approved()]
    client.force_login(staff_alice)
    response = client.post(reverse(PAY), checks(apps, first="9" * 20, confirmed="yes"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "first_check_number": ["Check numbers have at most 20 digits."]
    }
    assert not RebatePayment.objects.exists()


def test_paying_an_application_no_longer_approved_by_check_is_refused(
    client, approved, staff_alice, supervisor_bob
):
    keep, gone = approved(), approved()
    client.force_login(staff_alice)
    review = client.post(reverse(PAY), checks([keep, gone]))
    assert "Issue 2 checks" in review.content.decode()
    # Between the review and the confirmation, someone cancels one.
    svc.rebate_cancel(actor=supervisor_bob, application=gone, reason="Withdrawn.")
    response = client.post(reverse(PAY), checks([keep, gone], confirmed="yes"))
    message = f"Application {ref(gone)} is cancelled; it can't be paid from there."
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert shows(client, response, message)
    assert not RebateCheckBatch.objects.exists()
    keep.refresh_from_db()
    assert keep.status == "approved"


def test_crediting_an_application_no_longer_approved_is_refused(
    client, approved, staff_alice
):
    keep, gone = approved(), approved()
    svc.rebate_checks_issue(
        actor=staff_alice,
        applications=[gone],
        first_check_number=7001,
        paid_on=date(2026, 4, 1),
    )
    client.force_login(staff_alice)
    response = client.post(
        reverse(CREDIT),
        {
            "applications": [keep.pk, gone.pk],
            "credit_date": "2026-04-02",
            "confirmed": "yes",
        },
    )
    message = f"Application {ref(gone)} is paid; it can't be credited from there."
    assert response.status_code == 200
    assert shows(client, response, message)
    assert RebatePayment.objects.count() == 1
    keep.refresh_from_db()
    assert keep.status == "approved"


def test_the_review_refuses_what_is_not_approved_with_the_predicates_reason(
    client, apply, approved, staff_alice
):
    ok, submitted = approved(), apply()
    client.force_login(staff_alice)
    response = client.post(reverse(PAY), checks([ok, submitted]))
    message = f"Application {ref(submitted)} is submitted; it can't be paid from there."
    assert response.status_code == 200
    assert response.context["form"].errors == {"applications": [message]}
    assert shows(client, response, message)


def test_the_review_refuses_an_approval_without_its_amount(client, staff_alice):
    odd = RebateApplicationFactory(status="approved", approved_amount=None)
    client.force_login(staff_alice)
    response = client.post(reverse(PAY), checks([odd]))
    assert response.context["form"].errors == {
        "applications": [
            f"Application {ref(odd)} has no approved amount; it can't be paid."
        ]
    }
    assert "no approved amount" in client.get(reverse(PAY)).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("7001.5", "Enter the check number as a positive whole number, such as 7001."),
        ("", "Enter the first check number."),
    ],
)
def test_a_first_check_number_that_is_not_one_is_named(
    client, approved, staff_alice, typed, message
):
    app = approved()
    client.force_login(staff_alice)
    response = client.post(reverse(PAY), checks([app], first=typed, confirmed="yes"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"first_check_number": [message]}
    assert not RebatePayment.objects.exists()


def test_an_application_that_no_longer_exists_is_named(client, approved, staff_alice):
    app = approved()
    client.force_login(staff_alice)
    response = client.post(
        reverse(PAY),
        {"applications": [app.pk + 100], "first_check_number": "1", "paid_on": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "applications": [
            "One of the chosen applications no longer exists; reload the page."
        ],
        "paid_on": ["Enter the date of the checks."],
    }
    assert RebateApplication.objects.get().approved_amount.amount == Decimal("300.00")
