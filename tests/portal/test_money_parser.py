"""The one money parser (portal.money.parse_money) and its two adapters: the
form field staff type into and the API's schema type. Each refusal has its own
message, and nothing is ever rounded."""

from decimal import Decimal

import pytest
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from portal.money import MoneyError, MoneyFormField, MoneyText, parse_money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.34", "12.34"),
        (" 12.5 ", "12.50"),
        ("100", "100.00"),
        (".75", "0.75"),
        ("1.500", "1.50"),
        ("+7", "7.00"),
        ("1,234.56", "1234.56"),
        ("1,234,567", "1234567.00"),
        (Decimal("9.99"), "9.99"),
        (42, "42.00"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_whole_cent_amounts_are_accepted_exactly(text, expected):
    parsed = parse_money(text)
    assert parsed == Decimal(expected)
    assert str(parsed) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "3999.995",
            "Amounts are in dollars and cents: '3999.995' has more than two decimal places.",
        ),
        (
            "299.995",
            "Amounts are in dollars and cents: '299.995' has more than two decimal places.",
        ),
        (
            Decimal("0.001"),
            "Amounts are in dollars and cents: 0.001 has more than two decimal places.",
        ),
        (
            "1e2",
            "Write '1e2' out in digits; amounts with an exponent are not accepted.",
        ),
        (
            "1E+3",
            "Write '1E+3' out in digits; amounts with an exponent are not accepted.",
        ),
        ("NaN", "'NaN' is not an amount of money."),
        ("-Infinity", "'-Infinity' is not an amount of money."),
        (Decimal("NaN"), "NaN is not an amount of money."),
        ("", "Enter an amount."),
        ("   ", "Enter an amount."),
        (
            "$5",
            "'$5' is not an amount of money; use digits with an optional decimal point, for example 1234.56.",
        ),
        (
            "12,34",
            "'12,34' is not an amount of money; use digits with an optional decimal point, for example 1234.56.",
        ),
        (
            "1.2.3",
            "'1.2.3' is not an amount of money; use digits with an optional decimal point, for example 1234.56.",
        ),
        (
            ".",
            "'.' is not an amount of money; use digits with an optional decimal point, for example 1234.56.",
        ),
        (
            "١٢",
            "'١٢' is not an amount of money; use digits with an optional decimal point, for example 1234.56.",
        ),
        ("-5.00", "The amount can't be negative."),
        (
            "1000000000000",
            "The amount is too large; the most any record holds is $999,999,999,999.99.",
        ),
        (
            0.1,
            'Send amounts as text such as "12.34", not as a number: floating point cannot hold cents exactly.',
        ),
        (
            True,
            'Send amounts as text such as "12.34", not as a number: floating point cannot hold cents exactly.',
        ),
    ],
)
def test_each_kind_of_bad_money_text_is_refused_with_its_own_message(text, message):
    with pytest.raises(MoneyError) as refused:
        parse_money(text)
    assert str(refused.value) == message


def test_negative_amounts_only_where_the_caller_allows_them():
    assert parse_money("-3.20", allow_negative=True) == Decimal("-3.20")


def test_the_form_field_puts_the_parsers_message_on_the_field():
    field = MoneyFormField()
    assert field.clean("3,999.99") == Decimal("3999.99")
    with pytest.raises(Exception) as refused:
        field.clean("3999.995")
    assert refused.value.messages == [
        "Amounts are in dollars and cents: '3999.995' has more than two decimal places."
    ]


def test_the_form_field_shows_stored_amounts_with_two_decimals():
    assert MoneyFormField().prepare_value(Decimal("5")) == "5.00"
    assert MoneyFormField().prepare_value(Decimal("5.00")) == "5.00"


class _Body(BaseModel):
    amount: MoneyText


def test_the_api_type_accepts_amount_strings():
    assert _Body(amount="12.30").amount == Decimal("12.30")
    assert _Body(amount="1,200").amount == Decimal("1200.00")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (12, 'Send amounts as JSON strings such as "12.34".'),
        (12.5, 'Send amounts as JSON strings such as "12.34".'),
        ("1.005", "more than two decimal places"),
        ("1e-2", "amounts with an exponent are not accepted"),
        ("１２", "is not an amount of money"),
        ("NaN", "is not an amount of money"),
        ("-1.00", "The amount can't be negative."),
    ],
)
def test_the_api_type_refuses_numbers_and_what_the_parser_refuses(raw, message):
    with pytest.raises(PydanticError, match=message):
        _Body(amount=raw)
