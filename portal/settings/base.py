"""Settings shared by every mode. Modes: dev, test, production."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dj_database_url

from portal.env import env_int, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "portal",
    "loans",
    "programs",
    "liens",
    "regulatory_reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "djmoney",
    "simple_history",
    # Serves the API docs' Swagger UI from static files (no CDN: works offline).
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: API errors raised anywhere below still answer in JSON.
    "portal.api_errors.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # After authentication: every change in a request is attributed to its user.
    "portal.audit.AuditMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite by default so the two README commands just work; DATABASE_URL selects
# PostgreSQL (production and the second CI pass).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under concurrent use: WAL lets readers and one
    # writer work at once, BEGIN IMMEDIATE takes the write lock up front (no
    # deadlocked upgrade), and the busy timeout queues writers instead of
    # failing with "database is locked". The backend also lets a flush pass
    # the append-only triggers (portal/db/sqlite3).
    DATABASES["default"]["ENGINE"] = "portal.db.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Plausible dates for a booked (migrated) loan: disbursed on or after this
# date and not in the future; its first due date within this many days.
PORTAL_BOOKING_EARLIEST_DISBURSEMENT = date.fromisoformat(
    env_str("PORTAL_BOOKING_EARLIEST_DISBURSEMENT", "1990-01-01")
)
PORTAL_BOOKING_FIRST_DUE_MAX_DAYS = env_int("PORTAL_BOOKING_FIRST_DUE_MAX_DAYS", 366)
# Lockbox/cashiering batch files larger than this are refused unread.
PORTAL_BATCH_MAX_BYTES = env_int("PORTAL_BATCH_MAX_BYTES", 5 * 1024 * 1024)
# Request bodies (JSON, forms) above this are refused: 413 in the API's JSON
# shape. Uploaded files have their own limits (documents, batch files).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("PORTAL_MAX_REQUEST_BODY_BYTES", 1024 * 1024)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:account"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
# The utility sets its own zone (e.g. America/New_York); dates such as "today"
# and "received on" follow it.
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Money: one currency. djmoney stores the currency beside each amount.
CURRENCIES = ("USD",)
DEFAULT_CURRENCY = "USD"

# Uploaded customer documents (applications, proposals, invoices, IDs).
PORTAL_DOCUMENT_MAX_BYTES = env_int("PORTAL_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
PORTAL_DOCUMENT_CONTENT_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
}

# Background work runs through Django's Tasks API (django-tasks backport) on the
# database backend, so several app processes share one queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WAGTAIL_SITE_NAME = "Riverton Municipal Utilities"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

# History on every domain model; the user comes from portal.audit.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

# Content-Security-Policy (django-csp). Scripts only from our own origin, no
# inline script, no framing, forms post only to us. Wagtail's admin sets
# style attributes from its scripts, so inline styles stay allowed; its
# images include data: and blob: previews.
from csp.constants import NONE, SELF  # noqa: E402

# No avatars fetched from gravatar.com: staff e-mail hashes stay here, and the
# admin needs no third-party origin under the policy.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
