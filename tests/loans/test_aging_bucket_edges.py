"""Days past due fall in the one bucket table (loans.schedule.DPD_BUCKETS) at
its edges, the same as of today (the loan row's cache), as of a past date
(derived from the ledger) and on the API's loan `bucket`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from loans.aging_selectors import aging_bucket_counts, aging_rows

pytestmark = pytest.mark.django_db

FIRST_DUE = date(2026, 2, 1)  # never paid

EDGES = [
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
]


@pytest.mark.parametrize(("dpd", "bucket"), EDGES)
def test_days_past_due_fall_in_their_bucket_as_of_today(book, dpd, bucket):
    as_of = FIRST_DUE + timedelta(days=dpd)
    with time_machine.travel(as_of, tick=False):
        loan = book("L-1", first_due_date=FIRST_DUE)
        (age,) = aging_rows(as_of)
        assert (age.loan_id, age.days_past_due, age.bucket) == (loan.pk, dpd, bucket)
        counts = aging_bucket_counts(as_of)
    assert counts[bucket] == 1
    assert sum(counts.values()) == 1


@pytest.mark.parametrize(("dpd", "bucket"), EDGES)
def test_days_past_due_fall_in_their_bucket_as_of_a_past_date(book, dpd, bucket):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        book("L-1", first_due_date=FIRST_DUE)
        as_of = FIRST_DUE + timedelta(days=dpd)
        (age,) = aging_rows(as_of)
        counts = aging_bucket_counts(as_of)
    assert (age.days_past_due, age.bucket) == (dpd, bucket)
    assert counts[bucket] == 1


@pytest.mark.parametrize(("dpd", "bucket"), EDGES)
def test_the_api_gives_the_loans_bucket_as_of_a_date(
    book, api_client_for, staff_alice, dpd, bucket
):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        book("L-1", first_due_date=FIRST_DUE)
        as_of = FIRST_DUE + timedelta(days=dpd)
        response = api_client_for(staff_alice).get(
            f"/api/v1/loans/L-1?as_of={as_of.isoformat()}"
        )
    assert response.status_code == 200
    body = response.json()
    assert (body["days_past_due"], body["bucket"]) == (dpd, bucket)


def test_a_loan_paid_on_each_due_date_is_current(book, cashiering_system):
    from decimal import Decimal

    from loans.services.payments import payment_post

    with time_machine.travel(date(2026, 3, 15), tick=False):
        loan = book("L-1", first_due_date=FIRST_DUE)
        for k, day in enumerate([date(2026, 2, 1), date(2026, 3, 1)]):
            payment_post(
                actor=cashiering_system,
                loan=loan,
                amount=Decimal("188.71"),
                received_on=day,
                method="check",
                reference=f"ON-TIME-{k}",
            )
        (today,) = aging_rows(date(2026, 3, 15))
        (before,) = aging_rows(date(2026, 2, 28))
    assert (today.days_past_due, today.bucket) == (0, "current")
    assert today.oldest_unpaid_due is None  # the next one (Apr 1) is not due
    assert (before.days_past_due, before.bucket) == (0, "current")
