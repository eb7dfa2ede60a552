"""Due dates: same day each month as installment 1, clamped to month end."""

from datetime import date
from decimal import Decimal

import pytest

from loans.schedule import amortize, due_date


def test_first_installment_is_due_on_the_first_due_date():
    assert due_date(date(2027, 1, 31), 1) == date(2027, 1, 31)


def test_jan_31_clamps_to_feb_28_in_a_common_year_then_returns_to_mar_31():
    first = date(2027, 1, 31)
    assert [due_date(first, k) for k in (1, 2, 3, 4)] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_jan_31_clamps_to_feb_29_in_a_leap_year_then_returns_to_mar_31():
    first = date(2028, 1, 31)
    assert [due_date(first, k) for k in (2, 3)] == [
        date(2028, 2, 29),
        date(2028, 3, 31),
    ]


def test_due_dates_roll_over_the_year_end():
    assert due_date(date(2026, 11, 30), 3) == date(2027, 1, 30)
    assert due_date(date(2026, 12, 15), 13) == date(2027, 12, 15)


def test_schedule_rows_use_the_anchor_day_not_the_previous_clamped_date():
    rows = amortize(Decimal("300.00"), Decimal("0"), 3, date(2027, 1, 31))
    assert [r.due_date for r in rows] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]


def test_installment_numbers_start_at_one():
    with pytest.raises(ValueError):
        due_date(date(2027, 1, 31), 0)
