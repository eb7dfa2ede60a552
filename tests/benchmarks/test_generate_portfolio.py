"""generate_portfolio --loans 100000 (about 3,000,000 payments) on PostgreSQL
in <= 10 minutes, peak memory well under 1 GB, and a 200-loan sample equal to
the engine's replay.

    BENCHMARKS=1 python3 run.py test tests/benchmarks/test_generate_portfolio.py -s

Environment (all optional):
  BENCH_GENERATE_DATABASE_URL  PostgreSQL database it drops, creates and
                               migrates (default
                               postgres://postgres@127.0.0.1:5432/portal_generate_bench)
  BENCH_LOANS                  loans to generate (default 100000)

It runs the command as an operator would (production settings, its own
process) and reads the wall time, the command's counts and the peak resident
memory of the command and its worker processes.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
DATABASE_URL = os.environ.get(
    "BENCH_GENERATE_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/portal_generate_bench",
)
LOANS = int(os.environ.get("BENCH_LOANS", "100000"))


def env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": DATABASE_URL,
        "SECURE_SSL_REDIRECT": "false",
    }


def manage(*args: str) -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def fresh_database() -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-qc", sql], check=True)  # noqa: S603, S607
    manage("migrate", "--no-input", "-v", "0")


def test_a_hundred_thousand_loans_generate_in_ten_minutes():
    fresh_database()
    started = time.perf_counter()
    out = manage("generate_portfolio", "--loans", str(LOANS), "--verify", "200")
    wall = time.perf_counter() - started
    # The largest resident set of any process the command ran (it and its
    # workers), in kB on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\n{out}")
    added = re.search(r"Added ([\d,]+) loans .*?, ([\d,]+) payments", out)
    assert added, out
    loans, payments = (int(x.replace(",", "")) for x in added.groups())
    print(
        f"{loans:,} loans, {payments:,} payments in {wall:.0f} s "
        f"(with the 200-loan check); peak RSS {peak_mb:.0f} MB"
    )
    assert loans == LOANS
    assert payments >= 25 * LOANS
    assert "Verified 200 loans" in out
    assert peak_mb < 1024
    assert wall <= 600
