"""A reference is looked up before the loan is locked: a replayed reference
answers from the posted payment without touching the loan, and a reference
another client posts after the look-up (the insert then fails on the unique
reference) is looked up again and answered as a replay; a reference that
keeps racing is refused with a message and posts nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from loans.models import LedgerEntry, Payment
from loans.services import payments
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)


def post(actor, loan, reference: str = "P-1"):
    return payment_post(
        actor=actor,
        loan=loan,
        amount=Decimal("188.71"),
        received_on=date(2026, 2, 1),
        method="ach",
        reference=reference,
    )


def lookups_missing(monkeypatch, misses: int) -> None:
    """The first `misses` reference look-ups find nothing, as when another
    client's payment commits just after the look-up."""
    real = payments._posted_payments
    calls = {"n": 0}

    def lookup(references):
        calls["n"] += 1
        return {} if calls["n"] <= misses else real(references)

    monkeypatch.setattr(payments, "_posted_payments", lookup)


@time_machine.travel(TODAY, tick=False)
def test_a_replayed_reference_answers_without_reading_or_locking_the_loan(
    book, cashiering_system
):
    loan = book("L-1")
    first = post(cashiering_system, loan)

    with CaptureQueriesContext(connection) as queries:
        again = post(cashiering_system, loan)

    assert (again.created, again.payment.pk) == (False, first.payment.pk)
    touched = [q["sql"] for q in queries.captured_queries if "loans_loan" in q["sql"]]
    # Only the look-up's join to name the loan of a reference posted elsewhere.
    assert all('FROM "loans_payment"' in sql for sql in touched)
    assert not any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


@time_machine.travel(TODAY, tick=False)
def test_a_reference_posted_by_another_client_after_the_look_up_is_a_replay(
    book, cashiering_system, monkeypatch
):
    loan = book("L-1")
    first = post(cashiering_system, loan)
    entries = LedgerEntry.objects.count()
    lookups_missing(monkeypatch, misses=1)

    again = post(cashiering_system, loan)

    assert (again.created, again.payment.pk) == (False, first.payment.pk)
    assert Payment.objects.filter(reference="P-1").count() == 1
    assert LedgerEntry.objects.count() == entries
    assert (
        again.allocation
        == first.allocation
        == {
            "fees": Decimal("0.00"),
            "interest": Decimal("41.67"),
            "principal": Decimal("147.04"),
            "unapplied": Decimal("0.00"),
        }
    )


@time_machine.travel(TODAY, tick=False)
def test_a_reference_that_races_twice_is_refused_and_posts_nothing(
    book, cashiering_system, monkeypatch
):
    loan = book("L-1")
    post(cashiering_system, loan)
    entries = LedgerEntry.objects.count()
    lookups_missing(monkeypatch, misses=2)

    with pytest.raises(ValidationError) as refused:
        post(cashiering_system, loan)

    assert refused.value.message_dict == {"reference": [payments.JUST_POSTED]}
    assert Payment.objects.filter(reference="P-1").count() == 1
    assert LedgerEntry.objects.count() == entries
