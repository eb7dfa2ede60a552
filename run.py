#!/usr/bin/env python3
"""The README commands: `python3 run.py serve`, `python3 run.py test` and
`python3 run.py production` (README: Running in production).

Both create `.venv` on first use and install the pinned lock into it, so a
newcomer needs nothing but Python 3.11+. Re-installs only when the lock changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess  # noqa: S404 - this script exists to run the project's tools
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".install-stamp"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> None:
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing pinned dependencies (requirements.lock) ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(LOCK)], check=True)  # noqa: S603
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)  # noqa: S603
    STAMP.write_text(wanted)


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(  # noqa: S603
        [str(PY), str(ROOT / "manage.py"), *args], check=True, cwd=ROOT, env=env
    )


def serve(argv: list[str]) -> int:
    address = argv[0] if argv else "127.0.0.1:8000"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    manage("migrate", "--no-input", env=env)
    manage("load_demo_data", "--address", address, env=env)
    print(f"\nPortal: http://{address}/   Back office: http://{address}/admin/\n")
    os.execve(  # noqa: S606 - hand the terminal to the dev server
        str(PY), [str(PY), str(ROOT / "manage.py"), "runserver", address], env
    )


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium (Playwright never downloads
    a browser here). Install it when it is missing and we may (root)."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Chromium for the browser tests (apt-get) ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = [apt, "install", "-y", "-q", "chromium"]
        quiet = {"stdout": subprocess.DEVNULL, "env": env}
        if subprocess.run(install, **quiet).returncode:  # noqa: S603
            # The package lists may be stale on a new machine.
            subprocess.run([apt, "update", "-q"], check=True, **quiet)  # noqa: S603
            subprocess.run(install, check=True, **quiet)  # noqa: S603
    else:
        print(
            "Chromium is missing: install it (e.g. `sudo apt-get install -y "
            "chromium`); the browser tests fail without it.",
            flush=True,
        )


def test(argv: list[str]) -> int:
    ensure_chromium()
    return subprocess.run(  # noqa: S603
        [str(PY), "-m", "pytest", *argv], cwd=ROOT
    ).returncode


def gunicorn_command(env: dict[str, str], extra: list[str]) -> list[str]:
    """gunicorn serving portal.wsgi: WEB_CONCURRENCY workers (default two per
    core plus one), bound to BIND, else 0.0.0.0:PORT, else 127.0.0.1:8000."""
    workers = env.get("WEB_CONCURRENCY") or str(2 * (os.cpu_count() or 1) + 1)
    if env.get("BIND"):
        bind = env["BIND"]
    elif env.get("PORT"):
        bind = f"0.0.0.0:{env['PORT']}"
    else:
        bind = "127.0.0.1:8000"
    return [
        str(PY),
        "-m",
        "gunicorn",
        "portal.wsgi",
        "--workers",
        workers,
        "--bind",
        bind,
        # One line per request on standard output, for the host's log collector.
        "--access-logfile",
        "-",
        *extra,
    ]


def production(argv: list[str]) -> int:
    """Migrate, collect the static files (hashed names, served by WhiteNoise),
    then hand the process to gunicorn. Extra arguments go to gunicorn."""
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    manage("migrate", "--no-input", env=env)
    manage("collectstatic", "--no-input", env=env)
    command = gunicorn_command(env, argv)
    print(f"Starting gunicorn: {' '.join(command[3:])}", flush=True)
    os.chdir(ROOT)
    os.execve(command[0], command, env)  # noqa: S606 - the server takes over


def main() -> int:
    commands = {"serve": serve, "test": test, "production": production}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(
            "usage: python3 run.py serve [ADDRESS] | test [PYTEST ARGS]"
            " | production [GUNICORN ARGS]"
        )
        return 2
    ensure_environment()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
