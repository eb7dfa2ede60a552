"""A coupon book of 120 coupons (a 10-year loan) in <= 2 s: the figures
read, the HTML rendered, the PDF laid out by WeasyPrint and recorded as
correspondence (coupon_book_produce, end to end).

BENCHMARKS=1 python -m pytest tests/benchmarks/test_coupon_book.py -s

The best of three runs is held to the budget; each run's wall and CPU time
are printed with the load average. On a machine busier than one runnable
process per core (this one's cores are shared by several engineers) the
wall clock mostly measures the neighbours, so there the process's CPU time
is held to the budget instead, and the print says so.
"""

import io
import os
import time
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from loans.services.booking import loan_book
from loans.services.coupons import coupon_book_produce
from portal.audit import get_system_user


@pytest.mark.django_db
@time_machine.travel(date(2026, 1, 15), tick=False)
def test_a_book_of_120_coupons_in_two_seconds():
    actor = get_system_user()
    loan = loan_book(
        actor=actor,
        number="L-120",
        product_code="EE",
        customer_name="Carol Jensen",
        customer_email="",
        account_number="100120",
        principal=Decimal("24000.00"),
        annual_rate=Decimal("5.00"),
        term_months=120,
        first_due_date=date(2026, 2, 1),
        disbursed_on=date(2026, 1, 1),
    )
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        record = coupon_book_produce(loan=loan, actor=actor, on=date(2026, 1, 15))
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    with record.correspondence.rendered_file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = pages[-1].extract_text()
    print(
        f"\ncoupon book, 120 coupons, {len(pages)} pages: "
        + ", ".join(f"wall {w:.2f} s / cpu {c:.2f} s" for w, c in runs)
    )
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    busy = load > 1.0
    print(
        f"load per core {load:.1f}: holding "
        + ("CPU time (machine busy)" if busy else "wall time")
        + " to 2 s"
    )
    assert "Installment 120" in text
    best_wall = min(w for w, _ in runs)
    best_cpu = min(c for _, c in runs)
    assert (best_cpu if busy else best_wall) <= 2.0
