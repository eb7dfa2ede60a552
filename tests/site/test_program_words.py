"""A program's public page words its eligibility and incentives from the
program's own records (programs/selectors.py), never from retyped text."""

from decimal import Decimal

import pytest

from programs.selectors import eligibility_summary, incentive_table, measure_terms
from tests.factories.programs import MeasureFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_fixed_incentive_reads_as_an_amount_per_unit_with_its_limit():
    measure = MeasureFactory(
        name="Gas tankless water heater",
        incentive_kind="fixed",
        amount=Decimal("300.00"),
        unit="unit",
        limit_kind="one_per_premise",
    )
    terms = measure_terms(measure)
    assert (terms.name, terms.pays, terms.limit) == (
        "Gas tankless water heater",
        "$300.00 per unit",
        "One per premise",
    )


def test_a_per_unit_incentive_with_a_lifetime_limit():
    measure = MeasureFactory(
        incentive_kind="per_unit",
        amount=Decimal("40.0000"),
        unit="window",
        limit_kind="lifetime_limit",
        lifetime_max=Decimal("20"),
    )
    terms = measure_terms(measure)
    assert terms.pays == "$40.00 per window"
    assert terms.limit == "Up to 20 window per premise in total"


def test_a_fractional_cent_rate_shows_all_its_digits():
    measure = MeasureFactory(
        incentive_kind="per_unit", amount=Decimal("0.1250"), unit="sq ft"
    )
    assert measure_terms(measure).pays == "$0.125 per sq ft"


def test_a_percent_of_cost_incentive_names_its_cap():
    measure = MeasureFactory(
        incentive_kind="percent_of_cost",
        amount=None,
        percent=Decimal("30.00"),
        cap=Decimal("1500.00"),
    )
    terms = measure_terms(measure)
    assert terms.pays == "30% of the invoiced cost, up to $1,500.00"
    assert terms.limit == "No limit"


def test_the_incentive_table_lists_measures_in_code_order():
    program = ProgramFactory()
    MeasureFactory(program=program, code="B", name="Second")
    MeasureFactory(program=program, code="A", name="First")
    assert [row.name for row in incentive_table(program)] == ["First", "Second"]


def test_a_senior_or_low_income_program_says_who_qualifies_in_sentences():
    program = ProgramFactory(
        customer_classes=["residential"],
        minimum_age=60,
        senior_or_disabled=True,
        income_limit_percent=Decimal("200.00"),
        requires_good_standing=False,
    )
    assert eligibility_summary(program) == [
        "Open to homes served by the utility.",
        "You must be 60 or older, or have a verified disability.",
        "Household income at or below 200% of the federal poverty guideline for "
        "your household size.",
    ]


def test_a_gas_rebate_for_homes_and_businesses_needs_gas_service_and_good_standing():
    program = ProgramFactory(
        customer_classes=["residential", "commercial"], required_services=["gas"]
    )
    assert eligibility_summary(program) == [
        "Open to businesses and homes served by the utility.",
        "Your account must have gas service.",
        "Your utility account must be in good standing (no past-due balance).",
    ]
