"""Recoveries posted at the same moment are judged one after the other under
the loan's row lock, so together they never recover more than was written
off (PostgreSQL, real connections, one per thread)."""

import threading
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, connections

import pytest
import time_machine

from loans.services.writeoffs import recovery_position, recovery_post
from tests.loans.recovery_helpers import make_defaulted, write_off

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and real connections",
    ),
]

THREADS = 6


@time_machine.travel(date(2026, 7, 1), tick=False)
def test_concurrent_recoveries_never_exceed_what_was_written_off(
    book, staff_alice, supervisor_bob
):
    loan = make_defaulted(book("L-1"))
    write_off(loan, staff_alice, supervisor_bob)  # $10,202.18
    loan.refresh_from_db()
    barrier = threading.Barrier(THREADS)
    refused: list[str] = []
    unexpected: list[Exception] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            recovery_post(
                actor=supervisor_bob,
                loan=loan,
                amount=Decimal("3000.00"),
                received_on=date(2026, 6, 20),
                method="ach",
                reference=f"REC-{i}",
            )
        except ValidationError as error:
            refused.append(error.messages[0])
        except Exception as error:  # noqa: BLE001
            unexpected.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert unexpected == []
    # Three of $3,000.00 fit in $10,202.18; the other three are refused.
    assert len(refused) == 3
    assert all("would recover more than was written off" in m for m in refused)
    assert recovery_position(loan).recovered == Decimal("9000.00")
