"""Money helpers: half-up cent rounding and strict parsing of amounts."""

from decimal import Decimal

import pytest

from loans.schedule import money, parse_money


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.34", Decimal("12.34")),
        (" 12.5 ", Decimal("12.50")),
        ("100", Decimal("100.00")),
        (".75", Decimal("0.75")),
        ("1.500", Decimal("1.50")),
        ("-3.20", Decimal("-3.20")),
        (Decimal("9.99"), Decimal("9.99")),
        (42, Decimal("42.00")),
    ],
)
def test_parse_money_accepts_whole_cents(text, expected):
    parsed = parse_money(text)
    assert parsed == expected
    assert parsed.as_tuple().exponent == -2


def test_parse_money_rejects_sub_cent_amounts_with_a_clear_message():
    with pytest.raises(ValueError) as excinfo:
        parse_money("1.005")
    assert str(excinfo.value) == (
        "Amounts are in dollars and cents; 1.005 has more than two decimal places."
    )


def test_parse_money_rejects_sub_cent_decimals_too():
    with pytest.raises(ValueError, match="more than two decimal places"):
        parse_money(Decimal("0.001"))


def test_parse_money_rejects_floats():
    with pytest.raises(ValueError, match="not as a float"):
        parse_money(12.34)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["", " ", "abc", "12.3.4", "1,000.00", "$5", "1e3", "NaN", "Infinity", "-"]
)
def test_parse_money_rejects_things_that_are_not_plain_numbers(text):
    with pytest.raises(ValueError, match="not an amount of money"):
        parse_money(text)


def test_parse_money_rejects_non_finite_decimals():
    with pytest.raises(ValueError, match="not an amount of money"):
        parse_money(Decimal("NaN"))
