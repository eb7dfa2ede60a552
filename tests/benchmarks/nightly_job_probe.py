"""Run inside a child process against one database (DATABASE_URL): time the
aging query (loans per bucket as of today), one bare SQL GROUP BY over the
same rows, an aging read as of a past date, then the nightly job; print one
JSON line with the figures and the process's peak memory."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from datetime import timedelta


def main() -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from loans.aging_selectors import aging_bucket_counts, aging_rows
    from loans.choices import OPEN_LOAN_STATUSES
    from loans.models import AgingTrigger, Loan
    from loans.services.aging import aging_run
    from portal.audit import get_system_user

    today = timezone.localdate()
    table = connection.ops.quote_name(Loan._meta.db_table)
    marks = ", ".join(["%s"] * len(OPEN_LOAN_STATUSES))
    bare_sql = (
        f"SELECT oldest_unpaid_due, COUNT(*) FROM {table} "  # noqa: S608
        f"WHERE disbursed_on <= %s AND status IN ({marks}) GROUP BY oldest_unpaid_due"
    )

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(bare_sql, [today, *OPEN_LOAN_STATUSES])
            cursor.fetchall()

    def timed(fn, repeat: int = 5) -> float:
        fn()  # warm the cache: both are measured warm
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    aging_s = timed(lambda: aging_bucket_counts(today))
    bare_s = timed(bare)
    started = time.perf_counter()
    rows = aging_rows(today - timedelta(days=30))
    past_s = time.perf_counter() - started

    started = time.perf_counter()
    run = aging_run(as_of=today, actor=get_system_user(), trigger=AgingTrigger.COMMAND)
    job_s = time.perf_counter() - started
    started = time.perf_counter()
    again = aging_run(
        as_of=today, actor=get_system_user(), trigger=AgingTrigger.COMMAND
    )
    again_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "loans": run.loans,
                "buckets": run.bucket_counts(),
                "late_fees": run.late_fees_count,
                "transitions": run.transitions(),
                "job_s": job_s,
                "rerun_s": again_s,
                "rerun_fees": again.late_fees_count,
                "rerun_buckets_same": again.bucket_counts() == run.bucket_counts(),
                "aging_query_s": aging_s,
                "bare_group_by_s": bare_s,
                "past_date_rows": len(rows),
                "past_date_aging_s": past_s,
                "peak_mb": peak_mb,
            }
        )
    )


if __name__ == "__main__":
    main()
