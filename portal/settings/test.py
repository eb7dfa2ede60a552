"""Test settings: fast hashing, in-memory cache and mail, tasks run immediately."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Each test request builds its own sidebar, so query counts compare like with
# like; tests/portal/test_admin_chrome.py turns the cache on.
PORTAL_SIDEBAR_CACHE_SECONDS = 0
# Dashboard counts are counted on every page (tests add loans between pages);
# tests/loans/test_dashboard_counts_kept.py turns the keeping on.
PORTAL_DASHBOARD_COUNTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No page cache by default: one test's pages must never answer another's.
# tests/site/test_cache_*.py switch it on (LocMem) where they test it.
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
# WhiteNoise looks for collected files here; tests serve none.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-static-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-media-"))
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
