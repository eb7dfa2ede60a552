"""DPD = as-of date − due date of the oldest installment not fully paid;
buckets 1–30, 31–60, 61–90, 91–120, 121+."""

from datetime import date, timedelta

import pytest
import time_machine

from loans.selectors import (
    days_past_due_from,
    filter_by_dpd_bucket,
    loan_list_with_dpd,
    loan_summary,
)

pytestmark = pytest.mark.django_db
FIRST_DUE = date(2026, 2, 1)


@pytest.mark.parametrize(
    ("days", "bucket"),
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
    ],
)
@time_machine.travel(date(2026, 12, 31), tick=False)
def test_each_bucket_edge(book, days, bucket):
    loan = book("L-1", first_due_date=FIRST_DUE)
    as_of = FIRST_DUE + timedelta(days=days)
    assert loan_summary(loan, as_of).days_past_due == days
    assert loan_summary(loan, as_of).dpd_bucket == bucket
    listed = loan_list_with_dpd(as_of)
    assert days_past_due_from(listed.get().oldest_unpaid_due, as_of) == days
    assert list(filter_by_dpd_bucket(listed, bucket, as_of)) == [loan]
    others = [
        b
        for b in ("current", "1-30", "31-60", "61-90", "91-120", "121+")
        if b != bucket
    ]
    for other in others:
        assert not filter_by_dpd_bucket(listed, other, as_of).exists()
