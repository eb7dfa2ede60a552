"""Every amount typed in the programs back office goes through the one money
parser (portal.money): a sub-cent, exponent or symbol amount is refused with
the parser's message on its field and nothing is saved."""

from decimal import Decimal

from django.urls import reverse

import pytest
from djmoney.money import Money

from programs import services as svc
from programs.models import Measure, PovertyGuideline, Program, RebateApplication
from programs.selectors import budget_position
from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(apply, staff_alice):
    return svc.rebate_start_review(actor=staff_alice, application=apply())


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "299.995",
            "Amount: Amounts are in dollars and cents: '299.995' has more than "
            "two decimal places.",
        ),
        (
            "3e2",
            "Amount: Write '3e2' out in digits; amounts with an exponent are not "
            "accepted.",
        ),
        (
            "$300",
            "Amount: '$300' is not an amount of money; use digits with an optional "
            "decimal point, for example 1234.56.",
        ),
        (
            "300.01",
            "The approved amount must be more than $0.00 and at most the $300.00 "
            "requested.",
        ),
    ],
)
def test_an_approval_amount_that_is_not_money_is_refused_and_nothing_is_saved(
    client, post_for_messages, in_review, program, supervisor_bob, typed, message
):
    client.force_login(supervisor_bob)
    _, shown = post_for_messages(
        reverse("rebate_action", args=[in_review.pk, "approve"]), {"amount": typed}
    )
    assert shown == [message]
    in_review.refresh_from_db()
    assert (in_review.status, in_review.approved_amount) == ("in_review", None)
    assert budget_position(program).committed == Decimal("0.00")


def test_an_approval_amount_in_cents_is_read_exactly(
    client, post_for_messages, in_review, supervisor_bob
):
    client.force_login(supervisor_bob)
    post_for_messages(
        reverse("rebate_action", args=[in_review.pk, "approve"]), {"amount": "299.99"}
    )
    in_review.refresh_from_db()
    assert in_review.approved_amount == Money("299.99", "USD")


def test_an_invoiced_cost_below_a_cent_is_refused_on_its_field(
    client, program, staff_alice
):
    from tests.factories import MeasureFactory

    heat_pump = MeasureFactory(
        program=program,
        code="HP",
        incentive_kind="percent_of_cost",
        amount=None,
        percent=Decimal("30.00"),
    )
    client.force_login(staff_alice)
    response = client.post(
        reverse("rebate_applications:add"),
        {
            "program": program.pk,
            "account": UtilityAccountFactory().pk,
            "measure": heat_pump.pk,
            "quantity": "1",
            "invoiced_cost": "1,000.005",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "invoiced_cost": [
            "Amounts are in dollars and cents: '1,000.005' has more than two "
            "decimal places."
        ]
    }
    assert not RebateApplication.objects.exists()


PROGRAM = {
    "code": "HPR",
    "name": "Heat Pump Rebates",
    "program_type": "rebate",
    "fiscal_year": "2026",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
    "customer_classes": '["residential"]',
    "required_services": '["electric"]',
    "requires_good_standing": "on",
    "is_active": "on",
}


def test_a_new_programs_budget_is_parsed_as_money(client, supervisor_bob):
    client.force_login(supervisor_bob)
    url = reverse("programs:add")
    response = client.post(url, {**PROGRAM, "budget": "250,000.005"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "budget": [
            "Amounts are in dollars and cents: '250,000.005' has more than two "
            "decimal places."
        ]
    }
    assert not Program.objects.filter(code="HPR").exists()
    response = client.post(url, {**PROGRAM, "budget": "250,000.50"})
    assert response.status_code == 302, response.context["form"].errors
    assert Program.objects.get(code="HPR").budget == Money("250000.50", "USD")


def test_a_measures_cap_is_parsed_as_money(client, program, supervisor_bob):
    client.force_login(supervisor_bob)
    data = {
        "program": program.pk,
        "code": "HP",
        "name": "Heat pump",
        "incentive_kind": "percent_of_cost",
        "percent": "30.00",
        "unit": "unit",
        "required_documents": "[]",
        "kwh_savings_per_unit": "0",
        "therms_savings_per_unit": "0",
    }
    response = client.post(reverse("measures:add"), {**data, "cap": "1500.001"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "cap": [
            "Amounts are in dollars and cents: '1500.001' has more than two "
            "decimal places."
        ]
    }
    response = client.post(reverse("measures:add"), {**data, "cap": "1,500"})
    assert response.status_code == 302
    assert Measure.objects.get(code="HP").cap == Decimal("1500.00")


def test_a_measure_whose_rule_cannot_be_applied_is_refused(
    client, program, supervisor_bob
):
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("measures:add"),
        {
            "program": program.pk,
            "code": "FURNACE",
            "name": "Furnace",
            "incentive_kind": "fixed",
            "amount": "500.00",
            "unit": "unit",
            "required_documents": "[]",
            "kwh_savings_per_unit": "0",
            "therms_savings_per_unit": "0",
            "limit_kind": "lifetime_limit",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "lifetime_max": ["A lifetime_limit needs a lifetime_max."]
    }


def test_a_guidelines_amount_per_person_is_parsed_as_money(client, supervisor_bob):
    client.force_login(supervisor_bob)
    url = reverse("poverty_guidelines:add")
    response = client.post(url, {"year": "2027", "additional_per_person": "5,500.5"})
    assert response.status_code == 302
    assert PovertyGuideline.objects.get(year=2027).additional_per_person == Money(
        "5500.50", "USD"
    )
