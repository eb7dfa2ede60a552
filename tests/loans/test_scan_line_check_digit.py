"""The coupon scan line (loans/scanline.py): it reads back to what was
printed, and any single mistyped digit (check digit included) is caught."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loans.scanline import (
    BAD_AMOUNT,
    expand,
    is_luhn_valid,
    luhn_digit,
    parse_scan_line,
    scan_line,
)

identifiers = st.from_regex(r"\A[A-Z0-9][A-Z0-9._-]{0,14}\Z")
cents = st.integers(min_value=1, max_value=9_999_999_999)


def test_the_documented_example():
    assert scan_line("100001", "L-0001", Decimal("188.71")) == (
        "100001 L-0001 0000018871 9"
    )


def test_luhn_digit_matches_the_textbook_example():
    # The classic Luhn example: 7992739871 takes check digit 3.
    assert luhn_digit("7992739871") == 3
    assert is_luhn_valid("79927398713")


def test_letters_and_symbols_expand_as_an_isins_do():
    assert expand("a0Z9") == "100359"
    assert expand("AZ") == "1035"
    assert expand("-._") == "363738"


@given(account=identifiers, number=identifiers, amount=cents)
def test_a_printed_scan_line_reads_back_to_its_fields(account, number, amount):
    line = scan_line(account, number, Decimal(amount) / 100)
    read = parse_scan_line(line)
    assert (read.account, read.loan_number, read.cents) == (account, number, amount)


@given(
    account=identifiers,
    number=identifiers,
    amount=cents,
    data=st.data(),
)
def test_any_single_digit_error_is_detected(account, number, amount, data):
    line = scan_line(account, number, Decimal(amount) / 100)
    digits = [i for i, char in enumerate(line) if char.isdigit()]
    at = data.draw(st.sampled_from(digits))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != line[at]]))
    mistyped = line[:at] + wrong + line[at + 1 :]
    with pytest.raises(ValueError, match="check digit|scan line"):
        parse_scan_line(mistyped)


@pytest.mark.parametrize(
    "text, message",
    [
        ("100001 L-1 188.71 2", BAD_AMOUNT.format(text="188.71")),
        ("100001 L-1 0000018871", "is not four fields"),
        ("100001 L/1 0000018871 2", "may contain only letters"),
        ("100001 L-1 0000018871 3", "check digit 3 does not match"),
    ],
)
def test_a_malformed_scan_line_says_what_is_wrong(text, message):
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(".", r"\.")
    ):
        parse_scan_line(text)
