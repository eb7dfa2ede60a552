"""Promises to pay, followed by collections_day: kept when the payments
received from the day of the promise through its date cover it, broken
otherwise; a broken promise puts the loan at the top of the queue until
someone follows it up."""

from datetime import date
from decimal import Decimal

import pytest

from loans.choices import PromiseStatus
from loans.models import CollectionAction, Payment
from loans.selectors_collections import collection_queue
from loans.services.collections import collections_day
from loans.services.payments import payment_reverse
from portal.audit import get_system_user
from tests.loans.collections_setup import pay, record

pytestmark = pytest.mark.django_db

PROMISED_ON = date(2026, 2, 20)
PROMISE_DATE = date(2026, 3, 5)


def promise(actor, loan, amount="200.00"):
    return record(
        actor,
        loan,
        "promise_to_pay",
        PROMISED_ON,
        channel="phone",
        outcome="Will pay by the 5th",
        promise_amount=Decimal(amount),
        promise_date=PROMISE_DATE,
    )


def run(as_of):
    return collections_day(as_of=as_of, actor=get_system_user())


def status(action):
    return CollectionAction.objects.get(pk=action.pk).promise_status


def test_a_promise_covered_by_payments_through_its_date_is_kept(
    book, staff_alice, cashiering_system
):
    loan = book("L-1")
    kept = promise(staff_alice, loan)
    pay(cashiering_system, loan, "150.00", date(2026, 2, 25))
    pay(cashiering_system, loan, "50.00", PROMISE_DATE)
    assert run(date(2026, 3, 4))["promises_kept"] == 0  # not due yet
    assert status(kept) == PromiseStatus.OPEN
    result = run(PROMISE_DATE)
    assert (result["promises_kept"], result["promises_broken"]) == (1, 0)
    assert status(kept) == PromiseStatus.KEPT
    assert CollectionAction.objects.get(pk=kept.pk).promise_judged_on == PROMISE_DATE


def test_a_promise_short_by_a_cent_is_broken_and_a_late_payment_does_not_count(
    book, staff_alice, cashiering_system
):
    loan = book("L-1")
    broken = promise(staff_alice, loan)
    pay(cashiering_system, loan, "199.99", date(2026, 2, 25))
    pay(cashiering_system, loan, "500.00", date(2026, 3, 6))  # after the date
    result = run(date(2026, 3, 10))
    assert (result["promises_kept"], result["promises_broken"]) == (0, 1)
    assert status(broken) == PromiseStatus.BROKEN


def test_a_reversed_payment_does_not_keep_a_promise(
    book, staff_alice, cashiering_system
):
    loan = book("L-1")
    broken = promise(staff_alice, loan)
    pay(cashiering_system, loan, "200.00", date(2026, 2, 25))
    payment_reverse(
        actor=cashiering_system,
        payment=Payment.objects.get(loan=loan),
        reason="nsf",
        note="Returned",
    )
    run(PROMISE_DATE)
    assert status(broken) == PromiseStatus.BROKEN


def test_running_the_same_day_again_changes_nothing(book, staff_alice):
    loan = book("L-1")
    broken = promise(staff_alice, loan)
    first = run(PROMISE_DATE)
    history = broken.history.count()
    again = run(PROMISE_DATE)
    assert first["promises_broken"] == 1
    assert (again["promises_kept"], again["promises_broken"]) == (0, 0)
    assert broken.history.count() == history
    assert status(broken) == PromiseStatus.BROKEN


def test_a_broken_promise_puts_the_loan_at_the_top_until_followed_up(book, staff_alice):
    older = book(
        "L-OLD", first_due_date=date(2026, 1, 15), disbursed_on=date(2025, 12, 15)
    )
    loan = book("L-1", account_number="100002")
    as_of = date(2026, 3, 6)
    assert [r.loan.number for r in collection_queue(as_of)] == ["L-OLD", "L-1"]
    promise(staff_alice, loan)
    run(PROMISE_DATE)
    rows = collection_queue(as_of)
    assert [r.loan.number for r in rows] == ["L-1", "L-OLD"]
    assert rows[0].needs_follow_up
    assert rows[0].promise.promise_status == PromiseStatus.BROKEN
    # The broken promise no longer holds the ladder back.
    assert rows[0].next_step.label == "Second notice"
    # A call after the promise broke is the follow-up: back in DPD order.
    record(staff_alice, loan, "call", as_of, channel="phone", outcome="No answer")
    assert [r.loan.number for r in collection_queue(as_of)] == ["L-OLD", "L-1"]
    assert older.number == "L-OLD"


def test_an_open_promise_holds_the_ladder_until_its_date(book, staff_alice):
    loan = book("L-1")
    promise(staff_alice, loan)
    (row,) = collection_queue(date(2026, 3, 3))  # 30 days past due
    assert row.next_step is None
    assert row.promise.promise_status == PromiseStatus.OPEN
