"""Concurrent posting to one loan loses and doubles nothing (PostgreSQL, real
connections, one per thread)."""

import threading
from datetime import date
from decimal import Decimal

from django.db import connection, connections

import pytest
import time_machine

from loans.models import Payment
from loans.selectors import ledger_balances
from loans.services.payments import payment_post

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and real connections",
    ),
]

THREADS = 8


def run_in_threads(target, count):
    barrier = threading.Barrier(count)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            target(i)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_n_threads_posting_to_one_loan_lose_nothing(book, cashiering_system):
    loan = book("L-1")

    def post(i):
        payment_post(
            actor=cashiering_system,
            loan=loan,
            amount=Decimal("100.00"),
            received_on=date(2026, 2, 1),
            method="ach",
            reference=f"T-{i}",
        )

    assert run_in_threads(post, THREADS) == []
    assert Payment.objects.filter(loan=loan).count() == THREADS
    balances = ledger_balances(loan)
    paid = Decimal("100.00") * THREADS
    interest = balances["interest_paid"]
    assert Decimal("10000.00") - balances["principal"] + interest == paid
    rows = loan.installments.all()
    assert (
        sum((r.principal - r.principal_paid for r in rows), Decimal("0"))
        == (balances["principal"])
    )


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_the_same_reference_posted_concurrently_records_one_payment(
    book, cashiering_system
):
    loan = book("L-1")

    def post(i):
        payment_post(
            actor=cashiering_system,
            loan=loan,
            amount=Decimal("188.71"),
            received_on=date(2026, 2, 1),
            method="ach",
            reference="SAME",
        )

    assert run_in_threads(post, THREADS) == []
    assert Payment.objects.filter(reference="SAME").count() == 1
    assert ledger_balances(loan)["principal"] == Decimal("9852.96")
