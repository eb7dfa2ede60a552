"""Posting to one loan with a long history: gunicorn (4 workers, production
settings) on PostgreSQL, a loan with 1,000 payments, then clients posting
payments to it through `POST /api/v1/loans/{number}/payments` with wrk
(installed with apt-get when missing; script post_payments.lua).

    BENCHMARKS=1 python3 run.py test tests/benchmarks/test_posting_one_loan.py -s

Environment (all optional):
  BENCH_DATABASE_URL  PostgreSQL database it may create and fill (default
                      postgres://postgres@127.0.0.1:5432/portal_posting_bench);
                      each run books a loan of its own, so runs can share it
  BENCH_SECONDS       seconds of load per phase (default 30)
  BENCH_CLIENTS       concurrent clients in the first phase (default 20)
  BENCH_HISTORY       payments the loan has before measuring (default 1000)
  BENCH_PORT          gunicorn's port (default 8766)

Every client posts a new $0.50 payment received today (an append: on or
after every payment already posted) and checks the answer is 201. The loan
is a few installments behind, so every payment pays due interest and
principal of the oldest unpaid one. Targets:
>= 100 payments/s with 20 clients, p95 <= 100 ms for one client; and the
loan's ledger afterwards equals a full replay of its facts.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.harness import Harness, cpu_yardstick, ensure_tool

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_posting_bench"
)
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
HISTORY = int(os.environ.get("BENCH_HISTORY", "1000"))
PORT = int(os.environ.get("BENCH_PORT", "8766"))
BENCH = Harness(DATABASE_URL, PORT)
SCRIPT = Path(__file__).with_name("post_payments.lua")

# Books a 30-year loan in 2019 and posts HISTORY payments of $120.00 spread
# evenly up to a fortnight ago (a little short of the $1,342.05 installment
# each month, so the loan is a few installments behind), in one call; prints
# the loan number and an API token for a cashiering service account.
SETUP_SCRIPT = """
import time
from datetime import date, timedelta
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from wagtail.models import APIToken
from loans.services.booking import loan_book
from loans.services.payments import PaymentRequest, payments_post
user, _ = get_user_model().objects.get_or_create(username="bench-cashiering")
user.user_permissions.add(*Permission.objects.filter(
    content_type__app_label="loans",
    codename__in=["view_loan", "post_payment", "book_loan"]))
number = f"BENCH-{time.time_ns() // 1000 % 10**12}"
loan = loan_book(
    actor=user, number=number, product_code="EE",
    customer_name="Bench Customer", customer_email="",
    account_number=str(time.time_ns())[-9:],
    principal=Decimal("250000.00"), annual_rate=Decimal("5.00"),
    term_months=360, first_due_date=date(2019, 2, 1),
    disbursed_on=date(2019, 1, 1))
start = date(2019, 2, 1)
span = (date.today() - timedelta(days=14) - start).days
payments_post(actor=user, requests=[
    PaymentRequest(loan, Decimal("120.00"), start + timedelta(days=span * i // HISTORY),
                   "ach", f"{number}-H{i}")
    for i in range(HISTORY)])
_, token = APIToken.create_token(user=user, name=number)
# What autovacuum does on a production server (this machine's PostgreSQL
# runs with it off): without statistics the planner reads every payment of
# the loan for its newest received date, a cost that grows with the history.
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(number, token)
"""

CHECK_SCRIPT = """
from loans import engine
from loans.models import Installment, LedgerEntry, Loan, Payment
loan = Loan.objects.select_related("product").get(number=NUMBER)
result = engine.position(loan)
rows = {(i.number, i.due_date, i.principal, i.interest, i.principal_paid,
         i.interest_paid) for i in Installment.objects.filter(loan=loan)}
states = {(s.number, s.due_date, s.principal_due, s.interest_due,
           s.principal_paid, s.interest_paid) for s in result.states}
posted, _ = engine._posted_allocations(LedgerEntry.objects.filter(loan=loan))
same = rows == states and posted == {
    k: v for k, v in result.allocations.items() if v}
print(Payment.objects.filter(loan=loan).count(), same)
"""


def load(
    url: str, token: str, received_on: str, clients: int, seconds: float, tag: str
) -> dict[str, Any]:
    """wrk holds `clients` connections, each posting a new payment as soon as
    the last one is answered, for `seconds`; its own latency figures. A load
    tool in C leaves the machine's two cores to the server (a Python client
    of 20 threads took a share of them itself)."""
    wrk = ensure_tool("wrk", "wrk")
    out = subprocess.run(  # noqa: S603
        [
            wrk,
            "-t",
            str(min(clients, 2)),
            "-c",
            str(clients),
            "-d",
            f"{seconds:g}s",
            "--timeout",
            "60s",
            "-s",
            str(SCRIPT),
            url,
            "--",
            tag,
            received_on,
            token,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    errors = figures["bad"] + figures["socket_errors"]
    return {
        "payments": figures["requests"] - figures["bad"],
        "errors": errors,
        "first_error": figures["first_error"],
        "per_second": (figures["requests"] - figures["bad"]) / figures["seconds"],
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
    }


def test_posting_to_a_loan_with_a_long_history():
    BENCH.ensure_database()
    started = time.perf_counter()
    number, token = BENCH.shell(SETUP_SCRIPT.replace("HISTORY", str(HISTORY))).split()
    print(
        f"\nloan {number} with {HISTORY} payments in {time.perf_counter() - started:.1f}s"
    )
    today = time.strftime("%Y-%m-%d")
    print(f"CPU yardstick: {cpu_yardstick():.2f} s (10M additions, one core)")
    results = {}
    with BENCH.serve() as base:
        url = f"{base}/api/v1/loans/{number}/payments"
        # Warm every worker (imports, connections) before measuring.
        load(url, token, today, 4, 2, f"{number}-W")
        for label, clients in [(f"{CLIENTS} clients", CLIENTS), ("1 client", 1)]:
            tag = f"{number}-{label.split()[0]}"
            r = load(url, token, today, clients, SECONDS, tag)
            results[label] = r
            print(
                f"{label:12} {r['per_second']:7.1f} payments/s  p50 "
                f"{r['p50_ms']:6.0f} ms  p95 {r['p95_ms']:6.0f} ms  errors "
                f"{r['errors']} {r['first_error']}"
            )
    payments, same = BENCH.shell(CHECK_SCRIPT.replace("NUMBER", repr(number))).split()
    print(
        f"{payments} payments on the loan; ledger and schedule equal the replay: {same}"
    )
    assert same == "True"
    assert all(r["errors"] == 0 for r in results.values()), results
    assert results[f"{CLIENTS} clients"]["per_second"] >= 100, results
    assert results["1 client"]["p95_ms"] <= 100, results
