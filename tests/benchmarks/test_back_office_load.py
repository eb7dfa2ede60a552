"""Back office under load: gunicorn (4 workers, production settings) on
PostgreSQL over a generated portfolio, 20 concurrent staff clients per URL.

    BENCHMARKS=1 python3 run.py test tests/benchmarks/test_back_office_load.py -s

Environment (all optional):
  BENCH_DATABASE_URL  PostgreSQL database it may create and fill
                      (default postgres://postgres@127.0.0.1:5432/portal_boperf_load)
  BENCH_LOANS         loans to have before measuring (default 100000; generated
                      in bulk by manage.py generate_portfolio, seed 1, which
                      adds only the missing ones, so a second run starts at once)
  BENCH_SECONDS       seconds of load per URL (default 60)
  BENCH_CLIENTS       concurrent clients (default 20)
  BENCH_PORT          gunicorn's port (default 8765)
  BENCH_ONLY          comma-separated labels of the URLs to measure (default all)

To measure a database someone else built (e.g. 100,000 loans) without writing
its data, copy it first (createdb -T) and point BENCH_DATABASE_URL at the copy
with BENCH_LOANS at or below its size.

It logs in an auditor (back-office reader; staff roles that move money need
an authenticator app in production) by making a session in the database, and
drives each URL in turn with ApacheBench (`ab`, from apache2-utils, installed
with apt-get when missing): a load tool in C, so the two cores serve pages
rather than a Python client's threads. Each URL is first asked 40 times,
uncounted, so that every worker has drawn it. Target:
p95 <= 300 ms and >= 60 requests/s for every URL.
"""

from __future__ import annotations

import os
import time

from tests.benchmarks.harness import Harness, cpu_yardstick, run_ab

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_boperf_load"
)
LOANS = int(os.environ.get("BENCH_LOANS", "100000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BENCH = Harness(DATABASE_URL, PORT)

SESSION_SCRIPT = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from portal import roles
user, _ = get_user_model().objects.get_or_create(username="bench-auditor")
user.groups.add(Group.objects.get(name=roles.AUDITOR))
client = Client()
client.force_login(user)
from django.conf import settings
print(settings.SESSION_COOKIE_NAME + "=" + client.cookies[settings.SESSION_COOKIE_NAME].value)
"""

INFO_SCRIPT = """
from loans.models import Loan, Payment
from portal.models import Customer
disbursed = Loan.objects.filter(disbursed_on__isnull=False).order_by("pk")
loan = disbursed.first()
# A loan about 62% into the book: its number's last five digits are an
# ordinary search term (the first loan's, "00000", is one repeated trigram).
ordinary = disbursed[int(disbursed.count() * 0.618)] if loan else None
print(
    Loan.objects.count(),
    Payment.objects.count(),
    loan.pk if loan else 0,
    Customer.objects.count(),
    loan.customer_id if loan else 0,
    loan.number if loan else "-",
    ordinary.number if ordinary else "-",
)
"""


def ensure_portfolio() -> None:
    started = time.perf_counter()
    print(BENCH.manage("generate_portfolio", "--loans", str(LOANS), "--seed", "1"))
    print(f"portfolio ready ({time.perf_counter() - started:.0f}s generating)")


def test_back_office_pages_under_load():
    BENCH.ensure_database(static=True)
    ensure_portfolio()
    info = BENCH.shell(INFO_SCRIPT).split()
    loans, payments, loan_pk, customers, customer_pk = (int(x) for x in info[:5])
    loan_number, ordinary_number = info[5], info[6]
    cookie = BENCH.shell(SESSION_SCRIPT)
    print(f"\n{loans} loans, {payments} payments, {customers} customers")
    last_page = max(1, -(-loans // 20))
    urls = {
        "loan list": "/admin/loans/",
        **{
            f"DPD {bucket}": f"/admin/loans/?dpd_bucket={bucket}"
            for bucket in ["current", "1-30", "31-60", "61-90", "91-120", "121+"]
        },
        "loan list, last page": f"/admin/loans/?p={last_page}",
        "loan search": f"/admin/loans/?q={ordinary_number[-5:]}",
        # Five zeros: a single trigram ("000"), which the trigram indexes
        # cannot narrow (10,000 account numbers hold it), the worst case.
        "loan search 00000": f"/admin/loans/?q={loan_number[-5:]}",
        "loan page": f"/admin/loans/inspect/{loan_pk}/",
        "customer search": "/admin/customers/?q=Garcia",
        "customer page": f"/admin/customers/inspect/{customer_pk}/",
        "application list": "/admin/loan_applications/",
        "dashboard": "/admin/",
    }
    only = os.environ.get("BENCH_ONLY")  # e.g. "loan list,loan page"
    if only:
        urls = {k: v for k, v in urls.items() if k in only.split(",")}
    _serve_and_measure(urls, cookie)


def _serve_and_measure(urls: dict[str, str], cookie: str) -> None:
    results = {}
    headers = ("X-Forwarded-Proto: https", "Host: localhost")
    print(f"CPU yardstick: {cpu_yardstick():.2f} s (10M additions, one core)")
    with BENCH.serve() as base:
        for label, url in urls.items():
            # Each worker draws the page once or twice first (compiling its
            # templates, filling its per-process caches: the sidebar, the
            # filter menu), as a server that has been up since the morning
            # has; those first answers are not counted.
            run_ab(base + url, clients=4, requests=40, headers=headers, cookie=cookie)
            r = results[label] = run_ab(
                base + url,
                clients=CLIENTS,
                seconds=SECONDS,
                headers=headers,
                cookie=cookie,
            )
            # The machine is shared: the load average says what else ran.
            load = os.getloadavg()[0]
            print(
                f"{label:24} {r['rps']:7.1f} req/s  p50 {r['p50']:7.0f} ms  "
                f"p95 {r['p95']:7.0f} ms  failed {r['failed']}  non-2xx "
                f"{r['non_2xx']} of {r['done']}  load {load:.1f}"
            )
    assert all(r["failed"] == 0 and r["non_2xx"] == 0 for r in results.values())
    assert all(r["done"] > 0 for r in results.values()), results
    assert all(r["p95"] <= 300 and r["rps"] >= 60 for r in results.values()), {
        label: {k: v for k, v in r.items() if k != "output"}
        for label, r in results.items()
    }
