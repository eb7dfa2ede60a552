"""A cached public page under load: gunicorn started the way `run.py
production` starts it (production settings, WEB_CONCURRENCY workers, default
two per core plus one), the home page warmed into the page cache, then
ApacheBench (`ab`) with 20 concurrent clients for 20 seconds.

    BENCHMARKS=1 python3 run.py test tests/benchmarks/test_public_page_load.py -s

Target: >= 300 requests/s and p95 <= 100 ms.

Environment (all optional):
  BENCH_DATABASE_URL  database for the demo site; default a fresh SQLite file
                      in a temporary folder; a PostgreSQL one is created when
                      missing (e.g. .../portal_h_frame_bench). Migrated and
                      the demo data loaded. A hit reads no database (with the
                      production file cache).
  BENCH_SECONDS       seconds of load (default 20)
  BENCH_CLIENTS       concurrent clients (default 20)
  BENCH_PORT          gunicorn's port (default 8766)
  BENCH_PATHS         comma-separated pages to measure (default "/")
  WEB_CONCURRENCY     gunicorn workers, as for run.py production
  BENCH_SETTINGS      settings module (default portal.settings.production), e.g.
                      one that puts the "pages" cache in the database to compare

`ab` comes from apache2-utils; the test installs it with apt-get when it is
missing and it runs as root (like run.py's ensure_chromium), else fails
saying how to get it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import run
from tests.benchmarks.harness import Harness, run_ab

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
PORT = int(os.environ.get("BENCH_PORT", "8766"))
PATHS = [p for p in os.environ.get("BENCH_PATHS", "/").split(",") if p]
SETTINGS = os.environ.get("BENCH_SETTINGS", "portal.settings.production")
TARGET_RPS = 300.0
TARGET_P95_MS = 100.0


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def test_a_cached_public_page_under_load():
    work = Path(tempfile.mkdtemp(prefix="portal-public-bench-"))
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}"
    )
    bench = Harness(database_url, PORT)
    env = {
        **bench.env(),
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PORTAL_PAGE_CACHE_DIR": str(work / "page-cache"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
    }

    def manage(*args: str) -> None:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=run.ROOT,
            env=env,
            check=True,
            capture_output=True,
        )

    started = time.perf_counter()
    if database_url.startswith("postgres"):
        # Create it when missing (an existing one is reused: the demo data
        # loads idempotently).
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        name = database_url.rsplit("/", 1)[1]
        subprocess.run(  # noqa: S603
            ["psql", admin, "-qc", f'CREATE DATABASE "{name}"'],  # noqa: S607
            capture_output=True,
        )
    manage("migrate", "--no-input", "-v", "0")
    manage("createcachetable")
    manage("load_demo_data", "--allow-without-debug")
    manage("collectstatic", "--no-input", "-v", "0")
    print(f"\nsite ready in {time.perf_counter() - started:.0f}s")

    command = run.gunicorn_command(
        {**env, "BIND": f"127.0.0.1:{PORT}"},
        ["--log-level", "warning", "--access-logfile", "/dev/null"],
    )
    # The exact command run.py production hands over to, minus its access log.
    command.remove("-")
    command.remove("--access-logfile")
    command[0] = sys.executable
    server = subprocess.Popen(command, cwd=run.ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(200):
            try:
                get(base + "/")
                break
            except OSError:
                time.sleep(0.3)
        results = {}
        for path in PATHS:
            # Warm: the first visit builds the page, the next is a hit.
            get(base + path)
            status, headers, body = get(base + path)
            assert status == 200
            assert headers.get("X-Cache") == "hit", headers
            if path == "/":
                # The stylesheet has a hashed name, served by WhiteNoise with
                # a year of browser caching.
                css = re.search(
                    rb'href="(/static/portal/site\.[0-9a-f]{12}\.css)"', body
                )
                assert css, "site.css is not linked by its hashed name"
                status, css_headers, _ = get(base + css.group(1).decode())
                assert status == 200
                assert "max-age=315360000" in css_headers["Cache-Control"]
            load_before = os.getloadavg()
            results[path] = run_ab(base + path, clients=CLIENTS, seconds=SECONDS)
            print(results[path]["output"])
            results[path]["load_before"] = load_before[0]
            results[path]["load_after"] = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    workers = command[command.index("--workers") + 1]
    for path, figures in results.items():
        print(
            f"{path}: {figures['rps']:.1f} req/s, p50 {figures['p50']:.0f} ms, "
            f"p95 {figures['p95']:.0f} ms, {figures['done']:.0f} requests, "
            f"{figures['failed']:.0f} failed, {figures['non_2xx']:.0f} non-2xx; "
            f"{workers} workers, {CLIENTS} clients, {SECONDS} s; load average "
            f"{figures['load_before']:.2f} before, {figures['load_after']:.2f} after "
            f"({os.cpu_count()} cores)"
        )
    for path, figures in results.items():
        assert figures["failed"] == 0 and figures["non_2xx"] == 0, path
        assert figures["rps"] >= TARGET_RPS, (path, figures)
        assert figures["p95"] <= TARGET_P95_MS, (path, figures)
