"""Entering an application judges the customer's eligibility for the
program from the records (the account's class, services and standing; the
customer's age on the day, verified disability, household size and income)
and refuses with every failed rule on the account, saving nothing."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine
from djmoney.money import Money

from programs.models import RebateApplication
from programs.services import LineRequest, rebate_application_create
from tests.factories import (
    CustomerFactory,
    MeasureFactory,
    ProgramFactory,
    UtilityAccountFactory,
    guideline_2026,
)

pytestmark = pytest.mark.django_db


def enter(program, measure, account, actor):
    return rebate_application_create(
        actor=actor,
        program=program,
        account=account,
        lines=[LineRequest(measure, Decimal("1"))],
    )


def refusal(program, measure, account, actor) -> dict:
    with pytest.raises(ValidationError) as caught:
        enter(program, measure, account, actor)
    assert not RebateApplication.objects.filter(account=account).exists()
    return caught.value.message_dict


def test_a_commercial_account_is_refused_by_the_residential_only_program(
    program, measure, staff_alice
):
    account = UtilityAccountFactory(customer_class="commercial")
    assert refusal(program, measure, account, staff_alice) == {
        "account": [
            "Customer class commercial is not served by this program "
            "(serves: residential)."
        ]
    }


def test_every_failed_rule_is_named(staff_alice):
    gas_only = ProgramFactory(code="GIP", required_services=["gas"])
    tankless = MeasureFactory(program=gas_only, code="TANKLESS")
    account = UtilityAccountFactory(
        customer_class="commercial", has_gas=False, status="closed"
    )
    assert refusal(gas_only, tankless, account, staff_alice) == {
        "account": [
            "Customer class commercial is not served by this program "
            "(serves: residential).",
            "Account does not have required service(s): gas.",
            "Account is not in good standing (it has a delinquent balance or "
            "was written off as bad debt).",
        ]
    }


@pytest.fixture
def assistance(db):
    """Financial Assistance: 60 or older or disabled, income within 200%."""
    guideline_2026()
    program = ProgramFactory(
        code="FA",
        minimum_age=60,
        senior_or_disabled=True,
        income_limit_percent=Decimal("200.00"),
        requires_good_standing=False,
    )
    return program, MeasureFactory(program=program, code="WEATHERIZE")


def household(**facts):
    defaults = {
        "household_size": 3,
        "household_income": Money("50000.00", "USD"),  # the limit for three
        "date_of_birth": date(1966, 3, 2),  # 60 on March 2, 2026
    }
    return UtilityAccountFactory(customer=CustomerFactory(**{**defaults, **facts}))


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_age_comes_from_the_date_of_birth_on_the_day_of_entry(assistance, staff_alice):
    program, measure = assistance
    assert enter(program, measure, household(), staff_alice).status == "submitted"
    too_young = household(date_of_birth=date(1966, 3, 3))
    assert refusal(program, measure, too_young, staff_alice) == {
        "account": [
            "Applicant must be 60 or older or have a verified disability: "
            "age 59 is below 60 and no disability is verified."
        ]
    }


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_a_verified_disability_on_the_customer_record_qualifies_instead_of_age(
    assistance, staff_alice
):
    program, measure = assistance
    account = household(date_of_birth=date(1990, 1, 1), disability_verified=True)
    assert enter(program, measure, account, staff_alice).status == "submitted"


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_household_income_comes_from_the_customer_record(assistance, staff_alice):
    program, measure = assistance
    account = household(household_income=Money("50000.01", "USD"))
    assert refusal(program, measure, account, staff_alice) == {
        "account": [
            "Household income $50,000.01 is above the limit of $50,000.00 "
            "(200% of the 2026 guideline for a household of 3)."
        ]
    }


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_missing_household_facts_are_named(assistance, staff_alice):
    program, measure = assistance
    account = household(household_size=None, household_income=None)
    assert refusal(program, measure, account, staff_alice) == {
        "account": [
            "Household size and household income are missing; required to "
            "check the income limit."
        ]
    }


def test_a_program_whose_rules_cannot_be_applied_is_refused_on_the_program(
    staff_alice,
):
    broken = ProgramFactory(code="BAD", customer_classes=["industrial"])
    measure = MeasureFactory(program=broken, code="X")
    assert refusal(broken, measure, UtilityAccountFactory(), staff_alice) == {
        "program": [
            "BAD's eligibility rules are not valid: Unknown customer class(es): "
            "industrial; expected commercial, residential."
        ]
    }
