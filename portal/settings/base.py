"""Settings shared by every mode. Modes: dev, test, production."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import dj_database_url

from portal.env import env_bool, env_int, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "portal",
    "loans",
    "programs",
    "liens",
    "regulatory_reports",
    "portal.auth",
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
    # The one log-in for customers and staff (portal/auth, docs/architecture.md).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: API errors raised anywhere below still answer in JSON.
    "portal.api_errors.ApiErrorShapeMiddleware",
    # Stores anonymous public pages in the "pages" cache once every other
    # middleware has finished the answer (portal/site/cache.py).
    "portal.site.cache.PageCacheUpdateMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names and far-future caching, from the app server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A cached anonymous page is answered here, before the session is read.
    "portal.site.cache.PageCacheFetchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # no-store on /account/, /admin/ and for anyone logged in.
    "portal.site.cache.NoStoreMiddleware",
    # Back-office sessions end after 30 minutes idle.
    "portal.auth.middleware.StaffSessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Money roles set up two-factor authentication before the back office.
    "portal.auth.middleware.StaffMFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # After authentication: every change in a request is attributed to its user.
    "portal.audit.AuditMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

# Django's database sessions, read with SQL worked out once per process.
SESSION_ENGINE = "portal.auth.sessions"

# Anonymous public pages are kept in the "pages" cache (portal/site/cache.py),
# emptied whenever a page is published, unpublished, moved or deleted.
# Production keeps it in files every worker shares (PORTAL_PAGE_CACHE_DIR).
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_KEY_PREFIX = "pages"
CACHE_MIDDLEWARE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 600)

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

# Log-in: django-allauth at /account/login/ for customers and staff alike
# (Wagtail's /admin/login/ redirects there). Adapters in portal/auth/adapters.py.
# Django's and allauth's backends, reading the user with their Wagtail profile
# and their roles with their permissions in one query each (portal/auth/backends.py).
AUTHENTICATION_BACKENDS = [
    "portal.auth.backends.ModelBackend",
    "portal.auth.backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "portal.auth.adapters.AccountAdapter"
MFA_ADAPTER = "portal.auth.adapters.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
# The public site's sign-up: customers give an e-mail address and a password
# (allauth makes the username from the address; staff keep logging in by
# username or e-mail). Open unless PORTAL_SIGNUP_OPEN=false.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
PORTAL_SIGNUP_OPEN = env_bool("PORTAL_SIGNUP_OPEN", True)
# Existing accounts have no verified address yet; "mandatory" would stop them
# at log-in. Sign-ups are sent a verification e-mail and land on "check your
# e-mail"; linking a utility account (portal/customer/views_accounts.py)
# requires a verified primary address, so nobody reaches a customer's records
# with an address they don't own.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_SIGNUP_REDIRECT_URL = "account_email_verification_sent"
# Changing the address: the new one counts (and replaces the old) only once
# its link has been followed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Riverton Municipal Utilities: "
ACCOUNT_FORMS = {
    name: f"portal.auth.forms.{form}"
    for name, form in [
        ("login", "LoginForm"),
        ("signup", "SignupForm"),
        ("add_email", "AddEmailForm"),
        ("reset_password", "ResetPasswordForm"),
        ("reset_password_from_key", "ResetPasswordKeyForm"),
        ("change_password", "ChangePasswordForm"),
    ]
}
ACCOUNT_SESSION_REMEMBER = True  # Django's session length; staff: idle timeout
# A logged-in customer sent to the back office's log-in sees the form, not a loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# Failed log-ins: the sixth for one person within 15 minutes is refused even
# with the right password, and so is the 21st from one address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/15m/ip,5/15m/key",
    # Sign-ups and password-reset e-mails per address and hour; a reset link
    # tried from one address; one verification e-mail per address every 3
    # minutes ("send it again").
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key",
}
# Failed attempts to link a utility account (portal/customer/views_accounts.py):
# the sixth for one log-in within 15 minutes, or the 21st from one address, is
# refused without checking the details.
PORTAL_LINK_RATE_LIMITS = {"link_account_failed": "20/15m/ip,5/15m/user"}
# Wrong API tokens, per client address (portal/api_auth.py).
PORTAL_API_RATE_LIMITS = {"api_token_failed": "10/15m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Riverton Municipal Utilities"
# Supervisors, cashiers and program staff must use an authenticator app for
# the back office (on in production; off here so the demo log-ins work at once).
PORTAL_STAFF_MFA_REQUIRED = False
PORTAL_STAFF_IDLE_TIMEOUT = 30 * 60  # seconds without a request
# The back office's sidebar is kept per user for this long (portal.admin_chrome).
PORTAL_SIDEBAR_CACHE_SECONDS = 60
# Dashboard counts over the whole portfolio (loans past due by bucket) are
# kept this long in the shared cache; the panel says when they were counted.
PORTAL_DASHBOARD_COUNTS_SECONDS = 60

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
# Customer documents (income proof, invoices, deeds) and correspondence: never
# under MEDIA_ROOT, never served by a web server; only the document view
# (portal/document_views.py) streams them, after checking who asks.
PRIVATE_MEDIA_ROOT = Path(
    env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media"))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Rooted at PRIVATE_MEDIA_ROOT, and no URL (portal/private_storage.py).
    "private": {
        "BACKEND": "portal.private_storage.PrivateStorage",
        "OPTIONS": {
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
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
# CMS documents go through Wagtail's serve view (privacy and collection
# checks), never a direct /media/ link, whatever the storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's log-in and password reset are replaced by allauth's.
WAGTAILADMIN_LOGIN_URL = "portal:login"
WAGTAIL_PASSWORD_RESET_ENABLED = False

# History on every domain model; the user comes from portal.audit.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "security": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security_console": {
            "class": "logging.StreamHandler",
            "formatter": "security",
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Log-ins, failures, lockouts, log-outs, MFA changes, API token
        # failures: one line each (portal/auth/securitylog.py).
        "portal.security": {
            "handlers": ["security_console"],
            "level": "INFO",
            "propagate": False,
        },
        # WeasyPrint reports each rendering step at INFO; only its problems matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
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
