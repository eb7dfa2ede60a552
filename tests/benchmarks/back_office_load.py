"""A small HTTP load driver: N client threads for D seconds, each picking the
next URL round-robin and recording latency per URL (urllib, no dependencies).

    python tests/benchmarks/back_office_load.py --base http://127.0.0.1:8765 \
        --cookie "sessionid=..." --clients 20 --seconds 60 URL [URL ...]

Prints one JSON object: per URL the requests, errors, requests/s, p50 and p95
in milliseconds (timed-out or non-200 answers count as errors, and their time
counts in the percentiles).
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time
import urllib.error
import urllib.request


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))
    return ordered[index]


def run(
    base: str,
    cookie: str,
    urls: list[str],
    clients: int,
    seconds: float,
    timeout: float,
) -> dict[str, dict[str, float]]:
    times: dict[str, list[float]] = {url: [] for url in urls}
    errors: dict[str, int] = dict.fromkeys(urls, 0)
    lock = threading.Lock()
    counter = itertools.count()
    deadline = time.monotonic() + seconds
    headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "localhost"}

    def client() -> None:
        while time.monotonic() < deadline:
            url = urls[next(counter) % len(urls)]
            request = urllib.request.Request(base + url, headers=headers)
            started = time.perf_counter()
            ok = False
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback
                    response.read()
                    ok = response.status == 200 and response.url == base + url
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                times[url].append(elapsed)
                if not ok:
                    errors[url] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {
        url: {
            "requests": len(times[url]),
            "errors": errors[url],
            "rps": len(times[url]) / wall,
            "p50_ms": percentile(times[url], 0.50) * 1000,
            "p95_ms": percentile(times[url], 0.95) * 1000,
        }
        for url in urls
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--cookie", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    result = run(
        args.base, args.cookie, args.urls, args.clients, args.seconds, args.timeout
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
