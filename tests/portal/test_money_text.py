"""Amounts are shown as $1,234.56 (negative: -$1,234.56), rounded half up to
the cent; the texts are kept, so this proves a kept text is the text worked
out afresh, whatever form the same amount comes in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.money import _format_money, format_money


def test_amounts_read_as_dollars_and_cents():
    assert format_money(Decimal("1234.5")) == "$1,234.50"
    assert format_money(Decimal("-0.005")) == "-$0.01"
    assert format_money(Decimal("-0.004")) == "$0.00"
    assert format_money(7) == "$7.00"
    assert format_money(Decimal("2")) == format_money(Decimal("2.000")) == "$2.00"


def test_what_is_not_an_amount_is_refused_every_time():
    for _ in range(2):
        with pytest.raises(TypeError):
            format_money(True)
        with pytest.raises(TypeError):
            format_money(1.5)  # type: ignore[arg-type]


@given(
    st.decimals(
        min_value=Decimal("-999999999999.999"),
        max_value=Decimal("999999999999.999"),
        places=3,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_a_kept_text_is_the_text_worked_out_afresh(amount):
    assert format_money(amount) == _format_money(amount)
    assert format_money(amount.normalize()) == _format_money(amount)
