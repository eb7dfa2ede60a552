"""Rule: an incentive never exceeds the invoiced cost when one is given."""

from decimal import Decimal

import pytest

from programs.rules import IncentiveRule, incentive_for


def test_fixed_incentive_is_cut_to_a_smaller_invoiced_cost() -> None:
    rule = IncentiveRule(kind="fixed", amount=Decimal("300.00"))
    assert incentive_for(rule, 1, Decimal("249.99")) == Decimal("249.99")


def test_per_unit_incentive_is_cut_to_a_smaller_invoiced_cost() -> None:
    # 10 windows x $40 = $400, but the invoice was only $350.50.
    rule = IncentiveRule(kind="per_unit", amount=Decimal("40.00"))
    assert incentive_for(rule, 10, Decimal("350.50")) == Decimal("350.50")


def test_percent_incentive_of_100_percent_equals_the_invoiced_cost() -> None:
    rule = IncentiveRule(kind="percent_of_cost", percent=Decimal("100"))
    assert incentive_for(rule, 1, Decimal("1234.56")) == Decimal("1234.56")


def test_incentive_equal_to_invoiced_cost_is_paid_in_full() -> None:
    rule = IncentiveRule(kind="fixed", amount=Decimal("300.00"))
    assert incentive_for(rule, 1, Decimal("300.00")) == Decimal("300.00")


def test_zero_invoiced_cost_means_zero_incentive() -> None:
    rule = IncentiveRule(kind="fixed", amount=Decimal("300.00"))
    assert incentive_for(rule, 1, Decimal("0.00")) == Decimal("0.00")


def test_without_invoiced_cost_amount_based_incentives_are_not_limited() -> None:
    rule = IncentiveRule(kind="per_unit", amount=Decimal("40.00"))
    assert incentive_for(rule, 10, None) == Decimal("400.00")


def test_negative_invoiced_cost_is_rejected() -> None:
    rule = IncentiveRule(kind="fixed", amount=Decimal("300.00"))
    with pytest.raises(ValueError, match="Invoiced cost must not be negative"):
        incentive_for(rule, 1, Decimal("-0.01"))


def test_invoiced_cost_in_fractions_of_a_cent_is_rejected() -> None:
    rule = IncentiveRule(kind="fixed", amount=Decimal("300.00"))
    with pytest.raises(ValueError, match="Invoiced cost must be whole cents"):
        incentive_for(rule, 1, Decimal("100.005"))


def test_float_invoiced_cost_is_rejected() -> None:
    rule = IncentiveRule(kind="fixed", amount=Decimal("300.00"))
    with pytest.raises(ValueError, match="Invoiced cost must be a finite Decimal"):
        incentive_for(rule, 1, 100.0)  # type: ignore[arg-type]
