"""Arrangements judged by collections_day: completed when every payment
date has passed and each cumulative amount was covered by then, broken on
the first date that was not; a loan in an active arrangement is not
escalated by the ladder."""

from datetime import date

import pytest
import time_machine

from loans.choices import ArrangementStatus
from loans.models import PaymentArrangement
from loans.selectors_collections import collection_queue
from loans.services.arrangements import arrangement_approve, arrangement_propose
from loans.services.collections import collections_day
from portal.audit import get_system_user
from tests.loans.collections_setup import pay

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 15)
# 3 x $188.71 past due, over 3 months: $188.71 + $188.71 on each date.
MONTHLY = "377.42"
DATES = [date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)]


@pytest.fixture
def arrangement(book, staff_alice, supervisor_bob):
    loan = book("L-1")
    with time_machine.travel(TODAY, tick=False):
        proposed = arrangement_propose(
            actor=staff_alice,
            loan=loan,
            months=3,
            first_due_date=DATES[0],
            channel="phone",
        )
        return arrangement_approve(actor=supervisor_bob, arrangement=proposed)


def run(as_of):
    return collections_day(as_of=as_of, actor=get_system_user())


def fresh(arrangement):
    return PaymentArrangement.objects.get(pk=arrangement.pk)


def test_an_arrangement_paid_on_every_date_is_completed(arrangement, cashiering_system):
    for day in DATES:
        pay(cashiering_system, arrangement.loan, MONTHLY, day)
        assert run(day)["arrangements_broken"] == 0
    done = fresh(arrangement)
    assert done.status == ArrangementStatus.COMPLETED
    assert done.completed_on == DATES[-1]
    # The loan is current again: out of the queue.
    assert collection_queue(date(2026, 7, 2)) == []


def test_paying_ahead_keeps_it_until_the_cumulative_amount_runs_out(
    arrangement, cashiering_system
):
    pay(cashiering_system, arrangement.loan, "754.84", DATES[0])  # two months
    run(DATES[1])
    assert fresh(arrangement).status == ArrangementStatus.ACTIVE
    result = run(DATES[2])
    assert result["arrangements_broken"] == 1
    broken = fresh(arrangement)
    assert broken.status == ArrangementStatus.BROKEN
    assert broken.broken_on == DATES[2]


def test_a_missed_month_breaks_it_on_that_date_even_in_a_catch_up_run(
    arrangement, cashiering_system
):
    pay(cashiering_system, arrangement.loan, MONTHLY, DATES[0])
    pay(cashiering_system, arrangement.loan, "377.41", DATES[1])  # a cent short
    result = run(date(2026, 6, 20))  # the run for June 1 was skipped
    assert result["arrangements_broken"] == 1
    broken = fresh(arrangement)
    assert (broken.status, broken.broken_on) == (ArrangementStatus.BROKEN, DATES[1])
    assert run(date(2026, 6, 20))["arrangements_broken"] == 0  # idempotent


def test_an_active_arrangement_holds_the_ladder_and_a_broken_one_requeues(
    arrangement, cashiering_system
):
    loan = arrangement.loan
    (row,) = collection_queue(TODAY)
    assert row.held_by_arrangement and row.next_step is None
    run(DATES[0])  # nothing paid
    (row,) = collection_queue(date(2026, 5, 2))
    assert row.arrangement.status == ArrangementStatus.BROKEN
    assert row.needs_follow_up
    assert row.next_step.label == "Refer to the City Attorney"
    assert loan.number == row.loan.number
