"""The nightly aging job over a portfolio in PostgreSQL: <= 60 s, peak memory
under 500 MB, and the aging query within 3x of one bare SQL GROUP BY over the
same rows (both measured warm, in the same run).

    BENCHMARKS=1 python3 run.py test tests/benchmarks/test_nightly_job.py -s

The portfolio is read from BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/portal_bench, filled by generate_portfolio).
The job writes (fees, statuses, its record), so it runs on a copy made with
`createdb -T` (or, while someone is connected to the source, through
pg_dump), migrated, and dropped afterwards. BENCH_IN_PLACE=1 runs on the database itself (only
for a database of its own).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.harness import copy_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
SOURCE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
)


def test_the_nightly_job_over_the_portfolio_within_a_minute_and_500_mb():
    in_place = os.environ.get("BENCH_IN_PLACE") == "1"
    url = SOURCE if in_place else copy_database(SOURCE, "nightly")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    try:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        probe = subprocess.run(  # noqa: S603
            [sys.executable, str(Path(__file__).with_name("nightly_job_probe.py"))],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        if not in_place:
            drop_database(url)
    figures = json.loads(probe.stdout.strip().splitlines()[-1])
    ratio = figures["aging_query_s"] / max(figures["bare_group_by_s"], 1e-9)
    print(
        f"\nnightly job over {figures['loans']:,} open loans: "
        f"{figures['job_s']:.1f} s (re-run {figures['rerun_s']:.1f} s), "
        f"peak {figures['peak_mb']:.0f} MB; {figures['late_fees']} late fees, "
        f"transitions {figures['transitions']}, buckets {figures['buckets']}\n"
        f"aging query {figures['aging_query_s'] * 1000:.1f} ms vs bare GROUP BY "
        f"{figures['bare_group_by_s'] * 1000:.1f} ms ({ratio:.2f}x); aging as of "
        f"30 days ago {figures['past_date_aging_s']:.1f} s "
        f"({figures['past_date_rows']:,} loans)"
    )
    assert figures["rerun_fees"] == 0
    assert figures["rerun_buckets_same"]
    assert figures["job_s"] <= 60
    assert figures["peak_mb"] < 500
    assert ratio <= 3
