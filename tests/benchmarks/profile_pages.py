"""What one back-office page costs, measured in this process (no load): the
Django CPU per request (time.process_time), the wall time, and the queries
with their own time. A busy machine moves throughput figures; these move
much less, so they say whether a change made a page cheaper.

    DATABASE_URL=postgres://…/copy DJANGO_SETTINGS_MODULE=portal.settings.production \\
    DJANGO_SECRET_KEY=… ALLOWED_HOSTS=localhost,testserver SECURE_SSL_REDIRECT=false \\
    python tests/benchmarks/profile_pages.py [--repeat 30] [--role Auditor] \\
        [--queries] [--profile LABEL] URL-or-label …

Labels: empty (the chrome and an empty list), dashboard,
customer search, customer page, application list. The user is
"bench-<role>", made with that role when missing. --queries prints each
query of the last request; --profile prints the top of cProfile for one.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")


def main() -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from loans.models import Loan

    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="*")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--role", default="Auditor")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--profile", default="")
    args = parser.parse_args()

    user, _ = get_user_model().objects.get_or_create(
        username=f"bench-{args.role.lower().replace(' ', '-')}"
    )
    user.groups.add(Group.objects.get(name=args.role))
    loan = Loan.objects.filter(disbursed_on__isnull=False).order_by("pk").first()
    customer_pk = loan.customer_id if loan else 1
    labels = {
        # The chrome and an empty list (nobody matches).
        "empty": "/admin/customers/?q=Zqxjkvw",
        "dashboard": "/admin/",
        "customer search": "/admin/customers/?q=Garcia",
        "customer page": f"/admin/customers/inspect/{customer_pk}/",
        "application list": "/admin/loan_applications/",
    }
    urls = args.urls or list(labels)
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(user)
    for label in urls:
        url = labels.get(label, label)
        for _ in range(3):  # warm: templates, content types, the sidebar
            assert client.get(url).status_code == 200, url
        cpu, wall, db = [], [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                c0, w0 = time.process_time(), time.perf_counter()
                response = client.get(url)
                c1, w1 = time.process_time(), time.perf_counter()
            assert response.status_code == 200, url
            cpu.append((c1 - c0) * 1000)
            wall.append((w1 - w0) * 1000)
            db.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        print(
            f"{label:18} cpu {statistics.median(cpu):6.1f} ms  wall "
            f"{statistics.median(wall):6.1f} ms  db {statistics.median(db):6.1f} ms  "
            f"queries {len(ctx.captured_queries)}  bytes {len(response.content)}"
        )
        if args.queries:
            for q in ctx.captured_queries:
                print(f"   {float(q['time']) * 1000:6.1f} ms  {q['sql'][:300]}")
        if args.profile and args.profile == label:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                client.get(url)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(60)


if __name__ == "__main__":
    main()
