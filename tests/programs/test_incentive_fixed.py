"""Fixed incentives pay the same amount per application line."""

from decimal import Decimal

import pytest

from programs.rules import IncentiveRule, incentive_for

# e.g. gas tankless water heater: $300 per application line.
TANKLESS_WATER_HEATER = IncentiveRule(kind="fixed", amount=Decimal("300.00"))


def test_fixed_incentive_pays_the_amount_for_a_quantity_of_one() -> None:
    assert incentive_for(TANKLESS_WATER_HEATER, 1, None) == Decimal("300.00")


@pytest.mark.parametrize("quantity", [2, 10, Decimal("0.5")])
def test_fixed_incentive_ignores_quantity_above_zero(quantity: int | Decimal) -> None:
    assert incentive_for(TANKLESS_WATER_HEATER, quantity, None) == Decimal("300.00")


@pytest.mark.parametrize("quantity", [0, -1, Decimal("0")])
def test_fixed_incentive_rejects_quantity_of_zero_or_less(
    quantity: int | Decimal,
) -> None:
    with pytest.raises(ValueError, match="Quantity must be greater than zero"):
        incentive_for(TANKLESS_WATER_HEATER, quantity, None)


def test_fixed_incentive_is_paid_in_full_when_invoice_exceeds_it() -> None:
    assert incentive_for(TANKLESS_WATER_HEATER, 1, Decimal("2450.00")) == Decimal(
        "300.00"
    )


def test_fixed_incentive_result_is_in_cents() -> None:
    rule = IncentiveRule(kind="fixed", amount=Decimal("75"))
    result = incentive_for(rule, 1, None)
    assert result == Decimal("75.00")
    assert result.as_tuple().exponent == -2
