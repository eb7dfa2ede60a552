"""The quarterly PSC report over the generated portfolio on PostgreSQL:
generated through the service and written to XLSX (with its CSVs and PDF
cover) in <= 30 s with peak memory <= 400 MB, and within 3x of the bare SQL
aggregates that produce its totals (both measured warm, in the same run).

    BENCHMARKS=1 python3 run.py test tests/benchmarks/test_psc_report.py -s

The portfolio is read from BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/portal_bench, filled by
`generate_portfolio --loans 100000`). Generating writes the run and its
files, so it runs on a scratch copy (harness.copy_database), migrated and
dropped afterwards. BENCH_PERIOD picks the period (default 2026-Q3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.harness import ROOT, copy_database, cpu_yardstick, drop_database

SOURCE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
)
PERIOD = os.environ.get("BENCH_PERIOD", "2026-Q3")


def test_the_quarterly_psc_report_within_30_s_400_mb_and_3x_the_bare_sql():
    url = copy_database(SOURCE, "psc")
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
            [
                sys.executable,
                str(Path(__file__).with_name("psc_report_probe.py")),
                PERIOD,
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        drop_database(url)
    figures = json.loads(probe.stdout.strip().splitlines()[-1])
    print(f"\nCPU yardstick: {cpu_yardstick():.2f} s (10M additions, one core)")
    ratio = figures["report_s"] / max(figures["bare_s"], 1e-9)
    print(
        f"\nPSC report {figures['period']} over {figures['loans']:,} loans "
        f"({figures['payments']:,} payments): {figures['report_s']:.1f} s, peak "
        f"{figures['peak_mb']:.0f} MB, workbook {figures['xlsx_bytes']:,} bytes; "
        f"{figures['receipts']:,} receipt rows, {figures['delinquent']:,} delinquent "
        f"loans; bare SQL aggregates {figures['bare_s']:.2f} s; ratio {ratio:.2f}x; "
        f"load {os.getloadavg()[0]:.1f}\nopenpyxl alone writes its "
        f"{figures['cells']:,} cells in {figures['xlsx_alone_s']:.1f} s "
        f"({figures['xlsx_alone_s'] / max(figures['bare_s'], 1e-9):.2f}x the bare SQL)"
        f"\nsummary {figures['summary']}"
    )
    assert figures["summary"]["reconciles"] is True
    assert figures["report_s"] <= 30
    assert figures["peak_mb"] <= 400
    assert ratio <= 3
