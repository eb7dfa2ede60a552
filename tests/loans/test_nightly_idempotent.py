"""Re-running the nightly job for a date changes nothing, and one run for a
later date catches up the days nobody ran it for."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from loans.choices import LoanStatus
from loans.models import AgingTrigger, Loan
from loans.services.aging import aging_run

pytestmark = pytest.mark.django_db


def run(day, actor):
    return aging_run(as_of=day, actor=actor, trigger=AgingTrigger.COMMAND)


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_the_same_date_again_charges_nothing_and_counts_the_same(book, supervisor_bob):
    book("L-1", first_due_date=date(2026, 2, 1))
    book("L-2", first_due_date=date(2026, 5, 1), account_number="100002")
    first = run(date(2026, 6, 1), supervisor_bob)
    history_rows = Loan.history.count()
    again = run(date(2026, 6, 1), supervisor_bob)
    assert first.late_fees_count == 5
    assert first.late_fees_amount == Decimal("75.00")
    assert (again.late_fees_count, again.late_fees_amount) == (0, Decimal("0.00"))
    assert again.bucket_counts() == first.bucket_counts()
    assert again.loans == first.loans == 2
    assert again.transitions() == {
        "delinquent": 0,
        "active": 0,
        "defaulted": 0,
        "matured": 0,
    }
    assert Loan.history.count() == history_rows  # no loan was written again


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_a_run_after_skipped_days_ends_where_daily_runs_would(book, supervisor_bob):
    daily = book("L-1", first_due_date=date(2026, 2, 1))
    day = date(2026, 2, 1)
    while day <= date(2026, 4, 30):
        run(day, supervisor_bob)
        day += timedelta(days=7)
    run(date(2026, 4, 30), supervisor_bob)
    skipped = book("L-2", first_due_date=date(2026, 2, 1), account_number="100002")
    catch_up = run(date(2026, 4, 30), supervisor_bob)
    daily.refresh_from_db()
    skipped.refresh_from_db()
    assert catch_up.late_fees_count == 3  # all of L-2's, none of L-1's again
    assert daily.entries.filter(kind="fee_assessed").count() == 3
    assert skipped.entries.filter(kind="fee_assessed").count() == 3
    assert (daily.status, skipped.status) == (LoanStatus.DELINQUENT,) * 2


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_a_run_for_an_earlier_date_than_the_last_run_leaves_the_statuses(
    book, supervisor_bob
):
    loan = book("L-1", first_due_date=date(2026, 2, 1))
    run(date(2026, 5, 31), supervisor_bob)  # 119 days: delinquent
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DELINQUENT
    earlier = run(date(2026, 1, 15), supervisor_bob)  # before the first due date
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DELINQUENT
    assert earlier.statuses_kept
    assert earlier.bucket_counts()["current"] == 1
