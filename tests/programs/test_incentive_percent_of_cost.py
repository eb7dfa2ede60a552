"""Percent-of-cost incentives: percentage, rounded to the cent, then capped."""

from decimal import Decimal

import pytest

from programs.rules import IncentiveRule, incentive_for

# e.g. heat pump SEER2 >= 16: 50% of the invoiced cost up to $1,500.
HEAT_PUMP = IncentiveRule(
    kind="percent_of_cost", percent=Decimal("50.00"), cap=Decimal("1500.00")
)


def test_percent_incentive_pays_the_percentage_of_invoiced_cost() -> None:
    assert incentive_for(HEAT_PUMP, 1, Decimal("2000.00")) == Decimal("1000.00")


def test_percent_incentive_is_limited_to_the_cap() -> None:
    assert incentive_for(HEAT_PUMP, 1, Decimal("9800.00")) == Decimal("1500.00")


def test_percent_incentive_exactly_at_the_cap_pays_the_cap() -> None:
    assert incentive_for(HEAT_PUMP, 1, Decimal("3000.00")) == Decimal("1500.00")


def test_percent_incentive_one_cent_below_the_cap_is_not_capped() -> None:
    # 50% of $2,999.98 = $1,499.99.
    assert incentive_for(HEAT_PUMP, 1, Decimal("2999.98")) == Decimal("1499.99")


def test_percent_incentive_without_cap_is_unlimited() -> None:
    rule = IncentiveRule(kind="percent_of_cost", percent=Decimal("25"))
    assert incentive_for(rule, 1, Decimal("100000.00")) == Decimal("25000.00")


def test_percent_incentive_rounds_to_the_cent_half_up() -> None:
    # 33.333% of $100.01 = $33.3363333 -> $33.34.
    rule = IncentiveRule(kind="percent_of_cost", percent=Decimal("33.333"))
    assert incentive_for(rule, 1, Decimal("100.01")) == Decimal("33.34")


def test_percent_incentive_rounds_an_exact_half_cent_up() -> None:
    # 50% of $0.05 = $0.025: half-even would give $0.02, half-up gives $0.03.
    rule = IncentiveRule(kind="percent_of_cost", percent=Decimal("50"))
    assert incentive_for(rule, 1, Decimal("0.05")) == Decimal("0.03")


def test_percent_incentive_a_half_cent_over_the_cap_is_capped() -> None:
    # 50% of $3,000.01 = $1,500.005 -> $1,500.01 -> capped at $1,500.00.
    assert incentive_for(HEAT_PUMP, 1, Decimal("3000.01")) == Decimal("1500.00")


def test_percent_incentive_ignores_quantity() -> None:
    assert incentive_for(HEAT_PUMP, 3, Decimal("2000.00")) == Decimal("1000.00")


def test_percent_incentive_of_zero_cost_is_zero() -> None:
    assert incentive_for(HEAT_PUMP, 1, Decimal("0.00")) == Decimal("0.00")


def test_percent_incentive_requires_an_invoiced_cost() -> None:
    with pytest.raises(ValueError, match="needs the invoiced cost"):
        incentive_for(HEAT_PUMP, 1, None)
