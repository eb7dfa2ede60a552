"""Delinquency: days past due from the oldest unpaid installment, and buckets."""

from datetime import date
from decimal import Decimal

import pytest

from loans.schedule import InstallmentState, days_past_due, dpd_bucket

D = Decimal


def unpaid(number: int, due: date) -> InstallmentState:
    return InstallmentState(number, due, D("90.00"), D("10.00"))


def paid(number: int, due: date) -> InstallmentState:
    return InstallmentState(number, due, D("90.00"), D("10.00"), D("90.00"), D("10.00"))


LOAN = [
    paid(1, date(2026, 1, 15)),
    unpaid(2, date(2026, 2, 15)),
    unpaid(3, date(2026, 3, 15)),
]


def test_dpd_is_zero_before_the_oldest_unpaid_due_date():
    assert days_past_due(LOAN, date(2026, 2, 1)) == 0


def test_dpd_is_zero_on_the_due_date_itself():
    assert days_past_due(LOAN, date(2026, 2, 15)) == 0


def test_dpd_is_one_the_day_after_the_due_date():
    assert days_past_due(LOAN, date(2026, 2, 16)) == 1


def test_dpd_counts_from_the_oldest_unpaid_installment_not_the_latest():
    # Installment 1 is paid, so count from Feb 15: 28 + 10 days.
    assert days_past_due(LOAN, date(2026, 3, 25)) == 38


def test_dpd_is_zero_when_everything_is_paid():
    assert days_past_due([paid(1, date(2026, 1, 15))], date(2026, 6, 1)) == 0
    assert days_past_due([], date(2026, 6, 1)) == 0


def test_a_partly_paid_installment_is_still_unpaid():
    interest_only = InstallmentState(
        1, date(2026, 1, 15), D("90.00"), D("10.00"), D("0.00"), D("10.00")
    )
    one_cent_short = InstallmentState(
        1, date(2026, 1, 15), D("90.00"), D("10.00"), D("89.99"), D("10.00")
    )
    assert days_past_due([interest_only], date(2026, 1, 25)) == 10
    assert days_past_due([one_cent_short], date(2026, 1, 25)) == 10


def test_oldest_is_by_due_date_regardless_of_list_order():
    assert days_past_due(list(reversed(LOAN)), date(2026, 2, 20)) == 5


@pytest.mark.parametrize(
    ("dpd", "bucket"),
    [
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-120"),
        (120, "91-120"),
        (121, "121+"),
        (5000, "121+"),
    ],
)
def test_dpd_bucket_edges(dpd, bucket):
    assert dpd_bucket(dpd) == bucket


def test_negative_dpd_is_rejected():
    with pytest.raises(ValueError):
        dpd_bucket(-1)
