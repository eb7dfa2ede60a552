"""The late-fee job under concurrency (PostgreSQL, real connections, one per
thread): overlapping runs charge each installment once, and the job holds one
loan's lock at a time, committing each loan, so a cashier's payment to a loan
waits for at most that one loan's work."""

import threading
from datetime import date
from decimal import Decimal

from django.db import connection, connections, transaction
from django.db.models import Count

import pytest

from loans.choices import EntryKind, FeeKind
from loans.models import LedgerEntry
from loans.services import late_fees
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and real connections",
    ),
]

D = Decimal
WAIT = 30  # seconds; only reached if the test is failing


def late_fee_rows():
    return LedgerEntry.objects.filter(
        kind=EntryKind.FEE_ASSESSED, fee_kind=FeeKind.LATE
    )


def in_thread(target):
    """Run target in a thread with its own connection; return (thread, box)."""
    box = {}

    def worker():
        try:
            box["result"] = target()
        except Exception as error:  # noqa: BLE001
            box["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    return thread, box


def test_runs_overlapping_on_the_same_loans_charge_each_installment_once(
    book, cashiering_system
):
    loans = [book(f"L-{i}") for i in range(1, 9)]  # nothing paid on any
    runs = 4
    barrier = threading.Barrier(runs)

    def run():
        barrier.wait(timeout=WAIT)
        return late_fees_assess(actor=cashiering_system, as_of=date(2026, 6, 1))

    started = [in_thread(run) for _ in range(runs)]
    for thread, _ in started:
        thread.join(WAIT)
    boxes = [box for _, box in started]
    assert [box.get("error") for box in boxes] == [None] * runs
    # Installments 1-4 (due Feb 1 to May 1) are past grace on June 1.
    assert sum(box["result"] for box in boxes) == 4 * len(loans)
    per_installment = (
        late_fee_rows()
        .values("loan", "installment_number")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert len(per_installment) == 4 * len(loans)
    assert {row["n"] for row in per_installment} == {1}


def test_while_the_job_works_on_one_loan_a_loan_it_charged_takes_payments(
    book, cashiering_system, monkeypatch
):
    charged_first, slow = book("L-1"), book("L-2")
    book("L-3")
    inside, release = threading.Event(), threading.Event()
    judge = late_fees.late_installments

    def held_up(loan, *args, **kwargs):
        # The job holds L-2's lock here until the test lets it go on (judged
        # under the lock, inside the loan's transaction; not the unlocked
        # first reading of every candidate).
        if loan.pk == slow.pk and connection.in_atomic_block:
            inside.set()
            release.wait(WAIT)
        return judge(loan, *args, **kwargs)

    monkeypatch.setattr(late_fees, "late_installments", held_up)
    job, box = in_thread(
        lambda: late_fees_assess(actor=cashiering_system, as_of=date(2026, 3, 1))
    )
    try:
        assert inside.wait(WAIT)
        # L-1 is done and committed: another connection sees its fee.
        assert list(late_fee_rows().values_list("loan__number", flat=True)) == ["L-1"]
        # A payment to L-1 does not wait for the job (it would fail after 2 s).
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            posted = payment_post(
                actor=cashiering_system,
                loan=charged_first,
                amount=D("203.71"),
                received_on=date(2026, 3, 1),
                method="check",
                reference="CASHIER-1",
            )
        assert posted.allocation["fees"] == D("15.00")
    finally:
        release.set()
        job.join(WAIT)
    assert box == {"result": 3}
    assert sorted(late_fee_rows().values_list("loan__number", flat=True)) == [
        "L-1",
        "L-2",
        "L-3",
    ]
