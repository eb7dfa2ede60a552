"""What every served benchmark does: create and migrate its PostgreSQL
database, run manage.py against it, start gunicorn (4 workers, production
settings) and wait until it answers, and drive load with C tools (ab, wrk).

    bench = Harness(database_url, port)
    bench.ensure_database()
    with bench.serve() as base: ...
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def cpu_yardstick() -> float:
    """Seconds one core takes for a fixed pure-Python loop (10 million
    additions), the best of three: printed beside a benchmark's figures so
    runs on machines of different speed can be compared (the same code has
    measured 1.7x to 3x slower on one 2-core machine than on another)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best


def ensure_tool(command: str, package: str) -> str:
    """The path of a load tool (ab, wrk), installed with apt-get when it is
    missing (as root); a benchmark never passes by skipping."""
    found = shutil.which(command)
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = [apt, "install", "-y", "-q", package]
        if subprocess.run(install, stdout=subprocess.DEVNULL, env=env).returncode:  # noqa: S603
            subprocess.run(  # noqa: S603
                [apt, "update", "-q"], check=True, stdout=subprocess.DEVNULL, env=env
            )
            subprocess.run(install, check=True, stdout=subprocess.DEVNULL, env=env)  # noqa: S603
        found = shutil.which(command)
    if not found:
        raise RuntimeError(f"{command} is missing: apt-get install -y {package}")
    return found


def run_ab(
    url: str,
    *,
    clients: int,
    seconds: float = 0,
    requests: int = 0,
    headers: tuple[str, ...] = (),
    cookie: str = "",
) -> dict[str, Any]:
    """ApacheBench holding `clients` requests in flight for `seconds` (or for
    `requests` requests) on one URL: its own requests/s, p50 and p95 (ms,
    every request counted), failed requests (broken connections) and answers
    other than 2xx (a redirect to the log-in page is one). -l: a page's
    length may vary (CSRF tokens)."""
    ab = ensure_tool("ab", "apache2-utils")
    command = [ab, "-q", "-l", "-c", str(clients)]
    if requests:  # this many requests, however long they take
        command += ["-n", str(requests)]
    else:
        command += ["-t", f"{seconds:g}", "-n", "10000000"]
    for header in headers:
        command += ["-H", header]
    if cookie:
        command += ["-C", cookie]
    out = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True
    ).stdout

    def figure(pattern: str, *, absent: float | None = None) -> float:
        # ab prints "Non-2xx responses" only when there were some; every
        # other figure must be there, or the run did not measure anything.
        found = re.search(pattern, out, re.MULTILINE)
        if found:
            return float(found.group(1))
        if absent is None:
            raise RuntimeError(f"ab printed no {pattern!r}:\n{out}")
        return absent

    return {
        "rps": figure(r"Requests per second:\s+([\d.]+)"),
        "p50": figure(r"^\s*50%\s+(\d+)"),
        "p95": figure(r"^\s*95%\s+(\d+)"),
        "done": int(figure(r"Complete requests:\s+(\d+)")),
        "failed": int(figure(r"Failed requests:\s+(\d+)")),
        "non_2xx": int(figure(r"Non-2xx responses:\s+(\d+)", absent=0)),
        "output": out,
    }


@dataclass(frozen=True)
class Harness:
    database_url: str
    port: int

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "SECURE_SSL_REDIRECT": "false",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }

    def manage(self, *args: str, **kwargs: object) -> str:
        return subprocess.run(  # noqa: S603 - our own manage.py
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
            **kwargs,  # type: ignore[arg-type]
        ).stdout

    def shell(self, script: str) -> str:
        """The script's last line of output (the shell may print its own first)."""
        return self.manage("shell", "-c", script).strip().splitlines()[-1]

    def ensure_database(self, *, static: bool = False) -> None:
        """Create the database if it is missing, migrate it, and (for pages
        that load CSS) collect the static files."""
        name = self.database_url.rsplit("/", 1)[1]
        admin = self.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(  # noqa: S603
            ["psql", admin, "-qc", f'CREATE DATABASE "{name}"'],  # noqa: S607
            capture_output=True,
        )
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("createcachetable")
        if static:
            self.manage("collectstatic", "--no-input", "-v", "0")

    @contextlib.contextmanager
    def serve(self) -> Iterator[str]:
        """gunicorn on the port; yields its base URL once it answers."""
        process = subprocess.Popen(  # noqa: S603
            [
                PY,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--workers",
                "4",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=self.env(),
        )
        base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.3)
        try:
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def pg_args(url: str) -> list[str]:
    """createdb/dropdb/psql connection arguments for a database URL."""
    parts = urlparse(url)
    return [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]


def copy_database(source: str, label: str) -> str:
    """A scratch copy of a benchmark database (the source is only read): a
    file-level `createdb -T`, or, while someone is connected to the source,
    a consistent dump through psql. Returns the copy's URL."""
    parts = urlparse(source)
    name = parts.path.lstrip("/")
    scratch = f"{name}_{label}_{os.getpid()}"
    for attempt in range(3):
        done = subprocess.run(  # noqa: S603 - our own arguments
            ["createdb", *pg_args(source), "-T", name, scratch],  # noqa: S607
            capture_output=True,
            text=True,
        )
        if done.returncode == 0:
            return parts._replace(path=f"/{scratch}").geturl()
        time.sleep(5 * (attempt + 1))
    subprocess.run(["createdb", *pg_args(source), scratch], check=True)  # noqa: S603,S607
    dump = subprocess.Popen(  # noqa: S603
        ["pg_dump", *pg_args(source), "-d", name],  # noqa: S607
        stdout=subprocess.PIPE,
    )
    subprocess.run(  # noqa: S603
        ["psql", *pg_args(source), "-q", "-d", scratch],  # noqa: S607
        stdin=dump.stdout,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    if dump.wait() != 0:
        raise RuntimeError(f"pg_dump {name} failed")
    return parts._replace(path=f"/{scratch}").geturl()


def drop_database(url: str) -> None:
    subprocess.run(  # noqa: S603
        ["dropdb", *pg_args(url), "--if-exists", urlparse(url).path.lstrip("/")],  # noqa: S607
        check=False,
    )
