"""Posting reads a loan's assessed fees as rows only while some fee is unpaid
(assessed, net of reversals, more than what payments paid toward fees); with
every fee paid it skips them, and either way what it stores equals a full
replay, for an appended payment and for a back-dated one. The answer's
allocation (from what posting wrote) equals the ledger's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from loans.services.payments import payment_allocation, payment_post, payment_reverse
from tests.loans.test_posting_append_equals_replay import assert_books_equal_replay

pytestmark = pytest.mark.django_db

FEE_ROWS = 'SELECT "loans_ledgerentry"."id"'


def post(actor, loan, amount: str, received_on: date, reference: str):
    with CaptureQueriesContext(connection) as queries:
        posted = payment_post(
            actor=actor,
            loan=loan,
            amount=Decimal(amount),
            received_on=received_on,
            method="ach",
            reference=reference,
        )
    read_fee_rows = any(q["sql"].startswith(FEE_ROWS) for q in queries.captured_queries)
    return posted, read_fee_rows


def allocation(fees: str, interest: str, principal: str) -> dict[str, Decimal]:
    return {
        "fees": Decimal(fees),
        "interest": Decimal(interest),
        "principal": Decimal(principal),
        "unapplied": Decimal("0.00"),
    }


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_fees_are_read_while_one_is_unpaid_and_skipped_once_all_are_paid(
    book, cashiering_system
):
    loan = book("L-1")
    first, _ = post(cashiering_system, loan, "188.71", date(2026, 2, 1), "P-1")
    # Returned: the $25.00 returned-payment fee, effective 2026-02-10.
    payment_reverse(
        actor=cashiering_system,
        payment=first.payment,
        reason="nsf",
        reversed_on=date(2026, 2, 10),
    )

    owed, read_while_owed = post(
        cashiering_system, loan, "100.00", date(2026, 2, 15), "P-2"
    )
    assert read_while_owed
    assert owed.allocation == allocation("25.00", "41.67", "33.33")
    assert owed.allocation == payment_allocation(owed.payment)
    assert_books_equal_replay(loan)

    paid, read_when_paid = post(
        cashiering_system, loan, "50.00", date(2026, 2, 20), "P-3"
    )
    assert not read_when_paid
    assert paid.allocation == allocation("0.00", "0.00", "50.00")
    assert paid.allocation == payment_allocation(paid.payment)
    assert_books_equal_replay(loan)


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_a_back_dated_payment_after_the_fee_was_paid_equals_the_replay(
    book, cashiering_system
):
    loan = book("L-1")
    first, _ = post(cashiering_system, loan, "188.71", date(2026, 2, 1), "P-1")
    payment_reverse(
        actor=cashiering_system,
        payment=first.payment,
        reason="nsf",
        reversed_on=date(2026, 2, 10),
    )
    post(cashiering_system, loan, "100.00", date(2026, 2, 15), "P-2")

    # Received before P-2: it now pays $10.00 of the fee, and P-2 re-allocates
    # ($15.00 to the fee, the rest to interest and principal).
    early, _ = post(cashiering_system, loan, "10.00", date(2026, 2, 12), "P-4")

    assert early.allocation == allocation("10.00", "0.00", "0.00")
    later = loan.payments.get(reference="P-2")
    assert payment_allocation(later) == allocation("15.00", "41.67", "43.33")
    assert_books_equal_replay(loan)
