"""Per-unit incentives pay amount x quantity, rounded half up to the cent."""

from decimal import Decimal

import pytest

from programs.rules import IncentiveRule, incentive_for

# e.g. attic insulation to R-30: paid per square foot.
ATTIC_INSULATION = IncentiveRule(kind="per_unit", amount=Decimal("0.75"))
# e.g. ENERGY STAR windows: paid per window.
ENERGY_STAR_WINDOW = IncentiveRule(kind="per_unit", amount=Decimal("40.00"))


def test_per_unit_incentive_multiplies_amount_by_whole_quantity() -> None:
    assert incentive_for(ENERGY_STAR_WINDOW, 12, None) == Decimal("480.00")


def test_per_unit_incentive_accepts_decimal_square_feet() -> None:
    # 1,234.5 sq ft x $0.75 = $925.875 -> $925.88 (half up).
    assert incentive_for(ATTIC_INSULATION, Decimal("1234.5"), None) == Decimal("925.88")


def test_per_unit_incentive_rounds_half_cent_up_not_to_even() -> None:
    # $0.125 x 1 = $0.125: half-even would give $0.12, half-up gives $0.13.
    rule = IncentiveRule(kind="per_unit", amount=Decimal("0.125"))
    assert incentive_for(rule, 1, None) == Decimal("0.13")
    # $0.125 x 3 = $0.375 -> $0.38 either way; guards against truncation.
    assert incentive_for(rule, 3, None) == Decimal("0.38")


def test_per_unit_incentive_rounds_below_half_cent_down() -> None:
    rule = IncentiveRule(kind="per_unit", amount=Decimal("0.333"))
    assert incentive_for(rule, 10, None) == Decimal("3.33")


def test_per_unit_incentive_rejects_zero_quantity() -> None:
    with pytest.raises(ValueError, match="Quantity must be greater than zero, got 0"):
        incentive_for(ENERGY_STAR_WINDOW, 0, None)


def test_per_unit_incentive_rejects_float_quantity() -> None:
    with pytest.raises(ValueError, match="Quantity must be an int or Decimal"):
        incentive_for(ATTIC_INSULATION, 1234.5, None)  # type: ignore[arg-type]
