"""Batch posting: 10,000 payments in one file, with history, in <= 20 s.

BENCHMARKS=1 python3 run.py test tests/benchmarks/test_loans_batch_posting.py -s
(and again with DATABASE_URL=postgres://... for PostgreSQL).
"""

import time
from datetime import date
from decimal import Decimal

from django.db import connection

import pytest
import time_machine

from loans import schedule
from loans.models import LedgerEntry, Payment
from loans.services.batch import payment_batch_post
from loans.services.booking import loan_book
from portal.audit import get_system_user

LOANS = 1000
PAYMENTS_PER_LOAN = 10


@pytest.mark.django_db(transaction=True)
@time_machine.travel(date(2027, 6, 1), tick=False)
def test_ten_thousand_payments_post_in_under_twenty_seconds():
    actor = get_system_user()
    started = time.perf_counter()
    loans = [
        loan_book(
            actor=actor,
            number=f"B-{i:05d}",
            product_code="EE",
            customer_name=f"Bench Customer {i}",
            customer_email="",
            account_number=f"B{i:06d}",
            principal=Decimal("6000.00") + i,
            annual_rate=Decimal("5.00"),
            term_months=60,
            first_due_date=date(2026, 2, 1),
            disbursed_on=date(2026, 1, 1),
        )
        for i in range(LOANS)
    ]
    setup = time.perf_counter() - started
    lines = ["loan_number,amount,received_on,method,reference"]
    for loan in loans:
        for k in range(1, PAYMENTS_PER_LOAN + 1):
            due = schedule.due_date(loan.first_due_date, k)
            amount = loan.installment_amount + (Decimal("25.00") if k == 5 else 0)
            lines.append(
                f"{loan.number},{amount},{due.isoformat()},check,{loan.number}-{k}"
            )
    content = ("\n".join(lines) + "\n").encode()

    started = time.perf_counter()
    result = payment_batch_post(actor=actor, file_name="lockbox.csv", content=content)
    elapsed = time.perf_counter() - started

    assert result.posted == LOANS * PAYMENTS_PER_LOAN
    assert Payment.objects.count() == LOANS * PAYMENTS_PER_LOAN
    assert Payment.history.count() == LOANS * PAYMENTS_PER_LOAN
    print(
        f"\n[{connection.vendor}] booked {LOANS} loans in {setup:.1f}s; posted "
        f"{result.posted} payments ({LedgerEntry.objects.count()} ledger entries) "
        f"in {elapsed:.1f}s"
    )
    assert elapsed <= 20
