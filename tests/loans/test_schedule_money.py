"""Cent rounding as the loan arithmetic uses it: half up, never -0.00.

Parsing money text is tested once, in tests/portal/test_money_parser.py."""

from decimal import Decimal

import pytest

from loans.schedule import money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.005"), Decimal("1.01")),
        (Decimal("1.004999"), Decimal("1.00")),
        (Decimal("2.675"), Decimal("2.68")),
        (Decimal("-1.005"), Decimal("-1.01")),
        (7, Decimal("7.00")),
    ],
)
def test_money_rounds_half_up_to_the_cent(value, expected):
    assert money(value) == expected
    assert money(value).as_tuple().exponent == -2


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        money(1.1)  # type: ignore[arg-type]


def test_money_never_returns_negative_zero():
    assert str(money(Decimal("-0.001"))) == "0.00"
