"""The embedded default (SQLite through the dev server) takes concurrent
payments: twenty clients posting to one loan at once all get 201 (WAL,
BEGIN IMMEDIATE and a busy timeout instead of "database is locked").

A real `runserver` process on a temporary SQLite file, driven over loopback."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from django.db import connection
from django.utils import timezone

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="this is about the embedded SQLite default (the PostgreSQL pass skips it)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args) -> str:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def live_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        "u = User.objects.create_user('till'); "
        "u.groups.add(Group.objects.get(name='Cashier'))",
    )
    token = _manage(env, "create_api_token", "till").strip().split()[-1]
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        yield base, token, env
    finally:
        server.terminate()
        server.wait(timeout=10)


def _call(base, token, method, path, body=None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_twenty_concurrent_payments_through_the_dev_server_all_succeed(live_sqlite):
    base, token, env = live_sqlite
    today = timezone.localdate()
    _manage(
        env,
        "shell",
        "-c",
        "from datetime import date, timedelta; from decimal import Decimal; "
        "from django.contrib.auth.models import User; "
        "from loans.services.booking import loan_book; "
        f"d = date({today.year}, {today.month}, 1) - timedelta(days=90); "
        "loan_book(actor=User.objects.get(username='till'), number='LIVE-1', "
        "product_code='EE', customer_name='Walter Okafor', customer_email='w@example.org', "
        "account_number='900001', principal=Decimal('10000.00'), annual_rate=Decimal('5.00'), "
        "term_months=60, first_due_date=d + timedelta(days=31), disbursed_on=d)",
    )
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def pay(i: int) -> None:
        barrier.wait()
        status, _ = _call(
            base,
            token,
            "POST",
            "/api/v1/loans/LIVE-1/payments",
            {
                "amount": "25.00",
                "received_on": today.isoformat(),
                "method": "ach",
                "reference": f"LIVE-{i}",
            },
        )
        statuses.append(status)

    threads = [threading.Thread(target=pay, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(statuses) == {201: 20}
    status, loan = _call(base, token, "GET", "/api/v1/loans/LIVE-1")
    assert status == 200
