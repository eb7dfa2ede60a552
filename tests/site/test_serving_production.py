"""Serving: the documented production command (run.py production), WhiteNoise
in the middleware, hashed static files and the shared page cache in the
production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

import pytest

import run

ROOT = Path(__file__).resolve().parents[2]


def test_whitenoise_comes_right_after_the_security_middleware():
    middleware = settings.MIDDLEWARE
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


def test_the_page_cache_wraps_the_session_and_no_store_follows_authentication():
    middleware = settings.MIDDLEWARE
    # Update first (sees the finished answer), fetch before the session is
    # read (a hit touches no session or database), no-store once the user is known.
    assert middleware.index("portal.site.cache.PageCacheUpdateMiddleware") < (
        middleware.index("django.middleware.security.SecurityMiddleware")
    )
    assert (
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
        < middleware.index("portal.site.cache.PageCacheFetchMiddleware")
        < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    )
    assert middleware.index("portal.site.cache.NoStoreMiddleware") == (
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    )


@pytest.fixture(scope="module")
def production_settings():
    """The production settings as a fresh process reads them."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'storage': settings.STORAGES['staticfiles']['BACKEND'], "
        "'pages': settings.CACHES['pages'], 'alias': settings.CACHE_MIDDLEWARE_ALIAS}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "t" * 60,
        "ALLOWED_HOSTS": "loans.example.gov",
        "PORTAL_PAGE_CACHE_DIR": "/srv/portal/page-cache",
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_collects_hashed_compressed_static_files(production_settings):
    assert production_settings["storage"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_production_keeps_pages_in_files_every_worker_shares(production_settings):
    assert production_settings["alias"] == "pages"
    assert production_settings["pages"]["BACKEND"] == (
        "django.core.cache.backends.filebased.FileBasedCache"
    )
    assert production_settings["pages"]["LOCATION"] == "/srv/portal/page-cache"


def test_gunicorn_takes_its_workers_and_port_from_the_environment():
    command = run.gunicorn_command({"WEB_CONCURRENCY": "3", "PORT": "9000"}, [])
    assert command[1:] == [
        "-m",
        "gunicorn",
        "portal.wsgi",
        "--workers",
        "3",
        "--bind",
        "0.0.0.0:9000",
        "--access-logfile",
        "-",
    ]


def test_gunicorn_defaults_to_two_workers_per_core_plus_one_on_loopback(
    monkeypatch,
):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    command = run.gunicorn_command({}, ["--timeout", "60"])
    assert command[command.index("--workers") + 1] == "5"
    assert command[command.index("--bind") + 1] == "127.0.0.1:8000"
    assert command[-2:] == ["--timeout", "60"]


def test_bind_wins_over_port():
    command = run.gunicorn_command({"BIND": "unix:/run/portal.sock", "PORT": "1"}, [])
    assert command[command.index("--bind") + 1] == "unix:/run/portal.sock"


def test_the_production_command_migrates_collects_then_execs_gunicorn(monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setattr(
        run, "manage", lambda *args, env: calls.append(("manage", *args, env))
    )
    monkeypatch.setattr(run.os, "chdir", lambda path: None)
    monkeypatch.setattr(
        run.os, "execve", lambda path, argv, env: calls.append(("exec", argv, env))
    )
    run.production([])
    assert [call[:3] for call in calls[:2]] == [
        ("manage", "migrate", "--no-input"),
        ("manage", "collectstatic", "--no-input"),
    ]
    kind, argv, env = calls[2]
    assert kind == "exec"
    assert argv[3:6] == ["portal.wsgi", "--workers", "2"]
    for call in calls:
        assert call[-1]["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
